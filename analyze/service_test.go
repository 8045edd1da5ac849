package analyze

import (
	"testing"

	"bitsdiag/parse"
)

func scm(rec uint64, min int, id uint16, bin []byte, kv ...string) *parse.Event {
	return sysEv(ProviderSCM, rec, min, id, bin, kv...)
}

func startTypeEv(rec uint64, min int, display, from, to string) *parse.Event {
	return scm(rec, min, 7040, nil, "param1", display, "param2", from, "param3", to, "param4", "BITS")
}

func TestServiceFindings(t *testing.T) {
	tests := []struct {
		name    string
		evs     []*parse.Event
		kbIDs   []string // expected finding kb ids, in rank order
		status  string   // status of the first finding
		routine int      // routine timeline entries
	}{
		{"auto/demand flapping is routine", []*parse.Event{
			startTypeEv(1, 0, bitsDisplayName, "auto start", "demand start"),
			startTypeEv(2, 5, bitsDisplayName, "demand start", "auto start"),
		}, nil, "", 2},
		{"Chinese flapping", []*parse.Event{
			startTypeEv(1, 0, bitsDisplayName, "按需启动", "自动启动"),
			startTypeEv(2, 5, bitsDisplayName, "自动启动", "按需启动"),
		}, nil, "", 2},
		{"Turkish flapping with translated display name", []*parse.Event{
			startTypeEv(1, 0, "Arka Plan Akıllı Aktarım Hizmeti", "isteğe bağlı başlatma", "otomatik başlatma"),
			startTypeEv(2, 5, "Arka Plan Akıllı Aktarım Hizmeti", "otomatik başlatma", "isteğe bağlı başlatma"),
		}, nil, "", 2},
		{"unknown language flapping", []*parse.Event{
			startTypeEv(1, 0, "x", "wort-a", "wort-b"),
			startTypeEv(2, 5, "x", "wort-b", "wort-a"),
		}, nil, "", 2},
		{"disabled", []*parse.Event{
			startTypeEv(1, 0, bitsDisplayName, "auto start", "disabled"),
		}, []string{"start-service-disabled"}, "unresolved", 0},
		{"disabled then re-enabled", []*parse.Event{
			startTypeEv(1, 0, bitsDisplayName, "demand start", "disabled"),
			startTypeEv(2, 5, bitsDisplayName, "disabled", "auto start"),
		}, []string{"start-service-disabled"}, "recovered", 0},
		{"start failed: disabled (%%1058)", []*parse.Event{
			scm(1, 0, 7000, u16("BITS"), "param1", bitsDisplayName, "param2", "%%1058"),
		}, []string{"start-service-disabled"}, "unresolved", 0},
		{"crash then running", []*parse.Event{
			scm(1, 0, 7031, u16("BITS"), "param1", bitsDisplayName, "param2", "1", "param3", "60000", "param4", "1", "param5", "Restart the service"),
			scm(2, 1, 7036, u16("BITS/4"), "param1", bitsDisplayName, "param2", "running"),
		}, []string{"service-crashed"}, "recovered", 0},
		{"crash without recovery action", []*parse.Event{
			scm(1, 0, 7034, u16("BITS"), "param1", bitsDisplayName, "param2", "1"),
		}, []string{"service-crashed"}, "unresolved", 0},
		{"timeout", []*parse.Event{
			scm(1, 0, 7009, u16("BITS"), "param1", "30000", "param2", bitsDisplayName),
		}, []string{"service-hang"}, "unresolved", 0},
		{"logon failure", []*parse.Event{
			scm(1, 0, 7038, u16("BITS"), "param1", "BITS", "param2", `.\svcuser`, "param3", "%%1069"),
		}, []string{"service-not-localsystem"}, "unresolved", 0},
		{"17005 not LocalSystem", []*parse.Event{
			sysEv(ProviderBITS, 1, 0, 17005, nil, "string", `.\svcuser`, "string2", "", "string3", ""),
		}, []string{"service-not-localsystem"}, "unresolved", 0},
		{"16397 limit mismatch", []*parse.Event{
			sysEv(ProviderBITS, 1, 0, 16397, nil, "entityName", "", "currentSize", "500", "currentLimit", "300"),
		}, []string{"job-limit-mismatch"}, "", 0},
		{"16398 job limit", []*parse.Event{
			sysEv(ProviderBITS, 1, 0, 16398, nil, "entityName", `PC1\u`, "currentSize", "60", "currentLimit", "60"),
			sysEv(ProviderBITS, 2, 1, 16401, nil, "entityName", "job", "currentSize", "200", "currentLimit", "200"),
		}, []string{"job-limit-reached"}, "", 0},
		{"other service ignored", []*parse.Event{
			scm(1, 0, 7031, u16("EventLog"), "param1", "Windows Event Log", "param2", "1"),
			scm(2, 0, 7036, u16("WerSvc/4"), "param1", "Windows Error Reporting Service", "param2", "running"),
		}, nil, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := analyse(t, Options{}, tc.evs...)
			got := kbIDs(r)
			if len(got) != len(tc.kbIDs) {
				t.Fatalf("findings %v, want %v", got, tc.kbIDs)
			}
			for i := range got {
				if got[i] != tc.kbIDs[i] {
					t.Fatalf("findings %v, want %v", got, tc.kbIDs)
				}
			}
			if len(got) > 0 && string(r.Findings[0].Status) != tc.status {
				t.Errorf("status %q, want %q", r.Findings[0].Status, tc.status)
			}
			routine := 0
			for _, se := range r.Service.Timeline {
				if se.Routine {
					routine++
				}
			}
			if routine != tc.routine {
				t.Errorf("routine entries %d, want %d: %s", routine, tc.routine, mustJSON(t, r.Service.Timeline))
			}
		})
	}
}

func TestServiceTimeline(t *testing.T) {
	r := analyse(t, Options{},
		scm(1, 0, 7036, u16("BITS/4"), "param1", "Arka Plan Akıllı Aktarım Hizmeti", "param2", "çalışıyor"),
		startTypeEv(2, 1, bitsDisplayName, "auto start", "demand start"),
		scm(3, 2, 7036, u16("BITS/1"), "param1", "Arka Plan Akıllı Aktarım Hizmeti", "param2", "durduruldu"),
		scm(4, 3, 7000, u16("BITS"), "param1", bitsDisplayName, "param2", "%%1058"),
	)
	s := r.Service
	if len(s.Timeline) != 4 || s.StateNow != "stopped" || s.StartType != "demand start" || s.StartFails != 1 {
		t.Fatalf("service = %s", mustJSON(t, s))
	}
	kinds := []string{"state", "start-type", "state", "start-failure"}
	for i, k := range kinds {
		if string(s.Timeline[i].Kind) != k {
			t.Errorf("timeline[%d].kind = %q, want %q", i, s.Timeline[i].Kind, k)
		}
	}
	if s.Timeline[3].Code != "0x80070422" || s.Timeline[0].Text != "BITS entered the running state" {
		t.Errorf("timeline = %s", mustJSON(t, s.Timeline))
	}
}

func TestLocalisedDisabled(t *testing.T) {
	for _, word := range []string{"Devre Dışı", "已禁用", "Deaktiviert"} {
		t.Run(word, func(t *testing.T) {
			r := analyse(t, Options{}, startTypeEv(1, 0, "x", "otomatik başlatma", word))
			if got := kbIDs(r); len(got) != 1 || got[0] != "start-service-disabled" {
				t.Errorf("findings %v, want [start-service-disabled]", got)
			}
			if r.Service.StartType != "disabled" {
				t.Errorf("start type at end %q", r.Service.StartType)
			}
		})
	}
}
