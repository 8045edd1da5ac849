package configcheck

import (
	"context"
	"fmt"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"bitsdiag/analyze"
	"bitsdiag/parse"
	"bitsdiag/snapshot"
)

// Attach runs the configuration check on the snapshot files found beside
// the event logs and hands it to the analysis as a non-event source
// (analyze/SOURCES.md): files are grouped per machine by folder, each
// machine is named by its snapshots' computer name matched with the events'
// Computer (or by the one computer of the folder's logs), checked with its
// Windows version, and its deviations and live jobs go to a as facts. The
// result then carries the configuration check per machine; findings of the
// logs that the snapshots contradict say so, and the generic repair
// procedure is replaced by the machine's version (or every variant with its
// condition when the version is unknown).
//
// a must already hold every event; kb is the analysis' knowledge base (nil:
// the embedded one). Without files, Attach is a.ResultContext.
func Attach(ctx context.Context, a *analyze.Analyzer, kb *analyze.KB, files []File, ao AttachOptions) (*analyze.Result, error) {
	opt := ao.Settings
	first, err := a.ResultContext(ctx) // the logs alone: computers, service runs, event counts
	if err != nil {
		return nil, err
	}
	if kb == nil {
		if kb, err = analyze.LoadKB(); err != nil {
			return nil, err
		}
	}
	if len(files) == 0 {
		eventVersionRepair(first, kb, nil)
		return first, nil
	}
	type group struct {
		folder string
		files  []File
	}
	var groups []*group
	byFolder := map[string]*group{}
	for _, f := range files {
		d := folderOf(f.Name)
		g := byFolder[d]
		if g == nil {
			g = &group{folder: d}
			byFolder[d] = g
			groups = append(groups, g)
		}
		g.files = append(g.files, f)
	}
	at := first.Window.End
	type machine struct {
		check    analyze.ConfigCheck
		res      Result
		computer string
	}
	// Name each folder's machine; folders of one computer (a zip and its
	// extracted copy, logs and snapshots collected twice) are one machine.
	type named struct {
		*group
		computer string
		pre      Result
	}
	var merged []*named
	for _, g := range groups {
		pre := Analyze(g.files, Options{Settings: opt})
		computer := machineComputer(pre.Machine, g.folder, first)
		if i := slices.IndexFunc(merged, func(n *named) bool { return computer != "" && strings.EqualFold(n.computer, computer) }); i >= 0 {
			merged[i].folder += ", " + g.folder
			merged[i].files = append(merged[i].files, g.files...)
			continue
		}
		merged = append(merged, &named{group: &group{folder: g.folder, files: g.files}, computer: computer, pre: pre})
	}
	var machines []machine
	seq := uint64(0)
	for _, g := range merged {
		pre, computer := g.pre, g.computer
		if ao.Computer != nil && !ao.Computer(computer) {
			continue // --computer leaves this machine out
		}
		opts := Options{Settings: opt, Events: eventCounts(first, computer), ServiceRanAt: serviceRanAt(first, computer),
			EventVersion: EventVersion(first, computer)}
		res := Analyze(g.files, opts)
		for _, it := range res.Inventory {
			if it.Status == StatusUnreadable {
				a.AddInput(analyze.Input{Path: it.Name, Size: sizeOf(g.files, it.Name), Damage: []analyze.Damage{},
					Skipped: "configuration snapshot (" + it.Kind.String() + ") that cannot be read: " + it.Reason})
			}
		}
		for _, f := range res.Facts(computer, "configuration snapshots in "+g.folder, machineEnd(first, computer, at), &seq) {
			a.AddFact(f)
		}
		check := res.summary(computer, g.folder)
		if others := folderComputers(g.folder, first); pre.Machine.Computer.Known && len(others) > 0 &&
			!slices.ContainsFunc(others, func(c string) bool { return sameComputer(pre.Machine.Computer.Value, c) }) {
			check.Notes = append(check.Notes, fmt.Sprintf("The snapshots name computer %s (%s), but the event logs in the same folder are of %s: they are treated as different machines.",
				pre.Machine.Computer.Value, pre.Machine.Computer.From, strings.Join(others, ", ")))
		}
		if st := serviceStateName(res.Machine); st != "" {
			check.ServiceState = st
			if logs := logsState(first, computer); logs != "" && !strings.EqualFold(logs, st) {
				check.Notes = append(check.Notes, fmt.Sprintf("The logs end with BITS %s; sc.exe query (%s) shows it %s when the snapshots were taken.", logs, res.Machine.State.From, st))
			}
		}
		if computer == "" {
			check.Notes = append(check.Notes, "Neither the snapshots nor the logs beside them name the computer: the snapshots are not matched with any computer's events.")
		}
		machines = append(machines, machine{check: check, res: res, computer: computer})
	}
	r, err := a.ResultContext(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range machines {
		c := m.check
		for _, f := range r.Findings {
			if slices.ContainsFunc(f.Evidence, func(e analyze.Evidence) bool {
				return slices.ContainsFunc(c.Files, func(cf analyze.ConfigFile) bool { return cf.Path == e.File })
			}) {
				c.Findings = append(c.Findings, f.ID)
			}
		}
		for i := range r.Findings {
			f := &r.Findings[i]
			if !onComputer(f.Computers, m.computer) || strings.HasPrefix(f.KBID, "config-") {
				continue
			}
			annotate(f, m.res.Machine, m.res.Findings, findingID(r.Findings, m.computer))
			liveNotes(f, r.Jobs, m.computer)
			versionedRepair(f, kb, m.res.Machine.Version)
		}
		r.Configuration = append(r.Configuration, c)
	}
	eventVersionRepair(r, kb, func(c string) bool {
		return slices.ContainsFunc(machines, func(m machine) bool { return strings.EqualFold(m.computer, c) })
	})
	return r, nil
}

// EventVersion is the version computer's System log names (event 6009,
// analyze.ComputerEvidence.Windows); unknown when it names none.
func EventVersion(r *analyze.Result, computer string) Version {
	w, ok := r.WindowsOf(computer)
	if !ok || computer == "" {
		return Version{}
	}
	if w.Major < 6 || (w.Major == 6 && w.Minor < 1) {
		return Version{} // before Windows 7: no configuration is known
	}
	v := VersionFromBuild(w.Build, fmt.Sprintf("System event 6009 (%s, record %d)", w.File, w.RecordID))
	return v
}

// eventVersionRepair gives the findings of computers no snapshot describes
// (snapshotted reports whether one does) the repair procedure of the
// version their System logs name: a finding whose computers all have one
// known version family gets that family's variant; others keep theirs.
func eventVersionRepair(r *analyze.Result, kb *analyze.KB, snapshotted func(string) bool) {
	for i := range r.Findings {
		f := &r.Findings[i]
		if strings.HasPrefix(f.KBID, "config-") || len(f.Computers) == 0 {
			continue
		}
		var v Version
		for j, c := range f.Computers {
			if snapshotted != nil && snapshotted(c) {
				v = Version{}
				break
			}
			cv := EventVersion(r, c)
			if cv.Family == FamilyUnknown || (j > 0 && cv.Family != v.Family) {
				v = Version{}
				break
			}
			v = cv
		}
		if v.Family != FamilyUnknown {
			versionedRepair(f, kb, v)
		}
	}
}

// AttachOptions control Attach.
type AttachOptions struct {
	Settings snapshot.Settings
	// Computer, when set, selects the machines checked by their computer
	// name (report --computer); nil checks every machine.
	Computer func(computer string) bool
}

// folderOf is the folder a file is in; archive entries keep their archive.
func folderOf(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	arch, inner, ok := "", name, false
	if i := strings.LastIndex(name, "!"); i >= 0 {
		arch, inner, ok = name[:i], name[i+1:], true
	}
	d := path.Dir(inner)
	if ok {
		if d == "." {
			return arch
		}
		return arch + "!" + d
	}
	return d
}

func sizeOf(files []File, name string) int64 {
	for _, f := range files {
		if f.Name == name {
			return int64(len(f.Data))
		}
	}
	return 0
}

// sameComputer compares a snapshot's computer name (NetBIOS, "PC1") with an
// event's Computer (often the FQDN, "pc1.contoso.com").
func sameComputer(snap, ev string) bool {
	if strings.EqualFold(snap, ev) {
		return true
	}
	host, _, _ := strings.Cut(ev, ".")
	s, _, _ := strings.Cut(snap, ".")
	return s != "" && strings.EqualFold(s, host)
}

// machineComputer names the machine: the events' spelling of the
// snapshots' computer name, else the one computer of the folder's logs,
// else the one computer of all logs, else the snapshots' name or "".
func machineComputer(m *Machine, folder string, r *analyze.Result) string {
	if m.Computer.Known && m.Computer.Value != "" {
		for _, c := range r.Computers {
			if sameComputer(m.Computer.Value, c) {
				return c
			}
		}
		return m.Computer.Value
	}
	inFolder := folderComputers(folder, r)
	if len(inFolder) == 1 {
		return inFolder[0]
	}
	if len(inFolder) == 0 && len(r.Computers) == 1 {
		return r.Computers[0]
	}
	return ""
}

var serviceStates = []string{"", "STOPPED", "START_PENDING", "STOP_PENDING", "RUNNING", "CONTINUE_PENDING", "PAUSE_PENDING", "PAUSED"}

// serviceStateName is sc.exe query's STATE, or "".
func serviceStateName(m *Machine) string {
	if !m.State.Known || int(m.State.Value) >= len(serviceStates) {
		return ""
	}
	return serviceStates[m.State.Value]
}

// logsState is the service state the logs end with on computer ("" when
// unknown); Service.StateNow is "value" or "COMPUTER: value; ...".
func logsState(r *analyze.Result, computer string) string {
	s := r.Service.StateNow
	if !strings.Contains(s, "; ") && !strings.Contains(s, ": ") {
		return s
	}
	for _, part := range strings.Split(s, "; ") {
		if c, v, ok := strings.Cut(part, ": "); ok && strings.EqualFold(c, computer) {
			return v
		}
	}
	return ""
}

// machineEnd is the end of the computer's logs (else of all logs): the
// time its snapshots are dated at.
func machineEnd(r *analyze.Result, computer string, all time.Time) time.Time {
	var t time.Time
	for _, c := range r.Coverage {
		if computer != "" && strings.EqualFold(c.Computer, computer) && c.Last.After(t) {
			t = c.Last
		}
	}
	if t.IsZero() {
		return all
	}
	return t
}

// folderComputers are the computers of the event logs in folder.
func folderComputers(folder string, r *analyze.Result) []string {
	var out []string
	for _, in := range r.Inputs {
		if folderOf(in.Path) == folder {
			for _, c := range in.Computers {
				if !slices.Contains(out, c) {
					out = append(out, c)
				}
			}
		}
	}
	return out
}

func onComputer(list []string, c string) bool {
	return c == "" || slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, c) })
}

// eventCounts counts the job-limit events of the computer's logs.
func eventCounts(r *analyze.Result, computer string) Events {
	if len(r.Inputs) == 0 {
		return nil
	}
	ev := Events{}
	for _, f := range r.Findings {
		if !onComputer(f.Computers, computer) {
			continue
		}
		for _, c := range f.EventCounts {
			if strings.EqualFold(c.Provider, analyze.ProviderBITS) && (c.EventID == 16397 || c.EventID == 16398 || c.EventID >= 16400 && c.EventID <= 16402) {
				ev[c.EventID] += c.Count
			}
		}
	}
	return ev
}

// serviceRanAt is the last time the logs show BITS running on the computer:
// a running state in the service timeline, or a job event (BITS writes
// its Operational log only while it runs).
func serviceRanAt(r *analyze.Result, computer string) time.Time {
	var t time.Time
	for _, e := range r.Service.Timeline {
		if onComputer([]string{e.Computer}, computer) && e.Kind == analyze.ServiceState && strings.Contains(strings.ToLower(e.Text), "running") && e.Time.After(t) {
			t = e.Time
		}
	}
	for _, j := range r.Jobs {
		if onComputer([]string{j.Computer}, computer) && j.Last.After(t) {
			t = j.Last
		}
	}
	return t
}

// Facts are the analysis' facts of the check: one per deviation (pseudo
// event id Item.EventID) and one per live job (analyze.ConfigLiveJob), with
// record ids from *seq so that no two facts of a report are taken for
// copies of one record. at is the time the facts are shown at (the end of
// the logs: the collection takes the snapshots right after exporting them).
func (r Result) Facts(computer, channel string, at time.Time, seq *uint64) []*analyze.Fact {
	var out []*analyze.Fact
	mk := func(id uint16, file string, data []parse.Field) *analyze.Fact {
		*seq++
		return &analyze.Fact{Source: parse.Source{File: file}, RecordID: *seq, TimeCreated: at, Computer: computer,
			Channel: channel, Provider: analyze.ProviderConfig, EventID: id, Data: data}
	}
	firstFile := ""
	for _, it := range r.Inventory {
		if it.Status == StatusRead {
			firstFile = it.Name
			break
		}
	}
	for _, f := range r.Findings {
		file := firstFile
		if len(f.Evidence) > 0 {
			file, _, _ = strings.Cut(f.Evidence[0], " line ")
		}
		data := []parse.Field{
			{Name: analyze.CfgItem, Value: string(f.Item)}, {Name: analyze.CfgSeverity, Value: string(f.Severity)},
			{Name: analyze.CfgTitle, Value: f.Title}, {Name: analyze.CfgFound, Value: f.Found},
			{Name: analyze.CfgExpected, Value: f.Expected}, {Name: analyze.CfgWindows, Value: f.Windows},
			{Name: analyze.CfgSection, Value: f.Section}, {Name: analyze.CfgArticleRow, Value: f.ArticleRow},
			{Name: analyze.CfgRelated, Value: f.KBID}, {Name: analyze.CfgEvidence, Value: strings.Join(f.Evidence, "\n")},
			{Name: analyze.CfgNotes, Value: strings.Join(f.Notes, "\n")}, {Name: analyze.CfgCorrections, Value: strings.Join(f.Corrections, "\n")},
		}
		data = append(data, analyze.ConfigSteps(f.Fix)...)
		out = append(out, mk(f.Item.EventID(), file, data))
	}
	for _, j := range r.Machine.Jobs {
		data := []parse.Field{
			{Name: analyze.LiveJobID, Value: j.ID}, {Name: analyze.LiveName, Value: j.Name},
			{Name: analyze.LiveState, Value: j.State.String()}, {Name: analyze.LiveOwner, Value: j.Owner},
			{Name: analyze.LiveDesc, Value: j.Description}, {Name: analyze.LiveListing, Value: listingName(j.Listing)},
			{Name: analyze.LiveBytesDone, Value: strconv.FormatInt(j.BytesDone, 10)},
			{Name: analyze.LiveBytesTotal, Value: strconv.FormatInt(j.BytesTotal, 10)},
		}
		if j.ErrorCode != nil && (j.State == snapshot.JobError || j.State == snapshot.JobTransientError) {
			data = append(data, parse.Field{Name: analyze.LiveErrorCode, Value: analyze.FormatCode(*j.ErrorCode)},
				parse.Field{Name: analyze.LiveErrorText, Value: j.ErrorText})
			if j.ErrorContext != nil {
				data = append(data, parse.Field{Name: analyze.LiveErrorCtx, Value: errorContext(*j.ErrorContext)})
			}
		}
		var files []string
		for _, f := range j.Files {
			files = append(files, f.Remote+" -> "+f.Local)
		}
		data = append(data, parse.Field{Name: analyze.LiveFiles, Value: strings.Join(files, "\n")})
		out = append(out, mk(analyze.ConfigLiveJob, j.Source, data))
	}
	return out
}

func listingName(k snapshot.Kind) string {
	if k == snapshot.KindBitsTransfer {
		return "Get-BitsTransfer"
	}
	return "bitsadmin"
}

var errorContexts = []string{"NONE", "UNKNOWN", "GENERAL_QUEUE_MANAGER", "QUEUE_MANAGER_NOTIFICATION", "LOCAL_FILE",
	"REMOTE_FILE", "GENERAL_TRANSPORT", "REMOTE_APPLICATION", "SERVER_CERTIFICATE_CALLBACK"}

// errorContext names a BG_ERROR_CONTEXT value.
func errorContext(c uint32) string {
	if int(c) < len(errorContexts) {
		return fmt.Sprintf("%d (BG_ERROR_CONTEXT_%s)", c, errorContexts[c])
	}
	return strconv.FormatUint(uint64(c), 10)
}

// summary is the machine's line in Result.Configuration (finding ids are
// added once the analysis numbered them).
func (r Result) summary(computer, folder string) analyze.ConfigCheck {
	m := r.Machine
	c := analyze.ConfigCheck{Computer: computer, Folder: folder, Windows: m.Version.String(), WindowsFrom: m.Version.From,
		Files: []analyze.ConfigFile{}, Findings: []string{}, LiveJobs: len(m.Jobs)}
	for _, it := range r.Inventory {
		if it.Status == StatusNotOurs {
			continue
		}
		cf := analyze.ConfigFile{Path: it.Name, Kind: it.Kind.String(), Status: string(it.Status), Reason: it.Reason}
		if it.Status == StatusRead {
			cf.Encoding = it.Encoding.String()
		}
		c.Files = append(c.Files, cf)
	}
	perUser, perPC := m.JobLimits()
	owners := map[string]int{}
	for _, j := range m.Jobs {
		owners[j.Owner]++
	}
	for o, n := range owners {
		c.Owners = append(c.Owners, analyze.OwnerJobs{Owner: o, Jobs: n})
	}
	sort.Slice(c.Owners, func(i, j int) bool { return c.Owners[i].Owner < c.Owners[j].Owner })
	if len(m.Jobs) > 0 || m.PolicySeen.Known {
		c.PerUserLimit, c.PerComputerLimit = int(perUser), int(perPC)
	}
	return c
}

// JobLimits are the per-user and per-computer job limits: the policy's
// values, else the defaults.
func (m *Machine) JobLimits() (perUser, perComputer uint32) {
	c := &checker{m: m}
	perUser, _ = c.limit("MaxJobsPerUser", defaultPerUser)
	perComputer, _ = c.limit("MaxJobsPerMachine", defaultPerPC)
	return perUser, perComputer
}

// contradicted lists, per entry of the event logs, the configuration item
// the snapshots may show as shipped, and whether the snapshots observed it.
var contradicted = map[string]struct {
	item     Item
	observed func(m *Machine) (bool, string)
}{
	"start-service-disabled":       {ItemStart, func(m *Machine) (bool, string) { return m.Start.Known, m.Start.From }},
	"start-service-does-not-exist": {ItemService, func(m *Machine) (bool, string) { return m.Missing.Known && !m.Missing.Value, m.Missing.From }},
	"start-service-not-in-exe":     {ItemNetsvcs, func(m *Machine) (bool, string) { return m.Netsvcs.Known, m.Netsvcs.From }},
	"start-dependency":             {ItemDependencies, func(m *Machine) (bool, string) { return m.Depend.Known, m.Depend.From }},
	"start-file-not-found":         {ItemServiceDll, func(m *Machine) (bool, string) { return m.ServiceDll.Known, m.ServiceDll.From }},
	"start-path-not-found":         {ItemImagePath, func(m *Machine) (bool, string) { return m.ImagePath.Known, m.ImagePath.From }},
	"service-not-localsystem":      {ItemAccount, func(m *Machine) (bool, string) { return m.Account.Known, m.Account.From }},
	"job-limit-mismatch":           {ItemJobLimits, func(m *Machine) (bool, string) { return m.PolicySeen.Known, m.PolicySeen.From }},
}

// annotate says so when a finding of the logs is about a setting the
// snapshots show as shipped, or agrees with a deviation they show.
func annotate(f *analyze.Finding, m *Machine, devs []Finding, idOf func(kbID string) string) {
	c, ok := contradicted[f.KBID]
	if !ok {
		return
	}
	for _, d := range devs {
		if d.Item == c.item || d.KBID == f.KBID {
			f.Notes = append(f.Notes, fmt.Sprintf("The configuration snapshots agree: %s (finding %s).", d.Found, idOf(d.Item.KBID())))
			return
		}
	}
	if seen, from := c.observed(m); seen {
		f.Notes = append(f.Notes, fmt.Sprintf("The configuration snapshots (%s) show this setting as shipped: it was corrected after the last event (%s), or the snapshots and the logs come from different machines.",
			from, f.LastSeen.UTC().Format(time.RFC3339)))
	}
}

// liveNotes say what the live listing shows of a finding's jobs now, and
// when that disagrees with the finding's status.
func liveNotes(f *analyze.Finding, jobs []analyze.Job, computer string) {
	for _, j := range jobs {
		l := j.Live
		if l == nil || !slices.Contains(f.Jobs, j.ID) || !onComputer([]string{j.Computer}, computer) {
			continue
		}
		n := fmt.Sprintf("The live listing (%s, %s) shows job %s in state %s", l.Listing, l.File, j.ID, l.State)
		if l.ErrorCode != "" {
			n += " with error " + l.ErrorCode
			if l.ErrorContext != "" {
				n += ", context " + l.ErrorContext
			}
		}
		failing := l.State == "ERROR" || l.State == "TRANSIENT_ERROR"
		done := l.State == "TRANSFERRED" || l.State == "ACKNOWLEDGED"
		switch {
		case failing && f.Status == analyze.StatusRecovered:
			n += ": although the logs show it recovered, it fails again after the logs end"
		case done && f.Status == analyze.StatusUnresolved:
			n += ": although the logs end with it failing, it completed afterwards"
		}
		f.Notes = append(f.Notes, n+".")
	}
}

// findingID returns the report id of the finding of an entry on computer
// (the entry id itself when there is none).
func findingID(fs []analyze.Finding, computer string) func(string) string {
	return func(kbID string) string {
		for _, f := range fs {
			if f.KBID == kbID && onComputer(f.Computers, computer) {
				return f.ID
			}
		}
		return kbID
	}
}

// repairIDs are the per-version repair procedures in config-kb.json.
var repairIDs = map[Family]string{FamilyWin7: "repair-config-win7", FamilyWin81: "repair-config-win81", FamilyWin10Early: "repair-config-win10-early", FamilyWin10: "repair-config-win10"}

// versionedRepair replaces the generic repair procedure (kb.json
// "repair-config", written for Windows 7) in a finding's fix with the
// machine's version, or with every variant and its condition.
func versionedRepair(f *analyze.Finding, kb *analyze.KB, v Version) {
	gen := kb.Procedure("repair-config")
	if gen == nil || len(gen.Steps) == 0 {
		return
	}
	n := len(gen.Steps)
	for i := 0; i+n <= len(f.Fix); i++ {
		if !slices.EqualFunc(f.Fix[i:i+n], gen.Steps, func(a, b analyze.Step) bool { return a.Text == b.Text && slices.Equal(a.Commands, b.Commands) }) {
			continue
		}
		fams := Families
		if v.Family != FamilyUnknown {
			fams = []Family{v.Family}
		}
		var procs []*analyze.Procedure
		for _, fam := range fams {
			p := kb.Procedure(repairIDs[fam])
			if p == nil {
				return
			}
			procs = append(procs, p)
			f.Corrections = appendMissing(f.Corrections, p.Corrections...)
		}
		// Steps every variant shares (restarting BITS) come once, after them.
		same := func(a, b analyze.Step) bool { return a.Text == b.Text && slices.Equal(a.Commands, b.Commands) }
		var common []analyze.Step
		if len(procs) > 1 {
			for _, s := range procs[0].Steps {
				if !slices.ContainsFunc(procs, func(p *analyze.Procedure) bool {
					return !slices.ContainsFunc(p.Steps, func(x analyze.Step) bool { return same(x, s) })
				}) {
					common = append(common, s)
				}
			}
		}
		var repl []analyze.Step
		for i, p := range procs {
			for _, s := range p.Steps {
				if slices.ContainsFunc(common, func(x analyze.Step) bool { return same(x, s) }) {
					continue
				}
				if len(procs) > 1 {
					s.Text = "On " + fams[i].String() + ": " + s.Text
				}
				repl = append(repl, s)
			}
		}
		repl = append(repl, common...)
		f.Fix = append(append(append([]analyze.Step(nil), f.Fix[:i]...), repl...), f.Fix[i+n:]...)
		return
	}
}

func appendMissing(list []string, more ...string) []string {
	for _, s := range more {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}
