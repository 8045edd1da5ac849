package analyze

import (
	"context"
	"fmt"
	"maps"
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
	Title              string    // Result.Title
	Version            string    // Result.Tool.Version
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
	events    map[dupKey]*Fact          // relevant facts, deduplicated
	perFile   map[string]int            // relevant in-window events per file (before dedupe)
	perFileWU map[string]int            // of those, Windows Update client and Delivery Optimization events
	coverage  map[covKey]*covStats      // relevant in-window events, per file/computer/channel
	sighted   []sighting                // every relevant copy, while a relative window is unresolved
	newest    time.Time                 // newest relevant event seen
	windows   map[string]WindowsVersion // per computer, from context records (source_os.go)
}

// sighting is one copy of a relevant record, kept only while a relative
// window waits for the newest event: what coverage and per-file counts need.
type sighting struct {
	fact *Fact // the copy's fact (copies of one record share strings)
}

// dupKey identifies one record across overlapping copies of a log.
type dupKey struct {
	computer, channel string
	recordID          uint64
	time              int64
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
		events:    map[dupKey]*Fact{},
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
// nor towards the file's analysed records. Only a Fact of the event is kept.
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
	a.addFact(a.facts.fact(e))
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
		a.keep(f)
		return
	}
	if f.TimeCreated.After(a.newest) {
		a.newest = f.TimeCreated
	}
	if a.relative() {
		a.sighted = append(a.sighted, sighting{fact: f})
		a.keep(f)
		return
	}
	if !a.inWindow(f.TimeCreated) {
		return
	}
	a.count(f)
	a.keep(f)
}

// count adds one in-window copy to coverage and the per-file counts.
func (a *Analyzer) count(f *Fact) {
	a.observe(f)
	a.perFile[f.Source.File]++
	if isWUFact(f) {
		a.perFileWU[f.Source.File]++
	}
}

// keep stores the fact unless a preferred copy of the record is stored.
func (a *Analyzer) keep(f *Fact) {
	k := dupKey{f.Computer, f.Channel, f.RecordID, f.TimeCreated.UnixNano()}
	if old, ok := a.events[k]; ok && !sourceLess(f.Source, old.Source) {
		return
	}
	a.events[k] = f
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
		if a.inWindow(s.fact.TimeCreated) {
			a.count(s.fact)
		}
	}
	a.sighted = nil
	for k, f := range a.events {
		if !IsConfigFact(f) && !a.inWindow(f.TimeCreated) {
			delete(a.events, k)
		}
	}
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
	evs := make([]*Fact, 0, len(a.events))
	for _, e := range a.events {
		evs = append(evs, e)
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
	return r, ctx.Err()
}
