package scenario

import "time"

// More error codes, for the knowledge base's extra entries (bits-facts).
const (
	hrConnectionError     = 0x80072EFE
	hrCannotConnect       = 0x80072EFD
	hrNetworkDisconnected = 0x80200010
	hrNoDefaultGateway    = 0x800703EB
	hrHTTP404             = 0x80190194
	hrHTTP407             = 0x80190197
	hrAccessDenied        = 0x80070005
)

// repeat returns n copies of code.
func repeat(code uint32, n int) []uint32 {
	out := make([]uint32, n)
	for i := range out {
		out[i] = code
	}
	return out
}

// extraScenarios cover the knowledge base's entries beyond the article: one
// per common failure code, and BITS starting slowly (302).
func extraScenarios() []Scenario {
	var out []Scenario

	out = append(out, kbJobScenario("job-connection-error", "Connection reset during the download (0x80072EFE), transient",
		"A large Office update through a proxy that cuts long connections: the transfer is reset three times with 0x80072EFE, BITS resumes each time, and the job completes.",
		"WS-0660.contoso.local", 30218, func(h *Host, c clock) []Event {
			j := h.NewJob("Microsoft Office Click-to-Run update", sysUser, `C:\Program Files\Common Files\microsoft shared\ClickToRun\OfficeClickToRun.exe`, 5216,
				"http://officecdn.microsoft.com/pr/492350f6-3a01-4f97-b9c0-c7c6ddf67d60/Office/Data/16.0.19029.20136/stream.x64.x-none.dat", 2_210_201_600)
			return h.RetryingJob(c.at(0, 13, 2, 40), j, "proxy01.contoso.local:8080", repeat(hrConnectionError, 3), 3*time.Minute, true)
		}, Finding{KBID: "job-connection-error", Events: map[uint16]int{61: 3}, Jobs: 1, Computers: 1, Status: "recovered",
			Note: "0x80072EFE via proxy01.contoso.local:8080, then the job completes"}))

	out = append(out, kbJobScenario("job-timeout", "Requests time out (0x80072EE2), transient",
		"Defender definition downloads time out twice with 0x80072EE2 during a busy hour, then complete.",
		"WS-0661.contoso.local", 11873, func(h *Host, c clock) []Event {
			j := h.NewJob("Microsoft Defender definition update", sysUser, `C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.26010.5-0\MpCmdRun.exe`, 8812,
				"http://definitionupdates.microsoft.com/download/DefinitionUpdates/versionedsignatures/am/1.443.112.0/x64/mpam-fe.exe", 173_015_040)
			return h.RetryingJob(c.at(1, 10, 40, 9), j, "", repeat(hrTimeout, 2), 10*time.Minute, true)
		}, Finding{KBID: "job-timeout", Events: map[uint16]int{61: 2}, Jobs: 1, Computers: 1, Status: "recovered",
			Note: "0x80072EE2 from definitionupdates.microsoft.com, then the job completes"}))

	out = append(out, kbJobScenario("job-cannot-connect", "Cannot connect to the WSUS server (0x80072EFD)",
		"The WSUS server's port 8530 refuses connections: every Windows Update download fails with 0x80072EFD for an afternoon.",
		"WS-0662.contoso.local", 5541, func(h *Host, c clock) []Event {
			j := wuJob(h, "3D/8A2C4E6F0B1D3F5A7C9E1B3D5F7A9C1E3B5D7F9A.cab", 9_437_184)
			return h.RetryingJob(c.at(2, 14, 0, 31), j, "", repeat(hrCannotConnect, 4), 15*time.Minute, false)
		}, Finding{KBID: "job-cannot-connect", Events: map[uint16]int{61: 4}, Jobs: 1, Computers: 1, Status: "unresolved",
			Note: "0x80072EFD from wsus01.contoso.local"}))

	out = append(out, kbJobScenario("job-network-disconnected", "No network connection (0x80200010), transient",
		"A laptop's OneDrive update fails twice with 0x80200010 while it is off the network, then completes once it reconnects.",
		"NB-0815.contoso.local", 2290, func(h *Host, c clock) []Event {
			j := h.NewJob("OneDrive Standalone Update", `CONTOSO\lwagner`, `C:\Users\lwagner\AppData\Local\Microsoft\OneDrive\OneDriveStandaloneUpdater.exe`, 9120,
				"https://oneclient.sfx.ms/Win/Installers/26.021.0202.0001/amd64/OneDriveSetup.exe", 81_788_928)
			return h.RetryingJob(c.at(0, 7, 31, 50), j, "", repeat(hrNetworkDisconnected, 2), 20*time.Minute, true)
		}, Finding{KBID: "job-network-disconnected", Events: map[uint16]int{61: 2}, Jobs: 1, Computers: 1, Status: "recovered",
			Note: "0x80200010, then the job completes"}))

	out = append(out, kbJobScenario("job-no-default-gateway", "No default gateway (0x800703EB)",
		"A server with a static address and no default gateway: every Windows Update download fails with 0x800703EB.",
		"SRV-FS03.contoso.local", 64410, func(h *Host, c clock) []Event {
			j := wuJob(h, "9A/4C6E8A0C2E4A6C8E0A2C4E6A8C0E2A4C6E8A0C2E.cab", 18_874_368)
			return h.RetryingJob(c.at(1, 3, 15, 2), j, "", repeat(hrNoDefaultGateway, 3), time.Hour, false)
		}, Finding{KBID: "job-no-default-gateway", Events: map[uint16]int{61: 3}, Jobs: 1, Computers: 1, Status: "unresolved",
			Note: "0x800703EB"}))

	out = append(out, kbJobScenario("job-http-404", "Content missing on the WSUS server (0x80190194, 211)",
		"Two attempts to download an update from WSUS get 404 (0x80190194); BITS puts the job into the error state (211).",
		"WS-0663.contoso.local", 7790, func(h *Host, c clock) []Event {
			j := wuJob(h, "E5/1B3D5F7A9C1E3B5D7F9A1C3E5B7D9F1A3C5E7B9D.cab", 44_040_192)
			ev := h.RetryingJob(c.at(3, 9, 45, 12), j, "", repeat(hrHTTP404, 2), 5*time.Minute, false)
			last := ev[len(ev)-1].Time
			return append(ev, h.JobError(last.Add(200*time.Millisecond), j, hrHTTP404))
		}, Finding{KBID: "job-http-404", Events: map[uint16]int{61: 2, 211: 1}, Jobs: 1, Computers: 1, Status: "unresolved",
			Note: "2 failed transfers with 0x80190194 from wsus01.contoso.local; 211 reports the job's error"}))

	out = append(out, kbJobScenario("job-http-407", "Proxy demands authentication (0x80190197)",
		"A new proxy requires authentication: Windows Update, running as LocalSystem, gets 407 (0x80190197) on every attempt.",
		"WS-0664.contoso.local", 20455, func(h *Host, c clock) []Event {
			j := h.NewJob("WU Client Download", sysUser, svcHost, h.BitsPID+8,
				"http://download.windowsupdate.com/c/msdownload/update/software/secu/2026/02/windows11.0-kb5051987-x64_7a1c.msu", 734_003_200)
			return h.RetryingJob(c.at(1, 12, 5, 44), j, "authproxy.contoso.local:8080", repeat(hrHTTP407, 3), 20*time.Minute, false)
		}, Finding{KBID: "job-http-407", Events: map[uint16]int{61: 3}, Jobs: 1, Computers: 1, Status: "unresolved",
			Note: "0x80190197 via authproxy.contoso.local:8080"}))

	out = append(out, kbJobScenario("job-access-denied", "Access denied to the destination or source (0x80070005)",
		"A user's job copies an installer from a file share; the share denies the user read access (0x80070005) twice.",
		"WS-0665.contoso.local", 3012, func(h *Host, c clock) []Event {
			j := h.NewJob("Contoso CAD 2026 installer", `CONTOSO\tberg`, `C:\Program Files\Contoso\Launcher\launcher.exe`, 7760,
				`\\fs01.contoso.local\deploy$\ContosoCAD\2026\setup.msi`, 1_073_741_824)
			return h.RetryingJob(c.at(0, 15, 20, 0), j, "", repeat(hrAccessDenied, 2), 30*time.Minute, false)
		}, Finding{KBID: "job-access-denied", Events: map[uint16]int{61: 2}, Jobs: 1, Computers: 1, Status: "unresolved",
			Note: `0x80070005 reading \\fs01.contoso.local\deploy$`}))

	out = append(out, kbJobScenario("service-slow-start", "BITS starts slowly (302)",
		"At two boots BITS logs that it started, but slowly (302); jobs still complete. A warning, not a failure.",
		"WS-0666.contoso.local", 48100, func(h *Host, c clock) []Event {
			var ev []Event
			for d := 0; d < 2; d++ {
				ev = append(ev, h.ServiceStartupSlow(c.at(d, 8, 1, 12)), h.JobListLoaded(c.at(d, 8, 1, 13)))
				ev = append(ev, h.CompletedJob(c.at(d, 9, 30, 5), edgeJob(h), "")...)
			}
			return ev
		}, Finding{KBID: "service-slow-start", Events: map[uint16]int{302: 2}, Computers: 1}))
	return out
}
