package parse

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// item is one output of a chunk: an event or a record error.
type item struct {
	ev               *Event
	err              *RecordError
	encStart, encEnd int // the event's bytes in chunkResult.enc (Options.Encode)
}

// chunkResult is everything one chunk slot produced. Counts are folded into
// the Summary when the reader hands the chunk out, so chunks read ahead but
// never consumed (Close, KeepChannel) do not count.
type chunkResult struct {
	idx          int
	present      bool // the slot holds a chunk with a valid magic
	items        []item
	events       []Event // the events of items, allocated together (see newEvent)
	arena        arena   // the events' text, fields and bytes
	enc          []byte  // Options.Encode's output for the items' events
	problems     []Problem
	seen         int
	decoded      int
	filtered     int
	undecodable  int
	slack        int
	firstChannel string
	channelKnown bool
	span         span // record-header times and ids of the live records
}

// worker decodes chunks. Each decoding goroutine owns one.
type worker struct {
	name         string
	filter       Filter
	recoverSlack bool
	encode       func([]byte, *Event) []byte
	wantChannel  bool
	noCRC        bool
	frame        chunkFrame
	vals         []rawVal
	dec          decoder
	peek         Peek
	peekT        *template
	peekSc       scope
	payDone      bool // payT/paySc resolved for the current record
	payT         *template
	paySc        scope
	payVals      []rawVal
	emptySystem  int // records of the current chunk without provider or event id
	strCache     map[string]string
	valCache     map[string]string    // see decoder.vals
	guidCache    map[string]memoEntry // see decoder.guids
	recycle      bool                 // Options.Recycle
	memo         [memoSlots]memoSet   // see decoder.memo
	lastGUID     memoEntry            // see decoder.lastGUID
	shared       *templateCache       // see decoder.shared
}

func newWorker(o *Options, noCRC bool) *worker {
	w := &worker{
		name:         o.Name,
		filter:       o.Filter,
		recoverSlack: o.RecoverSlack,
		encode:       o.Encode,
		recycle:      o.Recycle,
		wantChannel:  o.KeepChannel != nil,
		noCRC:        noCRC,
		strCache:     make(map[string]string),
		valCache:     make(map[string]string),
		guidCache:    make(map[string]memoEntry),
	}
	if !o.noSharedTemplates {
		w.shared = processTemplates
	}
	w.peek.data = w.peekData
	w.peek.binary = w.peekBinary
	return w
}

// process decodes one chunk slot held in buf (len(buf) < 64 KiB for a
// trailing partial chunk) into res (from newResult).
func (w *worker) process(res *chunkResult, base int64, buf []byte) *chunkResult {
	idx := res.idx
	if len(buf) < 8 || string(buf[:8]) != string(chunkMagic) {
		switch {
		case allZero(buf):
		case len(buf) < 8:
			res.problems = append(res.problems, Problem{Kind: "chunk-magic", Chunk: idx, Offset: base,
				Reason: fmt.Sprintf("%d trailing bytes too short for a chunk", len(buf))})
		default:
			res.problems = append(res.problems, Problem{Kind: "chunk-magic", Chunk: idx, Offset: base,
				Reason: fmt.Sprintf("bad chunk magic %q; slot skipped", buf[:8])})
		}
		return res
	}
	res.present = true
	frameChunk(buf, idx, base, w.noCRC, &w.frame)
	res.problems = append(res.problems, w.frame.problems...)
	res.slack = w.frame.slack
	nest, key, templates := w.dec.nestVals, w.dec.key, w.dec.templates
	if templates == nil {
		templates = make(map[uint32]*template)
	}
	clear(templates) // the chunk's own: offsets differ from chunk to chunk
	w.dec = decoder{chunk: buf, templates: templates, records: w.frame.records,
		shared: w.shared, intact: w.frame.intact && !w.noCRC, free: w.frame.free, left: newBudget(), strs: w.strCache,
		vals: w.valCache, guids: w.guidCache, memo: &w.memo, lastGUID: &w.lastGUID, arena: &res.arena, nestVals: nest, key: key}
	w.emptySystem = 0
	if (w.filter == nil || w.recycle) && cap(res.items) < len(w.frame.records) {
		// Nearly every record gives an item (or the slice is kept).
		res.items = make([]item, 0, len(w.frame.records))
	}
	if w.recycle && cap(res.events) < len(w.frame.records) {
		// One slab for the chunk, kept when the result is recycled.
		res.events = make([]Event, 0, len(w.frame.records))
	}
	for _, loc := range w.frame.records {
		if !loc.slack && !loc.suspect {
			res.span.add(loc.id, loc.ft)
		}
		if loc.slack && !w.recoverSlack {
			continue
		}
		w.record(res, idx, base, loc)
	}
	if w.emptySystem > 0 {
		res.problems = append(res.problems, Problem{Kind: "template-damaged", Chunk: idx, Offset: base,
			Reason: fmt.Sprintf("%d records decode without a System Provider Name or EventID (damaged template definition?); counted undecodable", w.emptySystem)})
	}
	return res
}

// record handles one record; a panic in decoding becomes a record error.
func (w *worker) record(res *chunkResult, idx int, base int64, loc recordLoc) {
	res.seen++
	fail := func(reason string) {
		res.undecodable++
		res.items = append(res.items, item{err: &RecordError{
			Source:   Source{File: w.name, Chunk: idx, Offset: base + int64(loc.off)},
			RecordID: loc.id, Recovered: loc.slack, Reason: reason}})
	}
	defer func() {
		if r := recover(); r != nil {
			fail(fmt.Sprintf("decoder panicked: %v", r))
		}
	}()
	if loc.bad != "" {
		fail(loc.bad)
		return
	}
	buf := w.dec.chunk
	in, reason := readInstance(buf, loc.off+recordHeaderLen, loc.off+loc.size-4, w.vals)
	w.vals = in.vals[:0]
	var t *template
	switch reason {
	case "":
		off, ok := in.defOff, !in.moved
		if !ok {
			// A record copied from another chunk (slack, damage) points at
			// a definition that is gone; the template may still be inline
			// in another record of this chunk: find it by template id.
			off, ok = w.dec.templateByID(in.id)
		}
		if !ok {
			fail(fmt.Sprintf("template definition at chunk offset %d is not template 0x%08x (overwritten)", in.defOff, in.id))
			return
		}
		t = w.dec.template(off)
	case notTemplate:
		t = compileRaw(buf, loc.off+recordHeaderLen, loc.off+loc.size-4, &w.dec.left)
		in.vals = nil
	default:
		fail(reason)
		return
	}
	if t.err != "" {
		fail(t.err)
		return
	}
	if reason := t.check(in.vals); reason != "" {
		fail(reason)
		return
	}
	sc := scope{chunk: buf, vals: in.vals}
	if w.filter != nil || (w.wantChannel && !res.channelKnown) {
		w.fillPeek(t, sc)
		if w.wantChannel && !res.channelKnown && w.peek.Channel != "" {
			res.firstChannel, res.channelKnown = w.peek.Channel, true
		}
		if w.filter != nil && !w.filter(&w.peek) {
			res.filtered++
			return
		}
	}
	ev := w.newEvent(res)
	*ev = Event{
		Source:      Source{File: w.name, Chunk: idx, Offset: base + int64(loc.off)},
		Recovered:   loc.slack,
		RecordID:    loc.id,
		TimeCreated: filetime(loc.ft),
	}
	if err := w.dec.decodeEvent(ev, t, &sc); err != nil {
		fail(err.Error())
		return
	}
	if ev.Provider == "" || !t.eventID.known {
		// Every real record names its provider and event id; without them a
		// record is a damaged template's output, not an event.
		w.emptySystem++
		fail("no System Provider Name or EventID (damaged template definition?)")
		return
	}
	if sec := ev.TimeCreated.Unix(); sec < minTimeUnix || sec >= maxTimeUnix {
		// Only damage writes such a time; no tool downstream can show it.
		fail(fmt.Sprintf("TimeCreated %s is outside the years 1601-9999", ev.TimeCreated.Format("2006-01-02T15:04:05Z07:00")))
		return
	}
	if w.wantChannel && !res.channelKnown && ev.Channel != "" {
		// A copy: the event's text may be recycled, the channel is kept.
		res.firstChannel, res.channelKnown = strings.Clone(ev.Channel), true
	}
	res.decoded++
	it := item{ev: ev}
	if w.encode != nil {
		if res.enc == nil {
			res.enc = encPool.Get().([]byte)
		}
		it.encStart = len(res.enc)
		res.enc = w.encode(res.enc, ev)
		it.encEnd = len(res.enc)
	}
	res.items = append(res.items, it)
}

// newEvent returns a zero Event for one of res's records. Without a filter
// (nearly every record is decoded) or when events are recycled, the chunk's
// events are allocated in one slice, not one by one; a consumer that keeps
// one Event keeps its chunk's.
func (w *worker) newEvent(res *chunkResult) *Event {
	if w.filter != nil && !w.recycle {
		return &Event{}
	}
	if len(res.events) == cap(res.events) {
		res.events = make([]Event, 0, max(len(w.frame.records)-len(res.items), 1))
	}
	res.events = res.events[:len(res.events)+1]
	return &res.events[len(res.events)-1]
}

// fillPeek sets the Peek from the template's field map and the raw values.
func (w *worker) fillPeek(t *template, sc scope) {
	w.peekT, w.peekSc = t, sc
	w.payDone, w.payT = false, nil
	w.peek.Provider = w.peekString(t.provider)
	w.peek.Channel = w.peekString(t.channel)
	w.peek.EventID = -1
	src := t.eventID
	switch {
	case !src.known:
	case src.sub < 0:
		if v, err := strconv.ParseUint(src.text, 10, 16); err == nil {
			w.peek.EventID = int(v)
		}
	case src.sub < len(sc.vals):
		v := sc.vals[src.sub]
		b := sc.chunk[v.off : v.off+v.size]
		if v.typ == valUInt16 && len(b) == 2 {
			w.peek.EventID = int(binary.LittleEndian.Uint16(b))
		} else if s, ok := renderValue(v.typ, b); ok {
			if n, err := strconv.ParseUint(s, 10, 16); err == nil {
				w.peek.EventID = int(n)
			}
		}
	}
}

// peekString returns a static or string-substitution field; strings read
// from substitutions are interned so a rejected record allocates nothing.
func (w *worker) peekString(src source) string {
	switch {
	case !src.known:
		return ""
	case src.sub < 0:
		return src.text
	case src.sub >= len(w.peekSc.vals):
		return ""
	}
	v := w.peekSc.vals[src.sub]
	b := w.peekSc.chunk[v.off : v.off+v.size]
	if v.typ != valString {
		s, _ := renderValue(v.typ, b)
		return s
	}
	if len(b) > maxCachedString {
		return utf16String(b)
	}
	if s, ok := w.strCache[string(b)]; ok {
		return s
	}
	if len(w.strCache) >= maxCachedStrings {
		clear(w.strCache)
	}
	s := utf16String(b)
	w.strCache[string(b)] = s
	return s
}

// minTimeUnix and maxTimeUnix bound the TimeCreated of a decodable record:
// 1601-01-01T00:00:00Z and 10000-01-01T00:00:00Z (years 1601-9999).
const (
	minTimeUnix = -11644473600
	maxTimeUnix = 253402300800
)

// maxCachedStrings and maxCachedString bound the worker's string caches
// (peekString's, and the decoder's System values and provider GUIDs):
// entries, and bytes of a key (System names are short and few).
const (
	maxCachedStrings = 4096
	maxCachedString  = 512 // bytes of UTF-16
)

// fields returns the template and scope holding the record's EventData:
// the record's own template, or the one nested in its payload substitution.
func (w *worker) fields() (*template, *scope) {
	if w.peekT.data != nil || w.peekT.payload < 0 {
		return w.peekT, &w.peekSc
	}
	if !w.payDone {
		w.payDone = true
		sub := w.peekT.payload
		if sub >= len(w.peekSc.vals) || w.peekSc.vals[sub].typ != valBinXML {
			return w.peekT, &w.peekSc
		}
		v := w.peekSc.vals[sub]
		in, reason := readInstance(w.peekSc.chunk, v.off, v.off+v.size, w.payVals)
		w.payVals = in.vals[:0]
		off, ok := in.defOff, !in.moved
		if !ok {
			off, ok = w.dec.templateByID(in.id)
		}
		if reason != "" || !ok {
			return w.peekT, &w.peekSc
		}
		if t := w.dec.template(off); t.err == "" && t.check(in.vals) == "" {
			w.payT, w.paySc = t, scope{chunk: w.peekSc.chunk, vals: in.vals, depth: 1}
		}
	}
	if w.payT == nil {
		return w.peekT, &w.peekSc
	}
	return w.payT, &w.paySc
}

func (w *worker) peekData(name string) (string, bool) {
	t, sc := w.fields()
	src, ok := t.data[name]
	if !ok || !src.known {
		return "", false
	}
	if src.sub < 0 {
		return src.text, true
	}
	if src.sub >= len(sc.vals) || sc.vals[src.sub].typ == valBinXML {
		return "", false
	}
	s, err := sc.piece(piece{sub: src.sub})
	return s, err == nil
}

func (w *worker) peekBinary() ([]byte, bool) {
	t, sc := w.fields()
	src := t.binary
	if !src.known || src.sub < 0 || src.sub >= len(sc.vals) {
		return nil, false
	}
	v := sc.vals[src.sub]
	if v.typ != valBinary && v.typ != valNull {
		return nil, false
	}
	return sc.chunk[v.off : v.off+v.size], true
}

// newResult returns an empty result for chunk slot idx; old, when not nil,
// is a result whose events are no longer used (Options.Recycle): its
// memory is reused.
func newResult(idx int, old *chunkResult) *chunkResult {
	if old == nil {
		return &chunkResult{idx: idx}
	}
	clear(old.items)
	ar := old.arena
	ar.reset()
	*old = chunkResult{idx: idx, items: old.items[:0], events: old.events[:0], arena: ar}
	return old
}
