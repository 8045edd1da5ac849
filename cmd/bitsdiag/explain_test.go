package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// issueCodes is the command line of issue 3's acceptance check.
var issueCodes = []string{"0x80200013", "2149580819", "-2145386477", "%%1058", "0x801901F7", "0x80072EE2"}

func explain(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = runExplain(args, &out, &errb)
	return out.String(), errb.String(), code
}

func TestExplainGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"explain-issue.txt", issueCodes},
		{"explain-issue.json", append([]string{"--format", "json"}, issueCodes...)},
		{"explain-unknown.txt", []string{"0x8024EEEE", "0x00040008", "0x801901A2", "1"}},
		{"explain-repair.txt", []string{"0x80070424"}},
	}
	for _, tt := range tests {
		out, errs, code := explain(t, tt.args...)
		if code != exitOK || errs != "" {
			t.Fatalf("%s: exit %d, stderr %q", tt.name, code, errs)
		}
		path := filepath.Join("testdata", tt.name)
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if out != string(want) {
			t.Errorf("%s: output differs from the golden file (go test -run TestExplainGolden -update rewrites it)\n--- got ---\n%s", tt.name, out)
		}
	}
}

// TestExplainIssueCodes checks the names the issue asks for, in text and JSON.
func TestExplainIssueCodes(t *testing.T) {
	out, _, code := explain(t, append([]string{"--format=json"}, issueCodes...)...)
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var got []struct {
		Input string `json:"input"`
		Code  string `json:"code"`
		Name  string `json:"name"`
		HTTP  int    `json:"http_status"`
		InKB  bool   `json:"in_knowledge_base"`
		Entry *struct {
			ID      string `json:"id"`
			Section string `json:"section"`
			Fix     []struct {
				Text     string   `json:"text"`
				Commands []string `json:"commands"`
			} `json:"fix"`
		} `json:"entry"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("JSON output does not parse: %v", err)
	}
	want := []struct{ code, name, entry string }{
		{"0x80200013", "BG_E_INSUFFICIENT_RANGE_SUPPORT", "job-insufficient-range-support"},
		{"0x80200013", "BG_E_INSUFFICIENT_RANGE_SUPPORT", "job-insufficient-range-support"},
		{"0x80200013", "BG_E_INSUFFICIENT_RANGE_SUPPORT", "job-insufficient-range-support"},
		{"0x80070422", "ERROR_SERVICE_DISABLED", "start-service-disabled"},
		{"0x801901F7", "BG_E_HTTP_ERROR_503", ""},
		{"0x80072EE2", "ERROR_WINHTTP_TIMEOUT", "job-timeout"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d results, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Input != issueCodes[i] || g.Code != w.code || g.Name != w.name {
			t.Errorf("%d: %s -> %s %s; want %s %s", i, g.Input, g.Code, g.Name, w.code, w.name)
		}
		id := ""
		if g.Entry != nil {
			id = g.Entry.ID
			if len(g.Entry.Fix) == 0 {
				t.Errorf("%d: entry %s without fix steps", i, id)
			}
		}
		if id != w.entry || g.InKB != (w.entry != "") {
			t.Errorf("%d: entry %q in_kb %v, want %q", i, id, g.InKB, w.entry)
		}
	}
	if got[4].HTTP != 503 {
		t.Errorf("0x801901F7: http_status %d, want 503", got[4].HTTP)
	}
	if got[0].Entry.Section != "BITS jobs are failing" {
		t.Errorf("section %q", got[0].Entry.Section)
	}

	text, _, _ := explain(t, issueCodes...)
	for _, w := range []string{"BG_E_INSUFFICIENT_RANGE_SUPPORT", "ERROR_SERVICE_DISABLED", "HTTP 503 Service Unavailable",
		"ERROR_WINHTTP_TIMEOUT", "input     -2145386477", "input     %%1058", "Cause", "Fix", "Verify",
		"section \"BITS fails to start\", row ERROR_SERVICE_DISABLED", "sc.exe config bits start= delayed-auto",
		"Not in the knowledge base"} {
		if !strings.Contains(text, w) {
			t.Errorf("text output lacks %q", w)
		}
	}
}

func TestExplainExitCodes(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"schema": 1, "entries": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string // substring
		stdout string // substring
	}{
		{"unknown code", []string{"0x8024EEEE"}, exitOK, "", "Not in the knowledge base"},
		{"success code", []string{"0x00040008"}, exitOK, "", "success class, not a failure"},
		{"comma list", []string{"0x80070433, 0x8007042c"}, exitOK, "", "ERROR_SERVICE_DEPENDENCY_FAIL"},
		{"help", []string{"--help"}, exitOK, "", "Usage: bitsdiag explain"},
		{"no code", nil, exitUsage, "no code given", ""},
		{"malformed", []string{"0x80200013", "0xZZ"}, exitUsage, `invalid error code "0xZZ"`, ""},
		{"bare hex", []string{"2ee2"}, exitUsage, "0x prefix or exactly 8 digits", ""},
		{"format", []string{"--format", "xml", "1"}, exitUsage, "--format must be text or json", ""},
		{"flag", []string{"--bogus", "1"}, exitUsage, "unknown flag: --bogus", ""},
		{"kb missing", []string{"--kb", "/nonexistent/kb.json", "1"}, exitUsage, "cannot open", ""},
		{"kb broken", []string{"--kb", bad, "1"}, exitUsage, bad, ""},
		{"negative after flag", []string{"--format", "json", "-1"}, exitOK, "", `"code": "0xFFFFFFFF"`},
		{"success is no failure", []string{"0x00000000"}, exitOK, "", "Not a failure: nothing to fix."},
		{"%%0 is no Win32 error", []string{"%%0"}, exitUsage, "from 1 to 65535", ""},
		{"%%65536 is out of range", []string{"%%65536"}, exitUsage, "from 1 to 65535", ""},
		{"%%-1 is out of range", []string{"%%-1"}, exitUsage, "from 1 to 65535", ""},
		{"%%65535 is the last", []string{"%%65535"}, exitOK, "", "0x8007FFFF"},
		{"symbolic name", []string{"error_winhttp_timeout"}, exitOK, "", "0x80072EE2  ERROR_WINHTTP_TIMEOUT"},
		{"BG_E_HTTP_ERROR name", []string{"BG_E_HTTP_ERROR_403"}, exitOK, "", "0x80190193"},
		{"unknown name", []string{"ERROR_NO_SUCH_THING"}, exitUsage, "no code of that name", ""},
		{"list by facility", []string{"--list", "--facility", "backgroundcopy"}, exitOK, "", "BG_E_"},
		{"list with codes", []string{"--list", "1"}, exitUsage, "takes no CODE", ""},
		{"bad facility", []string{"--list", "--facility", "nope"}, exitUsage, "not a known facility", ""},
		{"unknown facility", []string{"0xFFFFFFFF"}, exitOK, "", "facility 2047, not a known facility"},
		{"empty", []string{""}, exitUsage, "no code given", ""},
		{"blank", []string{"  \t"}, exitUsage, "no code given", ""},
		{"bare 0x", []string{"0x"}, exitUsage, `invalid error code "0x"`, ""},
		{"huge", []string{"99999999999999999999"}, exitUsage, "out of the 32-bit range", ""},
		{"hint", []string{"--bogus"}, exitUsage, "Run 'bitsdiag help explain'", ""},
	}
	for _, tt := range tests {
		out, errs, code := explain(t, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.stderr) || !strings.Contains(out, tt.stdout) {
			t.Errorf("%s: exit %d, stderr %q, stdout %.200q; want exit %d, stderr ~%q, stdout ~%q", tt.name, code, errs, out, tt.code, tt.stderr, tt.stdout)
		}
		if tt.code == exitUsage && out != "" {
			t.Errorf("%s: usage error but stdout %q", tt.name, out)
		}
	}
}

func TestExplainKBOverride(t *testing.T) {
	p := filepath.Join(t.TempDir(), "site.json")
	body := `{"schema": 1, "entries": [{"id": "job-http-503", "kind": "extra", "title": "WSUS overloaded",
	  "severity": "warning", "codes": ["0x801901F7"], "events": [{"provider": "Microsoft-Windows-Bits-Client", "event_id": 61, "code_field": "hr"}],
	  "cause": "Our WSUS server is overloaded at 9:00.", "fix": [{"text": "Stagger the clients.", "commands": ["wuauclt /detectnow"], "shell": "either"}],
	  "verify": [{"text": "No more 503."}]}]}`
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code := explain(t, "--kb", p, "0x801901F7")
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d stderr %q", code, errs)
	}
	for _, w := range []string{"WSUS overloaded", "Our WSUS server is overloaded", "wuauclt /detectnow", p} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func TestExplainListFacility(t *testing.T) {
	out, errs, code := explain(t, "--list", "--facility", "BACKGROUNDCOPY")
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d stderr %q", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 20 {
		t.Fatalf("only %d BITS codes listed", len(lines))
	}
	for _, l := range lines[:len(lines)-1] {
		if !strings.Contains(l, "0x80200") && !strings.Contains(l, "0x00200") {
			t.Errorf("line outside FACILITY_BACKGROUNDCOPY: %q", l)
		}
	}
	all, _, _ := explain(t, "--list")
	if n := strings.Count(all, "\n"); n <= len(lines) {
		t.Errorf("unfiltered list has %d lines, filtered %d", n, len(lines))
	}
}

func TestExplainKBTextEscaped(t *testing.T) {
	p := filepath.Join(t.TempDir(), "evil.json")
	body := `{"schema": 1, "entries": [{"id": "job-http-503", "kind": "extra", "title": "WSUS \u001b]0;owned\u0007 overloaded",
	  "severity": "warning", "codes": ["0x801901F7"], "events": [{"provider": "Microsoft-Windows-Bits-Client", "event_id": 61, "code_field": "hr"}],
	  "cause": "Evil \u202e text \u001b[2J.", "fix": [{"text": "Stagger.", "commands": ["echo \u001b[31m"], "shell": "either"}],
	  "verify": [{"text": "No more 503."}]}]}`
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code := explain(t, "--kb", p, "0x801901F7")
	if code != exitOK {
		t.Fatalf("exit %d stderr %q", code, errs)
	}
	if strings.ContainsAny(out, "\x1b\x07\u202e") {
		t.Errorf("raw control characters reach the terminal: %q", out)
	}
	if !strings.Contains(out, `WSUS \x1b]0;owned\x07 overloaded`) {
		t.Errorf("escaped title missing:\n%s", out)
	}
}

// TestExplainKBFileForms: a BOM is accepted, type errors name the JSON path
// (not Go types), and a FIFO is refused instead of blocking.
func TestExplainKBFileForms(t *testing.T) {
	dir := t.TempDir()
	bom := filepath.Join(dir, "bom.json")
	os.WriteFile(bom, []byte("\xEF\xBB\xBF{\"schema\": 1, \"entries\": []}"), 0o644)
	if _, errs, code := explain(t, "--kb", bom, "1"); code != exitOK {
		t.Errorf("BOM: exit %d, %s", code, errs)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"schema": 1, "entries": {"id": "x"}}`), 0o644)
	_, errs, code := explain(t, "--kb", bad, "1")
	if code != exitUsage || !strings.Contains(errs, "$.entries must be an array, not JSON object") || strings.Contains(errs, "analyze.") {
		t.Errorf("type error: exit %d, %q", code, errs)
	}
	fifo := filepath.Join(dir, "kb.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	_, errs, code = explain(t, "--kb", fifo, "1")
	if code != exitUsage || !strings.Contains(errs, "not a regular file") {
		t.Errorf("FIFO: exit %d, %q", code, errs)
	}
}
