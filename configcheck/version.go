package configcheck

import (
	"fmt"
	"strconv"
	"strings"
)

// Family is a group of Windows versions that share one BITS configuration
// (config-facts §3.3).
type Family int

// Families. FamilyUnknown: no snapshot or log named the version.
const (
	FamilyUnknown    Family = iota
	FamilyWin7              // Windows 7 / Server 2008 R2 (6.1)
	FamilyWin81             // Windows 8 / 8.1 / Server 2012 / 2012 R2 (6.2, 6.3)
	FamilyWin10Early        // Windows 10 1507-1607 / Server 2016 (builds 10240-14393)
	FamilyWin10             // Windows 10 1703+ / 11 / Server 2019 and later (builds 15063+)
)

// Families lists the known families, oldest first.
var Families = []Family{FamilyWin7, FamilyWin81, FamilyWin10Early, FamilyWin10}

func (f Family) String() string {
	switch f {
	case FamilyWin7:
		return "Windows 7 / Server 2008 R2"
	case FamilyWin81:
		return "Windows 8.1 / Server 2012 R2"
	case FamilyWin10Early:
		return "Windows 10 1507-1607 / Server 2016"
	case FamilyWin10:
		return "Windows 10 1703 and later / Windows 11 / Server 2019 and later"
	}
	return "unknown Windows version"
}

// Version is the machine's Windows version and where it came from.
type Version struct {
	Family  Family
	Build   int    // CurrentBuildNumber, 0 when unknown
	Product string // ProductName as the registry holds it (Windows 11 still says "Windows 10")
	From    string // evidence: "reg-windows-version.txt line 3", "event log", ...
}

// FamilyForBuild maps a build number to its family.
func FamilyForBuild(build int) Family {
	switch {
	case build >= 15063:
		return FamilyWin10
	case build >= 10240:
		return FamilyWin10Early
	case build >= 9200:
		return FamilyWin81
	case build >= 7600:
		return FamilyWin7
	}
	return FamilyUnknown
}

// VersionFromBuild builds a Version from a build number found in event logs
// (for example the OS version an event header or a Windows Update event
// names); the hook for sources outside the snapshots.
func VersionFromBuild(build int, from string) Version {
	return Version{Family: FamilyForBuild(build), Build: build, From: from}
}

// String names the version for a report.
func (v Version) String() string {
	if v.Family == FamilyUnknown {
		return "unknown (no snapshot or log names it)"
	}
	s := v.Family.String()
	if v.Build > 0 {
		s += fmt.Sprintf(", build %d", v.Build)
	}
	if v.Build >= 22000 {
		s += " (Windows 11 / Server 2022 or later)"
	}
	return s
}

func parseBuild(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return 0
	}
	return n
}
