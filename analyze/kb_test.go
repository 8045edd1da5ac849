package analyze

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// articlePath is the article, relative to this package (repo root ../shared).
const articlePath = "../../shared/reference/Issues-with-BITS.md"

func mustKB(t testing.TB, overrides ...string) *KB {
	t.Helper()
	kb, err := LoadKB(overrides...)
	if err != nil {
		t.Fatalf("LoadKB: %v", err)
	}
	return kb
}

// mdRow is one row parsed from the article's tables.
type mdRow struct {
	section, names, text string
	codes                []uint32
}

// readArticleRows parses the rows of the two tables out of the article.
func readArticleRows(t *testing.T) []mdRow {
	t.Helper()
	data, err := os.ReadFile(articlePath)
	if err != nil {
		t.Skipf("article not available (%v); the hard-coded rows are tested by TestArticleRowsHardCoded", err)
	}
	var rows []mdRow
	section := ""
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") {
			section = unescapeMD(strings.TrimSpace(strings.TrimLeft(line, "#")))
			continue
		}
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) < 3 || !strings.Contains(cells[1], "0x") {
			continue // header and separator rows
		}
		r := mdRow{section: section, names: strings.Join(strings.Fields(unescapeMD(cells[0])), " "), text: unescapeMD(cells[2])}
		for _, c := range strings.Split(cells[1], ",") {
			v, err := ParseCode(strings.TrimSpace(c))
			if err != nil {
				t.Fatalf("article row %q: code %q: %v", cells[0], c, err)
			}
			r.codes = append(r.codes, v)
		}
		rows = append(rows, r)
	}
	return rows
}

var mdEscape = regexp.MustCompile(`\\(.)`)

func unescapeMD(s string) string { return mdEscape.ReplaceAllString(s, "$1") }

// alnum keeps letters and digits only, for loose text comparison.
func alnum(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestArticleTablesFromMarkdown(t *testing.T) {
	rows := readArticleRows(t)
	kb := mustKB(t)
	codes := 0
	for _, r := range rows {
		if r.section != SectionJobsFailing && r.section != SectionFailsToStart {
			t.Errorf("row %q under unexpected heading %q", r.names, r.section)
		}
		for _, c := range r.codes {
			codes++
			e := kb.ByCode(c)
			if e == nil {
				t.Errorf("article code %s (%s) not in the knowledge base", FormatCode(c), r.names)
				continue
			}
			if e.Kind != KindRow || e.ArticleRow != r.names || e.Section != r.section {
				t.Errorf("%s: entry %q has kind %q row %q section %q; want row %q in %q", FormatCode(c), e.ID, e.Kind, e.ArticleRow, e.Section, r.names, r.section)
			}
			if a, b := alnum(e.ArticleText), alnum(r.text); len(a) < 30 || !strings.HasPrefix(b, a[:30]) {
				t.Errorf("%s: article_text %q does not start like the article's row %q", e.ID, e.ArticleText, r.text)
			}
			if name := kb.Decode(c); !strings.Contains(" "+r.names+" ", " "+name.Name+" ") && !containsAny(r.names, name.Aliases) {
				t.Errorf("%s decodes as %q (aliases %v), not a name of the row %q", FormatCode(c), name.Name, name.Aliases, r.names)
			}
		}
	}
	// The two tables have 13 rows with 14 codes (the dependency row has two).
	if len(rows) != 13 || codes != 14 {
		t.Errorf("parsed %d rows with %d codes from the article, want 13 and 14", len(rows), codes)
	}
	if len(rows) != len(ArticleRows()) {
		t.Errorf("article has %d rows, ArticleRows %d", len(rows), len(ArticleRows()))
	}
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

func TestArticleRowsHardCoded(t *testing.T) {
	kb := mustKB(t)
	n := 0
	for _, r := range ArticleRows() {
		for _, c := range r.Codes {
			n++
			e := kb.ByCode(c)
			if e == nil || e.ID != r.EntryID || e.ArticleRow != r.Name || e.Section != r.Section || e.Kind != KindRow {
				t.Errorf("%s: got entry %+v, want %q for row %q", FormatCode(c), e, r.EntryID, r.Name)
				continue
			}
			ci := kb.Decode(c)
			if !strings.Contains(r.Name, ci.Name) && !containsAny(r.Name, ci.Aliases) {
				t.Errorf("%s decodes as %q, not a name of row %q", FormatCode(c), ci.Name, r.Name)
			}
			if len(e.Fix) == 0 || len(e.Verify) == 0 || e.ArticleText == "" || e.Cause == "" {
				t.Errorf("%s: entry %q lacks fix, verify, cause or article text", FormatCode(c), e.ID)
			}
		}
	}
	if n != 14 {
		t.Errorf("%d codes in ArticleRows, want 14", n)
	}
}

// TestStableIDs pins the ids other parts of bitsdiag and the samples use.
func TestStableIDs(t *testing.T) {
	kb := mustKB(t)
	want := map[string]string{
		"job-invalid-arg": "0x80070057", "job-proxy-name-not-resolved": "0x80072EE7",
		"job-invalid-server-response": "0x80072F78", "job-insufficient-range-support": "0x80200013",
		"job-missing-file-size": "0x80200011", "job-http-403": "0x80190193", "job-not-logged-on": "0x800704DD",
		"start-service-does-not-exist": "0x80070424", "start-service-not-in-exe": "0x8007043B",
		"start-service-disabled": "0x80070422", "start-dependency": "0x80070433,0x8007042C",
		"start-path-not-found": "0x80070003", "start-file-not-found": "0x80070002",
		"proxy-range-requests": "0x80200012", "job-limit-reached": "0x80200049,0x80200050",
		"service-not-localsystem": "", "job-limit-mismatch": "", "service-repair": "",
		"service-crashed": "", "service-hang": "",
	}
	for id, codes := range want {
		e := kb.ByID(id)
		if e == nil {
			t.Errorf("entry %q missing", id)
			continue
		}
		for _, c := range strings.Split(codes, ",") {
			if c == "" {
				continue
			}
			v, _ := ParseCode(c)
			if kb.ByCode(v) != e {
				t.Errorf("%s does not lead to %q", c, id)
			}
		}
	}
	e := kb.ByID("job-invalid-server-response")
	if !e.Transient || e.Severity != SeverityWarning {
		t.Errorf("job-invalid-server-response: transient %v severity %q; want true, warning", e.Transient, e.Severity)
	}
}

// TestSectionSignatures checks that every section has its log signature.
func TestSectionSignatures(t *testing.T) {
	kb := mustKB(t)
	want := []struct {
		id       string
		provider string
		events   []uint16
	}{
		{"service-not-localsystem", ProviderBITS, []uint16{17005}},
		{"service-not-localsystem", ProviderSCM, []uint16{7038, 7041}},
		{"proxy-range-requests", ProviderBITS, []uint16{202, 206, 207, 210}},
		{"job-limit-mismatch", ProviderBITS, []uint16{16397}},
		{"job-limit-reached", ProviderBITS, []uint16{16398, 16400, 16401, 16402}},
		{"service-crashed", ProviderSCM, []uint16{7031, 7032, 7034}},
		{"service-exception", ProviderBITS, []uint16{16404}},
		{"service-hang", ProviderSCM, []uint16{7009, 7011, 7022, 7043, 7046}},
		{"service-start-failed", ProviderSCM, []uint16{7000, 7023, 7024}},
		{"service-start-failed", ProviderBITS, []uint16{16392}},
		{"job-list-corrupt", ProviderBITS, []uint16{16391, 16392, 16404}},
		{"transfer-inconsistent-data", ProviderBITS, []uint16{62}},
		{"notify-program-failed", ProviderBITS, []uint16{63, 64, 16390}},
		{"credentials-rejected", ProviderBITS, []uint16{204, 61}},
		{"job-temp-files-left", ProviderBITS, []uint16{16385, 16386}},
		{"policy-bandwidth-invalid", ProviderBITS, []uint16{16405}},
		{"start-service-disabled", ProviderSCM, []uint16{7000, 7023, 7024, 7040}},
		{"start-service-disabled", ProviderBITS, []uint16{16392}},
		{"start-dependency", ProviderSCM, []uint16{7000, 7001, 7003}},
	}
	for _, w := range want {
		for _, id := range w.events {
			found := false
			for _, e := range kb.ByEvent(w.provider, id) {
				found = found || e.ID == w.id
			}
			if !found {
				t.Errorf("%s: no signature for %s event %d", w.id, w.provider, id)
			}
		}
	}
	for _, e := range kb.Entries {
		if e.Kind == KindSection && len(e.Events) == 0 {
			t.Errorf("section entry %q has no log signature", e.ID)
		}
		if e.Kind == KindProcedure && (len(e.Events) != 0 || len(e.Codes) != 0) {
			t.Errorf("procedure entry %q has a signature", e.ID)
		}
	}
}

func TestMatchRecord(t *testing.T) {
	kb := mustKB(t)
	fields := func(kv ...string) func(string) (string, bool) {
		return func(name string) (string, bool) {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == name {
					return kv[i+1], true
				}
			}
			return "", false
		}
	}
	tests := []struct {
		name string
		rec  Record
		want []string
	}{
		{"7000 disabled", Record{ProviderSCM, 7000, "BITS", fields("param1", "Background Intelligent Transfer Service", "param2", "%%1058")}, []string{"start-service-disabled", "service-start-failed"}},
		{"7000 other service", Record{ProviderSCM, 7000, "Spooler", fields("param2", "%%1058")}, nil},
		{"7000 file not found", Record{ProviderSCM, 7000, "bits", fields("param2", "%%2")}, []string{"start-file-not-found", "service-start-failed"}},
		{"7000 logon failure", Record{ProviderSCM, 7000, "BITS", fields("param2", "%%1069")}, []string{"service-not-localsystem", "service-start-failed"}},
		{"7000 timeout", Record{ProviderSCM, 7000, "BITS", fields("param2", "%%1053")}, []string{"service-hang", "service-start-failed"}},
		{"7000 other code", Record{ProviderSCM, 7000, "BITS", fields("param2", "%%1455")}, []string{"service-start-failed"}},
		{"7040 disabled", Record{ProviderSCM, 7040, "BITS", fields("param2", "auto start", "param3", "disabled")}, []string{"start-service-disabled"}},
		{"7040 routine", Record{ProviderSCM, 7040, "BITS", fields("param2", "auto start", "param3", "demand start")}, nil},
		{"7001 dependency", Record{ProviderSCM, 7001, "BITS", fields("param2", "EventSystem", "param3", "%%1058")}, []string{"start-dependency"}},
		{"16392", Record{ProviderBITS, 16392, "", fields("ErrorCode", "2147943458")}, []string{"start-service-disabled", "service-start-failed"}},
		{"16392 corrupt store", Record{ProviderBITS, 16392, "", fields("ErrorCode", "0x8020006C")}, []string{"service-start-failed", "job-list-corrupt"}},
		{"16404", Record{ProviderBITS, 16404, "", fields("function", "f", "line", "1", "hr", "2147942414")}, []string{"service-exception"}},
		{"16404 corrupt store", Record{ProviderBITS, 16404, "", fields("hr", "2149580908")}, []string{"service-exception", "job-list-corrupt"}},
		{"16391", Record{ProviderBITS, 16391, "", nil}, []string{"job-list-corrupt"}},
		{"62", Record{ProviderBITS, 62, "", nil}, []string{"transfer-inconsistent-data"}},
		{"64", Record{ProviderBITS, 64, "", fields("hr", "2147942402")}, []string{"notify-program-failed"}},
		{"204", Record{ProviderBITS, 204, "", nil}, []string{"credentials-rejected"}},
		{"61 http 401", Record{ProviderBITS, 61, "", fields("hr", "0x80190191")}, []string{"credentials-rejected"}},
		{"61 range", Record{ProviderBITS, 61, "", fields("hr", "2149580819")}, []string{"job-insufficient-range-support"}},
		{"61 proxy name", Record{ProviderBITS, 61, "", fields("hr", "2147954407")}, []string{"job-proxy-name-not-resolved"}},
		{"61 unknown code", Record{ProviderBITS, 61, "", fields("hr", "2147954424")}, nil},
		{"61 http 12152", Record{ProviderBITS, 61, "", fields("hr", "0x80072F78")}, []string{"job-invalid-server-response"}},
		{"60 success", Record{ProviderBITS, 60, "", fields("hr", "0")}, nil},
		{"61 no hr", Record{ProviderBITS, 61, "", nil}, nil},
		{"202 range", Record{ProviderBITS, 202, "", fields("hr", "2149580819")}, []string{"job-insufficient-range-support", "proxy-range-requests"}},
		{"202 http", Record{ProviderBITS, 202, "", fields("hr", "0x80200012")}, []string{"proxy-range-requests"}},
		{"302", Record{ProviderBITS, 302, "", nil}, []string{"service-slow-start"}},
		{"207", Record{"microsoft-windows-bits-client", 207, "", nil}, []string{"proxy-range-requests"}},
		{"16397", Record{ProviderBITS, 16397, "", nil}, []string{"job-limit-mismatch"}},
		{"16400", Record{ProviderBITS, 16400, "", nil}, []string{"job-limit-reached"}},
		{"17005", Record{ProviderBITS, 17005, "", nil}, []string{"service-not-localsystem"}},
		{"7031", Record{ProviderSCM, 7031, "BITS", nil}, []string{"service-crashed"}},
		{"7031 other", Record{ProviderSCM, 7031, "", nil}, nil},
		{"7022", Record{ProviderSCM, 7022, "BITS", nil}, []string{"service-hang"}},
		{"7046", Record{ProviderSCM, 7046, "BITS", nil}, []string{"service-hang"}},
		{"7024", Record{ProviderSCM, 7024, "BITS", fields("param2", "%%2147500037")}, []string{"service-start-failed"}},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range kb.MatchRecord(tt.rec) {
			got = append(got, m.Entry.ID)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s: matched %v, want %v", tt.name, got, tt.want)
		}
	}
	m := kb.MatchRecord(Record{ProviderBITS, 206, "", nil})
	if len(m) != 1 || m[0].Sig.Severity != SeverityWarning {
		t.Errorf("206 should match proxy-range-requests with warning severity: %+v", m)
	}
}

// TestEntriesWellFormed checks every entry the way a reader relies on it.
func TestEntriesWellFormed(t *testing.T) {
	kb := mustKB(t)
	article, _ := os.ReadFile(articlePath) // may be absent
	headings := map[string]bool{}
	for _, line := range strings.Split(string(article), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			h := unescapeMD(strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "#")))
			h = regexp.MustCompile(`<a name="[^"]*"></a>`).ReplaceAllString(h, "")
			headings[h] = true
		}
	}
	for _, e := range kb.Entries {
		if e.Title == "" || e.Cause == "" || len(e.Fix) == 0 {
			t.Errorf("%s: empty title, cause or fix", e.ID)
		}
		if e.Kind != KindProcedure && len(e.Verify) == 0 {
			t.Errorf("%s: no verification steps", e.ID)
		}
		for _, s := range append(append([]Step(nil), e.Fix...), e.Verify...) {
			if s.Text == "" {
				t.Errorf("%s: a step without text", e.ID)
			}
		}
		for _, c := range e.Codes {
			if v, err := ParseCode(c); err != nil || FormatCode(v) != c {
				t.Errorf("%s: code %q not normalised", e.ID, c)
			}
		}
		if e.Kind == KindExtra && len(e.Codes) != 1 {
			t.Errorf("%s: an extra entry must cover exactly one code, has %v", e.ID, e.Codes)
		}
		if e.Section != "" && len(headings) > 0 && !headings[e.Section] {
			t.Errorf("%s: section %q is not a heading of the article", e.ID, e.Section)
		}
		if e.Source == "article" && e.Section == "" {
			t.Errorf("%s: from the article but no section", e.ID)
		}
	}
	for _, s := range []string{SectionFindingBITS, SectionRestartBITS, SectionLocalSystem, SectionProxyRange, SectionJobLimits, SectionJobsFailing, SectionFailsToStart, SectionRepairCorrupt} {
		if len(headings) > 0 && !headings[s] {
			t.Errorf("section constant %q is not a heading of the article", s)
		}
	}
	for _, id := range []string{"job-insufficient-range-support", "job-missing-file-size"} {
		if e := kb.ByID(id); !strings.Contains(e.Cause, SectionProxyRange) || e.SeeAlso[0] != "proxy-range-requests" {
			t.Errorf("%s must reference the section %q", id, SectionProxyRange)
		}
	}
}

// allCommands returns every command of an entry's steps.
func allCommands(e *Entry) []string {
	var out []string
	for _, s := range append(append([]Step(nil), e.Fix...), e.Verify...) {
		out = append(out, s.Commands...)
	}
	return out
}

func TestProceduresAndCorrections(t *testing.T) {
	kb := mustKB(t)
	for id, want := range map[string][]string{
		"find-bits":     {"sc.exe query bits"},
		"restart-bits":  {"sc.exe stop bits", "sc.exe start bits"},
		"repair-config": {"sc.exe config bits obj= LocalSystem", "sc.exe sidtype bits unrestricted"},
	} {
		p := kb.Procedure(id)
		if p == nil {
			t.Errorf("procedure %q missing", id)
			continue
		}
		var cmds []string
		for _, s := range p.Steps {
			cmds = append(cmds, s.Commands...)
		}
		for _, w := range want {
			if !containsString(cmds, w) {
				t.Errorf("procedure %q lacks command %q: %v", id, w, cmds)
			}
		}
	}
	// Entries that use a procedure carry its steps and its corrections.
	for _, id := range []string{"service-repair", "start-service-does-not-exist", "start-service-not-in-exe"} {
		e := kb.ByID(id)
		cmds := allCommands(e)
		if !containsString(cmds, "sc.exe failure bits reset= 86400 actions= restart/60000/restart/120000") || !containsString(cmds, "sc.exe start bits") {
			t.Errorf("%s: repair commands missing: %v", id, cmds)
		}
		joined := strings.Join(e.Corrections, "\n")
		for _, w := range []string{"SeIncreateQuotaPrivilege", "typographic quotes", "run together", "type=interact", "space"} {
			if !strings.Contains(joined, w) {
				t.Errorf("%s: corrections do not mention %q", id, w)
			}
		}
	}
	if !containsString(allCommands(kb.ByID("job-not-logged-on")), "sc.exe stop bits") {
		t.Error("job-not-logged-on should include the restart procedure")
	}
	// No command anywhere repeats the article's mistakes.
	bad := regexp.MustCompile(`[\x{201C}\x{201D}\x{2013}]|SeIncreate|type=interact|\b(binpath|depend|start|type|error|obj|reset|actions|password|DisplayName)=[^ ]|depend =`)
	for _, e := range kb.Entries {
		for _, c := range allCommands(e) {
			if bad.MatchString(c) {
				t.Errorf("%s: command %q repeats a mistake of the article", e.ID, c)
			}
		}
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func writeKBFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "extra.json")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestOverride(t *testing.T) {
	p := writeKBFile(t, `{
  "schema": 1,
  "procedures": [{"id": "site-proxy", "title": "Our proxy", "steps": [{"text": "Call the proxy team.", "commands": ["ping proxy.example"], "shell": "either"}]}],
  "entries": [
    {"id": "job-http-403", "kind": "row", "title": "Our 403", "severity": "error", "codes": ["0x80190193"],
     "cause": "Our proxy blocks it.", "fix": [{"use": "site-proxy"}, {"use": "restart-bits"}], "verify": [{"text": "Works."}],
     "section": "BITS jobs are failing", "article_row": "BG_E_HTTP_ERROR_403"},
    {"id": "job-http-503", "kind": "extra", "title": "Server busy", "severity": "warning", "codes": ["2149122551"],
     "events": [{"provider": "Microsoft-Windows-Bits-Client", "event_id": 61, "code_field": "hr"}],
     "cause": "The WSUS server is overloaded.", "fix": [{"text": "Wait."}], "verify": [{"text": "Jobs complete."}]}
  ],
  "codes": [{"code": "0x80240FFF", "name": "WU_E_OURS", "category": "Windows Update", "meaning": "Ours."}]
}`)
	kb := mustKB(t, p)
	e := kb.ByCode(0x80190193)
	if e == nil || e.Title != "Our 403" || e.Source != "kb file "+p || len(e.Fix) != 2 || e.Fix[0].Commands[0] != "ping proxy.example" || e.Fix[1].Commands[0] != "sc.exe stop bits" {
		t.Errorf("override of job-http-403 not applied: %+v", e)
	}
	if e := kb.ByCode(0x801901F7); e == nil || e.ID != "job-http-503" {
		t.Errorf("added entry not found by code: %+v", e)
	}
	if ci := kb.Decode(0x80240FFF); ci.Name != "WU_E_OURS" {
		t.Errorf("added code row not used: %+v", ci)
	}
	if len(kb.Entries) != len(mustKB(t).Entries)+1 {
		t.Errorf("entries %d, want one more than built in", len(kb.Entries))
	}
}

func TestOverrideErrors(t *testing.T) {
	entry := func(id, kind, codes, extra string) string {
		return `{"id": "` + id + `", "kind": "` + kind + `", "title": "T", "severity": "error", "codes": [` + codes + `],
			"events": [{"provider": "Microsoft-Windows-Bits-Client", "event_id": 62}], "cause": "C", "fix": [{"text": "F"}]` + extra + `}`
	}
	file := func(entries ...string) string {
		return `{"schema": 1, "entries": [` + strings.Join(entries, ",") + `]}`
	}
	tests := []struct{ name, body, want string }{
		{"syntax", "{\n  \"schema\": 1,\n  \"entries\": [,]\n}", "line 3, column"},
		{"empty", "", "empty file"},
		{"truncated", `{"schema": 1, "entries": [`, "ends in the middle"},
		{"unknown field", `{"schema": 1, "entrys": []}`, `unknown field "entrys"`},
		{"wrong type", `{"schema": 1, "entries": [{"id": 5}]}`, `$.entries.id must be a string, not JSON number`},
		{"schema", `{"schema": 2}`, "reads schema 1"},
		{"trailing", `{"schema": 1} {}`, "extra data"},
		{"duplicate id", file(entry("a-b", "extra", `"0x80240001"`, ""), entry("a-b", "extra", `"0x80240002"`, "")), "repeated in this file"},
		{"bad id", file(entry("A B", "extra", `"0x80240001"`, "")), "lower-case"},
		{"bad code", file(entry("x", "extra", `"0xZZ"`, "")), `invalid error code "0xZZ"`},
		{"code taken", file(entry("x", "extra", `"0x80200013"`, "")), `already belongs to entry "job-insufficient-range-support"`},
		{"extra two codes", file(entry("x", "extra", `"0x80240001", "0x80240002"`, "")), "exactly one code"},
		{"bad kind", file(entry("x", "other", `"0x80240001"`, "")), `kind "other"`},
		{"bad severity", strings.Replace(file(entry("x", "extra", `"0x80240001"`, "")), `"error"`, `"fatal"`, 1), `severity "fatal"`},
		{"unknown use", file(entry("x", "extra", `"0x80240001"`, `, "verify": [{"use": "nope"}]`)), `unknown procedure "nope"`},
		{"see also", file(entry("x", "extra", `"0x80240001"`, `, "see_also": ["nope"]`)), `unknown entry "nope"`},
		{"row dropped code", file(`{"id": "start-dependency", "kind": "row", "title": "T", "severity": "error", "codes": ["0x80070433"], "cause": "C", "fix": [{"text": "F"}], "section": "BITS fails to start", "article_row": "ERROR_SERVICE_DEPENDENCY_DELETED ERROR_SERVICE_DEPENDENCY_FAIL"}`), "must list the article's code 0x8007042C"},
		{"row turned section", file(`{"id": "job-http-403", "kind": "section", "title": "T", "severity": "error", "codes": ["0x80190193"], "events": [{"provider": "Microsoft-Windows-Bits-Client", "event_id": 62}], "cause": "C", "fix": [{"text": "F"}], "section": "X"}`), `must be kind "row"`},
		{"code row", `{"schema": 1, "codes": [{"code": "0x1"}]}`, "needs a category"},
	}
	for _, tt := range tests {
		p := writeKBFile(t, tt.body)
		_, err := LoadKB(p)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %q; want the file name and %q", tt.name, err, tt.want)
		}
	}
	if _, err := LoadKB(filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.Contains(err.Error(), "cannot open") {
		t.Errorf("missing file: %v", err)
	}
}

// TestStepShells walks every step of the built-in knowledge base: every step
// with commands names its shell, no command begins with "sc " (in PowerShell
// sc is Set-Content; only "sc.exe " is printed), and %VAR% variables appear
// only in Command Prompt steps.
func TestStepShells(t *testing.T) {
	kb := mustKB(t)
	envVar := regexp.MustCompile(`%[A-Za-z_][A-Za-z0-9_()]*%`)
	n := 0
	walk := func(owner string, steps []Step) {
		for i, st := range steps {
			if len(st.Commands) > 0 && !st.Shell.Valid() {
				t.Errorf("%s step %d: shell %q", owner, i+1, st.Shell)
			}
			for _, c := range st.Commands {
				n++
				if strings.HasPrefix(c, "sc ") || !strings.HasPrefix(c, "sc.exe ") && strings.HasPrefix(strings.ToLower(c), "sc ") {
					t.Errorf("%s step %d: command %q begins with sc, not sc.exe", owner, i+1, c)
				}
				if envVar.MatchString(c) && st.Shell != ShellCmd {
					t.Errorf("%s step %d: %q uses a %%VAR%% in a %s step", owner, i+1, c, st.Shell)
				}
			}
		}
	}
	for _, e := range kb.Entries {
		walk(e.ID+" fix", e.Fix)
		walk(e.ID+" verify", e.Verify)
	}
	for _, id := range []string{"find-bits", "restart-bits", "repair-config"} {
		if p := kb.Procedure(id); p != nil {
			walk(id, p.Steps)
		}
	}
	if n < 100 {
		t.Errorf("only %d commands walked", n)
	}
}

func TestStepShellRules(t *testing.T) {
	for _, tc := range []struct {
		step string
		want string // "" for accepted
	}{
		{`{"text": "x", "commands": ["sc.exe query bits"], "shell": "either"}`, ""},
		{`{"text": "x", "commands": ["sc query bits"], "shell": "cmd"}`, "write sc.exe"},
		{`{"text": "x", "commands": ["sc.exe query bits"]}`, `needs "shell"`},
		{`{"text": "x", "commands": ["dir %SystemRoot%"], "shell": "powershell"}`, "only Command Prompt"},
		{`{"text": "x", "commands": ["dir"], "shell": "bash"}`, `"bash": use cmd`},
		{`{"text": "x", "shell": "cmd"}`, "no commands"},
	} {
		p := writeKBFile(t, `{"schema": 1, "procedures": [{"id": "p", "title": "P", "steps": [`+tc.step+`]}]}`)
		_, err := LoadKB(p)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.step, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want %q", tc.step, err, tc.want)
		}
	}
}
