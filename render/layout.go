package render

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

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

// stepShell names the shell a step's commands are for, as the PDF prints
// it on the commands' band.
func stepShell(st analyze.Step) string {
	if st.Shell == "" {
		return "Command Prompt or PowerShell (as administrator)"
	}
	return st.Shell.Label()
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
const maxShortJobRows = 15

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

// compactAbove is the number of findings above which a short report is set
// compactly: two evidence rows per finding, and in the PDF run-in key/value
// lines and tighter lists.
const compactAbove = 10

// evidenceRows is how many evidence records a finding's table shows in the
// short report: maxShortEvidence, or the first and the last when the report
// has more than compactAbove findings; 0 (all) with --full.
func evidenceRows(r *analyze.Result, full bool) int {
	switch {
	case full:
		return 0
	case len(r.Findings) > compactAbove:
		return 2
	}
	return maxShortEvidence
}

// shownEvidence is the evidence a finding's table shows: all the analysis
// kept when n is 0, else n records: the first, the last and some between.
func shownEvidence(f *analyze.Finding, n int) []analyze.Evidence {
	ev := f.Evidence
	if n == 0 || len(ev) <= n {
		return ev
	}
	out := make([]analyze.Evidence, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, ev[i*(len(ev)-1)/(n-1)])
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
func evidenceNote(f *analyze.Finding, full bool, rows int) string {
	total := max(f.EvidenceTotal, len(f.Evidence))
	where := "every field in full in Appendix A"
	if !full {
		where = "every field in full with --full (Appendix A) and in the JSON output"
	}
	return fmt.Sprintf("%d of %d records shown; %s.", len(shownEvidence(f, rows)), total, where)
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
	return dropColumn(t, "Computer")
}

// dropColumn removes the column titled title from t.
func dropColumn(t table, title string) table {
	col := -1
	for i, c := range t.cols {
		if c.title == title {
			col = i
		}
	}
	if col < 0 {
		return t
	}
	out := table{cols: append(append([]column(nil), t.cols[:col]...), t.cols[col+1:]...), sortable: t.sortable}
	for _, row := range t.rows {
		if col < len(row) {
			row = append(append([]cell(nil), row[:col]...), row[col+1:]...)
		}
		out.rows = append(out.rows, row)
	}
	return out
}

// compactEvidence removes from a finding's evidence table, in the short
// report, the columns that say nothing the finding's fields do not: the
// computer when the finding is about one computer, and the job and code
// columns when no row has one.
func compactEvidence(t table, f *analyze.Finding, full bool) table {
	if full {
		return t
	}
	if len(f.Computers) <= 1 {
		t = dropColumn(t, "Computer")
	}
	for _, title := range []string{"Job", "Code"} {
		col := -1
		for i, c := range t.cols {
			if c.title == title {
				col = i
			}
		}
		empty := col >= 0
		for _, row := range t.rows {
			if col >= 0 && col < len(row) && row[col].plain() != "—" {
				empty = false
			}
		}
		if empty {
			t = dropColumn(t, title)
		}
	}
	return t
}

// buildComputers adds the computers × findings table when more than one
// computer was analysed: failures per computer and finding, from the
// result's failure list.
func buildComputers(d *document, r *analyze.Result, full bool) {
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
	if !full && withFailures < len(comps) {
		// The short report lists the computers with failures; the others
		// are named in one line.
		d.add(para{spans: []span{txt(fmt.Sprintf("Without failures: %s.", listMax(comps[withFailures:], maxListed)))}})
		comps = comps[:withFailures]
		if len(comps) == 0 {
			return
		}
	}
	limit := maxCoverageRows
	if !full {
		limit = maxShortComputers
	}
	if len(comps) > limit {
		d.add(para{italic: true, spans: []span{txt(cutNote(limit, len(comps), "computers (most failures first)", full))}})
		comps = comps[:limit]
	}
	for _, c := range comps {
		row := []cell{{text: orDash(c)}}
		rest := total[c]
		for i, f := range shown {
			n := counts[c][f.ID]
			rest -= n
			row = append(row, cell{text: countOrDash(n), anchor: anchorIf(n > 0, findingLink(r, i, full))})
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

// procedures are the steps with commands that the short report prints
// once, in its "Shared procedures" section (restart BITS, repair the
// configuration, export the logs again), and that the findings refer to by
// number. With --full every finding prints its steps in full.
type procedures struct {
	num  map[string]int // step key -> procedure number (1-based)
	list []analyze.Step
}

// stepKey identifies a step by its text and commands.
func stepKey(st analyze.Step) string {
	return st.Text + "\x00" + strings.Join(st.Commands, "\x00")
}

// sharedProcedures finds the steps with commands that appear more than once
// among the findings' fix and verify steps, numbered in order of first
// appearance; none with full.
func sharedProcedures(r *analyze.Result, full bool) *procedures {
	p := &procedures{num: map[string]int{}}
	if full {
		return p
	}
	uses := map[string]int{}
	var order []analyze.Step
	for i := range r.Findings {
		if !stepsShown(&r.Findings[i], full) {
			continue
		}
		for _, list := range [][]analyze.Step{r.Findings[i].Fix, r.Findings[i].Verify} {
			for _, st := range list {
				if len(st.Commands) == 0 {
					continue
				}
				k := stepKey(st)
				if uses[k] == 0 {
					order = append(order, st)
				}
				uses[k]++
			}
		}
	}
	for _, st := range order {
		if uses[stepKey(st)] > 1 {
			p.list = append(p.list, st)
			p.num[stepKey(st)] = len(p.list)
		}
	}
	return p
}

// stepsShown reports whether the report prints a finding's fix and verify
// steps: always with full; in the short report not for a note (it has no
// section) nor for a finding that recovered by itself (nothing to do now;
// the steps for a recurrence are in the full report and the JSON output).
func stepsShown(f *analyze.Finding, full bool) bool {
	return full || (f.Severity != analyze.SeverityInfo && f.Status != analyze.StatusRecovered)
}

// procedureAnchor is the link target of procedure n (1-based).
func procedureAnchor(n int) string { return "procedure-" + strconv.Itoa(n) }

// steps returns the steps to print for a finding: a shared procedure
// becomes a one-line reference to it.
func (p *procedures) steps(in []analyze.Step) []analyze.Step {
	out := make([]analyze.Step, 0, len(in))
	for _, st := range in {
		if n, ok := p.num[stepKey(st)]; ok && len(st.Commands) > 0 {
			out = append(out, analyze.Step{Text: fmt.Sprintf("See procedure P%d: %s", n, procedureName(st))})
			continue
		}
		out = append(out, st)
	}
	return out
}

// buildProcedures adds the short report's "Shared procedures" section.
func buildProcedures(d *document, p *procedures) {
	if len(p.list) == 0 {
		return
	}
	d.add(heading{level: 2, text: "Shared procedures", anchor: "procedures"},
		para{spans: []span{txt("Steps that several findings share, printed once; the findings refer to them by number.")}})
	for i, st := range p.list {
		d.add(heading{level: 3, text: fmt.Sprintf("P%d · %s", i+1, procedureName(st)), anchor: procedureAnchor(i + 1)},
			steps{items: []analyze.Step{st}})
	}
}

// procedureName is a step's first clause (up to its first ": ", ". ", "; "
// or " ("), without a final full stop, cut at a word to at most about 90
// runes.
func procedureName(st analyze.Step) string {
	s := st.Text
	for _, sep := range []string{": ", ". ", "; ", " ("} {
		if i := strings.Index(s, sep); i > 0 {
			s = s[:i]
		}
	}
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	const maxName = 90
	if rs := []rune(s); len(rs) > maxName {
		cut := string(rs[:maxName])
		if i := strings.LastIndex(cut, " "); i > maxName/2 {
			cut = cut[:i]
		}
		s = strings.TrimRight(cut, " ,") + "…"
	}
	return s
}

// Caps of the short report's service and coverage sections (--full lists up
// to the report-wide limits; the JSON output always has everything).
const (
	maxShortServiceRows = 20
	maxShortCoverage    = 12 // coverage table rows
	maxShortWarnings    = 8  // coverage warnings listed
)

// serviceRowLimit is how many non-routine service events the service table
// lists.
func serviceRowLimit(full bool) int {
	if full {
		return maxServiceRows
	}
	return maxShortServiceRows
}

// coverageRowLimit is how many rows the coverage table lists.
func coverageRowLimit(full bool) int {
	if full {
		return maxCoverageRows
	}
	return maxShortCoverage
}

// coverageWarningLimit is how many coverage warnings are listed.
func coverageWarningLimit(full bool) int {
	if full {
		return maxCoverageRows
	}
	return maxShortWarnings
}

// coverageWarningsIntro introduces the list of coverage warnings, saying
// where the ones left out are.
func coverageWarningsIntro(total, shown int) string {
	if shown == total {
		return plural(total, "coverage warning:", "coverage warnings:")
	}
	return fmt.Sprintf("%d coverage warnings; the first %d are listed, all with --full and in the JSON output:", total, shown)
}

// cutNote says that a table lists lim of n entries and where the rest are.
func cutNote(lim, n int, what string, full bool) string {
	if full {
		return fmt.Sprintf("First %d of %d %s listed; the JSON output has all.", lim, n, what)
	}
	return fmt.Sprintf("First %d of %d %s listed; all with --full and in the JSON output.", lim, n, what)
}

// serviceCutNote says which service events a capped table lists.
func serviceCutNote(lim, n int, full bool) string {
	if full {
		return cutNote(lim, n, "events", full)
	}
	return fmt.Sprintf("%d of %d events listed (other kinds before plain state changes); all with --full and in the JSON output.", lim, n)
}

// serviceRowsShown picks the service events a capped table lists: with full
// the first lim; else the events other than plain state changes first, then
// state changes, each in time order, and the pick shown in time order.
func serviceRowsShown(rows []analyze.ServiceEvent, lim int, full bool) []analyze.ServiceEvent {
	if full || len(rows) <= lim {
		return rows[:min(lim, len(rows))]
	}
	keep := make([]bool, len(rows))
	n := 0
	for pass := 0; pass < 2 && n < lim; pass++ {
		for i, e := range rows {
			if n < lim && !keep[i] && (pass == 1 || e.Kind != analyze.ServiceState) {
				keep[i] = true
				n++
			}
		}
	}
	out := make([]analyze.ServiceEvent, 0, lim)
	for i, e := range rows {
		if keep[i] {
			out = append(out, e)
		}
	}
	return out
}

// seenAndStatus are a finding's "Seen" and "Status" lines; the short report
// puts the status on the Seen line ("...; status: unresolved").
func seenAndStatus(f *analyze.Finding, tz *time.Location, full bool) []field {
	seen := fmtSpan(f.FirstSeen, f.LastSeen, tz)
	hasStatus := f.Status != "" || f.Transient
	switch {
	case !hasStatus:
		return []field{{"Seen", []span{txt(seen)}}}
	case full:
		return []field{{"Seen", []span{txt(seen)}}, {"Status", []span{txt(findingStatus(f))}}}
	}
	return []field{{"Seen", []span{txt(seen + "; status: " + findingStatus(f))}}}
}

// firstSentence is s up to the end of its first sentence, at most 160
// runes.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i+1]
	}
	return shorten(s, 160)
}
