package render

import (
	"fmt"
	"strings"
	"time"

	"bitsdiag/analyze"
)

// Hand-built results: a rich case, a healthy one, and one full of hostile
// strings. They exercise every section of the report without the analysis.

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func u64(n uint64) *uint64 { return &n }

func richResult() *analyze.Result {
	since := at("2024-04-29T00:00:00Z")
	r := &analyze.Result{
		Tool:      analyze.Tool{Name: "bitsdiag", Version: "0.1.0-test"},
		Title:     "Contoso ticket 4711: Windows Update downloads stall",
		Generated: at("2024-05-03T09:00:00Z"),
		Window:    analyze.Window{Start: at("2024-04-30T06:12:09Z"), End: at("2024-05-02T17:40:00Z"), Since: &since},
		Computers: []string{"WS-0042.contoso.local", "WS-0043.contoso.local"},
		Verdict: "BITS transfers to dl.contoso-cdn.example fail because the proxy does not support HTTP range " +
			"requests; 37 failures on 2 machines since 2024-04-30 06:12 UTC. Timeouts to wu.example.com recovered.",
		Inputs: []analyze.Input{
			{
				Path: "/cases/4711/WS-0042/Microsoft-Windows-Bits-Client%4Operational.evtx", Size: 1052672,
				SHA256:  "3f7a9c0e5b1d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a",
				Records: 1204, RecordsAnalysed: 1204,
				FirstTime: at("2024-04-30T06:12:09Z"), LastTime: at("2024-05-02T17:40:00Z"),
				Channels:  []string{"Microsoft-Windows-Bits-Client/Operational"},
				Computers: []string{"WS-0042.contoso.local"},
			},
			{
				Path: `C:\Export\WS-0043\System.evtx`, Size: 20975616,
				SHA256:  "9b1c3e5a7d9f1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d",
				Records: 30211, RecordsAnalysed: 290, RecordsFiltered: 29918, RecordsUndecoded: 3,
				FirstTime: at("2024-04-01T00:00:03Z"), LastTime: at("2024-05-02T16:00:00Z"),
				LogFirst: at("2024-03-02T11:00:00Z"), LogLast: at("2024-05-02T16:00:00Z"),
				Channels:  []string{"System"},
				Computers: []string{"WS-0043.contoso.local"},
				Damage: []analyze.Damage{
					{Kind: "chunk-checksum", Chunk: 17, Offset: 0x111000, Reason: "event records checksum mismatch"},
					{Kind: "record-size", Chunk: 18, Offset: 0x121230, RecordID: 88211, Reason: "record size 4294967295 beyond chunk end"},
				},
			},
			{Path: "/cases/4711/notes.txt", Size: 523, SHA256: "0c1e", Skipped: "not an EVTX file"},
		},
		Service: analyze.Service{StartFails: 1, Crashes: 1, StateNow: "running", StartType: "manual"},
		Coverage: []analyze.Coverage{
			{Computer: "WS-0042.contoso.local", Channel: "Microsoft-Windows-Bits-Client/Operational",
				File:  "/cases/4711/WS-0042/Microsoft-Windows-Bits-Client%4Operational.evtx",
				First: at("2024-04-30T06:12:09Z"), Last: at("2024-05-02T17:40:00Z"), Records: 1204,
				FirstRecordID: 58113, LastRecordID: 59316,
				Warning: "only 2.5 days covered; the log wrapped (first record id 58113)"},
			{Computer: "WS-0043.contoso.local", Channel: "System", File: `C:\Export\WS-0043\System.evtx`,
				First: at("2024-04-01T00:00:03Z"), Last: at("2024-05-02T16:00:00Z"), Records: 29990, GapCount: 2,
				FirstRecordID: 60001, LastRecordID: 90215, MissingRecords: 224, BITSOnly: true},
			{Computer: "WS-0043.contoso.local", Channel: "Microsoft-Windows-Bits-Client/Operational",
				Warning: "no BITS client log for this computer; job details are missing"},
		},
	}
	r.Findings = []analyze.Finding{
		{
			ID: "F1", KBID: "proxy-range", Severity: analyze.SeverityError,
			Title:       "Proxy does not support HTTP range requests",
			Codes:       []string{"0x80200013"},
			CodeDetails: []analyze.CodeCount{{Code: "0x80200013", Name: "BG_E_INSUFFICIENT_RANGE_SUPPORT", Count: 37}},
			Count:       37,
			EventCounts: []analyze.EventCount{{Provider: "Microsoft-Windows-Bits-Client", EventID: 59, Count: 30},
				{Provider: "Microsoft-Windows-Bits-Client", EventID: 61, Count: 7}},
			JobsAffected: 2,
			FirstSeen:    at("2024-04-30T06:12:09Z"), LastSeen: at("2024-05-02T17:31:00Z"),
			Computers: []string{"WS-0042.contoso.local", "WS-0043.contoso.local"},
			Hosts:     []string{"dl.contoso-cdn.example"},
			Proxies:   []string{"proxy1.contoso.local:8080"},
			Jobs:      []string{"{6C2A3B0E-1111-4A5B-9C3D-0123456789AB}", "{6C2A3B0E-2222-4A5B-9C3D-0123456789AB}"},
			Status:    "unresolved",
			Summary:   "37 transfers from dl.contoso-cdn.example failed with BG_E_INSUFFICIENT_RANGE_SUPPORT on 2 computers, all through proxy1.contoso.local:8080.",
			Notes:     []string{"All 37 failures went through proxy1.contoso.local:8080.", "Burst of 21 failures on 2024-05-02 between 08:00 and 10:00 UTC."},
			Cause: "BITS downloads files in pieces with HTTP `Range` requests. The proxy **ignores** the Range header " +
				"and returns the whole file, so BITS puts the job in the ERROR state.",
			Fix: []analyze.Step{
				{Text: "Configure the proxy to pass `Range` requests through, or exempt the download host from the proxy."},
				{Text: "If the proxy cannot be changed, let BITS bypass it for the host:", Commands: []string{
					`netsh winhttp set proxy proxy-server="proxy1.contoso.local:8080" bypass-list="*.contoso-cdn.example"`}, Shell: analyze.ShellEither},
				{Text: "Restart the affected jobs:", Commands: []string{
					"Get-BitsTransfer -AllUsers | Where-Object JobState -eq 'Error' |\n    Resume-BitsTransfer -Asynchronous"}, Shell: analyze.ShellPowerShell},
			},
			Verify: []analyze.Step{
				{Text: "Check that new jobs reach `Transferred`:", Commands: []string{"bitsadmin /list /allusers /verbose"}, Shell: analyze.ShellCmd,
					Corrections: []string{"The article's `bitsadmin /util /setieproxy` example omits the `localsystem` account argument."}},
			},
			DocSection:  "Proxy servers must support HTTP 1.1 range requests",
			Corrections: []string{"The article's `bitsadmin /util /setieproxy` example omits the `localsystem` account argument."},
			Evidence: []analyze.Evidence{
				{File: "Microsoft-Windows-Bits-Client%4Operational.evtx", RecordID: 58120, Time: at("2024-04-30T06:12:09Z"),
					EventID: 59, Computer: "WS-0042.contoso.local", Code: "0x80200013", Job: "Windows Update",
					URL:  "http://dl.contoso-cdn.example/filestreamingservice/files/2b1e7c55-8ad1-4c1a-9e0b-6b8e3f0d1c2a?P1=1714460000&P2=404&P3=2&P4=very-long-query-string-that-keeps-going-and-going",
					Text: "transfer stopped"},
				{File: "Microsoft-Windows-Bits-Client%4Operational.evtx", RecordID: 58131, Time: at("2024-04-30T06:40:51Z"),
					EventID: 61, Computer: "WS-0042.contoso.local", Code: "0x80200013", Job: "Windows Update",
					Text: "job in error state"},
			},
			EvidenceTotal: 37,
		},
		{
			ID: "F2", KBID: "winhttp-timeout", Severity: analyze.SeverityWarning,
			Title:        "Timeouts reaching the update server",
			Codes:        []string{"0x80072EE2"},
			CodeDetails:  []analyze.CodeCount{{Code: "0x80072EE2", Name: "ERROR_WINHTTP_TIMEOUT", Count: 5}},
			Count:        5,
			JobsAffected: 1,
			FirstSeen:    at("2024-05-01T11:02:00Z"), LastSeen: at("2024-05-01T13:15:00Z"),
			Computers: []string{"WS-0042.contoso.local"},
			Hosts:     []string{"wu.example.com"},
			Jobs:      []string{"{0A0B0C0D-3333-4A5B-9C3D-0123456789AB}"},
			Status:    "recovered", Transient: true,
			Summary: "5 timeouts to wu.example.com; the job completed afterwards.",
			Cause:   "The server did not answer in time; BITS retries on its own.",
			Fix:     []analyze.Step{{Text: "No action needed unless the timeouts persist."}},
			Verify:  []analyze.Step{{Text: "Look for later event 60 with status 0x0 for the same job."}},
			Evidence: []analyze.Evidence{{File: "Microsoft-Windows-Bits-Client%4Operational.evtx", RecordID: 59001,
				Time: at("2024-05-01T11:02:00Z"), EventID: 60, Computer: "WS-0042.contoso.local", Code: "0x80072EE2",
				Job: "Edge update", URL: "https://wu.example.com/c/msdownload/update/x.cab", Text: "transfer stopped"}},
			EvidenceTotal: 5,
		},
		{
			ID: "F3", KBID: "unknown-0x80049876", Severity: analyze.SeverityInfo,
			Title:        "Unknown error 0x80049876",
			Codes:        []string{"0x80049876"},
			CodeDetails:  []analyze.CodeCount{{Code: "0x80049876", Count: 1}},
			Count:        1,
			JobsAffected: 1,
			FirstSeen:    at("2024-05-02T16:00:00Z"), LastSeen: at("2024-05-02T16:00:00Z"),
			Computers:     []string{"WS-0043.contoso.local"},
			Summary:       "One transfer failed with an error code the knowledge base does not know.",
			Cause:         "Not in the article.",
			EvidenceTotal: 0,
		},
	}
	r.Jobs = []analyze.Job{
		{ID: "{0A0B0C0D-3333-4A5B-9C3D-0123456789AB}", Title: "Edge update", Owner: `NT AUTHORITY\SYSTEM`,
			Process: "MicrosoftEdgeUpdate.exe", Computer: "WS-0042.contoso.local",
			URLs: []string{"https://wu.example.com/c/msdownload/update/x.cab"}, Hosts: []string{"wu.example.com"},
			Files:      []string{`C:\Program Files (x86)\Microsoft\EdgeUpdate\Download\x.cab`},
			BytesTotal: u64(104857600), BytesTransferred: u64(104857600),
			First: at("2024-05-01T11:00:00Z"), Last: at("2024-05-01T13:30:00Z"), Outcome: "completed",
			Errors: []analyze.CodeCount{{Code: "0x80072EE2", Name: "ERROR_WINHTTP_TIMEOUT", Count: 5}}, Retries: 5, Transfers: 1, Interruptions: 2},
		{ID: "{6C2A3B0E-1111-4A5B-9C3D-0123456789AB}", Title: "Windows Update", Owner: `NT AUTHORITY\SYSTEM`,
			Process: "svchost.exe", Computer: "WS-0042.contoso.local",
			URLs:  []string{"http://dl.contoso-cdn.example/filestreamingservice/files/2b1e7c55-8ad1-4c1a-9e0b-6b8e3f0d1c2a?P1=1714460000&P2=404&P3=2&P4=very-long-query-string-that-keeps-going-and-going"},
			Hosts: []string{"dl.contoso-cdn.example"}, Files: []string{`C:\Windows\SoftwareDistribution\Download\0f\a.cab`},
			BytesTotal: u64(734003200), BytesTransferred: u64(0),
			First: at("2024-04-30T06:10:00Z"), Last: at("2024-05-02T17:31:00Z"), Outcome: "failing",
			Errors: []analyze.CodeCount{{Code: "0x80200013", Name: "BG_E_INSUFFICIENT_RANGE_SUPPORT", Count: 30}}, Retries: 29, Transfers: 30},
		{ID: "{6C2A3B0E-2222-4A5B-9C3D-0123456789AB}", Title: "Windows Update", Owner: `NT AUTHORITY\SYSTEM`,
			Process: "svchost.exe", Computer: "WS-0043.contoso.local", Hosts: []string{"dl.contoso-cdn.example"},
			First: at("2024-05-02T08:00:00Z"), Last: at("2024-05-02T10:00:00Z"), Outcome: "failing",
			Errors: []analyze.CodeCount{{Code: "0x80200013", Name: "BG_E_INSUFFICIENT_RANGE_SUPPORT", Count: 7}}, Transfers: 7},
		{ID: "{7D7D7D7D-4444-4A5B-9C3D-0123456789AB}", Title: "Font download", Owner: `CONTOSO\jdoe`,
			Computer: "WS-0043.contoso.local", Hosts: []string{"fs.contoso.local"}, BytesTotal: u64(2048), BytesTransferred: u64(2048),
			First: at("2024-05-02T12:00:00Z"), Last: at("2024-05-02T12:00:05Z"), Outcome: "completed", Transfers: 1},
	}
	for i := 0; i < 8; i++ { // routine start-type flapping
		kind := "automatic"
		if i%2 == 1 {
			kind = "manual"
		}
		r.Service.Timeline = append(r.Service.Timeline, analyze.ServiceEvent{
			Time: at("2024-04-30T07:00:00Z").Add(time.Duration(i) * 5 * time.Hour), Computer: "WS-0042.contoso.local",
			EventID: 7040, Kind: "start-type", Text: "start type changed to " + kind, Routine: true,
			File: "System.evtx", RecordID: uint64(1000 + i)})
	}
	r.Service.Timeline = append(r.Service.Timeline,
		analyze.ServiceEvent{Time: at("2024-05-01T03:00:00Z"), Computer: "WS-0043.contoso.local", EventID: 7031,
			Kind: "crash", Text: "BITS terminated unexpectedly (1st time); restart in 60000 ms", File: "System.evtx", RecordID: 2001},
		analyze.ServiceEvent{Time: at("2024-05-01T03:01:00Z"), Computer: "WS-0043.contoso.local", EventID: 7000,
			Kind: "start-failure", Text: "BITS failed to start", Code: "0x80070422", File: "System.evtx", RecordID: 2002},
		analyze.ServiceEvent{Time: at("2024-05-01T03:05:00Z"), Computer: "WS-0043.contoso.local", EventID: 7036,
			Kind: "state", Text: "BITS entered the running state", File: "System.evtx", RecordID: 2003},
	)
	hours := []struct {
		t      string
		f1, f2 int
	}{
		{"2024-04-30T06:00:00Z", 2, 0}, {"2024-04-30T07:00:00Z", 1, 0}, {"2024-05-01T11:00:00Z", 3, 3},
		{"2024-05-01T13:00:00Z", 0, 2}, {"2024-05-02T08:00:00Z", 12, 0}, {"2024-05-02T09:00:00Z", 9, 0},
		{"2024-05-02T16:00:00Z", 6, 0}, {"2024-05-02T17:00:00Z", 4, 0},
	}
	for _, h := range hours {
		c := map[string]int{}
		if h.f1 > 0 {
			c["F1"] = h.f1
		}
		if h.f2 > 0 {
			c["F2"] = h.f2
		}
		if h.t == "2024-05-02T16:00:00Z" {
			c["F3"] = 1
		}
		r.Timeline = append(r.Timeline, analyze.Bucket{Start: at(h.t), Length: analyze.BucketLength(time.Hour), Counts: c})
	}
	for i, c := range []string{"WS-0042.contoso.local", "WS-0042.contoso.local", "WS-0043.contoso.local", "WS-0042.contoso.local", "WS-0043.contoso.local"} {
		r.Failures = append(r.Failures, analyze.Failure{Time: at("2024-05-02T08:00:00Z").Add(time.Duration(i) * time.Minute), Computer: c,
			Channel: "Microsoft-Windows-Bits-Client/Operational", File: "Bits.evtx", RecordID: uint64(100 + i), EventID: 61,
			Code: "0x80200013", CodeName: "BG_E_INSUFFICIENT_RANGE_SUPPORT", FindingID: "F1", JobTitle: "Windows Update, \"quoted\"",
			JobID: "{4F3E2A10-0000-0000-0000-000000000001}", URL: "http://dl.contoso-cdn.example/a.cab?x=1&y=2", Proxies: []string{"proxy1.contoso.local:8080"}})
	}
	r.Failures = append(r.Failures, analyze.Failure{Time: at("2024-05-01T11:02:00Z"), Computer: "WS-0043.contoso.local", Channel: "Microsoft-Windows-Bits-Client/Operational",
		EventID: 61, Code: "0x80072EE2", FindingID: "F2", JobTitle: "=HYPERLINK(\"http://evil\")"})
	return r
}

func emptyResult() *analyze.Result {
	return &analyze.Result{
		Tool:      analyze.Tool{Name: "bitsdiag", Version: "0.1.0-test"},
		Generated: at("2024-05-03T09:00:00Z"),
		Window:    analyze.Window{Start: at("2024-05-01T00:00:00Z"), End: at("2024-05-02T00:00:00Z")},
		Computers: []string{"HEALTHY-PC"},
		Inputs: []analyze.Input{{Path: "Bits.evtx", Size: 69632, SHA256: strings.Repeat("ab", 32), Records: 12,
			RecordsAnalysed: 12, FirstTime: at("2024-05-01T00:00:00Z"), LastTime: at("2024-05-02T00:00:00Z")}},
		Jobs: []analyze.Job{{ID: "{11111111-2222-3333-4444-555555555555}", Title: "Office update", Owner: `CONTOSO\a`,
			Outcome: "completed", First: at("2024-05-01T01:00:00Z"), Last: at("2024-05-01T01:02:00Z"), Transfers: 1}},
	}
}

// hostile strings that must neither break the Markdown nor crash the PDF.
var hostile = []string{
	"pipe | in | title",
	"back`tick``s and ```fence",
	"<script>alert(1)</script>",
	"line\nbreak\r\nand\rcarriage",
	"emoji 🚀🔥 and 𝕏 astral",
	"RTL \u202Eevil\u202C text שלום عربي",
	"NUL\x00byte and \x1b[31mANSI",
	"invalid \xff\xfe UTF-8 \xc3",
	"[link](javascript:alert(1)) ![img](x) **bold** _it_ ~~s~~ #h &amp; &#124;",
	"- list\n# heading\n| a | b |\n|---|---|",
	"\\| escaped pipe \\",
	strings.Repeat("long-title-without-spaces-", 400), // ~10 kB
	strings.Repeat("10 kB title with spaces ", 420),
	"CJK 漢字 and ideographic space\u3000done",
	"Greek λόγος Cyrillic Журнал Latin ÆØÅ ß",
}

func hostileResult() *analyze.Result {
	r := richResult()
	h := func(i int) string { return hostile[i%len(hostile)] }
	r.Title = h(11) + h(0)
	r.Verdict = strings.Join(hostile, " ")
	r.Computers = append(r.Computers, hostile...)
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Title += " " + h(i+2)
		f.Hosts = append(f.Hosts, hostile...)
		f.Summary = h(i + 3)
		f.Notes = append(f.Notes, hostile...)
		f.Fix = append(f.Fix, analyze.Step{Text: "Hostile commands:", Commands: append([]string{"echo ```\n```\nrm -rf / # ``` `` `"}, hostile...)})
		for k, s := range hostile {
			f.Evidence = append(f.Evidence, analyze.Evidence{File: s, RecordID: uint64(k), Time: r.Generated, EventID: 59,
				Computer: s, Code: "0x80200013", Job: s, URL: "http://" + s, Text: s})
		}
	}
	for k, s := range hostile {
		r.Jobs = append(r.Jobs, analyze.Job{ID: s, Title: s, Owner: s, Process: s, Computer: s, URLs: []string{s},
			Hosts: []string{s}, Files: []string{s}, Outcome: analyze.Outcome([]string{"failing", "open", s}[k%3]),
			Errors: []analyze.CodeCount{{Code: s, Name: s, Count: k}}})
		r.Inputs = append(r.Inputs, analyze.Input{Path: s, SHA256: s, Skipped: s, Damage: []analyze.Damage{{Kind: analyze.DamageKind(s), Reason: s}}})
		r.Coverage = append(r.Coverage, analyze.Coverage{Computer: s, Channel: s, File: s, Warning: s})
		r.Service.Timeline = append(r.Service.Timeline, analyze.ServiceEvent{Time: r.Generated, Computer: s, Kind: analyze.ServiceEventKind(s), Text: s, Code: s})
		r.Timeline = append(r.Timeline, analyze.Bucket{Start: at("2024-05-02T08:00:00Z"), Length: analyze.BucketLength(time.Duration(k+1) * time.Hour), Counts: map[string]int{s: k + 1}})
	}
	// Cause, Corrections and step texts are trusted knowledge-base prose, which
	// may use Markdown; they get every hostile string but the markup one.
	var prose []string
	for i, s := range hostile {
		if i != 8 {
			prose = append(prose, s)
		}
	}
	r.Findings = append(r.Findings, analyze.Finding{ID: h(0), Title: h(1), Severity: analyze.Severity(h(2)),
		Codes: []string{h(3)}, CodeDetails: []analyze.CodeCount{{Code: h(4), Name: h(5)}}, Status: analyze.Status(h(6)),
		Cause: h(7), DocSection: h(8), Corrections: prose, Verify: []analyze.Step{{Text: h(9), Commands: hostile}}})
	return r
}

// manyFindings is a result with n findings, for layout tests.
func manyFindings(n int) *analyze.Result {
	r := richResult()
	base := r.Findings[0]
	r.Findings = nil
	for i := 0; i < n; i++ {
		f := base
		f.ID = fmt.Sprintf("F%d", i+1)
		r.Findings = append(r.Findings, f)
	}
	return r
}
