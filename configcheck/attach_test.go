package configcheck

import (
	"context"
	"slices"
	"strings"
	"testing"

	"bitsdiag/analyze"
	"bitsdiag/samples/snapgen"
	"bitsdiag/snapshot"
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
		r, err := Attach(context.Background(), analyze.New(analyze.Options{}), nil, setFiles(set.Machine, set.Shell, d.name), snapshot.Settings{})
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
		r, err := Attach(context.Background(), analyze.New(analyze.Options{}), nil, setFiles(s.Machine, s.Shell, s.Name), snapshot.Settings{})
		if err != nil || len(r.Findings) != 0 || len(r.Configuration) != 1 {
			t.Errorf("%s: %v %+v", s.Name, err, r)
		}
	}
}
