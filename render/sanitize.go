package render

import (
	"strings"
	"unicode/utf8"
)

// replacement is shown in place of characters that cannot be shown safely.
const replacement = '\uFFFD'

// unsafeRune reports whether r must not appear in a report: control
// characters (other than the whitespace handled by the callers), bidi
// controls that could reorder the surrounding text, noncharacters and the
// byte-order mark.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7F, r >= 0x80 && r <= 0x9F:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	case r == 0xFEFF, r == 0xFFFE, r == 0xFFFF:
		return true
	}
	return false
}

// sanitizeLine turns untrusted text into one safe line: invalid UTF-8 and
// unsafe characters become U+FFFD, line breaks and tabs become spaces.
func sanitizeLine(s string) string { return sanitize(s, false) }

// sanitizeBlock is sanitizeLine for multi-line text (commands): line breaks
// are kept as "\n" and tabs as they are.
func sanitizeBlock(s string) string { return sanitize(s, true) }

func sanitize(s string, keepBreaks bool) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7F {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteRune(replacement)
		case r == '\r' && i < len(s) && s[i] == '\n':
			// CR LF: the LF stands for both
		case r == '\n', r == '\r', r == 0x2028, r == 0x2029, r == 0x85:
			if keepBreaks {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case r == '\t' && keepBreaks:
			b.WriteByte('\t')
		case r == '\t', r == '\v', r == '\f':
			b.WriteByte(' ')
		case unsafeRune(r):
			b.WriteRune(replacement)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
