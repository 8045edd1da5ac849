package configcheck

import (
	"strings"
	"testing"
	"time"

	"bitsdiag/samples/snapgen"
	"bitsdiag/snapshot"
)

func TestAnalyzeInventory(t *testing.T) {
	set, _ := snapgen.SetByName("disabled-win10")
	var files []File
	for _, f := range snapgen.Files(set.Machine, set.Shell) {
		files = append(files, File{Name: "PC1/" + f.Name, Data: f.Data})
	}
	files = append(files,
		File{Name: "PC1/sc-qc.txt.bak", Data: []byte("[SC] QueryServiceConfig SUCCESS\r\n\r\nSERVICE_NAME: bits\r\n        TYPE               : 20  WIN32_SHARE_PROCESS\r\n")},
		File{Name: "PC1/notes.txt", Data: []byte("call the customer back\r\n")},
		File{Name: "PC2/sc-qprivs.txt", Data: []byte{0xFF, 0xFE}}, // PowerShell 5.1 `sc qprivs bits > sc-qprivs.txt`
	)
	res := Analyze(files, Options{Events: Events{}})
	status := map[string]InventoryItem{}
	for _, it := range res.Inventory {
		status[it.Name] = it
	}
	if it := status["PC1/sc-qc.txt"]; it.Status != StatusRead || it.Kind != snapshot.KindSCQC || it.Encoding != snapshot.EncodingUTF16LEBOM {
		t.Errorf("sc-qc: %+v", it)
	}
	if it := status["PC1/sc-qc.txt.bak"]; it.Status != StatusUnreadable || !strings.Contains(it.Reason, "START_TYPE") {
		t.Errorf("truncated qc: %+v", it)
	}
	if it := status["PC1/notes.txt"]; it.Status != StatusNotOurs {
		t.Errorf("notes: %+v", it)
	}
	if it := status["PC2/sc-qprivs.txt"]; it.Status != StatusUnreadable || !strings.Contains(it.Reason, "sc.exe") {
		t.Errorf("empty sc file: %+v", it)
	}
	if len(res.Findings) != 1 || res.Findings[0].Item != ItemStart {
		t.Fatalf("findings %+v", res.Findings)
	}
	f := res.Findings[0]
	if f.Item.EventID() == 0 || f.Fields()["commands"] == "" || !strings.Contains(f.Fields()["found"], "DISABLED") {
		t.Errorf("fact fields %+v", f.Fields())
	}
	af := f.Analyze()
	if af.KBID != "start-service-disabled" || af.Codes[0] != "0x80070422" || !strings.Contains(af.Summary, "Windows 10 1703") {
		t.Errorf("analyze finding %+v", af)
	}
}

func TestEventVersionUsedWhenSnapshotsLackIt(t *testing.T) {
	set, _ := snapgen.SetByName("privileges-win10")
	var files []File
	for _, f := range snapgen.Files(set.Machine, set.Shell) {
		if f.Name != "reg-windows-version.txt" {
			files = append(files, File{Name: f.Name, Data: f.Data})
		}
	}
	res := Analyze(files, Options{EventVersion: VersionFromBuild(19045, "System.evtx")})
	if res.Machine.Version.Family != FamilyWin10 || len(res.Findings) != 1 || len(res.Findings[0].Fix) != 2 {
		t.Errorf("version %+v findings %+v", res.Machine.Version, res.Findings)
	}
}

func TestContradictionWithEventsIsSaid(t *testing.T) {
	set, _ := snapgen.SetByName("disabled-win7")
	var files []File
	for _, f := range snapgen.Files(set.Machine, set.Shell) {
		files = append(files, File{Name: f.Name, Data: f.Data})
	}
	ran := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	res := Analyze(files, Options{ServiceRanAt: ran})
	if len(res.Findings) != 1 || len(res.Findings[0].Notes) != 1 || !strings.Contains(res.Findings[0].Notes[0], "2026-11-30T08:00:00Z") {
		t.Fatalf("%+v", res.Findings)
	}
	if res.Machine.Computer.Value != "PC1" {
		t.Errorf("computer %+v", res.Machine.Computer)
	}
	if j := res.Machine.JobsByID(); len(j) != 0 {
		t.Errorf("jobs %+v", j)
	}
}

// A reg query of single values says nothing about values or subkeys it did not ask for.
func TestSingleValueQueryProvesNoAbsence(t *testing.T) {
	q := "\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\BITS\r\n    ImagePath    REG_EXPAND_SZ    %SystemRoot%\\System32\\svchost.exe -k netsvcs -p\r\n\r\n"
	res := Analyze([]File{{Name: "q.txt", Data: []byte(q)}}, Options{EventVersion: VersionFromBuild(19045, "logs")})
	if len(res.Findings) != 0 || res.Machine.Parameters.Known || res.Machine.Depend.Known {
		t.Errorf("findings %+v machine %+v", res.Findings, res.Machine)
	}
}
