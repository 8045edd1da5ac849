package configcheck

import (
	"fmt"
	"strings"

	"bitsdiag/snapshot"
)

// Input is one snapshot file of a machine.
type Input struct {
	Name string // file name as the inventory shows it
	Snap *snapshot.Snapshot
}

// Obs is one observed value with the file (and line) it came from.
type Obs[T any] struct {
	Value T
	Known bool
	From  string
}

func (o *Obs[T]) set(v T, from string) {
	if !o.Known {
		o.Value, o.Known, o.From = v, true, from
	}
}

// Machine is the BITS configuration one machine's snapshots show. The
// registry is preferred over sc.exe output when both are present.
type Machine struct {
	Version  Version
	Computer Obs[string] // ActiveComputerName: matches the Computer of the machine's events

	Missing      Obs[bool] // sc.exe said FAILED 1060
	AccessDenied []string  // files whose command failed with error 5 / 0x80070005

	ImagePath    Obs[string]
	Type         Obs[uint32]
	Start        Obs[uint32]
	Delayed      Obs[bool]
	ErrorControl Obs[uint32]
	Account      Obs[string]
	Depend       Obs[[]string]
	Privileges   Obs[[]string]
	SIDType      Obs[uint32] // 0 NONE, 1 UNRESTRICTED, 3 RESTRICTED
	ResetPeriod  Obs[uint32]
	Actions      Obs[[]snapshot.FailureAction]
	SDDL         Obs[string]

	Parameters   Obs[bool] // the Parameters key exists
	ServiceDll   Obs[string]
	UnloadOnStop Obs[bool]

	Netsvcs Obs[[]string]

	PolicySeen   Obs[bool]
	PolicyValues map[string]Obs[uint32] // BITS policy DWORDs by lower-case name

	Jobs        []Job // from bitsadmin and Get-BitsTransfer, one per job id
	WinHTTP     *snapshot.WinHTTPProxy
	IEProxies   []*snapshot.IEProxySetting
	RuntimeType Obs[uint32]
	State       Obs[uint32]
}

// Job is a job from a live listing, ready to be joined with the jobs the
// event logs reconstruct: ID is upper case without braces, the form
// analyze uses for job ids.
type Job struct {
	ID      string
	Source  string        // file name
	Listing snapshot.Kind // KindBitsadminList or KindBitsTransfer
	snapshot.Job
}

var sidTypes = map[string]uint32{"NONE": 0, "UNRESTRICTED": 1, "RESTRICTED": 3}

// Build merges a machine's snapshots.
func Build(inputs []Input) *Machine {
	m := &Machine{PolicyValues: map[string]Obs[uint32]{}}
	// Registry first (preferred), then sc.exe, then the rest.
	for pass := 0; pass < 2; pass++ {
		for _, in := range inputs {
			if in.Snap == nil {
				continue
			}
			isReg := in.Snap.Registry != nil
			if (pass == 0) != isReg {
				continue
			}
			if isReg {
				m.addRegistry(in.Name, in.Snap.Registry)
			} else {
				m.addOther(in.Name, in.Snap)
			}
		}
	}
	return m
}

func at(name string, line int) string {
	if line > 0 {
		return fmt.Sprintf("%s line %d", name, line)
	}
	return name
}

func (m *Machine) addRegistry(name string, r *snapshot.Registry) {
	if k := r.Key(`Windows NT\CurrentVersion`); k != nil && m.Version.Family == FamilyUnknown {
		if v := k.Value("CurrentBuildNumber"); v != nil {
			b := parseBuild(v.String)
			m.Version = Version{Family: FamilyForBuild(b), Build: b, From: at(name, v.Line)}
			if p := k.Value("ProductName"); p != nil {
				m.Version.Product = p.String
			}
		}
	}
	if k := r.Key(`ComputerName\ActiveComputerName`); k != nil {
		if v := k.Value("ComputerName"); v != nil {
			m.Computer.set(v.String, at(name, v.Line))
		}
	}
	if k := r.Key(`Windows NT\CurrentVersion\Svchost`); k != nil {
		if v := k.Value("netsvcs"); v != nil {
			m.Netsvcs.set(v.Strings, at(name, v.Line))
		}
	}
	if k := r.Key(`Policies\Microsoft\Windows\BITS`); k != nil {
		m.PolicySeen.set(true, at(name, k.Line))
		for _, v := range k.Values {
			if v.Type == snapshot.RegDWord {
				key := strings.ToLower(v.Name)
				if _, ok := m.PolicyValues[key]; !ok {
					m.PolicyValues[key] = Obs[uint32]{Value: uint32(v.Number), Known: true, From: at(name, v.Line)}
				}
			}
		}
	}
	if k := r.Key(`Services\BITS\Parameters`); k != nil {
		m.Parameters.set(true, at(name, k.Line))
		if v := k.Value("ServiceDll"); v != nil {
			m.ServiceDll.set(v.String, at(name, v.Line))
		} else if !k.Listed {
			m.ServiceDll.set("", at(name, k.Line))
		}
		if v := k.Value("ServiceDllUnloadOnStop"); v != nil {
			m.UnloadOnStop.set(v.Number == 1, at(name, v.Line))
		} else if !k.Listed {
			m.UnloadOnStop.set(false, at(name, k.Line))
		}
	}
	k := r.Key(`Services\BITS`)
	if k == nil || k.Listed {
		return
	}
	// Absence counts only in a capture of the whole key: an export, or a
	// query that listed subkeys; a query of single values (/v) proves nothing.
	whole := strings.HasPrefix(r.Format, "regedit")
	for _, sk := range r.Keys {
		if sk != k && strings.HasPrefix(strings.ToLower(sk.Path), strings.ToLower(k.Path)+`\`) {
			whole = true
		}
	}
	if whole && r.Key(`Services\BITS\Parameters`) == nil {
		m.Parameters.set(false, at(name, k.Line))
		m.ServiceDll.set("", at(name, k.Line))
	}
	str := func(o *Obs[string], n string) {
		if v := k.Value(n); v != nil {
			o.set(v.String, at(name, v.Line))
		}
	}
	num := func(o *Obs[uint32], n string) {
		if v := k.Value(n); v != nil {
			o.set(uint32(v.Number), at(name, v.Line))
		}
	}
	multi := func(o *Obs[[]string], n string) {
		if v := k.Value(n); v != nil {
			o.set(v.Strings, at(name, v.Line))
		} else if whole {
			o.set(nil, at(name, k.Line))
		}
	}
	str(&m.ImagePath, "ImagePath")
	str(&m.Account, "ObjectName")
	num(&m.Type, "Type")
	num(&m.Start, "Start")
	num(&m.ErrorControl, "ErrorControl")
	num(&m.SIDType, "ServiceSidType")
	multi(&m.Depend, "DependOnService")
	multi(&m.Privileges, "RequiredPrivileges")
	if v := k.Value("DelayedAutoStart"); v != nil { // also matches "DelayedAutostart"
		m.Delayed.set(v.Number == 1, at(name, v.Line))
	}
	if v := k.Value("FailureActions"); v != nil {
		if reset, acts, ok := decodeFailureActions(v.Data); ok {
			m.ResetPeriod.set(reset, at(name, v.Line))
			m.Actions.set(acts, at(name, v.Line))
		}
	}
}

// decodeFailureActions reads SERVICE_FAILURE_ACTIONS as the registry stores it.
func decodeFailureActions(b []byte) (uint32, []snapshot.FailureAction, bool) {
	u32 := func(o int) uint32 { return uint32(b[o]) | uint32(b[o+1])<<8 | uint32(b[o+2])<<16 | uint32(b[o+3])<<24 }
	if len(b) < 20 {
		return 0, nil, false
	}
	n := int(u32(12))
	off := int(u32(16))
	if n > 16 || off < 20 || off+8*n > len(b) {
		return 0, nil, false
	}
	names := map[uint32]string{0: "NONE", 1: "RESTART", 2: "REBOOT", 3: "RUN PROCESS"}
	var acts []snapshot.FailureAction
	for i := 0; i < n; i++ {
		t := u32(off + 8*i)
		name, ok := names[t]
		if !ok {
			name = fmt.Sprintf("ACTION %d", t)
		}
		acts = append(acts, snapshot.FailureAction{Action: name, DelayMS: u32(off + 8*i + 4)})
	}
	return u32(0), acts, true
}

func (m *Machine) addOther(name string, s *snapshot.Snapshot) {
	switch {
	case s.SC != nil:
		m.addSC(name, s.SC)
	case s.Jobs != nil:
		if s.Jobs.FailedCode != nil && *s.Jobs.FailedCode == 0x80070005 {
			m.AccessDenied = append(m.AccessDenied, name)
		}
		for _, j := range s.Jobs.Jobs {
			id := strings.Trim(j.ID, "{}")
			dup := false
			for i := range m.Jobs {
				if m.Jobs[i].ID == id {
					dup = true
					mergeJob(&m.Jobs[i].Job, j)
				}
			}
			if !dup {
				m.Jobs = append(m.Jobs, Job{ID: id, Source: name, Listing: s.Kind, Job: j})
			}
		}
	case s.WinHTTP != nil:
		m.WinHTTP = s.WinHTTP
	case s.IEProxy != nil:
		m.IEProxies = append(m.IEProxies, s.IEProxy)
	}
}

// JobsByID returns the live jobs by id (upper case, no braces), for joining
// with the jobs reconstructed from events.
func (m *Machine) JobsByID() map[string]*Job {
	out := make(map[string]*Job, len(m.Jobs))
	for i := range m.Jobs {
		out[m.Jobs[i].ID] = &m.Jobs[i]
	}
	return out
}

// mergeJob fills what one listing lacks from the other.
func mergeJob(dst *snapshot.Job, src snapshot.Job) {
	if dst.Owner == "" {
		dst.Owner = src.Owner
	}
	if dst.ErrorCode == nil {
		dst.ErrorCode, dst.ErrorText = src.ErrorCode, src.ErrorText
	}
	if dst.ErrorContext == nil {
		dst.ErrorContext = src.ErrorContext
	}
	if dst.Description == "" {
		dst.Description = src.Description
	}
	if len(dst.Files) == 0 {
		dst.Files = src.Files
	}
}

func (m *Machine) addSC(name string, sc *snapshot.SCOutput) {
	if sc.FailedError != nil {
		switch *sc.FailedError {
		case 1060:
			m.Missing.set(true, name)
		case 5:
			m.AccessDenied = append(m.AccessDenied, name)
		}
		return
	}
	m.Missing.set(false, name)
	if sc.HasConfig {
		m.ImagePath.set(sc.BinaryPath, name)
		if sc.Type != nil {
			m.Type.set(*sc.Type, name)
		}
		if sc.StartType != nil {
			m.Start.set(*sc.StartType, name)
			if *sc.StartType == 2 {
				m.Delayed.set(sc.DelayedStart, name)
			}
		}
		if sc.ErrorControl != nil {
			m.ErrorControl.set(*sc.ErrorControl, name)
		}
		m.Depend.set(sc.Dependencies, name)
		m.Account.set(sc.StartName, name)
	}
	switch sc.Command {
	case snapshot.KindSCQuery, snapshot.KindSCQueryEx:
		if sc.Type != nil {
			m.RuntimeType.set(*sc.Type, name)
		}
		if sc.State != nil {
			m.State.set(*sc.State, name)
		}
	case snapshot.KindSCQPrivs:
		m.Privileges.set(sc.Privileges, name)
	case snapshot.KindSCQSidType:
		if v, ok := sidTypes[sc.SIDType]; ok {
			m.SIDType.set(v, name)
		}
	case snapshot.KindSCQFailure:
		if sc.ResetPeriod != nil {
			m.ResetPeriod.set(*sc.ResetPeriod, name)
		}
		m.Actions.set(sc.FailureActions, name)
	case snapshot.KindSCSDShow:
		m.SDDL.set(sc.SDDL, name)
	}
}
