package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"bitsdiag/analyze"
)

// maxHeading is the most runes of untrusted text shown in a heading.
const maxHeading = 200

// Markdown writes the report as GitHub-flavoured Markdown.
func Markdown(w io.Writer, r *analyze.Result, o Options) error {
	if r == nil {
		return errNilResult
	}
	d := buildDocument(r, o)
	bw := bufio.NewWriter(w)
	m := &mdWriter{w: bw, tz: o.tz()}
	for i, b := range d.blocks {
		if i > 0 {
			m.s("\n")
		}
		m.block(b)
	}
	if m.err != nil {
		return fmt.Errorf("render: writing Markdown: %w", m.err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("render: writing Markdown: %w", err)
	}
	return nil
}

// mdWriter writes blocks as Markdown, keeping the first write error.
type mdWriter struct {
	w   *bufio.Writer
	tz  *time.Location
	err error
}

func (m *mdWriter) s(s string) {
	if m.err == nil {
		_, m.err = m.w.WriteString(s)
	}
}

func (m *mdWriter) block(b block) {
	switch b := b.(type) {
	case heading:
		if b.anchor != "" {
			m.s(`<a id="` + b.anchor + `"></a>` + "\n")
		}
		m.s(strings.Repeat("#", b.level) + " " + mdEscape(shorten(sanitizeLine(b.text), maxHeading)) + "\n")
	case para:
		t := mdLineStart(strings.TrimSpace(mdSpans(b.spans)))
		if b.italic && t != "" {
			t = "*" + t + "*"
		}
		m.s(t + "\n")
	case fields:
		for _, f := range b.items {
			m.s("- **" + mdEscape(f.key) + ":** " + mdSpans(f.value) + "\n")
		}
	case bullets:
		for _, it := range b.items {
			m.s("- " + mdLineStart(mdSpans(it)) + "\n")
		}
	case steps:
		m.steps(b.items)
	case table:
		m.table(b)
	case chart:
		m.chart(b.h)
	}
}

// mdSpans renders inline spans.
func mdSpans(spans []span) string {
	var b strings.Builder
	for _, s := range spans {
		switch s.kind {
		case spanText:
			b.WriteString(mdEscape(sanitizeLine(s.text)))
		case spanBold:
			if t := strings.TrimSpace(sanitizeLine(s.text)); t != "" {
				b.WriteString("**" + mdEscape(t) + "**")
			}
		case spanProse:
			b.WriteString(mdProse(s.text))
		case spanCode:
			b.WriteString(mdCode(sanitizeLine(s.text)))
		case spanLink:
			b.WriteString("[" + mdEscape(sanitizeLine(s.text)) + "](#" + s.anchor + ")")
		}
	}
	return b.String()
}

// mdEscape escapes text so that Markdown shows it literally, in running text
// and in table cells: no emphasis, code, links, HTML or entities, and no pipe
// that would split a table cell. It escapes only what would change the
// rendering, so the raw text stays readable in ticket systems that show it
// unrendered: an underscore inside a word (ERROR_WINHTTP_NAME_NOT_RESOLVED)
// cannot start emphasis, a backslash before a letter (DOMAIN\user) is
// literal, a & that does not start an entity (?a=1&b=2) is literal, and a
// single ~ (PROGRA~1) is not strikethrough. s must already be one line.
func mdEscape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	rs := []rune(s)
	tildes := strings.Count(s, "~") > 1
	at := func(i int) rune {
		if i < 0 || i >= len(rs) {
			return ' '
		}
		return rs[i]
	}
	for i, r := range rs {
		esc := false
		switch r {
		case '`', '*', '[', ']', '|', '<':
			esc = true
		case '_':
			esc = !(isWordRune(at(i-1)) && isWordRune(at(i+1)))
		case '\\':
			n := at(i + 1)
			esc = i == len(rs)-1 || n < 0x80 && unicode.IsPunct(n) || n < 0x80 && unicode.IsSymbol(n)
		case '~':
			esc = tildes
		case '&':
			esc = entityAt(rs[i+1:])
		}
		if esc {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isWordRune reports whether r is a letter or digit (inside a word, an
// underscore cannot open or close emphasis).
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// entityAt reports whether rs (the text after a &) would make an entity or
// character reference: "amp;", "#124;", "#x7C;".
func entityAt(rs []rune) bool {
	i := 0
	if i < len(rs) && rs[i] == '#' {
		i++
		if i < len(rs) && (rs[i] == 'x' || rs[i] == 'X') {
			i++
		}
	}
	n := 0
	for i < len(rs) && rs[i] < 0x80 && isWordRune(rs[i]) {
		i++
		n++
	}
	return n > 0 && i < len(rs) && rs[i] == ';'
}

// mdLineStart escapes what would make a line of text a list item, block
// quote or setext underline ("- x", "+ x", "1. x", "1) x", "= x"), and drops
// leading spaces that would make it a code block.
func mdLineStart(s string) string {
	s = strings.TrimLeft(s, " ")
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '>':
		return "\\" + s
	case '-', '+', '=':
		if len(s) == 1 || s[1] == ' ' || s[1] == s[0] {
			return "\\" + s
		}
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') && (i+1 == len(s) || s[i+1] == ' ') {
		return s[:i] + "\\" + s[i:]
	}
	return s
}

// mdProse passes trusted knowledge-base prose through, on one line, with
// HTML angle brackets outside code spans escaped.
func mdProse(s string) string {
	s = sanitizeLine(s)
	var b strings.Builder
	inCode := false
	for _, r := range s {
		switch {
		case r == '`':
			inCode = !inCode
			b.WriteRune(r)
		case r == '<' && !inCode:
			b.WriteString("&lt;")
		case r == '>' && !inCode:
			b.WriteString("&gt;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCode renders s as an inline code span whose delimiters are longer than
// any run of backticks inside it. s must already be one line.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// longestRun is the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// codeBlock writes text as a fenced code block indented by indent; the fence
// is longer than any run of backticks in the text, so it cannot be closed
// from inside.
func (m *mdWriter) codeBlock(text, indent string) {
	text = strings.TrimRight(sanitizeBlock(text), "\n")
	fence := strings.Repeat("`", max(3, longestRun(text, '`')+1))
	m.s(indent + fence + "\n")
	for _, l := range strings.Split(text, "\n") {
		m.s(strings.TrimRight(indent+l, " \t") + "\n")
	}
	m.s(indent + fence + "\n")
}

func (m *mdWriter) steps(items []analyze.Step) {
	for i, st := range items {
		marker := fmt.Sprintf("%d. ", i+1)
		text := mdLineStart(mdProse(st.Text))
		if strings.TrimSpace(text) == "" {
			text = "(no text)"
		}
		m.s(marker + text + "\n")
		indent := strings.Repeat(" ", len(marker))
		if len(st.Commands) > 0 {
			m.s("\n" + indent + "*" + stepShellLine(st) + "*\n\n")
			m.codeBlock(strings.Join(st.Commands, "\n"), indent)
		}
		for _, c := range st.Corrections {
			m.s("\n" + indent + "*Corrected from the article:* " + mdProse(c) + "\n")
		}
		if (len(st.Commands) > 0 || len(st.Corrections) > 0) && i < len(items)-1 {
			m.s("\n")
		}
	}
}

// mdCell is the text of a table cell: one line, shortened, escaped.
func mdCell(c cell, col column) string {
	t := mdEscape(shorten(sanitizeLine(c.text), col.max))
	if col.mono && t != "" {
		t = mdTableCode(shorten(sanitizeLine(c.text), col.max))
	}
	if c.code != "" {
		room := 0
		if col.max > 0 {
			room = max(24, col.max-utf8.RuneCountInString(c.text))
		}
		if t != "" {
			t += ": "
		}
		t += mdTableCode(shorten(sanitizeLine(c.code), room))
	}
	if t == "" {
		t = " "
	}
	if c.anchor != "" {
		t = "[" + t + "](#" + c.anchor + ")"
	}
	return t
}

// mdTableCode is a code span inside a table cell (GitHub splits cells at
// every pipe, even inside code spans).
// A text with a pipe is shown escaped instead: how a backslash next to an
// escaped pipe reads inside a code span differs between renderers.
func mdTableCode(s string) string {
	if strings.Contains(s, "|") {
		return mdEscape(s)
	}
	return mdCode(s)
}

func (m *mdWriter) table(t table) {
	var b strings.Builder
	b.WriteString("|")
	for _, c := range t.cols {
		b.WriteString(" " + mdEscape(c.title) + " |")
	}
	b.WriteString("\n|")
	for _, c := range t.cols {
		if c.right {
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteString("\n")
	for _, row := range t.rows {
		b.WriteString("|")
		for i, c := range t.cols {
			var cl cell
			if i < len(row) {
				cl = row[i]
			}
			b.WriteString(" " + mdCell(cl, c) + " |")
		}
		b.WriteString("\n")
	}
	m.s(b.String())
}

// barWidth is the longest bar of the text histogram, in characters.
const barWidth = 40

func (m *mdWriter) chart(h *histogram) {
	tz := m.tz
	var b strings.Builder
	labelW := 0
	for _, s := range h.slots {
		labelW = max(labelW, utf8.RuneCountInString(h.label(s.start, tz)))
	}
	emptyRun := 0
	flush := func() {
		if emptyRun > 0 {
			fmt.Fprintf(&b, "%-*s │ (no failures for %s)\n", labelW, "…", fmtStepRun(h.step, emptyRun))
			emptyRun = 0
		}
	}
	for _, s := range h.slots {
		if s.total == 0 {
			emptyRun++
			continue
		}
		flush()
		n := max(1, (s.total*barWidth+h.max/2)/h.max)
		var parts []string
		for i, c := range s.counts {
			if c > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", shorten(sanitizeLine(h.series[i].id), 24), c))
			}
		}
		fmt.Fprintf(&b, "%-*s │%-*s %5d  %s\n", labelW, h.label(s.start, tz), barWidth, strings.Repeat("█", n), s.total,
			strings.Join(parts, ", "))
	}
	flush()
	m.codeBlock(strings.TrimRight(b.String(), "\n"), "")
	m.s("\n")
	var legend []string
	for _, s := range h.series {
		l := "- **" + mdEscape(sanitizeLine(s.id)) + "**"
		if s.title != "" {
			l += " " + mdEscape(shorten(sanitizeLine(s.title), 120))
		}
		legend = append(legend, l+": "+s.count()+"\n")
	}
	m.s(strings.Join(legend, ""))
}

// fmtStepRun says how long n empty slots of length step last: "3 hours", "14 days".
func fmtStepRun(step time.Duration, n int) string {
	if step%(24*time.Hour) == 0 {
		return plural(n*int(step/(24*time.Hour)), "day", "days")
	}
	return plural(n*int(step/time.Hour), "hour", "hours")
}
