package configcheck

import (
	"reflect"
	"strings"
	"testing"

	"bitsdiag/analyze"
)

// config-kb.json holds the repair procedure per version; it must say what
// the code says, and every finding's kb id must exist.
func TestConfigKBMatchesCode(t *testing.T) {
	kb, err := analyze.LoadKB()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[Family]string{FamilyWin7: "win7", FamilyWin81: "win81", FamilyWin10Early: "win10-early", FamilyWin10: "win10"}
	for _, f := range Families {
		p := kb.Procedure("repair-config-" + ids[f])
		if p == nil || len(p.Steps) < 2 {
			t.Fatalf("procedure for %v missing: %+v", f, p)
		}
		if !reflect.DeepEqual(p.Steps[0].Commands, RepairProcedure(f)) {
			t.Errorf("%v: kb commands %q\ncode %q", f, p.Steps[0].Commands, RepairProcedure(f))
		}
		if !reflect.DeepEqual(p.Corrections, Corrections) {
			t.Errorf("%v: corrections differ", f)
		}
		joined := strings.Join(p.Steps[0].Commands, "\n")
		switch f {
		case FamilyWin10:
			if !strings.Contains(joined, "-k netsvcs -p") || strings.Contains(joined, "EventSystem") || !strings.Contains(joined, "SeDebugPrivilege") {
				t.Errorf("Windows 10 variant wrong: %s", joined)
			}
		case FamilyWin7, FamilyWin81:
			if strings.Contains(joined, "-p") || !strings.Contains(joined, "RpcSs/EventSystem") || strings.Contains(joined, "SeDebugPrivilege") {
				t.Errorf("%v variant wrong: %s", f, joined)
			}
		}
	}
	for _, d := range deviations() {
		if kb.ByID(d.kbid) == nil {
			t.Errorf("kb id %q of %s does not exist", d.kbid, d.name)
		}
	}
}
