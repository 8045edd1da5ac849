package render

import (
	"strings"
	"unicode"
)

// Table cells are wrapped only at spaces and at chosen break points inside
// paths and URLs: after / \ ? & always, after . and - only between two
// characters that are not digits (so "2024-11-15", "1.5" and "0x80200013"
// never break), never at _ (ERROR_WINHTTP_TIMEOUT is one code). A piece that cannot break and is wider than its column is
// cut with "…" (the full value is in the appendix and the JSON).

// breakAfter reports whether a line may break after rs[i].
func breakAfter(rs []rune, i int) bool {
	if i+1 >= len(rs) {
		return false
	}
	if wide(rs[i]) || wide(rs[i+1]) {
		return true // Chinese, Japanese and Korean text breaks between characters
	}
	switch rs[i] {
	case '/', '\\', '?', '&':
		return true
	case '.', '-':
		return i > 0 && !unicode.IsDigit(rs[i-1]) && !unicode.IsDigit(rs[i+1])
	}
	return false
}

// pieces splits a word (no spaces) at its break points.
func pieces(word string) []string {
	rs := []rune(word)
	var out []string
	start := 0
	for i := range rs {
		if breakAfter(rs, i) {
			out = append(out, string(rs[start:i+1]))
			start = i + 1
		}
	}
	return append(out, string(rs[start:]))
}

// wrapCell wraps s into lines no wider than width as measured by w.
func wrapCell(s string, width float64, w func(string) float64) []string {
	var lines []string
	cur := ""
	push := func() {
		lines = append(lines, cur)
		cur = ""
	}
	fit := func(piece string) string { // cut a piece that no line can hold
		if w(piece) <= width {
			return piece
		}
		rs := []rune(piece)
		for n := len(rs) - 1; n > 0; n-- {
			if t := string(rs[:n]) + "…"; w(t) <= width {
				return t
			}
		}
		return "…"
	}
	for _, word := range strings.Fields(s) {
		switch {
		case cur == "" && w(word) <= width:
			cur = word
			continue
		case cur != "" && w(cur+" "+word) <= width:
			cur += " " + word
			continue
		case w(word) <= width:
			push()
			cur = word
			continue
		}
		// The word is wider than a line: place it piece by piece.
		for k, p := range pieces(word) {
			sep := ""
			if k == 0 && cur != "" {
				sep = " "
			}
			if cur != "" && w(cur+sep+p) > width {
				push()
				sep = ""
			}
			if cur == "" {
				cur = fit(p)
			} else {
				cur += sep + p
			}
		}
	}
	if cur != "" || len(lines) == 0 {
		push()
	}
	return lines
}

// minPieceWidth is the width of s's longest unbreakable piece.
func minPieceWidth(s string, w func(string) float64) float64 {
	m := 0.0
	for _, word := range strings.Fields(s) {
		for _, p := range pieces(word) {
			m = max(m, w(p))
		}
	}
	return m
}

// wide reports whether r is a Chinese, Japanese or Korean character, after
// or before which a line may break.
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF
}
