package inputs

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
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
	one := filepath.Join(dir, "one.evtx")
	writeFile(t, one, fakeEVTX(64, 1))
	missing := filepath.Join(dir, "no-such.evtx")
	s, err := Collect(context.Background(), []string{missing, one}, nil, DefaultLimits())
	if err != nil {
		t.Fatalf("a missing path stops the run: %v", err)
	}
	defer s.Close()
	if got := paths(s); len(got) != 1 || got[0] != one {
		t.Errorf("files = %q, want the one that exists", got)
	}
	if len(s.Rejected) != 1 || s.Rejected[0].Path != missing || !s.Rejected[0].Missing() {
		t.Errorf("rejected = %+v, want %s as missing", s.Rejected, missing)
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
			zipPath + "!Logs/inner.zip!x.evtx", // one level deep is read
		}
		if got := paths(s); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("files = %q, want %q", got, want)
		}
		if s.OtherSkipped != 1 || s.Archives != 2 {
			t.Errorf("OtherSkipped = %d, Archives = %d; want 1, 2", s.OtherSkipped, s.Archives)
		}
		var reasons []string
		for _, r := range s.Rejected {
			reasons = append(reasons, r.Path+": "+r.Reason)
		}
		if len(s.Rejected) != 1 || !strings.Contains(reasons[0], "broken.evtx: named like an event log but not EVTX") {
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
	if got := paths(s); len(got) != 1 || got[0] != p+"!a.evtx" {
		t.Fatalf("salvaged files = %q", got)
	}
	if b, _ := readAllOpened(t, s.Files[0]); !bytes.Equal(b, fakeEVTX(100, 1)) {
		t.Error("salvaged entry read back wrong")
	}
	if len(s.Rejected) != 1 || !strings.Contains(s.Rejected[0].Reason, "salvaged from its local headers, 1 whole entries") {
		t.Errorf("rejected %+v", s.Rejected)
	}
}

// TestTruncatedZipSalvage cuts a zip in the middle of its third entry: the
// two whole ones are read, the cut one is reported damaged, for streamed
// (data descriptor) and stored entries.
func TestTruncatedZipSalvage(t *testing.T) {
	for _, method := range []uint16{zip.Deflate, zip.Store} {
		a, b, c := noisyEVTX(5000, 1), noisyEVTX(7000, 2), noisyEVTX(9000, 3)
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		var cutAt int
		for i, e := range []struct {
			name string
			data []byte
		}{{"a.evtx", a}, {"b.evtx", b}, {"c.evtx", c}} {
			var w io.Writer
			var err error
			if method == zip.Store {
				w, err = zw.CreateRaw(&zip.FileHeader{Name: e.name, Method: zip.Store, CRC32: crc32.ChecksumIEEE(e.data),
					CompressedSize64: uint64(len(e.data)), UncompressedSize64: uint64(len(e.data))})
			} else {
				w, err = zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
			}
			if err != nil {
				t.Fatal(err)
			}
			zw.Flush()
			if i == 2 {
				cutAt = buf.Len() + 50
			}
			w.Write(e.data)
		}
		zw.Close()
		p := filepath.Join(t.TempDir(), "cut.zip")
		writeFile(t, p, buf.Bytes()[:cutAt])
		s, err := Collect(context.Background(), []string{p}, nil, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if got := paths(s); strings.Join(got, "|") != p+"!a.evtx|"+p+"!b.evtx" {
			t.Errorf("method %d: files = %q", method, got)
		}
		for i, want := range [][]byte{a, b} {
			if i < len(s.Files) {
				if got, _ := readAllOpened(t, s.Files[i]); !bytes.Equal(got, want) {
					t.Errorf("method %d: entry %d read back wrong", method, i)
				}
			}
		}
		if len(s.Rejected) != 2 || s.Rejected[0].Path != p+"!c.evtx" || !strings.Contains(s.Rejected[0].Reason, "damaged") {
			t.Errorf("method %d: rejected %+v", method, s.Rejected)
		}
		s.Close()
	}
}

// TestStoredCRC: a stored entry whose bytes changed is reported damaged.
func TestStoredCRC(t *testing.T) {
	data := fakeEVTX(4000, 9)
	z := makeZip(t, []zipEntry{{"a.evtx", data, zip.Store}})
	i := bytes.Index(z, data[100:200])
	z[i+10] ^= 0xff
	p := filepath.Join(t.TempDir(), "x.zip")
	writeFile(t, p, z)
	s, err := Collect(context.Background(), []string{p}, nil, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	o, err := s.Files[0].Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if !strings.Contains(o.Problem, "CRC-32") {
		t.Errorf("Problem = %q, want a CRC mismatch", o.Problem)
	}
}

func makeTar(t *testing.T, files map[string][]byte, gz bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.Writer = &buf
	var zw *gzip.Writer
	if gz {
		zw = gzip.NewWriter(&buf)
		w = zw
	}
	tw := tar.NewWriter(w)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg})
		tw.Write(files[n])
	}
	tw.Close()
	if zw != nil {
		zw.Close()
	}
	return buf.Bytes()
}

func TestCollectTar(t *testing.T) {
	a, b := fakeEVTX(3000, 1), fakeEVTX(70000, 2)
	files := map[string][]byte{"Logs/System.evtx": a, "Logs/Bits.evtx": b, "Logs/notes.txt": []byte("hi")}
	for _, gz := range []bool{false, true} {
		p := filepath.Join(t.TempDir(), "logs.tar")
		data := makeTar(t, files, gz)
		writeFile(t, p, data)
		s, err := Collect(context.Background(), []string{p}, nil, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if got := paths(s); strings.Join(got, "|") != p+"!Logs/Bits.evtx|"+p+"!Logs/System.evtx" {
			t.Errorf("gz %v: files = %q", gz, got)
		}
		if s.OtherSkipped != 1 || len(s.Rejected) != 0 {
			t.Errorf("gz %v: other %d, rejected %+v", gz, s.OtherSkipped, s.Rejected)
		}
		if got, _ := readAllOpened(t, s.Files[0]); !bytes.Equal(got, b) {
			t.Errorf("gz %v: read back wrong", gz)
		}
		s.Close()
		// Cut inside the second log: the first is whole, the second damaged.
		writeFile(t, p, data[:len(data)*2/3])
		s, err = Collect(context.Background(), []string{p}, nil, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Files) == 0 && len(s.Rejected) == 0 {
			t.Errorf("gz %v: cut tar gave nothing", gz)
		}
		s.Close()
	}
}

// TestStdinSniffedFirst: a stream that is neither a log nor an archive is
// refused after its first bytes, without copying it.
func TestStdinSniffedFirst(t *testing.T) {
	r := &countingZero{left: 1 << 40}
	s, err := Collect(context.Background(), []string{"-"}, r, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(s.Rejected) != 1 || !strings.Contains(s.Rejected[0].Reason, "nothing was copied") {
		t.Errorf("rejected %+v", s.Rejected)
	}
	if r.read > SniffLen {
		t.Errorf("read %d bytes of a non-log stream, want at most %d", r.read, SniffLen)
	}
}

type countingZero struct{ left, read int64 }

func (c *countingZero) Read(b []byte) (int, error) {
	n := min(int64(len(b)), c.left)
	clear(b[:n])
	c.left -= n
	c.read += n
	return int(n), nil
}

// TestStdinRegularInPlace: < file on stdin is read in place, not copied.
func TestStdinRegularInPlace(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.evtx")
	writeFile(t, p, fakeEVTX(5000, 4))
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := Collect(context.Background(), []string{"-"}, f, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	o, err := s.Files[0].Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if _, ok := o.ReaderAt.(*io.SectionReader); !ok {
		t.Errorf("stdin file copied (%T), want read in place", o.ReaderAt)
	}
}

// TestFIFOCancel: a FIFO nobody writes to gives way to cancellation; one
// with a writer is read like stdin.
func TestFIFOCancel(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := Collect(ctx, []string{p}, nil, DefaultLimits()); err == nil {
		t.Fatal("a FIFO with no writer did not give way to cancellation")
	}
	// A new FIFO: the abandoned open above could pair with this writer.
	p = filepath.Join(t.TempDir(), "fifo2")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skip(err)
	}
	go func() {
		w, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err == nil {
			w.Write(fakeEVTX(3000, 5))
			w.Close()
		}
	}()
	ctx2, cancel2 := context.WithTimeout(context.Background(), time.Minute)
	defer cancel2()
	s, err := Collect(ctx2, []string{p}, nil, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := paths(s); len(got) != 1 || got[0] != p {
		t.Fatalf("files %q rejected %+v", got, s.Rejected)
	}
	if b, _ := readAllOpened(t, s.Files[0]); !bytes.Equal(b, fakeEVTX(3000, 5)) {
		t.Error("FIFO read back wrong")
	}
}

// TestMemoryBudget: copies beyond the shared budget go to temporary files.
func TestMemoryBudget(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	mem := &budget{left: 10_000}
	var opened []*Opened
	for i := range 3 {
		o, err := spool(bytes.NewReader(fakeEVTX(6000, byte(i))), 6000, 1<<20, mem)
		if err != nil {
			t.Fatal(err)
		}
		opened = append(opened, o)
	}
	if _, ok := opened[0].ReaderAt.(*chunks); !ok {
		t.Errorf("first copy not in memory: %T", opened[0].ReaderAt)
	}
	for _, o := range opened[1:] {
		if _, ok := o.ReaderAt.(*os.File); !ok {
			t.Errorf("copy past the budget not on disk: %T", o.ReaderAt)
		}
	}
	for _, o := range opened {
		o.Close()
	}
	if mem.left != 10_000 {
		t.Errorf("budget after close = %d, want 10000", mem.left)
	}
	// A stream of unknown size keeps only what it holds.
	big := &budget{left: 1 << 30}
	o, err := spool(bytes.NewReader(fakeEVTX(5000, 1)), -1, 1<<20, big)
	if err != nil {
		t.Fatal(err)
	}
	if used := 1<<30 - big.left; used != 5000 {
		t.Errorf("stream copy of 5000 bytes holds %d of the budget", used)
	}
	o.Close()
}

// TestExpansionRatio: an entry that expands absurdly is refused unread.
func TestExpansionRatio(t *testing.T) {
	s := &Set{}
	var total int64
	s.addMember(member{path: "z!big.evtx", name: "big.evtx", size: 2 << 30, csize: 2 << 20}, []byte("ElfFile\x00"), DefaultLimits(), 0, &total)
	if len(s.Files) != 0 || len(s.Rejected) != 1 || !strings.Contains(s.Rejected[0].Reason, "expands 1024 times") {
		t.Errorf("files %d rejected %+v", len(s.Files), s.Rejected)
	}
}

// noisyEVTX is fakeEVTX with bytes that do not compress.
func noisyEVTX(n int, seed uint64) []byte {
	b := fakeEVTX(n, 0)
	r := rand.New(rand.NewPCG(seed, 1))
	for i := 8; i < n; i++ {
		b[i] = byte(r.Uint32())
	}
	return b
}
