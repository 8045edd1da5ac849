package scenario

import (
	"time"
)

// Error codes used by the scenarios.
const (
	hrInvalidArg        = 0x80070057
	hrNameNotResolved   = 0x80072EE7
	hrTimeout           = 0x80072EE2
	hrInvalidServerResp = 0x80072F78
	hrInsufficientRange = 0x80200013
	hrInsufficientHTTP  = 0x80200012
	hrMissingFileSize   = 0x80200011
	hrHTTP403           = 0x80190193
	hrNotLoggedOn       = 0x800704DD
	hrPathNotFound      = 0x80070003
)

// Common names.
const (
	opFile   = "Bits-Client-Operational.evtx"
	sysFile  = "System.evtx"
	svcHost  = `C:\Windows\System32\svchost.exe`
	sysUser  = `NT AUTHORITY\SYSTEM`
	adminSID = "S-1-5-21-1721254763-462695806-1538882281-1107"
	wsusURL  = "http://wsus01.contoso.local:8530/Content/"
)

func wuJob(h *Host, file string, size uint64) Job {
	return h.NewJob("WU Client Download", sysUser, svcHost, h.BitsPID+8, wsusURL+file, size)
}

func edgeJob(h *Host) Job {
	return h.NewJob("Microsoft Edge Update", sysUser, `C:\Program Files (x86)\Microsoft\EdgeUpdate\MicrosoftEdgeUpdate.exe`, 7312,
		"http://msedge.b.tlu.dl.delivery.mp.microsoft.com/filestreamingservice/files/6a3c9f3e-51d2-4c4e-9c1a-1f2d6a9b0c11?P1=1773650000&P2=404&P3=2&P4=Zm9vYmFy", 178_421_760)
}

// kbJobScenario is an Operational log on one host where one job fails with hr.
func kbJobScenario(id, title, summary, computer string, first uint64, build func(h *Host, c clock) []Event, f Finding) Scenario {
	h := NewHost(computer)
	c := newClock(id, 2026, 2, 9)
	ev := build(h, c)
	// The log goes on after the story: an unrelated job completes two hours
	// after the last event, as in a real log, so BITS had time to retry and
	// a failure that is the last word is "unresolved", not "no retry seen".
	var last time.Time
	for _, e := range ev {
		if e.Time.After(last) {
			last = e.Time
		}
	}
	font := h.NewJob("Font Download", `NT AUTHORITY\LOCAL SERVICE`, svcHost, h.BitsPID+20, "http://fs.microsoft.com/fs/4.1/fonts/segoeui.ttf", 348_512)
	ev = append(ev, h.CompletedJob(last.Add(2*time.Hour), font, "")...)
	return Scenario{
		ID: id, Title: title, Summary: summary,
		Files:    []File{{Name: id + "/" + opFile, FirstRecordID: first, Events: ev, Note: "Bits-Client Operational log of " + computer}},
		Findings: []Finding{f},
	}
}

// systemScenario is a System log on one host.
func systemScenario(id, title, summary, computer string, first uint64, build func(h *Host, c clock) []Event, f Finding) Scenario {
	h := NewHost(computer)
	c := newClock(id, 2026, 2, 16)
	ev := build(h, c)
	ev = append(ev, h.NoiseBetween(c.at(0, 7, 0, 0), c.at(2, 18, 0, 0), 40)...)
	return Scenario{
		ID: id, Title: title, Summary: summary,
		Files:    []File{{Name: id + "/" + sysFile, FirstRecordID: first, Events: ev, Note: "System log of " + computer}},
		Findings: []Finding{f},
	}
}

func kbScenarios() []Scenario {
	var out []Scenario

	out = append(out, kbJobScenario("job-invalid-arg", "E_INVALIDARG: invalid proxy name in the owner's proxy settings",
		"A user's updater job fails six times with 0x80070057; the proxy field shows a malformed proxy name. The owner finally cancels it.",
		"WS-0311.contoso.local", 4102, func(h *Host, c clock) []Event {
			j := h.NewJob("Contoso Agent 4.8.2", `CONTOSO\mlopez`, `C:\Program Files\Contoso\Agent\ContosoUpdater.exe`, 9844,
				"https://updates.contoso.com/agent/4.8.2/ContosoAgent-x64.msi", 48_332_800)
			ev := h.RetryingJob(c.at(0, 9, 12, 7), j, "proxy..contoso.local:8080", []uint32{hrInvalidArg, hrInvalidArg, hrInvalidArg, hrInvalidArg, hrInvalidArg, hrInvalidArg}, 30*time.Minute, false)
			ev = append(ev, h.JobCancelled(c.at(0, 12, 41, 30), j, `CONTOSO\mlopez`))
			ev = append(ev, h.CompletedJob(c.at(0, 10, 3, 44), wuJob(h, "A4/7C1D0E2F3A4B5C6D7E8F90A1B2C3D4E5F6A7B8C9.cab", 1_245_184), "")...)
			return ev
		}, Finding{KBID: "job-invalid-arg", Events: map[uint16]int{61: 6}, Jobs: 1, Computers: 1, Status: "unresolved", Note: "0x80070057 with the malformed proxy proxy..contoso.local:8080; the owner cancels the job"}))

	out = append(out, kbJobScenario("job-proxy-name-not-resolved", "Proxy name cannot be resolved (0x80072EE7)",
		"The Edge updater's job retries every 10 minutes for two hours; every attempt fails with 0x80072EE7 through proxy.contoso-old.local:8080.",
		"WS-0425.contoso.local", 22817, func(h *Host, c clock) []Event {
			j := edgeJob(h)
			fails := make([]uint32, 12)
			for i := range fails {
				fails[i] = hrNameNotResolved
			}
			return h.RetryingJob(c.at(1, 8, 2, 51), j, "proxy.contoso-old.local:8080", fails, 10*time.Minute, false)
		}, Finding{KBID: "job-proxy-name-not-resolved", Events: map[uint16]int{61: 12}, Jobs: 1, Computers: 1, Status: "unresolved", Note: "0x80072EE7 via proxy.contoso-old.local:8080"}))

	out = append(out, kbJobScenario("job-invalid-server-response", "Invalid server response (0x80072F78), transient",
		"A Windows Update job fails twice with 0x80072F78 and then downloads and completes: a transient error.",
		"WS-0118.contoso.local", 15530, func(h *Host, c clock) []Event {
			j := wuJob(h, "1F/0B9E6C2D4F8A7E3B5C1D9A0E2F4B6C8D0A1E3F5B.cab", 31_457_280)
			return h.RetryingJob(c.at(2, 14, 30, 12), j, "", []uint32{hrInvalidServerResp, hrInvalidServerResp}, 10*time.Minute, true)
		}, Finding{KBID: "job-invalid-server-response", Events: map[uint16]int{61: 2}, Jobs: 1, Computers: 1, Status: "recovered", Note: "0x80072F78, then the job completes"}))

	out = append(out, kbJobScenario("job-insufficient-range-support", "Proxy ignores Range requests (0x80200013, event 202)",
		"Three Windows Update jobs in a row fail through proxy02.contoso.local:8080: event 202 reports the proxy answered a range request with the whole file, 61 carries 0x80200013; Windows Update cancels each job and tries again later.",
		"WS-0230.contoso.local", 7311, func(h *Host, c clock) []Event {
			var ev []Event
			for i, hh := range []int{9, 13, 17} {
				j := wuJob(h, "C2/5D1E7F3A9B0C2D4E6F8A1B3C5D7E9F0A2B4C6D8E.cab", 58_720_256)
				t := c.at(0, hh, 4+i, 10)
				x := h.R.GUID()
				ev = append(ev, h.JobCreated(t, j), h.TransferStarted(t.Add(200*time.Millisecond), j, x, 0),
					h.HTTPFeatureMissing(t.Add(3*time.Second), j, x, "proxy02.contoso.local:8080", hrInsufficientRange, j.Size, "HTTP/1.1", "bytes=0-1048575"),
					h.TransferStopped(t.Add(3100*time.Millisecond), j, x, hrInsufficientRange, 0, "proxy02.contoso.local:8080"),
					h.JobCancelled(t.Add(40*time.Second), j, sysUser))
			}
			return ev
		}, Finding{KBID: "job-insufficient-range-support", Events: map[uint16]int{61: 3, 202: 3}, Jobs: 3, Computers: 1, Status: "unresolved", Note: "3 failed transfers with 0x80200013 via proxy02.contoso.local:8080 (each logs 202, then 61)"}))

	out = append(out, kbJobScenario("job-missing-file-size", "HEAD response without Content-Length (0x80200011)",
		"Two downloads of a package through an old Apache proxy fail with 0x80200011; the file size stays unknown (fileLength 18446744073709551615).",
		"WS-0377.contoso.local", 1988, func(h *Host, c clock) []Event {
			var ev []Event
			for i := 0; i < 2; i++ {
				j := h.NewJob("CCMDTS Job", sysUser, `C:\Windows\CCM\CcmExec.exe`, 4420,
					"http://sccm01.contoso.local/SMS_DP_SMSPKG$/CON00123/sccm?/ContosoVPN-7.2.msi", UnknownSize)
				ev = append(ev, h.RetryingJob(c.at(0, 10+3*i, 21, 5), j, "apacheproxy.contoso.local:3128", []uint32{hrMissingFileSize}, 0, false)...)
			}
			return ev
		}, Finding{KBID: "job-missing-file-size", Events: map[uint16]int{61: 2}, Jobs: 2, Computers: 1, Status: "unresolved", Note: "0x80200011 via apacheproxy.contoso.local:3128"}))

	out = append(out, kbJobScenario("job-http-403", "Server answers 403 Forbidden (0x80190193)",
		"A deployment service account's job is refused with HTTP 403 on three attempts an hour apart.",
		"SRV-APP02.contoso.local", 51204, func(h *Host, c clock) []Event {
			j := h.NewJob("ClientTools 2.3 package", `CONTOSO\svc_deploy`, `C:\Program Files\Contoso\Deploy\deployagent.exe`, 3312,
				"https://files.contoso.com/packages/ClientTools-2.3.msi", 22_020_096)
			return h.RetryingJob(c.at(3, 6, 0, 2), j, "", []uint32{hrHTTP403, hrHTTP403, hrHTTP403}, time.Hour, false)
		}, Finding{KBID: "job-http-403", Events: map[uint16]int{61: 3}, Jobs: 1, Computers: 1, Status: "unresolved", Note: "0x80190193 from files.contoso.com"}))

	out = append(out, kbJobScenario("job-not-logged-on", "Owner not logged on / SENS (0x800704DD)",
		"A user's OneDrive updater job fails with 0x800704DD four times while the owner is logged on: SENS is not delivering logon notifications.",
		"WS-0502.contoso.local", 803, func(h *Host, c clock) []Event {
			j := h.NewJob("OneDrive Standalone Update", `CONTOSO\akim`, `C:\Users\akim\AppData\Local\Microsoft\OneDrive\OneDriveStandaloneUpdater.exe`, 11208,
				"https://oneclient.sfx.ms/Win/Installers/26.021.0202.0001/amd64/OneDriveSetup.exe", 81_788_928)
			return h.RetryingJob(c.at(1, 11, 45, 30), j, "", []uint32{hrNotLoggedOn, hrNotLoggedOn, hrNotLoggedOn, hrNotLoggedOn}, 10*time.Minute, false)
		}, Finding{KBID: "job-not-logged-on", Events: map[uint16]int{61: 4}, Jobs: 1, Computers: 1, Status: "unresolved", Note: "0x800704DD"}))

	out = append(out, kbJobScenario("proxy-range-requests", "HTTP/1.0 proxy without range support (202 with 0x80200012; 206, 210)",
		"Downloads through an HTTP/1.0 proxy: event 202 names the proxy and HTTP version, BITS warns it cannot throttle (206 no HEAD, 210 no Content-Range), and the transfer fails with 0x80200012.",
		"WS-0611.contoso.local", 3370, func(h *Host, c clock) []Event {
			j := h.NewJob("Contoso Maps offline data", `CONTOSO\pnguyen`, `C:\Program Files\Contoso\Maps\mapsync.exe`, 6720,
				"http://data.contoso-maps.example/offline/eu-central-2026-02.pak", 734_003_200)
			t := c.at(0, 8, 30, 0)
			x := h.R.GUID()
			proxy := "legacyproxy.contoso.local:80"
			return []Event{h.JobCreated(t, j), h.TransferStarted(t.Add(100*time.Millisecond), j, x, 0),
				h.NoThrottling(t.Add(900*time.Millisecond), 206, j), h.NoThrottling(t.Add(1400*time.Millisecond), 210, j),
				h.HTTPFeatureMissing(t.Add(2*time.Second), j, x, proxy, hrInsufficientHTTP, j.Size, "HTTP/1.0", "bytes=0-"),
				h.TransferStopped(t.Add(2100*time.Millisecond), j, x, hrInsufficientHTTP, 0, proxy)}
		}, Finding{KBID: "proxy-range-requests", Events: map[uint16]int{61: 1, 202: 1, 206: 1, 210: 1}, Jobs: 1, Computers: 1, Status: "unresolved", Note: "1 failed transfer with 0x80200012; 202 names HTTP/1.0 via legacyproxy.contoso.local:80; 206 and 210 are warnings"}))

	// Service start failures (System log).
	out = append(out, systemScenario("start-service-does-not-exist", "BITS fails to start: ERROR_SERVICE_DOES_NOT_EXIST",
		"At three boots the SCM cannot start BITS: 7000 with %%1060 (the service's registration is gone). A service that does not exist cannot log 16392 or 'terminated' (7023) itself.",
		"WS-0144.contoso.local", 90211, func(h *Host, c clock) []Event {
			return h.boots(c, 0, 3, 7, 58, 40, false, func(t time.Time) []Event {
				return []Event{h.StartFailed(t.Add(120*time.Second), BITS, 1060)}
			})
		}, Finding{KBID: "start-service-does-not-exist", Events: map[uint16]int{7000: 3}, Computers: 1, Status: "unresolved", Note: "7000 with %%1060"}))

	out = append(out, systemScenario("start-service-not-in-exe", "BITS fails to start: not in the netsvcs svchost group",
		"SCM 7000 with %%1083 at every boot: svchost's netsvcs group does not list BITS.",
		"WS-0145.contoso.local", 44170, func(h *Host, c clock) []Event {
			return h.boots(c, 0, 3, 8, 1, 12, false, func(t time.Time) []Event {
				return []Event{h.StartFailed(t.Add(119*time.Second), BITS, 1083)}
			})
		}, Finding{KBID: "start-service-not-in-exe", Events: map[uint16]int{7000: 3}, Computers: 1, Status: "unresolved", Note: "%%1083"}))

	out = append(out, systemScenario("start-service-disabled", "BITS disabled (7040 to disabled, then %%1058)",
		"An administrator changes BITS from demand start to disabled (7040 by a user SID); afterwards starts fail with %%1058.",
		"WS-0146.contoso.local", 61022, func(h *Host, c clock) []Event {
			ev := h.Boot(c.at(0, 7, 55, 0), true)
			ev = append(ev, h.StartTypeChanged(c.at(0, 9, 12, 5), BITS, "auto start", "demand start", systemSID),
				h.ServiceState(c.at(0, 9, 12, 6), BITS, "stopped", 1),
				h.StartTypeChanged(c.at(0, 16, 40, 31), BITS, "demand start", "disabled", adminSID))
			ev = append(ev, h.boots(c, 1, 3, 7, 50, 9, false, func(t time.Time) []Event {
				return []Event{h.StartFailed(t.Add(2*time.Hour), BITS, 1058)}
			})...)
			return ev
		}, Finding{KBID: "start-service-disabled", Events: map[uint16]int{7040: 1, 7000: 2}, Computers: 1, Status: "unresolved", Note: "7040 demand start -> disabled by S-1-5-21-…-1107, then 7000 with %%1058"}))

	out = append(out, systemScenario("start-dependency", "A BITS dependency cannot start (%%1068, 7003)",
		"BITS cannot start because a service it depends on fails (7001 with %%1068) or is missing (7003 names EventSystem).",
		"WS-0147.contoso.local", 5120, func(h *Host, c clock) []Event {
			ev := h.boots(c, 0, 2, 8, 0, 3, false, func(t time.Time) []Event {
				return []Event{h.DependencyFailed(t.Add(118*time.Second), BITS, "COM+ Event System", 1068)}
			})
			t := c.at(2, 8, 2, 44)
			ev = append(ev, h.Boot(t, false)...)
			ev = append(ev, h.DependencyMissing(t.Add(118*time.Second), BITS, "EventSystem"))
			return ev
		}, Finding{KBID: "start-dependency", Events: map[uint16]int{7001: 2, 7003: 1}, Computers: 1, Status: "unresolved", Note: "7001 with %%1068 (COM+ Event System), 7003 names EventSystem"}))

	out = append(out, systemScenario("start-path-not-found", "BITS fails to start: ERROR_PATH_NOT_FOUND",
		"BITS logs 16392 with 0x80070003 and the SCM reports it terminated with %%3.",
		"WS-0148.contoso.local", 70033, func(h *Host, c clock) []Event {
			return h.boots(c, 0, 2, 8, 10, 0, false, func(t time.Time) []Event {
				return []Event{h.BitsFailedToStart(t.Add(119*time.Second), hrPathNotFound), h.Terminated(t.Add(120*time.Second), BITS, 3)}
			})
		}, Finding{KBID: "start-path-not-found", Events: map[uint16]int{16392: 2, 7023: 2}, Computers: 1, Status: "unresolved", Note: "16392 with 0x80070003, 7023 with %%3"}))

	out = append(out, systemScenario("start-file-not-found", "BITS fails to start: Parameters\\ServiceDll missing (%%2)",
		"SCM 7000 with %%2 at three boots: the service DLL cannot be found.",
		"WS-0149.contoso.local", 8807, func(h *Host, c clock) []Event {
			return h.boots(c, 0, 3, 7, 45, 20, false, func(t time.Time) []Event {
				return []Event{h.StartFailed(t.Add(118*time.Second), BITS, 2)}
			})
		}, Finding{KBID: "start-file-not-found", Events: map[uint16]int{7000: 3}, Computers: 1, Status: "unresolved", Note: "%%2"}))

	out = append(out, systemScenario("service-not-localsystem", "BITS configured to run as another account",
		"BITS logs 17005 naming CONTOSO\\svc_bits at each start; the SCM cannot log the service on as that account (7038, %%1326).",
		"WS-0150.contoso.local", 33001, func(h *Host, c clock) []Event {
			ev := h.boots(c, 0, 2, 8, 3, 0, true, func(t time.Time) []Event {
				return []Event{h.NotLocalSystem(t.Add(121*time.Second), `CONTOSO\svc_bits`)}
			})
			ev = append(ev, h.LogonFailed(c.at(2, 8, 4, 1), BITS, `CONTOSO\svc_bits`, 1326))
			return ev
		}, Finding{KBID: "service-not-localsystem", Events: map[uint16]int{17005: 2, 7038: 1}, Computers: 1, Status: "unresolved", Note: "17005 names CONTOSO\\svc_bits, 7038 with %%1326"}))

	out = append(out, systemScenario("job-limit-mismatch", "Per-user job limit above the per-computer limit (16397)",
		"Group Policy sets MaxJobsPerUser 500 and MaxJobsPerMachine 300; BITS logs 16397 at each start.",
		"WS-0151.contoso.local", 12000, func(h *Host, c clock) []Event {
			return h.boots(c, 0, 3, 8, 0, 0, true, func(t time.Time) []Event {
				return []Event{h.JobLimitMismatch(t.Add(119*time.Second), 500, 300)}
			})
		}, Finding{KBID: "job-limit-mismatch", Events: map[uint16]int{16397: 3}, Computers: 1, Note: "per-user 500 > per-computer 300"}))

	out = append(out, jobLimitReached())

	out = append(out, systemScenario("service-crashed", "BITS terminates unexpectedly (7031, 7034)",
		"BITS crashes twice (7031, restarted after 60 s and 120 s) and a third time within a day (7034, no further action).",
		"WS-0152.contoso.local", 28410, func(h *Host, c clock) []Event {
			ev := h.Boot(c.at(0, 7, 59, 0), true)
			ev = append(ev,
				h.Crashed(c.at(0, 10, 14, 22), BITS, 1, 60000, "Restart the service"),
				h.ServiceState(c.at(0, 10, 15, 22), BITS, "running", 4),
				h.Crashed(c.at(0, 13, 2, 51), BITS, 2, 120000, "Restart the service"),
				h.ServiceState(c.at(0, 13, 4, 51), BITS, "running", 4),
				h.CrashedNoAction(c.at(0, 15, 37, 9), BITS, 3))
			return ev
		}, Finding{KBID: "service-crashed", Events: map[uint16]int{7031: 2, 7034: 1}, Computers: 1, Status: "unresolved", Note: "all on one day; no sign of BITS running after the last crash"}))

	out = append(out, systemScenario("service-hang", "BITS hangs (7009, 7011, 7022)",
		"The SCM times out waiting for BITS: a transaction response (7011), the service connecting (7009), and it hangs starting (7022).",
		"WS-0153.contoso.local", 40404, func(h *Host, c clock) []Event {
			ev := h.Boot(c.at(0, 8, 0, 0), true)
			ev = append(ev, h.TransactionTimeout(c.at(0, 11, 20, 5), BITS, 30000))
			t := c.at(1, 7, 58, 0)
			ev = append(ev, h.Boot(t, false)...)
			ev = append(ev, h.ConnectTimeout(t.Add(150*time.Second), BITS, 30000), h.StartHung(c.at(2, 8, 5, 0), BITS))
			return ev
		}, Finding{KBID: "service-hang", Events: map[uint16]int{7009: 1, 7011: 1, 7022: 1}, Computers: 1, Status: "unresolved"}))
	return out
}

// jobLimitReached is a pair: System (16398) and Operational (the user's
// leaked jobs that fill the quota).
func jobLimitReached() Scenario {
	const id = "job-limit-reached"
	h := NewHost("WS-0154.contoso.local")
	c := newClock(id, 2026, 2, 23)
	var op []Event
	for i := 0; i < 60; i++ {
		j := h.NewJob("SyncTool upload batch", `CONTOSO\jdoe`, `C:\Users\jdoe\AppData\Local\SyncTool\synctool.exe`, 14220,
			"https://sync.contoso.com/api/blobs/batch", 2_097_152)
		op = append(op, h.JobCreated(c.at(0, 9, i, 3), j))
	}
	var sys []Event
	sys = append(sys, h.Boot(c.at(0, 8, 0, 0), true)...)
	for i := 0; i < 5; i++ {
		sys = append(sys, h.UserJobLimitReached(c.at(1, 9, 10*i, 17), `CONTOSO\jdoe`, 60, 60))
	}
	sys = append(sys, h.NoiseBetween(c.at(0, 7, 0, 0), c.at(1, 18, 0, 0), 30)...)
	return Scenario{
		ID: id, Title: "Per-user job limit reached (16398, BG_E_TOO_MANY_JOBS_PER_USER)",
		Summary: "An application leaks jobs: CONTOSO\\jdoe creates 60 jobs that never finish (Operational log), after which BITS refuses new jobs for that user (16398 ×5 in the System log; the application receives 0x80200049).",
		Files: []File{
			{Name: id + "/" + opFile, FirstRecordID: 100, Events: op, Note: "Bits-Client Operational log of WS-0154: 60 jobs created, none completed"},
			{Name: id + "/" + sysFile, FirstRecordID: 77310, Events: sys, Note: "System log of WS-0154"},
		},
		Findings: []Finding{{KBID: "job-limit-reached", Events: map[uint16]int{16398: 5}, Computers: 1, Note: "16398 names CONTOSO\\jdoe, 60 of 60 jobs; no 0x80200049 in the logs, because BITS returns it to the application and logs no job that was never created"}},
	}
}
