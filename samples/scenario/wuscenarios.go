package scenario

import (
	"fmt"
	"time"
)

// Windows Update client and Delivery Optimization samples (wu-facts.md §1).

// ChannelWUOperational is the Windows Update client's Operational channel.
const ChannelWUOperational = "Microsoft-Windows-WindowsUpdateClient/Operational"

// wuOpFile is the file name of an exported WindowsUpdateClient/Operational log.
const wuOpFile = "WindowsUpdateClient-Operational.evtx"

// Channel bits of the WU client's keywords (System, Operational).
const (
	kwWUSystem      = 0x8000000000000000
	kwWUOperational = 0x4000000000000000
)

// Update services (serviceGuid).
const (
	svcWSUS  = "{3DA21691-E39D-4DA6-8A4B-B43877BCB1B7}"
	svcWU    = "{9482F4B4-E343-43B6-B170-9A65BC822C77}"
	svcStore = "{855E8A7C-ECB4-4CA3-B045-1DFA50104289}"
)

// Update is one update the Windows Update client handles.
type Update struct {
	Title, GUID string
	Revision    uint32
}

func (h *Host) wuEvent(t time.Time, channel string, id uint16, level uint8, data ...Field) Event {
	kw := uint64(kwWUSystem)
	if channel != ChannelSystem {
		kw = kwWUOperational
	}
	return Event{Provider: wuClient, EventID: id, Version: 1, Level: level, Keywords: kw, Time: t,
		ProcessID: h.BitsPID + 8, ThreadID: h.R.ThreadID(), Channel: channel, Computer: h.Computer,
		UserID: systemSID, Data: data}
}

// WUDownloadStarted is System event 44.
func (h *Host) WUDownloadStarted(t time.Time, u Update) Event {
	return h.wuEvent(t, ChannelSystem, 44, LevelInfo, Str("updateTitle", u.Title), GUIDField("updateGuid", u.GUID), U32("updateRevisionNumber", u.Revision))
}

// WUDownloadFailed is Operational event 31 (v1: errorCode is the second field).
func (h *Host) WUDownloadFailed(t time.Time, u Update, code uint32) Event {
	return h.wuEvent(t, ChannelWUOperational, 31, LevelError, Str("updateTitle", u.Title), Str("errorCode", fmt.Sprintf("0x%x", code)),
		GUIDField("updateGuid", u.GUID), U32("updateRevisionNumber", u.Revision))
}

// WUDownloaded is Operational event 41.
func (h *Host) WUDownloaded(t time.Time, u Update) Event {
	return h.wuEvent(t, ChannelWUOperational, 41, LevelInfo, Str("updateTitle", u.Title), GUIDField("updateGuid", u.GUID), U32("updateRevisionNumber", u.Revision))
}

// WUInstallStarted is System event 43.
func (h *Host) WUInstallStarted(t time.Time, u Update) Event {
	return h.wuEvent(t, ChannelSystem, 43, LevelInfo, Str("updateTitle", u.Title), GUIDField("updateGuid", u.GUID), U32("updateRevisionNumber", u.Revision))
}

// WUInstallFailed is System event 20 (v1).
func (h *Host) WUInstallFailed(t time.Time, u Update, code uint32, service string) Event {
	return h.wuEvent(t, ChannelSystem, 20, LevelError, Str("errorCode", fmt.Sprintf("0x%x", code)), Str("updateTitle", u.Title),
		GUIDField("updateGuid", u.GUID), U32("updateRevisionNumber", u.Revision), GUIDField("serviceGuid", service))
}

// WUScanFailed is Operational event 25 (v1).
func (h *Host) WUScanFailed(t time.Time, code uint32, service string) Event {
	return h.wuEvent(t, ChannelWUOperational, 25, LevelError, Str("errorCode", fmt.Sprintf("0x%x", code)), GUIDField("serviceGuid", service))
}

// WUScanSucceeded is Operational event 26 (v1).
func (h *Host) WUScanSucceeded(t time.Time, n uint32, service string) Event {
	return h.wuEvent(t, ChannelWUOperational, 26, LevelInfo, U32("updateCount", n), GUIDField("serviceGuid", service))
}

// wuFiles splits events into a System and a WindowsUpdateClient/Operational
// log of one host, with System noise.
func wuFiles(id string, h *Host, c clock, first uint64, ev []Event) []File {
	var sys, op []Event
	for _, e := range ev {
		if e.Channel == ChannelSystem {
			sys = append(sys, e)
		} else {
			op = append(op, e)
		}
	}
	sys = append(sys, h.NoiseBetween(c.at(0, 7, 0, 0), c.at(1, 18, 0, 0), 30)...)
	files := []File{{Name: id + "/" + sysFile, FirstRecordID: first, Events: sys, Note: "System log of " + h.Computer}}
	if len(op) > 0 {
		files = append(files, File{Name: id + "/" + wuOpFile, FirstRecordID: first / 10, Events: op, Note: "WindowsUpdateClient Operational log of " + h.Computer})
	}
	return files
}

// wuScenario is a Windows Update scenario on one host with one finding.
func wuScenario(id, title, summary, computer string, first uint64, build func(h *Host, c clock) []Event, f Finding) Scenario {
	h := NewHost(computer)
	c := newClock(id, 2026, 3, 2)
	return Scenario{ID: id, Title: title, Summary: summary, Files: wuFiles(id, h, c, first, build(h, c)), Findings: []Finding{f}}
}

func wuScenarios() []Scenario {
	cu := Update{Title: "2026-02 Cumulative Update for Windows 10 Version 22H2 for x64-based Systems (KB5075912)", GUID: "{4f1c2a9e-7b3d-4e61-9a05-2c8d6e1b7f30}", Revision: 1}
	cu11 := Update{Title: "2026-02 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5077181)", GUID: "{a7e3c915-2d4b-4f08-b6a1-93e5d07c2b44}", Revision: 200}
	net := Update{Title: "2026-02 Cumulative Update for .NET Framework 3.5 and 4.8.1 for Windows 10 Version 22H2 for x64 (KB5076220)", GUID: "{0d6b8f24-5c1e-47a3-8e92-b41f7a3c6d58}", Revision: 1}
	store := Update{Title: "9WZDNCRFJBH4-Microsoft.Windows.Photos", GUID: "{c2e5a781-9f3b-4d6c-a014-7e8b2d5f9c63}", Revision: 1}

	var out []Scenario
	out = append(out, wsusBITSFailure())
	out = append(out, wsusTwoServers())

	out = append(out, wuScenario("wu-install-failure", "Install failures that are not BITS' fault (System 20)",
		"Two updates download fine (44, 41) and fail to install: a Store app with 0x80073CF9 and a cumulative update with 0x800F0922. BITS is not involved.",
		"WS-0712.contoso.local", 61020, func(h *Host, c clock) []Event {
			var ev []Event
			for i, u := range []Update{store, cu} {
				t := c.at(0, 10+i, 5, 12)
				ev = append(ev, h.WUDownloadStarted(t, u), h.WUDownloaded(t.Add(4*time.Minute), u), h.WUInstallStarted(t.Add(5*time.Minute), u))
			}
			ev = append(ev, h.WUInstallFailed(c.at(0, 10, 11, 40), store, 0x80073CF9, svcStore),
				h.WUInstallFailed(c.at(0, 11, 42, 3), cu, 0x800F0922, svcWU))
			return ev
		}, Finding{KBID: "wu-install-failure", Events: map[uint16]int{20: 2}, Computers: 1, Note: "0x80073CF9 and 0x800F0922; the finding says BITS is not the cause"}))

	out = append(out, wuScenario("do-download-failure", "A Windows 11 machine: Delivery Optimization download stalls (0x80D02002)",
		"A Windows 11 cumulative update fails to download twice with DO_E_DOWNLOAD_NO_PROGRESS; there is no BITS job, and no Delivery Optimization log was collected, which the verdict asks for.",
		"WS-1104.contoso.local", 3310, func(h *Host, c clock) []Event {
			var ev []Event
			for i := 0; i < 2; i++ {
				t := c.at(0, 9+3*i, 30, 4)
				ev = append(ev, h.WUDownloadStarted(t, cu11), h.WUDownloadFailed(t.Add(47*time.Minute), cu11, 0x80D02002))
			}
			return ev
		}, Finding{KBID: "do-download-failure", Events: map[uint16]int{31: 2}, Computers: 1, Note: "0x80D02002; the verdict gives the wevtutil command for the Delivery Optimization log"}))

	out = append(out, wuScenario("wu-dm-bits", "Windows Update cannot reach BITS (0x80246008)",
		"A Windows 10 machine whose BITS service is disabled: downloads fail with WU_E_DM_FAILTOCONNECTTOBITS. Only the System and WindowsUpdateClient logs were collected, so BITS can neither be blamed nor cleared from its own log.",
		"WS-0713.contoso.local", 8802, func(h *Host, c clock) []Event {
			t := c.at(0, 14, 2, 9)
			return []Event{h.WUDownloadStarted(t, net), h.WUDownloadFailed(t.Add(2*time.Second), net, 0x80246008)}
		}, Finding{KBID: "wu-dm-bits", Events: map[uint16]int{31: 1}, Computers: 1, Note: "0x80246008 WU_E_DM_FAILTOCONNECTTOBITS; no BITS evidence of that time"}))

	scan := func(id, title, summary, computer string, first uint64, code uint32, n int) Scenario {
		return wuScenario(id, title, summary, computer, first, func(h *Host, c clock) []Event {
			var ev []Event
			for i := 0; i < n; i++ {
				ev = append(ev, h.WUScanFailed(c.at(0, 8+2*i, 12, 30), code, svcWSUS))
			}
			return append(ev, h.WUScanSucceeded(c.at(1, 9, 0, 1), 3, svcWSUS))
		}, Finding{KBID: id, Events: map[uint16]int{25: n}, Computers: 1, Note: fmt.Sprintf("0x%08X in scans against WSUS", code)})
	}
	out = append(out, scan("wu-name-or-proxy", "Scan cannot resolve the WSUS server's name (0x8024402C)",
		"After a DNS change the WSUS server's name does not resolve: three scans fail with WU_E_PT_WINHTTP_NAME_NOT_RESOLVED; the next day's scan works.", "WS-0714.contoso.local", 1201, 0x8024402C, 3))
	out = append(out, scan("wu-server-http-status", "WSUS answers 503 (0x80244022)",
		"The WSUS application pool stopped: two scans fail with WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL.", "WS-0715.contoso.local", 1302, 0x80244022, 2))
	out = append(out, scan("wu-endpoint-unreachable", "Update service endpoint unreachable (0x80240438)",
		"A firewall change blocks the update service: two scans fail with WU_E_PT_ENDPOINT_UNREACHABLE.", "WS-0716.contoso.local", 1403, 0x80240438, 2))
	out = append(out, scan("wu-certificate-expired", "Expired certificate (0x800B0101)",
		"A VM restored with a clock years behind: scans fail with CERT_E_EXPIRED.", "WS-0717.contoso.local", 1504, 0x800B0101, 2))
	out = append(out, scan("wu-scan-failure", "Scan fails with a data error (0x8024000E)",
		"Scans fail with WU_E_XML_INVALID, a code of the client's own metadata handling: not BITS.", "WS-0718.contoso.local", 1605, 0x8024000E, 2))

	out = append(out, wuScenario("wu-download-content", "Downloaded update is missing (0x80246007)",
		"An update's download is reported as not downloaded when it is to be installed (System 20 with WU_E_DM_NOTDOWNLOADED).",
		"WS-0719.contoso.local", 9903, func(h *Host, c clock) []Event {
			t := c.at(0, 16, 20, 0)
			return []Event{h.WUDownloadStarted(t, net), h.WUInstallStarted(t.Add(9*time.Minute), net), h.WUInstallFailed(t.Add(9*time.Minute+3*time.Second), net, 0x80246007, svcWSUS)}
		}, Finding{KBID: "wu-download-content", Events: map[uint16]int{20: 1}, Computers: 1, Note: "0x80246007 WU_E_DM_NOTDOWNLOADED"}))

	out = append(out, wuScenario("wu-download-failure", "Download fails with a code of no specific entry (0x80240022)",
		"A download fails with WU_E_ALL_UPDATES_FAILED: the generic download entry, which says the failure is on the download path.",
		"WS-0720.contoso.local", 10004, func(h *Host, c clock) []Event {
			t := c.at(0, 12, 0, 0)
			return []Event{h.WUDownloadStarted(t, cu), h.WUDownloadFailed(t.Add(10*time.Minute), cu, 0x80240022)}
		}, Finding{KBID: "wu-download-failure", Events: map[uint16]int{31: 1}, Computers: 1, Note: "0x80240022"}))
	return out
}

// wsusBITSFailure is a WSUS client whose update downloads fail through
// BITS (404 from the WSUS server's /Content/), followed by the Windows
// Update event that reports it.
func wsusBITSFailure() Scenario {
	const id = "wsus-bits-download-failure"
	h := NewHost("WS-0721.contoso.local")
	c := newClock(id, 2026, 3, 2)
	u := Update{Title: "2026-02 Security Update for Windows Server 2016 for x64-based Systems (KB5075999)", GUID: "{6e2b9d14-3a7f-4c85-9b06-d1f4e8a2c7b9}", Revision: 1}
	t := c.at(0, 9, 40, 2)
	j := wuJob(h, "E5/1B3D5F7A9C1E3B5D7F9A1C3E5B7D9F1A3C5E7B9D.cab", 44_040_192)
	op := h.RetryingJob(t.Add(time.Second), j, "", repeat(hrHTTP404, 2), 5*time.Minute, false)
	last := op[len(op)-1].Time
	op = append(op, h.JobError(last.Add(200*time.Millisecond), j, hrHTTP404))
	wu := []Event{h.WUDownloadStarted(t, u), h.WUDownloadFailed(last.Add(3*time.Second), u, 0x80246009)}
	files := wuFiles(id, h, c, 52010, wu)
	files = append(files, File{Name: id + "/" + opFile, FirstRecordID: 7701, Events: op, Note: "Bits-Client Operational log of " + h.Computer})
	return Scenario{
		ID: id, Title: "WSUS client: downloads fail through BITS (404 from /Content/), Windows Update reports 0x80246009",
		Summary: "Windows Server 2016 downloads through BITS. The WSUS server wsus01.contoso.local:8530 lacks an update file: the WU Client Download job gets 404 twice and goes into the error state; Windows Update then reports WU_E_DM_BITSTRANSFERERROR. The Windows Update finding names the job, the BITS code and the WSUS server.",
		Files:   files,
		Findings: []Finding{
			{KBID: "job-http-404", Events: map[uint16]int{61: 2, 211: 1}, Jobs: 1, Computers: 1, Status: "unresolved", Note: "0x80190194 from wsus01.contoso.local (WSUS content)"},
			{KBID: "wu-dm-bits", Events: map[uint16]int{31: 1}, Computers: 1, Note: "0x80246009 linked to the WU Client Download job's 0x80190194 from WSUS server wsus01.contoso.local:8530"},
		},
	}
}

// wsusTwoServers is one WSUS client downloading from two WSUS servers, with
// the same cause on both: during a WSUS migration the client's policy moved
// it from wsus01 to wsus02. The job created before the move keeps getting
// 404 from wsus01, which lacks the file (unresolved, and Windows Update
// reports it); wsus02 answered 404 once while it was still fetching the file
// from its upstream server, then served it.
func wsusTwoServers() Scenario {
	const id = "wsus-two-servers"
	h := NewHost("WS-0741.contoso.local")
	c := newClock(id, 2026, 3, 2)
	u := Update{Title: "2026-02 Security Update for Windows Server 2016 for x64-based Systems (KB5075999)", GUID: "{6e2b9d14-3a7f-4c85-9b06-d1f4e8a2c7b9}", Revision: 1}
	const file = "E5/1B3D5F7A9C1E3B5D7F9A1C3E5B7D9F1A3C5E7B9D.cab"
	t := c.at(0, 9, 40, 2)
	j1 := wuJob(h, file, 44_040_192)
	op := h.RetryingJob(t.Add(time.Second), j1, "", repeat(hrHTTP404, 2), 5*time.Minute, false)
	last := op[len(op)-1].Time
	op = append(op, h.JobError(last.Add(200*time.Millisecond), j1, hrHTTP404))
	wu := []Event{h.WUDownloadStarted(t, u), h.WUDownloadFailed(last.Add(3*time.Second), u, 0x80246009)}
	j2 := h.NewJob("WU Client Download", sysUser, svcHost, h.BitsPID+8, "http://wsus02.contoso.local:8530/Content/"+file, 44_040_192)
	op = append(op, h.RetryingJob(c.at(0, 11, 52, 17), j2, "", repeat(hrHTTP404, 1), 10*time.Minute, true)...)
	files := wuFiles(id, h, c, 53010, wu)
	files = append(files, File{Name: id + "/" + opFile, FirstRecordID: 7801, Events: op, Note: "Bits-Client Operational log of " + h.Computer})
	return Scenario{
		ID: id, Title: "Two WSUS servers: one keeps answering 404, the other recovered",
		Summary: "During a WSUS migration WS-0741 is moved from wsus01.contoso.local:8530 to wsus02.contoso.local:8530. wsus01 lacks an update file: the job gets 404 twice and goes into the error state, and Windows Update reports 0x80246009. wsus02 answers 404 once for the same file and serves it on the retry. The 404 finding is broken down per WSUS server and the verdict names wsus01 as the failing server.",
		Files:   files,
		Findings: []Finding{
			{KBID: "job-http-404", Events: map[uint16]int{61: 3, 211: 1}, Jobs: 2, Computers: 1, Status: "unresolved", Note: "0x80190194 from two WSUS servers: wsus01 unresolved, wsus02 recovered",
				PerServer: []string{"wsus01.contoso.local:8530 3 unresolved", "wsus02.contoso.local:8530 1 recovered"}},
			{KBID: "wu-dm-bits", Events: map[uint16]int{31: 1}, Computers: 1, Note: "0x80246009 linked to the 0x80190194 from wsus01.contoso.local:8530, not wsus02",
				PerServer: []string{"wsus01.contoso.local:8530 1 unresolved"}},
		},
	}
}
