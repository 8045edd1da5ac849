package analyze

import (
	"slices"
	"testing"

	"bitsdiag/parse"
)

// osEv is System event 6009 as Windows writes it: one string-array <Data>,
// which the reader renders as its values joined by commas.
func osEv(rec uint64, min int, computer, data string) *parse.Event {
	e := sysEv(ProviderEventLog, rec, min, 6009, nil, "Data", data)
	e.Computer = computer
	return e
}

func TestWindowsFromFact(t *testing.T) {
	for _, tc := range []struct {
		data, want, sp string
		build          int
		ok             bool
	}{
		{"10.00.,19045,,Multiprocessor Free,0", "10.0.19045", "", 19045, true},
		{"6.01.,7601,Service Pack 1,Multiprocessor Free,17514", "6.1.7601", "Service Pack 1", 7601, true},
		{"10.00.,x,,Multiprocessor Free,0", "", "", 0, false},
		{"10.00.", "", "", 0, false},
		{"", "", "", 0, false},
		{"10,19045", "", "", 0, false},
	} {
		f := &Fact{Data: []parse.Field{{Name: "Data", Value: tc.data}}}
		v, ok := windowsFromFact(f)
		if ok != tc.ok || v.Version != tc.want || v.Build != tc.build || v.ServicePack != tc.sp {
			t.Errorf("%q: got %+v %v, want %s build %d sp %q %v", tc.data, v, ok, tc.want, tc.build, tc.sp, tc.ok)
		}
	}
	// Several unnamed <Data> (Data1..Data5) read the same.
	f := &Fact{Data: []parse.Field{{Name: "Data1", Value: "10.00."}, {Name: "Data2", Value: "17763"}, {Name: "Data3", Value: ""}}}
	if v, ok := windowsFromFact(f); !ok || v.Version != "10.0.17763" {
		t.Errorf("Data1..: %+v %v", v, ok)
	}
}

func TestWindowsCondition(t *testing.T) {
	v := WindowsVersion{Major: 10, Minor: 0, Build: 17134}
	old := WindowsVersion{Major: 6, Minor: 1, Build: 7601}
	for _, tc := range []struct {
		v    WindowsVersion
		cond string
		want bool
	}{
		{v, ">=10.0.17134", true}, {v, "<10.0.17134", false}, {old, "<10.0.17134", true},
		{old, ">=10.0.17134", false}, {v, ">=10.0.17763", false}, {v, "10.0.17134", false},
	} {
		if got := tc.v.meets(tc.cond); got != tc.want {
			t.Errorf("%+v meets %q = %v", tc.v, tc.cond, got)
		}
	}
	for _, bad := range []string{"10.0", "=10.0.1", ">=a.b.c", ""} {
		if _, _, err := parseWindowsCond(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestOSVersionIsContext: 6009 gives the computer's version in the evidence
// matrix but is not an analysed record: a System log with no BITS event has
// the same records_analysed, window, coverage and verdict with and without it.
func TestOSVersionIsContext(t *testing.T) {
	scm := sysEv(ProviderSCM, 10, 5, 7036, u16("BITS")[:0], "param1", bitsDisplayName, "param2", "running")
	without := analyse(t, Options{}, scm)
	with := analyse(t, Options{}, scm, osEv(1, 0, "PC1", "10.00.,19045,,Multiprocessor Free,0"), osEv(2, 900, "PC1", "10.00.,19044,,Multiprocessor Free,0"))
	if !defaultSel.Relevant(osEv(1, 0, "PC1", "")) || defaultSel.Analysed().Relevant(osEv(1, 0, "PC1", "")) {
		t.Error("6009 must be read for the report but not printed by events without --all")
	}
	if with.Verdict != without.Verdict || !with.Window.Start.Equal(without.Window.Start) || !with.Window.End.Equal(without.Window.End) ||
		mustJSON(t, with.Coverage) != mustJSON(t, without.Coverage) || mustJSON(t, with.Inputs) != mustJSON(t, without.Inputs) {
		t.Errorf("6009 changed the analysis:\n%s\n%s", mustJSON(t, with.Coverage), mustJSON(t, without.Coverage))
	}
	w, ok := with.WindowsOf("PC1")
	if !ok || w.Version != "10.0.19044" || w.RecordID != 2 {
		t.Errorf("version %+v %v, want the newest boot's 10.0.19044", w, ok)
	}
	if _, ok := without.WindowsOf("PC1"); ok {
		t.Error("version without 6009")
	}
	// Another provider's 6009 and the EventLog's other events are not it.
	other := osEv(3, 0, "PC1", "10.00.,19045,,,0")
	other.EventID = 6005
	if defaultSel.Relevant(other) {
		t.Error("6005 kept")
	}
}

// TestWindowsVariant: the range-support entry's steps use curl.exe, which
// Windows has from 10.0.17134; on an older version (from 6009) the variant
// without curl.exe is chosen, and with no version the entry's own steps.
func TestWindowsVariant(t *testing.T) {
	fail := featureMissing(20, 10, xfer1, "0x80200013")
	for _, tc := range []struct {
		name, data, variant string
		curl                bool
	}{
		{"windows 7", "6.01.,7601,Service Pack 1,Multiprocessor Free,0", "windows <10.0.17134", false},
		{"windows 10 1809", "10.00.,17763,,Multiprocessor Free,0", "", true},
		{"unknown", "", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evs := []*parse.Event{fail}
			if tc.data != "" {
				evs = append(evs, osEv(1, 0, "PC1", tc.data))
			}
			f := findingByKB(analyse(t, Options{}, evs...), "job-insufficient-range-support")
			if f == nil {
				t.Fatal("no finding")
			}
			curl := slices.ContainsFunc(append(f.Fix, f.Verify...), func(s Step) bool {
				return slices.ContainsFunc(s.Commands, func(c string) bool { return len(c) > 8 && c[:8] == "curl.exe" })
			})
			if f.Variant != tc.variant || curl != tc.curl {
				t.Errorf("variant %q, curl %v; want %q, %v", f.Variant, curl, tc.variant, tc.curl)
			}
		})
	}
}

// TestCorpusWindowsVersion: the corpus System logs that hold event 6009
// give each computer's version (MANIFEST.md lists the files; the versions
// are those of their 6009 records); the two without 6009 give none.
func TestCorpusWindowsVersion(t *testing.T) {
	for _, tc := range []struct {
		file     string
		versions map[string]string // computer -> version
	}{
		{"system/tugix456_randaodcxjj_System.evtx", map[string]string{"DESKTOP-HB59U74": "10.0.19045", "WIN-U86O5IH36UE": "10.0.19045"}},
		{"system/plaso_test_data_System.evtx", map[string]string{"DC1.internal.greendale.edu": "6.1.7601 Service Pack 1", "37L4247F27-26": "6.1.7601 Service Pack 1"}},
		{"system/anotherc0ne_EventLog_System.evtx", map[string]string{"ASLWinClient.aperture.sci": "10.0.20348", "EC2AMAZ-NEUK2LF": "10.0.20348"}},
		{"system/fukusuket_evtx-parser_System.evtx", map[string]string{"FUKUSUKE16E9": "10.0.22000"}},
		{"system/nanw01_python-algrothm_System_truncated.evtx", map[string]string{"DESKTOP-29U0NPI": "10.0.17763"}},
		{"system/omerbenamram_evtx_samples_system.evtx", map[string]string{"DESKTOP-2KGM189": "10.0.15063"}},
		{"system/sdkeaglesoftware_demo_System.evtx", map[string]string{"WIN-AIRSIL7JFQV": "10.0.14393"}},
		{"system/jtgsystems_Ultimate-Bat-File_SystemLog.evtx", map[string]string{"unknowndevicex": "10.0.26100"}},
		{"system/aaronthopliss_hello-world_System.evtx", map[string]string{"MINWINPC": "10.0.10586"}},
		{"system/sbousseaden_DE_WinEventLogSvc_Crash_System_7036.evtx", nil},
		{"system/4renwald_evtx-python_System.evtx", nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			r := analyseCorpus(t, tc.file)
			for c, want := range tc.versions {
				if v, ok := r.WindowsOf(c); !ok || v.String() != want {
					t.Errorf("%s: %q %v, want %q", c, v.String(), ok, want)
				}
			}
			if tc.versions == nil && len(r.windows) != 0 {
				t.Errorf("versions %v from a log without 6009", r.windows)
			}
			for _, ce := range r.Matrix {
				if want, ok := tc.versions[ce.Computer]; ok && (ce.Windows == nil || ce.Windows.String() != want) {
					t.Errorf("matrix row %s: %+v, want %s", ce.Computer, ce.Windows, want)
				}
			}
		})
	}
}
