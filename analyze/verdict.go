package analyze

import (
	"fmt"
	"strings"
)

// maxNamed is the number of further problems the verdict names.
const maxNamed = 3

// verdict is the report's opening: plain words, led by the top finding,
// then the titles of the next ones.
func verdict(r *Result, analysed int) string {
	var problems []*Finding
	for i := range r.Findings {
		if r.Findings[i].Severity != SeverityInfo {
			problems = append(problems, &r.Findings[i])
		}
	}
	if len(problems) == 0 {
		if analysed == 0 {
			return "No BITS events found in the input, so there is nothing to diagnose; check that the Bits-Client Operational and System logs were collected."
		}
		return fmt.Sprintf("No BITS failures found in %s from %s between %s and %s.",
			plural(analysed, "BITS record"), plural(len(r.Computers), "computer"), fmtTime(r.Window.Start), fmtTime(r.Window.End))
	}
	f := problems[0]
	var b strings.Builder
	machines := plural(len(f.Computers), "machine")
	if isJobFinding(f) {
		what := "BITS transfers"
		if len(f.Hosts) > 0 {
			what += " to " + hostList(f.Hosts)
		}
		if len(f.Proxies) > 0 {
			what += " via " + pluralWord(len(f.Proxies), "proxy", "proxies") + " " + hostList(f.Proxies)
		}
		verb := "fail"
		if f.Status == "recovered" {
			verb = "failed"
		}
		fmt.Fprintf(&b, "%s %s: %s; %s on %s since %s", what, verb, lowerFirst(f.Title), plural(Failures(f), "failure"), machines, fmtTime(f.FirstSeen))
		switch f.Status {
		case "unresolved":
			b.WriteString(", still failing at the end of the log")
		case "recovered":
			b.WriteString(", later recovered")
		}
	} else {
		fmt.Fprintf(&b, "%s: %s on %s since %s", f.Title, plural(f.Count, "event"), machines, fmtTime(f.FirstSeen))
		if f.Status == "unresolved" {
			b.WriteString(", with no sign that BITS worked again afterwards")
		}
	}
	b.WriteString(".")
	if rest := problems[1:]; len(rest) > 0 {
		var names []string
		for i, p := range rest {
			if i == maxNamed {
				names = append(names, fmt.Sprintf("%d more", len(rest)-maxNamed))
				break
			}
			n := plural(p.Count, "event")
			if isJobFinding(p) {
				n = plural(Failures(p), "failure")
			}
			if p.Status != "" {
				n += ", " + p.Status
			}
			names = append(names, fmt.Sprintf("%s %s — %s", p.ID, p.Title, n))
		}
		fmt.Fprintf(&b, " Further findings: %s.", strings.Join(names, "; "))
	}
	return b.String()
}

// isJobFinding reports whether a finding is about transfers (has jobs or hosts).
func isJobFinding(f *Finding) bool { return f.JobsAffected > 0 || len(f.Hosts) > 0 }

func lowerFirst(s string) string {
	if len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z') {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}
