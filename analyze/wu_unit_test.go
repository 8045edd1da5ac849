package analyze

import (
	"strings"
	"testing"

	"bitsdiag/parse"
)

// wuEv builds a Windows Update client event min minutes after t0.
func wuEv(rec uint64, min int, id uint16, channel string, kv ...string) *parse.Event {
	e := bitsEv(rec, min, id, 1, kv...)
	e.Provider, e.Channel, e.Source.File = ProviderWU, channel, "wu.evtx"
	return e
}

func TestOnDownloadPath(t *testing.T) {
	tests := []struct {
		code uint32
		want bool
	}{
		{0x80246008, true},  // WU_E_DM_FAILTOCONNECTTOBITS
		{0x80246013, false}, // WU_E_DM_UPDATEREMOVED: install side
		{0x80190194, true},  // HTTP 404 through BITS/DO
		{0x80200013, true},  // BG_E_*
		{0x80D02002, true},  // DO
		{0x80072EFD, true},  // WinHTTP
		{0x8024402C, true},  // name not resolved
		{0x80073CF9, false}, // Store app install
		{0x800F0922, false}, // CBS
		{0x80248007, false}, // data store
		{0x00240006, false}, // success
	}
	for _, tt := range tests {
		if got := onDownloadPath(tt.code); got != tt.want {
			t.Errorf("onDownloadPath(%s) = %v, want %v", FormatCode(tt.code), got, tt.want)
		}
	}
}

func TestWSUSServer(t *testing.T) {
	tests := map[string]string{
		"http://wsus01.contoso.local:8530/Content/E5/1B3D.cab": "wsus01.contoso.local:8530",
		"https://WSUS02.contoso.local:8531/content/AB/FF.exe":  "wsus02.contoso.local:8531",
		"http://wsus01.contoso.local:8530/ClientWebService/x":  "",
		"http://download.windowsupdate.com/c/msdownload/a.cab": "",
		"http://wsus01.contoso.local/Content/E5/1B3D.cab":      "",
		"not a url": "",
	}
	for in, want := range tests {
		if got := wsusServer(in); got != want {
			t.Errorf("wsusServer(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestWUErrorCodeForms: errorCode is read as lower- or upper-case hex and as
// unsigned and signed decimal, and picks the same entry.
func TestWUErrorCodeForms(t *testing.T) {
	for _, v := range []string{"0x8024402c", "0x8024402C", "2149859372", "-2145107924"} {
		r := analyse(t, Options{}, wuEv(1, 0, 25, ChannelWUOperational, "errorCode", v, "serviceGuid", "{3DA21691-E39D-4DA6-8A4B-B43877BCB1B7}"))
		f := findingByKB(r, "wu-name-or-proxy")
		if f == nil || len(f.CodeDetails) != 1 || f.CodeDetails[0].Name != "WU_E_PT_WINHTTP_NAME_NOT_RESOLVED" || f.Source != "windows-update" {
			t.Errorf("errorCode %q: findings %v", v, kbIDs(r))
		}
	}
}

// TestWUCorrelation: a download failure after failing BITS transfers of a
// Windows Update job is linked to them; one that BITS' log covers without a
// failure is said to be unexplained; an install failure is not BITS' fault.
func TestWUCorrelation(t *testing.T) {
	url := "http://wsus01.contoso.local:8530/Content/E5/1B3D5F7A9C1E3B5D7F9A1C3E5B7D9F1A3C5E7B9D.cab"
	job := bitsEv(1, 0, 3, 3, "jobTitle", "WU Client Download", "jobId", jobA, "jobOwner", `NT AUTHORITY\SYSTEM`,
		"processPath", `C:\Windows\System32\svchost.exe`, "processId", "1200", "ClientProcessStartKey", "1")
	evs := []*parse.Event{job,
		started(2, 1, xfer1, jobA, "WU Client Download", url),
		stopped(3, 2, 61, xfer1, jobA, "WU Client Download", url, "2149122452", "44040192", "0"),
		wuEv(10, 3, 31, ChannelWUOperational, "updateTitle", "KB5075999", "errorCode", "0x80246009", "updateGuid", "{6e2b9d14-3a7f-4c85-9b06-d1f4e8a2c7b9}", "updateRevisionNumber", "1"),
		wuEv(11, 300, 31, ChannelWUOperational, "updateTitle", "KB5070001", "errorCode", "0x80246009", "updateGuid", "{7e2b9d14-3a7f-4c85-9b06-d1f4e8a2c7b9}", "updateRevisionNumber", "1"),
		completed(12, 310, jobA, "WU Client Download", "44040192"),
		wuEv(13, 320, 20, "System", "errorCode", "0x80073cf9", "updateTitle", "9WZDNCRFJBH4-Microsoft.Windows.Photos", "updateGuid", "{c2e5a781-9f3b-4d6c-a014-7e8b2d5f9c63}", "updateRevisionNumber", "1", "serviceGuid", "{855E8A7C-ECB4-4CA3-B045-1DFA50104289}"),
	}
	r := analyse(t, Options{}, evs...)
	dm := findingByKB(r, "wu-dm-bits")
	if dm == nil {
		t.Fatalf("no wu-dm-bits finding: %v", kbIDs(r))
	}
	notes := strings.Join(dm.Notes, "\n")
	for _, want := range []string{"Linked to BITS: 1 of 2", `"WU Client Download"`, "0x80190194 BG_E_HTTP_ERROR_404", "WSUS server wsus01.contoso.local:8530", "No BITS failure explains one download failure", `"KB5075999"`} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if strings.Join(dm.Updates, "|") != "KB5075999|KB5070001" || strings.Join(dm.WSUSServers, "") != "wsus01.contoso.local:8530" {
		t.Errorf("updates %v, WSUS servers %v", dm.Updates, dm.WSUSServers)
	}
	if dm.Evidence[0].Job != "KB5075999" || !strings.Contains(dm.Evidence[0].Text, "download failed with 0x80246009") {
		t.Errorf("evidence %+v", dm.Evidence[0])
	}
	in := findingByKB(r, "wu-install-failure")
	if in == nil || !strings.Contains(strings.Join(in.Notes, " "), "BITS is not the cause") || !strings.Contains(strings.Join(in.Notes, " "), "Microsoft Store") {
		t.Errorf("install finding %+v", in)
	}
	if !strings.Contains(r.Verdict, "WSUS server: wsus01.contoso.local:8530") || !strings.Contains(r.Verdict, "linked to failing BITS transfers") {
		t.Errorf("verdict %q", r.Verdict)
	}
	bits := findingByKB(r, "job-http-404")
	if bits == nil || bits.Source != "" || !strings.Contains(strings.Join(bits.Notes, " "), "Windows Update service created") {
		t.Errorf("BITS finding %+v", bits)
	}
}

// TestWUDeliveryOptimization: a Windows 11 machine's DO failure; without a DO
// log the verdict gives the collection command, with a DO event it does not.
func TestWUDeliveryOptimization(t *testing.T) {
	fail := wuEv(1, 0, 31, ChannelWUOperational, "updateTitle", "2026-02 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5077181)",
		"errorCode", "0x80d02002", "updateGuid", "{a7e3c915-2d4b-4f08-b6a1-93e5d07c2b44}", "updateRevisionNumber", "200")
	r := analyse(t, Options{}, fail)
	if findingByKB(r, "do-download-failure") == nil || !strings.Contains(r.Verdict, "wevtutil epl Microsoft-Windows-DeliveryOptimization/Operational") {
		t.Errorf("findings %v verdict %q", kbIDs(r), r.Verdict)
	}
	do := bitsEv(2, 1, 1001, 0, "errorCode", "0x80D02002")
	do.Provider, do.Channel = ProviderDO, ChannelDOOperational
	r = analyse(t, Options{}, fail, do)
	f := findingByKB(r, "do-download-failure")
	if f == nil || f.Count != 2 || strings.Contains(r.Verdict, "wevtutil") {
		t.Errorf("with a DO event: %v, verdict %q", f, r.Verdict)
	}
}

func TestWSUSServerOfNamedServer(t *testing.T) {
	known := map[string]bool{"wsus03.contoso.local": true}
	if got := wsusServerOf("http://wsus03.contoso.local/Content/AB/CD.cab", known); got != "wsus03.contoso.local:80" {
		t.Errorf("named server on 80: %q", got)
	}
	if got := wsusServerOf("http://other.contoso.local/Content/AB/CD.cab", known); got != "" {
		t.Errorf("unnamed server on 80: %q", got)
	}
}

func TestWSUSVerdict(t *testing.T) {
	per := func(srv string, st Status) WSUSServerFailures {
		return WSUSServerFailures{Server: srv, Count: 1, Status: st}
	}
	tests := []struct {
		name string
		fs   []Finding
		want string
	}{
		{"one failing, one recovered",
			[]Finding{{ID: "F1", Severity: SeverityError, PerWSUSServer: []WSUSServerFailures{per("a:8530", StatusUnresolved), per("b:8530", StatusRecovered)}}},
			"WSUS servers (3): failing a:8530 (F1); failures recovered b:8530; no failure seen c:8530."},
		{"single-server findings",
			[]Finding{{ID: "F1", Severity: SeverityWarning, WSUSServers: []string{"b:8530"}, Status: StatusNoRetrySeen}, {ID: "F2", Severity: SeverityInfo, WSUSServers: []string{"a:8530"}}},
			"WSUS servers (3): failing b:8530 (F1); no failure seen a:8530, c:8530."},
		{"not attributable",
			[]Finding{{ID: "F3", Severity: SeverityError, WSUSServers: []string{"a:8530", "b:8530"}}},
			"WSUS servers (3): possibly failing (findings not attributable to one server) a:8530 (F3), b:8530 (F3); no failure seen c:8530."},
	}
	for _, tt := range tests {
		if got := wsusVerdict(tt.fs, []string{"a:8530", "b:8530", "c:8530"}); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestFailingHosts(t *testing.T) {
	f := &Finding{Hosts: []string{"wsus01.contoso.local", "wsus02.contoso.local"}, PerWSUSServer: []WSUSServerFailures{
		{Server: "wsus01.contoso.local:8530", Status: StatusUnresolved}, {Server: "wsus02.contoso.local:8530", Status: StatusRecovered}}}
	hosts, healed := failingHosts(f)
	if strings.Join(hosts, ",") != "wsus01.contoso.local" || strings.Join(healed, ",") != "wsus02.contoso.local:8530" {
		t.Errorf("hosts %v, healed %v", hosts, healed)
	}
	f.PerWSUSServer = nil
	if hosts, healed := failingHosts(f); len(hosts) != 2 || healed != nil {
		t.Errorf("without breakdown: hosts %v, healed %v", hosts, healed)
	}
}
