package analyze

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"bitsdiag/parse"
)

// ProviderConfig is the pseudo provider of facts from configuration snapshots
// (sc.exe, reg.exe, bitsadmin, Get-BitsTransfer, netsh text; package
// configcheck makes them). No event log holds it.
const ProviderConfig = "bitsdiag-snapshot/config"

// Pseudo event ids of configuration facts: 1 to MaxConfigItem stand for the
// configuration items configcheck checks (one fact per deviation, id
// configcheck.Item.EventID); ConfigLiveJob is one job of a live listing.
const (
	MaxConfigItem uint16 = 64
	ConfigLiveJob uint16 = 100
)

// Fields of a deviation fact (ids 1..MaxConfigItem). Steps are numbered from
// 1: "step1", "step1.commands" (one command per line), "step2", ...
const (
	CfgItem        = "item"        // configcheck.Item
	CfgSeverity    = "severity"    // error, warning or info: selects the KB signature
	CfgTitle       = "title"       // the deviation in one line
	CfgFound       = "found"       // what the snapshot shows
	CfgExpected    = "expected"    // the shipped value for Windows
	CfgWindows     = "windows"     // the version expected value and commands are for
	CfgSection     = "section"     // the article's section
	CfgArticleRow  = "article_row" // the article's row, if any
	CfgRelated     = "related"     // the article entry of the same cause (kb.json), if any
	CfgEvidence    = "evidence"    // "file line n: text", one per line
	CfgNotes       = "notes"       // one per line
	CfgCorrections = "corrections" // one per line
)

// Fields of a live job fact (ConfigLiveJob).
const (
	LiveJobID      = "job_id" // upper case, no braces
	LiveName       = "display_name"
	LiveState      = "state"
	LiveOwner      = "owner"
	LiveErrorCode  = "error_code" // 0x%08X, only while the job is in ERROR or TRANSIENT_ERROR
	LiveErrorText  = "error_text"
	LiveErrorCtx   = "error_context"
	LiveDesc       = "description"
	LiveBytesDone  = "bytes_done"
	LiveBytesTotal = "bytes_total" // -1 unknown
	LiveFiles      = "files"       // "remote -> local", one per line
	LiveListing    = "listing"     // the command whose output it is
)

// configSource is the non-event source of configuration snapshots: no
// channels, facts only through Analyzer.AddFact (SOURCES.md, "Adding a
// non-event source"). Deviations become findings through the knowledge base
// (config-kb.json: one entry per item, a signature per severity); live jobs
// join the jobs the events reconstruct.
type configSource struct{}

func (configSource) Name() string        { return "config-snapshot" }
func (configSource) Providers() []string { return []string{ProviderConfig} }
func (configSource) Channels() []string  { return nil }
func (configSource) Relevant(r parse.Fields) bool {
	return strings.EqualFold(r.RecordProvider(), ProviderConfig)
}

func (configSource) Fields() []string { return configFields }

var configFields = func() []string {
	f := []string{CfgItem, CfgSeverity, CfgTitle, CfgFound, CfgExpected, CfgWindows, CfgSection, CfgArticleRow,
		CfgRelated, CfgEvidence, CfgNotes, CfgCorrections,
		LiveJobID, LiveName, LiveState, LiveOwner, LiveErrorCode, LiveErrorText, LiveErrorCtx, LiveDesc,
		LiveBytesDone, LiveBytesTotal, LiveFiles, LiveListing}
	for i := 1; i <= maxConfigSteps; i++ {
		f = append(f, stepField(i), stepField(i)+".commands", stepField(i)+".shell")
	}
	return f
}()

// maxConfigSteps bounds the fix steps one deviation fact carries.
const maxConfigSteps = 8

func stepField(i int) string { return "step" + strconv.Itoa(i) }

func (configSource) Events() []uint16 { return configEvents }

var configEvents = func() []uint16 {
	var ids []uint16
	for i := uint16(1); i <= MaxConfigItem; i++ {
		ids = append(ids, i)
	}
	return append(ids, ConfigLiveJob)
}()

// IsConfigFact reports whether f comes from a configuration snapshot.
func IsConfigFact(f *Fact) bool { return strings.EqualFold(f.Provider, ProviderConfig) }

// ConfigSteps encodes fix steps as fact fields (step1, step1.commands, ...).
func ConfigSteps(steps []Step) []parse.Field {
	var out []parse.Field
	for i, s := range steps {
		if i == maxConfigSteps {
			break
		}
		out = append(out, parse.Field{Name: stepField(i + 1), Value: s.Text})
		if len(s.Commands) > 0 {
			out = append(out, parse.Field{Name: stepField(i+1) + ".commands", Value: strings.Join(s.Commands, "\n")},
				parse.Field{Name: stepField(i+1) + ".shell", Value: string(s.Shell)})
		}
	}
	return out
}

// configStepsOf decodes the steps ConfigSteps encoded.
func configStepsOf(f *Fact) []Step {
	var out []Step
	for i := 1; i <= maxConfigSteps; i++ {
		t, ok := f.Lookup(stepField(i))
		if !ok {
			break
		}
		s := Step{Text: t}
		if c := f.Value(stepField(i) + ".commands"); c != "" {
			s.Commands = strings.Split(c, "\n")
			s.Shell = Shell(f.Value(stepField(i) + ".shell"))
		}
		out = append(out, s)
	}
	return out
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// correlate joins a live job with the job of the same id on the same
// computer (creating it when the logs do not show it) and applies the rule:
// a job in error with a known code is an occurrence like event 211.
func (configSource) correlate(s *state, f *Fact, r EventRule, ok bool) {
	if f.EventID != ConfigLiveJob {
		if ok {
			s.apply(f, r, jobCtx{})
		}
		return
	}
	id := parse.NormGUID(f.Value(LiveJobID))
	if id == "" {
		return
	}
	_, existed := s.jobs[f.Computer+"|"+id]
	j := s.job(f.Computer, id, f.TimeCreated)
	lj := &LiveJob{State: f.Value(LiveState), Owner: f.Value(LiveOwner), ErrorCode: f.Value(LiveErrorCode),
		ErrorText: f.Value(LiveErrorText), ErrorContext: f.Value(LiveErrorCtx), Description: f.Value(LiveDesc),
		DisplayName: f.Value(LiveName), Files: lines(f.Value(LiveFiles)), Listing: f.Value(LiveListing),
		File: f.Source.File, InLogs: existed}
	if n, err := strconv.ParseInt(f.Value(LiveBytesDone), 10, 64); err == nil && n >= 0 {
		lj.BytesDone = &n
	}
	if n, err := strconv.ParseInt(f.Value(LiveBytesTotal), 10, 64); err == nil && n >= 0 {
		lj.BytesTotal = &n
	}
	j.live = lj
	if j.title == "" {
		j.title = lj.DisplayName
	}
	if j.owner == "" {
		j.setOwner(lj.Owner)
	}
	if !existed {
		j.first, j.last = f.TimeCreated, f.TimeCreated
	}
	if ok {
		s.apply(f, r, jobCtx{key: j.key, id: id, title: j.title})
	}
}

// refineConfig completes a finding built from configuration facts: the
// found and expected values, the corrective commands and the notes come
// from the facts (computed for the machine's Windows version), the title too
// when every fact has the same one.
func refineConfig(f *Finding, occs []*occurrence) {
	var summ, notes, corr []string
	var fix []Step
	titles := map[string]bool{}
	evidence := make([]Evidence, 0, len(occs))
	for _, o := range occs {
		e := o.ev
		if e.EventID == ConfigLiveJob {
			return // a live job in error: an occurrence like event 211
		}
		titles[e.Value(CfgTitle)] = true
		where := ""
		if len(occs) > 1 && e.Computer != "" {
			where = "On " + e.Computer + ": "
		}
		summ = append(summ, fmt.Sprintf("%sfound %s; expected for %s: %s.", where, e.Value(CfgFound), e.Value(CfgWindows), e.Value(CfgExpected)))
		for _, st := range configStepsOf(e) {
			if where != "" {
				st.Text = where + st.Text
			}
			if !slices.ContainsFunc(fix, func(x Step) bool { return x.Text == st.Text && slices.Equal(x.Commands, st.Commands) }) {
				fix = append(fix, st)
			}
		}
		for _, n := range lines(e.Value(CfgNotes)) {
			notes = appendUnique(notes, where+n)
		}
		corr = appendUnique(corr, lines(e.Value(CfgCorrections))...)
		if sec := e.Value(CfgSection); sec != "" && f.DocSection == "" {
			f.DocSection = sec
		}
		for _, ev := range lines(e.Value(CfgEvidence)) {
			file, _, _ := strings.Cut(ev, " line ")
			evidence = append(evidence, Evidence{File: file, Time: e.TimeCreated, Computer: e.Computer,
				Text: "configuration snapshot: " + ev})
		}
	}
	if len(titles) == 1 {
		for t := range titles {
			if t != "" {
				f.Title = t
			}
		}
	}
	s := strings.Join(summ, " ")
	f.Summary = strings.ToUpper(s[:1]) + s[1:]
	if len(fix) > 0 {
		f.Fix = fix
	}
	f.Notes = notes
	f.Corrections = appendUnique(f.Corrections, corr...)
	f.EventCounts = []EventCount{}
	f.Evidence, f.EvidenceTotal = evidence, len(evidence)
}

// liveJobText describes a live job in error, for evidence.
func liveJobText(e *Fact) string {
	t := e.Value(LiveListing) + ": job in state " + e.Value(LiveState) + " with error " + e.Value(LiveErrorCode)
	if c := e.Value(LiveErrorCtx); c != "" {
		t += ", context " + c
	}
	return t
}

// loggedOccs are the occurrences from event records: snapshots have no
// place on the failure timeline.
func loggedOccs(occs []*occurrence) []*occurrence {
	out := make([]*occurrence, 0, len(occs))
	for _, o := range occs {
		if !IsConfigFact(o.ev) {
			out = append(out, o)
		}
	}
	return out
}

// configKBPrefix starts the ids of the configuration items' entries.
const configKBPrefix = "config-"

// IsConfigFinding reports whether a finding comes from the configuration
// snapshots (an entry of config-kb.json).
func IsConfigFinding(f *Finding) bool { return strings.HasPrefix(f.KBID, configKBPrefix) }

// configOpen reports a snapshot deviation that stops BITS working: it is
// the configuration when the snapshots were taken, so it counts as open.
func configOpen(f *Finding) bool { return IsConfigFinding(f) && f.Severity == SeverityError }

// configLead is the verdict's sentence for a snapshot deviation (it has no
// events or time span of its own).
func configLead(f *Finding) string {
	on := "the machine"
	if len(f.Computers) > 0 {
		on = strings.Join(f.Computers, ", ")
	}
	return "The configuration snapshots of " + on + " show: " + lowerFirst(f.Title)
}
