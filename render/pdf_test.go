package render

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"

	"bitsdiag/analyze"
)

func makePDF(t *testing.T, r *analyze.Result, o Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := PDF(&b, r, o); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) || !bytes.Contains(b.Bytes(), []byte("%%EOF")) {
		t.Fatal("output is not a complete PDF")
	}
	return b.Bytes()
}

// pdfText extracts the text with pdftotext, skipping the test without it.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestPDFDeterministic(t *testing.T) {
	for name, r := range map[string]func() *analyze.Result{"rich": richResult, "empty": emptyResult, "hostile": hostileResult} {
		t.Run(name, func(t *testing.T) {
			a := makePDF(t, r(), Options{})
			b := makePDF(t, r(), Options{})
			if !bytes.Equal(a, b) {
				t.Error("two runs gave different bytes")
			}
			if !bytes.Contains(a, []byte("/CreationDate (D:20240503090000")) {
				t.Error("creation date is not the result's Generated time")
			}
		})
	}
}

func TestPDFPaper(t *testing.T) {
	for _, tc := range []struct{ paper, box string }{
		{"", "/MediaBox [0 0 595.28 841.89]"},
		{"A4", "/MediaBox [0 0 595.28 841.89]"},
		{"letter", "/MediaBox [0 0 612.00 792.00]"},
		{"Letter", "/MediaBox [0 0 612.00 792.00]"},
	} {
		if pdf := makePDF(t, richResult(), Options{Paper: tc.paper}); !bytes.Contains(pdf, []byte(tc.box)) {
			t.Errorf("paper %q: no %s", tc.paper, tc.box)
		}
	}
	if err := PDF(&bytes.Buffer{}, richResult(), Options{Paper: "A3"}); err == nil {
		t.Error("paper A3 accepted")
	}
}

func TestPDFOutlineAndLinks(t *testing.T) {
	pdf := makePDF(t, richResult(), Options{Full: true})
	if !bytes.Contains(pdf, []byte("/Outlines")) {
		t.Error("no outline")
	}
	// Two links (id and cause) per finding in the summary table (not the
	// informational ones: they are notes), one per non-empty cell of the
	// computers table, and one per job that the jobs appendix shows in full.
	r := richResult()
	want := 0
	for _, f := range r.Findings {
		if f.Severity != analyze.SeverityInfo {
			want += 2
		}
	}
	cells := map[string]bool{} // computers table: one per computer and finding with failures
	for _, f := range r.Failures {
		cells[f.Computer+" "+f.FindingID] = true
	}
	want += len(cells)
	for i := range r.Jobs {
		if jobInAppendix(&r.Jobs[i]) {
			want++
		}
	}
	if n := bytes.Count(pdf, []byte("/Subtype /Link")); n != want {
		t.Errorf("%d link annotations, want %d", n, want)
	}
	if !bytes.Contains(pdf, []byte("/Dest [")) {
		t.Error("links have no internal destination")
	}
}

func TestPDFText(t *testing.T) {
	for _, paper := range []string{"A4", "Letter"} {
		r := richResult()
		text := pdfText(t, makePDF(t, r, Options{Paper: paper}))
		for _, f := range r.Findings {
			for _, c := range f.CodeDetails {
				if !strings.Contains(text, c.Code) || !strings.Contains(text, c.Name) {
					t.Errorf("%s: code %s %s missing", paper, c.Code, c.Name)
				}
			}
			if !strings.Contains(text, f.Title) {
				t.Errorf("%s: finding title %q missing", paper, f.Title)
			}
		}
		for _, want := range []string{"Page 1 of ", "Service health", "Input inventory", "System.evtx",
			"1 chunk-checksum, 1 record-size", "netsh winhttp set proxy", "failures"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: %q missing", paper, want)
			}
		}
	}
	text := pdfText(t, makePDF(t, emptyResult(), Options{}))
	if !strings.Contains(text, "No BITS failures found in 1 input file") {
		t.Error("healthy report does not say so")
	}
}

func TestPDFHostile(t *testing.T) {
	r := hostileResult()
	pdf := makePDF(t, r, Options{})
	text := pdfText(t, pdf)
	for _, want := range []string{"Greek λόγος Cyrillic Журнал", "<script>alert(1)</script>", "\uFFFD"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q missing from the text", want)
		}
	}
	for _, bad := range []string{"🚀", "\x00", "\u202E"} {
		if strings.Contains(text, bad) {
			t.Errorf("%q reached the PDF", bad)
		}
	}
}

func TestPDFManyFindings(t *testing.T) {
	// A summary table longer than a page repeats its header on every page.
	r := manyFindings(80)
	text := pdfText(t, makePDF(t, r, Options{}))
	pages := strings.Split(text, "\f")
	headers := 0
	for _, p := range pages {
		if strings.Contains(p, "Severity") && strings.Contains(p, "First seen") && strings.Contains(p, "F") {
			headers++
		}
	}
	if headers < 2 {
		t.Errorf("summary table header found on %d pages, want it repeated", headers)
	}
}

func TestGlyphCoverage(t *testing.T) {
	g, err := newGlyphs()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		r    rune
		want bool
	}{
		{'A', true}, {'é', true}, {'Ж', true}, {'λ', true}, {'€', true}, {'…', true}, {'\uFFFD', true},
		{'漢', false}, {'ש', false}, {0x1F680, false}, {0x10000, false}, {-1, false},
	} {
		if got := g.has(tc.r); got != tc.want {
			t.Errorf("has(%U) = %v, want %v", tc.r, got, tc.want)
		}
	}
	for _, tc := range []struct {
		r    rune
		want bool
	}{{'漢', true}, {'启', true}, {'動', true}, {'か', true}, {'カ', true}, {'A', false}, {0x1F680, false}} {
		if got := g.fallback(tc.r); got != tc.want {
			t.Errorf("fallback(%U) = %v, want %v", tc.r, got, tc.want)
		}
	}
	if got, want := g.clean("ok 漢\x00🚀"), "ok 漢\uFFFD\uFFFD"; got != want {
		t.Errorf("clean = %q, want %q", got, want)
	}
	runs := g.runs("BITS 自动启动 to \"按需\"")
	want := []textRun{{"BITS ", false}, {"自动启动", true}, {" to \"", false}, {"按需", true}, {"\"", false}}
	if fmt.Sprint(runs) != fmt.Sprint(want) {
		t.Errorf("runs = %v, want %v", runs, want)
	}
}

// TestPDFDrawsCJK (issue 16 item 10): Chinese and Japanese computer names
// and localized service text are drawn with the embedded fallback font (the
// text extracts as written, no U+FFFD, no note), measured run by run so a
// table cell still fits its column; a report without such characters does
// not carry the fallback font at all.
func TestPDFDrawsCJK(t *testing.T) {
	r := richResult()
	r.Computers = []string{"北京-办公室-PC01", "東京オフィス-PC"}
	r.Findings[0].Computers = r.Computers
	for i := range r.Findings[0].Evidence {
		r.Findings[0].Evidence[i].Computer = r.Computers[i%2]
	}
	r.Service.Timeline = append(r.Service.Timeline, analyze.ServiceEvent{Time: r.Generated, Computer: r.Computers[0],
		EventID: 7040, Kind: analyze.ServiceStartType, Text: "BITS start type changed from \"自动启动\" to \"按需启动\""})
	var cells []cellLayout
	pdf := makePDF(t, r, Options{cells: &cells})
	if !bytes.Contains(pdf, []byte("/BaseFont /utf8cjk")) {
		t.Error("the fallback font is not in the PDF")
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"北京-办公室-PC01", "東京オフィス-PC", "自动启动"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q not drawn", want)
		}
	}
	if strings.Contains(text, "\uFFFD") || strings.Contains(text, "cannot be drawn") {
		t.Error("CJK text replaced by U+FFFD")
	}
	found := false
	for _, c := range cells {
		if strings.Contains(c.text, "北京") {
			found = true
			if got := strings.Join(c.lines, ""); got != c.text {
				t.Errorf("cell %q laid out as %q", c.text, c.lines)
			}
		}
	}
	if !found {
		t.Error("no table cell with a Chinese computer name")
	}
	latin := makePDF(t, richResult(), Options{})
	if bytes.Contains(latin, []byte("utf8cjk")) {
		t.Error("a report without CJK text carries the fallback font")
	}
	if len(pdf) > len(latin)+200_000 {
		t.Errorf("CJK PDF %d bytes vs %d: the fallback font is not subset", len(pdf), len(latin))
	}
}

func TestFontCoverageMalformed(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("junk"), make([]byte, 40), append([]byte{0, 1, 0, 0, 0, 1}, make([]byte, 20)...)} {
		if _, err := fontCoverage(b); err == nil {
			t.Errorf("fontCoverage(%q) accepted", b)
		}
	}
}

func TestPDFLeavesFontsAlone(t *testing.T) {
	fonts := [][]byte{goregular.TTF, gobold.TTF, goitalic.TTF, gomono.TTF, cjkTTF}
	var before [][32]byte
	for _, f := range fonts {
		before = append(before, sha256.Sum256(f))
	}
	makePDF(t, richResult(), Options{})
	cjk := richResult()
	cjk.Computers = []string{"北京-PC"}
	makePDF(t, cjk, Options{})
	for i, f := range fonts {
		if sha256.Sum256(f) != before[i] {
			t.Errorf("embedded font %d was modified by rendering", i)
		}
	}
}
