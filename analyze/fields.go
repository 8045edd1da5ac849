package analyze

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf16"
)

// unknownSize is the UINT64_MAX value BITS logs for "size not known".
const unknownSize = ^uint64(0)

// quote puts a logged value (a path, an account) in double quotes for the
// evidence text, without escaping backslashes; control characters become
// spaces. Renderers escape the text for their format.
func quote(s string) string {
	return `"` + strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7F {
			return ' '
		}
		return r
	}, s) + `"`
}

// firstValue returns the first non-empty value of the named fields.
func firstValue(e *Fact, names ...string) string {
	for _, n := range names {
		if v := strings.TrimSpace(e.Value(n)); v != "" {
			return v
		}
	}
	return ""
}

// parseCodeValue reads an error code logged in a payload field (hr,
// ErrorCode, ...): ParseCode's forms, except that a plain decimal up to 65535
// is the code itself, not a Win32 number to wrap, because these fields hold
// HRESULTs. ok is false for empty or unreadable text.
func parseCodeValue(s string) (uint32, bool) {
	c, err := ParseCode(s)
	if err != nil {
		return 0, false
	}
	if t := strings.TrimSpace(s); isDecimal(t) {
		if n, err := strconv.ParseUint(t, 10, 32); err == nil && n <= 0xFFFF {
			return uint32(n), true
		}
	}
	return c, true
}

// scmCode reads an SCM parameter holding an error: "%%N" or a number, a
// small one being a Win32 error (ParseCode's rules).
func scmCode(s string) (uint32, bool) {
	c, err := ParseCode(s)
	return c, err == nil
}

// isFailure reports whether an HRESULT has the severity bit set.
func isFailure(hr uint32) bool { return hr&0x80000000 != 0 }

// parseSize reads a byte count; UINT64_MAX and unreadable values are unknown.
func parseSize(s string) (uint64, bool) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	if err != nil || n == unknownSize {
		return 0, false
	}
	return n, true
}

// hostOf returns the lower-case host of a URL or UNC path, "" for local paths.
func hostOf(raw string) string {
	raw = strings.TrimSpace(raw)
	if strings.HasPrefix(raw, `\\`) {
		rest := strings.TrimPrefix(raw, `\\`)
		if strings.HasPrefix(rest, `?\`) || strings.HasPrefix(rest, `.\`) {
			return ""
		}
		h, _, _ := strings.Cut(rest, `\`)
		return strings.ToLower(h)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// binaryKey decodes an SCM <Binary> blob: UTF-16LE "<service key>[/<state>]"
// followed by NUL. ok is false when the blob is not such a string.
func binaryKey(b []byte) (key, state string, ok bool) {
	if len(b) < 2 || len(b) > 1024 {
		return "", "", false
	}
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := uint16(b[i]) | uint16(b[i+1])<<8
		if c == 0 {
			break
		}
		if c < 0x20 {
			return "", "", false
		}
		u = append(u, c)
	}
	if len(u) == 0 {
		return "", "", false
	}
	s := string(utf16.Decode(u))
	key, state, _ = strings.Cut(s, "/")
	return key, state, true
}

// splitList splits a proxy list (";", "," or space separated) into entries.
func splitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == ' ' || r == '\t' })
	return f
}
