package analyze

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf16"
)

// unknownSize is the UINT64_MAX value BITS logs for "size not known".
const unknownSize = ^uint64(0)

// normGUID returns a GUID in the analysis' canonical form: upper case,
// without braces and surrounding space. Other text is returned trimmed.
func normGUID(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "{")
	s = strings.TrimSuffix(s, "}")
	return strings.ToUpper(strings.TrimSpace(s))
}

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

// parseCodeValue reads an error code stored as unsigned or signed decimal,
// 0x-hex or bare 8-digit hex. ok is false for empty or unreadable text.
func parseCodeValue(s string) (uint32, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if strings.HasPrefix(s, "%%") {
		if n, err := strconv.ParseUint(s[2:], 10, 32); err == nil {
			return win32HR(uint32(n)), true
		}
		if n, err := strconv.ParseInt(s[2:], 10, 32); err == nil {
			return uint32(int32(n)), true
		}
		return 0, false
	}
	if h, ok := strings.CutPrefix(strings.ToLower(s), "0x"); ok {
		n, err := strconv.ParseUint(h, 16, 32)
		return uint32(n), err == nil
	}
	if n, err := strconv.ParseUint(s, 10, 32); err == nil {
		return uint32(n), true
	}
	if n, err := strconv.ParseInt(s, 10, 32); err == nil {
		return uint32(int32(n)), true
	}
	if len(s) == 8 {
		if n, err := strconv.ParseUint(s, 16, 32); err == nil {
			return uint32(n), true
		}
	}
	return 0, false
}

// win32HR is HRESULT_FROM_WIN32.
func win32HR(n uint32) uint32 {
	if int32(n) <= 0 {
		return n
	}
	return n&0xFFFF | 7<<16 | 0x80000000
}

// scmCode reads a "%%N" (or plain numeric) error value, preferring the
// knowledge base's ParseCode and falling back to the local reader.
func scmCode(s string) (uint32, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if c, err := ParseCode(s); err == nil && c != 0 {
		return c, true
	}
	return parseCodeValue(s)
}

// isFailure reports whether an HRESULT has the severity bit set.
func isFailure(hr uint32) bool { return hr&0x80000000 != 0 }

// hexCode formats a code as the contract's 0x%08X.
func hexCode(c uint32) string {
	return "0x" + strings.ToUpper(strconv.FormatUint(uint64(c)|1<<32, 16)[1:])
}

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
