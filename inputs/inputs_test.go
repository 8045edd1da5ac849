package inputs

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeEVTX returns bytes that carry the EVTX signature; recognition needs no more.
func fakeEVTX(n int, fill byte) []byte {
	b := bytes.Repeat([]byte{fill}, n)
	copy(b, "ElfFile\x00")
	return b
}

// legacyEVT returns the start of a pre-Vista .evt file.
func legacyEVT() []byte {
	return append([]byte{0x30, 0, 0, 0}, []byte("LfLe\x01\x00\x00\x00\x01\x00\x00\x00")...)
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

type zipEntry struct {
	name   string
	data   []byte
	method uint16
}

func makeZip(t *testing.T, entries []zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: e.method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func paths(s *Set) []string {
	var out []string
	for _, f := range s.Files {
		out = append(out, f.Path)
	}
	return out
}

func readAllOpened(t *testing.T, f *File) ([]byte, string) {
	t.Helper()
	o, err := f.Open(context.Background())
	if err != nil {
		t.Fatalf("open %s: %v", f.Path, err)
	}
	defer o.Close()
	b, err := io.ReadAll(io.NewSectionReader(o, 0, o.Size))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := o.SHA256(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return b, sum
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestSniff(t *testing.T) {
	tests := []struct {
		head []byte
		want Kind
	}{
		{[]byte("ElfFile\x00"), EVTX},
		{[]byte("ElfFile"), Other},
		{legacyEVT()[:8], LegacyEVT},
		{[]byte("PK\x03\x04\x14\x00\x00\x00"), Zip},
		{[]byte("PK\x05\x06\x00\x00\x00\x00"), Zip},
		{[]byte("ElfChnk\x00"), Other},
		{nil, Other},
		{[]byte("<?xml ve"), Other},
	}
	for _, tt := range tests {
		if got := Sniff(tt.head); got != tt.want {
			t.Errorf("Sniff(%q) = %v, want %v", tt.head, got, tt.want)
		}
	}
}

func TestChannelFromName(t *testing.T) {
	tests := []struct{ name, want string }{
		{"Logs/Microsoft-Windows-Bits-Client%4Operational.evtx", "Microsoft-Windows-Bits-Client/Operational"},
		{`C:\Windows\System32\winevt\Logs\System.evtx`, "System"},
		{"a.zip!Logs/system.EVTX", "System"},
		{"x/Microsoft-Windows-TaskScheduler%4Maintenance.evtx", "Microsoft-Windows-TaskScheduler/Maintenance"},
		{"tugix456_randaodcxjj_Bits-Client-Operational.evtx", ""},
		{"System.evt", ""},
		{"notes.txt", ""},
	}
	for _, tt := range tests {
		if got := ChannelFromName(tt.name); got != tt.want {
			t.Errorf("ChannelFromName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestCollectDirectory checks recursion, lexical order, recognition by
// content, and the files that are listed or only counted.
func TestCollectDirectory(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "b", "deep", "z.evtx"), fakeEVTX(100, 1))
	writeFile(t, filepath.Join(dir, "b", "renamed.log"), fakeEVTX(100, 2)) // EVTX by content
	writeFile(t, filepath.Join(dir, "a.evtx"), fakeEVTX(100, 3))
	writeFile(t, filepath.Join(dir, "notes.txt"), []byte("hello"))
	writeFile(t, filepath.Join(dir, "empty.bin"), nil)
	writeFile(t, filepath.Join(dir, "fake.evtx"), []byte("this is not an event log"))
	writeFile(t, filepath.Join(dir, "old", "AppEvent.Evt"), legacyEVT())

	s, err := Collect(context.Background(), []string{dir}, nil, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := []string{
		filepath.Join(dir, "a.evtx"),
		filepath.Join(dir, "b", "deep", "z.evtx"),
		filepath.Join(dir, "b", "renamed.log"),
	}
	if got := paths(s); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s.OtherSkipped != 2 {
		t.Errorf("OtherSkipped = %d, want 2 (notes.txt, empty.bin)", s.OtherSkipped)
	}
	if len(s.Rejected) != 2 {
		t.Fatalf("Rejected = %+v, want fake.evtx and AppEvent.Evt", s.Rejected)
	}
	if r := s.Rejected[0]; !strings.HasSuffix(r.Path, "fake.evtx") || !strings.Contains(r.Reason, "not EVTX") {
		t.Errorf("Rejected[0] = %+v", r)
	}
	if r := s.Rejected[1]; !strings.HasSuffix(r.Path, "AppEvent.Evt") || !strings.Contains(r.Reason, "legacy .evt format") || !strings.Contains(r.Reason, "not supported") {
		t.Errorf("Rejected[1] = %+v", r)
	}
	b, sum := readAllOpened(t, s.Files[0])
	if !bytes.Equal(b, fakeEVTX(100, 3)) || sum != sha(b) {
		t.Errorf("a.evtx read back wrong")
	}
}

func TestCollectNonexistent(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no-such.evtx")
	_, err := Collect(context.Background(), []string{dir, missing}, nil, DefaultLimits())
	if err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("err = %v, want a message naming %s", err, missing)
	}
}

// TestCollectZip reads logs from nested folders of an archive, stored and
// compressed, and lists a non-EVTX file named .evtx.
func TestCollectZip(t *testing.T) {
	dir := t.TempDir()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	big := fakeEVTX(300_000, 7)
	zipPath := filepath.Join(dir, "logs.zip")
	writeFile(t, zipPath, makeZip(t, []zipEntry{
		{"Logs/Sub/System.evtx", big, zip.Deflate},
		{"Logs/Microsoft-Windows-Bits-Client%4Operational.evtx", fakeEVTX(5000, 8), zip.Store},
		{"Logs/", nil, zip.Store},
		{"Logs/readme.txt", []byte("collected by script"), zip.Deflate},
		{"Logs/broken.evtx", []byte("<html>404</html>"), zip.Deflate},
		{"Logs/inner.zip", makeZip(t, []zipEntry{{"x.evtx", fakeEVTX(10, 0), zip.Store}}), zip.Store},
	}))
	for _, memCopy := range []int64{64 << 20, 1000} { // memory copy, temporary-file copy
		lim := DefaultLimits()
		lim.MemCopy = memCopy
		s, err := Collect(context.Background(), []string{zipPath}, nil, lim)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			zipPath + "!Logs/Microsoft-Windows-Bits-Client%4Operational.evtx",
			zipPath + "!Logs/Sub/System.evtx",
		}
		if got := paths(s); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("files = %q, want %q", got, want)
		}
		if s.OtherSkipped != 1 || s.Archives != 1 {
			t.Errorf("OtherSkipped = %d, Archives = %d; want 1, 1", s.OtherSkipped, s.Archives)
		}
		var reasons []string
		for _, r := range s.Rejected {
			reasons = append(reasons, r.Path+": "+r.Reason)
		}
		if len(s.Rejected) != 2 || !strings.Contains(reasons[0], "broken.evtx: named like an event log but not EVTX") ||
			!strings.Contains(reasons[1], "inner.zip: archive inside an archive") {
			t.Errorf("rejected = %q", reasons)
		}
		b, sum := readAllOpened(t, s.Files[1])
		if !bytes.Equal(b, big) || sum != sha(big) || s.Files[1].Size != int64(len(big)) {
			t.Errorf("compressed entry read back wrong (memCopy %d)", memCopy)
		}
		b, sum = readAllOpened(t, s.Files[0])
		if !bytes.Equal(b, fakeEVTX(5000, 8)) || sum != sha(b) {
			t.Errorf("stored entry read back wrong")
		}
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("temporary copies left behind: %v", left)
	}
}

// TestZipBomb: logs whose uncompressed size is over the limits are listed as
// possible zip bombs without being inflated; the rest of the archive is read.
func TestZipBomb(t *testing.T) {
	dir := t.TempDir()
	bomb := fakeEVTX(20<<20, 0) // 20 MiB of zeros deflates to ~20 KiB
	data := makeZip(t, []zipEntry{
		{"a-bomb.evtx", bomb, zip.Deflate},
		{"b-ok.evtx", fakeEVTX(600<<10, 0), zip.Deflate},
		{"c-over-total.evtx", fakeEVTX(600<<10, 0), zip.Deflate},
		{"d-zeros.bin", make([]byte, 20<<20), zip.Deflate},
	})
	if len(data) > 200<<10 {
		t.Fatalf("test zip is %d bytes; expected a highly compressed bomb", len(data))
	}
	zipPath := filepath.Join(dir, "bomb.zip")
	writeFile(t, zipPath, data)
	lim := Limits{MaxEntries: 100, MaxEntrySize: 1 << 20, MaxTotal: 1 << 20, MemCopy: 1 << 20}
	s, err := Collect(context.Background(), []string{zipPath}, nil, lim)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := paths(s); len(got) != 1 || !strings.HasSuffix(got[0], "!b-ok.evtx") {
		t.Errorf("files = %q, want only b-ok.evtx", got)
	}
	if len(s.Rejected) != 2 {
		t.Fatalf("rejected = %+v", s.Rejected)
	}
	if r := s.Rejected[0]; !strings.HasSuffix(r.Path, "!a-bomb.evtx") || !strings.Contains(r.Reason, "possible zip bomb") || r.Size != int64(len(bomb)) {
		t.Errorf("bomb: %+v", r)
	}
	if r := s.Rejected[1]; !strings.HasSuffix(r.Path, "!c-over-total.evtx") || !strings.Contains(r.Reason, "possible zip bomb") {
		t.Errorf("over total: %+v", r)
	}
	if s.OtherSkipped != 1 {
		t.Errorf("OtherSkipped = %d, want 1", s.OtherSkipped)
	}
}

// TestZipLyingHeader: an entry that claims a huge size is refused by the
// default limits; one that holds more than it claims never yields more than
// it claims, and the damage is reported.
func TestZipLyingHeader(t *testing.T) {
	content := fakeEVTX(1<<20, 0)
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	fw.Write(content)
	fw.Close()
	build := func(claim uint64) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "x.evtx", Method: zip.Deflate,
			CRC32: crc32.ChecksumIEEE(content), CompressedSize64: uint64(comp.Len()), UncompressedSize64: claim})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp.Bytes())
		zw.Close()
		return buf.Bytes()
	}
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge.zip")
	writeFile(t, huge, build(1<<40))
	s, err := Collect(context.Background(), []string{huge}, nil, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Files) != 0 || len(s.Rejected) != 1 || !strings.Contains(s.Rejected[0].Reason, "possible zip bomb") {
		t.Errorf("files %q, rejected %+v", paths(s), s.Rejected)
	}
	s.Close()

	small := filepath.Join(dir, "small.zip")
	writeFile(t, small, build(4096))
	s, err = Collect(context.Background(), []string{small}, nil, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(s.Files) != 1 {
		t.Fatalf("files %q, rejected %+v", paths(s), s.Rejected)
	}
	o, err := s.Files[0].Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if o.Size > 4097 || o.Problem == "" {
		t.Errorf("size %d, problem %q: want at most the claimed size and a damage note", o.Size, o.Problem)
	}
}

func TestZipEntryLimit(t *testing.T) {
	var entries []zipEntry
	for _, n := range []string{"1.evtx", "2.evtx", "3.evtx", "4.evtx"} {
		entries = append(entries, zipEntry{n, fakeEVTX(20, 0), zip.Store})
	}
	p := filepath.Join(t.TempDir(), "many.zip")
	writeFile(t, p, makeZip(t, entries))
	lim := DefaultLimits()
	lim.MaxEntries = 2
	s, err := Collect(context.Background(), []string{p}, nil, lim)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(s.Files) != 2 || len(s.Rejected) != 1 || !strings.Contains(s.Rejected[0].Reason, "only the first 2") {
		t.Errorf("files %q, rejected %+v", paths(s), s.Rejected)
	}
}

func TestCollectStdin(t *testing.T) {
	evtx := fakeEVTX(3000, 5)
	for _, memCopy := range []int64{1 << 20, 100} {
		lim := DefaultLimits()
		lim.MemCopy = memCopy
		s, err := Collect(context.Background(), []string{"-"}, bytes.NewReader(evtx), lim)
		if err != nil {
			t.Fatal(err)
		}
		if got := paths(s); len(got) != 1 || got[0] != StdinName {
			t.Fatalf("files = %q", got)
		}
		b, sum := readAllOpened(t, s.Files[0])
		if !bytes.Equal(b, evtx) || sum != sha(evtx) {
			t.Errorf("stdin read back wrong (memCopy %d)", memCopy)
		}
		s.Close()
	}

	// A zip on stdin is read like a zip file.
	z := makeZip(t, []zipEntry{{"Logs/System.evtx", evtx, zip.Deflate}})
	s, err := Collect(context.Background(), []string{"-"}, bytes.NewReader(z), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if got := paths(s); len(got) != 1 || got[0] != "stdin!Logs/System.evtx" {
		t.Errorf("files = %q", got)
	}
	s.Close()

	// Anything else is named, not silently dropped.
	s, err = Collect(context.Background(), []string{"-"}, strings.NewReader("hello"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Files) != 0 || len(s.Rejected) != 1 || s.Rejected[0].Path != StdinName {
		t.Errorf("files %q, rejected %+v", paths(s), s.Rejected)
	}
	s.Close()

	if _, err := Collect(context.Background(), []string{"-", "-"}, strings.NewReader(""), DefaultLimits()); err == nil {
		t.Error("two - accepted")
	}
}

func TestCollectMixAndDuplicates(t *testing.T) {
	dir := t.TempDir()
	one := filepath.Join(dir, "one.evtx")
	writeFile(t, one, fakeEVTX(64, 1))
	zp := filepath.Join(dir, "sub", "two.zip")
	writeFile(t, zp, makeZip(t, []zipEntry{{"two.evtx", fakeEVTX(64, 2), zip.Deflate}}))
	s, err := Collect(context.Background(), []string{one, filepath.Join(dir, "sub"), one, "-"}, bytes.NewReader(fakeEVTX(64, 3)), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := []string{one, zp + "!two.evtx", StdinName}
	if got := paths(s); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("files = %q, want %q", got, want)
	}
}

func TestDamagedZip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "cut.zip")
	z := makeZip(t, []zipEntry{{"a.evtx", fakeEVTX(100, 1), zip.Deflate}})
	writeFile(t, p, z[:len(z)-10]) // central directory cut
	s, err := Collect(context.Background(), []string{p}, nil, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(s.Rejected) != 1 || !strings.Contains(s.Rejected[0].Reason, "not a readable zip archive") {
		t.Errorf("rejected %+v", s.Rejected)
	}
}
