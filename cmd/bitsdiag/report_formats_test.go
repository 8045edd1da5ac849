package main

import (
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"bitsdiag/analyze"
)

// tugixPair is the Bits-Client and System logs of one machine in the corpus.
func tugixPair(t *testing.T) []string {
	root := corpus(t)
	return []string{filepath.Join(root, bitsLog), filepath.Join(root, systemLog)}
}

// writeFormat runs "report" with args and -o out, and returns out's bytes.
func writeFormat(t *testing.T, out string, args ...string) []byte {
	t.Helper()
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	code, _, errs := runCLI(t, nil, append([]string{"report", "-q", "-o", out}, args...)...)
	if code != exitOK {
		t.Fatalf("report %q -o %s: exit %d\n%s", args, out, code, errs)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pdfPages counts a PDF's pages with pdfinfo (poppler-utils), or skips.
func pdfPages(t *testing.T, path string) int {
	t.Helper()
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Skip("pdfinfo (poppler-utils) not installed")
	}
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", path, err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count", path)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// TestReportPages (issue 15, done-when 1): the short PDF of one machine's
// logs fits in 8 pages, for the tugix456 pair and every single corpus file;
// --full keeps everything (the appendices come back).
func TestReportPages(t *testing.T) {
	pair := tugixPair(t)
	dir := t.TempDir()
	short := filepath.Join(dir, "short.pdf")
	writeFormat(t, short, pair...)
	if n := pdfPages(t, short); n > 8 {
		t.Errorf("tugix456 pair: %d pages, want at most 8", n)
	} else {
		t.Logf("tugix456 pair: %d pages", n)
	}
	full := filepath.Join(dir, "full.pdf")
	writeFormat(t, full, append([]string{"--full"}, pair...)...)
	nShort, nFull := pdfPages(t, short), pdfPages(t, full)
	if nFull <= nShort {
		t.Errorf("--full: %d pages, not more than the short report's %d", nFull, nShort)
	}
	md := string(writeFormat(t, filepath.Join(dir, "full.md"), append([]string{"--full"}, pair...)...))
	for _, h := range []string{"## Appendix A: Evidence", "## Appendix B: Jobs in detail", "## Appendix C: Input inventory"} {
		if !strings.Contains(md, h) {
			t.Errorf("--full Markdown lacks %q", h)
		}
	}
	if testing.Short() {
		return
	}
	files, _ := filepath.Glob(filepath.Join(corpus(t), "*", "*.evtx"))
	for _, f := range files {
		out := filepath.Join(dir, "one.pdf")
		os.Remove(out)
		t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
		if code, _, _ := runCLI(t, nil, "report", "-q", "-o", out, f); code != exitOK {
			continue // not usable on its own (an unreadable file); the inventory tests cover it
		}
		if n := pdfPages(t, out); n > 8 {
			t.Errorf("%s: %d pages, want at most 8", filepath.Base(f), n)
		}
	}
}

// TestReportPagesSamples (issue 15, done-when 1): the short PDF of every
// sample together (36 findings on 41 computers) fits in 40 pages; --full
// keeps everything and is longer.
func TestReportPagesSamples(t *testing.T) {
	dir := t.TempDir()
	short := filepath.Join(dir, "samples.pdf")
	writeFormat(t, short, filepath.Join("..", "..", "samples"))
	n := pdfPages(t, short)
	if n > 40 {
		t.Errorf("samples/: %d pages, want at most 40", n)
	} else {
		t.Logf("samples/: %d pages", n)
	}
	if testing.Short() {
		return
	}
	full := filepath.Join(dir, "samples-full.pdf")
	writeFormat(t, full, "--full", filepath.Join("..", "..", "samples"))
	if nFull := pdfPages(t, full); nFull <= n {
		t.Errorf("--full: %d pages, not more than the short report's %d", nFull, n)
	} else {
		t.Logf("samples/ --full: %d pages", nFull)
	}
}

// TestReportCSV (issue 15, done-when 3): the CSV of the corpus parses as RFC
// 4180 (Go's reader, and Python's csv module when python3 is there) and has
// exactly one row per failure the JSON findings count.
func TestReportCSV(t *testing.T) {
	root := corpus(t)
	r, _, _ := jsonReport(t, nil, root)
	want := 0
	for i := range r.Findings {
		want += analyze.Failures(&r.Findings[i])
	}
	path := filepath.Join(t.TempDir(), "failures.csv")
	b := writeFormat(t, path, root)
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "time,computer,channel,record_id,event_id,code,code_name,finding,job_title,job_id,url,proxy" {
		t.Fatalf("header row: %v", rows[:min(1, len(rows))])
	}
	if got := len(rows) - 1; got != want || want == 0 {
		t.Errorf("%d CSV rows, want %d (failures counted in the JSON findings)", got, want)
	}
	perFinding := map[string]int{}
	for _, row := range rows[1:] {
		if len(row) != 12 {
			t.Fatalf("row with %d fields: %q", len(row), row)
		}
		if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$`).MatchString(row[0]) {
			t.Errorf("time %q is not RFC 3339 UTC", row[0])
		}
		perFinding[row[7]]++
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		if perFinding[f.ID] != analyze.Failures(f) {
			t.Errorf("%s: %d rows, the finding counts %d", f.ID, perFinding[f.ID], analyze.Failures(f))
		}
	}
	if _, err := exec.LookPath("python3"); err == nil {
		out, err := exec.Command("python3", "-c",
			"import csv,sys\nwith open(sys.argv[1], newline='', encoding='utf-8') as f: print(len(list(csv.reader(f))) - 1)", path).CombinedOutput()
		if err != nil {
			t.Fatalf("python csv: %v\n%s", err, out)
		}
		if n, _ := strconv.Atoi(strings.TrimSpace(string(out))); n != want {
			t.Errorf("python's csv module reads %d rows, want %d", n, want)
		}
	}
}

// TestReportHTMLBrowser (issue 15, done-when 3): the HTML report of the
// tugix456 pair, opened in a real headless Chromium: a screenshot of the
// first page is taken, and the DOM has one heading per finding, no script
// but the report's own, every internal link resolving and nothing loaded
// from elsewhere. Skips when chromium is not installed (CI installs it).
// BITSDIAG_SCREENSHOT=file.png keeps the screenshot.
func TestReportHTMLBrowser(t *testing.T) {
	browser := ""
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Skip("chromium not installed")
	}
	pair := tugixPair(t)
	r, _, _ := jsonReport(t, nil, pair...)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	src := string(writeFormat(t, page, pair...))
	if n := strings.Count(src, "<script"); n != 1 {
		t.Errorf("%d script elements in the file, want the report's own only", n)
	}
	for _, bad := range []string{"src=", "http-equiv=\"refresh\"", "@import", "url("} {
		if strings.Contains(src, bad) {
			t.Errorf("the file contains %q (loads something from elsewhere)", bad)
		}
	}
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
		"--user-data-dir=" + filepath.Join(dir, "profile"), "--window-size=1280,1600"}
	shot := filepath.Join(dir, "first-page.png")
	if out, err := exec.Command(browser, append(base, "--screenshot="+shot, "file://"+page)...).CombinedOutput(); err != nil {
		t.Fatalf("chromium --screenshot: %v\n%s", err, out)
	}
	png, err := os.ReadFile(shot)
	if err != nil || len(png) < 10000 || string(png[1:4]) != "PNG" {
		t.Fatalf("no screenshot of the first page (%d bytes, %v)", len(png), err)
	}
	if keep := os.Getenv("BITSDIAG_SCREENSHOT"); keep != "" {
		os.WriteFile(keep, png, 0o644)
	}
	dom, err := exec.Command(browser, append(base, "--dump-dom", "file://"+page)...).Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom: %v", err)
	}
	d := string(dom)
	actionable := 0 // informational findings are notes in the short report
	for _, f := range r.Findings {
		if f.Severity != analyze.SeverityInfo {
			actionable++
		}
	}
	if n := strings.Count(d, `class="finding"`); n != actionable || n == 0 {
		t.Errorf("%d finding headings in the DOM, want %d", n, actionable)
	}
	if n := strings.Count(d, "<script"); n != 1 {
		t.Errorf("%d script elements in the DOM, want 1", n)
	}
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(`\bid="([^"]+)"`).FindAllStringSubmatch(d, -1) {
		ids[m[1]] = true
	}
	links := regexp.MustCompile(`\bhref="([^"]*)"`).FindAllStringSubmatch(d, -1)
	if len(links) == 0 {
		t.Error("no links in the DOM")
	}
	for _, m := range links {
		if !strings.HasPrefix(m[1], "#") {
			t.Errorf("link %q leaves the report", m[1])
		} else if !ids[m[1][1:]] {
			t.Errorf("link %q does not resolve", m[1])
		}
	}
	if !strings.Contains(d, "<svg") {
		t.Error("no inline SVG timeline")
	}
}

// TestReportMarkdownReadable (issue 15, done-when 5): the Markdown of the
// tugix456 pair reads well unrendered: no \_ inside identifiers, no &amp;,
// no doubled backslashes in account names, URLs in code spans, and every
// printed command that runs sc writes sc.exe.
func TestReportMarkdownReadable(t *testing.T) {
	md := string(writeFormat(t, filepath.Join(t.TempDir(), "r.md"), tugixPair(t)...))
	if regexp.MustCompile(`[A-Za-z0-9]\\_[A-Za-z0-9]`).MatchString(md) {
		t.Errorf("\\_ inside an identifier: %q", regexp.MustCompile(`\S*[A-Za-z0-9]\\_[A-Za-z0-9]\S*`).FindString(md))
	}
	if strings.Contains(md, "&amp;") {
		t.Error("&amp; in the Markdown")
	}
	if strings.Contains(md, `P2NAHG6\\chard`) {
		t.Error(`account names with a doubled backslash (DESKTOP-P2NAHG6\\chard)`)
	}
	if !strings.Contains(md, "ERROR_WINHTTP_CONNECTION_ERROR") {
		t.Error("identifier ERROR_WINHTTP_CONNECTION_ERROR not written plainly")
	}
	for _, m := range regexp.MustCompile(`https?://[^\s|]*`).FindAllStringIndex(md, -1) {
		line := md[strings.LastIndex(md[:m[0]], "\n")+1 : m[0]]
		inCode := strings.Count(line, "`")%2 == 1
		inBlock := strings.HasPrefix(strings.TrimLeft(line, " "), "curl.exe") || strings.HasPrefix(line, "   ")
		if !inCode && !inBlock {
			t.Errorf("URL outside a code span: %q", md[m[0]:min(m[1], m[0]+80)])
		}
	}
	if regexp.MustCompile("(?m)^\\s*sc ").MatchString(md) {
		t.Error("a printed command begins with sc, not sc.exe")
	}
}

// TestTimelineLengthAgrees: the JSON timeline's bucket length is the one
// the report's text names ("counted per day" with "24h" buckets).
func TestTimelineLengthAgrees(t *testing.T) {
	root := corpus(t)
	names := map[time.Duration]string{1 * time.Hour: "hour", 2 * time.Hour: "2 hours", 3 * time.Hour: "3 hours",
		6 * time.Hour: "6 hours", 12 * time.Hour: "12 hours", 24 * time.Hour: "day", 48 * time.Hour: "2 days",
		168 * time.Hour: "7 days", 336 * time.Hour: "14 days", 672 * time.Hour: "28 days"}
	for _, args := range [][]string{tugixPair(t), {filepath.Join(root, "bits")}, {filepath.Join("..", "..", "samples")}, {root}} {
		r, _, _ := jsonReport(t, nil, args...)
		if len(r.Timeline) == 0 {
			continue
		}
		md := string(writeFormat(t, filepath.Join(t.TempDir(), "r.md"), args...))
		m := regexp.MustCompile(`counted per ([0-9a-z ]+?) and by finding`).FindStringSubmatch(md)
		if m == nil {
			t.Errorf("%v: no \"counted per\" in the Markdown", args)
			continue
		}
		l := time.Duration(r.Timeline[0].Length)
		name, ok := names[l]
		if !ok && l%(24*time.Hour) == 0 { // spans beyond the ladder: whole days
			name = strconv.Itoa(int(l/(24*time.Hour))) + " days"
		}
		if m[1] != name {
			t.Errorf("%v: text says per %q, JSON buckets are %v", args, m[1], l)
		}
	}
}
