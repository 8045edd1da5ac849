package scenario

import (
	"fmt"
	"time"

	"bitsdiag/samples/evtxwrite"
)

// Providers of unrelated System events used as background noise.
var (
	kernelGeneral = Provider{Name: "Microsoft-Windows-Kernel-General", GUID: "{A68CA8B7-004F-D7B6-A698-07E2DE0F1F5D}"}
	timeService   = Provider{Name: "Microsoft-Windows-Time-Service", GUID: "{06EDCFEB-0FD0-4E53-ACCA-A6F8BBF81BCB}"}
	winlogon      = Provider{Name: "Microsoft-Windows-Winlogon", GUID: "{DBE9B383-7CF3-4331-91CC-A3CB16A3B538}"}
	wuClient      = Provider{Name: "Microsoft-Windows-WindowsUpdateClient", GUID: "{945A8954-C147-4ACD-923F-40C45405A658}"}
)

// otherServices are services whose SCM events fill a System log.
var otherServices = []Service{
	{Key: "wuauserv", Display: "Windows Update"},
	{Key: "TrustedInstaller", Display: "Windows Modules Installer"},
	{Key: "DoSvc", Display: "Delivery Optimization"},
	{Key: "InstallService", Display: "Microsoft Store Install Service"},
	{Key: "WinHttpAutoProxySvc", Display: "WinHTTP Web Proxy Auto-Discovery Service"},
	{Key: "sppsvc", Display: "Software Protection"},
	{Key: "UsoSvc", Display: "Update Orchestrator Service"},
}

func (h *Host) sys(t time.Time, p Provider, id uint16, level uint8, user string, pid uint32, data ...Field) Event {
	return Event{
		Provider: p, EventID: id, Level: level, Keywords: kwSystemBits, Time: t,
		ProcessID: pid, ThreadID: h.R.ThreadID(), Channel: ChannelSystem, Computer: h.Computer,
		UserID: user, Data: data,
	}
}

// SIDField is a SID field.
func SIDField(name, sid string) Field {
	v, err := evtxwrite.SIDValue(sid)
	if err != nil {
		return Str(name, sid)
	}
	return Field{Name: name, Value: v, Text: sid}
}

// Noise returns one unrelated System event at t.
func (h *Host) Noise(t time.Time) Event {
	switch h.R.Intn(10) {
	case 0, 1, 2, 3:
		s := otherServices[h.R.Intn(len(otherServices))]
		if h.R.Intn(2) == 0 {
			return h.ServiceState(t, s, "running", 4)
		}
		return h.ServiceState(t, s, "stopped", 1)
	case 4:
		hives := []string{`\??\C:\Windows\ServiceProfiles\LocalService\NTUSER.DAT`, `\SystemRoot\System32\Config\SOFTWARE`, `\??\C:\Users\jdoe\ntuser.dat`}
		hv := hives[h.R.Intn(len(hives))]
		return h.sys(t, kernelGeneral, 16, LevelInfo, systemSID, 4,
			U32("HiveNameLength", uint32(len(hv))), Str("HiveName", hv), U32("KeysUpdated", uint32(h.R.Between(1, 400))), U32("DirtyPages", uint32(h.R.Between(1, 90))))
	case 5, 6:
		return h.sys(t, timeService, 37, LevelInfo, "S-1-5-19", uint32(h.R.Between(300, 900)*4),
			Str("TimeSource", "DC01.contoso.local (ntp.d|10.20.0.10:123->10.20.4.57:123)"))
	case 7:
		return h.sys(t, winlogon, 7001, LevelInfo, systemSID, uint32(h.R.Between(150, 250)*4),
			U32("TSId", 1), SIDField("UserSid", "S-1-5-21-1721254763-462695806-1538882281-1104"))
	default:
		kb := 5030000 + h.R.Intn(9000)
		ev := h.sys(t, wuClient, 44, LevelInfo, systemSID, uint32(h.R.Between(300, 900)*4),
			Str("updateTitle", fmt.Sprintf("Security Intelligence Update for Microsoft Defender Antivirus - KB%d (Version 1.4%02d.%d.0)", kb, h.R.Intn(60), h.R.Between(100, 900))),
			GUIDField("updateGuid", h.R.GUID()), U32("updateRevisionNumber", uint32(h.R.Between(200, 210))),
			GUIDField("serviceGuid", "{8B24B027-1DEE-BABB-9A95-3517DFB9C552}"))
		ev.Version = 1
		return ev
	}
}

// NoiseBetween returns n unrelated System events spread over [from, to).
func (h *Host) NoiseBetween(from, to time.Time, n int) []Event {
	var out []Event
	span := int64(to.Sub(from))
	for i := 0; i < n; i++ {
		t := from.Add(time.Duration(int64(h.R.Uint64()>>1) % span)).Truncate(100 * time.Nanosecond)
		out = append(out, h.Noise(t))
	}
	return out
}
