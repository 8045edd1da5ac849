package render

import "strings"

// Table layout: every cell wraps (fpdf.SplitText), the tallest cell sets the
// row height, rows never split, and the header row is repeated on every page
// the table continues on.

const (
	tableSize     = 8
	tableLine     = 3.6
	tablePad      = 1.0
	compactSize   = 7 // tableSize in a compact report (pdfDoc.compact)
	compactLine   = 3.15
	compactPad    = 0.7
	maxCellLines  = 24 // a cell never grows beyond this many lines
	headerFillRGB = 0xDCE4F0
	zebraFillRGB  = 0xF5F5F5
)

func rgb(c int) [3]int { return [3]int{c >> 16 & 0xFF, c >> 8 & 0xFF, c & 0xFF} }

// pdfRow is one laid-out row: the lines of every cell.
type pdfRow struct {
	lines  [][]string
	height float64
}

// Column widths: a column is at least as wide as its longest unbreakable
// piece (a word, a code, a number, a path segment; see wrapCell), up to
// maxPiece millimetres; longer pieces may be cut with "…" (the full value
// is in the appendix and the JSON). A whole word claims up to maxWordShare
// of the width before the table wraps it at its break points.
const (
	maxPiece      = 40.0
	maxWordShare  = 0.3
	maxKeepShare  = 0.4 // share of the width a kept column may claim for its whole text
	maxWholeShare = 0.5 // share of the width a column marked whole may claim for one piece
)

// colWidths fits the columns to the content width in three tiers: first
// every column gets its short words (and kept columns their whole text),
// then room for long words, then room to avoid wrapping; each tier is shared
// in proportion to what the columns still need.
func (p *pdfDoc) colWidths(cols []column, titles []string, texts [][]string) []float64 {
	f := p.f
	margin := 2*f.GetCellMargin() + 0.5
	n := len(cols)
	hard, soft, pref := make([]float64, n), make([]float64, n), make([]float64, n)
	measure := func(i int, s string, header bool) {
		pieceCap := maxPiece
		if cols[i].whole {
			pieceCap = p.cw * maxWholeShare
		}
		pref[i] = max(pref[i], p.strWidth(s)+margin)
		for _, w := range strings.Fields(s) {
			ww := p.strWidth(w) + margin
			soft[i] = max(soft[i], min(ww, max(p.cw*maxWordShare, pieceCap)))
		}
		hard[i] = max(hard[i], min(minPieceWidth(s, p.strWidth)+margin, pieceCap))
	}
	for i, c := range cols {
		p.cellFont(c, true)
		measure(i, titles[i], true)
		p.cellFont(c, false)
		for _, row := range texts {
			measure(i, row[i], false)
		}
		if c.keep {
			hard[i] = max(hard[i], min(pref[i], p.cw*maxKeepShare))
		}
		soft[i] = max(soft[i], hard[i])
		pref[i] = min(max(pref[i], soft[i]), p.cw)
	}
	sum := func(v []float64) (t float64) {
		for _, x := range v {
			t += x
		}
		return t
	}
	w := make([]float64, n)
	tiers := [][]float64{hard, soft, pref}
	lo := make([]float64, n) // zero widths below the first tier
	if sum(hard) > p.cw {
		// Not even the unbreakable pieces fit: narrow the widest columns
		// first (their longest pieces are cut with "…"), never the
		// narrow ones with codes, numbers and short words.
		capW := waterLevel(hard, p.cw)
		for i := range w {
			w[i] = min(hard[i], capW)
		}
		return w
	}
	for _, hi := range tiers {
		if sum(hi) >= p.cw {
			// Between the tiers: every column gets what it needs up to a
			// common level, so narrow columns are served in full and the
			// widest ones share what is left.
			lvl := fillLevel(lo, hi, p.cw)
			for i := range w {
				w[i] = max(lo[i], min(hi[i], lvl))
			}
			return w
		}
		lo = hi
	}
	for i := range w { // everything fits: widen in proportion
		w[i] = pref[i] * p.cw / sum(pref)
	}
	return w
}

// layoutRow wraps every cell of a row.
func (p *pdfDoc) layoutRow(cols []column, widths []float64, texts []string, header bool) pdfRow {
	r := pdfRow{lines: make([][]string, len(cols))}
	n := 1
	for i, c := range cols {
		p.cellFont(c, header)
		lines := wrapCell(texts[i], widths[i]-2*p.f.GetCellMargin()-0.3, p.strWidth)
		if len(lines) > maxCellLines {
			lines = lines[:maxCellLines]
			lines[maxCellLines-1] = shorten(lines[maxCellLines-1], max(1, len([]rune(lines[maxCellLines-1]))-1)) + "…"
		}
		r.lines[i] = lines
		if p.cells != nil && !header {
			*p.cells = append(*p.cells, cellLayout{text: texts[i], lines: lines})
		}
		n = max(n, len(lines))
	}
	r.height = float64(n)*p.tableLine() + 2*p.tablePad()
	return r
}

func (p *pdfDoc) cellFont(c column, header bool) {
	size := float64(tableSize)
	if p.compact {
		size = compactSize
	}
	switch {
	case header:
		p.f.SetFont(fontSans, "B", size)
	case c.mono:
		p.f.SetFont(fontMono, "", size-0.5)
	default:
		p.f.SetFont(fontSans, "", size)
	}
}

// tableLine is the height of a line of table text.
func (p *pdfDoc) tableLine() float64 {
	if p.compact {
		return compactLine
	}
	return tableLine
}

// tablePad is the room above and below a table row's text.
func (p *pdfDoc) tablePad() float64 {
	if p.compact {
		return compactPad
	}
	return tablePad
}

// drawRow draws a laid-out row at the current y.
func (p *pdfDoc) drawRow(cols []column, widths []float64, r pdfRow, cells []cell, fill int, header bool) {
	f := p.f
	y := f.GetY()
	if fill >= 0 {
		p.fillColor(rgb(fill))
		f.Rect(marginSide, y, p.cw, r.height, "F")
	}
	x := marginSide
	for i, c := range cols {
		p.cellFont(c, header)
		p.color(colText)
		if !header && i < len(cells) && cells[i].anchor != "" {
			if id, ok := p.links[cells[i].anchor]; ok {
				p.color(colLink)
				f.Link(x, y, widths[i], r.height, id)
			}
		}
		align := "L"
		if c.right && !header {
			align = "R"
		}
		for k, l := range r.lines[i] {
			f.SetXY(x, y+p.tablePad()+float64(k)*p.tableLine())
			p.cell(widths[i], p.tableLine(), l, align, 0)
		}
		x += widths[i]
	}
	p.drawColor(colRule)
	f.SetLineWidth(0.15)
	if header {
		p.drawColor(colAccent)
		f.SetLineWidth(0.3)
	}
	f.Line(marginSide, y+r.height, marginSide+p.cw, y+r.height)
	f.SetXY(marginSide, y+r.height)
}

func (p *pdfDoc) table(t table) {
	f := p.f
	titles := make([]string, len(t.cols))
	for i, c := range t.cols {
		titles[i] = p.g.clean(c.title)
	}
	texts := make([][]string, len(t.rows))
	for i, row := range t.rows {
		texts[i] = make([]string, len(t.cols))
		for k, c := range t.cols {
			if k < len(row) {
				texts[i][k] = p.g.clean(shorten(sanitizeLine(row[k].plain()), c.max))
			}
		}
	}
	widths := p.colWidths(t.cols, titles, texts)
	head := p.layoutRow(t.cols, widths, titles, true)
	rows := make([]pdfRow, len(t.rows))
	for i := range texts {
		rows[i] = p.layoutRow(t.cols, widths, texts[i], false)
	}
	first := 0.0
	if len(rows) > 0 {
		first = rows[0].height
	}
	p.need(head.height + first)
	f.SetX(marginSide)
	p.drawRow(t.cols, widths, head, nil, headerFillRGB, true)
	for i, r := range rows {
		if f.GetY()+r.height > p.trigger() {
			f.AddPage()
			p.drawRow(t.cols, widths, head, nil, headerFillRGB, true)
		}
		fill := -1
		if i%2 == 1 {
			fill = zebraFillRGB
		}
		p.drawRow(t.cols, widths, r, t.rows[i], fill, false)
	}
	p.body()
	f.Ln(p.gap(3))
}

// cellLayout records how one table cell was wrapped (tests read it).
type cellLayout struct {
	text  string
	lines []string
}

// waterLevel is the width c at which the columns, each at min(need, c), fill
// total exactly (sum(need) > total).
func waterLevel(need []float64, total float64) float64 {
	lo, hi := 0.0, total
	for range 50 {
		c := (lo + hi) / 2
		s := 0.0
		for _, n := range need {
			s += min(n, c)
		}
		if s > total {
			hi = c
		} else {
			lo = c
		}
	}
	return lo
}

// fillLevel is the level L at which the widths max(lo, min(hi, L)) add up
// to total (sum(lo) <= total <= sum(hi)).
func fillLevel(lo, hi []float64, total float64) float64 {
	a, b := 0.0, total
	for range 50 {
		l := (a + b) / 2
		s := 0.0
		for i := range lo {
			s += max(lo[i], min(hi[i], l))
		}
		if s > total {
			b = l
		} else {
			a = l
		}
	}
	return a
}
