package parse

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// BinXML value types (MS-EVEN6 2.2.13).
const (
	valNull     = 0x00
	valString   = 0x01
	valAnsi     = 0x02
	valInt8     = 0x03
	valUInt8    = 0x04
	valInt16    = 0x05
	valUInt16   = 0x06
	valInt32    = 0x07
	valUInt32   = 0x08
	valInt64    = 0x09
	valUInt64   = 0x0a
	valReal32   = 0x0b
	valReal64   = 0x0c
	valBool     = 0x0d
	valBinary   = 0x0e
	valGUID     = 0x0f
	valSizeT    = 0x10
	valFileTime = 0x11
	valSysTime  = 0x12
	valSID      = 0x13
	valHexInt32 = 0x14
	valHexInt64 = 0x15
	valBinXML   = 0x21
	valArray    = 0x80
)

// filetimeEpochDelta is the number of 100 ns intervals between 1601-01-01 and 1970-01-01.
const filetimeEpochDelta = 116444736000000000

// filetime converts a FILETIME to UTC with full 100 ns precision.
func filetime(ft uint64) time.Time {
	d := int64(ft) - filetimeEpochDelta
	if ft > math.MaxInt64 {
		d = math.MaxInt64 - filetimeEpochDelta
	}
	sec, rem := d/10_000_000, d%10_000_000
	if rem < 0 {
		sec--
		rem += 10_000_000
	}
	return time.Unix(sec, rem*100).UTC()
}

// utf16String decodes UTF-16LE bytes, dropping trailing NULs.
func utf16String(b []byte) string {
	n := len(b) / 2
	for n > 0 && b[2*n-2] == 0 && b[2*n-1] == 0 {
		n--
	}
	if n <= asciiStack {
		// The usual case: short ASCII text, checked and narrowed in one
		// pass into a stack buffer; the string is its one allocation.
		var tmp [asciiStack]byte
		i := 0
		for ; i+4 <= n; i += 4 {
			x := binary.LittleEndian.Uint64(b[2*i:])
			if x&0xFF80FF80FF80FF80 != 0 {
				break
			}
			tmp[i], tmp[i+1], tmp[i+2], tmp[i+3] = byte(x), byte(x>>16), byte(x>>32), byte(x>>48)
		}
		for ; i < n; i++ {
			if b[2*i+1] != 0 || b[2*i] >= utf8.RuneSelf {
				break
			}
			tmp[i] = b[2*i]
		}
		if i == n {
			return string(tmp[:n])
		}
	} else if isASCII16(b[:2*n]) {
		var s strings.Builder // one allocation, not a []byte and its string copy
		s.Grow(n)
		for i := 0; i < n; i++ {
			s.WriteByte(b[2*i])
		}
		return s.String()
	}
	u := make([]uint16, n)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// asciiStack is the length up to which utf16String narrows ASCII text in a
// stack buffer.
const asciiStack = 128

// isASCII16 reports whether the UTF-16LE text b is all ASCII.
func isASCII16(b []byte) bool {
	for i := 0; i+1 < len(b); i += 2 {
		if b[i+1] != 0 || b[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// guidString renders a 16-byte GUID upper-case without braces.
func guidString(g []byte) string {
	var b [36]byte
	p := appendHexUpper(b[:0], uint64(binary.LittleEndian.Uint32(g)), 8)
	p = append(p, '-')
	p = appendHexUpper(p, uint64(binary.LittleEndian.Uint16(g[4:])), 4)
	p = append(p, '-')
	p = appendHexUpper(p, uint64(binary.LittleEndian.Uint16(g[6:])), 4)
	p = append(p, '-')
	for i, c := range g[8:16] {
		if i == 2 {
			p = append(p, '-')
		}
		p = append(p, hexUpper[c>>4], hexUpper[c&15])
	}
	return string(p)
}

const (
	hexUpper = "0123456789ABCDEF"
	hexLower = "0123456789abcdef"
)

// appendHexUpper appends v as exactly digits upper-case hex digits.
func appendHexUpper(b []byte, v uint64, digits int) []byte {
	for i := digits - 1; i >= 0; i-- {
		b = append(b, hexUpper[(v>>(4*uint(i)))&15])
	}
	return b
}

// hexInt renders v as 0x and digits lower-case hex digits (HexInt32/64).
func hexInt(v uint64, digits int) string {
	var b [18]byte
	p := append(b[:0], '0', 'x')
	for i := digits - 1; i >= 0; i-- {
		p = append(p, hexLower[(v>>(4*uint(i)))&15])
	}
	return string(p)
}

// sidString renders a binary SID as S-1-....
func sidString(b []byte) (string, bool) {
	if len(b) < 8 || len(b) < 8+4*int(b[1]) {
		return "", false
	}
	var auth uint64
	for _, c := range b[2:8] {
		auth = auth<<8 | uint64(c)
	}
	s := make([]byte, 0, 16+11*int(b[1]))
	s = append(s, "S-"...)
	s = strconv.AppendUint(s, uint64(b[0]), 10)
	s = append(s, '-')
	s = strconv.AppendUint(s, auth, 10)
	for i := 0; i < int(b[1]); i++ {
		s = append(s, '-')
		s = strconv.AppendUint(s, uint64(binary.LittleEndian.Uint32(b[8+4*i:])), 10)
	}
	return string(s), true
}

// fixedSize is the byte size of fixed-size value types (0: variable).
func fixedSize(t byte) int {
	switch t {
	case valInt8, valUInt8:
		return 1
	case valInt16, valUInt16:
		return 2
	case valInt32, valUInt32, valReal32, valBool, valHexInt32:
		return 4
	case valInt64, valUInt64, valReal64, valFileTime, valHexInt64:
		return 8
	case valGUID, valSysTime:
		return 16
	}
	return 0
}

// renderValue returns the canonical text of a substitution value of type t.
// ok is false when the bytes do not fit the type.
func renderValue(t byte, b []byte) (s string, ok bool) {
	if t&valArray != 0 {
		return renderArray(t&^valArray, b)
	}
	if n := fixedSize(t); n != 0 && len(b) != n {
		return "", false
	}
	le := binary.LittleEndian
	switch t {
	case valNull:
		return "", true
	case valString:
		return utf16String(b), true
	case valAnsi:
		return strings.TrimRight(string(b), "\x00"), true
	case valInt8:
		return strconv.Itoa(int(int8(b[0]))), true
	case valUInt8:
		return strconv.Itoa(int(b[0])), true
	case valInt16:
		return strconv.Itoa(int(int16(le.Uint16(b)))), true
	case valUInt16:
		return strconv.Itoa(int(le.Uint16(b))), true
	case valInt32:
		return strconv.FormatInt(int64(int32(le.Uint32(b))), 10), true
	case valUInt32:
		return strconv.FormatUint(uint64(le.Uint32(b)), 10), true
	case valInt64:
		return strconv.FormatInt(int64(le.Uint64(b)), 10), true
	case valUInt64:
		return strconv.FormatUint(le.Uint64(b), 10), true
	case valReal32:
		return strconv.FormatFloat(float64(math.Float32frombits(le.Uint32(b))), 'g', -1, 32), true
	case valReal64:
		return strconv.FormatFloat(math.Float64frombits(le.Uint64(b)), 'g', -1, 64), true
	case valBool:
		return strconv.FormatBool(le.Uint32(b) != 0), true
	case valBinary:
		s := make([]byte, 2*len(b))
		for i, c := range b {
			s[2*i], s[2*i+1] = hexUpper[c>>4], hexUpper[c&15]
		}
		return string(s), true
	case valGUID:
		return guidString(b), true
	case valSizeT: // an integer like the others (libevtx and python-evtx agree)
		switch len(b) {
		case 4:
			return strconv.FormatUint(uint64(le.Uint32(b)), 10), true
		case 8:
			return strconv.FormatUint(le.Uint64(b), 10), true
		}
		return "", false
	case valFileTime:
		var buf [40]byte
		return string(filetime(le.Uint64(b)).AppendFormat(buf[:0], time.RFC3339Nano)), true
	case valSysTime:
		return systime(b).Format(time.RFC3339Nano), true
	case valSID:
		return sidString(b)
	case valHexInt32:
		return hexInt(uint64(le.Uint32(b)), 8), true
	case valHexInt64:
		return hexInt(le.Uint64(b), 16), true
	}
	return "", false
}

// systime converts a 16-byte SYSTEMTIME.
func systime(b []byte) time.Time {
	u := func(i int) int { return int(binary.LittleEndian.Uint16(b[2*i:])) }
	return time.Date(u(0), time.Month(u(1)), u(3), u(4), u(5), u(6), u(7)*int(time.Millisecond), time.UTC)
}

// renderArray renders an array value as its elements' texts joined by ",".
func renderArray(t byte, b []byte) (string, bool) {
	var parts []string
	switch t {
	case valString:
		for len(b) >= 2 {
			i := 0
			for i+1 < len(b) && (b[i] != 0 || b[i+1] != 0) {
				i += 2
			}
			parts = append(parts, utf16String(b[:i]))
			if i+2 > len(b) {
				break
			}
			b = b[i+2:]
		}
	case valAnsi:
		parts = strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
	default:
		n := fixedSize(t)
		if n == 0 || len(b)%n != 0 {
			return "", false
		}
		for ; len(b) > 0; b = b[n:] {
			s, ok := renderValue(t, b[:n])
			if !ok {
				return "", false
			}
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ","), true
}
