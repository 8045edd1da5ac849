package scenario

import "time"

// Codes used by the event scenarios.
const (
	hrFail         = 0x80004005 // E_FAIL: no knowledge-base entry of its own
	hrOutOfMemory  = 0x8007000E
	hrFileNotFound = 0x80070002
	hrHTTP401      = 0x80190191
)

// eventScenarios cover the knowledge base's own entries for BITS and SCM
// events the article does not discuss: one scenario per entry.
func eventScenarios() []Scenario {
	var out []Scenario

	out = append(out, systemScenario("service-start-failed", "BITS fails to start with an error no entry explains (E_FAIL)",
		"At three boots BITS logs 16392 with E_FAIL (0x80004005), a code no knowledge-base entry explains, and the SCM reports that it terminated with the service-specific error %%2147500037 (7024).",
		"WS-0155.contoso.local", 36600, func(h *Host, c clock) []Event {
			return h.boots(c, 0, 3, 8, 2, 10, false, func(t time.Time) []Event {
				return []Event{h.BitsFailedToStart(t.Add(119*time.Second), hrFail), h.TerminatedSpecific(t.Add(120*time.Second), BITS, hrFail)}
			})
		}, Finding{KBID: "service-start-failed", Events: map[uint16]int{16392: 3, 7024: 3}, Computers: 1, Status: "unresolved",
			Note: "16392 with 0x80004005, 7024 with %%2147500037; no sign of BITS running afterwards"}))

	out = append(out, systemScenario("service-exception", "BITS detects an internal error (16404)",
		"On two days BITS logs an exception (16404) with E_OUTOFMEMORY (0x8007000E) while the machine is short of memory; BITS keeps running and starts normally at the next boot.",
		"WS-0156.contoso.local", 52140, func(h *Host, c clock) []Event {
			ev := h.Boot(c.at(0, 7, 58, 0), true)
			ev = append(ev, h.ServiceException(c.at(0, 15, 41, 7), "CJobManager::Serialize", 1422, hrOutOfMemory))
			ev = append(ev, h.Boot(c.at(1, 7, 57, 30), true)...)
			ev = append(ev, h.ServiceException(c.at(1, 16, 3, 55), "CJobManager::Serialize", 1422, hrOutOfMemory))
			ev = append(ev, h.Boot(c.at(2, 7, 59, 10), true)...)
			return ev
		}, Finding{KBID: "service-exception", Events: map[uint16]int{16404: 2}, Computers: 1, Status: "recovered",
			Note: "16404 names the function, line 1422 and hr 0x8007000E; BITS runs again after each"}))

	out = append(out, systemScenario("job-list-corrupt", "BITS discards a corrupt job list (16391)",
		"After a power loss BITS finds its job list unreadable at the next start (16391), clears it and runs with an empty list.",
		"WS-0157.contoso.local", 19310, func(h *Host, c clock) []Event {
			ev := h.Boot(c.at(0, 8, 1, 0), true)
			t := c.at(1, 9, 12, 40)
			ev = append(ev, h.Boot(t, true)...)
			return append(ev, h.JobListCorrupt(t.Add(119*time.Second)))
		}, Finding{KBID: "job-list-corrupt", Events: map[uint16]int{16391: 1}, Computers: 1}))

	out = append(out, kbJobScenario("transfer-inconsistent-data", "Servers behind a CDN name disagree about a file (62), transient",
		"During an Office update two pieces of the file do not match the rest (62): the name leads to CDN servers with different copies. BITS switches server each time and the job completes.",
		"WS-0667.contoso.local", 8815, func(h *Host, c clock) []Event {
			j := h.NewJob("Microsoft Office Click-to-Run update", sysUser, `C:\Program Files\Common Files\microsoft shared\ClickToRun\OfficeClickToRun.exe`, 5216,
				"http://officecdn.microsoft.com/pr/492350f6-3a01-4f97-b9c0-c7c6ddf67d60/Office/Data/16.0.19029.20136/i640.cab", 96_468_992)
			t := c.at(0, 11, 4, 2)
			x := h.R.GUID()
			return []Event{h.JobCreated(t, j), h.TransferStarted(t.Add(150*time.Millisecond), j, x, 0),
				h.InconsistentData(t.Add(41*time.Second), j), h.InconsistentData(t.Add(97*time.Second), j),
				h.TransferStopped(t.Add(3*time.Minute), j, x, 0, j.Size, ""), h.JobCompleted(t.Add(3*time.Minute+400*time.Millisecond), j)}
		}, Finding{KBID: "transfer-inconsistent-data", Events: map[uint16]int{62: 2}, Jobs: 1, Computers: 1, Status: "recovered",
			Note: "2 × 62 from officecdn.microsoft.com, then the job completes"}))

	out = append(out, notifyProgramFailed())

	out = append(out, kbJobScenario("credentials-rejected", "Intranet server rejects the job's credentials (204, 0x80190191)",
		"A reporting agent downloads a nightly export with stored credentials; after the service account's password changed, the server rejects them (204) and each attempt fails with HTTP 401 (0x80190191).",
		"SRV-APP03.contoso.local", 61877, func(h *Host, c clock) []Event {
			j := h.NewJob("Nightly sales export", `CONTOSO\svc_reports`, `C:\Program Files\Contoso\Reporting\reportagent.exe`, 4480,
				"https://reports.contoso.local/exports/sales-nightly.csv", 12_582_912)
			ev := []Event{h.JobCreated(c.at(0, 2, 0, 4), j)}
			for i := 0; i < 3; i++ {
				t := c.at(0, 2+i, 0, 5)
				x := h.R.GUID()
				ev = append(ev, h.TransferStarted(t, j, x, 0),
					h.CredentialsRejected(t.Add(900*time.Millisecond), j, "reports.contoso.local", "Negotiate", `CONTOSO\svc_reports`),
					h.TransferStopped(t.Add(1100*time.Millisecond), j, x, hrHTTP401, 0, ""))
			}
			return ev
		}, Finding{KBID: "credentials-rejected", Events: map[uint16]int{204: 3, 61: 3}, Jobs: 1, Computers: 1, Status: "unresolved",
			Note: "204 names reports.contoso.local, Negotiate and CONTOSO\\svc_reports; 61 with 0x80190191"}))

	out = append(out, systemScenario("job-temp-files-left", "Cancelled downloads leave BIT*.tmp files (16385, 16386)",
		"A user cancels two large downloads while security software still scans the partial files; BITS cannot delete its temporary files (16385, and 16386 with the list cut short).",
		"WS-0158.contoso.local", 27702, func(h *Host, c clock) []Event {
			a := h.NewJob("Contoso CAD 2026 installer", `CONTOSO\tberg`, `C:\Program Files\Contoso\Launcher\launcher.exe`, 7760,
				`\\fs01.contoso.local\deploy$\ContosoCAD\2026\setup.msi`, 1_073_741_824)
			b := h.NewJob("Contoso CAD 2026 sample data", `CONTOSO\tberg`, `C:\Program Files\Contoso\Launcher\launcher.exe`, 7760,
				`\\fs01.contoso.local\deploy$\ContosoCAD\2026\samples.zip`, 2_147_483_648)
			ev := h.Boot(c.at(0, 7, 55, 0), true)
			return append(ev,
				h.TempFilesLeft(c.at(0, 10, 31, 12), 16385, a, `C:\Users\tberg\Downloads\CAD\BIT4F2A.tmp`),
				h.TempFilesLeft(c.at(0, 10, 31, 14), 16386, b, `C:\Users\tberg\Downloads\CAD\BIT51C0.tmp, C:\Users\tberg\Downloads\CAD\data\BIT51C1.tmp, ...`))
		}, Finding{KBID: "job-temp-files-left", Events: map[uint16]int{16385: 1, 16386: 1}, Computers: 1,
			Note: `the events name BIT4F2A.tmp and BIT51C0.tmp in C:\Users\tberg\Downloads\CAD`}))

	out = append(out, systemScenario("policy-bandwidth-invalid", "A hand-made bandwidth policy is incomplete (16405)",
		"A script wrote the BITS work-schedule bandwidth policy into the registry without HighBandwidthType; BITS logs 16405 at each start.",
		"WS-0159.contoso.local", 44818, func(h *Host, c clock) []Event {
			return h.boots(c, 0, 2, 7, 52, 0, true, func(t time.Time) []Event {
				return []Event{h.BandwidthPolicyInvalid(t.Add(121*time.Second), `Software\Policies\Microsoft\Windows\BITS\Throttling\WorkSchedule`, "HighBandwidthType")}
			})
		}, Finding{KBID: "policy-bandwidth-invalid", Events: map[uint16]int{16405: 2}, Computers: 1,
			Note: `16405 names Throttling\WorkSchedule and HighBandwidthType`}))
	return out
}

// notifyProgramFailed is an Operational log (a job's notification program
// is missing: 64) and a System log (another job cannot call its application
// back: 16390) of one host.
func notifyProgramFailed() Scenario {
	const id = "notify-program-failed"
	h := NewHost("WS-0668.contoso.local")
	c := newClock(id, 2026, 2, 9)
	const pgm = `C:\Program Files\Contoso\Inventory\postprocess.exe`
	j := h.NewJob("Contoso Inventory upload", sysUser, `C:\Program Files\Contoso\Inventory\invagent.exe`, 3904,
		"https://inventory.contoso.local/api/drop/ws-0668.xml", 184_320)
	t := c.at(0, 6, 30, 0)
	x := h.R.GUID()
	op := []Event{h.JobCreated(t, j), h.NotifyCmdLineSet(t.Add(80*time.Millisecond), j, pgm, "/upload-done"),
		h.TransferStarted(t.Add(200*time.Millisecond), j, x, 0), h.TransferStopped(t.Add(1500*time.Millisecond), j, x, 0, j.Size, "")}
	for i := 0; i < 3; i++ {
		op = append(op, h.NotifyProgramFailed(t.Add(time.Duration(2+i*10)*time.Second+time.Duration(i)*10*time.Minute), 64, j, pgm, hrFileNotFound))
	}
	op = append(op, h.CompletedJob(c.at(0, 9, 10, 0), edgeJob(h), "")...)

	k := h.NewJob("Contoso Sync profile", `CONTOSO\lwagner`, `C:\Users\lwagner\AppData\Local\ContosoSync\csync.exe`, 9316,
		"https://sync.contoso.com/profile/lwagner/settings.json", 48_128)
	sys := h.Boot(c.at(0, 7, 55, 0), true)
	sys = append(sys, h.NotifyAppFailed(c.at(0, 11, 2, 30), k, 5), h.NotifyAppFailed(c.at(0, 11, 7, 31), k, 5))
	sys = append(sys, h.NoiseBetween(c.at(0, 7, 0, 0), c.at(0, 18, 0, 0), 20)...)
	return Scenario{
		ID: id, Title: "A job's notification program is missing (64); another job cannot notify its application (16390)",
		Summary: "An inventory agent's job runs " + pgm + " when it finishes, but the program was removed: BITS fails to launch it three times (64, 0x80070002). In the System log a user's sync job cannot call its application back (16390 ×2).",
		Files: []File{
			{Name: id + "/" + opFile, FirstRecordID: 3371, Events: op, Note: "Bits-Client Operational log of WS-0668"},
			{Name: id + "/" + sysFile, FirstRecordID: 90817, Events: sys, Note: "System log of WS-0668"},
		},
		Findings: []Finding{{KBID: id, Events: map[uint16]int{64: 3, 16390: 2}, Jobs: 2, Computers: 1, Status: "unresolved",
			Note: "64 names " + pgm + " with 0x80070002; 16390 names Contoso Sync profile"}},
	}
}
