package configcheck

import (
	"strings"
	"testing"

	"bitsdiag/samples/snapgen"
	"bitsdiag/snapshot"
)

// machineFrom parses every sample file of m as the shell wrote it.
func machineFrom(t *testing.T, m snapgen.Machine, shell snapgen.Shell) *Machine {
	t.Helper()
	var inputs []Input
	for _, f := range snapgen.Files(m, shell) {
		s, err := snapshot.Parse(f.Data, snapshot.Settings{CodePage: snapshot.CP850})
		if err == snapshot.ErrNotSnapshot && len(f.Data) <= 3 { // empty output (with or without BOM)
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		inputs = append(inputs, Input{Name: f.Name, Snap: s})
	}
	return Build(inputs)
}

func TestHealthySampleSetsYieldNoFindings(t *testing.T) {
	n := 0
	for _, s := range snapgen.Sets() {
		if !strings.HasPrefix(s.Name, "healthy-") {
			continue
		}
		n++
		if got := Check(machineFrom(t, s.Machine, s.Shell), nil); len(got) != 0 {
			t.Errorf("%s: %d findings, first %s: %s", s.Name, len(got), got[0].Item, got[0].Found)
		}
	}
	if n < 3 {
		t.Errorf("%d healthy sets", n)
	}
}

func TestHealthyMachinesYieldNoFindings(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    snapgen.Machine
		fam  Family
	}{
		{"windows10", snapgen.Windows10(), FamilyWin10},
		{"windows7", snapgen.Windows7(), FamilyWin7},
		{"windows81", snapgen.Windows81(), FamilyWin81},
	} {
		for _, shell := range []snapgen.Shell{snapgen.ShellCmd, snapgen.ShellPS51, snapgen.ShellPS7} {
			m := machineFrom(t, tc.m, shell)
			if m.Version.Family != tc.fam {
				t.Errorf("%s shell %d: family %v, want %v", tc.name, shell, m.Version.Family, tc.fam)
			}
			if !m.ImagePath.Known || !m.Privileges.Known || !m.Netsvcs.Known || !m.ServiceDll.Known || !m.SDDL.Known || !m.Actions.Known {
				t.Errorf("%s: not every item was read: %+v", tc.name, m)
			}
			if got := Check(m, nil); len(got) != 0 {
				for _, f := range got {
					t.Errorf("%s shell %d: unexpected finding %s: %s (found %q, expected %q)", tc.name, shell, f.Item, f.Title, f.Found, f.Expected)
				}
			}
		}
	}
}

// deviation is a sample set with one thing wrong and the finding it must give.
type deviation struct {
	name    string // snapgen set
	item    Item
	kbid    string
	row     string // article row, "" for a section
	command string // the corrective command the finding must carry
	absent  string // a text no command may contain (a wrong variant)
}

func deviations() []deviation {
	return []deviation{
		{"missing-win10", ItemService, "start-service-does-not-exist", "ERROR_SERVICE_DOES_NOT_EXIST",
			`sc.exe create BITS type= share start= delayed-auto binPath= "%SystemRoot%\System32\svchost.exe -k netsvcs -p"`, "EventSystem"},
		{"missing-win7", ItemService, "start-service-does-not-exist", "ERROR_SERVICE_DOES_NOT_EXIST", "sc.exe config bits depend= RpcSs/EventSystem", "-p"},
		{"not-in-netsvcs", ItemNetsvcs, "start-service-not-in-exe", "ERROR_SERVICE_NOT_IN_EXE", `/v netsvcs /t REG_MULTI_SZ /d "CertPropSvc\0SCPolicySvc`, ""},
		{"disabled-win10", ItemStart, "start-service-disabled", "ERROR_SERVICE_DISABLED", CmdStart, ""},
		{"disabled-win7", ItemStart, "start-service-disabled", "ERROR_SERVICE_DISABLED", CmdStart, ""},
		{"dependency-win10", ItemDependencies, "start-dependency", "ERROR_SERVICE_DEPENDENCY_DELETED ERROR_SERVICE_DEPENDENCY_FAIL", "sc.exe config bits depend= RpcSs", "EventSystem"},
		{"eventsystem-on-win10", ItemDependencies, "start-dependency", "ERROR_SERVICE_DEPENDENCY_DELETED ERROR_SERVICE_DEPENDENCY_FAIL", "sc.exe config bits depend= RpcSs", "EventSystem"},
		{"dependency-win7", ItemDependencies, "start-dependency", "ERROR_SERVICE_DEPENDENCY_DELETED ERROR_SERVICE_DEPENDENCY_FAIL", "sc.exe config bits depend= RpcSs/EventSystem", ""},
		{"no-parameters", ItemParameters, "start-file-not-found", "ERROR_FILE_NOT_FOUND", CmdServiceDll, ""},
		{"no-servicedll", ItemServiceDll, "start-file-not-found", "ERROR_FILE_NOT_FOUND", CmdServiceDll, ""},
		{"wrong-servicedll", ItemServiceDll, "start-file-not-found", "ERROR_FILE_NOT_FOUND", CmdServiceDll, ""},
		{"account", ItemAccount, "service-not-localsystem", "", CmdAccount, ""},
		{"image-path-no-p-win10", ItemImagePath, "service-repair", "", `sc.exe config bits binPath= "%SystemRoot%\System32\svchost.exe -k netsvcs -p"`, ""},
		{"image-path-pasted-win7", ItemImagePath, "service-repair", "", `sc.exe config bits binPath= "%SystemRoot%\System32\svchost.exe -k netsvcs"`, "-p"},
		{"type-interactive", ItemType, "service-repair", "", CmdType, ""},
		{"error-control", ItemErrorControl, "service-repair", "", CmdError, ""},
		{"privileges-win10", ItemPrivileges, "service-repair", "",
			"sc.exe privs bits SeCreateGlobalPrivilege/SeImpersonatePrivilege/SeTcbPrivilege/SeAssignPrimaryTokenPrivilege/SeIncreaseQuotaPrivilege/SeDebugPrivilege", ""},
		{"privileges-typo-win7", ItemPrivileges, "service-repair", "",
			"sc.exe privs bits SeCreateGlobalPrivilege/SeImpersonatePrivilege/SeTcbPrivilege/SeAssignPrimaryTokenPrivilege/SeIncreaseQuotaPrivilege", "SeDebugPrivilege"},
		{"sid-type", ItemSIDType, "service-repair", "", CmdSIDType, ""},
		{"failure-actions", ItemFailure, "service-repair", "", CmdFailure, ""},
		{"security", ItemSecurity, "service-repair", "", CmdSDSet, ""},
		{"job-limit-mismatch", ItemJobLimits, "job-limit-mismatch", "", CmdGPUpdate, ""},
		{"jobs-per-owner", ItemJobsPerOwner, "job-limit-reached", "", "bitsadmin.exe /cancel <job id>", ""},
		{"proxy-range-requests", ItemProxyRanges, "proxy-range-requests", "", "curl.exe -s -o NUL -D - -r 0-99 --proxy <proxy host:port> http://wsus.example.test:8530/Content/1A/0123.cab", ""},
	}
}

func TestEveryDeviationSetIsChecked(t *testing.T) {
	checked := map[string]bool{}
	for _, d := range deviations() {
		checked[d.name] = true
	}
	for _, s := range snapgen.Sets() {
		if !strings.HasPrefix(s.Name, "healthy-") && !checked[s.Name] {
			t.Errorf("sample set %s has no expected finding", s.Name)
		}
	}
}

func TestDeviationsYieldTheirFinding(t *testing.T) {
	for _, d := range deviations() {
		t.Run(d.name, func(t *testing.T) {
			set, ok := snapgen.SetByName(d.name)
			if !ok {
				t.Fatalf("no sample set %s", d.name)
			}
			sm := set.Machine
			for _, shell := range []snapgen.Shell{snapgen.ShellCmd, snapgen.ShellPS51} {
				got := Check(machineFrom(t, sm, shell), nil)
				var f *Finding
				for i := range got {
					if got[i].Item == d.item {
						f = &got[i]
					} else if d.item != ItemService {
						t.Errorf("extra finding %s: %s (found %q)", got[i].Item, got[i].Title, got[i].Found)
					}
				}
				if f == nil {
					t.Fatalf("no %s finding; got %+v", d.item, got)
				}
				if f.KBID != d.kbid || f.ArticleRow != d.row {
					t.Errorf("kb %q row %q, want %q %q", f.KBID, f.ArticleRow, d.kbid, d.row)
				}
				if f.Found == "" || f.Expected == "" || f.Section == "" {
					t.Errorf("finding lacks found/expected/section: %+v", f)
				}
				var all []string
				for _, s := range f.Fix {
					all = append(all, s.Commands...)
				}
				joined := strings.Join(all, "\n")
				if !strings.Contains(joined, d.command) {
					t.Errorf("commands %q lack %q", joined, d.command)
				}
				if d.absent != "" && strings.Contains(joined, d.absent) {
					t.Errorf("commands %q contain %q (wrong variant for %s)", joined, d.absent, sm.Product)
				}
				for _, c := range all {
					if strings.HasPrefix(c, "sc ") || strings.ContainsAny(c, "”“–") {
						t.Errorf("command %q is not pasteable", c)
					}
				}
			}
		})
	}
}

func TestUnknownVersionNamesEachVariant(t *testing.T) {
	sm := snapgen.Windows10()
	sm.Privileges = sm.Privileges[:3]
	var inputs []Input
	for _, f := range snapgen.Files(sm, snapgen.ShellPS7) {
		if f.Name == "reg-windows-version.txt" {
			continue
		}
		s, err := snapshot.Parse(f.Data, snapshot.Settings{})
		if err == nil {
			inputs = append(inputs, Input{Name: f.Name, Snap: s})
		}
	}
	m := Build(inputs)
	if m.Version.Family != FamilyUnknown {
		t.Fatalf("family %v", m.Version.Family)
	}
	got := Check(m, nil)
	if len(got) != 1 || got[0].Item != ItemPrivileges {
		t.Fatalf("findings %+v", got)
	}
	if len(got[0].Fix) < 3 || !strings.Contains(got[0].Fix[0].Text, "Windows 7") || !strings.Contains(got[0].Expected, "Windows 10 1703") {
		t.Errorf("variants not named: %+v", got[0])
	}
}

func TestPolicyMismatchMatchesEvents(t *testing.T) {
	sm := snapgen.Windows10()
	sm.Policy = [][2]any{{"MaxJobsPerUser", uint32(400)}}
	got := Check(machineFrom(t, sm, snapgen.ShellPS51), Events{16397: 3})
	if len(got) != 1 || got[0].Item != ItemJobLimits || len(got[0].Notes) == 0 || !strings.Contains(got[0].Notes[0], "3 event(s) 16397") {
		t.Fatalf("findings %+v", got)
	}
	if !strings.Contains(got[0].Found, "400") || !strings.Contains(got[0].Found, "300") {
		t.Errorf("found %q", got[0].Found)
	}
	af := got[0].Analyze()
	if af.KBID != "job-limit-mismatch" || af.DocSection != secLimits || len(af.Evidence) == 0 || !strings.Contains(af.Summary, "MaxJobsPerUser 400") {
		t.Errorf("analyze finding %+v", af)
	}
}

func TestJobsJoinByID(t *testing.T) {
	sm := snapgen.Windows10()
	sm.Jobs[0].State, sm.Jobs[0].ErrorCode, sm.Jobs[0].Context = "ERROR", 0x80072EE7, 5
	m := machineFrom(t, sm, snapgen.ShellPS51)
	if len(m.Jobs) != 1 {
		t.Fatalf("jobs %+v", m.Jobs)
	}
	j := m.Jobs[0]
	if j.ID != "70B45DD7-2A8B-4476-B67E-393821BFE542" || j.Owner != `NT AUTHORITY\SYSTEM` || j.ErrorCode == nil || *j.ErrorCode != 0x80072EE7 ||
		j.ErrorContext == nil || *j.ErrorContext != 5 || len(j.Files) == 0 {
		t.Errorf("job %+v", j)
	}
}
