package render

import (
	"fmt"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
)

// Font families registered in every PDF.
const (
	fontSans = "gosans" // styles "", "B", "I"
	fontMono = "gomono" // style ""
)

// glyphs knows which characters all the embedded fonts can draw.
type glyphs struct {
	cov      coverage
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
	return g, nil
}

// has reports whether every embedded font has a glyph for r. Runes above
// U+FFFF are never drawable: fpdf's width tables would overflow on them.
func (g *glyphs) has(r rune) bool { return g.cov.has(r) }

// clean makes untrusted text safe for the PDF: one line (see sanitizeLine),
// and every character the fonts lack replaced by U+FFFD, which they have.
func (g *glyphs) clean(s string) string {
	s = sanitizeLine(s)
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x7F {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if !g.has(r) {
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
