package configcheck

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite analyze/kbdata/config-kb.json from RepairProcedure")

const configKBPath = "../analyze/kbdata/config-kb.json"

// configKB renders config-kb.json from the code.
func configKB() []byte {
	type step struct {
		Text     string   `json:"text,omitempty"`
		Commands []string `json:"commands,omitempty"`
		Use      string   `json:"use,omitempty"`
	}
	type proc struct {
		ID          string   `json:"id"`
		Title       string   `json:"title"`
		Section     string   `json:"section"`
		Comment     string   `json:"comment,omitempty"`
		Steps       []step   `json:"steps"`
		Corrections []string `json:"corrections"`
	}
	ids := map[Family]string{FamilyWin7: "win7", FamilyWin81: "win81", FamilyWin10Early: "win10-early", FamilyWin10: "win10"}
	var ps []proc
	for _, f := range Families {
		ps = append(ps, proc{
			ID: "repair-config-" + ids[f], Title: "Repairing a corrupted BITS configuration on " + f.String(), Section: secRepair,
			Comment: "Generated from configcheck.RepairProcedure (go test ./configcheck -update); do not edit by hand.",
			Steps: []step{{Text: "Only when every other fix has failed: from a Command Prompt opened as an administrator, enter the BITS configuration of " + f.String() +
				" again, one command per line. sc.exe privs replaces the whole privilege list, so the list names every privilege. The last command recreates Parameters\\ServiceDll; typed at the prompt, ^% keeps %SystemRoot% unexpanded.",
				Commands: RepairProcedure(f)}, {Use: "restart-bits"}},
			Corrections: Corrections,
		})
	}
	out := struct {
		Schema     int    `json:"schema"`
		Comment    string `json:"comment"`
		Procedures []proc `json:"procedures"`
	}{1, "bitsdiag configuration check (issue 14): the article's repair procedure per Windows version, from the real registry hives of shared/reference/config-facts.md section 3.", ps}
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetIndent("", "  ")
	e.SetEscapeHTML(false)
	e.Encode(out)
	return b.Bytes()
}

func TestConfigKBUpToDate(t *testing.T) {
	want := configKB()
	if *update {
		if err := os.WriteFile(configKBPath, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(configKBPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the code: run go test ./configcheck -update", configKBPath)
	}
}
