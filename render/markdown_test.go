package render

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"bitsdiag/analyze"
)

func renderMD(t *testing.T, r *analyze.Result, o Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := Markdown(&b, r, o); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestMarkdownGolden(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for _, tc := range []struct {
		name string
		r    *analyze.Result
		o    Options
	}{
		{"rich.md", richResult(), Options{}},
		{"rich-full.md", richResult(), Options{Full: true}},
		{"rich-berlin.md", richResult(), Options{TZ: berlin}},
		{"empty.md", emptyResult(), Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			md := renderMD(t, tc.r, tc.o)
			checkMarkdown(t, md, buildDocument(tc.r, tc.o))
			golden(t, tc.name, []byte(md))
		})
	}
}

func TestMarkdownNoFindingsSaysSo(t *testing.T) {
	md := renderMD(t, emptyResult(), Options{})
	want := "**No BITS failures found in 1 input file (2024-05-01 00:00:00 UTC – 2024-05-02 00:00:00 UTC).**"
	if !strings.Contains(md, want) {
		t.Errorf("missing %q", want)
	}
	if !strings.Contains(md, "No failures to chart.") {
		t.Error("timeline does not say there is nothing to chart")
	}
}

func TestMarkdownContents(t *testing.T) {
	md := renderMD(t, richResult(), Options{Full: true})
	for _, want := range []string{
		"[Proxy does not support HTTP range requests](#finding-1)", // summary links to the finding
		`<a id="finding-1"></a>`,
		"`0x80200013 BG_E_INSUFFICIENT_RANGE_SUPPORT (37 events)`",
		"**Evidence:** 2 of 37 records shown; every field in full in Appendix A.",
		"2. If the proxy cannot be changed, let BITS bypass it for the host:\n\n   *In Command Prompt or PowerShell (as administrator):*\n\n   ```\n   netsh winhttp",
		"8 automatic/manual start-type changes",                                                      // routine entries summarised, not listed
		"| Windows Update | NT AUTHORITY\\SYSTEM | svchost.exe | dl.contoso-cdn.example | failing |", // failing first
		"2024-05-02 08:00 │████████████████████████████████████████    21  F1 21",
		"1 chunk-checksum, 1 record-size, 3 undecodable records",
		"- **record-size** chunk 18, offset 1184304 (0x121230), record 88211",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q", want)
		}
	}
	if strings.Contains(md, "start type changed to manual") {
		t.Error("routine service events are listed one by one")
	}
	// Sections come in the order of issue 5.
	order := []string{"# Contoso", "## Summary", "## Findings", "### F1", "### F2", "### F3", "## Service health",
		"## Jobs", "## Timeline", "## Coverage", "## Appendix A: Evidence", "## Appendix B", "## Appendix C: Input inventory"}
	last := -1
	for _, h := range order {
		i := strings.Index(md, "\n"+h)
		if h == order[0] {
			i = strings.Index(md, h)
		}
		if i <= last {
			t.Errorf("section %q out of order or missing", h)
		}
		last = i
	}
}

func TestMarkdownTimesSayZone(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	md := renderMD(t, richResult(), Options{TZ: ny})
	for _, want := range []string{"2024-04-30 02:12:09 EDT", "- **Times shown in:** America/New_York", "(times in America/New_York)"} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q", want)
		}
	}
}

func TestMdEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text 1.0", "plain text 1.0"},
		{"a|b", `a\|b`},
		{"`x`", "\\`x\\`"},
		{"<script>alert(1)</script>", `\<script>alert(1)\</script>`},
		{"**b** _i_ ~s~ #h", `\*\*b\*\* \_i\_ \~s\~ #h`},
		{"[l](javascript:x)", `\[l\](javascript:x)`},
		{`back\slash`, `back\slash`},
		{`DESKTOP-P2NAHG6\chard`, `DESKTOP-P2NAHG6\chard`},
		{`a\*b\`, `a\\\*b\\`},
		{"ERROR_WINHTTP_NAME_NOT_RESOLVED", "ERROR_WINHTTP_NAME_NOT_RESOLVED"},
		{"_x _y_", `\_x \_y\_`},
		{"http://h/a?x=1&y=2", "http://h/a?x=1&y=2"},
		{"&#124; &amp; &x", `\&#124; \&amp; &x`},
		{`C:\PROGRA~1\x`, `C:\PROGRA~1\x`},
	} {
		if got := mdEscape(tc.in); got != tc.want {
			t.Errorf("mdEscape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"- item", `\- item`},
		{"12. item", `12\. item`},
		{"3) item", `3\) item`},
		{"    code", "code"},
		{"1.5 MiB", "1.5 MiB"},
		{"# h", `\# h`},
		{"> q", `\> q`},
	} {
		if got := mdLineStart(tc.in); got != tc.want {
			t.Errorf("mdLineStart(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMdCode(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"abc", "`abc`"},
		{"a`b", "``a`b``"},
		{"`x", "`` `x ``"},
		{"a```b``", "```` a```b`` ````"},
		{"", ""},
	} {
		if got := mdCode(tc.in); got != tc.want {
			t.Errorf("mdCode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSanitizeLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"ok", "ok"},
		{"a\r\nb\nc\rd\te", "a b c d e"},
		{"nul\x00esc\x1b", "nul\uFFFDesc\uFFFD"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"rtl \u202Eevil", "rtl \uFFFDevil"},
		{"ünïcödé Жλ 🚀", "ünïcödé Жλ 🚀"},
	} {
		if got := sanitizeLine(tc.in); got != tc.want {
			t.Errorf("sanitizeLine(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMarkdownHostile(t *testing.T) {
	r := hostileResult()
	md := renderMD(t, r, Options{})
	outside := checkMarkdown(t, md, buildDocument(r, Options{}))
	for _, bad := range []string{"\x00", "\x1b", "\u202E"} {
		if strings.Contains(md, bad) {
			t.Errorf("output contains %q", bad)
		}
	}
	// Outside code blocks and code spans, with escaped characters removed,
	// no markup from the logs is left.
	outside = stripCodeSpans(outside)
	if !strings.Contains(outside, "Escript>") { // \<script>, the < escaped

		t.Error("the hostile <script> is not shown escaped")
	}
	for _, bad := range []string{"<script", "](javascript:", "**bold**", "~~s~~", "<br"} {
		if strings.Contains(outside, bad) {
			t.Errorf("output contains %q", bad)
		}
	}
	// The long title is shortened in the heading and still given in full.
	if !strings.Contains(md, "# long-title-without-spaces-") || !strings.Contains(md, "…") {
		t.Error("long title not shortened")
	}
	if !strings.Contains(md, "- **Full title:** "+strings.Repeat("long-title-without-spaces-", 400)+"pipe \\| in \\| title") {
		t.Error("long title not given in full")
	}
}

// checkMarkdown parses the Markdown just enough to prove its structure: code
// fences are balanced and nothing outside them looks like a fence; every
// table row has the header's number of cells; the only headings are the
// document's; and the text is valid UTF-8.
func checkMarkdown(t *testing.T, md string, d *document) string {
	t.Helper()
	if !utf8.ValidString(md) {
		t.Error("output is not valid UTF-8")
	}
	wantHeadings := 0
	for _, b := range d.blocks {
		if _, ok := b.(heading); ok {
			wantHeadings++
		}
	}
	lines := strings.Split(md, "\n")
	fence := ""
	headings, tables := 0, 0
	var outside strings.Builder
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		trim := strings.TrimLeft(l, " ")
		if fence != "" {
			if strings.HasPrefix(trim, "`") && strings.Trim(trim, "`") == "" && len(trim) >= len(fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(trim, "```") {
			fence = trim[:strings.LastIndex(trim, "`")+1]
			if strings.Trim(trim, "`") != "" {
				t.Errorf("line %d: fence with an info string: %q", i+1, l)
			}
			continue
		}
		outside.WriteString(l + "\n")
		if strings.HasPrefix(l, "#") {
			headings++
		}
		if strings.HasPrefix(l, "|") && i+1 < len(lines) && strings.HasPrefix(lines[i+1], "| ---") {
			tables++
			cols := countCells(l)
			j := i + 1
			for ; j < len(lines) && lines[j] != ""; j++ {
				if !strings.HasPrefix(lines[j], "|") || !strings.HasSuffix(lines[j], "|") {
					t.Errorf("line %d: table row does not start and end with a pipe: %q", j+1, lines[j])
				}
				if n := countCells(lines[j]); n != cols {
					t.Errorf("line %d: %d cells, header has %d: %q", j+1, n, cols, shorten(lines[j], 200))
				}
			}
			i = j
		}
	}
	if fence != "" {
		t.Error("unclosed code fence")
	}
	if headings != wantHeadings {
		t.Errorf("%d headings, want %d", headings, wantHeadings)
	}
	wantTables := 0
	for _, b := range d.blocks {
		if _, ok := b.(table); ok {
			wantTables++
		}
	}
	if tables != wantTables {
		t.Errorf("%d tables, want %d", tables, wantTables)
	}
	return outside.String()
}

// countCells counts the cells of a GFM table row: pipes not escaped by a
// backslash separate cells.
func countCells(row string) int {
	pipes := 0
	for i := 0; i < len(row); i++ {
		switch row[i] {
		case '\\':
			i++
		case '|':
			pipes++
		}
	}
	return pipes - 1
}

// stripCodeSpans drops escaped characters and code spans from Markdown text.
func stripCodeSpans(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
			b.WriteByte('E')
		case '`':
			n := 1
			for i+n < len(s) && s[i+n] == '`' {
				n++
			}
			fence := strings.Repeat("`", n)
			end := strings.Index(s[i+n:], fence)
			if end < 0 {
				b.WriteString(fence)
				i += n - 1
				continue
			}
			i += n + end + n - 1
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
