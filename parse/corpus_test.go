package parse

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// corpusDir is the shared corpus, relative to this package's directory.
const corpusDir = "../../shared/evtx-corpus"

// manifestEntry is one row of the corpus MANIFEST.
type manifestEntry struct {
	dir, file string
	records   int
	py, lib   int            // -1 when not a number
	bitsIDs   map[uint16]int // Bits-Client event id -> count
	scmAbout  map[uint16]int // SCM event id -> count of events about BITS
	scmAll    map[uint16]int // SCM event id -> count
	notes     string
}

func (m manifestEntry) path() string { return filepath.Join(corpusDir, m.dir, m.file) }

// loadManifest parses MANIFEST.md; it skips the test when the corpus is absent.
func loadManifest(t testing.TB) []manifestEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, "MANIFEST.md"))
	if err != nil {
		t.Skipf("corpus not available (%v): these tests need ../shared/evtx-corpus next to the repository", err)
	}
	defer f.Close()
	var out []manifestEntry
	dir := ""
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "### ") {
			dir = strings.TrimSuffix(strings.Fields(line)[1], "/")
			continue
		}
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		col := strings.Split(line, " | ")
		if len(col) < 11 {
			t.Fatalf("MANIFEST row with %d columns: %s", len(col), line)
		}
		e := manifestEntry{dir: dir, file: strings.Trim(col[0], "| `"), notes: col[10]}
		e.records = atoiOr(col[4], -1)
		pl := strings.Split(col[5], "/")
		e.py, e.lib = atoiOr(pl[0], -1), atoiOr(pl[len(pl)-1], -1)
		e.bitsIDs = idCounts(col[8])
		about, all, _ := strings.Cut(col[9], "(")
		e.scmAbout, e.scmAll = idCounts(about), idCounts(strings.TrimSuffix(strings.TrimSpace(all), ")"))
		out = append(out, e)
	}
	if len(out) == 0 {
		t.Fatal("no files in MANIFEST")
	}
	return out
}

func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

// idCounts parses "3×2, 59×2" into {3:2, 59:2}.
func idCounts(s string) map[uint16]int {
	m := map[uint16]int{}
	for _, part := range strings.Split(s, ",") {
		id, n, ok := strings.Cut(strings.TrimSpace(part), "×")
		if !ok {
			continue
		}
		m[uint16(atoiOr(id, 0))] = atoiOr(n, 0)
	}
	return m
}

// result is everything a reader returned for one input.
type result struct {
	events []*Event
	errs   []*RecordError
	sum    *Summary
}

// readBytes reads an in-memory file to the end.
func readBytes(t testing.TB, data []byte, opts Options) (result, error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(data), int64(len(data)), opts)
	if err != nil {
		return result{}, err
	}
	return drain(t, r), nil
}

// drain reads r to the end and closes it.
func drain(t testing.TB, r *Reader) result {
	t.Helper()
	defer r.Close()
	var res result
	for {
		ev, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var re *RecordError
			if !errors.As(err, &re) {
				t.Fatalf("Next: %v is not a *RecordError", err)
			}
			res.errs = append(res.errs, re)
			continue
		}
		res.events = append(res.events, ev)
	}
	res.sum = r.Summary()
	return res
}

func readFile(t testing.TB, path string, opts Options) result {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Name == "" {
		opts.Name = filepath.Base(path)
	}
	res, err := readBytes(t, data, opts)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return res
}

// checkInvariant checks the Summary's accounting against what Next returned.
func checkInvariant(t testing.TB, name string, res result) {
	t.Helper()
	s := res.sum
	if s.RecordsSeen != s.RecordsDecoded+s.RecordsFiltered+s.RecordsUndecodable {
		t.Errorf("%s: seen %d != decoded %d + filtered %d + undecodable %d", name,
			s.RecordsSeen, s.RecordsDecoded, s.RecordsFiltered, s.RecordsUndecodable)
	}
	if len(res.events) != s.RecordsDecoded || len(res.errs) != s.RecordsUndecodable {
		t.Errorf("%s: Next returned %d events and %d record errors, summary says %d and %d", name,
			len(res.events), len(res.errs), s.RecordsDecoded, s.RecordsUndecodable)
	}
	// Every time handed out can be written as RFC 3339 (reports are JSON).
	for _, ev := range res.events {
		if _, err := ev.TimeCreated.MarshalJSON(); err != nil {
			t.Fatalf("%s: record %d: TimeCreated %v: %v", name, ev.RecordID, ev.TimeCreated, err)
		}
	}
	for _, tm := range []time.Time{s.FirstWritten, s.LastWritten} {
		if _, err := tm.MarshalJSON(); err != nil {
			t.Fatalf("%s: summary span %v: %v", name, tm, err)
		}
	}
}

const (
	provBITS = "Microsoft-Windows-Bits-Client"
	provSCM  = "Service Control Manager"
	bitsName = "Background Intelligent Transfer Service"
)

// utf16le encodes ASCII s as UTF-16LE.
func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, s[i], 0)
	}
	return b
}

var bitsKey = utf16le("BITS/")

// benchFilter is the analysis pre-filter used by the tests and benchmarks:
// Bits-Client records, and SCM records naming BITS by service key (7036
// <Binary>) or 7040 param4. It answers true when the Peek cannot decide.
func benchFilter(p *Peek) bool {
	switch p.Provider {
	case "":
		return true
	case provBITS:
		return true
	case provSCM:
	default:
		return false
	}
	if b, ok := p.Binary(); ok && bytes.HasPrefix(b, bitsKey) {
		return true
	}
	if v, ok := p.Data("param4"); ok && v == "BITS" {
		return true
	}
	_, okB := p.Binary()
	_, okD := p.Data("param4")
	return !okB && !okD
}

// benchWanted is benchFilter's decision made on a decoded event.
func benchWanted(e *Event) bool {
	switch e.Provider {
	case provBITS:
		return true
	case provSCM:
		return bytes.HasPrefix(e.Binary, bitsKey) || e.Value("param4") == "BITS"
	}
	return false
}

// aboutBITS is the MANIFEST's definition of an SCM event about BITS.
func aboutBITS(e *Event) bool {
	return e.Provider == provSCM && (benchWanted(e) || e.Value("param1") == bitsName)
}

// wholeChunkEnd is the end of the last whole chunk slot of a file of size n.
func wholeChunkEnd(n int64) int64 {
	return fileHeaderSize + (n-fileHeaderSize)/chunkSize*chunkSize
}

// TestCorpusCounts checks record and event-id counts against the MANIFEST
// for the well-formed corpus (bits, system, large).
func TestCorpusCounts(t *testing.T) {
	for _, m := range loadManifest(t) {
		if m.dir == "malformed" {
			continue
		}
		t.Run(m.dir+"/"+m.file, func(t *testing.T) {
			t.Parallel()
			res := readFile(t, m.path(), Options{})
			checkInvariant(t, m.file, res)
			end := wholeChunkEnd(res.sum.Size)
			whole, partial := 0, 0
			bits, scm, about := map[uint16]int{}, map[uint16]int{}, map[uint16]int{}
			for _, e := range res.events {
				if e.Source.Offset >= end {
					partial++
					continue
				}
				whole++
				switch e.Provider {
				case provBITS:
					bits[e.EventID]++
				case provSCM:
					scm[e.EventID]++
					if aboutBITS(e) {
						about[e.EventID]++
					}
				}
			}
			for _, re := range res.errs {
				if re.Source.Offset < end {
					t.Errorf("undecodable record in a whole chunk: %v", re)
				}
			}
			if whole != m.records {
				t.Errorf("records in whole chunks = %d, MANIFEST says %d", whole, m.records)
			}
			if partial > 0 && !res.sum.Truncated {
				t.Errorf("%d records after the last whole chunk but file not marked truncated", partial)
			}
			if res.sum.RecordsSeen < m.records {
				t.Errorf("seen %d < MANIFEST %d", res.sum.RecordsSeen, m.records)
			}
			compareCounts(t, "Bits-Client event ids", bits, m.bitsIDs)
			if len(m.scmAll) > 0 || len(scm) > 0 {
				compareCounts(t, "SCM event ids", scm, m.scmAll)
				compareCounts(t, "SCM about BITS", about, m.scmAbout)
			}
			t.Logf("%d records (%d in a trailing partial chunk), MANIFEST %d; problems: %d", len(res.events), partial, m.records, len(res.sum.Problems))
		})
	}
}

func compareCounts(t *testing.T, what string, got, want map[uint16]int) {
	t.Helper()
	for id, n := range want {
		if got[id] != n {
			t.Errorf("%s: %d×%d, MANIFEST says %d", what, id, got[id], n)
		}
	}
	for id, n := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("%s: %d×%d not in MANIFEST", what, id, n)
		}
	}
}

// noteKinds maps MANIFEST note phrases to the Problem kinds that must report them.
var noteKinds = []struct{ phrase, kind string }{
	{"dirty flag set", "dirty"},
	{"bad magic", "chunk-magic"},
	{"file header CRC mismatch", "header-crc"},
	{"chunk header CRC mismatch", "chunk-header-crc"},
	{"chunk data CRC mismatch", "chunk-data-crc"},
	{"trailing partial chunk", "truncated"},
	{"stale records in chunk slack", "slack"},
	{"undefined header flag bits", "header-flags"},
	{"header chunk count", "header-chunk-count"},
}

// TestDamageReport checks that every problem a MANIFEST note names is in the
// damage report, for every corpus file.
func TestDamageReport(t *testing.T) {
	for _, m := range loadManifest(t) {
		t.Run(m.dir+"/"+m.file, func(t *testing.T) {
			t.Parallel()
			res := readFile(t, m.path(), Options{})
			for _, nk := range noteKinds {
				if strings.Contains(m.notes, nk.phrase) && !res.sum.HasProblem(nk.kind) {
					t.Errorf("MANIFEST notes %q but no %q problem in %v", nk.phrase, nk.kind, res.sum.Problems)
				}
			}
			if strings.Contains(m.notes, "NO_CRC32") && !res.sum.NoCRC {
				t.Error("NO_CRC32 flag not reported")
			}
		})
	}
}

// TestMalformed reads the malformed corpus: no panic or hang, at least as many
// records as the better of python-evtx and libevtx (except records those
// tools print without a provider or event id, which the reader counts
// undecodable: malformedEmpty), invariant kept.
func TestMalformed(t *testing.T) {
	for _, m := range loadManifest(t) {
		if m.dir != "malformed" {
			continue
		}
		t.Run(m.file, func(t *testing.T) {
			t.Parallel()
			res := readFile(t, m.path(), Options{})
			checkInvariant(t, m.file, res)
			best := max(m.py, m.lib) - malformedEmpty[m.file]
			if len(res.events) < best {
				t.Errorf("decoded %d records, python-evtx/libevtx %d/%d", len(res.events), m.py, m.lib)
			}
			t.Logf("decoded %d, undecodable %d, slack %d; MANIFEST records %d, py-evtx %d, libevtx %d",
				len(res.events), len(res.errs), res.sum.SlackRecords, m.records, m.py, m.lib)
		})
	}
}

// malformedEmpty counts the records of malformed corpus files that decode
// without a System Provider Name or EventID (damaged templates): python-evtx
// prints them as empty events; the reader counts them undecodable.
var malformedEmpty = map[string]int{
	"omerbenamram_evtx_HelloForBusiness_incomplete_sid.evtx": 1,
}

// TestSlackNotLive checks that stale Bits-Client records in chunk slack are
// never returned by default, and come back marked with RecoverSlack.
func TestSlackNotLive(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "malformed", "deepbluecli_*_bits_in_slack.evtx"))
	if len(files) == 0 {
		t.Skip("corpus not available: needs ../shared/evtx-corpus/malformed/deepbluecli_*_bits_in_slack.evtx")
	}
	recovered := 0
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			live := readFile(t, f, Options{})
			for _, e := range live.events {
				if e.Provider == provBITS || e.Recovered {
					t.Fatalf("live read returned a stale record: %+v", e)
				}
			}
			if live.sum.SlackRecords == 0 {
				t.Fatal("no slack records counted")
			}
			rec := readFile(t, f, Options{RecoverSlack: true})
			checkInvariant(t, f, rec)
			bits := 0
			for _, e := range rec.events {
				if e.Provider == provBITS {
					bits++
					if !e.Recovered {
						t.Errorf("record %d from slack not marked Recovered", e.RecordID)
					}
				}
			}
			for _, re := range rec.errs {
				if !re.Recovered {
					t.Errorf("live record undecodable: %v", re)
				}
			}
			// Every stale record is either returned or reported undecodable.
			if got, want := len(rec.events)-len(live.events), live.sum.SlackRecords-len(rec.errs); got != want {
				t.Errorf("recovered %d events, want %d (slack %d minus %d undecodable)", got, want, live.sum.SlackRecords, len(rec.errs))
			}
			recovered += bits
			t.Logf("slack %d: recovered %d (%d Bits-Client), %d undecodable (templates overwritten)",
				live.sum.SlackRecords, len(rec.events)-len(live.events), bits, len(rec.errs))
		})
	}
	if recovered == 0 {
		t.Error("RecoverSlack returned no Bits-Client records from any file")
	}
}

// TestPrefilterMatchesFullDecode checks that the pre-filter path returns the
// same events as decoding everything and filtering afterwards, on every
// corpus file, with and without slack recovery.
func TestPrefilterMatchesFullDecode(t *testing.T) {
	for _, m := range loadManifest(t) {
		t.Run(m.dir+"/"+m.file, func(t *testing.T) {
			t.Parallel()
			for _, slack := range []bool{false, true} {
				full := readFile(t, m.path(), Options{RecoverSlack: slack})
				fast := readFile(t, m.path(), Options{RecoverSlack: slack, Filter: benchFilter})
				checkInvariant(t, "filtered", fast)
				var want []*Event
				for _, e := range full.events {
					if benchWanted(e) {
						want = append(want, e)
					}
				}
				var got []*Event
				for _, e := range fast.events {
					if benchWanted(e) {
						got = append(got, e)
					}
				}
				if len(got) != len(want) {
					t.Fatalf("slack=%v: pre-filter path kept %d wanted events, full decode %d", slack, len(got), len(want))
				}
				for i := range got {
					if !equalEvents(got[i], want[i]) {
						t.Fatalf("slack=%v: event %d differs:\n got %+v\nwant %+v", slack, i, got[i], want[i])
					}
				}
				if fast.sum.RecordsSeen != full.sum.RecordsSeen {
					t.Errorf("slack=%v: seen %d with filter, %d without", slack, fast.sum.RecordsSeen, full.sum.RecordsSeen)
				}
				if !slack && m.dir != "malformed" && fast.sum.RecordsFiltered == 0 && len(want) < len(full.events) {
					t.Error("filter rejected nothing")
				}
			}
		})
	}
}

func equalEvents(a, b *Event) bool {
	if a.Source != b.Source || a.RecordID != b.RecordID || !a.TimeCreated.Equal(b.TimeCreated) ||
		a.Provider != b.Provider || a.EventID != b.EventID || a.Channel != b.Channel ||
		a.Recovered != b.Recovered || !bytes.Equal(a.Binary, b.Binary) || len(a.Data) != len(b.Data) {
		return false
	}
	for i := range a.Data {
		if a.Data[i] != b.Data[i] {
			return false
		}
	}
	return true
}

// TestSharedTemplates checks that sharing compiled templates across chunks
// (by GUID) decodes exactly like compiling them in every chunk.
func TestSharedTemplates(t *testing.T) {
	for _, m := range loadManifest(t) {
		t.Run(m.dir+"/"+m.file, func(t *testing.T) {
			t.Parallel()
			a := readFile(t, m.path(), Options{RecoverSlack: true})
			b := readFile(t, m.path(), Options{RecoverSlack: true, noSharedTemplates: true})
			if len(a.events) != len(b.events) || len(a.errs) != len(b.errs) {
				t.Fatalf("shared: %d events %d errors; per chunk: %d events %d errors", len(a.events), len(a.errs), len(b.events), len(b.errs))
			}
			for i := range a.events {
				if !equalEvents(a.events[i], b.events[i]) || a.events[i].Computer != b.events[i].Computer {
					t.Fatalf("event %d differs:\n%+v\n%+v", i, a.events[i], b.events[i])
				}
			}
		})
	}
}
