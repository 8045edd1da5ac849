package scenario

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"bitsdiag/samples/evtxwrite"
)

// Field constructors. Text is the value as python-evtx renders it, so the
// independent check can compare every field.

// Str is a UnicodeString field.
func Str(name, v string) Field { return Field{Name: name, Value: evtxwrite.String(v), Text: v} }

// U8 is a UInt8 field.
func U8(name string, v uint8) Field {
	return Field{Name: name, Value: evtxwrite.UInt8(v), Text: strconv.FormatUint(uint64(v), 10)}
}

// U32 is a UInt32 field (also used for hr-style codes, as Windows stores them).
func U32(name string, v uint32) Field {
	return Field{Name: name, Value: evtxwrite.UInt32(v), Text: strconv.FormatUint(uint64(v), 10)}
}

// U64 is a UInt64 field.
func U64(name string, v uint64) Field {
	return Field{Name: name, Value: evtxwrite.UInt64(v), Text: strconv.FormatUint(v, 10)}
}

// I32 is an Int32 field.
func I32(name string, v int32) Field {
	return Field{Name: name, Value: evtxwrite.Int32(v), Text: strconv.FormatInt(int64(v), 10)}
}

// Hex32 is a HexInt32 field.
func Hex32(name string, v uint32) Field {
	return Field{Name: name, Value: evtxwrite.HexInt32(v), Text: "0x" + strconv.FormatUint(uint64(v)|1<<32, 16)[1:]}
}

// Bool is a Boolean field.
func Bool(name string, v bool) Field {
	t := "False"
	if v {
		t = "True"
	}
	return Field{Name: name, Value: evtxwrite.Bool(v), Text: t}
}

// GUIDField is a GUID field; g is "{...}" in any case.
func GUIDField(name, g string) Field {
	return Field{Name: name, Value: evtxwrite.GUIDValue(evtxwrite.MustGUID(g)), Text: strings.ToLower(g)}
}

// FileTimeField is a FILETIME field.
func FileTimeField(name string, t time.Time) Field {
	return Field{Name: name, Value: evtxwrite.FileTime(t), Text: pyTime(t)}
}

// pyTime renders t as python's datetime.isoformat(' ') does (microseconds, dropped when zero).
func pyTime(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/1000 == 0 {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("2006-01-02 15:04:05.000000")
}

// PyBinary renders binary data as python-evtx does (base64).
func PyBinary(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// UTF16Z encodes s as UTF-16LE with a terminating NUL, the form of SCM <Binary>.
func UTF16Z(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 0, 2*len(u)+2)
	for _, c := range u {
		b = append(b, byte(c), byte(c>>8))
	}
	return append(b, 0, 0)
}
