package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"bitsdiag/internal/testarchive"
)

// tugixPairDir copies the tugix456 pair into a fresh folder and returns it.
func tugixPairDir(t *testing.T) string {
	t.Helper()
	c := corpus(t)
	dir := filepath.Join(t.TempDir(), "logs")
	copyFile(t, filepath.Join(c, bitsLog), filepath.Join(dir, bitsLog))
	copyFile(t, filepath.Join(c, systemLog), filepath.Join(dir, systemLog))
	return dir
}

// findingsJSON is the report's findings with the input locations removed.
func findingsJSON(t *testing.T, args []string, prefixes ...string) string {
	t.Helper()
	r, _, _ := jsonReport(t, nil, args...)
	if len(r.Findings) == 0 {
		t.Fatalf("%q: no findings", args)
	}
	b, _ := json.Marshal(r.Findings)
	return normalise(string(b), prefixes...)
}

func writeTarGz(t *testing.T, dir, dst string) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, rel := range []string{bitsLog, systemLog} {
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		tw.WriteHeader(&tar.Header{Name: rel, Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg})
		tw.Write(b)
	}
	tw.Close()
	zw.Close()
	if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestArchivesEqualFolder: a tar.gz, a 7z, a zip in a zip and a truncated zip of
// the tugix456 pair give the same findings as the folder.
func TestArchivesEqualFolder(t *testing.T) {
	dir := tugixPairDir(t)
	tmp := t.TempDir()
	want := findingsJSON(t, []string{dir}, dir+string(filepath.Separator))

	tgz := filepath.Join(tmp, "logs.tar.gz")
	writeTarGz(t, dir, tgz)
	if got := findingsJSON(t, []string{tgz}, tgz+"!"); got != want {
		t.Errorf("tar.gz findings differ:\n%s", firstDiff(want, got))
	}

	var names []string
	var data [][]byte
	for _, rel := range []string{bitsLog, systemLog} {
		b, _ := os.ReadFile(filepath.Join(dir, rel))
		names, data = append(names, rel), append(data, b)
	}
	sz := filepath.Join(tmp, "logs.7z")
	os.WriteFile(sz, testarchive.Make7z(names, data), 0o644)
	if got := findingsJSON(t, []string{sz}, sz+"!"); got != want {
		t.Errorf("7z findings differ:\n%s", firstDiff(want, got))
	}

	inner := filepath.Join(tmp, "inner.zip")
	zipDir(t, dir, inner)
	outerDir := filepath.Join(tmp, "outer")
	copyFile(t, inner, filepath.Join(outerDir, "inner.zip"))
	outer := filepath.Join(tmp, "outer.zip")
	zipDir(t, outerDir, outer)
	if got := findingsJSON(t, []string{outer}, outer+"!inner.zip!"); got != want {
		t.Errorf("zip-in-zip findings differ:\n%s", firstDiff(want, got))
	}

	// A half-uploaded zip: both logs whole, a third entry cut, no central directory.
	cutDir := filepath.Join(tmp, "cut")
	copyFile(t, filepath.Join(dir, bitsLog), filepath.Join(cutDir, bitsLog))
	copyFile(t, filepath.Join(dir, systemLog), filepath.Join(cutDir, systemLog))
	noise := make([]byte, 200_000)
	for i := range noise {
		noise[i] = byte(i*7919 ^ i>>3)
	}
	copyFile(t, filepath.Join(dir, systemLog), filepath.Join(cutDir, "zz", "later.evtx"))
	full := filepath.Join(tmp, "full.zip")
	zipDir(t, cutDir, full)
	b, _ := os.ReadFile(full)
	zr, _ := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	var last *zip.File
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "zz/") {
			last = f
		}
	}
	off, _ := last.DataOffset()
	cut := filepath.Join(tmp, "cut.zip")
	os.WriteFile(cut, b[:off+int64(last.CompressedSize64)/2], 0o644)
	r, out, errs := jsonReport(t, nil, cut)
	var fr []byte
	fr, _ = json.Marshal(r.Findings)
	if got := normalise(string(fr), cut+"!"); got != want {
		t.Errorf("truncated zip findings differ:\n%s", firstDiff(want, got))
	}
	if in := inputByPath(r, cut+"!zz/later.evtx"); in == nil || !strings.Contains(in.Skipped, "damaged") {
		t.Errorf("the cut entry is not reported damaged: %+v", in)
	}
	if !strings.Contains(errs, "zz/later.evtx") || !strings.Contains(out, "salvaged from its local headers, 2 whole entries") {
		t.Errorf("stderr %q does not name the cut entry, or the inventory lacks the salvage note", errs)
	}
}

// TestMissingPathCarriesOn: one missing path among valid ones is reported and
// the run goes on; exit 1 only when nothing usable remains.
func TestMissingPathCarriesOn(t *testing.T) {
	dir := tugixPairDir(t)
	missing := filepath.Join(t.TempDir(), "gone.evtx")
	code, out, errs := runCLI(t, nil, "report", "-f", "json", missing, dir)
	if code != exitOK || !strings.Contains(errs, missing) || !strings.Contains(errs, "no such file or directory") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if !strings.Contains(out, `"findings"`) {
		t.Error("no report written")
	}
}

func TestUsageMistakes(t *testing.T) {
	dir := t.TempDir()
	sys := filepath.Join(dir, "System.evtx")
	os.WriteFile(sys, []byte("x"), 0o644)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"two stdin", []string{"report", "-", "-"}, `"-" (standard input) can be given only once`},
		{"two stdin, events", []string{"events", "-", "-"}, `"-" (standard input) can be given only once`},
		{"events flag typo", []string{"events", "--al", "x"}, "did you mean --all?"},
		{"-f FILE", []string{"report", "-f", sys}, "did you mean `bitsdiag report " + sys + "`?"},
		{"command typo", []string{"reprot", "x"}, `did you mean "report"?`},
		{"explain typo", []string{"explian", "1"}, `did you mean "explain"?`},
		{"flag typo", []string{"report", "--ouptut", "r.md", "x"}, "did you mean --output?"},
		{"--verison", []string{"--verison"}, `did you mean "version"?`},
		{"file as command", []string{sys}, "did you mean `bitsdiag report " + sys + "`?"},
		{"-d DIR", []string{"report", "-d", dir}, "give the folder as a PATH"},
		{"two shorthands", []string{"report", "--json", "--csv", "x"}, "give one format"},
		{"shorthand contradicts", []string{"report", "--json", "-f", "pdf", "x"}, "contradicts"},
		{"epoch out of range", []string{"report", "x"}, "SOURCE_DATE_EPOCH"},
		{"completion shell", []string{"completion", "tcsh"}, "unknown shell"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "epoch out of range" {
				t.Setenv("SOURCE_DATE_EPOCH", "99999999999999")
			}
			code, out, errs := runCLI(t, strings.NewReader(""), tt.args...)
			if code != exitUsage || !strings.Contains(errs, tt.want) || out != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit 2 and %q", code, errs, out, tt.want)
			}
		})
	}
}

// TestFamiliarSpellings: --from/--to and --json work like --since/--until and -f json.
func TestFamiliarSpellings(t *testing.T) {
	dir := tugixPairDir(t)
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	_, a, _ := runCLI(t, nil, "report", "-f", "json", "--since", "2020-01-01", "--until", "2030-01-01", dir)
	_, b, errs := runCLI(t, nil, "report", "--json", "--from", "2020-01-01", "--to", "2030-01-01", dir)
	if a == "" || a != b {
		t.Errorf("aliases give a different report (stderr %q)", errs)
	}
}

// TestOutputOntoInput: -o onto an input, an input archive or a file in an
// input folder is refused (exit 2, naming both) and the evidence is intact.
func TestOutputOntoInput(t *testing.T) {
	dir := tugixPairDir(t)
	ev := filepath.Join(dir, bitsLog)
	orig, _ := os.ReadFile(ev)
	link := filepath.Join(t.TempDir(), "link.evtx")
	os.Link(ev, link)
	zp := filepath.Join(t.TempDir(), "logs.zip")
	zipDir(t, dir, zp)
	zorig, _ := os.ReadFile(zp)
	for _, tt := range [][]string{
		{"-f", "md", ev, "-o", ev},
		{"-f", "md", link, "-o", ev}, // a hard link: same inode, other name
		{"-f", "pdf", zp, "-o", zp},
		{"-f", "md", dir, "-o", ev}, // a log inside an input folder
	} {
		code, _, errs := runCLI(t, nil, append([]string{"report"}, tt...)...)
		if code != exitUsage || !strings.Contains(errs, "refusing to overwrite") || !strings.Contains(errs, tt[len(tt)-1]) || !strings.Contains(errs, tt[2]) {
			t.Errorf("%q: exit %d, stderr %q", tt, code, errs)
		}
	}
	if b, _ := os.ReadFile(ev); !bytes.Equal(b, orig) {
		t.Error("the evidence was changed")
	}
	if b, _ := os.ReadFile(zp); !bytes.Equal(b, zorig) {
		t.Error("the input archive was changed")
	}
	// An earlier report in the input folder may be replaced.
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	old := filepath.Join(dir, "report.md")
	os.WriteFile(old, []byte("old report\n"), 0o644)
	if code, _, errs := runCLI(t, nil, "report", dir, "-o", old); code != exitOK {
		t.Errorf("report over an earlier report in the input folder: exit %d, %s", code, errs)
	}
	// /dev/stdout is standard output.
	if code, out, errs := runCLI(t, nil, "report", "-o", "/dev/stdout", "-f", "md", dir); code != exitOK || !strings.Contains(out, "# ") {
		t.Errorf("-o /dev/stdout: exit %d, stderr %q", code, errs)
	}
}

// TestSamplesDamageNamed: the warning on the bundled samples names the damaged files.
func TestSamplesDamageNamed(t *testing.T) {
	code, _, errs := runCLI(t, nil, "report", "-f", "json", filepath.Join("..", "..", "samples"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, w := range []string{"files=3", "damaged/chunk-header-crc.evtx", "damaged/records-crc.evtx", "damaged/truncated.evtx"} {
		if !strings.Contains(errs, w) {
			t.Errorf("warning lacks %q: %s", w, errs)
		}
	}
	names := make([]string, 8)
	for i := range names {
		names[i] = "f" + string(rune('a'+i))
	}
	if got := nameList(names); got != "fa, fb, fc, fd, fe and 3 more" {
		t.Errorf("nameList = %q", got)
	}
}

// TestHostileNamesEscaped: a file name with terminal escapes reaches stderr escaped.
func TestHostileNamesEscaped(t *testing.T) {
	dir := t.TempDir()
	evil := filepath.Join(dir, "x\x1b]0;owned\x07\u202e.evtx")
	if err := os.WriteFile(evil, []byte("not a log"), 0o644); err != nil {
		t.Skip(err)
	}
	for _, cmd := range []string{"report", "events"} {
		_, _, errs := runCLI(t, nil, cmd, dir)
		if strings.ContainsAny(errs, "\x1b\x07\u202e") {
			t.Errorf("%s: raw control characters on stderr: %q", cmd, errs)
		}
		if !strings.Contains(errs, `\x1b]0;owned\x07\u202e.evtx`) {
			t.Errorf("%s: escaped name missing: %q", cmd, errs)
		}
	}
}

// TestHelpWriteError: help > /dev/full exits 1.
func TestHelpWriteError(t *testing.T) {
	f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	for _, args := range [][]string{{"help"}, {"help", "report"}, {"completion", "bash"}} {
		var errb bytes.Buffer
		if code := run(args, nil, f, &errb); code != exitFail {
			t.Errorf("%q > /dev/full: exit %d, want 1", args, code)
		}
	}
}

// TestBashCompletion: the script passes bash -n and completes "re" to "report".
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	code, script, errs := runCLI(t, nil, "completion", "bash")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	p := filepath.Join(t.TempDir(), "bitsdiag.bash")
	os.WriteFile(p, []byte(script), 0o644)
	if out, err := exec.Command(bash, "-n", p).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	probe := `source "$1"; COMP_WORDS=(bitsdiag "$2"); COMP_CWORD=1; _bitsdiag; echo "${COMPREPLY[*]}";` +
		`COMP_WORDS=(bitsdiag report --ou); COMP_CWORD=2; _bitsdiag; echo "${COMPREPLY[*]}"`
	out, err := exec.Command(bash, "-c", probe, "bash", p, "re").CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 || lines[0] != "report" || lines[1] != "--output" {
		t.Errorf("completions = %q, want report and --output", lines)
	}
	for _, sh := range []string{"zsh", "fish"} {
		if code, s, _ := runCLI(t, nil, "completion", sh); code != exitOK || !strings.Contains(s, "--output") || !strings.Contains(s, "explain") {
			t.Errorf("%s completion: exit %d", sh, code)
		}
	}
}

// TestManPageCurrent: the committed bitsdiag.1 is what the flag definitions
// give (run "go generate ./cmd/bitsdiag" after changing a flag), and it renders.
func TestManPageCurrent(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "bitsdiag.1"))
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != manPage() {
		t.Fatal("bitsdiag.1 is out of date: run go generate ./cmd/bitsdiag")
	}
	for _, w := range []string{"--output", "--since", "--recover-slack", "--list", "completion"} {
		if !strings.Contains(string(b), strings.ReplaceAll(w, "-", `\-`)) {
			t.Errorf("manual page lacks %s", w)
		}
	}
	if man, err := exec.LookPath("man"); err == nil {
		out, err := exec.Command(man, "-l", filepath.Join("..", "..", "bitsdiag.1")).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "bitsdiag report") {
			t.Errorf("man -l: %v\n%.300s", err, out)
		}
	}
}

// zeroStream is an endless stream of zeros that counts what was read.
type zeroStream struct{ read int64 }

func (z *zeroStream) Read(b []byte) (int, error) {
	clear(b)
	z.read += int64(len(b))
	return len(b), nil
}

// TestStdinNotCopiedBeforeSniff: "head -c 3G /dev/zero | bitsdiag report -"
// is refused after the first bytes, without a copy.
func TestStdinNotCopiedBeforeSniff(t *testing.T) {
	z := &zeroStream{}
	code, _, errs := runCLI(t, z, "report", "-")
	if code != exitFail || !strings.Contains(errs, "nothing was copied") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if z.read > 1<<20 {
		t.Errorf("read %d bytes of a non-log stream", z.read)
	}
}

// TestFIFOInput: a FIFO (as <(cat X.evtx) gives) is read like stdin.
func TestFIFOInput(t *testing.T) {
	dir := tugixPairDir(t)
	fifo := filepath.Join(t.TempDir(), "bits.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	go func() {
		b, _ := os.ReadFile(filepath.Join(dir, bitsLog))
		if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			w.Write(b)
			w.Close()
		}
	}()
	r, _, _ := jsonReport(t, nil, fifo)
	if in := inputByPath(r, fifo); in == nil || in.Records != 502 {
		t.Errorf("FIFO input: %+v", in)
	}
}
