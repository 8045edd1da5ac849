package evtxwrite

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// ValueType is a Binary XML substitution value type.
type ValueType uint8

// Value types used in substitution arrays.
const (
	TypeNull     ValueType = 0x00
	TypeString   ValueType = 0x01 // UTF-16LE, no terminator
	TypeInt8     ValueType = 0x03
	TypeUInt8    ValueType = 0x04
	TypeInt16    ValueType = 0x05
	TypeUInt16   ValueType = 0x06
	TypeInt32    ValueType = 0x07
	TypeUInt32   ValueType = 0x08
	TypeInt64    ValueType = 0x09
	TypeUInt64   ValueType = 0x0A
	TypeReal64   ValueType = 0x0C
	TypeBool     ValueType = 0x0D
	TypeBinary   ValueType = 0x0E
	TypeGUID     ValueType = 0x0F
	TypeFileTime ValueType = 0x11
	TypeSID      ValueType = 0x13
	TypeHexInt32 ValueType = 0x14
	TypeHexInt64 ValueType = 0x15
	TypeBinXML   ValueType = 0x21
)

// Value is one typed substitution value.
type Value struct {
	Type ValueType
	data []byte    // encoded bytes for every type but TypeBinXML
	inst *Instance // nested fragment for TypeBinXML
}

// Null returns an empty value; an optional substitution with it is omitted.
func Null() Value { return Value{Type: TypeNull} }

// String returns a UTF-16LE string value.
func String(s string) Value {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return Value{Type: TypeString, data: b}
}

// Int8 returns a signed 8-bit value.
func Int8(v int8) Value { return Value{Type: TypeInt8, data: []byte{byte(v)}} }

// UInt8 returns an unsigned 8-bit value.
func UInt8(v uint8) Value { return Value{Type: TypeUInt8, data: []byte{v}} }

// Int16 returns a signed 16-bit value.
func Int16(v int16) Value { return le16(TypeInt16, uint16(v)) }

// UInt16 returns an unsigned 16-bit value.
func UInt16(v uint16) Value { return le16(TypeUInt16, v) }

// Int32 returns a signed 32-bit value.
func Int32(v int32) Value { return le32(TypeInt32, uint32(v)) }

// UInt32 returns an unsigned 32-bit value.
func UInt32(v uint32) Value { return le32(TypeUInt32, v) }

// HexInt32 returns a 32-bit value that readers show in hexadecimal.
func HexInt32(v uint32) Value { return le32(TypeHexInt32, v) }

// Int64 returns a signed 64-bit value.
func Int64(v int64) Value { return le64(TypeInt64, uint64(v)) }

// UInt64 returns an unsigned 64-bit value.
func UInt64(v uint64) Value { return le64(TypeUInt64, v) }

// HexInt64 returns a 64-bit value that readers show in hexadecimal.
func HexInt64(v uint64) Value { return le64(TypeHexInt64, v) }

// Real64 returns a double-precision value.
func Real64(v float64) Value { return le64(TypeReal64, math.Float64bits(v)) }

// Bool returns a Boolean value (stored as a 32-bit 0 or 1).
func Bool(v bool) Value {
	if v {
		return le32(TypeBool, 1)
	}
	return le32(TypeBool, 0)
}

// Binary returns a binary value.
func Binary(b []byte) Value { return Value{Type: TypeBinary, data: append([]byte(nil), b...)} }

// FileTime returns a FILETIME value for t (100 ns ticks since 1601-01-01 UTC).
func FileTime(t time.Time) Value { return le64(TypeFileTime, ToFileTime(t)) }

// GUIDValue returns a GUID value.
func GUIDValue(g GUID) Value { return Value{Type: TypeGUID, data: g.bytes()} }

// SIDValue returns a SID value parsed from its string form, e.g. "S-1-5-18".
func SIDValue(sid string) (Value, error) {
	b, err := encodeSID(sid)
	if err != nil {
		return Value{}, err
	}
	return Value{Type: TypeSID, data: b}, nil
}

// BinXML returns a nested Binary XML fragment value holding a template instance.
func BinXML(inst Instance) Value { return Value{Type: TypeBinXML, inst: &inst} }

func le16(t ValueType, v uint16) Value {
	b := make([]byte, 2)
	binary.LittleEndian.PutUint16(b, v)
	return Value{Type: t, data: b}
}

func le32(t ValueType, v uint32) Value {
	b := make([]byte, 4)
	binary.LittleEndian.PutUint32(b, v)
	return Value{Type: t, data: b}
}

func le64(t ValueType, v uint64) Value {
	b := make([]byte, 8)
	binary.LittleEndian.PutUint64(b, v)
	return Value{Type: t, data: b}
}

// filetimeEpochDelta is the number of 100 ns ticks from 1601-01-01 to 1970-01-01.
const filetimeEpochDelta = 116444736000000000

// ToFileTime converts t to a FILETIME tick count.
func ToFileTime(t time.Time) uint64 {
	return uint64(t.Unix()*10_000_000 + int64(t.Nanosecond()/100) + filetimeEpochDelta)
}

// GUID is a Windows GUID in its canonical textual field order.
type GUID struct {
	Data1 uint32
	Data2 uint16
	Data3 uint16
	Data4 [8]byte
}

// ParseGUID parses "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" with or without braces.
func ParseGUID(s string) (GUID, error) {
	t := strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	p := strings.Split(t, "-")
	if len(p) != 5 || len(p[0]) != 8 || len(p[1]) != 4 || len(p[2]) != 4 || len(p[3]) != 4 || len(p[4]) != 12 {
		return GUID{}, fmt.Errorf("evtxwrite: malformed GUID %q", s)
	}
	var g GUID
	d1, err1 := strconv.ParseUint(p[0], 16, 32)
	d2, err2 := strconv.ParseUint(p[1], 16, 16)
	d3, err3 := strconv.ParseUint(p[2], 16, 16)
	tail := p[3] + p[4]
	if err1 != nil || err2 != nil || err3 != nil {
		return GUID{}, fmt.Errorf("evtxwrite: malformed GUID %q", s)
	}
	g.Data1, g.Data2, g.Data3 = uint32(d1), uint16(d2), uint16(d3)
	for i := 0; i < 8; i++ {
		v, err := strconv.ParseUint(tail[2*i:2*i+2], 16, 8)
		if err != nil {
			return GUID{}, fmt.Errorf("evtxwrite: malformed GUID %q", s)
		}
		g.Data4[i] = byte(v)
	}
	return g, nil
}

// MustGUID is ParseGUID for constants known to be well formed; it returns
// the zero GUID on malformed input.
func MustGUID(s string) GUID {
	g, _ := ParseGUID(s)
	return g
}

// String returns the GUID upper-case without braces.
func (g GUID) String() string {
	return fmt.Sprintf("%08X-%04X-%04X-%02X%02X-%X", g.Data1, g.Data2, g.Data3, g.Data4[0], g.Data4[1], g.Data4[2:])
}

// bytes returns the on-disk (mixed-endian) layout.
func (g GUID) bytes() []byte {
	b := make([]byte, 16)
	binary.LittleEndian.PutUint32(b[0:], g.Data1)
	binary.LittleEndian.PutUint16(b[4:], g.Data2)
	binary.LittleEndian.PutUint16(b[6:], g.Data3)
	copy(b[8:], g.Data4[:])
	return b
}

// encodeSID encodes "S-R-A-S1-S2..." in the binary SID layout.
func encodeSID(s string) ([]byte, error) {
	p := strings.Split(s, "-")
	if len(p) < 3 || p[0] != "S" || len(p)-3 > 15 {
		return nil, fmt.Errorf("evtxwrite: malformed SID %q", s)
	}
	rev, err := strconv.ParseUint(p[1], 10, 8)
	if err != nil {
		return nil, fmt.Errorf("evtxwrite: malformed SID %q", s)
	}
	auth, err := strconv.ParseUint(p[2], 10, 48)
	if err != nil {
		return nil, fmt.Errorf("evtxwrite: malformed SID %q", s)
	}
	n := len(p) - 3
	b := make([]byte, 8+4*n)
	b[0], b[1] = byte(rev), byte(n)
	for i := 0; i < 6; i++ {
		b[2+i] = byte(auth >> (8 * (5 - i)))
	}
	for i := 0; i < n; i++ {
		v, err := strconv.ParseUint(p[3+i], 10, 32)
		if err != nil {
			return nil, fmt.Errorf("evtxwrite: malformed SID %q", s)
		}
		binary.LittleEndian.PutUint32(b[8+4*i:], uint32(v))
	}
	return b, nil
}
