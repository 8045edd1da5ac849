package snapshot

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Encoding is how a snapshot file's text was stored on disk.
type Encoding int

// Encodings Windows writes (config-facts §1.2).
const (
	EncodingUnknown Encoding = iota
	EncodingUTF16LEBOM
	EncodingUTF16LE // no BOM, detected by the zero high bytes
	EncodingUTF16BEBOM
	EncodingUTF8BOM
	EncodingUTF8 // includes plain ASCII
	EncodingOEM  // 8-bit text in an OEM code page (Settings.CodePage)
)

var encodingNames = [...]string{"unknown", "utf-16le-bom", "utf-16le", "utf-16be-bom", "utf-8-bom", "utf-8", "oem"}

func (e Encoding) String() string {
	if e < 0 || int(e) >= len(encodingNames) {
		return "unknown"
	}
	return encodingNames[e]
}

// CodePage is an OEM code page used to decode 8-bit text.
type CodePage int

// Supported OEM code pages. Every label and token bitsdiag keys on is ASCII,
// so a wrong page only changes localized free text (display names, messages).
const (
	CP437 CodePage = 437 // United States OEM; the default
	CP850 CodePage = 850 // Western Europe OEM
	CP932 CodePage = 932 // Japanese (Shift-JIS); non-ASCII bytes decode as U+FFFD
)

// Upper halves (0x80-0xFF) of the single-byte OEM code pages.
const (
	cp437High = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0"
	cp850High = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0"
)

var (
	cp437Table = []rune(cp437High)
	cp850Table = []rune(cp850High)
)

// decode turns a file's bytes into text with LF line ends, and says which
// encoding it found: BOMs first, then UTF-16LE without BOM (zero high
// bytes), then valid UTF-8, else 8-bit OEM text in cp.
func decode(b []byte, cp CodePage) (string, Encoding) {
	var s string
	var enc Encoding
	switch {
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		s, enc = decodeUTF16(b[2:], false), EncodingUTF16LEBOM
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		s, enc = decodeUTF16(b[2:], true), EncodingUTF16BEBOM
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		s, enc = strings.ToValidUTF8(string(b[3:]), "\uFFFD"), EncodingUTF8BOM
	case looksUTF16LE(b):
		s, enc = decodeUTF16(b, false), EncodingUTF16LE
	case utf8.Valid(b):
		s, enc = string(b), EncodingUTF8
	default:
		s, enc = decodeOEM(b, cp), EncodingOEM
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ReplaceAll(s, "\x00", "")
	return s, enc
}

// looksUTF16LE reports whether most odd bytes of the first 200 are zero.
func looksUTF16LE(b []byte) bool {
	n := min(len(b), 200) &^ 1
	if n < 4 {
		return false
	}
	zeros := 0
	for i := 1; i < n; i += 2 {
		if b[i] == 0 {
			zeros++
		}
	}
	return zeros*4 >= (n/2)*3
}

func decodeUTF16(b []byte, big bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if big {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
	}
	return string(utf16.Decode(u))
}

func decodeOEM(b []byte, cp CodePage) string {
	var table []rune
	switch cp {
	case CP850:
		table = cp850Table
	case CP932:
		table = nil
	default:
		table = cp437Table
	}
	var sb strings.Builder
	sb.Grow(len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c < 0x80:
			sb.WriteByte(c)
		case table != nil:
			sb.WriteRune(table[c-0x80])
		default:
			// Shift-JIS: a lead byte takes the next byte with it.
			if (c >= 0x81 && c <= 0x9F) || (c >= 0xE0 && c <= 0xFC) {
				i++
			}
			sb.WriteRune(utf8.RuneError)
		}
	}
	return sb.String()
}
