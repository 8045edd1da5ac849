package analyze

import (
	"sort"
	"strings"
	"time"
)

// occurrence is one event that supports a finding.
type occurrence struct {
	kbID     string
	entry    *Entry   // nil for an unknown code
	sigSev   Severity // severity of the matching signature, "" = the entry's
	code     uint32
	hasCode  bool
	ev       *Fact
	jobKey   string // "" when not about a job
	jobID    string
	jobTitle string
	url      string
	host     string
	proxies  []string
	scope    string    // "job" or "service"
	subjects []subject // recovery subjects; empty when status does not apply
}

// subjectKind says what a recovery subject is.
type subjectKind uint8

// Recovery subjects: what must be seen working after a failure for it to
// count as recovered.
const (
	subjService     subjectKind = iota // the BITS service on a computer ran
	subjStartType                      // the start type on a computer is not disabled
	subjJob                            // a job completed
	subjJobTransfer                    // a transfer of a job succeeded
	subjURL                            // a transfer from a URL on a computer succeeded
)

// subject is one recovery subject.
type subject struct {
	kind     subjectKind
	computer string // for subjService, subjStartType, subjURL
	key      string // job key or URL
}

// serviceSubject is the BITS service on computer c.
func serviceSubject(c string) subject { return subject{kind: subjService, computer: c} }

// state is the correlation state built from the time-ordered events.
type state struct {
	kb                       *KB
	sources                  *catalog
	jobs                     map[string]*jobState
	transfers                map[string]string       // computer|transfer GUID -> job key
	byTitle                  map[string]string       // computer|title -> most recent job key
	pending                  map[string][]*Fact      // computer|title -> event 3 v0 without job id
	successes                map[subject][]time.Time // recovery subject -> times it was seen healthy
	occs                     []*occurrence           // in event order
	computers                map[string]bool
	timeline                 []ServiceEvent
	typeWords                map[int][2]string // timeline index -> 7040 from/to words
	startFails, crashes      int
	lastState, lastStartType map[string]string         // per computer
	loc                      *time.Location            // zone of times in prose (summaries, notes)
	wu                       wuState                   // Windows Update client and Delivery Optimization evidence (wu.go)
	windows                  map[string]WindowsVersion // per computer, for variants' windows condition
}

func newState(kb *KB, sources *catalog) *state {
	return &state{
		kb:        kb,
		sources:   sources,
		jobs:      map[string]*jobState{},
		transfers: map[string]string{},
		byTitle:   map[string]string{},
		pending:   map[string][]*Fact{},
		successes: map[subject][]time.Time{},
		computers: map[string]bool{},
		typeWords: map[int][2]string{},
		lastState: map[string]string{}, lastStartType: map[string]string{},
	}
}

// handle routes one fact to its source: the source's correlator updates the
// shared state and applies the event's rule (the knowledge base's
// event_rules); a source without one has the rule applied here.
func (s *state) handle(f *Fact) {
	if f.Computer != "" {
		s.computers[f.Computer] = true
	}
	src := s.sources.source(f.Provider)
	if src == nil {
		return
	}
	r, ok := s.kb.Rule(f.Provider, f.EventID)
	if c, isCorr := src.(correlator); isCorr {
		c.correlate(s, f, r, ok)
	} else if ok {
		s.apply(f, r, jobCtx{})
	}
}

// healthy records that a recovery subject was seen working at t.
func (s *state) healthy(sub subject, t time.Time) {
	s.successes[sub] = append(s.successes[sub], t)
}

// recoveredAfter reports whether any subject was healthy after t.
func (s *state) recoveredAfter(subjects []subject, t time.Time) bool {
	for _, sub := range subjects {
		for _, ts := range s.successes[sub] {
			if ts.After(t) {
				return true
			}
		}
	}
	return false
}

func (s *state) computerList() []string {
	out := make([]string, 0, len(s.computers))
	for c := range s.computers {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// jobCtx is what an event says about the job and transfer it belongs to.
type jobCtx struct {
	key, id, title, url string
	proxies             []string
}

// resolve picks the knowledge-base entry for an event, with the severity
// of the signature that matched ("" = the entry's). An entry whose signature
// names the event and lists the code always wins. Then, by policy: codeOnly
// takes the code's entry or nothing; codeFirst the code's entry, else an
// unconditional signature of the event; eventFirst an unconditional
// signature, else the code's entry (the code only selects among the event's
// entries). Last comes the rule's fallback entry (nil when the KB lacks it).
func (s *state) resolve(e *Fact, r EventRule, code uint32, hasCode bool) (*Entry, Severity) {
	ms := s.kb.MatchRecord(kbRecord(e))
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].Entry.ID < ms[j].Entry.ID })
	byCode := func() *Entry {
		if en := s.kb.ByCode(code); en != nil && compatible(en, e) {
			return en
		}
		return nil
	}
	if hasCode {
		for _, m := range ms {
			if m.Entry.HasCode(code) {
				return m.Entry, m.Sig.Severity
			}
		}
		if r.policy != eventFirst {
			if en := byCode(); en != nil {
				return en, ""
			}
		}
	}
	if r.policy == codeOnly {
		return nil, ""
	}
	for _, m := range ms {
		if m.Sig.CodeField == "" {
			return m.Entry, m.Sig.Severity
		}
	}
	if hasCode {
		if en := byCode(); en != nil {
			return en, ""
		}
	}
	if r.fallbackID != "" {
		return s.kb.ByID(r.fallbackID), ""
	}
	return nil, ""
}

// kbRecord presents an event to the knowledge base. SCM events reaching the
// analysis are about BITS; 7040 start-type words are given in English so
// signature conditions also match localised logs.
func kbRecord(e *Fact) Record {
	rec := Record{Provider: e.Provider, EventID: e.EventID, Field: e.Lookup}
	if strings.EqualFold(e.Provider, ProviderSCM) {
		rec.Service = bitsServiceKey
		if e.EventID == 7040 {
			rec.Field = func(name string) (string, bool) {
				v, ok := e.Lookup(name)
				if ok && (name == "param2" || name == "param3") {
					if t := startType(v); t != "" {
						return startTypeLabel(t), true
					}
				}
				return v, ok
			}
		}
	}
	return rec
}

// compatible reports whether a code's entry fits the event's context: a
// transfer failure must not be explained by a service start-failure entry
// that merely shares the code, and the other way round.
func compatible(en *Entry, e *Fact) bool {
	if len(en.Events) == 0 {
		return true
	}
	cls := classOf(e.Provider, e.EventID)
	for _, sig := range en.Events {
		if classOf(sig.Provider, sig.EventID) == cls {
			return true
		}
	}
	return false
}

// classOf sorts event signatures into "service" (SCM and BITS' System-log
// events) and "job" (everything about jobs and transfers).
func classOf(provider string, id uint16) string {
	if strings.EqualFold(provider, ProviderSCM) || isBITSSystemEvent(id) {
		return "service"
	}
	return "job"
}

// isBITSSystemEvent lists the Bits-Client events written to the System log,
// plus the Operational service-level ones.
func isBITSSystemEvent(id uint16) bool {
	switch id {
	case 16385, 16386, 16390, 16391, 16392, 16393, 16396, 16397, 16398, 16400,
		16401, 16402, 16404, 16405, 17005:
		return true
	}
	return false
}

// apply turns an event into an occurrence when its rule says so.
func (s *state) apply(e *Fact, r EventRule, ctx jobCtx) {
	var code uint32
	hasCode := false
	for _, f := range r.codeFields {
		v := strings.TrimSpace(e.Value(f))
		if r.pct && !strings.HasPrefix(v, "%%") {
			continue
		}
		if c, ok := scmCode(v); ok {
			code, hasCode = c, true
			break
		}
	}
	if !hasCode && r.impliedCode != 0 {
		code, hasCode = r.impliedCode, true
	}
	if hasCode && !isFailure(code) {
		if r.policy == codeOnly {
			return // success or interrupted: not a failure
		}
		hasCode = false
	}
	if r.policy == codeOnly && !hasCode {
		return
	}
	en, sev := s.resolve(e, r, code, hasCode)
	if en == nil && !(hasCode && r.unknownCode) {
		return
	}
	o := &occurrence{entry: en, sigSev: sev, code: code, hasCode: hasCode, ev: e, scope: r.scope,
		jobKey: ctx.key, jobID: ctx.id, jobTitle: ctx.title, url: ctx.url, host: hostOf(ctx.url), proxies: ctx.proxies}
	if en != nil {
		o.kbID = en.ID
	} else {
		o.kbID = "code-" + FormatCode(code)
	}
	o.subjects = s.subjectsFor(o, r)
	s.occs = append(s.occs, o)
}

// subjectsFor names what must be seen working later for the occurrence to
// count as recovered.
func (s *state) subjectsFor(o *occurrence, r EventRule) []subject {
	c := o.ev.Computer
	if r.noStatus {
		return nil
	}
	if o.scope == "service" {
		return []subject{serviceSubject(c)}
	}
	var subs []subject
	if o.jobKey != "" {
		subs = append(subs, subject{kind: subjJob, key: o.jobKey})
		if o.url == "" {
			subs = append(subs, subject{kind: subjJobTransfer, key: o.jobKey})
		}
	}
	if o.url != "" {
		subs = append(subs, subject{kind: subjURL, computer: c, key: o.url})
	}
	return subs
}
