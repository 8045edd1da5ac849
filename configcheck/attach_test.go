package configcheck

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"bitsdiag/analyze"
	"bitsdiag/parse"
	"bitsdiag/samples/snapgen"
)

func setFiles(m snapgen.Machine, shell snapgen.Shell, dir string) []File {
	var out []File
	for _, f := range snapgen.Files(m, shell) {
		out = append(out, File{Name: dir + "/" + f.Name, Data: f.Data})
	}
	return out
}

// Every deviation set, through the analysis (the non-event source): its
// finding comes from the item's config-kb.json entry, with found and
// expected values and the corrective command for the version; every item
// entry of the knowledge base with a deviation set is reached.
func TestDeviationsThroughTheAnalysis(t *testing.T) {
	reached := map[string]bool{}
	for _, d := range deviations() {
		set, _ := snapgen.SetByName(d.name)
		r, err := Attach(context.Background(), analyze.New(analyze.Options{}), nil, setFiles(set.Machine, set.Shell, d.name), AttachOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var f *analyze.Finding
		for i := range r.Findings {
			if r.Findings[i].KBID == d.item.KBID() {
				f = &r.Findings[i]
			}
		}
		if f == nil {
			t.Errorf("%s: no %s finding: %+v", d.name, d.item.KBID(), r.Findings)
			continue
		}
		reached[f.KBID] = true
		var cmds []string
		for _, s := range f.Fix {
			cmds = append(cmds, s.Commands...)
		}
		if !strings.Contains(strings.Join(cmds, "\n"), d.command) || !strings.Contains(f.Summary, "Found ") || !strings.Contains(f.Summary, "expected for") {
			t.Errorf("%s: summary %q, commands %q", d.name, f.Summary, cmds)
		}
		if f.DocSection == "" || len(f.Evidence) == 0 || f.Evidence[0].File == "" {
			t.Errorf("%s: section %q evidence %+v", d.name, f.DocSection, f.Evidence)
		}
		if len(r.Configuration) != 1 || !slices.Contains(r.Configuration[0].Findings, f.ID) {
			t.Errorf("%s: configuration %+v", d.name, r.Configuration)
		}
	}
	for _, it := range allItems {
		if _, hasSet := map[Item]bool{ItemAccess: true, ItemUnloadOnStop: true}[it]; !hasSet && !reached[it.KBID()] {
			t.Errorf("entry %s: no sample set reaches it", it.KBID())
		}
	}
	// Healthy sets: no finding at all.
	for _, s := range snapgen.Sets() {
		if !strings.HasPrefix(s.Name, "healthy-") {
			continue
		}
		r, err := Attach(context.Background(), analyze.New(analyze.Options{}), nil, setFiles(s.Machine, s.Shell, s.Name), AttachOptions{})
		if err != nil || len(r.Findings) != 0 || len(r.Configuration) != 1 {
			t.Errorf("%s: %v %+v", s.Name, err, r)
		}
	}
}

// The generic repair procedure in a finding of the logs becomes the
// machine's variant, or every variant with its condition.
func TestVersionedRepair(t *testing.T) {
	kb, err := analyze.LoadKB()
	if err != nil {
		t.Fatal(err)
	}
	gen := kb.Procedure("repair-config")
	f := analyze.Finding{Fix: append([]analyze.Step{{Text: "First check."}}, gen.Steps...)}
	one := f
	one.Fix = append([]analyze.Step(nil), f.Fix...)
	versionedRepair(&one, kb, Version{Family: FamilyWin81})
	if one.Fix[0].Text != "First check." || !slices.Equal(one.Fix[1].Commands, RepairProcedure(FamilyWin81)) || len(one.Fix) != 1+len(kb.Procedure("repair-config-win81").Steps) {
		t.Errorf("Windows 8.1: %+v", one.Fix)
	}
	all := f
	all.Fix = append([]analyze.Step(nil), f.Fix...)
	versionedRepair(&all, kb, Version{})
	n := 0
	for _, s := range all.Fix {
		for _, fam := range Families {
			if strings.HasPrefix(s.Text, "On "+fam.String()+": ") && slices.Equal(s.Commands, RepairProcedure(fam)) {
				n++
			}
		}
	}
	restarts := 0
	for _, s := range all.Fix {
		if strings.HasPrefix(s.Text, "From a Command Prompt opened as a local administrator, stop BITS") {
			restarts++
		}
	}
	if restarts != 1 {
		t.Errorf("the shared restart step appears %d times", restarts)
	}
	if n != len(Families) {
		t.Errorf("unknown version: %d of %d variants with their condition: %+v", n, len(Families), all.Fix)
	}
}

// Two machines' folders: each is checked on its own and named by its
// snapshots; a deviation of one is not reported for the other.
func TestTwoMachines(t *testing.T) {
	a := snapgen.Windows10()
	a.Computer = "PC-A"
	b := snapgen.Windows7()
	b.Computer = "PC-B"
	b.Start, b.Delayed = 4, false
	files := append(setFiles(a, snapgen.ShellPS51, "case/PC-A"), setFiles(b, snapgen.ShellCmd, "case/PC-B")...)
	r, err := Attach(context.Background(), analyze.New(analyze.Options{}), nil, files, AttachOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Configuration) != 2 || r.Configuration[0].Computer != "PC-A" || r.Configuration[1].Computer != "PC-B" ||
		len(r.Configuration[0].Findings) != 0 || len(r.Configuration[1].Findings) != 1 || !strings.Contains(r.Configuration[1].Windows, "Windows 7") {
		t.Fatalf("configuration %+v", r.Configuration)
	}
	if len(r.Findings) != 1 || !slices.Equal(r.Findings[0].Computers, []string{"PC-B"}) || r.Findings[0].KBID != "config-start-type" {
		t.Errorf("findings %+v", r.Findings)
	}
}

// The same machine's snapshots in two folders (a zip and its extracted
// copy) are one machine: one check, each deviation once.
func TestSameMachineTwice(t *testing.T) {
	m := snapgen.Windows10()
	m.Start, m.Delayed = 4, false
	files := append(setFiles(m, snapgen.ShellPS51, "case/bitsdiag-PC1"), setFiles(m, snapgen.ShellPS51, "case.zip!bitsdiag-PC1")...)
	r, err := Attach(context.Background(), analyze.New(analyze.Options{}), nil, files, AttachOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Configuration) != 1 || r.Configuration[0].Computer != "PC1" || len(r.Findings) != 1 || r.Findings[0].Count != 1 {
		t.Fatalf("configuration %+v, findings %+v", r.Configuration, r.Findings)
	}
}

// Snapshots that do not name the version (no reg-windows-version.txt): the
// version comes from the computer's System event 6009, else it is unknown.
func TestVersionFromEventLog(t *testing.T) {
	m := snapgen.Windows7()
	var files []File
	for _, f := range setFiles(m, snapgen.ShellCmd, "case/PC1") {
		if !strings.HasSuffix(f.Name, "/reg-windows-version.txt") {
			files = append(files, f)
		}
	}
	for _, tc := range []struct {
		name, data, windows, from string
	}{
		{"6009", "6.01.,7601,Service Pack 1,Multiprocessor Free,17514", "Windows 7", "System event 6009"},
		{"none", "", "unknown", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := analyze.New(analyze.Options{})
			if tc.data != "" {
				a.AddEvent(&parse.Event{Source: parse.Source{File: "case/PC1/System.evtx"}, RecordID: 7, TimeCreated: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC),
					Computer: "PC1", Channel: "System", Provider: analyze.ProviderEventLog, EventID: 6009, Data: []parse.Field{{Name: "Data", Value: tc.data}}})
			}
			r, err := Attach(context.Background(), a, nil, files, AttachOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Configuration) != 1 || !strings.Contains(r.Configuration[0].Windows, tc.windows) || !strings.Contains(r.Configuration[0].WindowsFrom, tc.from) {
				t.Fatalf("configuration %+v", r.Configuration)
			}
		})
	}
}
