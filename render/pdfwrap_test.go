package render

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"bitsdiag/analyze"
)

func TestWrapCell(t *testing.T) {
	w := func(s string) float64 { return float64(utf8.RuneCountInString(s)) }
	for _, tc := range []struct {
		in    string
		width float64
		want  []string
	}{
		{"0x8020001B ×4", 11, []string{"0x8020001B", "×4"}},
		{"completed", 8, []string{"complet…"}},
		{`NT AUTHORITY\NETWORK SERVICE`, 14, []string{"NT AUTHORITY\\", "NETWORK", "SERVICE"}},
		{"http://host.example/path/file.cab", 20, []string{"http://host.example/", "path/file.cab"}},
		{"2024-11-15 12:14:22 UTC", 10, []string{"2024-11-15", "12:14:22", "UTC"}},
	} {
		got := wrapCell(tc.in, tc.width, w)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrapCell(%q, %v) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
	}
}

// TestPDFCellsNotSplit (issue 15, done-when 2): in every table cell of the
// PDF, lines break only at spaces or after a path or URL break point, so no
// error code, number or word is split across lines; cut cells end in "…".
func TestPDFCellsNotSplit(t *testing.T) {
	narrow := richResult()
	for i := 0; i < 3; i++ {
		narrow.Jobs = append(narrow.Jobs, analyze.Job{ID: "{E5A1C0B2-0000-0000-0000-00000000000" + string(rune('1'+i)) + "}",
			Title: "C:\\Users\\someone\\AppData\\Local\\Temp\\BIT" + strings.Repeat("7F3A", 8) + ".tmp", Owner: `NT AUTHORITY\NETWORK SERVICE`,
			Process: "C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe (PID 4242)",
			Hosts:   []string{"msedge.b.tlu.dl.delivery.mp.microsoft.com"}, Outcome: "failing",
			Errors: []analyze.CodeCount{{Code: "0x80200010", Count: 4}, {Code: "0x80072EFE", Count: 12}, {Code: "0x80190194", Count: 1}}})
	}
	code := regexp.MustCompile(`0x[0-9A-F]{8}`)
	checked := 0
	// compact: a short report of more than compactAbove findings, set in
	// the smaller table font.
	compact := manyFindings(compactAbove + 1)
	compact.Jobs = narrow.Jobs
	for name, r := range map[string]*analyze.Result{"rich": narrow, "hostile": hostileResult(), "compact": compact} {
		var cells []cellLayout
		if err := PDF(&bytes.Buffer{}, r, Options{Full: name != "compact", cells: &cells}); err != nil {
			t.Fatal(err)
		}
		for _, c := range cells {
			for k := 0; k+1 < len(c.lines); k++ {
				a, b := c.lines[k], c.lines[k+1]
				if strings.HasSuffix(a, "…") {
					continue
				}
				checked++
				cut := strings.TrimSuffix(b, "…") // a cut piece (the full value is in the JSON)
				ra := []rune(a)
				joined := []rune(a + cut)
				// Cells wrap at any Unicode space (U+3000 too) and print it as " ".
				spaced := strings.Contains(strings.Join(strings.Fields(c.text), " "), a+" "+cut) || strings.HasPrefix(b, "…")
				if !spaced && !breakAfter(joined, len(ra)-1) {
					t.Errorf("%s: cell %q split inside a token: %q | %q", name, c.text, a, b)
				}
				if m := code.FindAllStringIndex(c.text, -1); m != nil {
					for _, l := range c.lines {
						if p := regexp.MustCompile(`0x[0-9A-F]{1,7}$`); p.MatchString(l) {
							t.Errorf("%s: error code split at line end: %q", name, l)
						}
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Error("no wrapped cell checked")
	}
}

// TestPDFSaysWhatItCannotDraw: characters no embedded font has (emoji and
// Hebrew in the hostile sample) are replaced with U+FFFD, and the PDF says so and where
// they can be read (the documented fallback; issue 16 item 10).
func TestPDFSaysWhatItCannotDraw(t *testing.T) {
	text := strings.Join(strings.Fields(pdfText(t, makePDF(t, hostileResult(), Options{}))), " ")
	if !strings.Contains(text, "cannot be drawn with this PDF's fonts") || !strings.Contains(text, "HTML, Markdown and JSON reports show them") {
		t.Error("the PDF does not say that some characters could not be drawn")
	}
	if text := pdfText(t, makePDF(t, richResult(), Options{})); strings.Contains(text, "cannot be drawn") {
		t.Error("note printed though every character could be drawn")
	}
}

// TestPDFSummaryCodesWhole: in the findings summary, a finding title's code
// (ERROR_WINHTTP_CONNECTION_ERROR, two codes joined by " / ") is never cut
// or split: the Cause column is as wide as its longest code needs.
func TestPDFSummaryCodesWhole(t *testing.T) {
	r := manyFindings(6)
	titles := []string{
		"Connection to the server was reset or terminated (ERROR_WINHTTP_CONNECTION_ERROR)",
		"A service BITS depends on cannot start (ERROR_SERVICE_DEPENDENCY_DELETED / ERROR_SERVICE_DEPENDENCY_FAIL)",
		"Server or proxy ignores HTTP range requests (BG_E_INSUFFICIENT_RANGE_SUPPORT)",
	}
	for i, tt := range titles {
		r.Findings[i].Title = tt
	}
	var cells []cellLayout
	if err := PDF(&bytes.Buffer{}, r, Options{cells: &cells}); err != nil {
		t.Fatal(err)
	}
	code := regexp.MustCompile(`[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+`)
	for _, tt := range titles {
		found := false
		for _, c := range cells {
			if c.text != tt {
				continue
			}
			found = true
			lines := strings.Join(c.lines, "\n")
			if strings.Contains(lines, "…") {
				t.Errorf("%q cut: %q", tt, c.lines)
			}
			for _, m := range code.FindAllString(tt, -1) {
				whole := false
				for _, l := range c.lines {
					whole = whole || strings.Contains(l, m)
				}
				if !whole {
					t.Errorf("code %s split: %q", m, c.lines)
				}
			}
		}
		if !found {
			t.Errorf("no summary cell %q", tt)
		}
	}
}
