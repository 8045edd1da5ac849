// Package termtext makes untrusted text (file names, archive entry names,
// knowledge-base text from a --kb file) safe to write to a terminal or a log
// stream: control characters, escape sequences, bidirectional overrides and
// invalid UTF-8 are shown as Go escapes instead of being acted on.
package termtext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Safe reports whether s can be written to a terminal as it is: valid UTF-8
// with no control, format (bidi overrides, zero-width) or line/paragraph
// separator characters. Ordinary spaces are allowed; tabs and newlines are not.
func Safe(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return false
		}
		if unsafeRune(r) {
			return false
		}
		i += n
	}
	return true
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// Escape returns s with every unsafe character replaced by its Go escape
// (\x1b, \n, \u202e); invalid bytes become \xNN. Backslashes are doubled only
// when s needed escaping, so that ordinary Windows paths stay readable.
func Escape(s string) string {
	if Safe(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// Quote returns s in double quotes, escaped like strconv.Quote but keeping
// printable non-ASCII text (Chinese computer names) as it is.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteString(Escape(s[i : i+n]))
		}
		i += n
	}
	b.WriteByte('"')
	return b.String()
}
