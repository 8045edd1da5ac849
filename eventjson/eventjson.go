// Package eventjson encodes parse.Event records as JSON Lines, the output of
// "bitsdiag events". It appends to a caller's buffer and allocates nothing
// per record; strings are quoted exactly as encoding/json quotes them (HTML
// characters, U+2028 and U+2029 escaped; invalid UTF-8 as U+FFFD), so the
// output is byte-identical to the json.Marshal based encoder it replaces.
package eventjson

import (
	"strconv"
	"time"
	"unicode/utf8"

	"bitsdiag/parse"
)

// Append appends one JSON Lines object (with its newline) for e to b. The
// keys are file, record_id, time, computer, channel, provider, event_id,
// version, level, activity_id, user_id, data (payload name -> text, in record
// order; a repeated name gets a "#2", "#3"... suffix), binary (upper-case
// hex, when present), recovered and partial (when set).
func Append(b []byte, e *parse.Event) []byte {
	b = append(b, `{"file":`...)
	b = AppendString(b, e.Source.File)
	b = append(b, `,"record_id":`...)
	b = strconv.AppendUint(b, e.RecordID, 10)
	b = append(b, `,"time":"`...)
	b = appendTime(b, e.TimeCreated)
	b = append(b, `","computer":`...)
	b = AppendString(b, e.Computer)
	b = append(b, `,"channel":`...)
	b = AppendString(b, e.Channel)
	b = append(b, `,"provider":`...)
	b = AppendString(b, e.Provider)
	b = append(b, `,"event_id":`...)
	b = strconv.AppendUint(b, uint64(e.EventID), 10)
	b = append(b, `,"version":`...)
	b = strconv.AppendUint(b, uint64(e.Version), 10)
	b = append(b, `,"level":`...)
	b = strconv.AppendUint(b, uint64(e.Level), 10)
	b = append(b, `,"activity_id":`...)
	b = AppendString(b, e.ActivityID)
	b = append(b, `,"user_id":`...)
	b = AppendString(b, e.UserID)
	b = append(b, `,"data":{`...)
	var seen map[string]int // only for records with many fields
	if len(e.Data) > manyFields {
		seen = make(map[string]int, len(e.Data))
	}
	for i, f := range e.Data {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendName(b, e.Data[:i], f.Name, seen)
		b = append(b, ':')
		b = AppendString(b, f.Value)
	}
	b = append(b, '}')
	if e.Binary != nil {
		b = append(b, `,"binary":"`...)
		for _, c := range e.Binary {
			b = append(b, hexDigits[c>>4], hexDigits[c&15])
		}
		b = append(b, '"')
	}
	if e.Recovered {
		b = append(b, `,"recovered":true`...)
	}
	if e.Partial != "" {
		b = append(b, `,"partial":`...)
		b = AppendString(b, e.Partial)
	}
	return append(b, "}\n"...)
}

// appendTime appends t in UTC as time.RFC3339Nano does, without its
// general layout interpreter, for the years 0-9999.
func appendTime(b []byte, t time.Time) []byte {
	const minSec, maxSec = -62167219200, 253402300800 // 0000-01-01, 10000-01-01
	sec := t.Unix()
	if sec < minSec || sec >= maxSec {
		return t.UTC().AppendFormat(b, time.RFC3339Nano)
	}
	days, rem := (sec-minSec)/86400, int((sec-minSec)%86400)
	y, mo, d := civil(days)
	h, mi, s := rem/3600, rem/60%60, rem%60
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+mo/10), byte('0'+mo%10), '-', byte('0'+d/10), byte('0'+d%10), 'T',
		byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10), ':', byte('0'+s/10), byte('0'+s%10))
	if ns := t.Nanosecond(); ns != 0 {
		var f [10]byte
		f[0] = '.'
		for i := 9; i >= 1; i-- {
			f[i] = byte('0' + ns%10)
			ns /= 10
		}
		n := 10
		for f[n-1] == '0' {
			n--
		}
		b = append(b, f[:n]...)
	}
	return append(b, 'Z')
}

// civil returns the proleptic Gregorian date days after 0000-01-01
// (H. Hinnant's civil_from_days, from an era starting on 0000-03-01).
func civil(days int64) (year, month, day int) {
	z := days - 60 // days since 0000-03-01 (0000 is a leap year)
	era := z / 146097
	if z < 0 {
		era = (z - 146096) / 146097 // floor
	}
	doe := z - era*146097                                  // [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // [0, 399]
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // [0, 365]
	mp := (5*doy + 2) / 153                                // [0, 11], from March
	day = int(doy - (153*mp+2)/5 + 1)
	month = int(mp + 3)
	if month > 12 {
		month -= 12
	}
	year = int(yoe + era*400)
	if month <= 2 {
		year++
	}
	return year, month, day
}

// manyFields is the field count above which repeated names are counted in
// a map rather than by scanning the earlier fields.
const manyFields = 32

// appendName appends the quoted key of a payload field called name, with a
// "#n" suffix when earlier fields (before) already used the name n-1 times.
// seen, when not nil, counts the names of before.
func appendName(b []byte, before []parse.Field, name string, seen map[string]int) []byte {
	n := 1
	if seen != nil {
		n += seen[name]
		seen[name]++
	} else {
		for _, f := range before {
			// The last byte first: "param1" and "param2" differ there.
			if len(f.Name) == len(name) && (name == "" || f.Name[len(name)-1] == name[len(name)-1]) && f.Name == name {
				n++
			}
		}
	}
	if n == 1 {
		return AppendString(b, name)
	}
	return AppendString(b, name+"#"+strconv.Itoa(n))
}

const hexDigits = "0123456789ABCDEF"

// safe[c] is true for ASCII bytes encoding/json writes unescaped.
var safe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// AppendString appends s as a JSON string, escaped as encoding/json does.
func AppendString(b []byte, s string) []byte {
	n := plainPrefix(s)
	if n == len(s) { // the usual case: nothing to escape
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	return appendEscaped(append(b, '"'), s, n)
}

// plainPrefix returns the length of s's longest prefix that needs no
// escape, or len(s) when none of s does.
func plainPrefix(s string) int {
	i := 0
	for i+8 <= len(s) {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		if !plain8(x) {
			return i
		}
		i += 8
	}
	if n := len(s); i < n && n >= 8 {
		// The last bytes: test the final 8 (overlapping the plain ones).
		w := s[n-8 : n]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		if plain8(x) {
			return n
		}
	}
	for i < len(s) && s[i] < utf8.RuneSelf && safe[s[i]] {
		i++
	}
	return i
}

// appendEscaped appends s (after the opening quote) escaping what needs
// it; s[:plain] needs nothing.
func appendEscaped(b []byte, s string, plain int) []byte {
	start := 0
	for i := plain; i < len(s); {
		for i+8 <= len(s) {
			w := s[i : i+8]
			x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
				uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
			if !plain8(x) {
				break
			}
			i += 8
		}
		if i >= len(s) {
			break
		}
		if n := len(s); n-i < 8 && n >= 8 {
			// The last bytes: test the final 8 (overlapping the plain ones).
			w := s[n-8 : n]
			x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
				uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
			if plain8(x) {
				break
			}
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if safe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexLower[c>>4], hexLower[c&15])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexLower[r&15])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

const hexLower = "0123456789abcdef"

// plain8 reports whether the 8 bytes of x (little-endian) are all ASCII
// that needs no escape (not a control character, '"', '\\', '<', '>' or
// '&'), testing them together: (v-lsb)&^v has a byte's top bit set when
// that byte of v is 0 (exact for "any byte"); x|4 maps '"' onto '&' and
// x|2 maps '<' onto '>'.
func plain8(x uint64) bool {
	const lsb, msb = 0x0101010101010101, 0x8080808080808080
	q := (x | lsb*4) ^ (lsb * '&')
	a := (x | lsb*2) ^ (lsb * '>')
	s := x ^ (lsb * '\\')
	bad := x | (x-lsb*0x20)&^x | (q-lsb)&^q | (a-lsb)&^a | (s-lsb)&^s
	return bad&msb == 0
}
