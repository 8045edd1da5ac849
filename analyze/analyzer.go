package analyze

import (
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
	KB          *KB       // knowledge base; nil loads the embedded one
	Since       time.Time // analyse events at or after this time; zero = open
	Until       time.Time // analyse events at or before this time; zero = open
	Now         time.Time // Result.Generated
	EvidenceCap int       // evidence records kept per finding; 0 = DefaultEvidenceCap
	Title       string    // Result.Title
	Version     string    // Result.Tool.Version
	// TZ is the zone of the times written into prose (the verdict, finding
	// summaries and notes, coverage warnings); nil means UTC. Time fields
	// are not affected.
	TZ *time.Location
}

// Analyzer collects events from any number of files and turns them into a
// Result. It is safe for concurrent use.
type Analyzer struct {
	opts Options
	kb   *KB

	mu       sync.Mutex
	inputs   []Input
	events   map[dupKey]*parse.Event // relevant events, deduplicated
	perFile  map[string]int          // relevant in-window events per file (before dedupe)
	coverage map[covKey]*covStats    // every event seen, per file/computer/channel
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
	kb := o.KB
	if kb == nil {
		if k, err := LoadKB(); err == nil && k != nil {
			kb = k
		} else {
			kb = &KB{}
		}
	}
	return &Analyzer{
		opts:     o,
		kb:       kb,
		events:   map[dupKey]*parse.Event{},
		perFile:  map[string]int{},
		coverage: map[covKey]*covStats{},
	}
}

// AddInput records one input file's inventory (see InputFromSummary).
func (a *Analyzer) AddInput(in Input) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.inputs = append(a.inputs, in)
}

// AddEvent takes one decoded event. Events may come in any order, from many
// files, and more than once; irrelevant events only count towards coverage.
func (a *Analyzer) AddEvent(e *parse.Event) {
	if e == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if !Relevant(e) || !a.inWindow(e.TimeCreated) {
		return
	}
	a.observe(e)
	a.perFile[e.Source.File]++
	k := dupKey{e.Computer, e.Channel, e.RecordID, e.TimeCreated.UnixNano()}
	if old, ok := a.events[k]; ok && !sourceLess(e.Source, old.Source) {
		return
	}
	a.events[k] = e
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

// sortedEvents returns the deduplicated relevant events in time order.
func (a *Analyzer) sortedEvents() []*parse.Event {
	evs := make([]*parse.Event, 0, len(a.events))
	for _, e := range a.events {
		evs = append(evs, e)
	}
	sort.Slice(evs, func(i, j int) bool { return eventLess(evs[i], evs[j]) })
	return evs
}

func eventLess(a, b *parse.Event) bool {
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

// Result analyses everything added so far. The same events give the same
// Result whatever order they were added in.
func (a *Analyzer) Result() *Result {
	a.mu.Lock()
	defer a.mu.Unlock()
	evs := a.sortedEvents()

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
	}
	if !a.opts.Since.IsZero() {
		t := a.opts.Since
		r.Window.Since = &t
	}
	if !a.opts.Until.IsZero() {
		t := a.opts.Until
		r.Window.Until = &t
	}
	if len(evs) > 0 {
		r.Window.Start = evs[0].TimeCreated
		r.Window.End = evs[len(evs)-1].TimeCreated
	}

	st := newState(a.kb)
	st.loc = a.opts.TZ
	for _, e := range evs {
		st.handle(e)
	}
	r.Jobs = st.jobList()
	r.Service = st.service()
	r.Findings = buildFindings(st, a.opts.EvidenceCap)
	st.wuCorrelate(r.Findings)
	r.Computers = st.computerList()
	r.Inputs = a.inputList()
	r.Coverage = a.coverageList()
	r.Timeline = timeline(st.occs, r.Findings)
	r.Verdict = wuVerdict(r, st, len(evs), a.opts.TZ)
	return r
}
