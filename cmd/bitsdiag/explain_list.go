package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"bitsdiag/analyze"
	"bitsdiag/termtext"
)

// parseCodeOrName reads a numeric code (analyze.ParseCode) or a symbolic name
// from the code tables. A %%N must be a Win32 error, 1 to 65535.
func parseCodeOrName(kb *analyze.KB, in string) (uint32, error) {
	s := strings.TrimSpace(in)
	if rest, ok := strings.CutPrefix(s, "%%"); ok {
		n, err := strconv.ParseInt(rest, 10, 64)
		if err == nil && (n < 1 || n > 65535) {
			return 0, fmt.Errorf("code %s: a %%%%N is a Win32 error number from 1 to 65535", termtext.Quote(in))
		}
	}
	if isName(s) {
		if c, ok := kb.CodeByName(s); ok {
			return c, nil
		}
		// BG_E_HTTP_ERROR_xxx: facility HTTP, the status in the low word.
		if st, ok := cutPrefixFold(s, "BG_E_HTTP_ERROR_"); ok {
			if n, err := strconv.Atoi(st); err == nil && n >= 100 && n <= 599 {
				return 0x80190000 | uint32(n), nil
			}
		}
		return 0, fmt.Errorf("code %s: no code of that name is known (try 'bitsdiag explain --list')", termtext.Quote(in))
	}
	return analyze.ParseCode(in)
}

// isName reports whether s looks like a symbolic name (ERROR_..., BG_E_...,
// E_ACCESSDENIED) rather than a number.
func isName(s string) bool {
	if len(s) < 3 || !strings.Contains(s, "_") {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// listCodes prints every known code (explain --list), optionally only one
// facility's.
func listCodes(o *explainOptions, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		return usageError(stderr, "explain", errors.New("--list takes no CODE arguments (use --facility to filter)"))
	}
	kb, err := analyze.LoadKB(o.kb...)
	if err != nil {
		fmt.Fprintf(stderr, "bitsdiag explain: %s\n", termtext.Escape(err.Error()))
		return exitUsage
	}
	want := -1
	if o.facility != "" {
		f := strings.TrimPrefix(strings.ToUpper(o.facility), "FACILITY_")
		if n, err := strconv.ParseUint(f, 0, 16); err == nil {
			want = int(n)
		} else {
			for n := range 0x800 {
				if analyze.FacilityName(uint16(n)) == f {
					want = n
				}
			}
		}
		if want < 0 {
			return usageError(stderr, "explain", fmt.Errorf("--facility %s: not a known facility name or number", termtext.Quote(o.facility)))
		}
	}
	var b strings.Builder
	for _, c := range kb.Codes() {
		ci := kb.Decode(c)
		if want >= 0 && int(ci.Facility) != want {
			continue
		}
		mark := " "
		if kb.ByCode(c) != nil {
			mark = "*"
		}
		fmt.Fprintf(&b, "%s %s  %-40s %s\n", mark, ci.Hex, ci.Name, ci.Meaning)
	}
	b.WriteString("(* = the knowledge base has a cause and fix)\n")
	if _, err := io.WriteString(stdout, escapeLines(b.String())); err != nil {
		fmt.Fprintf(stderr, "bitsdiag explain: %v\n", err)
		return exitFail
	}
	return exitOK
}

// escapeLines escapes each line of text for the terminal (knowledge-base text
// from a --kb file is untrusted), keeping the line breaks.
func escapeLines(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = termtext.Escape(l)
	}
	return strings.Join(lines, "\n")
}

// cutPrefixFold is strings.CutPrefix ignoring ASCII case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
