// Package configcheck compares a machine's BITS configuration, as its
// text snapshots show it (package snapshot), with the shipped configuration
// for its Windows version, and turns each deviation into a finding linked to
// the row or section of Microsoft's "Issues with BITS" with the one command
// that corrects it for that version.
package configcheck

import (
	"fmt"
	"sort"
	"strings"

	"bitsdiag/analyze"
)

// Item is what a finding is about.
type Item string

// Items checked.
const (
	ItemService      Item = "service"     // BITS is not installed
	ItemImagePath    Item = "image-path"  // ImagePath / BINARY_PATH_NAME
	ItemServiceDll   Item = "service-dll" // Parameters\ServiceDll
	ItemParameters   Item = "parameters"  // the Parameters key
	ItemUnloadOnStop Item = "unload-on-stop"
	ItemStart        Item = "start-type"
	ItemType         Item = "service-type"
	ItemErrorControl Item = "error-control"
	ItemAccount      Item = "account"
	ItemDependencies Item = "dependencies"
	ItemPrivileges   Item = "privileges"
	ItemSIDType      Item = "sid-type"
	ItemFailure      Item = "failure-actions"
	ItemNetsvcs      Item = "netsvcs"
	ItemSecurity     Item = "security"
	ItemJobLimits    Item = "policy-job-limits"
	ItemJobsPerOwner Item = "jobs-per-owner"
	ItemAccess       Item = "snapshot-access"
	ItemProxyRanges  Item = "proxy-range-requests"
)

// Finding is one deviation. It carries what analyze.Finding needs
// (Analyze converts it) plus the found and expected values.
type Finding struct {
	Item       Item
	KBID       string // entry in analyze/kbdata; "" for notes about the collection itself
	Severity   analyze.Severity
	Title      string
	Found      string
	Expected   string
	Windows    string // the version the expected value and commands are for
	Fix        []analyze.Step
	Section    string // the article's section
	ArticleRow string // the article's row in "BITS fails to start", if any
	Codes      []string
	Evidence   []string // "file line n: text"
	Notes      []string
	// Corrections says what was corrected in the article's commands the
	// fix is based on.
	Corrections []string
}

// Events are counts of the event ids the check matches with the
// configuration (16397, 16398, 16400-16402), from the event logs of the
// same machine; nil when no logs were read.
type Events map[uint16]int

// Article sections and rows.
const (
	secStart   = "BITS fails to start"
	secRepair  = "Repairing a corrupted BITS configuration"
	secAccount = "The BITS service must run under the local system user account"
	secProxy   = "Proxy servers must support HTTP 1.1 range requests"
	secLimits  = "There is a mismatch between the BITS per-user job limit and the per-computer job limit"
)

// Check compares m with the configuration for its version (when unknown:
// with every version, naming them) and returns the deviations, most severe
// first, then in item order.
func Check(m *Machine, ev Events) []Finding {
	c := &checker{m: m, ev: ev}
	c.run()
	sort.SliceStable(c.out, func(i, j int) bool { return sevRank(c.out[i].Severity) < sevRank(c.out[j].Severity) })
	return c.out
}

func sevRank(s analyze.Severity) int {
	switch s {
	case analyze.SeverityError:
		return 0
	case analyze.SeverityWarning:
		return 1
	}
	return 2
}

type checker struct {
	m   *Machine
	ev  Events
	out []Finding
}

// families the expected value is taken from: the machine's, or all.
func (c *checker) families() []Family {
	if c.m.Version.Family != FamilyUnknown {
		return []Family{c.m.Version.Family}
	}
	return Families
}

func (c *checker) add(f Finding) {
	if f.Windows == "" {
		f.Windows = c.m.Version.String()
	}
	c.out = append(c.out, f)
}

// step builds one fix step with a command for an elevated Command Prompt.
func step(text string, cmds ...string) analyze.Step {
	s := analyze.Step{Text: text, Commands: cmds}
	if len(cmds) > 0 {
		s.Shell = analyze.ShellCmd
	}
	return s
}

// variantSteps gives one step per family when the version is unknown, each
// stating its condition; otherwise the machine's.
func (c *checker) variantSteps(text string, cmd func(Family) string) []analyze.Step {
	fams := c.families()
	if len(fams) == 1 {
		return []analyze.Step{step(text+":", cmd(fams[0]))}
	}
	var steps []analyze.Step
	seen := map[string]bool{}
	for _, f := range fams {
		k := cmd(f)
		if seen[k] {
			continue
		}
		seen[k] = true
		var names []string
		for _, g := range fams {
			if cmd(g) == k {
				names = append(names, g.String())
			}
		}
		steps = append(steps, step("On "+strings.Join(names, "; ")+": "+text+":", k))
	}
	return steps
}

func restartStep() analyze.Step {
	return step("Then restart BITS:", CmdRestart)
}

func (c *checker) run() {
	m := c.m
	if len(m.AccessDenied) > 0 {
		c.add(Finding{Item: ItemAccess, Severity: analyze.SeverityInfo,
			Title: "Some snapshots were taken without enough rights", Found: "access denied in " + strings.Join(m.AccessDenied, ", "),
			Expected: "the collection run from an elevated Command Prompt",
			Fix:      []analyze.Step{step("Run the collection again as administrator (right-click the script, Run as administrator).")},
			Section:  secRepair, Evidence: m.AccessDenied})
	}
	if m.Missing.Known && m.Missing.Value {
		var steps []analyze.Step
		for _, f := range c.families() {
			cond := ""
			if len(c.families()) > 1 {
				cond = "On " + f.String() + ": "
			}
			steps = append(steps, analyze.Step{Text: cond + "Recreate the BITS service, then set each item of its configuration:", Shell: analyze.ShellCmd,
				Commands: append([]string{CmdCreate(f)}, RepairProcedure(f)[1:]...)})
		}
		steps = append(steps, restartStep())
		c.add(Finding{Item: ItemService, KBID: "start-service-does-not-exist", Severity: analyze.SeverityError,
			Title: "BITS is not installed (ERROR_SERVICE_DOES_NOT_EXIST)", Found: "sc.exe: FAILED 1060 (the service does not exist)",
			Expected: "the BITS service installed", Fix: steps, Section: secStart, ArticleRow: "ERROR_SERVICE_DOES_NOT_EXIST",
			Codes: []string{"0x80070424"}, Evidence: []string{m.Missing.From}, Corrections: Corrections})
		return // nothing else to compare
	}
	c.imagePath()
	c.parameters()
	c.start()
	c.simple()
	c.dependencies()
	c.privileges()
	c.failure()
	c.netsvcs()
	c.security()
	c.jobLimits()
	c.proxyRanges()
}

// rangeCodes are the job errors of a server or proxy that does not honour
// HTTP range requests (the article's proxy section and its rows).
var rangeCodes = map[uint32]string{0x80200013: "BG_E_INSUFFICIENT_RANGE_SUPPORT", 0x80200011: "BG_E_MISSING_FILE_SIZE", 0x80200012: "BG_E_INSUFFICIENT_HTTP_SUPPORT"}

// proxyRanges links live jobs that failed for want of range support with
// the proxies the snapshots show.
func (c *checker) proxyRanges() {
	var proxies []string
	if w := c.m.WinHTTP; w != nil && !w.Direct && w.Server != "" {
		proxies = append(proxies, "WinHTTP proxy "+w.Server)
	}
	for _, p := range c.m.IEProxies {
		if p.Usage == "MANUAL_PROXY" || p.Usage == "AUTOSCRIPT" {
			acct := p.Account
			if acct == "" {
				acct = "a service account"
			}
			proxies = append(proxies, acct+" proxy "+strings.TrimSpace(p.Usage+" "+p.List+p.Script))
		}
	}
	if len(proxies) == 0 {
		return
	}
	var jobs, codes, urls []string
	for _, j := range c.m.Jobs {
		if j.ErrorCode == nil || rangeCodes[*j.ErrorCode] == "" {
			continue
		}
		jobs = append(jobs, fmt.Sprintf("%s %q failed with 0x%08X %s", j.ID, j.Name, *j.ErrorCode, rangeCodes[*j.ErrorCode]))
		code := fmt.Sprintf("0x%08X", *j.ErrorCode)
		if !containsFold(codes, code) {
			codes = append(codes, code)
		}
		for _, f := range j.Files {
			if f.Remote != "" && len(urls) < 1 {
				urls = append(urls, f.Remote)
			}
		}
	}
	if len(jobs) == 0 {
		return
	}
	url := "<URL of the failing file>"
	if len(urls) > 0 {
		url = urls[0]
	}
	c.add(Finding{Item: ItemProxyRanges, KBID: "proxy-range-requests", Severity: analyze.SeverityError,
		Title: "Jobs fail for want of HTTP range support while a proxy is configured",
		Found: strings.Join(jobs, "; ") + "; " + strings.Join(proxies, "; "), Expected: "a proxy (or server) that answers Range requests with 206 and reports Content-Length",
		Fix: []analyze.Step{step("Through the same proxy, ask for the first bytes of the file; a proxy that supports ranges answers 206 Partial Content with a Content-Range header (Command Prompt):",
			"curl.exe -s -o NUL -D - -r 0-99 --proxy <proxy host:port> "+url),
			step("Configure the proxy to pass Range requests (or bypass it for the update server), then resume the job:", "bitsadmin.exe /resume <job id>")},
		Section: secProxy, Codes: codes, Evidence: nonEmptyStrings(c.jobSources()...)})
}

func (c *checker) jobSources() []string {
	var out []string
	for _, j := range c.m.Jobs {
		if !containsFold(out, j.Source) {
			out = append(out, j.Source)
		}
	}
	return out
}

// normPath lower-cases and expands the system root so that the registry
// form and sc qc's expanded form compare equal.
func normPath(p string) string {
	p = strings.ToLower(strings.TrimSpace(p))
	p = strings.Trim(p, `"`)
	for _, root := range []string{"%systemroot%", "%windir%"} {
		p = strings.ReplaceAll(p, root, `c:\windows`)
	}
	if len(p) > 2 && p[1] == ':' {
		p = "c:" + p[2:] // the drive letter may differ
	}
	return strings.Join(strings.Fields(p), " ")
}

func (c *checker) imagePath() {
	o := c.m.ImagePath
	if !o.Known {
		return
	}
	got := normPath(o.Value)
	for _, f := range c.families() {
		if got == normPath(ExpectedFor(f).ImagePath) {
			return
		}
	}
	typo := strings.ContainsAny(o.Value, "”“–")
	// Without -p on 1703+ BITS still starts: a lesser deviation.
	sev := analyze.SeverityError
	if c.m.Version.Family == FamilyWin10 && got == normPath(imageNetsvcs) {
		sev = analyze.SeverityWarning
	}
	f := Finding{Item: ItemImagePath, KBID: "service-repair", Severity: sev,
		Title: "BITS image path is not svchost.exe -k netsvcs", Found: o.Value, Expected: c.expected(func(e *Expected) string { return e.ImagePath }),
		Fix:     append(c.variantSteps("Set the image path", CmdImagePath), restartStep()),
		Section: secRepair, Evidence: []string{o.From}}
	if typo {
		f.Notes = append(f.Notes, "The image path contains typographic quotes or an en dash: the article's binpath= command was pasted as printed.")
	}
	c.add(f)
}

// expected names the expected value of each family when they differ.
func (c *checker) expected(get func(*Expected) string) string {
	fams := c.families()
	if len(fams) == 1 {
		return get(ExpectedFor(fams[0]))
	}
	var parts []string
	seen := map[string]bool{}
	for _, f := range fams {
		v := get(ExpectedFor(f))
		if !seen[v] {
			seen[v] = true
			var names []string
			for _, g := range fams {
				if get(ExpectedFor(g)) == v {
					names = append(names, g.String())
				}
			}
			parts = append(parts, strings.Join(names, "; ")+": "+v)
		}
	}
	return strings.Join(parts, " | ")
}

func (c *checker) parameters() {
	m := c.m
	row := Finding{KBID: "start-file-not-found", Severity: analyze.SeverityError, Section: secStart, ArticleRow: "ERROR_FILE_NOT_FOUND",
		Codes: []string{"0x80070002"}, Expected: `Parameters\ServiceDll = ` + ServiceDll,
		Fix: []analyze.Step{step("Create the value (typed at the prompt, ^% keeps %SystemRoot% unexpanded):", CmdServiceDll), restartStep()}}
	switch {
	case m.Parameters.Known && !m.Parameters.Value:
		row.Item, row.Title, row.Found, row.Evidence = ItemParameters, `The BITS Parameters key is missing (ERROR_FILE_NOT_FOUND)`, `no Parameters subkey under Services\BITS`, []string{m.Parameters.From}
		c.add(row)
	case m.ServiceDll.Known && m.ServiceDll.Value == "":
		row.Item, row.Title, row.Found, row.Evidence = ItemServiceDll, `Parameters\ServiceDll is missing (ERROR_FILE_NOT_FOUND)`, "no ServiceDll value", []string{m.ServiceDll.From}
		c.add(row)
	case m.ServiceDll.Known && normPath(m.ServiceDll.Value) != normPath(ServiceDll):
		row.Item, row.Title, row.Found, row.Evidence = ItemServiceDll, `Parameters\ServiceDll does not name qmgr.dll`, m.ServiceDll.Value, []string{m.ServiceDll.From}
		row.Notes = []string{"A ServiceDll other than %SystemRoot%\\System32\\qmgr.dll is a known malware technique: check the named file before replacing the value."}
		c.add(row)
	}
	if c.m.Version.Family == FamilyWin10 && m.UnloadOnStop.Known && !m.UnloadOnStop.Value {
		c.add(Finding{Item: ItemUnloadOnStop, KBID: "service-repair", Severity: analyze.SeverityInfo,
			Title: `Parameters\ServiceDllUnloadOnStop is not 1`, Found: "absent or 0", Expected: "1 (Windows 10 1703 and later)",
			Fix: []analyze.Step{step("Set the value:", cmdUnloadOnStp)}, Section: secRepair, Evidence: []string{m.UnloadOnStop.From}})
	}
}

var startNames = map[uint32]string{0: "0 BOOT_START", 1: "1 SYSTEM_START", 2: "2 AUTO_START", 3: "3 DEMAND_START", 4: "4 DISABLED"}

func (c *checker) start() {
	o := c.m.Start
	if !o.Known || o.Value == 2 || o.Value == 3 {
		return
	}
	name := startNames[o.Value]
	if name == "" {
		name = fmt.Sprint(o.Value)
	}
	f := Finding{Item: ItemStart, Severity: analyze.SeverityError, Found: "start type " + name,
		Expected: "2 AUTO_START (DELAYED), or 3 DEMAND_START", Fix: []analyze.Step{step("Set the start type:", CmdStart), restartStep()},
		Section: secStart, Evidence: []string{o.From}}
	if o.Value == 4 {
		f.KBID, f.Title, f.ArticleRow, f.Codes = "start-service-disabled", "BITS is disabled (ERROR_SERVICE_DISABLED)", "ERROR_SERVICE_DISABLED", []string{"0x80070422"}
	} else {
		f.KBID, f.Title, f.Section = "service-repair", "BITS has a driver start type", secRepair
	}
	c.add(f)
}

func (c *checker) simple() {
	m := c.m
	if o := m.Type; o.Known && o.Value != ShareProcess {
		c.add(Finding{Item: ItemType, KBID: "service-repair", Severity: analyze.SeverityWarning, Title: "BITS service type is not WIN32_SHARE_PROCESS",
			Found: fmt.Sprintf("0x%x", o.Value), Expected: "0x20 WIN32_SHARE_PROCESS",
			Fix:     []analyze.Step{step("Set the type:", CmdType), restartStep()},
			Section: secRepair, Evidence: []string{o.From},
			Notes: []string{"The article's `type=interact` makes BITS interactive (0x120); it is not part of the shipped configuration."}})
	}
	if o := m.ErrorControl; o.Known && o.Value != ErrorNormal {
		c.add(Finding{Item: ItemErrorControl, KBID: "service-repair", Severity: analyze.SeverityInfo, Title: "BITS error control is not NORMAL",
			Found: fmt.Sprint(o.Value), Expected: "1 NORMAL", Fix: []analyze.Step{step("Set the error control:", CmdError)},
			Section: secRepair, Evidence: []string{o.From}})
	}
	if o := m.Account; o.Known && !strings.EqualFold(o.Value, LocalSystem) {
		c.add(Finding{Item: ItemAccount, KBID: "service-not-localsystem", Severity: analyze.SeverityError, Title: "BITS does not run as LocalSystem",
			Found: o.Value, Expected: LocalSystem, Fix: []analyze.Step{step("Set the account:", CmdAccount), restartStep()},
			Section: secAccount, Evidence: []string{o.From}})
	}
	if o := m.SIDType; o.Known && o.Value != SIDUnrestrict {
		c.add(Finding{Item: ItemSIDType, KBID: "service-repair", Severity: analyze.SeverityWarning, Title: "BITS service SID type is not UNRESTRICTED",
			Found: map[uint32]string{0: "NONE", 3: "RESTRICTED"}[o.Value], Expected: "UNRESTRICTED",
			Fix: []analyze.Step{step("Set the SID type:", CmdSIDType), restartStep()}, Section: secRepair, Evidence: []string{o.From}})
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(x), s) {
			return true
		}
	}
	return false
}

func (c *checker) dependencies() {
	o := c.m.Depend
	if !o.Known {
		return
	}
	got := o.Value
	var unknown []string
	for _, d := range got {
		if !containsFold([]string{"RpcSs", "EventSystem"}, d) {
			unknown = append(unknown, d)
		}
	}
	matches := false
	for _, f := range c.families() {
		if sameSet(got, ExpectedFor(f).Depend) {
			matches = true
		}
	}
	if matches {
		return
	}
	sev := analyze.SeverityWarning
	if !containsFold(got, "RpcSs") || len(unknown) > 0 {
		sev = analyze.SeverityError
	}
	found := strings.Join(got, ", ")
	if found == "" {
		found = "(none)"
	}
	f := Finding{Item: ItemDependencies, KBID: "start-dependency", Severity: sev, Title: "BITS dependencies differ from the shipped list",
		Found: found, Expected: c.expected(func(e *Expected) string { return strings.Join(e.Depend, ", ") }),
		Fix:     append(c.variantSteps("Set the dependencies", CmdDepend), restartStep()),
		Section: secStart, ArticleRow: "ERROR_SERVICE_DEPENDENCY_DELETED ERROR_SERVICE_DEPENDENCY_FAIL",
		Codes: []string{"0x80070433", "0x8007042C"}, Evidence: []string{o.From}}
	if len(unknown) > 0 {
		f.Notes = append(f.Notes, "BITS cannot start when a service it depends on is missing or cannot start: "+strings.Join(unknown, ", ")+".")
	}
	if c.m.Version.Family >= FamilyWin10Early && containsFold(got, "EventSystem") {
		f.Notes = append(f.Notes, "Windows 10 and later depend on RpcSs only; EventSystem is added by pasting the article's Windows 7 command.")
	}
	c.add(f)
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !containsFold(b, x) {
			return false
		}
	}
	return true
}

func (c *checker) privileges() {
	o := c.m.Privileges
	if !o.Known {
		return
	}
	for _, f := range c.families() {
		if sameSet(o.Value, ExpectedFor(f).Privileges) {
			return
		}
	}
	var missing []string
	for _, p := range ExpectedFor(c.families()[len(c.families())-1]).Privileges {
		if !containsFold(o.Value, p) && (p != "SeDebugPrivilege" || c.m.Version.Family >= FamilyWin10Early) {
			missing = append(missing, p)
		}
	}
	sev := analyze.SeverityWarning
	for _, p := range missing {
		if p == "SeImpersonatePrivilege" || p == "SeTcbPrivilege" || p == "SeAssignPrimaryTokenPrivilege" {
			sev = analyze.SeverityError
		}
	}
	f := Finding{Item: ItemPrivileges, KBID: "service-repair", Severity: sev, Title: "BITS required privileges differ from the shipped list",
		Found: strings.Join(o.Value, ", "), Expected: c.expected(func(e *Expected) string { return strings.Join(e.Privileges, ", ") }),
		Fix:     append(c.variantSteps("Set the whole privilege list (sc.exe privs replaces the list, so every privilege is named)", CmdPrivs), restartStep()),
		Section: secRepair, Evidence: []string{o.From}}
	if len(missing) > 0 {
		f.Notes = append(f.Notes, "Missing: "+strings.Join(missing, ", ")+".")
	}
	if containsFold(o.Value, "SeIncreateQuotaPrivilege") {
		f.Notes = append(f.Notes, "SeIncreateQuotaPrivilege is the article's typo: its sc privs command was pasted as printed.")
	}
	c.add(f)
}

func (c *checker) failure() {
	m := c.m
	if !m.ResetPeriod.Known && !m.Actions.Known {
		return
	}
	want := "reset 86400 s; RESTART 60000 ms, RESTART 120000 ms"
	got := describeFailure(m)
	if got == want {
		return
	}
	from := m.ResetPeriod.From
	if from == "" {
		from = m.Actions.From
	}
	c.add(Finding{Item: ItemFailure, KBID: "service-repair", Severity: analyze.SeverityInfo, Title: "BITS recovery actions differ from the shipped ones",
		Found: got, Expected: want, Fix: []analyze.Step{step("Set the recovery actions:", CmdFailure)},
		Section: secRepair, Evidence: []string{from}})
}

func describeFailure(m *Machine) string {
	var acts []string
	for _, a := range m.Actions.Value {
		if a.Action == "NONE" {
			continue // the shipped value ends with a NONE action
		}
		acts = append(acts, fmt.Sprintf("%s %d ms", a.Action, a.DelayMS))
	}
	if len(acts) == 0 {
		acts = []string{"no actions"}
	}
	return fmt.Sprintf("reset %d s; %s", m.ResetPeriod.Value, strings.Join(acts, ", "))
}

func (c *checker) netsvcs() {
	o := c.m.Netsvcs
	if !o.Known || containsFold(o.Value, "BITS") {
		return
	}
	c.add(Finding{Item: ItemNetsvcs, KBID: "start-service-not-in-exe", Severity: analyze.SeverityError,
		Title: "BITS is not in the netsvcs svchost group (ERROR_SERVICE_NOT_IN_EXE)", Found: fmt.Sprintf("netsvcs lists %d services, not BITS", len(o.Value)),
		Expected: "BITS among the netsvcs names",
		Fix: []analyze.Step{step("Add BITS to the group (reg.exe add replaces the whole list, so the command repeats the machine's current list):", CmdNetsvcs(o.Value)),
			step("Restart Windows: svchost reads the group when it starts.")},
		Section: secStart, ArticleRow: "ERROR_SERVICE_NOT_IN_EXE", Codes: []string{"0x8007043B"}, Evidence: []string{o.From}})
}

// Security descriptors accepted as good (config-facts §2.10).
var goodSDDL = []string{
	`D:(A;CI;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)(A;;CCLCSWLOCRRC;;;SU)S:(AU;SAFA;WDWO;;;BA)`,
	`D:(A;CI;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)(A;;CCLCSWLOCRRC;;;SU)`,
	`D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;AU)(A;;CCLCSWRPWPDTLOCRRC;;;PU)`,
}

func (c *checker) security() {
	o := c.m.SDDL
	if !o.Known || o.Value == "" {
		return
	}
	for _, g := range goodSDDL {
		if strings.EqualFold(strings.TrimSpace(o.Value), g) {
			return
		}
	}
	sev := analyze.SeverityInfo
	if strings.Contains(o.Value, "(D;") {
		sev = analyze.SeverityWarning
	}
	c.add(Finding{Item: ItemSecurity, KBID: "service-repair", Severity: sev, Title: "BITS service security descriptor is not a known default",
		Found: o.Value, Expected: goodSDDL[0], Fix: []analyze.Step{step("Restore the shipped descriptor:", CmdSDSet)},
		Section: secRepair, Evidence: []string{o.From}})
}

// CmdCreate recreates the service for family f.
func CmdCreate(f Family) string {
	return `sc.exe create BITS type= share start= delayed-auto binPath= "` + ExpectedFor(f).ImagePath + `" obj= LocalSystem depend= ` +
		strings.Join(ExpectedFor(f).Depend, "/") + ` DisplayName= "Background Intelligent Transfer Service"`
}
