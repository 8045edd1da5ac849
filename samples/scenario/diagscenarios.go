package scenario

import "time"

// diagScenarios show how the diagnosis judges status, interruptions, proxy
// evidence and incomplete or mismatched inputs (issue 12).
func diagScenarios() []Scenario {
	return []Scenario{noRetrySeen(), info60Interruption(), proxyAbsentRecovered(), systemOnly(), twoComputers(), windowsVersion()}
}

// noRetrySeen: a job fails with 403 and the log ends a minute later.
func noRetrySeen() Scenario {
	const id = "status-no-retry-seen"
	h := NewHost("WS-0710.contoso.local")
	c := newClock(id, 2026, 2, 23)
	op := h.CompletedJob(c.at(0, 8, 30, 0), edgeJob(h), "")
	j := wuJob(h, "9A/1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E.cab", 2_097_152)
	op = append(op, h.RetryingJob(c.at(0, 10, 15, 0), j, "", []uint32{hrHTTP403}, 0, false)...)
	return Scenario{
		ID: id, Title: "Failure at the very end of the log: no retry seen",
		Summary: "A Windows Update job fails with HTTP 403 just before the log was exported: BITS had no chance to retry, so the report says \"no retry seen\" rather than \"unresolved\".",
		Files:   []File{{Name: id + "/" + opFile, FirstRecordID: 5120, Events: op, Note: "Bits-Client Operational log of WS-0710, exported right after the failure"}},
		Findings: []Finding{{KBID: "job-http-403", Events: map[uint16]int{61: 1}, Jobs: 1, Computers: 1, Status: "no retry seen",
			Note: "0x80190193 is the last record of the log"}},
	}
}

// info60Interruption: an Information-level 60 with a failure-class hr, and
// the same transfer restarts and completes a moment later.
func info60Interruption() Scenario {
	const id = "info60-interruption"
	h := NewHost("WS-0722.contoso.local")
	c := newClock(id, 2026, 2, 24)
	j := edgeJob(h)
	t := c.at(0, 9, 0, 0)
	x := h.R.GUID()
	stop := h.TransferStopped(t.Add(3*time.Second), j, x, 0x80040009, 0, "")
	stop.EventID, stop.Level = 60, LevelInfo
	op := []Event{h.JobCreated(t, j), h.TransferStarted(t.Add(100*time.Millisecond), j, x, 0), stop}
	op = append(op, h.Attempt(t.Add(3100*time.Millisecond), j, 0, j.Size, "", 40*time.Second)...)
	op = append(op, h.JobCompleted(t.Add(41*time.Second), j))
	op = append(op, h.CompletedJob(c.at(0, 14, 0, 0), wuJob(h, "3C/0A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D.cab", 1_048_576), "")...)
	return Scenario{
		ID: id, Title: "Information-level 60 with a failure code, then success: an interruption",
		Summary: "The Edge updater's transfer stops with an Information-level event 60 carrying 0x80040009, restarts 100 ms later and completes: an interruption, not a failure. No finding; the job counts one interruption.",
		Files:   []File{{Name: id + "/" + opFile, FirstRecordID: 880, Events: op, Note: "Bits-Client Operational log of WS-0722"}},
	}
}

// proxyAbsentRecovered: one E_INVALIDARG without a proxy, then the job
// completes.
func proxyAbsentRecovered() Scenario {
	const id = "proxy-absent-recovered"
	h := NewHost("WS-0733.contoso.local")
	c := newClock(id, 2026, 2, 25)
	j := h.NewJob("Chrome Component Updater", `CONTOSO\akim`, `C:\Program Files\Google\Chrome\Application\chrome.exe`, 6120,
		"http://edgedl.me.gvt1.com/edgedl/release2/chrome_component/acdbcd0f_1.0.0.11/crl-set.crx3", 1_153_024)
	op := h.RetryingJob(c.at(0, 12, 14, 22), j, "", []uint32{hrInvalidArg}, 73*time.Second, true)
	op = append(op, h.CompletedJob(c.at(0, 15, 0, 0), edgeJob(h), "")...)
	return Scenario{
		ID: id, Title: "E_INVALIDARG without a proxy, recovered: the proxy is not blamed",
		Summary: "A user's job fails once with 0x80070057; no event names a proxy, and the job completes 73 s later. The finding is recovered and its cause and fix do not blame a proxy (knowledge-base variant \"proxy absent\"); compare job-invalid-arg, where the events name a malformed proxy.",
		Files:   []File{{Name: id + "/" + opFile, FirstRecordID: 2400, Events: op, Note: "Bits-Client Operational log of WS-0733"}},
		Findings: []Finding{{KBID: "job-invalid-arg", Events: map[uint16]int{61: 1}, Jobs: 1, Computers: 1, Status: "recovered",
			Note: "0x80070057, no proxy in the events; the job completes"}},
	}
}

// systemOnly: only the System log was sent; BITS starts and stops there.
func systemOnly() Scenario {
	const id = "system-only"
	h := NewHost("WS-0744.contoso.local")
	c := newClock(id, 2026, 2, 26)
	var sys []Event
	for d := 0; d < 2; d++ {
		sys = append(sys, h.Boot(c.at(d, 7, 56, 30), true)...)
		sys = append(sys, h.ServiceState(c.at(d, 11, 2, 9), BITS, "stopped", 1), h.ServiceState(c.at(d, 13, 40, 0), BITS, "running", 4))
	}
	sys = append(sys, h.NoiseBetween(c.at(0, 7, 0, 0), c.at(1, 19, 0, 0), 40)...)
	return Scenario{
		ID: id, Title: "Only the System log was sent",
		Summary: "A System log alone: BITS starts at boot and stops when idle. No service problem; job failures cannot be seen without the Bits-Client log, and the report says so with the wevtutil command to export it.",
		Files:   []File{{Name: id + "/" + sysFile, FirstRecordID: 40100, Events: sys, Note: "System log of WS-0744"}},
	}
}

// twoComputers: the Bits-Client log of one computer and the System log of
// another, a week apart.
func twoComputers() Scenario {
	const id = "two-computers"
	a, b := NewHost("WS-0755.contoso.local"), NewHost("WS-0756.contoso.local")
	c := newClock(id, 2026, 3, 2)
	op := a.CompletedJob(c.at(7, 9, 15, 2), wuJob(a, "5E/0F1E2D3C4B5A69788796A5B4C3D2E1F0A9B8C7D6.cab", 1_310_720), "")
	op = append(op, a.CompletedJob(c.at(8, 13, 40, 18), edgeJob(a), "")...)
	sys := b.Boot(c.at(0, 7, 56, 30), true)
	sys = append(sys, b.StartTypeChanged(c.at(0, 9, 20, 0), BITS, "auto start", "demand start", systemSID),
		b.ServiceState(c.at(0, 11, 2, 9), BITS, "stopped", 1))
	sys = append(sys, b.NoiseBetween(c.at(0, 7, 0, 0), c.at(1, 19, 0, 0), 30)...)
	return Scenario{
		ID: id, Title: "Logs of two different computers that do not overlap",
		Summary: "The Bits-Client log is from WS-0755 (9-10 March), the System log from WS-0756 (2-3 March). The report names both computers, warns that their logs do not overlap, gives the service state for WS-0756 only, and asks for each computer's missing log.",
		Files: []File{
			{Name: id + "/WS-0755-" + opFile, FirstRecordID: 7100, Events: op, Note: "Bits-Client Operational log of WS-0755"},
			{Name: id + "/WS-0756-" + sysFile, FirstRecordID: 61000, Events: sys, Note: "System log of WS-0756"},
		},
	}
}

// windowsVersion: a System log whose 6009 names Windows 10 22H2, where BITS
// is not in the netsvcs group: the repair procedure is the Windows 10
// variant (no snapshot names the version; the event log does).
func windowsVersion() Scenario {
	const id = "windows-version"
	h := NewHost("WS-0761.contoso.local")
	c := newClock(id, 2026, 3, 9)
	var sys []Event
	for d := 0; d < 2; d++ {
		t := c.at(d, 7, 56, 30)
		sys = append(sys, h.OSVersion(t.Add(-20*time.Second), "10.00.", 19045, ""))
		sys = append(sys, h.Boot(t, false)...)
		sys = append(sys, h.StartFailed(t.Add(119*time.Second), BITS, 1083))
	}
	sys = append(sys, h.NoiseBetween(c.at(0, 7, 0, 0), c.at(1, 19, 0, 0), 30)...)
	return Scenario{
		ID: id, Title: "The System log names the Windows version (event 6009)",
		Summary: "BITS fails to start at both boots with %%1083 (not in the netsvcs group). Event 6009 says Windows 10.0.19045, so the report shows the version in the evidence section and prints the Windows 10 repair procedure (image path with -p, no EventSystem dependency) instead of the article's Windows 7 commands. 6009 is context: it is not counted as an analysed record.",
		Files:   []File{{Name: id + "/" + sysFile, FirstRecordID: 52000, Events: sys, Note: "System log of WS-0761"}},
		Findings: []Finding{{KBID: "start-service-not-in-exe", Events: map[uint16]int{7000: 2}, Computers: 1, Status: "unresolved",
			Note: "%%1083; repair procedure for Windows 10 1703 and later"}},
	}
}
