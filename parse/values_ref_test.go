package parse

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// TestAppendValueMatchesReference checks appendValue (and renderValue)
// against the string-building renderer it replaced (below, as it was),
// for every value type and array type with random bytes of many sizes.
func TestAppendValueMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	units := []uint16{0, 'a', 'Z', ' ', 0x7f, 0x80, 0xe4, 0x7ff, 0x800, 0x65df, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xfffd, 0xffff}
	for typ := 0; typ < 256; typ++ {
		for range 300 {
			var b []byte
			switch rng.IntN(3) {
			case 0:
				b = make([]byte, rng.IntN(40))
				for i := range b {
					b[i] = byte(rng.IntN(256))
				}
			case 1: // UTF-16 text with surrogates and NULs
				for range rng.IntN(20) {
					u := units[rng.IntN(len(units))]
					b = append(b, byte(u), byte(u>>8))
				}
				if rng.IntN(4) == 0 {
					b = append(b, 'x')
				}
			default: // a fixed size
				n := []int{1, 2, 4, 8, 16, 24, 32}[rng.IntN(7)]
				b = make([]byte, n)
				for i := range b {
					b[i] = byte(rng.IntN(256))
				}
				if typ&0x7f == valSID && n >= 8 {
					b[1] = byte(rng.IntN(5))
				}
			}
			want, wok := refRenderValue(byte(typ), b)
			got, ok := appendValue([]byte("prefix"), byte(typ), b)
			if string(got) != "prefix"+want && !(!wok && string(got) == "prefix") || ok != wok {
				t.Fatalf("appendValue(0x%02x, % x) = %q, %v; want %q, %v", typ, b, got, ok, want, wok)
			}
			if s, ok := renderValue(byte(typ), b); s != want || ok != wok {
				t.Fatalf("renderValue(0x%02x, % x) = %q, %v; want %q, %v", typ, b, s, ok, want, wok)
			}
		}
	}
}

// refUTF16String decodes UTF-16LE bytes, dropping trailing NULs.
func refUTF16String(b []byte) string {
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
	} else if refIsASCII16(b[:2*n]) {
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

// refIsASCII16 reports whether the UTF-16LE text b is all ASCII.
func refIsASCII16(b []byte) bool {
	for i := 0; i+1 < len(b); i += 2 {
		if b[i+1] != 0 || b[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// refGUIDString renders a 16-byte GUID upper-case without braces.
func refGUIDString(g []byte) string {
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

// hexInt renders v as 0x and digits lower-case hex digits (HexInt32/64).
func refHexInt(v uint64, digits int) string {
	var b [18]byte
	p := append(b[:0], '0', 'x')
	for i := digits - 1; i >= 0; i-- {
		p = append(p, hexLower[(v>>(4*uint(i)))&15])
	}
	return string(p)
}

// refSIDString renders a binary SID as S-1-....
func refSIDString(b []byte) (string, bool) {
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

// refRenderValue returns the canonical text of a substitution value of type t.
// ok is false when the bytes do not fit the type.
func refRenderValue(t byte, b []byte) (s string, ok bool) {
	if t&valArray != 0 {
		return refRenderArray(t&^valArray, b)
	}
	if n := fixedSize(t); n != 0 && len(b) != n {
		return "", false
	}
	le := binary.LittleEndian
	switch t {
	case valNull:
		return "", true
	case valString:
		return refUTF16String(b), true
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
		return refGUIDString(b), true
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
		return refSIDString(b)
	case valHexInt32:
		return refHexInt(uint64(le.Uint32(b)), 8), true
	case valHexInt64:
		return refHexInt(le.Uint64(b), 16), true
	}
	return "", false
}

// refRenderArray renders an array value as its elements' texts joined by ",".
func refRenderArray(t byte, b []byte) (string, bool) {
	var parts []string
	switch t {
	case valString:
		for len(b) >= 2 {
			i := 0
			for i+1 < len(b) && (b[i] != 0 || b[i+1] != 0) {
				i += 2
			}
			parts = append(parts, refUTF16String(b[:i]))
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
			s, ok := refRenderValue(t, b[:n])
			if !ok {
				return "", false
			}
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ","), true
}
