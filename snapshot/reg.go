package snapshot

import (
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf16"
)

// RegType is a registry value type.
type RegType uint32

// Registry value types.
const (
	RegNone     RegType = 0
	RegSZ       RegType = 1
	RegExpandSZ RegType = 2
	RegBinary   RegType = 3
	RegDWord    RegType = 4
	RegMultiSZ  RegType = 7
	RegQWord    RegType = 11
)

var regTypeNames = map[string]RegType{
	"REG_NONE": RegNone, "REG_SZ": RegSZ, "REG_EXPAND_SZ": RegExpandSZ, "REG_BINARY": RegBinary,
	"REG_DWORD": RegDWord, "REG_MULTI_SZ": RegMultiSZ, "REG_QWORD": RegQWord,
}

// Registry is the keys of a reg export file or reg query output.
type Registry struct {
	Format string // "regedit5", "regedit4", "reg-query"
	Keys   []*RegKey
	// Errors are reg.exe error lines ("ERROR: The system was unable to find
	// the specified registry key or value."), verbatim.
	Errors []string
}

// RegKey is one key with its values. Listed is true for a subkey reg query
// named without showing its values.
type RegKey struct {
	Path    string // as printed, e.g. HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\BITS
	Values  []RegValue
	Listed  bool
	Deleted bool // [-KEY] line of a hand-made .reg file
	Line    int
}

// RegValue is one value. String holds REG_SZ/REG_EXPAND_SZ text, Strings a
// REG_MULTI_SZ, Number a DWORD/QWORD, Data the raw bytes of binary types.
type RegValue struct {
	Name    string // "" for the default value
	Type    RegType
	String  string
	Strings []string
	Number  uint64
	Data    []byte
	Deleted bool // "name"=- in a hand-made .reg file
	Line    int
}

// Key returns the key whose path ends with suffix (case-insensitive,
// backslash-separated components), or nil.
func (r *Registry) Key(suffix string) *RegKey {
	s := strings.ToLower(strings.Trim(suffix, `\`))
	for _, k := range r.Keys {
		p := strings.ToLower(k.Path)
		if p == s || strings.HasSuffix(p, `\`+s) {
			return k
		}
	}
	return nil
}

// Value returns the named value (case-insensitive), or nil.
func (k *RegKey) Value(name string) *RegValue {
	if k == nil {
		return nil
	}
	for i := range k.Values {
		if strings.EqualFold(k.Values[i].Name, name) {
			return &k.Values[i]
		}
	}
	return nil
}

func parseRegExport(lines []string) (*Registry, error) {
	reg := &Registry{Format: "regedit5"}
	wide := true
	var cur *RegKey
	header := false
	for i := 0; i < len(lines); i++ {
		lineNo := i + 1
		l := strings.TrimSpace(lines[i])
		if !header {
			if l == "REGEDIT4" {
				reg.Format, wide = "regedit4", false
			}
			header = l != ""
			continue
		}
		if l == "" || strings.HasPrefix(l, ";") {
			continue
		}
		if strings.HasPrefix(l, "[") {
			if !strings.HasSuffix(l, "]") {
				return nil, &FormatError{Kind: KindRegExport, Line: lineNo, Problem: "key line without closing ]"}
			}
			p := l[1 : len(l)-1]
			k := &RegKey{Path: p, Line: lineNo}
			if strings.HasPrefix(p, "-") {
				k.Path, k.Deleted = p[1:], true
			}
			reg.Keys = append(reg.Keys, k)
			cur = k
			continue
		}
		if cur == nil {
			return nil, &FormatError{Kind: KindRegExport, Line: lineNo, Problem: "value before any [key] line"}
		}
		// Join continuation lines ending in a backslash.
		for strings.HasSuffix(l, `\`) && i+1 < len(lines) && isHexLine(l) {
			i++
			l = l[:len(l)-1] + strings.TrimSpace(lines[i])
		}
		v, err := parseRegLine(l, wide)
		if err != "" {
			return nil, &FormatError{Kind: KindRegExport, Line: lineNo, Problem: err}
		}
		v.Line = lineNo
		cur.Values = append(cur.Values, v)
	}
	return reg, nil
}

// isHexLine reports whether a value line holds hex data (the only data that
// wraps); a REG_SZ may legitimately end in an escaped backslash.
func isHexLine(l string) bool {
	i := strings.Index(l, "=hex")
	return i > 0 || strings.HasPrefix(l, "@=hex")
}

// parseRegLine parses `"name"=data` or `@=data`.
func parseRegLine(l string, wide bool) (RegValue, string) {
	var v RegValue
	rest := ""
	switch {
	case strings.HasPrefix(l, "@="):
		rest = l[2:]
	case strings.HasPrefix(l, `"`):
		var sb strings.Builder
		j := 1
		closed := false
		for ; j < len(l); j++ {
			c := l[j]
			if c == '\\' && j+1 < len(l) {
				j++
				sb.WriteByte(l[j])
				continue
			}
			if c == '"' {
				closed = true
				break
			}
			sb.WriteByte(c)
		}
		if !closed || j+1 >= len(l) || l[j+1] != '=' {
			return v, "value line is not \"name\"=data"
		}
		v.Name = sb.String()
		rest = l[j+2:]
	default:
		return v, "line is neither a [key] nor a value: " + strconv.Quote(trunc(l))
	}
	switch {
	case rest == "-":
		v.Deleted = true
	case strings.HasPrefix(rest, `"`):
		s, ok := unquoteReg(rest)
		if !ok {
			return v, "unterminated string value"
		}
		v.Type, v.String = RegSZ, s
	case strings.HasPrefix(rest, "dword:"):
		n, err := strconv.ParseUint(rest[6:], 16, 32)
		if err != nil {
			return v, "bad dword " + strconv.Quote(trunc(rest))
		}
		v.Type, v.Number = RegDWord, n
	case strings.HasPrefix(rest, "hex"):
		t := RegBinary
		body := rest[3:]
		if strings.HasPrefix(body, "(") {
			end := strings.Index(body, ")")
			if end < 0 {
				return v, "bad hex(type)"
			}
			n, err := strconv.ParseUint(body[1:end], 16, 32)
			if err != nil {
				return v, "bad hex(type) " + strconv.Quote(trunc(body[:end+1]))
			}
			t = RegType(n)
			body = body[end+1:]
		}
		if !strings.HasPrefix(body, ":") {
			return v, "hex data without ':'"
		}
		data, ok := parseHexBytes(body[1:])
		if !ok {
			return v, "bad hex bytes"
		}
		v.Type, v.Data = t, data
		fillFromBytes(&v, wide)
	default:
		return v, "unknown data " + strconv.Quote(trunc(rest))
	}
	return v, ""
}

func unquoteReg(s string) (string, bool) {
	var sb strings.Builder
	for j := 1; j < len(s); j++ {
		c := s[j]
		if c == '\\' && j+1 < len(s) {
			j++
			switch s[j] {
			case 'n':
				sb.WriteByte('\n')
			case 'r':
				sb.WriteByte('\r')
			default:
				sb.WriteByte(s[j])
			}
			continue
		}
		if c == '"' {
			return sb.String(), true
		}
		sb.WriteByte(c)
	}
	return "", false
}

func parseHexBytes(s string) ([]byte, bool) {
	s = strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "\t", "")
	if s == "" {
		return nil, true
	}
	parts := strings.Split(strings.TrimSuffix(s, ","), ",")
	out := make([]byte, 0, len(parts))
	for _, p := range parts {
		if len(p) != 2 {
			return nil, false
		}
		b, err := hex.DecodeString(p)
		if err != nil {
			return nil, false
		}
		out = append(out, b[0])
	}
	return out, true
}

// fillFromBytes decodes string, multi-string and number types from Data.
func fillFromBytes(v *RegValue, wide bool) {
	switch v.Type {
	case RegSZ, RegExpandSZ:
		v.String = firstString(regStrings(v.Data, wide))
	case RegMultiSZ:
		v.Strings = nonEmpty(regStrings(v.Data, wide))
	case RegDWord:
		if len(v.Data) >= 4 {
			v.Number = uint64(v.Data[0]) | uint64(v.Data[1])<<8 | uint64(v.Data[2])<<16 | uint64(v.Data[3])<<24
		}
	case RegQWord:
		if len(v.Data) >= 8 {
			for k := 7; k >= 0; k-- {
				v.Number = v.Number<<8 | uint64(v.Data[k])
			}
		}
	}
}

func regStrings(b []byte, wide bool) []string {
	var text string
	if wide {
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
		text = string(utf16.Decode(u))
	} else {
		text = decodeOEM(b, CP437)
	}
	return strings.Split(text, "\x00")
}

func firstString(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func nonEmpty(s []string) []string {
	var out []string
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// parseRegQuery reads reg query output: key lines (HKEY_...) each followed
// by "    Name    REG_TYPE    data" lines; key lines without values after
// them are subkeys listed by a query without /s.
func parseRegQuery(lines []string) (*Registry, error) {
	reg := &Registry{Format: "reg-query"}
	var cur *RegKey
	for i, raw := range lines {
		l := strings.TrimSpace(raw)
		switch {
		case l == "":
			continue
		case strings.HasPrefix(l, "ERROR:"):
			reg.Errors = append(reg.Errors, l)
			continue
		case strings.HasPrefix(l, "End of search:"):
			continue
		case strings.HasPrefix(strings.ToUpper(l), "HKEY_"):
			cur = &RegKey{Path: l, Line: i + 1}
			reg.Keys = append(reg.Keys, cur)
			continue
		}
		if cur == nil {
			return nil, &FormatError{Kind: KindRegQuery, Line: i + 1, Problem: "value line before any key line"}
		}
		v, err := parseQueryValue(raw)
		if err != "" {
			return nil, &FormatError{Kind: KindRegQuery, Line: i + 1, Problem: err}
		}
		v.Line = i + 1
		cur.Values = append(cur.Values, v)
	}
	// A key followed directly by another key with no values, after a key
	// that had values, was listed as a subkey.
	for i, k := range reg.Keys {
		if len(k.Values) == 0 && i > 0 {
			k.Listed = true
		}
	}
	return reg, nil
}

func parseQueryValue(raw string) (RegValue, string) {
	var v RegValue
	l := strings.TrimLeft(raw, " \t")
	idx := strings.Index(l, "    REG_")
	sepLen := 4
	if idx < 0 {
		idx = strings.Index(l, "\tREG_")
		sepLen = 1
	}
	if idx < 0 {
		if strings.HasPrefix(l, "REG_") || strings.HasPrefix(l, "(Default)") {
			idx, sepLen = 0, 0
		} else {
			return v, "line is neither a key nor a value: " + strconv.Quote(trunc(l))
		}
	}
	v.Name = strings.TrimSpace(l[:idx])
	if v.Name == "(Default)" {
		v.Name = ""
	}
	rest := strings.TrimLeft(l[idx+sepLen:], " \t")
	typ, data, _ := strings.Cut(rest, "    ")
	typ = strings.TrimSpace(typ)
	if j := strings.IndexAny(typ, " \t"); j > 0 {
		typ, data = typ[:j], strings.TrimSpace(typ[j:])
	}
	t, ok := regTypeNames[typ]
	if !ok {
		return v, "unknown registry type " + strconv.Quote(trunc(typ))
	}
	v.Type = t
	data = strings.TrimSpace(data)
	switch t {
	case RegSZ, RegExpandSZ:
		v.String = data
	case RegMultiSZ:
		if data != "" {
			v.Strings = nonEmpty(strings.Split(data, `\0`))
		}
	case RegDWord, RegQWord:
		s := strings.TrimPrefix(strings.TrimPrefix(data, "0x"), "0X")
		n, err := strconv.ParseUint(s, 16, 64)
		if err != nil || (t == RegDWord && n > 0xFFFFFFFF) {
			return v, "bad number " + strconv.Quote(trunc(data))
		}
		v.Number = n
	default:
		b, err := hex.DecodeString(data)
		if err != nil {
			return v, "bad hex data"
		}
		v.Data = b
	}
	return v, ""
}
