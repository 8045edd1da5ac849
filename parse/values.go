package parse

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"strconv"
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
	var tmp [asciiStack]byte
	return string(appendUTF16(tmp[:0], b))
}

// asciiStack is the size of the stack buffers strings are rendered in
// before their one allocation.
const asciiStack = 128

// appendUTF16 appends UTF-16LE bytes as UTF-8, dropping trailing NULs; an
// unpaired surrogate becomes U+FFFD and an odd last byte is ignored (as
// utf16.Decode and string([]rune) do).
func appendUTF16(dst, b []byte) []byte {
	n := len(b) / 2
	for n > 0 && b[2*n-2] == 0 && b[2*n-1] == 0 {
		n--
	}
	dst = slices.Grow(dst, n)
	i := 0
	for i < n {
		// The usual case: ASCII, narrowed four code units at a time.
		for ; i+4 <= n; i += 4 {
			x := binary.LittleEndian.Uint64(b[2*i:])
			if x&0xFF80FF80FF80FF80 != 0 {
				break
			}
			dst = append(dst, byte(x), byte(x>>16), byte(x>>32), byte(x>>48))
		}
		if i >= n {
			break
		}
		u := rune(binary.LittleEndian.Uint16(b[2*i:]))
		i++
		switch {
		case u < utf8.RuneSelf:
			dst = append(dst, byte(u))
			continue
		case utf16.IsSurrogate(u):
			r := utf8.RuneError
			if u < 0xdc00 && i < n {
				if u2 := rune(binary.LittleEndian.Uint16(b[2*i:])); 0xdc00 <= u2 && u2 < 0xe000 {
					r = utf16.DecodeRune(u, u2)
					i++
				}
			}
			u = r
		}
		dst = utf8.AppendRune(dst, u)
	}
	return dst
}

// appendGUID appends a 16-byte GUID upper-case without braces.
func appendGUID(p, g []byte) []byte {
	p = appendHexUpper(p, uint64(binary.LittleEndian.Uint32(g)), 8)
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
	return p
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

// appendHexInt appends v as 0x and digits lower-case hex digits (HexInt32/64).
func appendHexInt(p []byte, v uint64, digits int) []byte {
	p = append(p, '0', 'x')
	for i := digits - 1; i >= 0; i-- {
		p = append(p, hexLower[(v>>(4*uint(i)))&15])
	}
	return p
}

// appendSID appends a binary SID as S-1-....; ok is false when b is too short.
func appendSID(s, b []byte) ([]byte, bool) {
	if len(b) < 8 || len(b) < 8+4*int(b[1]) {
		return s, false
	}
	var auth uint64
	for _, c := range b[2:8] {
		auth = auth<<8 | uint64(c)
	}
	s = append(s, "S-"...)
	s = strconv.AppendUint(s, uint64(b[0]), 10)
	s = append(s, '-')
	s = strconv.AppendUint(s, auth, 10)
	for i := 0; i < int(b[1]); i++ {
		s = append(s, '-')
		s = strconv.AppendUint(s, uint64(binary.LittleEndian.Uint32(b[8+4*i:])), 10)
	}
	return s, true
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
	var tmp [asciiStack]byte
	p, ok := appendValue(tmp[:0], t, b)
	return string(p), ok
}

// appendValue appends the canonical text of a substitution value of type t
// to dst. ok is false when the bytes do not fit the type; dst is then
// returned unchanged.
func appendValue(dst []byte, t byte, b []byte) (_ []byte, ok bool) {
	if t&valArray != 0 {
		return appendArray(dst, t&^valArray, b)
	}
	if n := fixedSize(t); n != 0 && len(b) != n {
		return dst, false
	}
	le := binary.LittleEndian
	switch t {
	case valNull:
		return dst, true
	case valString:
		return appendUTF16(dst, b), true
	case valAnsi:
		return append(dst, bytes.TrimRight(b, "\x00")...), true
	case valInt8:
		return strconv.AppendInt(dst, int64(int8(b[0])), 10), true
	case valUInt8:
		return strconv.AppendUint(dst, uint64(b[0]), 10), true
	case valInt16:
		return strconv.AppendInt(dst, int64(int16(le.Uint16(b))), 10), true
	case valUInt16:
		return strconv.AppendUint(dst, uint64(le.Uint16(b)), 10), true
	case valInt32:
		return strconv.AppendInt(dst, int64(int32(le.Uint32(b))), 10), true
	case valUInt32:
		return strconv.AppendUint(dst, uint64(le.Uint32(b)), 10), true
	case valInt64:
		return strconv.AppendInt(dst, int64(le.Uint64(b)), 10), true
	case valUInt64:
		return strconv.AppendUint(dst, le.Uint64(b), 10), true
	case valReal32:
		return strconv.AppendFloat(dst, float64(math.Float32frombits(le.Uint32(b))), 'g', -1, 32), true
	case valReal64:
		return strconv.AppendFloat(dst, math.Float64frombits(le.Uint64(b)), 'g', -1, 64), true
	case valBool:
		return strconv.AppendBool(dst, le.Uint32(b) != 0), true
	case valBinary:
		for _, c := range b {
			dst = append(dst, hexUpper[c>>4], hexUpper[c&15])
		}
		return dst, true
	case valGUID:
		return appendGUID(dst, b), true
	case valSizeT: // an integer like the others (libevtx and python-evtx agree)
		switch len(b) {
		case 4:
			return strconv.AppendUint(dst, uint64(le.Uint32(b)), 10), true
		case 8:
			return strconv.AppendUint(dst, le.Uint64(b), 10), true
		}
		return dst, false
	case valFileTime:
		return filetime(le.Uint64(b)).AppendFormat(dst, time.RFC3339Nano), true
	case valSysTime:
		return systime(b).AppendFormat(dst, time.RFC3339Nano), true
	case valSID:
		return appendSID(dst, b)
	case valHexInt32:
		return appendHexInt(dst, uint64(le.Uint32(b)), 8), true
	case valHexInt64:
		return appendHexInt(dst, le.Uint64(b), 16), true
	}
	return dst, false
}

// systime converts a 16-byte SYSTEMTIME.
func systime(b []byte) time.Time {
	u := func(i int) int { return int(binary.LittleEndian.Uint16(b[2*i:])) }
	return time.Date(u(0), time.Month(u(1)), u(3), u(4), u(5), u(6), u(7)*int(time.Millisecond), time.UTC)
}

// appendArray appends an array value as its elements' texts joined by ",".
func appendArray(dst []byte, t byte, b []byte) ([]byte, bool) {
	switch t {
	case valString:
		for first := true; len(b) >= 2; first = false {
			i := 0
			for i+1 < len(b) && (b[i] != 0 || b[i+1] != 0) {
				i += 2
			}
			if !first {
				dst = append(dst, ',')
			}
			dst = appendUTF16(dst, b[:i])
			if i+2 > len(b) {
				break
			}
			b = b[i+2:]
		}
		return dst, true
	case valAnsi:
		for _, c := range bytes.TrimRight(b, "\x00") {
			if c == 0 {
				c = ','
			}
			dst = append(dst, c)
		}
		return dst, true
	}
	n := fixedSize(t)
	if n == 0 || len(b)%n != 0 {
		return dst, false
	}
	start := len(dst)
	for i := 0; len(b) > 0; b, i = b[n:], i+1 {
		if i > 0 {
			dst = append(dst, ',')
		}
		var ok bool
		if dst, ok = appendValue(dst, t, b[:n]); !ok {
			return dst[:start], false
		}
	}
	return dst, true
}
