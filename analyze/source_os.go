package analyze

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"bitsdiag/parse"
)

// ProviderEventLog is the classic provider name of the Event Log service's
// own System events (6005 started, 6006 stopped, 6009 the OS version at boot).
// It is not "Microsoft-Windows-Eventlog" (1102, 104: log cleared).
const ProviderEventLog = "EventLog"

// eventOSVersion is System event 6009: written at each boot, its payload is
// the OS major.minor ("10.00."), build ("19045"), service pack ("Service Pack
// 1" or ""), kernel kind ("Multiprocessor Free") and a number (UBR-like).
const eventOSVersion = 6009

// osSource reads the Windows version of each computer from System event 6009.
// It is a context-only source: its records describe the computer, not BITS,
// so they are not analysed records (records_analysed, coverage, the time
// window and the verdict ignore them) and events prints them only with --all.
// The versions they give are in the evidence matrix (ComputerEvidence.Windows),
// choose knowledge-base variants with a windows condition, and choose the
// configuration check's version when no snapshot names it.
type osSource struct{}

func (osSource) Name() string        { return "os-version" }
func (osSource) Providers() []string { return []string{ProviderEventLog} }
func (osSource) Channels() []string  { return []string{"System"} }

// Relevant keeps event 6009 of the EventLog provider.
func (osSource) Relevant(r parse.Fields) bool {
	if !strings.EqualFold(r.RecordProvider(), ProviderEventLog) {
		return false
	}
	id, ok := r.RecordEventID()
	return !ok || id == eventOSVersion
}

// Fields: the payload is one string-array <Data> ("Data", its values joined
// by commas) or, as some writers render it, several unnamed ones.
func (osSource) Fields() []string { return []string{"Data", "Data1", "Data2", "Data3"} }

// Events is empty: context records make no occurrences, so the knowledge
// base may not name them.
func (osSource) Events() []uint16 { return nil }

// contextOnly marks the source's facts as context (see contextSource).
func (osSource) contextOnly() {}

// contextSource is implemented by sources whose records describe the
// computer rather than BITS: their facts are not analysed records.
type contextSource interface{ contextOnly() }

// WindowsVersion is a computer's Windows version as its System log names it
// (the newest event 6009 of the EventLog service, written at each boot).
type WindowsVersion struct {
	Version     string    `json:"version"` // major.minor.build, "10.0.19045"
	Major       int       `json:"major"`
	Minor       int       `json:"minor"`
	Build       int       `json:"build"`
	ServicePack string    `json:"service_pack,omitempty"` // "Service Pack 1"
	Seen        time.Time `json:"seen"`                   // the 6009 record's time
	File        string    `json:"file"`
	RecordID    uint64    `json:"record_id"`
}

// String is "10.0.19045" (with the service pack when there is one).
func (v WindowsVersion) String() string {
	if v.ServicePack != "" {
		return v.Version + " " + v.ServicePack
	}
	return v.Version
}

// windowsFromFact reads a 6009 fact; ok is false when the payload does not
// hold a major.minor and a build.
func windowsFromFact(f *Fact) (WindowsVersion, bool) {
	var parts []string
	if d, ok := f.Lookup("Data"); ok {
		parts = strings.Split(d, ",")
	} else {
		for _, n := range []string{"Data1", "Data2", "Data3"} {
			parts = append(parts, f.Value(n))
		}
	}
	if len(parts) < 2 {
		return WindowsVersion{}, false
	}
	mm := strings.Split(strings.Trim(strings.TrimSpace(parts[0]), "."), ".")
	if len(mm) != 2 {
		return WindowsVersion{}, false
	}
	major, err1 := strconv.Atoi(mm[0])
	minor, err2 := strconv.Atoi(mm[1])
	build, err3 := strconv.Atoi(strings.TrimSpace(parts[1]))
	if err1 != nil || err2 != nil || err3 != nil || major <= 0 || major > 99 || minor < 0 || minor > 99 || build <= 0 || build > 999999 {
		return WindowsVersion{}, false
	}
	v := WindowsVersion{Version: fmt.Sprintf("%d.%d.%d", major, minor, build), Major: major, Minor: minor, Build: build,
		Seen: f.TimeCreated, File: f.Source.File, RecordID: f.RecordID}
	if len(parts) > 2 {
		v.ServicePack = clipUTF8(strings.TrimSpace(parts[2]), 64)
	}
	return v, true
}

// newer orders the 6009 records of one computer: the newest boot wins (an
// upgrade), ties by file and record id so the choice is deterministic.
func (v WindowsVersion) newer(o WindowsVersion) bool {
	if !v.Seen.Equal(o.Seen) {
		return v.Seen.After(o.Seen)
	}
	if v.File != o.File {
		return v.File < o.File
	}
	return v.RecordID < o.RecordID
}

// noteWindows keeps the newest version per computer. Context facts obey
// no time window: the version at the newest boot is the machine's.
func (a *Analyzer) noteWindows(f *Fact) {
	v, ok := windowsFromFact(f)
	if !ok {
		return
	}
	if old, seen := a.windows[f.Computer]; !seen || v.newer(old) {
		a.windows[f.Computer] = v
	}
}

// parseWindowsCond reads a variant's windows condition: ">=10.0.17134" or
// "<10.0.17134" (major.minor.build).
func parseWindowsCond(s string) (op string, v [3]int, err error) {
	s = strings.TrimSpace(s)
	for _, o := range []string{">=", "<"} {
		if strings.HasPrefix(s, o) {
			op = o
			break
		}
	}
	if op == "" {
		return "", v, fmt.Errorf("windows condition %q: want >=MAJOR.MINOR.BUILD or <MAJOR.MINOR.BUILD", s)
	}
	f := strings.Split(strings.TrimSpace(s[len(op):]), ".")
	if len(f) != 3 {
		return "", v, fmt.Errorf("windows condition %q: want MAJOR.MINOR.BUILD", s)
	}
	for i, x := range f {
		n, e := strconv.Atoi(x)
		if e != nil || n < 0 {
			return "", v, fmt.Errorf("windows condition %q: %q is not a number", s, x)
		}
		v[i] = n
	}
	return op, v, nil
}

// meets reports whether the version satisfies a windows condition.
func (v WindowsVersion) meets(cond string) bool {
	op, c, err := parseWindowsCond(cond)
	if err != nil {
		return false
	}
	have := [3]int{v.Major, v.Minor, v.Build}
	cmp := 0
	for i := range have {
		if have[i] != c[i] {
			if have[i] < c[i] {
				cmp = -1
			} else {
				cmp = 1
			}
			break
		}
	}
	if op == ">=" {
		return cmp >= 0
	}
	return cmp < 0
}

// windowsMet reports whether every computer of a finding has a known
// version meeting cond; a finding on a computer of unknown version meets
// no windows condition.
func windowsMet(cond string, computers []string, versions map[string]WindowsVersion) bool {
	if len(computers) == 0 {
		return false
	}
	for _, c := range computers {
		v, ok := versions[c]
		if !ok || !v.meets(cond) {
			return false
		}
	}
	return true
}

// attachWindows sets each matrix row's Windows version. A row without a
// computer name (an input whose analysed records name none) gets the
// version when all 6009 records name a single computer and one of the row's
// files holds it.
func attachWindows(m []ComputerEvidence, versions map[string]WindowsVersion) {
	for i := range m {
		if v, ok := versions[m[i].Computer]; ok {
			m[i].Windows = &v
		} else if m[i].Computer == "" && len(versions) == 1 {
			for _, v := range versions {
				for _, ls := range m[i].Logs {
					if contains(ls.Files, v.File) {
						m[i].Windows = &v
					}
				}
			}
		}
	}
}

// WindowsOf returns the Windows version the event logs name for computer
// (its newest System event 6009).
func (r *Result) WindowsOf(computer string) (WindowsVersion, bool) {
	if v, ok := r.windows[computer]; ok {
		return v, true
	}
	for c, v := range r.windows {
		if strings.EqualFold(c, computer) {
			return v, true
		}
	}
	return WindowsVersion{}, false
}
