package snapgen

import (
	"path"
	"strings"
)

// Set is one machine's snapshot collection: a healthy machine per Windows
// version, or one with a single deviation (a row of "BITS fails to start"
// or a section of the article).
type Set struct {
	Name    string
	Machine Machine
	Shell   Shell
}

func with(base func() Machine, f func(*Machine)) Machine {
	m := base()
	f(&m)
	return m
}

func without(list []string, name string) []string {
	var out []string
	for _, x := range list {
		if !strings.EqualFold(x, name) {
			out = append(out, x)
		}
	}
	return out
}

// Sets returns every sample set, healthy ones first. The shells vary so
// that the samples cover every encoding (cmd.exe: OEM; PowerShell 5.1:
// UTF-16LE with BOM; PowerShell 7: UTF-8).
func Sets() []Set {
	w10, w7 := Windows10, Windows7
	return []Set{
		{"healthy-win10", w10(), ShellPS51},
		{"healthy-win7", w7(), ShellCmd},
		{"healthy-win81", Windows81(), ShellPS7},
		// A French Windows 7 redirected by cmd.exe: OEM code page 850 bytes.
		{"healthy-win7-fr", with(w7, func(m *Machine) {
			m.StatusWord, m.DisplayName = "réussite(s)", "Service de transfert intelligent en arrière-plan"
		}), ShellCmd},
		{"missing-win10", with(w10, func(m *Machine) { m.Missing = true }), ShellPS51},
		{"missing-win7", with(w7, func(m *Machine) { m.Missing = true }), ShellCmd},
		{"not-in-netsvcs", with(w10, func(m *Machine) { m.Netsvcs = without(m.Netsvcs, "BITS") }), ShellCmd},
		{"disabled-win10", with(w10, func(m *Machine) { m.Start, m.Delayed = 4, false }), ShellPS51},
		{"disabled-win7", with(w7, func(m *Machine) { m.Start, m.Delayed = 4, false }), ShellCmd},
		{"dependency-win10", with(w10, func(m *Machine) { m.Depend = []string{"RpcSs", "LanmanWorkstation"} }), ShellPS51},
		{"eventsystem-on-win10", with(w10, func(m *Machine) { m.Depend = []string{"RpcSs", "EventSystem"} }), ShellCmd},
		{"dependency-win7", with(w7, func(m *Machine) { m.Depend = []string{"RpcSs"} }), ShellCmd},
		{"no-parameters", with(w10, func(m *Machine) { m.Parameters, m.ServiceDll, m.UnloadOnStop = false, "", false }), ShellPS51},
		{"no-servicedll", with(w7, func(m *Machine) { m.ServiceDll = "" }), ShellCmd},
		{"wrong-servicedll", with(w10, func(m *Machine) { m.ServiceDll = `C:\Users\Public\evil.dll` }), ShellPS7},
		{"account", with(w10, func(m *Machine) { m.ObjectName = `NT AUTHORITY\LocalService` }), ShellPS51},
		{"image-path-no-p-win10", with(w10, func(m *Machine) { m.ImagePath = `%SystemRoot%\System32\svchost.exe -k netsvcs` }), ShellCmd},
		{"image-path-pasted-win7", with(w7, func(m *Machine) { m.ImagePath = "”%systemroot%\\system32\\svchost.exe –k netsvcs“" }), ShellPS51},
		{"type-interactive", with(w7, func(m *Machine) { m.Type = 0x120 }), ShellCmd},
		{"error-control", with(w10, func(m *Machine) { m.ErrorControl = 0 }), ShellPS51},
		{"privileges-win10", with(w10, func(m *Machine) { m.Privileges = m.Privileges[:5] }), ShellPS51},
		{"privileges-typo-win7", with(w7, func(m *Machine) { m.Privileges = append(m.Privileges[:4:4], "SeIncreateQuotaPrivilege") }), ShellCmd},
		{"sid-type", with(w10, func(m *Machine) { m.SIDType = 0 }), ShellPS51},
		{"failure-actions", with(w10, func(m *Machine) { m.ResetPeriod, m.Actions = 0, nil }), ShellCmd},
		{"security", with(w10, func(m *Machine) { m.SDDL = `D:(D;;RPWP;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)` }), ShellPS51},
		{"job-limit-mismatch", with(w10, func(m *Machine) {
			m.Policy = [][2]any{{"MaxJobsPerMachine", uint32(100)}, {"MaxJobsPerUser", uint32(200)}}
		}), ShellCmd},
		{"jobs-per-owner", with(w10, func(m *Machine) {
			m.Policy = [][2]any{{"MaxJobsPerMachine", uint32(300)}, {"MaxJobsPerUser", uint32(2)}}
			m.Jobs = append(m.Jobs,
				Job{ID: "{11111111-2222-3333-4444-555555555555}", Name: "a", Owner: `CONTOSO\alice`, State: "ERROR", ErrorCode: 0x80072EE7, Context: 5, URL: "http://x.test/a", Local: `C:\a`, BytesTotal: -1},
				Job{ID: "{11111111-2222-3333-4444-555555555556}", Name: "b", Owner: `CONTOSO\alice`, State: "QUEUED", URL: "http://x.test/b", Local: `C:\b`, BytesTotal: -1})
		}), ShellPS51},
		{"proxy-range-requests", with(w10, func(m *Machine) {
			m.IEProxy = "http://10.0.0.1:8080"
			m.Jobs[0].State, m.Jobs[0].ErrorCode, m.Jobs[0].Context, m.Jobs[0].BytesDone, m.Jobs[0].BytesTotal = "ERROR", 0x80200013, 5, 0, 1024
		}), ShellCmd},
	}
}

// SetByName returns the named set, or false.
func SetByName(name string) (Set, bool) {
	for _, s := range Sets() {
		if s.Name == name {
			return s, true
		}
	}
	return Set{}, false
}

// Output is one file the samples generator writes, relative to samples/.
type Output struct {
	Path string
	Data []byte
}

// Outputs returns every sample file: snapshots/README.md and
// snapshots/<set>/<collection file name>.
func Outputs() []Output {
	out := []Output{{Path: "snapshots/README.md", Data: []byte(readme)}}
	for _, s := range Sets() {
		for _, f := range Files(s.Machine, s.Shell) {
			if len(f.Data) <= 3 {
				continue // empty output (Get-BitsTransfer without jobs)
			}
			out = append(out, Output{Path: path.Join("snapshots", s.Name, f.Name), Data: f.Data})
		}
	}
	return out
}
