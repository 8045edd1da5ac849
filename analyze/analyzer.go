package analyze

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"sync"
	"time"

	"bitsdiag/parse"
)

// DefaultEvidenceCap is the number of evidence records kept per finding when
// Options.EvidenceCap is zero.
const DefaultEvidenceCap = 10

// Options configure an Analyzer.
type Options struct {
	KB *KB // knowledge base; nil loads the embedded one (checked against Sources)
	// Sources are the kinds of evidence analysed; nil means DefaultSources.
	Sources []Source
	Since   time.Time // analyse events at or after this time; zero = open
	Until   time.Time // analyse events at or before this time; zero = open
	// SinceAgo and UntilAgo, when positive, bound the window relative to the
	// newest relevant event of the whole stream (--since 72h); they take
	// precedence over Since and Until.
	SinceAgo, UntilAgo time.Duration
	Now                time.Time // Result.Generated
	EvidenceCap        int       // evidence records kept per finding; 0 = DefaultEvidenceCap
	// FactLimit and FactBytes bound the distinct relevant records the
	// analysis keeps (their number and estimated size); past them the
	// oldest are cut (Window.Cut). Zero means DefaultFactLimit and
	// DefaultFactBytes.
	FactLimit int
	FactBytes int64
	Title     string // Result.Title
	Version   string // Result.Tool.Version
	// TZ is the zone of the times written into prose (the verdict, finding
	// summaries and notes, coverage warnings); nil means UTC. Time fields
	// are not affected.
	TZ *time.Location
}

// Analyzer collects events from any number of files and turns them into a
// Result. It is safe for concurrent use.
type Analyzer struct {
	opts    Options
	kb      *KB
	kbErr   error // the embedded knowledge base did not load
	sources *catalog

	mu        sync.Mutex
	facts     *factMaker
	inputs    []Input
	store     *factStore           // relevant facts from records, deduplicated
	config    map[dupKey]*Fact     // facts of configuration snapshots
	perFile   map[string]int       // relevant in-window events per file (before dedupe)
	perFileWU map[string]int       // of those, Windows Update client and Delivery Optimization events
	coverage  map[covKey]*covStats // relevant in-window events, per file/computer/channel
	covRuns   int                  // record id runs kept in coverage (maxIDRuns)
	covDays   int                  // days kept in coverage (maxDays)
	sighted   []sighting           // relevant copies, while a relative window is unresolved
	pruned    int                  // len(sighted) after the last pruning
	rows      map[covKey]int32     // sighting.row -> covKey (rowKeys)
	rowKeys   []covKey
	sightCut  bool                      // sightings were cut (maxSightings): coverage starts after the cut too
	newest    time.Time                 // newest relevant event seen
	windows   map[string]WindowsVersion // per computer, from context records (source_os.go)
}

// sighting is one copy of a relevant record, kept only while a relative
// window waits for the newest event: what coverage and per-file counts need.
type sighting struct {
	id            uint64
	sec           int64 // time: Unix seconds and nanoseconds
	nsec          int32
	row           int32 // covKey, in Analyzer.rowKeys
	wu, recovered bool
}

func (s sighting) time() time.Time { return time.Unix(s.sec, int64(s.nsec)).UTC() }

// dupKey identifies one record across overlapping copies of a log.
type dupKey struct {
	computer, channel string
	recordID          uint64
	time              int64
}

// factKey is the dupKey of f's record.
func factKey(f *Fact) dupKey {
	return dupKey{f.Computer, f.Channel, f.RecordID, f.TimeCreated.UnixNano()}
}

// New returns an Analyzer with the given options.
func New(o Options) *Analyzer {
	if o.EvidenceCap <= 0 {
		o.EvidenceCap = DefaultEvidenceCap
	}
	if o.Sources == nil {
		o.Sources = DefaultSources()
	}
	a := &Analyzer{
		opts:      o,
		kb:        o.KB,
		sources:   newCatalog(o.Sources),
		store:     newFactStore(o.FactLimit, o.FactBytes),
		config:    map[dupKey]*Fact{},
		rows:      map[covKey]int32{},
		perFile:   map[string]int{},
		perFileWU: map[string]int{},
		coverage:  map[covKey]*covStats{},
		windows:   map[string]WindowsVersion{},
	}
	if a.kb == nil {
		a.kb, a.kbErr = LoadKBFor(o.Sources)
	}
	a.facts = newFactMaker(a.sources, a.kb)
	return a
}

// relative reports whether the window waits for the newest event.
func (a *Analyzer) relative() bool { return a.opts.SinceAgo > 0 || a.opts.UntilAgo > 0 }

// AddInput records one input file's inventory (see InputFromSummary).
func (a *Analyzer) AddInput(in Input) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.inputs = append(a.inputs, in)
}

// AddEvent takes one decoded event. Events may come in any order, from many
// files, and more than once. Events no source finds relevant, and events
// outside the time window, are ignored: they count neither towards coverage
// nor towards the file's analysed records. Only a Fact of the event is kept,
// made of copies: e's memory may be reused once AddEvent returns.
func (a *Analyzer) AddEvent(e *parse.Event) {
	if e == nil || !a.sources.relevant(e) {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.sources.source(e.Provider).(contextSource); ok {
		a.noteWindows(a.facts.fact(e)) // context, not an analysed record
		return
	}
	if a.addCopy(e) {
		return
	}
	a.addFact(a.facts.fact(e))
}

// addCopy counts e when it is another copy of a kept record that the kept
// copy is preferred to (overlapping copies of one log), without making its
// fact: what addFact would do with it. It reports whether it did.
func (a *Analyzer) addCopy(e *parse.Event) bool {
	if a.relative() || !a.inWindow(e.TimeCreated) {
		return false
	}
	k, ok := a.store.m[dupKey{e.Computer, e.Channel, e.RecordID, e.TimeCreated.UnixNano()}]
	if !ok || sourceLess(e.Source, k.fact.Source) {
		return false
	}
	f := k.fact // same computer, channel, provider, id and time
	a.count(relevantCopy{key: covKey{a.facts.strs.str(e.Source.File), f.Computer, f.Channel}, id: e.RecordID,
		time: f.TimeCreated, wu: isWUFact(f), recovered: e.Recovered})
	k.copies++
	return true
}

// AddFact takes one fact made by a source that does not read event records
// (a configuration snapshot). Its Provider must be one of a source's.
func (a *Analyzer) AddFact(f *Fact) {
	if f == nil || a.sources.source(f.Provider) == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.addFact(f)
}

func (a *Analyzer) addFact(f *Fact) {
	if IsConfigFact(f) {
		// A snapshot is not a record of the logs: it neither sets nor
		// obeys the time window, and has no coverage of its own.
		k := factKey(f)
		if old, ok := a.config[k]; !ok || sourceLess(f.Source, old.Source) {
			a.config[k] = f
		}
		return
	}
	if f.TimeCreated.After(a.newest) {
		a.newest = f.TimeCreated
	}
	if a.relative() {
		a.sight(f)
		a.store.add(f)
		return
	}
	if !a.inWindow(f.TimeCreated) {
		return
	}
	a.count(copyOf(f))
	a.store.add(f)
}

// copyOf is what coverage and the per-file counts need of one copy.
func copyOf(f *Fact) relevantCopy {
	return relevantCopy{key: covKey{f.Source.File, f.Computer, f.Channel}, id: f.RecordID, time: f.TimeCreated,
		wu: isWUFact(f), recovered: f.Recovered}
}

// relevantCopy is one copy of a relevant record, as coverage counts it.
type relevantCopy struct {
	key           covKey
	id            uint64
	time          time.Time
	wu, recovered bool
}

// count adds one in-window copy to coverage and the per-file counts.
func (a *Analyzer) count(c relevantCopy) {
	a.observe(c)
	a.perFile[c.key.file]++
	if c.wu {
		a.perFileWU[c.key.file]++
	}
}

// sight keeps a copy while a relative window is unresolved. Copies and
// facts before the window as it stands now are dropped: the window only
// moves forward as newer events come. Past maxSightings copies, the oldest
// half is cut from coverage and analysis alike.
func (a *Analyzer) sight(f *Fact) {
	k := covKey{f.Source.File, f.Computer, f.Channel}
	row, ok := a.rows[k]
	if !ok {
		row = int32(len(a.rowKeys))
		a.rows[k] = row
		a.rowKeys = append(a.rowKeys, k)
	}
	t := f.TimeCreated
	a.sighted = append(a.sighted, sighting{id: f.RecordID, sec: t.Unix(), nsec: int32(t.Nanosecond()), row: row,
		wu: isWUFact(f), recovered: f.Recovered})
	if len(a.sighted) < 2*a.pruned+1024 {
		return
	}
	if a.opts.SinceAgo > 0 {
		since := a.newest.Add(-a.opts.SinceAgo)
		a.store.dropBefore(since)
		a.sighted = slices.DeleteFunc(a.sighted, func(s sighting) bool { return s.time().Before(since) })
	}
	if len(a.sighted) > maxSightings {
		ts := make([]int64, len(a.sighted))
		for i, s := range a.sighted {
			ts[i] = s.sec
		}
		slices.Sort(ts)
		cut := time.Unix(ts[len(ts)/2], 999999999).UTC()
		a.sighted = slices.DeleteFunc(a.sighted, func(s sighting) bool { return !s.time().After(cut) })
		a.store.cutAt(cut)
		a.sightCut = true
	}
	a.pruned = len(a.sighted)
}

// resolveWindow fixes a relative window from the newest event and replays
// the sightings it waited for.
func (a *Analyzer) resolveWindow() {
	if !a.relative() {
		return
	}
	if a.newest.IsZero() {
		a.opts.SinceAgo, a.opts.UntilAgo = 0, 0 // no event to count back from
	}
	if a.opts.SinceAgo > 0 {
		a.opts.Since = a.newest.Add(-a.opts.SinceAgo)
	}
	if a.opts.UntilAgo > 0 {
		a.opts.Until = a.newest.Add(-a.opts.UntilAgo)
	}
	a.opts.SinceAgo, a.opts.UntilAgo = 0, 0
	for _, s := range a.sighted {
		if t := s.time(); a.inWindow(t) {
			a.count(relevantCopy{key: a.rowKeys[s.row], id: s.id, time: t, wu: s.wu, recovered: s.recovered})
		}
	}
	a.sighted, a.rows, a.rowKeys = nil, nil, nil
	a.store.dropIf(func(f *Fact) bool { return !a.inWindow(f.TimeCreated) })
}

// cutSentence says what the memory bound left out; it leads the verdict.
func cutSentence(c *Cut, loc *time.Location) string {
	what := "are counted in coverage but are in no finding, job or timeline"
	if c.Coverage {
		what = "are in neither coverage nor any finding"
	}
	return fmt.Sprintf("The evidence holds more relevant records than bitsdiag keeps in memory (at most %d distinct ones): the newest %d were analysed, and %s, up to %s, %s. To analyse those, run again with --until %s.",
		c.Limit, c.Kept, plural(c.Records, "older record"), fmtTime(c.Before, loc), what, c.Before.UTC().Format(time.RFC3339))
}

// cut reports the records the fact bounds cut from the analysis, or nil.
func (a *Analyzer) cut() *Cut {
	s := a.store
	if !s.isCut || (!a.opts.Since.IsZero() && s.cut.Before(a.opts.Since)) {
		return nil
	}
	total := 0
	for _, n := range a.perFile {
		total += n
	}
	return &Cut{Before: s.cut, Records: total - s.copies(), Kept: len(s.m), Limit: s.limit, Coverage: a.sightCut}
}

// sourceLess orders copies of one record so the kept copy is deterministic.
func sourceLess(a, b parse.Source) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	return a.Offset < b.Offset
}

func (a *Analyzer) inWindow(t time.Time) bool {
	if !a.opts.Since.IsZero() && t.Before(a.opts.Since) {
		return false
	}
	if !a.opts.Until.IsZero() && t.After(a.opts.Until) {
		return false
	}
	return true
}

// sortedEvents returns the deduplicated relevant facts in time order.
func (a *Analyzer) sortedEvents() []*Fact {
	evs := make([]*Fact, 0, len(a.store.m)+len(a.config))
	for _, e := range a.store.m {
		evs = append(evs, e.fact)
	}
	for _, f := range a.config {
		evs = append(evs, f)
	}
	sort.Slice(evs, func(i, j int) bool { return eventLess(evs[i], evs[j]) })
	return evs
}

func eventLess(a, b *Fact) bool {
	if !a.TimeCreated.Equal(b.TimeCreated) {
		return a.TimeCreated.Before(b.TimeCreated)
	}
	if a.Computer != b.Computer {
		return a.Computer < b.Computer
	}
	if a.Channel != b.Channel {
		return a.Channel < b.Channel
	}
	if a.RecordID != b.RecordID {
		return a.RecordID < b.RecordID
	}
	return sourceLess(a.Source, b.Source)
}

// ResultContext analyses everything added so far. The same events give the
// same Result whatever order they were added in. It stops with ctx's error
// when ctx is cancelled, and fails when the embedded knowledge base did not
// load (TestEmbeddedKB keeps such a build from shipping).
func (a *Analyzer) ResultContext(ctx context.Context) (*Result, error) {
	if a.kbErr != nil {
		return nil, fmt.Errorf("embedded knowledge base: %w", a.kbErr)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.resolveWindow()
	evs := a.sortedEvents()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	r := &Result{
		Tool:      Tool{Name: "bitsdiag", Version: a.opts.Version},
		Title:     a.opts.Title,
		Generated: a.opts.Now,
		Findings:  []Finding{},
		Jobs:      []Job{},
		Service:   Service{Timeline: []ServiceEvent{}},
		Coverage:  []Coverage{},
		Timeline:  []Bucket{},
		Computers: []string{},
		Failures:  []Failure{},
	}
	if !a.opts.Since.IsZero() {
		t := a.opts.Since
		r.Window.Since = &t
	}
	if !a.opts.Until.IsZero() {
		t := a.opts.Until
		r.Window.Until = &t
	}
	r.Window.Cut = a.cut()
	logged := 0 // facts from event records
	for _, e := range evs {
		if IsConfigFact(e) {
			continue
		}
		if logged == 0 {
			r.Window.Start = e.TimeCreated
		}
		r.Window.End = e.TimeCreated
		logged++
	}

	st := newState(a.kb, a.sources)
	st.loc = a.opts.TZ
	st.windows = a.windows
	for i, e := range evs {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		st.handle(e)
	}
	st.dropInterruptions()
	r.Jobs = st.jobList()
	r.Service = st.service()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	logEnd := a.logEnds()
	r.Findings = buildFindings(st, a.opts.EvidenceCap, logEnd)
	st.wuCorrelate(r.Findings, logEnd)
	r.Computers = st.computerList()
	r.Inputs = a.inputList()
	r.Coverage = a.coverageList()
	r.Timeline = timeline(loggedOccs(st.occs), r.Findings)
	r.Matrix = evidenceMatrix(r.Inputs, r.Coverage)
	r.windows = maps.Clone(a.windows)
	attachWindows(r.Matrix, r.windows)
	r.InputWarnings = inputWarnings(r.Matrix, a.opts.TZ)
	r.Services = st.perComputerService(r.Service)
	r.Failures = failureList(st, r.Findings)
	r.Verdict = wuVerdict(r, st, logged, a.opts.TZ)
	if c := r.Window.Cut; c != nil {
		r.Verdict = cutSentence(c, a.opts.TZ) + " " + r.Verdict
	}
	return r, ctx.Err()
}
