package scenario

import (
	"fmt"
	"sort"

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
// (or "unknown-0x%08X") and what it should say.
type Finding struct {
	KBID string
	Note string
}

// Scenario is one sample case: its files and the findings bitsdiag should report.
type Scenario struct {
	ID       string // directory under samples/
	Title    string
	Summary  string
	Files    []File
	Findings []Finding // empty: no finding
}
