package analyze

import (
	"embed"
	"fmt"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
)

//go:embed kbdata/*.json
var kbData embed.FS

// kbSet is the knowledge base while files are being merged.
type kbSet struct {
	procs     map[string]procFile
	procFrom  map[string]string // procedure id -> file
	entries   []entryFile
	entryFrom []string // file of each entry
	codes     map[uint32]codeFile
	codeFrom  map[uint32]string
	sources   *catalog // what signatures and rules may name
	rules     map[ruleKey]ruleFile
	ruleFrom  map[ruleKey]string
}

// ruleKey identifies an event of a provider (lower case).
type ruleKey struct {
	provider string
	id       uint16
}

func keyOf(provider string, id uint16) ruleKey { return ruleKey{strings.ToLower(provider), id} }

// loadKB reads the embedded files, then each override file in order, and
// builds and validates the result.
func loadKB(sources []Source, overrides []string) (*KB, error) {
	set := &kbSet{
		sources:  newCatalog(sources),
		rules:    map[ruleKey]ruleFile{},
		ruleFrom: map[ruleKey]string{},
		procs:    map[string]procFile{},
		procFrom: map[string]string{},
		codes:    map[uint32]codeFile{},
		codeFrom: map[uint32]string{},
	}
	names, err := kbData.ReadDir("kbdata")
	if err != nil {
		return nil, &KBError{File: "embedded kbdata", Problem: err.Error()}
	}
	sort.Slice(names, func(i, j int) bool { return names[i].Name() < names[j].Name() })
	for _, n := range names {
		name := "embedded kbdata/" + n.Name()
		fh, err := kbData.Open(path.Join("kbdata", n.Name()))
		if err != nil {
			return nil, &KBError{File: name, Problem: err.Error()}
		}
		f, err := decodeKBFile(name, fh)
		fh.Close()
		if err != nil {
			return nil, err
		}
		if err := set.add(name, f, false); err != nil {
			return nil, err
		}
	}
	for _, p := range overrides {
		if fi, err := os.Stat(p); err == nil && !fi.Mode().IsRegular() {
			// A FIFO would block the open until a writer comes.
			return nil, &KBError{File: p, Problem: "not a regular file (a FIFO, device or folder): give a JSON file"}
		}
		fh, err := os.Open(p)
		if err != nil {
			return nil, &KBError{File: p, Problem: "cannot open: " + err.Error()}
		}
		f, err := decodeKBFile(p, fh)
		fh.Close()
		if err != nil {
			return nil, err
		}
		if err := set.add(p, f, true); err != nil {
			return nil, err
		}
	}
	return set.build()
}

// checkID rejects a malformed id or one repeated within the file (seen).
func checkID(file, item, kind, id string, seen map[string]bool) error {
	if !validID(id) {
		return &KBError{File: file, Item: item, Problem: "id must be lower-case letters, digits and hyphens"}
	}
	if seen[id] {
		return &KBError{File: file, Item: item, Problem: kind + " id repeated in this file"}
	}
	seen[id] = true
	return nil
}

// add merges one file. Within the embedded data a repeated id or code is an
// error; an override file replaces same-id entries and procedures and
// same-code table rows (but may not repeat one within itself).
func (s *kbSet) add(file string, f *kbFile, override bool) error {
	seen := map[string]bool{}
	for i, p := range f.Procedures {
		item := fmt.Sprintf("procedure %d (%q)", i+1, p.ID)
		if err := checkID(file, item, "procedure", p.ID, seen); err != nil {
			return err
		}
		if from, dup := s.procFrom[p.ID]; dup && !override {
			return &KBError{File: file, Item: item, Problem: "procedure id already defined in " + from}
		}
		s.procs[p.ID], s.procFrom[p.ID] = p, file
	}
	seen = map[string]bool{}
	for i, e := range f.Entries {
		item := fmt.Sprintf("entry %d (%q)", i+1, e.ID)
		if err := checkID(file, item, "entry", e.ID, seen); err != nil {
			return err
		}
		if override {
			e.Source = "kb file " + file
		}
		for j, sig := range e.Events {
			if err := s.sources.checkEvent(sig.Provider, sig.EventID); err != nil {
				return &KBError{File: file, Item: item, Problem: fmt.Sprintf("event %d: %v", j+1, err)}
			}
		}
		replaced := false
		for j := range s.entries {
			if s.entries[j].ID != e.ID {
				continue
			}
			if !override {
				return &KBError{File: file, Item: item, Problem: "entry id already defined in " + s.entryFrom[j]}
			}
			s.entries[j], s.entryFrom[j] = e, file
			replaced = true
		}
		if !replaced {
			s.entries = append(s.entries, e)
			s.entryFrom = append(s.entryFrom, file)
		}
	}
	seenRule := map[ruleKey]bool{}
	for i, r := range f.EventRules {
		item := fmt.Sprintf("event rule %d (%s %d)", i+1, r.Provider, r.EventID)
		k := keyOf(r.Provider, r.EventID)
		if err := s.sources.checkEvent(r.Provider, r.EventID); err != nil {
			return &KBError{File: file, Item: item, Problem: err.Error()}
		}
		if seenRule[k] {
			return &KBError{File: file, Item: item, Problem: "repeated in this file"}
		}
		seenRule[k] = true
		if from, dup := s.ruleFrom[k]; dup && !override {
			return &KBError{File: file, Item: item, Problem: "already defined in " + from}
		}
		s.rules[k], s.ruleFrom[k] = r, file
	}
	seenCode := map[uint32]bool{}
	for i, c := range f.Codes {
		item := fmt.Sprintf("code %d (%q)", i+1, c.Code)
		v, err := ParseCode(c.Code)
		if err != nil {
			return &KBError{File: file, Item: item, Problem: err.Error()}
		}
		if c.Category == "" || (c.Name == "" && c.Meaning == "") {
			return &KBError{File: file, Item: item, Problem: "needs a category and a name or a meaning"}
		}
		if err := checkComponent(c, override); err != nil {
			return &KBError{File: file, Item: item, Problem: err.Error()}
		}
		if seenCode[v] {
			return &KBError{File: file, Item: item, Problem: FormatCode(v) + " repeated in this file"}
		}
		seenCode[v] = true
		if from, dup := s.codeFrom[v]; dup && !override {
			return &KBError{File: file, Item: item, Problem: FormatCode(v) + " already listed in " + from}
		}
		s.codes[v], s.codeFrom[v] = c, file
	}
	return nil
}

// build turns the merged files into a KB and validates it.
func (s *kbSet) build() (*KB, error) {
	kb := &KB{
		byID:   map[string]*Entry{},
		byCode: map[uint32]*Entry{},
		codes:  make(map[uint32]codeRow, len(s.codes)),
	}
	for v, c := range s.codes {
		kb.codes[v] = codeRow{Name: c.Name, Aliases: c.Aliases, Category: c.Category, Meaning: c.Meaning, Component: c.Component}
	}
	kb.procs = make(map[string]*Procedure, len(s.procs))
	for id, p := range s.procs {
		var corr []string
		steps, err := s.steps(p.Steps, &corr, 0)
		if err == nil && len(steps) == 0 {
			err = fmt.Errorf("has no steps")
		}
		if err != nil {
			return nil, &KBError{File: s.procFrom[id], Item: fmt.Sprintf("procedure %q", id), Problem: err.Error()}
		}
		kb.procs[id] = &Procedure{ID: id, Title: p.Title, Section: p.Section, Steps: steps,
			Corrections: appendUnique(append([]string(nil), p.Corrections...), corr...)}
	}
	for i, ef := range s.entries {
		file, item := s.entryFrom[i], fmt.Sprintf("entry %q", ef.ID)
		e, err := s.entry(ef)
		if err != nil {
			return nil, &KBError{File: file, Item: item, Problem: err.Error()}
		}
		for _, c := range e.codes {
			if other := kb.byCode[c]; other != nil {
				return nil, &KBError{File: file, Item: item, Problem: fmt.Sprintf("code %s already belongs to entry %q (one entry per code)", FormatCode(c), other.ID)}
			}
			kb.byCode[c] = e
		}
		kb.byID[e.ID] = e
		kb.Entries = append(kb.Entries, e)
	}
	for i, e := range kb.Entries {
		for _, id := range e.SeeAlso {
			if kb.byID[id] == nil {
				return nil, &KBError{File: s.entryFrom[i], Item: fmt.Sprintf("entry %q", e.ID), Problem: fmt.Sprintf("see_also names unknown entry %q", id)}
			}
		}
	}
	kb.rules = make(map[ruleKey]EventRule, len(s.rules))
	for k, rf := range s.rules {
		r, err := rf.rule(kb)
		if err != nil {
			return nil, &KBError{File: s.ruleFrom[k], Item: fmt.Sprintf("event rule (%s %d)", rf.Provider, rf.EventID), Problem: err.Error()}
		}
		kb.rules[k] = r
	}
	for i, e := range kb.Entries {
		for j, sig := range e.Events {
			if err := s.sources.checkCodeField(kb, sig); err != nil {
				return nil, &KBError{File: s.entryFrom[i], Item: fmt.Sprintf("entry %q", e.ID), Problem: fmt.Sprintf("event %d: %v", j+1, err)}
			}
		}
	}
	if err := checkArticle(kb, s); err != nil {
		return nil, err
	}
	return kb, nil
}

// rule checks a rule file row against the built KB and makes the EventRule.
func (rf ruleFile) rule(kb *KB) (EventRule, error) {
	r := EventRule{codeFields: rf.CodeFields, pct: rf.PercentCodes, fallbackID: rf.Fallback,
		unknownCode: rf.UnknownCode, scope: rf.Scope, noStatus: rf.NoStatus, kind: ServiceEventKind(rf.Timeline)}
	switch rf.Policy {
	case "code-only":
		r.policy = codeOnly
	case "code-first":
		r.policy = codeFirst
	case "event-first":
		r.policy = eventFirst
	default:
		return r, fmt.Errorf("policy %q: use code-only, code-first or event-first", rf.Policy)
	}
	if rf.Scope != "job" && rf.Scope != "service" && rf.Scope != scopeWU {
		return r, fmt.Errorf("scope %q: use job, service or wu", rf.Scope)
	}
	switch r.kind {
	case "", ServiceState, ServiceStartType, ServiceStartFailure, ServiceCrash, ServiceTimeout, ServiceLogonFailure, ServiceBITSSystem:
	default:
		return r, fmt.Errorf("timeline %q: use state, start-type, start-failure, crash, timeout, logon-failure or bits-system", rf.Timeline)
	}
	if rf.ImpliedCode != "" {
		c, err := ParseCode(rf.ImpliedCode)
		if err != nil {
			return r, fmt.Errorf("implied_code: %v", err)
		}
		r.impliedCode = c
	}
	if rf.Fallback != "" && kb.byID[rf.Fallback] == nil {
		return r, fmt.Errorf("fallback names unknown entry %q", rf.Fallback)
	}
	if r.policy == codeOnly && len(r.codeFields) == 0 && r.impliedCode == 0 {
		return r, fmt.Errorf("a code-only rule needs code_fields or an implied_code")
	}
	return r, nil
}

// entry converts and checks one entry.
func (s *kbSet) entry(ef entryFile) (*Entry, error) {
	e := &Entry{
		ID: ef.ID, Title: ef.Title, Severity: ef.Severity, Transient: ef.Transient,
		Events: ef.Events, Cause: ef.Cause, Section: ef.Section, ArticleRow: ef.ArticleRow,
		ArticleText: ef.ArticleText, SeeAlso: ef.SeeAlso, Kind: ef.Kind, Source: ef.Source,
	}
	if e.Source == "" {
		e.Source = "article"
		if e.Kind == KindExtra {
			e.Source = "bits-facts"
		}
	}
	if strings.TrimSpace(e.Title) == "" || strings.TrimSpace(e.Cause) == "" {
		return nil, fmt.Errorf("needs a title and a cause")
	}
	if !validSeverity(e.Severity) {
		return nil, fmt.Errorf("severity %q: use error, warning or info", e.Severity)
	}
	switch e.Kind {
	case KindRow:
		if e.ArticleRow == "" || e.Section == "" || len(ef.Codes) == 0 {
			return nil, fmt.Errorf("a row entry needs article_row, section and codes")
		}
	case KindSection:
		if len(e.Events) == 0 {
			return nil, fmt.Errorf("a section entry needs at least one event signature")
		}
		if e.Section == "" && e.Source == "article" {
			return nil, fmt.Errorf("a section entry from the article needs its section title (or set source)")
		}
	case KindProcedure:
		if len(ef.Codes) != 0 || len(e.Events) != 0 {
			return nil, fmt.Errorf("a procedure entry has no codes and no events of its own")
		}
	case KindExtra:
		if len(ef.Codes) != 1 {
			return nil, fmt.Errorf("an extra entry covers exactly one code, not %d", len(ef.Codes))
		}
	default:
		return nil, fmt.Errorf("kind %q: use row, section, procedure or extra", e.Kind)
	}
	for _, c := range ef.Codes {
		v, err := ParseCode(c)
		if err != nil {
			return nil, err
		}
		if !containsCode(e.codes, v) {
			e.codes = append(e.codes, v)
			e.Codes = append(e.Codes, FormatCode(v))
		}
	}
	for i, sig := range e.Events {
		if sig.Provider == "" || sig.EventID == 0 {
			return nil, fmt.Errorf("event %d needs a provider and an event_id", i+1)
		}
		if sig.Severity != "" && !validSeverity(sig.Severity) {
			return nil, fmt.Errorf("event %d: severity %q: use error, warning or info", i+1, sig.Severity)
		}
		if sig.CodeField != "" && len(e.codes) == 0 {
			return nil, fmt.Errorf("event %d has a code_field but the entry has no codes", i+1)
		}
	}
	if len(ef.Fix) == 0 {
		return nil, fmt.Errorf("needs at least one fix step")
	}
	var corr []string
	var err error
	if e.Fix, err = s.steps(ef.Fix, &corr, 0); err != nil {
		return nil, fmt.Errorf("fix: %v", err)
	}
	if e.Verify, err = s.steps(ef.Verify, &corr, 0); err != nil {
		return nil, fmt.Errorf("verify: %v", err)
	}
	for i, vf := range ef.Variants {
		v, err := s.variant(vf, &corr)
		if err != nil {
			return nil, fmt.Errorf("variant %d: %v", i+1, err)
		}
		e.Variants = append(e.Variants, v)
	}
	e.Corrections = appendUnique(append([]string(nil), ef.Corrections...), corr...)
	if e.Verify == nil {
		e.Verify = []Step{}
	}
	if e.Codes == nil {
		e.Codes = []string{}
	}
	if e.Events == nil {
		e.Events = []EventSig{}
	}
	return e, nil
}

// variant converts and checks one variant of an entry.
func (s *kbSet) variant(vf variantFile, corr *[]string) (Variant, error) {
	v := Variant{Proxy: vf.Proxy, Owner: vf.Owner, Windows: vf.Windows, Cause: vf.Cause, Comment: vf.Comment}
	if v.Proxy != "" && v.Proxy != CondPresent && v.Proxy != CondAbsent {
		return v, fmt.Errorf("proxy %q: use present or absent", v.Proxy)
	}
	if v.Owner != "" && v.Owner != CondService && v.Owner != CondUser {
		return v, fmt.Errorf("owner %q: use service or user", v.Owner)
	}
	if v.Windows != "" {
		if _, _, err := parseWindowsCond(v.Windows); err != nil {
			return v, err
		}
	}
	if v.Proxy == "" && v.Owner == "" && v.Windows == "" {
		return v, fmt.Errorf("needs a condition (proxy, owner or windows)")
	}
	if strings.TrimSpace(v.Cause) == "" || len(vf.Fix) == 0 {
		return v, fmt.Errorf("needs a cause and at least one fix step")
	}
	var err error
	if v.Fix, err = s.steps(vf.Fix, corr, 0); err != nil {
		return v, fmt.Errorf("fix: %v", err)
	}
	if v.Verify, err = s.steps(vf.Verify, corr, 0); err != nil {
		return v, fmt.Errorf("verify: %v", err)
	}
	return v, nil
}

// maxUseDepth bounds nested procedure references (and so catches cycles).
const maxUseDepth = 4

// steps expands "use" references and collects the used procedures' corrections.
func (s *kbSet) steps(in []stepFile, corr *[]string, depth int) ([]Step, error) {
	var out []Step
	for i, st := range in {
		if st.Use != "" {
			if st.Text != "" || len(st.Commands) != 0 || st.Shell != "" {
				return nil, fmt.Errorf("step %d: \"use\" stands alone (no text or commands)", i+1)
			}
			p, ok := s.procs[st.Use]
			if !ok {
				return nil, fmt.Errorf("step %d uses unknown procedure %q", i+1, st.Use)
			}
			if depth >= maxUseDepth {
				return nil, fmt.Errorf("procedure %q: references nested too deep (a cycle?)", st.Use)
			}
			sub, err := s.steps(p.Steps, corr, depth+1)
			if err != nil {
				return nil, fmt.Errorf("procedure %q: %v", st.Use, err)
			}
			attachCorrections(sub, p.Corrections)
			out = append(out, sub...)
			*corr = appendUnique(*corr, p.Corrections...)
			continue
		}
		if strings.TrimSpace(st.Text) == "" {
			return nil, fmt.Errorf("step %d has no text", i+1)
		}
		if err := checkStepShell(st); err != nil {
			return nil, fmt.Errorf("step %d: %v", i+1, err)
		}
		out = append(out, Step{Text: st.Text, Commands: st.Commands, Shell: st.Shell})
	}
	return out, nil
}

// Procedure returns the named fix procedure ("find-bits", "restart-bits",
// "repair-config", ...) with its steps expanded, or nil.
func (kb *KB) Procedure(id string) *Procedure {
	if kb == nil {
		return nil
	}
	return kb.procs[id]
}

func validID(id string) bool {
	if id == "" || len(id) > 64 || id[0] == '-' {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func validSeverity(s Severity) bool {
	return s == SeverityError || s == SeverityWarning || s == SeverityInfo
}

func containsCode(list []uint32, v uint32) bool {
	for _, c := range list {
		if c == v {
			return true
		}
	}
	return false
}

func appendUnique(list []string, more ...string) []string {
	for _, m := range more {
		dup := false
		for _, l := range list {
			if l == m {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, m)
		}
	}
	return list
}

// componentCategories are the code categories whose rows must name their
// component (the reporting software's part, kbdata "component").
var componentCategories = map[string]bool{"Windows Update": true, "Delivery Optimization": true}

// checkComponent validates a code row's component: one line of plain text,
// present in the built-in rows of the categories that need it (a --kb file
// may leave it out).
func checkComponent(c codeFile, override bool) error {
	comp := strings.TrimSpace(c.Component)
	switch {
	case comp != c.Component || strings.ContainsAny(c.Component, "\r\n\t"):
		return fmt.Errorf("component %q: one line without surrounding spaces", c.Component)
	case len(comp) > 80:
		return fmt.Errorf("component is longer than 80 characters")
	case comp == "" && !override && componentCategories[c.Category]:
		return fmt.Errorf("a %s code row needs a component", c.Category)
	}
	return nil
}

// envVar matches a Command Prompt variable such as %SystemRoot%; PowerShell
// does not expand it. (curl's -w "%{http_code}" does not match.)
var envVar = regexp.MustCompile(`%[A-Za-z_][A-Za-z0-9_()]*%`)

// checkStepShell checks a step's shell against its commands: a step with
// commands names a known shell, one without names none, %VAR% variables are
// for Command Prompt steps only, and sc is written sc.exe (in PowerShell, sc
// is the Set-Content alias).
func checkStepShell(st stepFile) error {
	if len(st.Commands) == 0 {
		if st.Shell != "" {
			return fmt.Errorf("\"shell\" %q given but the step has no commands", st.Shell)
		}
		return nil
	}
	if !st.Shell.Valid() {
		if st.Shell == "" {
			return fmt.Errorf("a step with commands needs \"shell\": cmd, powershell or either")
		}
		return fmt.Errorf("\"shell\" %q: use cmd, powershell or either", st.Shell)
	}
	for _, c := range st.Commands {
		if v := envVar.FindString(c); v != "" && st.Shell != ShellCmd {
			return fmt.Errorf("command %q uses %s, which only Command Prompt expands: make the step \"shell\": \"cmd\"", c, v)
		}
		if strings.HasPrefix(strings.TrimSpace(c), "sc ") {
			return fmt.Errorf("command %q: write sc.exe (in PowerShell, sc is the Set-Content alias)", c)
		}
	}
	return nil
}

// attachCorrections puts a procedure's corrections on the first of its steps
// with commands (the commands they correct), so a report shows them there.
func attachCorrections(steps []Step, corr []string) {
	if len(corr) == 0 {
		return
	}
	for i := range steps {
		if len(steps[i].Commands) > 0 {
			steps[i].Corrections = appendUnique(append([]string(nil), steps[i].Corrections...), corr...)
			return
		}
	}
}
