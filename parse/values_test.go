package parse

import (
	"encoding/binary"
	"strconv"
	"strings"
	"testing"
	"time"
)

func le(size int, v uint64) []byte {
	b := make([]byte, 8)
	binary.LittleEndian.PutUint64(b, v)
	return b[:size]
}

// TestRenderValue checks the canonical text of every value type: decimal
// integers, 0x-hex for HexInt32/64, GUIDs upper-case without
// braces, FILETIME and SYSTEMTIME as RFC 3339 with 100 ns precision.
func TestRenderValue(t *testing.T) {
	guid := []byte{0x5b, 0xc1, 0x1c, 0xef, 0xc1, 0x46, 0x4e, 0x41, 0xbb, 0x95, 0xe7, 0x6b, 0x07, 0x7b, 0xd5, 0x1e}
	sid := []byte{1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0}
	ft := uint64(time.Date(2024, 11, 14, 16, 18, 2, 388917200, time.UTC).UnixNano()/100) + filetimeEpochDelta
	sys := []byte{0xe8, 0x07, 11, 0, 4, 0, 14, 0, 16, 0, 18, 0, 2, 0, 0x85, 0x01} // 2024-11-14 16:18:02.389
	tests := []struct {
		typ  byte
		b    []byte
		want string
		ok   bool
	}{
		{valNull, nil, "", true},
		{valString, []byte{'B', 0, 'I', 0, 'T', 0, 'S', 0, 0, 0}, "BITS", true},
		{valString, []byte{0xe4, 0, 0xdf, 0x65}, "ä旟", true},
		{valAnsi, []byte("abc\x00"), "abc", true},
		{valInt8, []byte{0xfb}, "-5", true},
		{valUInt8, []byte{200}, "200", true},
		{valInt16, le(2, 0xfed4), "-300", true},
		{valUInt16, le(2, 65000), "65000", true},
		{valInt32, le(4, 0x80070005), "-2147024891", true},
		{valUInt32, le(4, 0x80070005), "2147942405", true},
		{valInt64, le(8, 1<<63), "-9223372036854775808", true},
		{valUInt64, le(8, 1<<63), "9223372036854775808", true},
		{valReal32, le(4, 0x3fc00000), "1.5", true},
		{valReal64, le(8, 0x3ff8000000000000), "1.5", true},
		{valBool, le(4, 1), "true", true},
		{valBool, le(4, 0), "false", true},
		{valBinary, []byte{0x42, 0x00, 0xff}, "4200FF", true},
		{valGUID, guid, "EF1CC15B-46C1-414E-BB95-E76B077BD51E", true},
		{valSizeT, le(4, 0x24c), "588", true},
		{valSizeT, le(8, 0x24c), "588", true},
		{valFileTime, le(8, ft), "2024-11-14T16:18:02.3889172Z", true},
		{valFileTime, le(8, filetimeEpochDelta), "1970-01-01T00:00:00Z", true},
		{valSysTime, sys, "2024-11-14T16:18:02.389Z", true},
		{valSID, sid, "S-1-5-32-544", true},
		{valHexInt32, le(4, 0x80200013), "0x80200013", true},
		{valHexInt64, le(8, 0x4000000000000000), "0x4000000000000000", true},
		{valArray | valString, []byte{'a', 0, 0, 0, 'b', 0, 0, 0}, "a,b", true},
		{valArray | valUInt16, le(4, 0x00020001), "1,2", true},
		// Sizes that do not fit the type.
		{valUInt32, le(2, 1), "", false},
		{valGUID, guid[:15], "", false},
		{valSID, sid[:12], "", false},
		{valSizeT, le(2, 1), "", false},
		{valArray | valUInt16, le(3, 1), "", false},
		{0x33, []byte{1}, "", false},
	}
	for _, tc := range tests {
		got, ok := renderValue(tc.typ, tc.b)
		if got != tc.want || ok != tc.ok {
			t.Errorf("renderValue(0x%02x, % x) = %q, %v; want %q, %v", tc.typ, tc.b, got, ok, tc.want, tc.ok)
		}
	}
}

// TestParseUint: parseUint agrees with strconv.ParseUint (base 10, or 16
// after 0x) and gives 0 for whatever that rejects.
func TestParseUint(t *testing.T) {
	ref := func(s string, bits int) uint64 {
		s = strings.TrimSpace(s)
		var v uint64
		var err error
		if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
			v, err = strconv.ParseUint(s[2:], 16, bits)
		} else {
			v, err = strconv.ParseUint(s, 10, bits)
		}
		if err != nil {
			return 0
		}
		return v
	}
	for _, s := range []string{"", " ", "0", "7", " 42 ", "65535", "65536", "255", "256", "-1", "+1", "1_0",
		"0x", "0xff", "0XFF", "0xFfFf", "0x10000", "0xg", "12a", "a", "18446744073709551615", "18446744073709551616",
		"0xffffffffffffffff", "0x1ffffffffffffffff", "4294967295", "4294967296", "00012", "0x0012"} {
		for _, bits := range []int{8, 16, 32, 64} {
			if got, want := parseUint(s, bits), ref(s, bits); got != want {
				t.Errorf("parseUint(%q, %d) = %d, want %d", s, bits, got, want)
			}
		}
	}
}

// TestTimeBounds: minTimeUnix and maxTimeUnix are the first instants of
// the years 1601 and 10000.
func TestTimeBounds(t *testing.T) {
	if got := time.Unix(minTimeUnix, 0).UTC(); got != time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC) {
		t.Errorf("minTimeUnix is %v", got)
	}
	if got := time.Unix(maxTimeUnix, 0).UTC(); got != time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) {
		t.Errorf("maxTimeUnix is %v", got)
	}
}
