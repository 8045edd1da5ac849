package render

import (
	"bytes"
	_ "embed"
	"fmt"
	"unicode/utf8"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
)

// Font families registered in every PDF, and the fallback family registered
// when a report has characters the Go fonts lack.
const (
	fontSans = "gosans" // styles "", "B", "I"
	fontMono = "gomono" // style ""
	fontCJK  = "cjk"    // style "": Droid Sans Fallback (see fonts/README.md)
)

// cjkTTF is Droid Sans Fallback (Apache-2.0, fonts/LICENSE-DroidSansFallback.txt):
// Chinese, Japanese and Korean glyphs, about 4 MB. fpdf subsets it, so a PDF
// only grows by the glyphs it uses.
//
//go:embed fonts/DroidSansFallbackFull.ttf
var cjkTTF []byte

// glyphs knows which characters the embedded fonts can draw.
type glyphs struct {
	cov      coverage      // characters every Go font has
	cjk      coverage      // characters the fallback font has
	replaced map[rune]bool // characters clean replaced (the PDF says so at its end)
}

// newGlyphs reads the embedded fonts' character maps.
func newGlyphs() (*glyphs, error) {
	g := &glyphs{}
	for i, ttf := range [][]byte{goregular.TTF, gobold.TTF, goitalic.TTF, gomono.TTF} {
		c, err := fontCoverage(ttf)
		if err != nil {
			return nil, fmt.Errorf("render: embedded font %d: %w", i, err)
		}
		if i == 0 {
			g.cov = *c
			continue
		}
		for k := range g.cov {
			g.cov[k] &= c[k]
		}
	}
	c, err := fontCoverage(cjkTTF)
	if err != nil {
		return nil, fmt.Errorf("render: embedded fallback font: %w", err)
	}
	g.cjk = *c
	return g, nil
}

// has reports whether every Go font has a glyph for r. Runes above U+FFFF
// are never drawable: fpdf's width tables would overflow on them.
func (g *glyphs) has(r rune) bool { return g.cov.has(r) }

// fallback reports whether r is drawn with the fallback font: the Go fonts
// lack it and the fallback has it.
func (g *glyphs) fallback(r rune) bool { return !g.cov.has(r) && g.cjk.has(r) }

// clean makes untrusted text safe for the PDF: one line (see sanitizeLine),
// and every character no embedded font has replaced by U+FFFD, which the Go
// fonts have.
func (g *glyphs) clean(s string) string {
	s = sanitizeLine(s)
	if isASCII(s) {
		return s
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if !g.has(r) && !g.cjk.has(r) {
			if g.replaced == nil {
				g.replaced = map[rune]bool{}
			}
			g.replaced[r] = true
			r = replacement
		}
		out = append(out, r)
	}
	return string(out)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// textRun is a piece of a string drawn with one font: the current Go font,
// or the fallback font when cjk is set.
type textRun struct {
	text string
	cjk  bool
}

// runs splits s into runs by the font that draws them: the Go fonts for
// every character they have (spaces too), the fallback for the rest.
func (g *glyphs) runs(s string) []textRun {
	if isASCII(s) {
		return []textRun{{text: s}}
	}
	var out []textRun
	start, cur := 0, false
	for i, r := range s {
		fb := g.fallback(r)
		if i > start && fb != cur {
			out = append(out, textRun{text: s[start:i], cjk: cur})
			start = i
		}
		if i == start {
			cur = fb
		}
	}
	return append(out, textRun{text: s[start:], cjk: cur})
}

// needsFallback reports whether s has a character only the fallback font
// draws.
func (g *glyphs) needsFallback(s string) bool {
	if isASCII(s) {
		return false
	}
	for _, r := range s {
		if g.fallback(r) {
			return true
		}
	}
	return false
}

// useFallback selects the fallback font at the current size, registering it
// with the document on first use; restore selects the Go font again.
func (p *pdfDoc) useFallback() (restore func()) {
	f := p.f
	if !p.cjkAdded {
		// fpdf writes into the font bytes while it subsets them: a copy,
		// so the embedded slice stays intact for the next document.
		f.AddUTF8FontFromBytes(fontCJK, "", bytes.Clone(cjkTTF))
		p.cjkAdded = true
	}
	family, style := f.GetFontFamily(), f.GetFontStyle()
	size, _ := f.GetFontSize()
	f.SetFont(fontCJK, "", size)
	return func() { f.SetFont(family, style, size) }
}

// strWidth is the width of s in the current font, each run measured with
// the font that draws it.
func (p *pdfDoc) strWidth(s string) float64 {
	if !p.g.needsFallback(s) {
		return p.f.GetStringWidth(s)
	}
	w := 0.0
	for _, r := range p.g.runs(s) {
		if !r.cjk {
			w += p.f.GetStringWidth(r.text)
			continue
		}
		restore := p.useFallback()
		w += p.f.GetStringWidth(r.text)
		restore()
	}
	return w
}

// cell draws s in a cell w wide and h high like fpdf's CellFormat with no
// border, no fill and the position left after the cell, switching to the
// fallback font for the runs that need it.
func (p *pdfDoc) cell(w, h float64, s, align string, link int) {
	f := p.f
	if !p.g.needsFallback(s) {
		f.CellFormat(w, h, s, "", 0, align, false, link, "")
		return
	}
	x, y := f.GetXY()
	cm := f.GetCellMargin()
	tw := p.strWidth(s)
	start := x + cm
	switch align {
	case "R":
		start = x + w - cm - tw
	case "C":
		start = x + (w-tw)/2
	}
	f.SetCellMargin(0)
	f.SetXY(start, y)
	for _, r := range p.g.runs(s) {
		if r.cjk {
			restore := p.useFallback()
			f.CellFormat(f.GetStringWidth(r.text), h, r.text, "", 0, "L", false, link, "")
			restore()
			continue
		}
		f.CellFormat(f.GetStringWidth(r.text), h, r.text, "", 0, "L", false, link, "")
	}
	f.SetCellMargin(cm)
	f.SetXY(x+w, y)
}
