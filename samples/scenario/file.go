package scenario

import (
	"fmt"
	"sort"
	"strings"

	"bitsdiag/samples/evtxwrite"
)

// DamageKind names one way a file is damaged on purpose.
type DamageKind string

// Damage kinds.
const (
	DamageDirty          DamageKind = "dirty"            // file header dirty flag set
	DamageStaleHeader    DamageKind = "stale-header"     // header counts only Chunk chunks (and is dirty)
	DamageChunkHeaderCRC DamageKind = "chunk-header-crc" // chunk Chunk's header checksum wrong
	DamageRecordsCRC     DamageKind = "records-crc"      // chunk Chunk's records checksum wrong
	DamageTruncate       DamageKind = "truncate"         // last chunk cut to its first Bytes bytes
)

// Damage is one deliberate defect.
type Damage struct {
	Kind  DamageKind
	Chunk int // chunk index, or chunk count for DamageStaleHeader
	Bytes int // bytes of the last chunk kept, for DamageTruncate
}

// File is one generated .evtx file.
type File struct {
	Name          string // path relative to samples/
	FirstRecordID uint64
	Events        []Event // live records, sorted by time when encoded
	Stale         []Event // stale records in chunk slack, after live event StaleAfter
	StaleAfter    int     // number of live events written before the stale ones
	StaleFirstID  uint64
	Damage        []Damage
	Note          string // README text
}

// Sorted returns the live events in record order (stable by time).
func (f File) Sorted() []Event {
	ev := append([]Event(nil), f.Events...)
	sort.SliceStable(ev, func(i, j int) bool { return ev[i].Time.Before(ev[j].Time) })
	return ev
}

// Encode returns the file's bytes.
func (f File) Encode(ts *Templates) ([]byte, error) {
	var recs, stale []evtxwrite.Record
	for i, e := range f.Sorted() {
		r, err := ts.Record(e, f.FirstRecordID+uint64(i))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		recs = append(recs, r)
	}
	for i, e := range f.Stale {
		r, err := ts.Record(e, f.StaleFirstID+uint64(i))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		stale = append(stale, r)
	}
	var buf evtxwrite.Buffer
	w, err := evtxwrite.NewWriter(&buf)
	if err != nil {
		return nil, err
	}
	for i, r := range recs {
		if i == f.StaleAfter && len(stale) > 0 {
			for _, s := range stale {
				if err := w.AddStale(s); err != nil {
					return nil, fmt.Errorf("%s: stale record %d: %w", f.Name, s.ID, err)
				}
			}
		}
		if err := w.Add(r); err != nil {
			return nil, fmt.Errorf("%s: record %d: %w", f.Name, r.ID, err)
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	for _, d := range f.Damage {
		switch d.Kind {
		case DamageDirty:
			err = evtxwrite.SetFileFlags(b, evtxwrite.FileFlagDirty)
		case DamageStaleHeader:
			if err = evtxwrite.SetStaleHeader(b, d.Chunk); err == nil {
				err = evtxwrite.SetFileFlags(b, evtxwrite.FileFlagDirty)
			}
		case DamageChunkHeaderCRC:
			err = evtxwrite.CorruptChunkHeaderCRC(b, d.Chunk)
		case DamageRecordsCRC:
			err = evtxwrite.CorruptRecordsCRC(b, d.Chunk)
		case DamageTruncate:
			b = evtxwrite.Truncate(b, len(b)-evtxwrite.ChunkSize+d.Bytes)
		default:
			err = fmt.Errorf("unknown damage %q", d.Kind)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	return b, nil
}

// Finding is a finding a scenario promises: the knowledge-base entry id
// (kb_id in the report) and what bitsdiag must count. The README is written
// from these fields and the findings test checks them, so the two cannot
// drift apart.
type Finding struct {
	KBID string
	// Events is the number of the finding's events per event id (the
	// finding's count is their sum).
	Events map[uint16]int
	// Jobs is the number of distinct jobs affected (0 for service findings).
	Jobs int
	// Computers is the number of computers the finding spans.
	Computers int
	// Status is "recovered", "unresolved", or "" when it does not apply.
	Status string
	// Note says in words what else the finding shows (codes, hosts, proxies).
	Note string
	// PerServer is the finding's per-WSUS-server breakdown, one
	// "server count status" per server; nil when it has none.
	PerServer []string
}

// Count is the number of events the finding counts.
func (f Finding) Count() int {
	n := 0
	for _, c := range f.Events {
		n += c
	}
	return n
}

// EventMix lists the events as "3 × 61, 3 × 202", by event id.
func (f Finding) EventMix() string {
	ids := make([]int, 0, len(f.Events))
	for id := range f.Events {
		ids = append(ids, int(id))
	}
	sort.Ints(ids)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("%d × %d", f.Events[uint16(id)], id)
	}
	return strings.Join(parts, ", ")
}

// Promise is the README line for the finding.
func (f Finding) Promise() string {
	s := f.EventMix()
	if f.Jobs > 0 {
		s += " in " + plural(f.Jobs, "job")
	}
	s += " on " + plural(f.Computers, "computer")
	if f.Status != "" {
		s += ", " + f.Status
	}
	if f.Note != "" {
		s += "; " + f.Note
	}
	return s
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Scenario is one sample case: its files and the findings bitsdiag should report.
type Scenario struct {
	ID       string // directory under samples/
	Title    string
	Summary  string
	Files    []File
	Findings []Finding // empty: no finding
}
