package render

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"bitsdiag/analyze"
)

// The parts of the report layout that decide what the short report leaves
// out (and what --full adds), and the per-computer view.

// maxJobTitles is how many job titles a finding's "Jobs" line names before
// "and N more".
const maxJobTitles = 5

// maxComputerFindings is how many findings get a column of their own in the
// computers table; the rest are added up in an "other" column.
const maxComputerFindings = 8

// stepShellLine names the shell a step's commands are for.
func stepShellLine(st analyze.Step) string {
	if st.Shell == "" {
		return "In a Command Prompt or PowerShell (as administrator):"
	}
	return "In " + st.Shell.Label() + ":"
}

// unattachedCorrections are a finding's corrections to the article that no
// step shows next to its commands.
func unattachedCorrections(f *analyze.Finding) []string {
	shown := map[string]bool{}
	for _, list := range [][]analyze.Step{f.Fix, f.Verify} {
		for _, st := range list {
			for _, c := range st.Corrections {
				shown[c] = true
			}
		}
	}
	var out []string
	for _, c := range f.Corrections {
		if !shown[c] {
			out = append(out, c)
		}
	}
	return out
}

// maxShortJobRows is how many jobs the short report's jobs table lists.
const maxShortJobRows = 25

// jobRowLimit is how many rows the jobs table lists.
func jobRowLimit(full bool) int {
	if full {
		return maxJobRows
	}
	return maxShortJobRows
}

// maxShortEvidence is how many evidence records a finding's table shows in
// the short report.
const maxShortEvidence = 3

// shownEvidence is the evidence a finding's table shows: all the analysis
// kept with --full, else the first, the last and some between.
func shownEvidence(f *analyze.Finding, full bool) []analyze.Evidence {
	ev := f.Evidence
	if full || len(ev) <= maxShortEvidence {
		return ev
	}
	out := make([]analyze.Evidence, 0, maxShortEvidence)
	for i := 0; i < maxShortEvidence; i++ {
		out = append(out, ev[i*(len(ev)-1)/(maxShortEvidence-1)])
	}
	return out
}

// inputNeedsDetail reports whether the short report describes an input file
// in detail below the inventory table: when it was skipped or damaged.
func inputNeedsDetail(in *analyze.Input) bool {
	return in.Skipped != "" || in.Damaged() || in.RecordsUndecoded > 0
}

// evidenceNote says how many evidence records a finding's table shows and
// where the rest are.
func evidenceNote(f *analyze.Finding, full bool) string {
	total := max(f.EvidenceTotal, len(f.Evidence))
	where := "every field in full in Appendix A"
	if !full {
		where = "every field in full with --full (Appendix A) and in the JSON output"
	}
	return fmt.Sprintf("%d of %d records shown; %s.", len(shownEvidence(f, full)), total, where)
}

// appendixJobs is the set of job ids Appendix B shows in full (none without
// --full).
func appendixJobs(r *analyze.Result, full bool) map[string]bool {
	set := map[string]bool{}
	if !full {
		return set
	}
	jobs := sortedJobs(r.Jobs)
	if len(jobs) > maxJobRows {
		jobs = jobs[:maxJobRows]
	}
	for _, j := range jobs {
		if jobInAppendix(j) && j.ID != "" {
			set[j.ID] = true
		}
	}
	return set
}

// jobIDsWhere says where the ids of a finding's jobs can be read: Appendix B
// only when it lists every one of them.
func jobIDsWhere(ids []string, inAppendix map[string]bool) string {
	for _, id := range ids {
		if !inAppendix[id] {
			return "the JSON output"
		}
	}
	return "Appendix B"
}

// jobsIntro counts the jobs by outcome and says which are listed.
func jobsIntro(r *analyze.Result, parts []string, full bool) string {
	s := fmt.Sprintf("%s: %s.", plural(len(r.Jobs), "job", "jobs"), strings.Join(parts, ", "))
	if full {
		return s + " Failing jobs first; jobs with errors or not completed are in full in Appendix B (linked by number)."
	}
	done := len(r.Jobs) - len(unfinishedJobs(sortedJobs(r.Jobs)))
	if done == 0 {
		return s + " Failing jobs first."
	}
	return s + fmt.Sprintf(" Only jobs that did not complete are listed, failing first; the %s that completed are listed with --full and in the JSON output.",
		plural(done, "job", "jobs"))
}

// unfinishedJobs keeps the jobs that did not complete (failing, open,
// cancelled, unknown), in order.
func unfinishedJobs(jobs []*analyze.Job) []*analyze.Job {
	out := make([]*analyze.Job, 0, len(jobs))
	for _, j := range jobs {
		if j.Outcome != "completed" {
			out = append(out, j)
		}
	}
	return out
}

// dropComputerColumn removes the "Computer" column from t when drop is set
// (one computer analysed: the title block names it).
func dropComputerColumn(t table, drop bool) table {
	if !drop {
		return t
	}
	col := -1
	for i, c := range t.cols {
		if c.title == "Computer" {
			col = i
		}
	}
	if col < 0 {
		return t
	}
	out := table{cols: append(append([]column(nil), t.cols[:col]...), t.cols[col+1:]...)}
	for _, row := range t.rows {
		if col < len(row) {
			row = append(append([]cell(nil), row[:col]...), row[col+1:]...)
		}
		out.rows = append(out.rows, row)
	}
	return out
}

// buildComputers adds the computers × findings table when more than one
// computer was analysed: failures per computer and finding, from the
// result's failure list.
func buildComputers(d *document, r *analyze.Result) {
	if len(r.Computers) <= 1 {
		return
	}
	d.add(heading{level: 2, text: "Computers", anchor: "computers"})
	counts := map[string]map[string]int{}
	total := map[string]int{}
	for _, f := range r.Failures {
		if counts[f.Computer] == nil {
			counts[f.Computer] = map[string]int{}
		}
		counts[f.Computer][f.FindingID]++
		total[f.Computer]++
	}
	comps := append([]string(nil), r.Computers...)
	sort.SliceStable(comps, func(a, b int) bool {
		if total[comps[a]] != total[comps[b]] {
			return total[comps[a]] > total[comps[b]]
		}
		return comps[a] < comps[b]
	})
	shown := r.Findings
	other := len(shown) > maxComputerFindings
	if other {
		shown = shown[:maxComputerFindings]
	}
	withFailures := 0
	for _, c := range comps {
		if total[c] > 0 {
			withFailures++
		}
	}
	d.add(para{spans: []span{txt(fmt.Sprintf("%s analysed, %d with failures. Failures per computer and finding (— for none); findings' status in the summary table.",
		plural(len(comps), "computer", "computers"), withFailures))}})
	t := table{cols: []column{{title: "Computer", max: 40}}}
	for _, f := range shown {
		t.cols = append(t.cols, column{title: f.ID, right: true})
	}
	if other {
		t.cols = append(t.cols, column{title: "Other", right: true})
	}
	t.cols = append(t.cols, column{title: "Total", right: true})
	if len(comps) > maxCoverageRows {
		d.add(para{italic: true, spans: []span{txt(fmt.Sprintf(
			"First %d of %d computers listed; the JSON output has all.", maxCoverageRows, len(comps)))}})
		comps = comps[:maxCoverageRows]
	}
	for _, c := range comps {
		row := []cell{{text: orDash(c)}}
		rest := total[c]
		for i, f := range shown {
			n := counts[c][f.ID]
			rest -= n
			row = append(row, cell{text: countOrDash(n), anchor: anchorIf(n > 0, findingAnchor(i))})
		}
		if other {
			row = append(row, cell{text: countOrDash(rest)})
		}
		row = append(row, cell{text: strconv.Itoa(total[c])})
		t.rows = append(t.rows, row)
	}
	d.add(t)
}

// anchorIf returns a when ok, else "".
func anchorIf(ok bool, a string) string {
	if ok {
		return a
	}
	return ""
}

// findingSource is where a finding's explanation comes from: the article's
// section and the knowledge-base entry, on one line in the short report.
func findingSource(f *analyze.Finding, full bool) []field {
	if full {
		var out []field
		if f.DocSection != "" {
			out = append(out, field{"Article section", []span{txt(f.DocSection)}})
		}
		if f.KBID != "" {
			out = append(out, field{"Knowledge-base entry", []span{txt(f.KBID)}})
		}
		return out
	}
	switch {
	case f.DocSection != "" && f.KBID != "":
		return []field{{"Source", []span{txt("article section \"" + f.DocSection + "\", knowledge-base entry "), code(f.KBID)}}}
	case f.DocSection != "":
		return []field{{"Source", []span{txt("article section \"" + f.DocSection + "\"")}}}
	case f.KBID != "":
		return []field{{"Source", []span{txt("knowledge-base entry "), code(f.KBID)}}}
	}
	return nil
}

// stepsSeen remembers the steps with commands already printed in the
// report, so that the short report prints a shared procedure (restart BITS,
// repair the configuration, export the logs) once and refers to it after.
type stepsSeen map[string]string // step key -> "step 2 of F1"

// stepKey identifies a step by its text and commands.
func stepKey(st analyze.Step) string {
	return st.Text + "\x00" + strings.Join(st.Commands, "\x00")
}

// steps returns the steps of finding id to print: with full, all of them;
// else a step with commands printed for an earlier finding becomes a
// reference to it.
func (s stepsSeen) steps(id string, in []analyze.Step, full bool) []analyze.Step {
	if full {
		return in
	}
	out := make([]analyze.Step, 0, len(in))
	for i, st := range in {
		if len(st.Commands) == 0 {
			out = append(out, st)
			continue
		}
		k := stepKey(st)
		if where, ok := s[k]; ok {
			out = append(out, analyze.Step{Text: "As " + where + ": " + firstSentence(st.Text)})
			continue
		}
		s[k] = fmt.Sprintf("step %d of %s", i+1, id)
		out = append(out, st)
	}
	return out
}

// firstSentence is s up to the end of its first sentence, at most 160
// runes.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i+1]
	}
	return shorten(s, 160)
}
