package analyze

import (
	"fmt"
	"strings"
	"time"
)

// maxNamed is the number of further problems the verdict names.
const maxNamed = 3

// verdict is the report's opening: plain words, led by the top finding
// that is still failing (or, when all recovered, the most frequent), then the
// titles of the others.
func verdict(r *Result, analysed int, loc *time.Location) string {
	var problems []*Finding
	for i := range r.Findings {
		if r.Findings[i].Severity != SeverityInfo {
			problems = append(problems, &r.Findings[i])
		}
	}
	if len(problems) == 0 {
		if analysed == 0 && (r.Window.Since != nil || r.Window.Until != nil) {
			return "No BITS events in the chosen time window" + windowText(r.Window, loc) +
				", so there is nothing to diagnose there" + logSpan(r.Inputs, loc) + "."
		}
		if analysed == 0 {
			return "No BITS events found in the input, so there is nothing to diagnose; check that the Bits-Client Operational and System logs were collected."
		}
		return fmt.Sprintf("No BITS failures found in %s from %s between %s and %s.",
			plural(analysed, "BITS record"), plural(len(r.Computers), "computer"), fmtTime(r.Window.Start, loc), fmtTime(r.Window.End, loc))
	}
	// Lead with the highest-ranked problem that is still failing at the end
	// of the log; when every one recovered, say so and lead with the one
	// that failed most.
	f, noneOpen := problems[0], true
	for _, p := range problems {
		if p.Status == "unresolved" {
			noneOpen = false
		}
	}
	var b strings.Builder
	if noneOpen {
		fmt.Fprintf(&b, "No BITS problem is still failing at the end of the log (%s found). ", plural(len(problems), "cause"))
		for _, p := range problems[1:] {
			if weight(p) > weight(f) {
				f = p
			}
		}
	} else {
		for _, p := range problems {
			if p.Status == "unresolved" {
				f = p
				break
			}
		}
	}
	machines := plural(len(f.Computers), "machine")
	if isJobFinding(f) && failureEvents(f) != nil {
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
		fmt.Fprintf(&b, "%s %s: %s; %s on %s since %s", what, verb, lowerFirst(f.Title), plural(Failures(f), CountNoun(f)), machines, fmtTime(f.FirstSeen, loc))
		switch f.Status {
		case "unresolved":
			b.WriteString(", still failing at the end of the log")
		case "recovered":
			b.WriteString(", later recovered")
		}
	} else {
		// Service events, and job events that are not failed transfers
		// (a notification program, inconsistent data).
		fmt.Fprintf(&b, "%s: %s on %s since %s", f.Title, plural(f.Count, "event"), machines, fmtTime(f.FirstSeen, loc))
		switch {
		case f.Status == "unresolved" && isJobFinding(f):
			b.WriteString(", still failing at the end of the log")
		case f.Status == "unresolved":
			b.WriteString(", with no sign that BITS worked again afterwards")
		case f.Status == "recovered" && isJobFinding(f):
			b.WriteString(", later recovered")
		}
	}
	b.WriteString(".")
	var rest []*Finding
	for _, p := range problems {
		if p != f {
			rest = append(rest, p)
		}
	}
	if len(rest) > 0 {
		var names []string
		for i, p := range rest {
			if i == maxNamed {
				names = append(names, fmt.Sprintf("%d more", len(rest)-maxNamed))
				break
			}
			n := plural(Failures(p), CountNoun(p))
			if p.Status != "" {
				n += ", " + string(p.Status)
			}
			names = append(names, fmt.Sprintf("%s %s — %s", p.ID, p.Title, n))
		}
		fmt.Fprintf(&b, " Further findings: %s.", strings.Join(names, "; "))
	}
	return b.String()
}

// windowText describes the --since/--until bounds: " (since X until Y)".
func windowText(w Window, loc *time.Location) string {
	var parts []string
	if w.Since != nil {
		parts = append(parts, "since "+fmtTime(*w.Since, loc))
	}
	if w.Until != nil {
		parts = append(parts, "until "+fmtTime(*w.Until, loc))
	}
	return " (" + strings.Join(parts, " ") + ")"
}

// logSpan says what time the inputs' records cover as a whole, from their
// record headers: "; the logs cover X to Y"; "" when unknown.
func logSpan(inputs []Input, loc *time.Location) string {
	var first, last time.Time
	for _, in := range inputs {
		if !in.LogFirst.IsZero() && (first.IsZero() || in.LogFirst.Before(first)) {
			first = in.LogFirst
		}
		if in.LogLast.After(last) {
			last = in.LogLast
		}
	}
	if first.IsZero() {
		return ""
	}
	return fmt.Sprintf("; the logs cover %s to %s", fmtTime(first, loc), fmtTime(last, loc))
}

// weight is how much a finding says about the customer's problem: failures
// for transfer findings, events otherwise.
func weight(f *Finding) int {
	if isJobFinding(f) {
		return Failures(f)
	}
	return f.Count
}

// isJobFinding reports whether a finding is about transfers (has jobs or hosts).
func isJobFinding(f *Finding) bool { return f.JobsAffected > 0 || len(f.Hosts) > 0 }

func lowerFirst(s string) string {
	if len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z') {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}
