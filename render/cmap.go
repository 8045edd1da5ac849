package render

import (
	"encoding/binary"
	"errors"
)

// A small reader for the character map ("cmap" table) of a TrueType font,
// enough to tell which characters of the Basic Multilingual Plane a font can
// draw. (golang.org/x/image/font/sfnt would do this too, but it pulls in
// golang.org/x/text, which the module does not depend on.)

// coverage is a bit set of the BMP characters a font has glyphs for.
type coverage [0x10000 / 64]uint64

func (c *coverage) set(r uint32) {
	if r < 0x10000 {
		c[r/64] |= 1 << (r % 64)
	}
}

func (c *coverage) has(r rune) bool {
	return r >= 0 && r < 0x10000 && c[r/64]&(1<<(uint32(r)%64)) != 0
}

var errBadFont = errors.New("render: malformed TrueType font")

// fontCoverage reads the cmap of a TrueType font: the Unicode BMP subtable
// (format 4) or the full-repertoire one (format 12), whichever it has.
func fontCoverage(ttf []byte) (*coverage, error) {
	u16 := func(o int) (int, bool) {
		if o < 0 || o+2 > len(ttf) {
			return 0, false
		}
		return int(binary.BigEndian.Uint16(ttf[o:])), true
	}
	u32 := func(o int) (uint32, bool) {
		if o < 0 || o+4 > len(ttf) {
			return 0, false
		}
		return binary.BigEndian.Uint32(ttf[o:]), true
	}
	numTables, ok := u16(4)
	if !ok {
		return nil, errBadFont
	}
	cmap := -1
	for i := 0; i < numTables; i++ {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return nil, errBadFont
		}
		if string(ttf[rec:rec+4]) == "cmap" {
			off, _ := u32(rec + 8)
			cmap = int(off)
		}
	}
	if cmap < 0 {
		return nil, errBadFont
	}
	n, ok := u16(cmap + 2)
	if !ok {
		return nil, errBadFont
	}
	best, bestRank := -1, 0
	for i := 0; i < n; i++ {
		rec := cmap + 4 + 8*i
		platform, ok1 := u16(rec)
		encoding, ok2 := u16(rec + 2)
		off, ok3 := u32(rec + 4)
		if !ok1 || !ok2 || !ok3 {
			return nil, errBadFont
		}
		rank := 0
		switch {
		case platform == 3 && encoding == 10, platform == 0 && encoding >= 4:
			rank = 3
		case platform == 3 && encoding == 1:
			rank = 2
		case platform == 0:
			rank = 1
		}
		if rank > bestRank {
			best, bestRank = cmap+int(off), rank
		}
	}
	if best < 0 {
		return nil, errBadFont
	}
	format, ok := u16(best)
	if !ok {
		return nil, errBadFont
	}
	c := &coverage{}
	switch format {
	case 4:
		segX2, ok := u16(best + 6)
		if !ok {
			return nil, errBadFont
		}
		ends := best + 14
		starts := ends + segX2 + 2
		deltas := starts + segX2
		ranges := deltas + segX2
		for s := 0; s < segX2; s += 2 {
			end, ok1 := u16(ends + s)
			start, ok2 := u16(starts + s)
			delta, ok3 := u16(deltas + s)
			rangeOff, ok4 := u16(ranges + s)
			if !ok1 || !ok2 || !ok3 || !ok4 {
				return nil, errBadFont
			}
			for ch := start; ch <= end && ch <= 0xFFFF; ch++ {
				glyph := 0
				if rangeOff == 0 {
					glyph = (ch + delta) & 0xFFFF
				} else if g, ok := u16(ranges + s + rangeOff + 2*(ch-start)); ok && g != 0 {
					glyph = (g + delta) & 0xFFFF
				}
				if glyph != 0 {
					c.set(uint32(ch))
				}
			}
		}
	case 12:
		groups, ok := u32(best + 12)
		if !ok || int64(groups)*12 > int64(len(ttf)) {
			return nil, errBadFont
		}
		for i := 0; i < int(groups); i++ {
			g := best + 16 + 12*i
			start, ok1 := u32(g)
			end, ok2 := u32(g + 4)
			glyph, ok3 := u32(g + 8)
			if !ok1 || !ok2 || !ok3 {
				return nil, errBadFont
			}
			for ch := start; ch <= end && ch < 0x10000; ch++ {
				if glyph+(ch-start) != 0 {
					c.set(ch)
				}
			}
		}
	default:
		return nil, errBadFont
	}
	return c, nil
}
