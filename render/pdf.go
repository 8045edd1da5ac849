package render

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"

	"bitsdiag/analyze"
)

// Page layout in millimetres and text sizes in points.
const (
	marginSide   = 15.0
	marginTop    = 17.0
	marginBottom = 15.0
	bodySize     = 9.0
	bodyLine     = 4.1
	monoSize     = 8.5
	shellSize    = 7.5 // the shell named on a code block

	// The same in a compact report (pdfDoc.compact).
	compactBodySize = 8.5
	compactBodyLine = 3.85
	compactMonoSize = 8
)

// Colours (RGB).
var (
	colText   = [3]int{30, 30, 30}
	colMuted  = [3]int{110, 110, 110}
	colAccent = [3]int{25, 70, 140}
	colLink   = [3]int{20, 90, 190}
	colRule   = [3]int{190, 190, 190}
	colCodeBg = [3]int{242, 242, 242}
)

// PDF writes the report as a PDF document on A4 or Letter paper. The output
// is deterministic for the same result and options (its dates come from
// r.Generated). Internal failures of the PDF library are returned as errors;
// nothing is written to w unless the whole document was produced.
func PDF(w io.Writer, r *analyze.Result, o Options) (err error) {
	if r == nil {
		return errNilResult
	}
	size, err := paperSize(o.Paper)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := renderPDF(&buf, r, o, size); err != nil {
		return err
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("render: writing PDF: %w", err)
	}
	return nil
}

// PaperSize is the canonical name of a paper size given in any case, "A4"
// (also for "") or "Letter"; ok is false for any other.
func PaperSize(p string) (name string, ok bool) {
	switch strings.ToLower(p) {
	case "", "a4":
		return "A4", true
	case "letter":
		return "Letter", true
	}
	return "", false
}

// paperSize maps Options.Paper to an fpdf page size.
func paperSize(p string) (string, error) {
	if name, ok := PaperSize(p); ok {
		return name, nil
	}
	return "", fmt.Errorf("render: unknown paper size %q (want A4 or Letter)", p)
}

// renderPDF does the fpdf work, turning a panic inside the library into an
// error.
func renderPDF(w io.Writer, r *analyze.Result, o Options, size string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("render: PDF library failed: %v", p)
		}
	}()
	g, err := newGlyphs()
	if err != nil {
		return err
	}
	tz := o.tz()
	d := buildDocument(r, o)
	p := newPDFDoc(r, d, size, g, tz)
	p.cells = o.cells
	if !o.Full && len(r.Findings) > compactAbove {
		p.compact = true
		p.bodySize, p.bodyLine, p.monoSize = compactBodySize, compactBodyLine, compactMonoSize
	}
	for i := 0; i < len(d.blocks); i++ {
		b := d.blocks[i]
		if h, ok := b.(heading); ok {
			if st, ok := p.runInStep(h, d.blocks[i+1:]); ok {
				p.para(para{spans: []span{bold(h.text + ":"), txt(" "), prose(st.Text)}})
				i++
				continue
			}
			p.keep = keepAfter(d.blocks, i)
		}
		p.block(b)
		if p.f.Err() {
			break
		}
	}
	if n := len(g.replaced); n > 0 && !p.f.Err() {
		p.para(para{italic: true, spans: []span{txt(fmt.Sprintf(
			"Note: %s in the logs cannot be drawn with this PDF's fonts and %s shown as \uFFFD. The HTML, Markdown and JSON reports show %s as written.",
			plural(n, "character", "different characters"), map[bool]string{true: "is", false: "are"}[n == 1], map[bool]string{true: "it", false: "them"}[n == 1]))}})
	}
	if err := p.f.Output(w); err != nil {
		return fmt.Errorf("render: building PDF: %w", err)
	}
	return nil
}

// runInStep reports whether a compact report prints the level-4 heading h
// and the steps after it (rest[0]) as one run-in paragraph, "Verify: …":
// when they are one step without commands or corrections.
func (p *pdfDoc) runInStep(h heading, rest []block) (analyze.Step, bool) {
	if !p.compact || h.level != 4 || h.anchor != "" || len(rest) == 0 {
		return analyze.Step{}, false
	}
	st, ok := rest[0].(steps)
	if !ok || len(st.items) != 1 {
		return analyze.Step{}, false
	}
	one := st.items[0]
	if len(one.Commands) > 0 || len(one.Corrections) > 0 || strings.TrimSpace(one.Text) == "" {
		return analyze.Step{}, false
	}
	return one, true
}

// pdfDoc is one PDF being written.
type pdfDoc struct {
	cells *[]cellLayout // when not nil, every table cell's layout is recorded here
	f     *fpdf.Fpdf
	g     *glyphs
	tz    *time.Location
	links map[string]int // anchor -> fpdf link id
	pageW float64
	pageH float64
	cw    float64 // content width
	keep  float64 // room the block after the next heading needs on its page

	// compact sets a short report of many findings tighter: key/value
	// lines run in, one after another, instead of one per line.
	compact bool

	bodySize, bodyLine, monoSize float64 // running text's font sizes and line height

	cjkAdded bool // the fallback font is registered (see useFallback)
}

func newPDFDoc(r *analyze.Result, d *document, size string, g *glyphs, tz *time.Location) *pdfDoc {
	f := fpdf.New("P", "mm", size, "")
	p := &pdfDoc{f: f, g: g, tz: tz, links: map[string]int{},
		bodySize: bodySize, bodyLine: bodyLine, monoSize: monoSize}
	p.pageW, p.pageH = f.GetPageSize()
	p.cw = p.pageW - 2*marginSide

	stamp := r.Generated
	if stamp.IsZero() {
		stamp = time.Unix(0, 0)
	}
	f.SetCreationDate(stamp.UTC())
	f.SetModificationDate(stamp.UTC())
	f.SetCatalogSort(true)
	f.SetCompression(true)
	f.SetTitle(g.clean(shorten(sanitizeLine(d.title), maxHeading)), true)
	f.SetSubject("BITS diagnostic report", true)
	tool := g.clean(strings.TrimSpace(r.Tool.Name + " " + r.Tool.Version))
	f.SetCreator(tool, true)
	f.SetProducer(tool, true)
	f.SetLang("en")

	// fpdf writes into the font bytes it is given while it subsets them
	// (the hhea table), so it gets copies: the shared gofont slices must stay
	// intact for the next document to come out the same.
	f.AddUTF8FontFromBytes(fontSans, "", bytes.Clone(goregular.TTF))
	f.AddUTF8FontFromBytes(fontSans, "B", bytes.Clone(gobold.TTF))
	f.AddUTF8FontFromBytes(fontSans, "I", bytes.Clone(goitalic.TTF))
	f.AddUTF8FontFromBytes(fontMono, "", bytes.Clone(gomono.TTF))
	f.SetMargins(marginSide, marginTop, marginSide)
	f.SetAutoPageBreak(true, marginBottom)
	f.AliasNbPages("{nb}")

	headTitle := g.clean(shorten(sanitizeLine(d.title), 90))
	headRight := "Generated " + fmtTime(r.Generated, tz)
	f.SetHeaderFuncMode(func() {
		f.SetFont(fontSans, "", 7.5)
		p.color(colMuted)
		f.SetXY(marginSide, 9)
		p.cell(p.cw*0.65, 4, headTitle, "L", 0)
		f.CellFormat(p.cw*0.35, 4, headRight, "", 0, "R", false, 0, "")
		p.drawColor(colRule)
		f.SetLineWidth(0.2)
		f.Line(marginSide, 14, marginSide+p.cw, 14)
	}, true)
	footLeft := tool
	f.SetFooterFunc(func() {
		f.SetFont(fontSans, "", 7.5)
		p.color(colMuted)
		f.SetXY(marginSide, p.pageH-11)
		f.CellFormat(p.cw/2, 4, footLeft, "", 0, "L", false, 0, "")
		f.CellFormat(p.cw/2, 4, fmt.Sprintf("Page %d of {nb}", f.PageNo()), "", 0, "R", false, 0, "")
	})
	for _, b := range d.blocks {
		if h, ok := b.(heading); ok && h.anchor != "" {
			p.links[h.anchor] = f.AddLink()
		}
	}
	f.AddPage()
	p.body()
	return p
}

func (p *pdfDoc) color(c [3]int)     { p.f.SetTextColor(c[0], c[1], c[2]) }
func (p *pdfDoc) drawColor(c [3]int) { p.f.SetDrawColor(c[0], c[1], c[2]) }
func (p *pdfDoc) fillColor(c [3]int) { p.f.SetFillColor(c[0], c[1], c[2]) }

// body selects the body text font and colour.
func (p *pdfDoc) body() {
	p.f.SetFont(fontSans, "", p.bodySize)
	p.color(colText)
}

// trigger is the y beyond which content goes to the next page.
func (p *pdfDoc) trigger() float64 { return p.pageH - marginBottom }

// need starts a new page unless h millimetres fit on this one.
func (p *pdfDoc) need(h float64) {
	if p.f.GetY()+h > p.trigger() {
		p.f.AddPage()
	}
}

func (p *pdfDoc) block(b block) {
	switch b := b.(type) {
	case heading:
		p.heading(b)
	case para:
		p.para(b)
	case fields:
		p.fields(b)
	case bullets:
		p.bullets(b)
	case steps:
		p.steps(b)
	case table:
		p.table(b)
	case chart:
		p.chart(b.h)
	}
}

func (p *pdfDoc) heading(h heading) {
	f := p.f
	text := p.g.clean(shorten(sanitizeLine(h.text), maxHeading))
	size, before, keep := headingStyle(h.level)
	if f.GetY() > marginTop+1 {
		if h.level > 2 {
			before = p.gap(before)
		}
		f.Ln(before)
	}
	p.need(keep + p.keep)
	p.keep = 0
	f.SetX(marginSide)
	if h.level <= 3 {
		f.Bookmark(shorten(text, 120), max(0, h.level-2), -1)
	}
	if id, ok := p.links[h.anchor]; ok {
		f.SetLink(id, -1, -1)
	}
	f.SetFont(fontSans, "B", size)
	if h.level <= 3 {
		p.color(colAccent)
	} else {
		p.color(colText)
	}
	lh := size * 0.5
	if h.level > 3 {
		lh = size * 0.45
	}
	if p.g.needsFallback(text) {
		f.SetX(marginSide)
		p.writeH(text, 0, lh)
		f.Ln(lh)
	} else {
		f.MultiCell(p.cw, lh, text, "", "L", false)
	}
	if h.level == 2 {
		p.drawColor(colAccent)
		f.SetLineWidth(0.4)
		f.Line(marginSide, f.GetY()+0.5, marginSide+p.cw, f.GetY()+0.5)
		f.Ln(2.5)
	} else if h.level == 3 {
		f.Ln(1)
	} else {
		f.Ln(0.4)
	}
	p.body()
}

// writeSpans writes inline spans at the current position, wrapping at the
// right margin and continuing at the left margin.
func (p *pdfDoc) writeSpans(spans []span, italic bool) {
	f := p.f
	plain := ""
	if italic {
		plain = "I"
	}
	for _, s := range spans {
		switch s.kind {
		case spanText:
			f.SetFont(fontSans, plain, p.bodySize)
			p.write(p.g.clean(s.text), 0)
		case spanBold:
			f.SetFont(fontSans, "B", p.bodySize)
			p.write(p.g.clean(s.text), 0)
		case spanCode:
			f.SetFont(fontMono, "", p.monoSize)
			p.write(p.g.clean(s.text), 0)
		case spanLink:
			f.SetFont(fontSans, plain, p.bodySize)
			p.color(colLink)
			p.write(p.g.clean(s.text), p.links[s.anchor])
			p.color(colText)
		case spanProse:
			p.writeProse(s.text, plain)
		}
	}
	p.body()
}

// write sets running text at the current position: it fills the rest of
// the line, wraps at spaces (or anywhere inside a word longer than a line)
// and continues at the left margin, breaking pages as needed. fpdf's own
// Write is not used: its cost grows with the square of the text's length,
// and it leaves ragged lines around long words.
func (p *pdfDoc) write(s string, link int) { p.writeH(s, link, p.bodyLine) }

// writeH is write with lines lh high.
func (p *pdfDoc) writeH(s string, link int, lh float64) {
	f := p.f
	cm := f.GetCellMargin()
	f.SetCellMargin(0)
	defer f.SetCellMargin(cm)
	left, _, right, _ := f.GetMargins()
	full := p.pageW - right - left
	r := []rune(s)
	for len(r) > 0 && !f.Err() {
		avail := p.pageW - right - f.GetX()
		if f.GetX() <= left+0.01 && r[0] == ' ' {
			r = r[1:] // no space at the start of a wrapped line
			continue
		}
		if f.GetX() > left+0.01 {
			// Measuring at most maxLineRunes+1 runes of the word keeps
			// long texts without spaces linear; a longer word is wider
			// than a line anyway.
			word := r[:min(len(r), maxLineRunes+1)]
			for i, c := range word {
				if c == ' ' {
					word = word[:i]
					break
				}
			}
			if w := p.strWidth(string(word)); w > avail && w <= full {
				f.Ln(lh) // the next word fits on a line of its own
				continue
			}
		}
		// A line never holds more than maxLineRunes characters: measuring
		// only that much keeps long texts linear instead of quadratic.
		head := r[:min(len(r), maxLineRunes)]
		line := r
		if len(r) > len(head) || p.strWidth(string(r)) > avail {
			line = p.firstLine(head, avail)
			if len(line) == 0 || len(line) > len(r) || string(line) != string(r[:len(line)]) {
				line = r[:1] // never stall: at least one character per line
			}
		}
		p.cell(p.strWidth(string(line)), lh, string(line), "L", link)
		r = r[len(line):]
		if len(r) > 0 {
			if r[0] == ' ' {
				r = r[1:]
			}
			f.Ln(lh)
		}
	}
}

// firstLine is the first line of r that fits in avail: fpdf's SplitText for
// text in the Go fonts; for text with runs in the fallback font, the longest
// prefix that fits, ended at its last space if it has one (Chinese and
// Japanese text may break between any two characters).
func (p *pdfDoc) firstLine(r []rune, avail float64) []rune {
	if !p.g.needsFallback(string(r)) {
		if lines := p.f.SplitText(string(r), avail); len(lines) > 0 {
			return []rune(lines[0])
		}
		return nil
	}
	w, n := 0.0, 0
	for n < len(r) {
		cw := p.strWidth(string(r[n]))
		if w+cw > avail {
			break
		}
		w += cw
		n++
	}
	if n >= len(r) {
		return r
	}
	for i := n; i > 0; i-- {
		if r[i] == ' ' {
			return r[:i]
		}
	}
	return r[:n]
}

// maxLineRunes bounds the characters of one printed line (a full A4 or Letter
// line of the narrowest glyphs holds far fewer).
const maxLineRunes = 600

// writeProse writes knowledge-base prose: `code` in the monospace font,
// **bold** in bold, other Markdown markers dropped.
func (p *pdfDoc) writeProse(s, plain string) {
	f := p.f
	for i, part := range strings.Split(sanitizeLine(s), "`") {
		if i%2 == 1 {
			f.SetFont(fontMono, "", p.monoSize)
			p.write(p.g.clean(part), 0)
			continue
		}
		for j, piece := range strings.Split(part, "**") {
			style := plain
			if j%2 == 1 {
				style = "B"
			}
			f.SetFont(fontSans, style, p.bodySize)
			p.write(p.g.clean(piece), 0)
		}
	}
}

func (p *pdfDoc) para(b para) {
	p.f.SetX(marginSide)
	p.writeSpans(b.spans, b.italic)
	p.f.Ln(p.bodyLine)
	p.f.Ln(p.gap(1.5))
}

// gap is the space of s millimetres between blocks, less in a compact report.
func (p *pdfDoc) gap(s float64) float64 {
	if p.compact {
		return s / 2
	}
	return s
}

func (p *pdfDoc) fields(b fields) {
	f := p.f
	if p.compact {
		p.runInFields(b)
		return
	}
	f.SetFont(fontSans, "B", p.bodySize)
	keyW := 24.0
	for _, it := range b.items {
		keyW = max(keyW, f.GetStringWidth(p.g.clean(it.key))+4)
	}
	keyW = min(keyW, p.cw/3)
	for _, it := range b.items {
		p.need(p.bodyLine)
		f.SetX(marginSide)
		f.SetFont(fontSans, "B", p.bodySize)
		p.color(colMuted)
		f.CellFormat(keyW, p.bodyLine, p.g.clean(it.key), "", 0, "L", false, 0, "")
		p.body()
		f.SetLeftMargin(marginSide + keyW)
		p.writeSpans(it.value, false)
		f.SetLeftMargin(marginSide)
		f.Ln(p.bodyLine)
	}
	f.Ln(1.5)
}

// runInFields writes key/value lines as one paragraph: each bold key is
// followed by its value and a separating dot, wrapping like running text.
func (p *pdfDoc) runInFields(b fields) {
	f := p.f
	p.need(2 * p.bodyLine)
	f.SetX(marginSide)
	for i, it := range b.items {
		if i > 0 {
			p.body()
			p.write("  ·  ", 0)
		}
		f.SetFont(fontSans, "B", p.bodySize)
		p.color(colMuted)
		p.write(p.g.clean(it.key)+" ", 0)
		p.body()
		p.writeSpans(it.value, false)
	}
	f.Ln(p.bodyLine)
	f.Ln(1.5)
}

func (p *pdfDoc) bullets(b bullets) {
	f := p.f
	for _, it := range b.items {
		p.need(p.bodyLine)
		f.SetX(marginSide + 1.5)
		f.CellFormat(4, p.bodyLine, "•", "", 0, "L", false, 0, "")
		f.SetLeftMargin(marginSide + 5.5)
		p.writeSpans(it, false)
		f.SetLeftMargin(marginSide)
		if p.compact {
			f.Ln(p.bodyLine + 0.2)
		} else {
			f.Ln(p.bodyLine + 0.8)
		}
	}
	f.Ln(1)
}

func (p *pdfDoc) steps(b steps) {
	f := p.f
	const indent = 7.0
	for i, st := range b.items {
		p.need(2 * p.bodyLine)
		f.SetX(marginSide)
		f.SetFont(fontSans, "B", p.bodySize)
		f.CellFormat(indent, p.bodyLine, fmt.Sprintf("%d.", i+1), "", 0, "R", false, 0, "")
		p.body()
		f.SetLeftMargin(marginSide + indent + 1)
		f.SetX(marginSide + indent + 1)
		text := st.Text
		if strings.TrimSpace(text) == "" {
			text = "(no text)"
		}
		p.writeProse(text, "")
		p.body()
		f.Ln(p.bodyLine)
		if len(st.Commands) > 0 {
			f.Ln(0.5)
			p.codeBlock(strings.Join(st.Commands, "\n"), marginSide+indent+1, stepShell(st))
		}
		for _, c := range st.Corrections {
			f.SetX(marginSide + indent + 1)
			f.SetFont(fontSans, "I", p.bodySize-1)
			p.writeProse("Corrected from the article: "+c, "")
			p.body()
			f.Ln(p.bodyLine)
		}
		f.SetLeftMargin(marginSide)
		f.Ln(p.gap(1))
	}
	f.Ln(p.gap(0.5))
}

// codeBlock draws a command in the monospace font on a grey band from x to
// the right margin, wrapping long lines and breaking pages between lines.
// The shell the commands are for (label, may be "") is named in small
// italics at the right end of the band's first line, or on a line of its
// own above the commands when the first line leaves no room.
func (p *pdfDoc) codeBlock(text string, x float64, label string) {
	f := p.f
	w := marginSide + p.cw - x
	const lh = 3.9
	labelW := 0.0
	if label != "" {
		f.SetFont(fontSans, "I", shellSize)
		labelW = f.GetStringWidth(label) + 3
	}
	f.SetFont(fontMono, "", monoSize)
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(sanitizeBlock(text), "\n"), "\n") {
		l = p.g.clean(strings.ReplaceAll(l, "\t", "    "))
		split := f.SplitText(l, w-2)
		if len(split) == 0 {
			split = []string{""}
		}
		lines = append(lines, split...)
	}
	labelOwnLine := label != "" && len(lines) > 0 && f.GetStringWidth(lines[0])+labelW > w-2
	if labelOwnLine {
		lines = append([]string{""}, lines...)
	}
	p.fillColor(colCodeBg)
	p.color(colText)
	for i, l := range lines {
		pad := 0.0
		if i == 0 || i == len(lines)-1 {
			pad = 0.8
		}
		if f.GetY()+lh+pad > p.trigger() {
			f.AddPage()
			f.SetFont(fontMono, "", monoSize)
			p.fillColor(colCodeBg)
		}
		y := f.GetY()
		f.Rect(x, y, w, lh+pad, "F")
		top := 0.0
		if i == 0 {
			top = 0.8
		}
		f.SetXY(x+1, y+top)
		f.CellFormat(w-2, lh, l, "", 0, "L", false, 0, "")
		if i == 0 && label != "" {
			f.SetFont(fontSans, "I", shellSize)
			p.color(colMuted)
			f.SetXY(x+1, y+top)
			f.CellFormat(w-2, lh, label, "", 0, "R", false, 0, "")
			f.SetFont(fontMono, "", monoSize)
			p.color(colText)
		}
		f.SetXY(x, y+lh+pad)
	}
	p.body()
	f.Ln(p.gap(1))
}

// headingStyle returns a heading level's font size, the space above it and
// the room the heading itself takes.
func headingStyle(level int) (size, before, height float64) {
	switch level {
	case 1:
		return 18, 0, 12
	case 2:
		return 14, 5, 12
	case 3:
		return 11.5, 4, 9
	}
	return 9.5, 1.2, 6
}

// maxKeep caps the room a heading asks for below itself.
const maxKeep = 40.0

// keepAfter is the room the blocks after the heading at i need on the same
// page as the heading: its first content (estimated), or, when another
// heading follows at once or after one introductory paragraph, that heading
// and its content too.
func keepAfter(blocks []block, i int) float64 {
	sum := 0.0
	for j := i + 1; j < len(blocks); j++ {
		if h, ok := blocks[j].(heading); ok {
			_, intro := blocks[i+1].(para)
			if j == i+1 || j == i+2 && intro { // a heading, or an intro paragraph and a heading
				_, before, height := headingStyle(h.level)
				sum += before + height + keepAfter(blocks, j)
			}
			break
		}
		sum += estimate(blocks[j])
	}
	return min(sum, maxKeep)
}

// estimate is roughly how much room a block needs at the top of its first
// page, so that a heading is not left alone at the bottom of a page.
func estimate(b block) float64 {
	switch b := b.(type) {
	case para:
		return 2 * bodyLine
	case fields:
		return float64(len(b.items)) * bodyLine
	case bullets:
		return float64(min(len(b.items), 3)) * 2 * bodyLine
	case steps:
		return 3 * bodyLine
	case table:
		return 20
	case chart:
		return 85
	}
	return 10
}
