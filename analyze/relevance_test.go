package analyze

import (
	"testing"

	"bitsdiag/parse"
)

func TestRelevant(t *testing.T) {
	tests := []struct {
		name string
		e    *parse.Event
		want bool
	}{
		{"bits operational", bitsEv(1, 0, 61, 1), true},
		{"bits system", sysEv(ProviderBITS, 1, 0, 16392, nil), true},
		{"7036 binary BITS", scm(1, 0, 7036, u16("BITS/4"), "param1", "Arka Plan Akıllı Aktarım Hizmeti", "param2", "x"), true},
		{"7036 binary other", scm(1, 0, 7036, u16("WerSvc/4"), "param1", bitsDisplayName, "param2", "running"), false},
		{"7036 no binary, display name", scm(1, 0, 7036, nil, "param1", bitsDisplayName, "param2", "running"), true},
		{"7036 no binary, other", scm(1, 0, 7036, nil, "param1", "Windows Update", "param2", "running"), false},
		{"7040 param4 BITS", startTypeEv(1, 0, "Arka Plan Akıllı Aktarım Hizmeti", "a", "b"), true},
		{"7040 param4 other", scm(1, 0, 7040, nil, "param1", bitsDisplayName, "param2", "a", "param3", "b", "param4", "wuauserv"), false},
		{"7001 BITS as dependency of another", scm(1, 0, 7001, u16("NcaSvc"), "param1", "NcaSvc", "param2", bitsDisplayName, "param3", "%%1068"), false},
		{"7045 install ignored", scm(1, 0, 7045, nil, "ServiceName", bitsDisplayName), false},
		{"other provider", &parse.Event{Provider: "EventLog", EventID: 6005}, false},
		{"wu 20", &parse.Event{Provider: ProviderWU, Channel: "System", EventID: 20}, true},
		{"wu 41 operational", &parse.Event{Provider: ProviderWU, Channel: ChannelWUOperational, EventID: 41}, true},
		{"wu 45 not read", &parse.Event{Provider: ProviderWU, Channel: ChannelWUOperational, EventID: 45}, false},
		{"do any", &parse.Event{Provider: ProviderDO, Channel: ChannelDOOperational, EventID: 1001}, true},
		{"nil", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := defaultSel.Relevant(tc.e); got != tc.want {
				t.Errorf("Relevant = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFilterPeek(t *testing.T) {
	f := defaultSel.Filter()
	tests := []struct {
		name string
		p    parse.Peek
		want bool
	}{
		{"unknown provider", parse.Peek{EventID: -1}, true},
		{"bits any channel", parse.Peek{Provider: ProviderBITS, EventID: 61}, true},
		{"scm 7036 undecided", parse.Peek{Provider: ProviderSCM, EventID: 7036}, true},
		{"scm 7040 undecided", parse.Peek{Provider: ProviderSCM, EventID: 7040}, true},
		{"scm unknown id", parse.Peek{Provider: ProviderSCM, EventID: -1}, true},
		{"scm 7045", parse.Peek{Provider: ProviderSCM, EventID: 7045}, false},
		{"other provider", parse.Peek{Provider: "Microsoft-Windows-Kernel-General", EventID: 1}, false},
		{"wu 20", parse.Peek{Provider: ProviderWU, EventID: 20}, true},
		{"wu 45", parse.Peek{Provider: ProviderWU, EventID: 45}, false},
		{"wu unknown id", parse.Peek{Provider: ProviderWU, EventID: -1}, true},
		{"do any", parse.Peek{Provider: ProviderDO, EventID: 1001}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p
			if got := f(&p); got != tc.want {
				t.Errorf("filter = %v, want %v", got, tc.want)
			}
		})
	}
}
