package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"bitsdiag/analyze"
	"bitsdiag/samples/snapgen"
	"bitsdiag/snapshot"
)

// caseFolder writes one machine's folder: sample event logs and the
// snapshot files of m as shell writes them.
func caseFolder(t *testing.T, logs []string, m snapgen.Machine, shell snapgen.Shell) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "bitsdiag-"+m.Computer)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, l := range logs {
		b, err := os.ReadFile(l)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(l)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range snapgen.Files(m, shell) {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// reportOn runs "bitsdiag report" through the CLI and returns the JSON and
// the Markdown result.
func reportOn(t *testing.T, path string) (*analyze.Result, string) {
	t.Helper()
	run := func(format string) []byte {
		var so, se bytes.Buffer
		if code := runReport(context.Background(), []string{"-q", "-f", format, path}, nil, &so, &se); code != exitOK {
			t.Fatalf("report %s: exit %d: %s", path, code, se.String())
		}
		return so.Bytes()
	}
	var r analyze.Result
	if err := json.Unmarshal(run("json"), &r); err != nil {
		t.Fatal(err)
	}
	return &r, string(run("md"))
}

func findingOf(r *analyze.Result, kbID string) *analyze.Finding {
	for i := range r.Findings {
		if r.Findings[i].KBID == kbID {
			return &r.Findings[i]
		}
	}
	return nil
}

// Issue 14 done-when 4: event logs and snapshots of one machine give one
// report with the configuration check, the live jobs joined with the
// logged ones, and a snapshot that contradicts the logs (BITS disabled
// while the Operational log shows it working) saying so.
func TestReportWithSnapshotsOfOneMachine(t *testing.T) {
	m := snapgen.Windows10()
	m.Computer = "WS-0663" // the sample log's computer is WS-0663.contoso.local
	m.Start, m.Delayed = 4, false
	m.Jobs = []snapgen.Job{{ID: "{C0177187-E65A-4C9E-A760-FF8BD9645618}", Name: "WU Client Download", Owner: `NT AUTHORITY\SYSTEM`,
		State: "ERROR", ErrorCode: 0x80190194, Context: 5, URL: "http://wsus.example.test:8530/Content/1A/0123.cab",
		Local: `C:\Windows\SoftwareDistribution\Download\0123.cab`, BytesDone: 0, BytesTotal: -1}}
	dir := caseFolder(t, []string{"../../samples/job-http-404/Bits-Client-Operational.evtx"}, m, snapgen.ShellPS51)
	r, md := reportOn(t, dir)

	if !slices.Equal(r.Computers, []string{"WS-0663.contoso.local"}) {
		t.Errorf("computers %v: the snapshots were not matched with the logs' computer", r.Computers)
	}
	if len(r.Configuration) != 1 {
		t.Fatalf("configuration checks: %+v", r.Configuration)
	}
	c := r.Configuration[0]
	if c.Computer != "WS-0663.contoso.local" || !strings.Contains(c.Windows, "build 19045") || c.LiveJobs != 1 {
		t.Errorf("configuration check %+v", c)
	}
	for _, f := range c.Files {
		if f.Status != "read" {
			t.Errorf("%s: %s %s", f.Path, f.Status, f.Reason)
		}
	}
	if len(c.Files) != len(snapgen.Files(m, snapgen.ShellPS51)) {
		t.Errorf("%d snapshot files in the check, want %d", len(c.Files), len(snapgen.Files(m, snapgen.ShellPS51)))
	}
	st := findingOf(r, "config-start-type")
	if st == nil {
		t.Fatalf("no start-type finding: %v", c.Findings)
	}
	if !slices.Contains(c.Findings, st.ID) || !strings.Contains(st.Summary, "4 DISABLED") || !strings.Contains(st.Summary, "Windows 10") {
		t.Errorf("start-type finding: %s (check lists %v)", st.Summary, c.Findings)
	}
	if len(st.Fix) == 0 || !slices.Contains(st.Fix[0].Commands, "sc.exe config bits start= delayed-auto") {
		t.Errorf("fix %+v", st.Fix)
	}
	// The Operational log shows BITS working; the snapshot says it cannot
	// start: the finding says so.
	if !slices.ContainsFunc(st.Notes, func(n string) bool { return strings.Contains(n, "event logs show BITS running") }) {
		t.Errorf("the contradiction with the logs is not stated: %q", st.Notes)
	}
	// The live job joins the logged one by id (the sample log also holds
	// an unrelated job that completed, which the listing does not show).
	i := slices.IndexFunc(r.Jobs, func(j analyze.Job) bool { return j.Title == "WU Client Download" })
	if i < 0 || len(r.Jobs) != 2 || r.Jobs[1-i].Live != nil {
		t.Fatalf("jobs %+v", r.Jobs)
	}
	j := r.Jobs[i]
	if j.Live == nil || j.Live.State != "ERROR" || j.Live.ErrorCode != "0x80190194" || !strings.Contains(j.Live.ErrorContext, "REMOTE_FILE") || !j.Live.InLogs ||
		j.Live.ErrorText != "HTTP status 404: The requested URL does not exist on the server." {
		t.Errorf("live job %+v", j.Live)
	}
	// The logs' finding about the job says what the listing shows now.
	f404 := findingOf(r, "job-http-404")
	if f404 == nil || !slices.ContainsFunc(f404.Notes, func(n string) bool { return strings.Contains(n, "in state ERROR with error 0x80190194") }) {
		t.Errorf("HTTP 404 finding without the live job's state: %+v", f404)
	}
	logsOnly, _ := reportOn(t, "../../samples/job-http-404/Bits-Client-Operational.evtx")
	if f0 := findingOf(logsOnly, "job-http-404"); f404 != nil && (f0 == nil || f404.Count != f0.Count || f404.Status != f0.Status || len(f404.Evidence) != len(f0.Evidence)) {
		t.Errorf("HTTP 404 finding: count %d status %q; the listing is not an event (logs alone: %+v)", f404.Count, f404.Status, f0)
	}
	// --computer leaves the machine out, snapshots included.
	var so, se bytes.Buffer
	if code := runReport(context.Background(), []string{"-q", "-f", "json", "--computer", "WS-9999*", dir}, nil, &so, &se); code != exitOK {
		t.Fatalf("--computer: exit %d: %s", code, se.String())
	}
	var other analyze.Result
	if err := json.Unmarshal(so.Bytes(), &other); err != nil || len(other.Configuration) != 0 || len(other.Findings) != 0 {
		t.Errorf("--computer WS-9999*: configuration %+v, findings %d", other.Configuration, len(other.Findings))
	}
	for _, want := range []string{"## Configuration check", "### Machine WS-0663.contoso.local", "event logs show BITS running"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	// The live jobs table is in the full report only; the short one says so.
	if !strings.Contains(md, "the live jobs table with --full") || strings.Contains(md, "Jobs the live listings show") {
		t.Errorf("short Markdown: live jobs table not left to --full")
	}
	so.Reset()
	se.Reset()
	if code := runReport(context.Background(), []string{"-q", "-f", "md", "--full", dir}, nil, &so, &se); code != exitOK {
		t.Fatalf("--full: exit %d: %s", code, se.String())
	}
	for _, want := range []string{"## Configuration check", "### Machine WS-0663.contoso.local", "Jobs the live listings show", "| ERROR |", "event logs show BITS running"} {
		if !strings.Contains(so.String(), want) {
			t.Errorf("--full Markdown lacks %q", want)
		}
	}
}

// A finding of the logs about a setting the snapshots show as shipped says
// so; one they confirm says that, and the generic (Windows 7) repair
// procedure becomes the machine's version.
func TestLogFindingsMeetSnapshots(t *testing.T) {
	logs := []string{"../../samples/start-service-does-not-exist/System.evtx"}
	r0, _ := reportOn(t, logs[0])
	f0 := findingOf(r0, "start-service-does-not-exist")
	if f0 == nil {
		t.Fatal("the sample has no start-service-does-not-exist finding")
	}
	comp := strings.Split(f0.Computers[0], ".")[0]

	m := snapgen.Windows10()
	m.Computer = comp
	r, _ := reportOn(t, caseFolder(t, logs, m, snapgen.ShellCmd))
	f := findingOf(r, "start-service-does-not-exist")
	if f == nil || !slices.ContainsFunc(f.Notes, func(n string) bool { return strings.Contains(n, "show this setting as shipped") }) {
		t.Errorf("healthy snapshots: the contradiction is not stated: %+v", f)
	}

	m.Missing = true
	r, _ = reportOn(t, caseFolder(t, logs, m, snapgen.ShellCmd))
	f = findingOf(r, "start-service-does-not-exist")
	if f == nil || !slices.ContainsFunc(f.Notes, func(n string) bool { return strings.Contains(n, "snapshots agree") }) {
		t.Fatalf("missing service: %+v", f)
	}
	var cmds []string
	for _, s := range f.Fix {
		cmds = append(cmds, s.Commands...)
	}
	all := strings.Join(cmds, "\n")
	if !strings.Contains(all, "svchost.exe -k netsvcs -p") || strings.Contains(all, "EventSystem") {
		t.Errorf("repair procedure is not the Windows 10 one:\n%s", all)
	}
	if findingOf(r, "config-service") == nil {
		t.Errorf("no configuration finding for the missing service: %v", r.Configuration)
	}
}

// The zip "bitsdiag collect" promises (bitsdiag-<COMPUTERNAME>/ with the
// fixed names), built from the samples, read by report through the CLI.
func TestReportReadsCollectZip(t *testing.T) {
	m := snapgen.Windows10()
	m.Computer = "WS-0154" // samples/job-limit-reached
	m.Policy = [][2]any{{"MaxJobsPerUser", uint32(300)}, {"MaxJobsPerMachine", uint32(300)}}
	zipPath := filepath.Join(t.TempDir(), "bitsdiag-WS-0154.zip")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, data []byte) {
		w, err := zw.Create("bitsdiag-WS-0154/" + name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	for _, f := range snapgen.Files(m, snapgen.ShellCmd) {
		add(f.Name, f.Data)
	}
	add("README.txt", []byte(strings.Join(customerReadme, "\r\n")))
	logs := map[string]string{"System.evtx": "../../samples/job-limit-reached/System.evtx",
		"Bits-Client-Operational.evtx": "../../samples/job-limit-reached/Bits-Client-Operational.evtx"}
	for _, c := range snapshot.Collection() {
		if src, ok := logs[c.File]; ok {
			b, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			add(c.File, b)
		}
	}
	add("sc-qtriggerinfo.txt", []byte{}) // as PowerShell's sc alias leaves it: listed as unreadable
	zw.Close()
	if err := os.WriteFile(zipPath, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	r, md := reportOn(t, zipPath)
	if len(r.Configuration) != 1 || r.Configuration[0].Computer != "WS-0154.contoso.local" || r.Configuration[0].Folder != zipPath+"!bitsdiag-WS-0154" {
		t.Fatalf("configuration %+v", r.Configuration)
	}
	if findingOf(r, "job-limit-reached") == nil || findingOf(r, "config-policy-job-limits") == nil {
		t.Errorf("findings %v", kbIDsOf(r))
	}
	var unreadable *analyze.Input
	for i := range r.Inputs {
		if strings.HasSuffix(r.Inputs[i].Path, "sc-qtriggerinfo.txt") {
			unreadable = &r.Inputs[i]
		}
	}
	if unreadable == nil || !strings.Contains(unreadable.Skipped, "cannot be read") {
		t.Errorf("the empty snapshot is not in the inventory with its reason: %+v", unreadable)
	}
	if strings.Contains(md, "README.txt") {
		t.Error("the customer's README was taken for a snapshot")
	}
}

func kbIDsOf(r *analyze.Result) []string {
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, f.KBID)
	}
	return ids
}

// Snapshots without event logs: the report is the configuration check,
// and the verdict claims nothing about logs it did not see.
func TestReportOnSnapshotsAlone(t *testing.T) {
	r, md := reportOn(t, "../../samples/snapshots/missing-win7")
	if !strings.HasPrefix(r.Verdict, "1 problem needs action. The configuration snapshots of PC1 show: BITS is not installed") {
		t.Errorf("verdict %q", r.Verdict)
	}
	f := findingOf(r, "config-service")
	if f == nil || len(r.Configuration) != 1 || !strings.Contains(r.Configuration[0].Windows, "Windows 7") {
		t.Fatalf("findings %v, configuration %+v", kbIDsOf(r), r.Configuration)
	}
	var cmds []string
	for _, s := range f.Fix {
		cmds = append(cmds, s.Commands...)
	}
	if all := strings.Join(cmds, "\n"); !strings.Contains(all, "depend= RpcSs/EventSystem") || strings.Contains(all, "-k netsvcs -p") {
		t.Errorf("not the Windows 7 commands:\n%s", all)
	}
	if strings.Contains(md, "end of the log") || len(r.Timeline) != 0 {
		t.Errorf("the report speaks of logs it did not read: %q, timeline %v", r.Verdict, r.Timeline)
	}
}

// Logs of a disabled BITS beside snapshots of the same machine: the logs'
// finding says the snapshots agree, and the check notes that the service
// state the logs end with is not the one sc.exe query shows.
func TestDisabledInBothSources(t *testing.T) {
	m := snapgen.Windows10()
	m.Computer = "WS-0146" // samples/start-service-disabled
	m.Start, m.Delayed = 4, false
	r, _ := reportOn(t, caseFolder(t, []string{"../../samples/start-service-disabled/System.evtx"}, m, snapgen.ShellCmd))
	f := findingOf(r, "start-service-disabled")
	if f == nil || !slices.ContainsFunc(f.Notes, func(n string) bool { return strings.Contains(n, "snapshots agree: start type 4 DISABLED") }) {
		t.Errorf("logs' finding: %+v", f)
	}
	if findingOf(r, "config-start-type") == nil || len(r.Configuration) != 1 || r.Configuration[0].ServiceState != "RUNNING" ||
		!slices.ContainsFunc(r.Configuration[0].Notes, func(n string) bool { return strings.Contains(n, "logs end with BITS stopped") }) {
		t.Errorf("configuration %+v", r.Configuration)
	}
}
