package termtext

import "testing"

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{`C:\Logs\System.evtx`, `C:\Logs\System.evtx`},
		{"计算机-01", "计算机-01"},
		{"a\x1b]0;pwned\x07b", `a\x1b]0;pwned\x07b`},
		{"evil\u202etxt.evtx", `evil\u202etxt.evtx`},
		{"two\nlines", `two\nlines`},
		{"bad\xffbyte", `bad\xffbyte`},
		{"c1\u009bx", `c1\u009bx`},
		{`back\slash` + "\x1b", `back\\slash\x1b`},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if Safe(tt.in) != (tt.in == tt.want) {
			t.Errorf("Safe(%q) = %v", tt.in, Safe(tt.in))
		}
	}
	if got, want := Quote("say \"hi\"\x1b"), `"say \"hi\"\x1b"`; got != want {
		t.Errorf("Quote = %s, want %s", got, want)
	}
}
