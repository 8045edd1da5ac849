package configcheck

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"testing"

	"bitsdiag/analyze"
)

var update = flag.Bool("update", false, "rewrite analyze/kbdata/config-kb.json from RepairProcedure")

const configKBPath = "../analyze/kbdata/config-kb.json"

// configKB renders config-kb.json from the code.
func configKB() []byte {
	type step struct {
		Text     string   `json:"text,omitempty"`
		Commands []string `json:"commands,omitempty"`
		Shell    string   `json:"shell,omitempty"`
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
				Commands: RepairProcedure(f), Shell: string(analyze.ShellCmd)}, {Use: "restart-bits"}},
			Corrections: Corrections,
		})
	}
	type sig struct {
		Provider string            `json:"provider"`
		EventID  uint16            `json:"event_id"`
		Match    map[string]string `json:"match"`
		Severity analyze.Severity  `json:"severity"`
	}
	type entry struct {
		ID       string           `json:"id"`
		Kind     string           `json:"kind"`
		Title    string           `json:"title"`
		Severity analyze.Severity `json:"severity"`
		Events   []sig            `json:"events"`
		Cause    string           `json:"cause"`
		Fix      []step           `json:"fix"`
		Verify   []step           `json:"verify"`
		Section  string           `json:"section"`
		Comment  string           `json:"comment"`
	}
	type rule struct {
		Provider   string   `json:"provider"`
		EventID    uint16   `json:"event_id"`
		Policy     string   `json:"policy"`
		CodeFields []string `json:"code_fields,omitempty"`
		Scope      string   `json:"scope"`
		NoStatus   bool     `json:"no_status,omitempty"`
		Comment    string   `json:"comment"`
	}
	var es []entry
	var rs []rule
	for _, it := range allItems {
		ie := itemEntries[it]
		var sigs []sig
		for _, sev := range []analyze.Severity{analyze.SeverityError, analyze.SeverityWarning, analyze.SeverityInfo} {
			sigs = append(sigs, sig{analyze.ProviderConfig, it.EventID(), map[string]string{analyze.CfgSeverity: string(sev)}, sev})
		}
		es = append(es, entry{ID: it.KBID(), Kind: "section", Title: ie.title, Severity: ie.entrySeverity(), Events: sigs, Cause: ie.cause,
			Fix:     []step{{Text: "The finding gives the command that corrects this item for the machine's Windows version."}},
			Verify:  []step{{Text: "Run the collection script (bitsdiag collect) again and bitsdiag report on the new zip: the finding is gone."}},
			Section: ie.section, Comment: "Configuration item " + string(it) + "; generated from configcheck (go test ./configcheck -update)."})
		rs = append(rs, rule{Provider: analyze.ProviderConfig, EventID: it.EventID(), Policy: "event-first", Scope: "service", NoStatus: true,
			Comment: "a deviation of item " + string(it) + " found in the configuration snapshots"})
	}
	for id := uint16(len(allItems) + 1); id <= analyze.MaxConfigItem; id++ {
		rs = append(rs, rule{Provider: analyze.ProviderConfig, EventID: id, Policy: "event-first", Scope: "service", NoStatus: true,
			Comment: "reserved for a future configuration item"})
	}
	rs = append(rs, rule{Provider: analyze.ProviderConfig, EventID: analyze.ConfigLiveJob, Policy: "event-first", Scope: "job", NoStatus: true,
		Comment: "a job of a live listing (bitsadmin, Get-BitsTransfer): joins the logged job of the same id; no finding of its own (no signature names it), the logs' findings about the job note its live state"})
	out := struct {
		Schema     int     `json:"schema"`
		Comment    string  `json:"comment"`
		Procedures []proc  `json:"procedures"`
		Entries    []entry `json:"entries"`
		EventRules []rule  `json:"event_rules"`
	}{1, "bitsdiag configuration check (issue 14): the article's repair procedure per Windows version, from the real registry hives of shared/reference/config-facts.md section 3; one entry per configuration item and the rules of the configuration snapshot source (pseudo provider " + analyze.ProviderConfig + ").", ps, es, rs}
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
