package analyze

import (
	"fmt"
	"strings"
	"time"
)

// maxNamed is the number of further problems the verdict names.
const maxNamed = 3

// verdict is the report's opening: plain words, led by the same finding as
// the table (the ranking puts problems that need action first), the count of
// problems that need action against those that recovered by themselves, then
// per computer what the logs cannot show and warnings about inputs that do
// not belong together.
func verdict(r *Result, analysed int, loc *time.Location) string {
	return strings.TrimSpace(findingsVerdict(r, analysed, loc) + notesText(r.Findings) + blindSpots(r.Matrix) + " " + strings.Join(ShortInputWarnings(r.InputWarnings, 3), " "))
}

// notesText names the informational findings as notes that need no action.
func notesText(fs []Finding) string {
	var names []string
	for i := range fs {
		if fs[i].Severity == SeverityInfo {
			names = append(names, fmt.Sprintf("%s %s (%s)", fs[i].ID, fs[i].Title, plural(fs[i].Count, "event")))
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " Notes that need no action: " + strings.Join(limit(names, maxNamed), "; ") + "."
}

func findingsVerdict(r *Result, analysed int, loc *time.Location) string {
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
		if analysed == 0 && len(r.Matrix) > 0 && !hasLog(r.Matrix, LogSystem) && !hasLog(r.Matrix, LogBITSClient) {
			return "None of the inputs is a System or Bits-Client log (" + strings.Join(otherChannels(r.Matrix), ", ") + "), so there is nothing about BITS to diagnose."
		}
		if analysed == 0 {
			return "No BITS events found in the input, so there is nothing to diagnose; check that the Bits-Client Operational and System logs were collected."
		}
		what := "BITS failures"
		switch {
		case len(r.Matrix) == 0:
		case !hasLog(r.Matrix, LogBITSClient):
			what = "BITS service problems"
		case !hasLog(r.Matrix, LogSystem):
			what = "BITS job failures"
		}
		return fmt.Sprintf("No %s found in %s from %s between %s and %s.", what,
			plural(analysed, "BITS record"), plural(len(r.Computers), "computer"), fmtTime(r.Window.Start, loc), fmtTime(r.Window.End, loc))
	}
	action, healed := 0, 0
	for _, p := range problems {
		if NeedsAction(p) {
			action++
		} else {
			healed++
		}
	}
	var b strings.Builder
	switch {
	case action == 0:
		fmt.Fprintf(&b, "No BITS problem needs action: %s by %s. ", pluralVerb(healed, "problem", "recovered"), pluralWord(healed, "itself", "themselves"))
	case healed == 0:
		fmt.Fprintf(&b, "%s action. ", pluralVerb(action, "problem", "needs"))
	default:
		fmt.Fprintf(&b, "%s action; %d recovered by %s. ", pluralVerb(action, "problem", "needs"), healed, pluralWord(healed, "itself", "themselves"))
	}
	f := problems[0]
	machines := plural(len(f.Computers), "machine")
	if IsConfigFinding(f) {
		b.WriteString(configLead(f))
	} else if isJobFinding(f) && failureEvents(f) != nil {
		what := "BITS transfers"
		hosts, healedServers := failingHosts(f)
		if len(hosts) > 0 {
			what += " to " + hostList(hosts)
		}
		if len(healedServers) > 0 {
			what += " (those to WSUS " + pluralWord(len(healedServers), "server", "servers") + " " + strings.Join(healedServers, ", ") + " recovered)"
		}
		if len(f.Proxies) > 0 {
			what += " via " + pluralWord(len(f.Proxies), "proxy", "proxies") + " " + hostList(f.Proxies)
		}
		verb := "fail"
		if f.Status == StatusRecovered {
			verb = "failed"
		}
		fmt.Fprintf(&b, "%s %s: %s; %s on %s since %s", what, verb, lowerFirst(f.Title), plural(Failures(f), CountNoun(f)), machines, fmtTime(f.FirstSeen, loc))
		switch f.Status {
		case StatusUnresolved, StatusNoRetrySeen:
			b.WriteString(", " + retryText(f))
		case StatusRecovered:
			b.WriteString(", later recovered")
		}
	} else {
		// Service events, and job events that are not failed transfers
		// (a notification program, inconsistent data).
		fmt.Fprintf(&b, "%s: %s on %s since %s", f.Title, plural(f.Count, "event"), machines, fmtTime(f.FirstSeen, loc))
		switch {
		case (f.Status == StatusUnresolved || f.Status == StatusNoRetrySeen) && isJobFinding(f):
			b.WriteString(", " + retryText(f))
		case f.Status == StatusUnresolved:
			b.WriteString(", with no sign that BITS worked again afterwards")
		case f.Status == StatusRecovered && isJobFinding(f):
			b.WriteString(", later recovered")
		case f.Status == StatusRecovered:
			b.WriteString(", BITS was working again afterwards")
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

// pluralVerb is "1 problem needs" / "2 problems need" style agreement, for
// a verb given in its third person singular form.
func pluralVerb(n int, noun, verb string) string {
	if n != 1 {
		switch {
		case verb == "needs":
			verb = "need"
		}
	}
	return plural(n, noun) + " " + verb
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

// isJobFinding reports whether a finding is about transfers (has jobs or hosts).
func isJobFinding(f *Finding) bool { return f.JobsAffected > 0 || len(f.Hosts) > 0 }

func lowerFirst(s string) string {
	if len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z') {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}

// otherChannels lists the channels of the matrix's other logs.
func otherChannels(m []ComputerEvidence) []string {
	set := map[string]bool{}
	for _, ce := range m {
		for _, l := range ce.Logs {
			if l.Kind == LogOther && l.Channel != "" {
				set[l.Channel] = true
			}
		}
	}
	return limit(keys(set), 4)
}
