package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"log"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"bitsdiag/analyze"
)

const (
	bitsLog   = "bits/tugix456_randaodcxjj_Bits-Client-Operational.evtx" // 502 records, sha256 aac6e9757311...
	systemLog = "system/tugix456_randaodcxjj_System.evtx"                // 299 records
)

// jsonReport runs "report -f json" and decodes the result.
func jsonReport(t *testing.T, stdin io.Reader, args ...string) (*analyze.Result, string, string) {
	t.Helper()
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	code, out, errs := runCLI(t, stdin, append([]string{"report", "-f", "json"}, args...)...)
	if code != exitOK {
		t.Fatalf("report %q: exit %d\n%s", args, code, errs)
	}
	var r analyze.Result
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("report is not JSON: %v", err)
	}
	return &r, out, errs
}

func inputByPath(r *analyze.Result, path string) *analyze.Input {
	for i := range r.Inputs {
		if r.Inputs[i].Path == path {
			return &r.Inputs[i]
		}
	}
	return nil
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Dir(dst), 0o755)
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// zipDir archives every file under dir, named by its path relative to dir.
func zipDir(t *testing.T, dir, dst string) {
	t.Helper()
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: filepath.ToSlash(rel), Method: zip.Deflate})
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestDirectoryRecursion: logs at any depth are found by content, in a
// stable order, with their size, checksum and record counts.
func TestDirectoryRecursion(t *testing.T) {
	c := corpus(t)
	dir := t.TempDir()
	copyFile(t, filepath.Join(c, bitsLog), filepath.Join(dir, "case", "host1", "Logs", "Microsoft-Windows-Bits-Client%4Operational.evtx"))
	copyFile(t, filepath.Join(c, systemLog), filepath.Join(dir, "case", "host1", "Logs", "deeper", "still", "sys.bin"))
	os.WriteFile(filepath.Join(dir, "case", "notes.txt"), []byte("customer says downloads hang"), 0o644)

	r, _, _ := jsonReport(t, nil, dir)
	if len(r.Inputs) != 2 {
		t.Fatalf("inputs = %d, want 2", len(r.Inputs))
	}
	bits := inputByPath(r, filepath.Join(dir, "case", "host1", "Logs", "Microsoft-Windows-Bits-Client%4Operational.evtx"))
	sys := inputByPath(r, filepath.Join(dir, "case", "host1", "Logs", "deeper", "still", "sys.bin"))
	if bits == nil || sys == nil {
		t.Fatalf("inputs = %+v", r.Inputs)
	}
	if bits.Records != 502 || !strings.HasPrefix(bits.SHA256, "aac6e9757311") || bits.Size != 1052672 {
		t.Errorf("Bits-Client log: records %d, sha256 %s, size %d", bits.Records, bits.SHA256, bits.Size)
	}
	if sys.Records != 299 || !strings.HasPrefix(sys.SHA256, "91f7e81d41b8") {
		t.Errorf("System log: records %d, sha256 %s", sys.Records, sys.SHA256)
	}
}

// TestStdin reads one log from standard input.
func TestStdin(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(corpus(t), bitsLog))
	if err != nil {
		t.Fatal(err)
	}
	r, _, _ := jsonReport(t, bytes.NewReader(b), "-")
	if len(r.Inputs) != 1 || r.Inputs[0].Path != "stdin" || r.Inputs[0].Records != 502 || !strings.HasPrefix(r.Inputs[0].SHA256, "aac6e9757311") {
		t.Errorf("inputs = %+v", r.Inputs)
	}
}

// bombEntry adds an entry whose header claims 1 TiB: it must be refused
// before anything is inflated.
func bombEntry(t *testing.T, zw *zip.Writer, name string) {
	content := append([]byte("ElfFile\x00"), make([]byte, 1<<20)...)
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	fw.Write(content)
	fw.Close()
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(content),
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: 1 << 40})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
}

// TestZipInput: a zip with a real log in a nested folder, a non-EVTX file
// named .evtx and a zip bomb. The log is analysed, the other two are listed
// in the inventory and named on stderr; --strict turns them into exit 1.
func TestZipInput(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(corpus(t), bitsLog))
	if err != nil {
		t.Fatal(err)
	}
	zp := filepath.Join(t.TempDir(), "upload.zip")
	f, _ := os.Create(zp)
	zw := zip.NewWriter(f)
	w, _ := zw.Create("C/Windows/System32/winevt/Logs/Microsoft-Windows-Bits-Client%4Operational.evtx")
	w.Write(src)
	w, _ = zw.Create("C/Windows/System32/winevt/Logs/Setup.evtx")
	w.Write([]byte("Event log could not be exported: access denied"))
	bombEntry(t, zw, "C/bomb.evtx")
	w, _ = zw.Create("collect.ps1")
	w.Write([]byte("wevtutil epl System System.evtx"))
	zw.Close()
	f.Close()

	r, _, errs := jsonReport(t, nil, zp)
	good := inputByPath(r, zp+"!C/Windows/System32/winevt/Logs/Microsoft-Windows-Bits-Client%4Operational.evtx")
	if good == nil || good.Records != 502 || !strings.HasPrefix(good.SHA256, "aac6e9757311") || good.Skipped != "" {
		t.Errorf("log in zip: %+v", good)
	}
	fake := inputByPath(r, zp+"!C/Windows/System32/winevt/Logs/Setup.evtx")
	if fake == nil || !strings.Contains(fake.Skipped, "not EVTX") {
		t.Errorf("non-EVTX .evtx: %+v", fake)
	}
	bomb := inputByPath(r, zp+"!C/bomb.evtx")
	if bomb == nil || !strings.Contains(bomb.Skipped, "possible zip bomb") {
		t.Errorf("zip bomb: %+v", bomb)
	}
	if len(r.Inputs) != 3 {
		t.Errorf("inputs = %d, want 3 (collect.ps1 is only counted)", len(r.Inputs))
	}
	for _, w := range []string{"Setup.evtx", "not EVTX", "bomb.evtx", "possible zip bomb"} {
		if !strings.Contains(errs, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errs)
		}
	}

	out := filepath.Join(t.TempDir(), "r.json")
	code, _, errs := runCLI(t, nil, "report", "--strict", "-o", out, zp)
	if code != exitFail || !strings.Contains(errs, "--strict") {
		t.Errorf("--strict: exit %d, %q", code, errs)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("--strict should still write the report: %v", err)
	}
}

// normalise removes the location of the inputs from a JSON report, so a
// report on a folder and one on a zip of it can be compared.
func normalise(s string, prefixes ...string) string {
	for _, p := range prefixes {
		s = strings.ReplaceAll(s, p, "")
	}
	return s
}

// TestZipEqualsFolder: the report on a zip of the corpus equals the report on
// the corpus folder, apart from the paths.
func TestZipEqualsFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the whole corpus twice")
	}
	c := corpus(t)
	zp := filepath.Join(t.TempDir(), "evtx-corpus.zip")
	zipDir(t, c, zp)

	_, fromDir, _ := jsonReport(t, nil, c)
	_, fromZip, _ := jsonReport(t, nil, zp)
	a := normalise(fromDir, c+string(filepath.Separator))
	b := normalise(fromZip, zp+"!")
	if a != b {
		t.Errorf("zip and folder reports differ:\n%s", firstDiff(a, b))
	}
	var r analyze.Result
	json.Unmarshal([]byte(fromZip), &r)
	if len(r.Inputs) < 39 {
		t.Errorf("zip report lists %d inputs, want the corpus' 39 logs", len(r.Inputs))
	}
}

// TestParallelEqualsSerial: reading files in parallel gives the same bytes
// as reading them one at a time.
func TestParallelEqualsSerial(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the whole corpus twice")
	}
	c := corpus(t)
	_, serial, _ := jsonReport(t, nil, "--jobs", "1", c)
	_, parallel, _ := jsonReport(t, nil, "--jobs", "8", c)
	if serial != parallel {
		t.Errorf("parallel and serial reports differ:\n%s", firstDiff(serial, parallel))
	}
}

// firstDiff shows where two texts start to differ.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(la), len(lb))
}

// TestPrefilterSameReport: the report with the reader's pre-filter equals the
// report that decodes every record (--no-prefilter), on the whole corpus and
// the samples. Only the reader's own accounting may differ: how many records
// it skipped unread, and records it could not decode that the pre-filter
// never tried because they are not about BITS.
func TestPrefilterSameReport(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the whole corpus twice")
	}
	for _, dir := range []string{corpus(t), "../../samples"} {
		fast, _, _ := jsonReport(t, nil, dir)
		full, _, _ := jsonReport(t, nil, "--no-prefilter", dir)
		filtered := 0
		for _, r := range []*analyze.Result{fast, full} {
			for i := range r.Inputs {
				in := &r.Inputs[i]
				filtered += in.RecordsFiltered
				in.RecordsFiltered, in.RecordsUndecoded = 0, 0
				kept := in.Damage[:0]
				for _, d := range in.Damage {
					if d.Kind != "record" {
						kept = append(kept, d)
					}
				}
				in.Damage = kept
			}
		}
		if filtered == 0 {
			t.Errorf("%s: the pre-filter skipped no record: the test compares nothing", dir)
		}
		a, _ := json.MarshalIndent(fast, "", " ")
		b, _ := json.MarshalIndent(full, "", " ")
		if string(a) != string(b) {
			t.Errorf("%s: reports differ with and without the pre-filter:\n%s", dir, firstDiff(string(a), string(b)))
		}
	}
}

// TestCorpusReportInventory: a report over the whole corpus (many files, some
// damaged) completes, lists every file in the inventory, and names the damage
// the MANIFEST's notes give for each file it analysed. (Logs of channels that
// hold no BITS events are read up to their first chunk only, and say so.)
func TestCorpusReportInventory(t *testing.T) {
	root := corpus(t)
	manifest, err := os.ReadFile(filepath.Join(root, "MANIFEST.md"))
	if err != nil {
		t.Skip(err)
	}
	r, _, _ := jsonReport(t, nil, root)
	byName := map[string]*analyze.Input{}
	for i := range r.Inputs {
		byName[filepath.Base(r.Inputs[i].Path)] = &r.Inputs[i]
	}
	notesKinds := []struct{ note, kind string }{
		{"dirty flag set", "dirty"},
		{"trailing partial chunk", "truncated"},
		{"chunk data CRC mismatch", "chunk-data-crc"},
		{"stale records in chunk slack", "slack"},
	}
	row := regexp.MustCompile("(?m)^\\| `([^`]+\\.evtx)` \\|.*\\| ([^|]*) \\|$")
	files := 0
	for _, m := range row.FindAllStringSubmatch(string(manifest), -1) {
		name, notes := m[1], m[2]
		files++
		in := byName[name]
		if in == nil {
			t.Errorf("%s: not in the inventory", name)
			continue
		}
		if in.Skipped != "" {
			if !strings.Contains(in.Skipped, "first chunk") {
				t.Errorf("%s: skipped without saying how much was read: %q", name, in.Skipped)
			}
			continue
		}
		kinds := map[string]bool{}
		for _, d := range in.Damage {
			kinds[string(d.Kind)] = true
		}
		for _, nk := range notesKinds {
			if strings.Contains(notes, nk.note) && !kinds[nk.kind] {
				t.Errorf("%s: notes say %q, damage lacks %q (has %v)", name, nk.note, nk.kind, kinds)
			}
		}
	}
	if files < 39 {
		t.Errorf("MANIFEST rows found: %d, want 39", files)
	}
	code, md, errs := runCLI(t, nil, "report", "-q", root)
	if code != exitOK {
		t.Fatalf("markdown report: exit %d: %s", code, errs)
	}
	for name := range byName {
		if !strings.Contains(md, strings.ReplaceAll(name, "_", "\\_")) && !strings.Contains(md, name) {
			t.Errorf("Markdown inventory does not name %s", name)
		}
	}
}

// TestReportOnDamagedLogs runs the whole pipeline (reader, analysis, all
// three renderers) on sample logs with bytes flipped at random: a damaged
// input must give a report (exit 0, or 1 only when nothing was readable),
// never a crash or a render error.
func TestReportOnDamagedLogs(t *testing.T) {
	srcs := []string{
		"../../samples/case-contoso/WS-0142-Bits-Client-Operational.evtx",
		"../../samples/case-contoso/WS-0187-System.evtx",
	}
	rng := rand.New(rand.NewSource(7))
	dir := t.TempDir()
	// golang-evtx writes stack traces through the standard logger on damaged
	// BinXML: run must keep them off the terminal.
	var libLog bytes.Buffer
	log.SetOutput(&libLog)
	defer func() {
		if libLog.Len() > 0 {
			t.Errorf("the EVTX library's logging leaked: %.200s", libLog.String())
		}
	}()
	for i := 0; i < 24; i++ {
		data, err := os.ReadFile(srcs[i%len(srcs)])
		if err != nil {
			t.Fatal(err)
		}
		flips := 1 + rng.Intn(50)
		if i%3 == 0 {
			flips = 500 + rng.Intn(3000)
		}
		for j := 0; j < flips; j++ {
			data[4096+rng.Intn(len(data)-4096)] ^= byte(1 + rng.Intn(255))
		}
		path := filepath.Join(dir, fmt.Sprintf("damaged-%02d.evtx", i))
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		formats := []string{"json", "md"}
		if i%6 == 0 {
			formats = append(formats, "pdf")
		}
		for _, f := range formats {
			out := filepath.Join(dir, fmt.Sprintf("r%02d.%s", i, f))
			code, _, errs := runCLI(t, nil, "report", "-q", "-o", out, path)
			if code != exitOK {
				t.Errorf("%s (%d flips) as %s: exit %d: %s", path, flips, f, code, errs)
				continue
			}
			if st, err := os.Stat(out); err != nil || st.Size() == 0 {
				t.Errorf("%s: no %s report written", path, f)
			}
		}
	}
}
