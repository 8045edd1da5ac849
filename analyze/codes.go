package analyze

import (
	"fmt"
	"strconv"
	"strings"
)

// CodeError reports a string that is not a well-formed error code.
type CodeError struct {
	Input  string // the text as given
	Reason string // why it was rejected
}

// Error says which input was not a code and why.
func (e *CodeError) Error() string {
	return fmt.Sprintf("invalid error code %q: %s", e.Input, e.Reason)
}

// maxCodeInput bounds the text ParseCode looks at; no real code form is longer.
const maxCodeInput = 64

// ParseCode accepts an error code in the forms logs and people use and returns
// it as a 32-bit HRESULT:
//
//   - "0x80200013" or "0X80200013": hexadecimal with prefix, 1 to 8 significant digits;
//   - "80200013": exactly eight hexadecimal digits without prefix;
//   - "2149580819": unsigned decimal (how BITS events store hr in XML);
//   - "-2145386477": signed decimal (32-bit two's complement);
//   - "%%1058": a Service Control Manager insertion reference; see below;
//   - "1058": a plain decimal from 1 to 65535 is taken as a Win32 error number.
//
// Win32 error numbers (the "%%N" form, and plain decimals 1..65535) are
// returned as HRESULT_FROM_WIN32, e.g. 1058 -> 0x80070422. A decimal of 0 is
// 0 (S_OK / ERROR_SUCCESS); a decimal above 65535 is the code itself (e.g.
// 262152 = 0x00040008); "%%" followed by a negative or above-65535 number is
// likewise the code itself (SCM 7024 may store an HRESULT that way). To give a
// small literal HRESULT, write it in hexadecimal with the 0x prefix.
//
// An eight-character string of decimal digits such as "80200013" is read as
// hexadecimal, because that is how codes are quoted without prefix; decimals
// of exactly eight digits are therefore not accepted as decimal.
func ParseCode(s string) (uint32, error) {
	in := s
	if len(in) > maxCodeInput {
		return 0, &CodeError{Input: in[:maxCodeInput] + "...", Reason: "too long"}
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, &CodeError{Input: in, Reason: "empty"}
	}
	if rest, ok := strings.CutPrefix(s, "%%"); ok {
		v, err := parseDecimal(rest)
		if err != nil {
			return 0, &CodeError{Input: in, Reason: "%% must be followed by a decimal number: " + err.Error()}
		}
		return fromDecimal(v), nil
	}
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		h := s[2:]
		if !isHex(h) {
			return 0, &CodeError{Input: in, Reason: "0x must be followed by hexadecimal digits only"}
		}
		v, err := strconv.ParseUint(h, 16, 32)
		if err != nil {
			return 0, &CodeError{Input: in, Reason: "larger than 32 bits"}
		}
		return uint32(v), nil
	}
	if len(s) == 8 && isHex(s) {
		v, _ := strconv.ParseUint(s, 16, 32) // eight hex digits always fit
		return uint32(v), nil
	}
	if isHex(strings.TrimPrefix(s, "-")) && !isDecimal(strings.TrimPrefix(s, "-")) {
		return 0, &CodeError{Input: in, Reason: "hexadecimal needs the 0x prefix or exactly 8 digits"}
	}
	v, err := parseDecimal(s)
	if err != nil {
		return 0, &CodeError{Input: in, Reason: err.Error()}
	}
	return fromDecimal(v), nil
}

// parseDecimal reads an optionally negative decimal that fits in 32 bits,
// signed (negative) or unsigned.
func parseDecimal(s string) (int64, error) {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || !isDecimal(digits) {
		return 0, fmt.Errorf("not a number (accepted: 0x80200013, 80200013, 2149580819, -2145386477, %%%%1058, 1058)")
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v > 0xFFFFFFFF || v < -0x80000000 {
		return 0, fmt.Errorf("out of the 32-bit range")
	}
	return v, nil
}

// fromDecimal maps a parsed decimal to a code: 1..65535 are Win32 errors,
// negatives are signed 32-bit values, everything else is the code itself.
func fromDecimal(v int64) uint32 {
	switch {
	case v < 0:
		return uint32(int32(v))
	case v >= 1 && v <= 0xFFFF:
		return HRESULTFromWin32(uint32(v))
	default:
		return uint32(v)
	}
}

// HRESULTFromWin32 wraps a Win32 error number as the Windows macro
// HRESULT_FROM_WIN32 does: 0 stays 0, x becomes 0x8007xxxx.
func HRESULTFromWin32(x uint32) uint32 {
	if int32(x) <= 0 {
		return x
	}
	return x&0xFFFF | 7<<16 | 0x80000000
}

// FormatCode renders a code the way the knowledge base and reports show it: 0x%08X.
func FormatCode(code uint32) string {
	return fmt.Sprintf("0x%08X", code)
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func isDecimal(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
