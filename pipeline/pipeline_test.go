package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"bitsdiag/analyze"
	"bitsdiag/inputs"
	"bitsdiag/parse"
	"bitsdiag/samples/crafted"
)

// hostileLog writes n records of 200 fields showing one 5,000-character
// string (crafted.FieldBomb): about 10 KB on disk, 1 MB decoded, per record.
func hostileLog(t *testing.T, n int) string {
	return craftedLog(t, "hostile.evtx", func(f *os.File) error { return crafted.FieldBomb(f, n) })
}

// craftedLog writes a crafted log into a temporary file.
func craftedLog(t *testing.T, name string, write func(*os.File) error) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := write(f); err != nil {
		t.Fatal(err)
	}
	return p
}

func collect(t *testing.T, paths ...string) *inputs.Set {
	t.Helper()
	set, err := inputs.Collect(context.Background(), paths, nil, inputs.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { set.Close() })
	return set
}

func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestRetainedPerEvent: the analysis keeps facts, not events. Each decoded
// record here is about 1 MB of text; what the analysis retains per record
// must stay a small constant (fields it does not read are dropped, the ones
// it reads are capped at 4 KiB and shared).
func TestRetainedPerEvent(t *testing.T) {
	set := collect(t, hostileLog(t, 600))
	a := analyze.New(analyze.Options{})
	var decoded atomic.Int64
	before := heap()
	files := Run(context.Background(), set.Files, Options{Jobs: 1}, func(_ int, e *parse.Event) error {
		decoded.Add(1)
		a.AddEvent(e)
		return nil
	})
	retained := int64(heap()) - int64(before)
	n := decoded.Load()
	if n < 50 {
		t.Fatalf("only %d records decoded (%+v)", n, files[0].Input)
	}
	per := retained / n
	t.Logf("%d records decoded, %d undecodable; %d bytes retained, %d per record", n, files[0].Input.RecordsUndecoded, retained, per)
	if per > 2<<10 {
		t.Errorf("%d bytes retained per record (a decoded record is ~1 MB); want at most 2 KiB", per)
	}
	res, err := a.ResultContext(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Jobs) != 0 || res.Window.Start.IsZero() {
		t.Errorf("jobs %d, window %v", len(res.Jobs), res.Window)
	}
	runtime.KeepAlive(a)
}

// TestCancelledAnalysis: a cancelled context stops the analysis with the
// context's error; nothing is returned as if complete.
func TestCancelledAnalysis(t *testing.T) {
	set := collect(t, "../samples/case-contoso")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if an, err := Analyse(ctx, set, Options{}, analyze.Options{}); err != context.Canceled || an != nil {
		t.Errorf("Analyse after cancel: %v, %v", an, err)
	}
	a := analyze.New(analyze.Options{})
	Run(context.Background(), set.Files, Options{}, func(_ int, e *parse.Event) error { a.AddEvent(e); return nil })
	if r, err := a.ResultContext(ctx); err != context.Canceled || r != nil {
		t.Errorf("ResultContext after cancel: %v", err)
	}
	if r, err := a.ResultContext(context.Background()); err != nil || len(r.Findings) == 0 {
		t.Errorf("ResultContext: %v, %d findings", err, len(r.Findings))
	}
}

// TestChannelChoice: channels are chosen by the sources' declarations, not
// by a substring test; a source that declares a channel keeps its logs.
func TestChannelChoice(t *testing.T) {
	def := analyze.Select(nil)
	for ch, want := range map[string]bool{
		"System": true, "system": true, "": true, "ForwardedEvents": true,
		"Microsoft-Windows-Bits-Client/Operational": true, "Microsoft-Windows-Bits-Client/Analytic": true,
		"Security": false, "Application": false, "Microsoft-Windows-Sysmon/Operational": false,
		"Microsoft-Windows-WindowsUpdateClient/Operational": true, "Microsoft-Windows-DeliveryOptimization/Operational": true,
	} {
		if got := def.KeepChannel(ch); got != want {
			t.Errorf("KeepChannel(%q) = %v, want %v", ch, got, want)
		}
	}
	const a = "Microsoft-Windows-Kernel-Power/Thermal-Operational"
	const b = "Microsoft-Windows-Dhcp-Client/Admin"
	if def.KeepChannel(a) {
		t.Errorf("%s kept without a source for it", a)
	}
	sel := analyze.Select(append(analyze.DefaultSources(), chanSource{a, b}))
	if !sel.KeepChannel(a) || !sel.KeepChannel(b) || !sel.KeepChannel("System") {
		t.Error("a source's declared channels are skipped")
	}
}

// chanSource is a source that only declares channels.
type chanSource []string

func (chanSource) Name() string               { return "test-channels" }
func (chanSource) Providers() []string        { return []string{"Test-Provider"} }
func (c chanSource) Channels() []string       { return c }
func (chanSource) Relevant(parse.Fields) bool { return false }
func (chanSource) Fields() []string           { return nil }
func (chanSource) Events() []uint16           { return nil }

// smallLog writes n distinct minimal Bits-Client records (event 3, one
// time substitution): about 60 bytes each on disk, the most relevant
// records a file can hold per byte.
func smallLog(t *testing.T, n int) string {
	return craftedLog(t, "small.evtx", func(f *os.File) error { return crafted.Minimal(f, n) })
}

// TestRetainedPerSmallRecord measures what the analysis keeps per distinct
// relevant record when records are as small as they can be (the README's
// memory bound is derived from it).
func TestRetainedPerSmallRecord(t *testing.T) {
	const n = 40000
	p := smallLog(t, n)
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	set := collect(t, p)
	a := analyze.New(analyze.Options{})
	before := heap()
	got := 0
	Run(context.Background(), set.Files, Options{Jobs: 1}, func(_ int, e *parse.Event) error {
		got++
		a.AddEvent(e)
		return nil
	})
	retained := int64(heap()) - int64(before)
	if got != n {
		t.Fatalf("%d records analysed, want %d", got, n)
	}
	t.Logf("%d records in %d bytes (%d per record); %d bytes retained, %d per record", n, st.Size(), st.Size()/n, retained, retained/n)
	if per := retained / n; per > 512 {
		t.Errorf("%d bytes retained per minimal record; want at most 512 (the README's memory bound: 120,000 of them within 256 MB)", per)
	}
	runtime.KeepAlive(a)
}

// TestNoChecksum: a file's SHA-256 is in its Input unless NoChecksum
// (bitsdiag events) says not to read the file a second time for it.
func TestNoChecksum(t *testing.T) {
	set := collect(t, hostileLog(t, 3))
	for _, tc := range []struct {
		no   bool
		want int // length of Input.SHA256
	}{{false, 64}, {true, 0}} {
		files := Run(context.Background(), set.Files, Options{All: true, NoChecksum: tc.no}, func(int, *parse.Event) error { return nil })
		if got := len(files[0].Input.SHA256); got != tc.want || !files[0].Usable {
			t.Errorf("NoChecksum %v: SHA256 %q (usable %v), want %d hex digits", tc.no, files[0].Input.SHA256, files[0].Usable, tc.want)
		}
	}
}

// TestAnalysisRecycles: the analysis keeps only copies of what it reads, so
// the reader may reuse the events' memory (Analyse does): the samples, and
// the corpus when present, give the same findings, jobs and coverage either
// way.
func TestAnalysisRecycles(t *testing.T) {
	paths := []string{"../samples"}
	if _, err := os.Stat("../../shared/evtx-corpus"); err == nil {
		paths = append(paths, "../../shared/evtx-corpus")
	}
	for _, p := range paths {
		set := collect(t, p)
		var results [2]*analyze.Result
		for k, recycle := range []bool{false, true} {
			a := analyze.New(analyze.Options{Now: time.Unix(0, 0).UTC()})
			files := Run(context.Background(), set.Files, Options{Selection: analyze.Select(nil), Recycle: recycle}, func(_ int, e *parse.Event) error {
				a.AddEvent(e)
				return nil
			})
			for _, f := range files {
				a.AddInput(f.Input)
			}
			r, err := a.ResultContext(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			results[k] = r
		}
		plain, recycled := results[0], results[1]
		if len(plain.Findings) == 0 || len(plain.Jobs) == 0 {
			t.Fatalf("%s: %d findings, %d jobs", p, len(plain.Findings), len(plain.Jobs))
		}
		for name, v := range map[string][2]any{
			"findings": {plain.Findings, recycled.Findings}, "jobs": {plain.Jobs, recycled.Jobs},
			"coverage": {plain.Coverage, recycled.Coverage}, "verdict": {plain.Verdict, recycled.Verdict},
		} {
			if mustJSON(t, v[0]) != mustJSON(t, v[1]) {
				t.Errorf("%s: %s differ when the reader recycles events", p, name)
			}
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFilesDoNotPinReaders: what Run returns per file is small. A File
// holding the reader's own summary kept every reader, with its chunk buffers
// and recycled events, alive to the end of the run: 180 KB per small log,
// 360 MB for a fleet collection of 2,000.
func TestFilesDoNotPinReaders(t *testing.T) {
	src, err := os.ReadFile("../samples/job-http-404/Bits-Client-Operational.evtx")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	const n = 300
	for i := range n {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%03d.evtx", i)), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	set := collect(t, dir)
	before := heap()
	files := Run(context.Background(), set.Files, Options{Selection: analyze.Select(nil), Recycle: true}, func(int, *parse.Event) error { return nil })
	per := (int64(heap()) - int64(before)) / n
	if len(files) != n || files[n-1].Summary == nil || files[n-1].Summary.RecordsDecoded == 0 {
		t.Fatalf("%d files, last summary %+v", len(files), files[n-1].Summary)
	}
	t.Logf("%d bytes retained per file read", per)
	if per > 4<<10 {
		t.Errorf("%d bytes retained per file read; want at most 4 KiB", per)
	}
	runtime.KeepAlive(files)
}
