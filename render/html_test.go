package render

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"
)

func renderHTML(t *testing.T, o Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := HTML(&b, hostileResult(), o); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestHTMLHostile: text from the logs cannot add elements, attributes,
// scripts or links to the HTML report.
func TestHTMLHostile(t *testing.T) {
	h := renderHTML(t, Options{Full: true})
	if n := strings.Count(h, "<script"); n != 1 {
		t.Errorf("%d <script in the output, want the report's own only", n)
	}
	for _, bad := range []string{"<script>alert", `href="javascript`, "<img", "\x00", "\x1b", "\u202E", "src="} {
		if strings.Contains(h, bad) {
			t.Errorf("output contains %q", bad)
		}
	}
	if !strings.Contains(h, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the hostile <script> is not shown escaped")
	}
	// Every href is internal and resolves; every tag is one the writer makes.
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(`\bid="([^"]+)"`).FindAllStringSubmatch(h, -1) {
		ids[m[1]] = true
	}
	for _, m := range regexp.MustCompile(`\bhref="([^"]*)"`).FindAllStringSubmatch(h, -1) {
		if !strings.HasPrefix(m[1], "#") || !ids[m[1][1:]] {
			t.Errorf("link %q does not resolve inside the report", m[1])
		}
	}
	allowed := map[string]bool{}
	for _, tag := range strings.Fields("html head meta title style body main script h1 h2 h3 h4 p ul ol li strong code pre a table thead tbody tr th td div svg line text rect") {
		allowed[tag] = true
	}
	body := h[:strings.Index(h, "<script>")] + h[strings.Index(h, "</script>"):]
	for _, m := range regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9]*)`).FindAllStringSubmatch(body, -1) {
		if !allowed[strings.ToLower(m[1])] {
			t.Errorf("unexpected element <%s>", m[1])
		}
	}
	if !strings.Contains(h, `class="sortable"`) || !strings.Contains(h, "Content-Security-Policy") {
		t.Error("no sortable findings table or no CSP")
	}
}

// TestCSV: one row per failure, RFC 4180 quoting, header, formula guard.
func TestCSV(t *testing.T) {
	r := richResult()
	var b bytes.Buffer
	if err := CSV(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\r\n") {
		t.Error("lines do not end in CRLF (RFC 4180)")
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(r.Failures)+1 || strings.Join(rows[0], ",") != strings.Join(csvHeader, ",") {
		t.Fatalf("%d rows (want %d + header): %q", len(rows), len(r.Failures), rows[0])
	}
	first := rows[1]
	if first[0] != "2024-05-02T08:00:00Z" || first[8] != `Windows Update, "quoted"` || first[11] != "proxy1.contoso.local:8080" ||
		first[10] != "http://dl.contoso-cdn.example/a.cab?x=1&y=2" || first[6] != "BG_E_INSUFFICIENT_RANGE_SUPPORT" {
		t.Errorf("first row: %q", first)
	}
	if last := rows[len(rows)-1]; !strings.HasPrefix(last[8], "'=") {
		t.Errorf("a title that a spreadsheet would run as a formula is not guarded: %q", last[8])
	}
}
