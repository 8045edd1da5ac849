package configcheck

import (
	"fmt"
	"sort"
	"strings"

	"bitsdiag/analyze"
)

// limit returns a BITS policy DWORD or its default.
func (c *checker) limit(name string, def uint32) (uint32, string) {
	if o, ok := c.m.PolicyValues[strings.ToLower(name)]; ok {
		return o.Value, o.From
	}
	return def, ""
}

// serviceOwners do not count toward the per-user limit ("BITS jobs created
// by services and the local administrator account do not count").
var serviceOwners = []string{`NT AUTHORITY\SYSTEM`, `NT AUTHORITY\LOCAL SERVICE`, `NT AUTHORITY\NETWORK SERVICE`}

func (c *checker) jobLimits() {
	m := c.m
	perUser, userFrom := c.limit("MaxJobsPerUser", defaultPerUser)
	perPC, pcFrom := c.limit("MaxJobsPerMachine", defaultPerPC)
	if m.PolicySeen.Known && userFrom != "" && perUser >= perPC {
		f := Finding{Item: ItemJobLimits, KBID: "job-limit-mismatch", Severity: analyze.SeverityWarning,
			Title:    "BITS per-user job limit is not lower than the per-computer limit",
			Found:    fmt.Sprintf("MaxJobsPerUser %d, MaxJobsPerMachine %d%s", perUser, perPC, map[bool]string{true: " (not set: default)", false: ""}[pcFrom == ""]),
			Expected: "MaxJobsPerUser lower than MaxJobsPerMachine (300 when not set)",
			Fix: []analyze.Step{
				step(`In the Group Policy that sets them (gpedit.msc locally, GPMC for a domain policy), Computer Configuration\Administrative Templates\Network\Background Intelligent Transfer Service (BITS): set "Maximum number of BITS jobs for each user" lower than "Maximum number of BITS jobs for this computer". Then apply the policy:`, CmdGPUpdate),
				restartStep(),
			},
			Section: secLimits, Evidence: nonEmptyStrings(userFrom, pcFrom)}
		if n := c.ev[16397]; n > 0 {
			f.Notes = append(f.Notes, fmt.Sprintf("The event logs agree: %d event(s) 16397 (per-user limit larger than the per-computer limit).", n))
		} else if c.ev != nil {
			f.Notes = append(f.Notes, "The event logs read show no event 16397 for this mismatch (the System log may not reach back to the last policy change).")
		}
		c.add(f)
	}
	// Live job counts per owner against the limits.
	counts := map[string]int{}
	total := 0
	for _, j := range m.Jobs {
		if j.Owner == "" {
			continue
		}
		total++
		if !containsFold(serviceOwners, j.Owner) {
			counts[j.Owner]++
		}
	}
	var owners []string
	for o, n := range counts {
		if uint32(n) >= perUser {
			owners = append(owners, o)
		}
	}
	sort.Strings(owners)
	for _, o := range owners {
		f := Finding{Item: ItemJobsPerOwner, KBID: "job-limit-reached", Severity: analyze.SeverityWarning,
			Title: "A user has reached the per-user BITS job limit", Found: fmt.Sprintf("%s owns %d jobs", o, counts[o]),
			Expected: fmt.Sprintf("fewer than %d jobs per user (MaxJobsPerUser%s)", perUser, map[bool]string{true: ", default", false: ""}[userFrom == ""]),
			Fix:      []analyze.Step{step("List the user's jobs and cancel those no application will complete (as that user, or elevated with /allusers):", "bitsadmin.exe /list /allusers /verbose", "bitsadmin.exe /cancel <job id>")},
			Section:  secLimits, Codes: []string{"0x80200049"}, Evidence: nonEmptyStrings(userFrom)}
		if n := c.ev[16398]; n > 0 {
			f.Notes = append(f.Notes, fmt.Sprintf("The event logs show %d job(s) refused at the per-user limit (event 16398).", n))
		}
		c.add(f)
	}
	if uint32(total) >= perPC && total > 0 {
		f := Finding{Item: ItemJobsPerOwner, KBID: "job-limit-reached", Severity: analyze.SeverityWarning,
			Title: "The computer has reached the per-computer BITS job limit", Found: fmt.Sprintf("%d jobs", total),
			Expected: fmt.Sprintf("fewer than %d jobs (MaxJobsPerMachine)", perPC),
			Fix:      []analyze.Step{step("List all jobs and cancel those no application will complete (elevated):", "bitsadmin.exe /list /allusers /verbose", "bitsadmin.exe /cancel <job id>")},
			Section:  secLimits, Codes: []string{"0x80200050"}, Evidence: nonEmptyStrings(pcFrom)}
		if n := c.ev[16400]; n > 0 {
			f.Notes = append(f.Notes, fmt.Sprintf("The event logs show %d job(s) refused at the per-computer limit (event 16400).", n))
		}
		c.add(f)
	}
}

func nonEmptyStrings(s ...string) []string {
	var out []string
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// Analyze converts f into the report's finding shape. ID, counts and times
// are left to the report (a snapshot has no event time); the found and
// expected values go into the summary, the evidence into Evidence.Text.
func (f Finding) Analyze() analyze.Finding {
	af := analyze.Finding{
		KBID: f.KBID, Severity: f.Severity, Title: f.Title, Codes: f.Codes,
		Summary:    fmt.Sprintf("Found: %s. Expected for %s: %s.", f.Found, f.Windows, f.Expected),
		Notes:      f.Notes,
		Cause:      f.Title,
		Fix:        f.Fix,
		DocSection: f.Section,
	}
	af.Corrections = f.Corrections
	for _, e := range f.Evidence {
		file, _, _ := strings.Cut(e, " line ")
		af.Evidence = append(af.Evidence, analyze.Evidence{File: file, Text: "configuration snapshot: " + e})
	}
	af.EvidenceTotal = len(af.Evidence)
	return af
}
