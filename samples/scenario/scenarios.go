package scenario

import (
	"fmt"
	"time"
)

// All returns every scenario, in README order.
func All() []Scenario {
	out := []Scenario{healthy()}
	out = append(out, kbScenarios()...)
	out = append(out, extraScenarios()...)
	out = append(out, eventScenarios()...)
	out = append(out, diagScenarios()...)
	out = append(out, wuScenarios()...)
	out = append(out, customerCase(), nonEnglish(), damaged())
	return out
}

func healthy() Scenario {
	const id = "healthy"
	h := NewHost("WS-0101.contoso.local")
	c := newClock(id, 2026, 1, 19)
	var op, sys []Event
	op = append(op, h.JobListLoaded(c.at(0, 7, 58, 41)))
	for d := 0; d < 3; d++ {
		op = append(op, h.CompletedJob(c.at(d, 9, 15, 2), wuJob(h, fmt.Sprintf("%02X/3E5A7C9B1D2F4A6C8E0B2D4F6A8C0E2B4D6F8A%02X.cab", 16+d, d), uint64(1_300_000+d*77_000)), "")...)
		op = append(op, h.CompletedJob(c.at(d, 13, 40, 18), edgeJob(h), "")...)
		sys = append(sys, h.Boot(c.at(d, 7, 56, 30), true)...)
		// Routine flapping: BITS switches to demand start when idle and back.
		sys = append(sys,
			h.StartTypeChanged(c.at(d, 9, 20, 0), BITS, "auto start", "demand start", systemSID),
			h.ServiceState(c.at(d, 11, 2, 9), BITS, "stopped", 1),
			h.StartTypeChanged(c.at(d, 13, 39, 57), BITS, "demand start", "auto start", systemSID),
			h.ServiceState(c.at(d, 13, 40, 0), BITS, "running", 4))
	}
	j := h.NewJob("Teams background update", `CONTOSO\rfischer`, `C:\Users\rfischer\AppData\Local\Microsoft\Teams\Update.exe`, 10432,
		"https://statics.teams.cdn.office.net/production-windows-x64/1.7.00.3653/Teams-x64.msi", 141_557_760)
	op = append(op, h.CompletedJob(c.at(1, 16, 5, 33), j, "")...)
	sys = append(sys, h.NoiseBetween(c.at(0, 7, 0, 0), c.at(2, 19, 0, 0), 60)...)
	return Scenario{
		ID: id, Title: "Healthy machine",
		Summary: "Jobs are created, transferred and completed (3, 59, 60 with hr 0, 4); BITS flips between auto and demand start (7040) and starts and stops (7036). Nothing is wrong.",
		Files: []File{
			{Name: id + "/" + opFile, FirstRecordID: 2201, Events: op, Note: "Bits-Client Operational log of WS-0101: 7 completed jobs"},
			{Name: id + "/" + sysFile, FirstRecordID: 130500, Events: sys, Note: "System log of WS-0101: routine 7040/7036 and unrelated events"},
		},
	}
}

// customerCase is a multi-day case over two machines behind the same proxy.
func customerCase() Scenario {
	const id = "case-contoso"
	a, b := NewHost("WS-0142.contoso.local"), NewHost("WS-0187.contoso.local")
	c := newClock(id, 2026, 3, 9)
	var aOp, aSys, bOp, bSys []Event

	for _, m := range []struct {
		h    *Host
		op   *[]Event
		sys  *[]Event
		hour int
	}{{a, &aOp, &aSys, 9}, {b, &bOp, &bSys, 10}} {
		h := m.h
		*m.op = caseOperational(h, c, 5, m.hour)
		for d := 0; d < 5; d++ {
			*m.sys = append(*m.sys, h.Boot(c.at(d, 7, 56, 0), true)...)
			*m.sys = append(*m.sys, h.StartTypeChanged(c.at(d, 18, 2, 0), BITS, "auto start", "demand start", systemSID))
		}
		*m.sys = append(*m.sys, h.NoiseBetween(c.at(0, 7, 0, 0), c.at(4, 20, 0, 0), 120)...)
	}
	// WS-0187: BITS crashes on day 3.
	bSys = append(bSys,
		b.Crashed(c.at(3, 11, 48, 2), BITS, 1, 60000, "Restart the service"),
		b.ServiceState(c.at(3, 11, 49, 2), BITS, "running", 4),
		b.Crashed(c.at(3, 14, 20, 37), BITS, 2, 120000, "Restart the service"),
		b.ServiceState(c.at(3, 14, 22, 37), BITS, "running", 4),
		b.CrashedNoAction(c.at(3, 16, 5, 12), BITS, 3))

	return Scenario{
		ID: id, Title: "Customer case: two workstations behind proxy02, five days",
		Summary: "WS-0142 and WS-0187 (Operational and System log each, 9-13 March 2026). Every Windows Update download through proxy02.contoso.local:8080 fails with 0x80200013 and event 202 (persistent); Defender definition downloads time out (0x80072EE2) three times and then complete (transient); on WS-0187 BITS crashes twice (7031) and a third time without recovery (7034).",
		Files: []File{
			{Name: id + "/WS-0142-" + opFile, FirstRecordID: 18344, Events: aOp, Note: "Bits-Client Operational log of WS-0142"},
			{Name: id + "/WS-0142-" + sysFile, FirstRecordID: 250117, Events: aSys, Note: "System log of WS-0142"},
			{Name: id + "/WS-0187-" + opFile, FirstRecordID: 9021, Events: bOp, Note: "Bits-Client Operational log of WS-0187"},
			{Name: id + "/WS-0187-" + sysFile, FirstRecordID: 198830, Events: bSys, Note: "System log of WS-0187"},
		},
		Findings: []Finding{
			{KBID: "job-insufficient-range-support", Events: map[uint16]int{61: 30, 202: 30}, Jobs: 30, Computers: 2, Status: "unresolved",
				Note: "30 failed transfers with 0x80200013, all via proxy02.contoso.local:8080"},
			{KBID: "service-crashed", Events: map[uint16]int{7031: 2, 7034: 1}, Computers: 1, Status: "recovered",
				Note: "WS-0187 on 12 March; BITS runs again the next day"},
			{KBID: "job-timeout", Events: map[uint16]int{61: 6}, Jobs: 2, Computers: 2, Status: "recovered",
				Note: "0x80072EE2 (ERROR_WINHTTP_TIMEOUT, transient): both Defender jobs complete"},
		},
	}
}

// caseOperational is the Operational log of one case machine over days
// days from c's base day: every Windows Update attempt through proxy02 fails
// with 0x80200013 (event 202 + 61) and Windows Update cancels the job and
// retries later (persistent); Edge updates complete; on day 2 a Defender
// download times out three times (0x80072EE2) and then completes (transient).
func caseOperational(h *Host, c clock, days, hour int) []Event {
	const proxy = "proxy02.contoso.local:8080"
	ev := []Event{h.JobListLoaded(c.at(0, 7, 59, 2))}
	for d := 0; d < days; d++ {
		for k, hh := range []int{hour, hour + 4, hour + 8} {
			j := wuJob(h, "7B/9E1C3A5F7D0B2E4C6A8F1D3B5E7A9C0F2D4B6E8A.cab", 412_090_368)
			t := c.at(d, hh, 7*k+d%7, 12)
			x := h.R.GUID()
			ev = append(ev, h.JobCreated(t, j), h.TransferStarted(t.Add(180*time.Millisecond), j, x, 0),
				h.HTTPFeatureMissing(t.Add(4*time.Second), j, x, proxy, hrInsufficientRange, j.Size, "HTTP/1.1", "bytes=0-1048575"),
				h.TransferStopped(t.Add(4100*time.Millisecond), j, x, hrInsufficientRange, 0, proxy),
				h.JobCancelled(t.Add(45*time.Second), j, sysUser))
		}
		ev = append(ev, h.CompletedJob(c.at(d, 12, 30, 0), edgeJob(h), proxy)...)
		if d == 2 {
			j := h.NewJob("Microsoft Defender definition update", sysUser, `C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.26010.5-0\MpCmdRun.exe`, 8812,
				"http://definitionupdates.microsoft.com/download/DefinitionUpdates/versionedsignatures/am/1.443.112.0/x64/mpam-fe.exe", 173_015_040)
			ev = append(ev, h.RetryingJob(c.at(d, 15, 11, 40), j, proxy, []uint32{hrTimeout, hrTimeout, hrTimeout}, 10*time.Minute, true)...)
		}
	}
	return ev
}

// Localised BITS names.
var (
	bitsDE = Service{Key: "BITS", Display: "Intelligenter Hintergrundübertragungsdienst"}
	bitsJA = Service{Key: "BITS", Display: "バックグラウンド インテリジェント転送サービス"}
)

// nonEnglish is a German and a Japanese System log: BITS is recognisable
// only by the Binary key name (7036, 7031, 7034, 7000) and 7040's param4.
func nonEnglish() Scenario {
	const id = "non-english"
	de, ja := NewHost("BER-WS-0211.contoso.local"), NewHost("TYO-WS-0305.contoso.local")
	c := newClock(id, 2026, 4, 6)
	deUpd := Service{Key: "wuauserv", Display: "Windows Update"}
	deTI := Service{Key: "TrustedInstaller", Display: "Windows-Modulinstaller"}
	jaTI := Service{Key: "TrustedInstaller", Display: "Windows モジュール インストーラー"}
	var deEv, jaEv []Event
	for d := 0; d < 2; d++ {
		deEv = append(deEv,
			de.ServiceState(c.at(d, 7, 50, 0), deUpd, "Ausgeführt", 4),
			de.ServiceState(c.at(d, 7, 52, 0), bitsDE, "Ausgeführt", 4),
			de.StartTypeChanged(c.at(d, 9, 0, 0), bitsDE, "Automatisch starten", "Manuell starten", systemSID),
			de.ServiceState(c.at(d, 10, 31, 0), deTI, "Beendet", 1),
			de.StartTypeChanged(c.at(d, 12, 0, 0), bitsDE, "Manuell starten", "Automatisch starten", systemSID))
	}
	deEv = append(deEv,
		de.Crashed(c.at(1, 14, 2, 0), bitsDE, 1, 60000, "Dienst neu starten"),
		de.ServiceState(c.at(1, 14, 3, 0), bitsDE, "Ausgeführt", 4),
		de.Crashed(c.at(1, 15, 30, 0), bitsDE, 2, 120000, "Dienst neu starten"),
		de.ServiceState(c.at(1, 15, 32, 0), bitsDE, "Ausgeführt", 4),
		de.CrashedNoAction(c.at(1, 17, 45, 0), bitsDE, 3))

	jaEv = append(jaEv,
		ja.ServiceState(c.at(0, 8, 1, 0), bitsJA, "実行中", 4),
		ja.StartTypeChanged(c.at(0, 9, 30, 0), bitsJA, "自動開始", "要求時開始", systemSID),
		ja.ServiceState(c.at(0, 11, 0, 0), bitsJA, "停止", 1),
		ja.ServiceState(c.at(0, 11, 5, 0), jaTI, "実行中", 4),
		ja.StartTypeChanged(c.at(0, 17, 12, 0), bitsJA, "要求時開始", "無効", adminSID),
		ja.StartFailed(c.at(1, 8, 6, 0), bitsJA, 1058),
		ja.StartFailed(c.at(1, 13, 6, 0), bitsJA, 1058))
	return Scenario{
		ID: id, Title: "Non-English System logs (German, Japanese)",
		Summary: "Display names, state words and start-type words are localised; BITS is identified by the Binary key name (\"BITS/4\", \"BITS\") and 7040's param4 only. German: routine flapping, then BITS crashes (7031 ×2, 7034). Japanese: BITS set to disabled (無効), then 7000 with %%1058.",
		Files: []File{
			{Name: id + "/BER-WS-0211-System-de.evtx", FirstRecordID: 51000, Events: deEv, Note: "German System log of BER-WS-0211"},
			{Name: id + "/TYO-WS-0305-System-ja.evtx", FirstRecordID: 61000, Events: jaEv, Note: "Japanese System log of TYO-WS-0305"},
		},
		Findings: []Finding{
			{KBID: "service-crashed", Events: map[uint16]int{7031: 2, 7034: 1}, Computers: 1, Status: "unresolved", Note: "BER-WS-0211 (German display name)"},
			{KBID: "start-service-disabled", Events: map[uint16]int{7040: 1, 7000: 2}, Computers: 1, Status: "unresolved", Note: "TYO-WS-0305: 7040 to 無効 (disabled), then 7000 with %%1058 (Japanese display name)"},
		},
	}
}

// damaged are copies of one three-chunk Operational log (WS-0142, twelve days
// of the customer case's pattern from 2 March) with deliberate defects.
func damaged() Scenario {
	base := File{Name: "damaged/base.evtx", FirstRecordID: 17215,
		Events: caseOperational(NewHost("WS-0142.contoso.local"), newClock("damaged", 2026, 3, 2), 12, 9)}
	mk := func(name, note string, d ...Damage) File {
		f := base
		f.Name = "damaged/" + name
		f.Note = note
		f.Damage = d
		return f
	}
	h := NewHost("WS-0142.contoso.local")
	old := newClock("damaged-stale", 2026, 2, 23)
	j := edgeJob(h)
	var stale []Event
	for i := 0; i < 2; i++ {
		stale = append(stale, h.Attempt(old.at(0, 9, 10*i, 0), j, hrNameNotResolved, 0, "proxy02.contoso.local:8080", 1500*time.Millisecond)...)
	}
	slack := mk("slack.evtx", "chunk 0 ends after 80 live records and holds 4 stale records (ids 14071-14074, 23 February, 0x80072EE7) after its free-space offset")
	slack.Stale, slack.StaleFirstID, slack.StaleAfter = stale, 14071, 80
	return Scenario{
		ID: "damaged", Title: "Damaged copies of one Operational log",
		Summary: "For reliability tests. Each file is the same three-chunk Bits-Client Operational log of WS-0142 (2-13 March 2026, the case-contoso pattern) with one defect; the first is the intact original.",
		Files: []File{
			mk("intact.evtx", "the intact original"),
			mk("dirty.evtx", "file header dirty flag set (log copied while open); all records intact", Damage{Kind: DamageDirty}),
			mk("stale-header.evtx", "dirty, and the header counts only the first chunk (chunk count, last chunk, next record id stale)", Damage{Kind: DamageStaleHeader, Chunk: 1}),
			mk("chunk-header-crc.evtx", "chunk 1's header checksum is wrong", Damage{Kind: DamageChunkHeaderCRC, Chunk: 1}),
			mk("records-crc.evtx", "chunk 1's records checksum is wrong (record data intact)", Damage{Kind: DamageRecordsCRC, Chunk: 1}),
			mk("truncated.evtx", "file cut 12000 bytes into its last chunk, in the middle of a record (an interrupted copy)", Damage{Kind: DamageTruncate, Bytes: 12000}),
			slack,
		},
		// All files read together, without slack recovery: the copies
		// overlap, so every record counts once.
		Findings: []Finding{
			{KBID: "job-insufficient-range-support", Events: map[uint16]int{61: 36, 202: 36}, Jobs: 36, Computers: 1, Status: "unresolved",
				Note: "36 failed transfers with 0x80200013 via proxy02.contoso.local:8080"},
			{KBID: "job-timeout", Events: map[uint16]int{61: 3}, Jobs: 1, Computers: 1, Status: "recovered", Note: "0x80072EE2"},
		},
	}
}
