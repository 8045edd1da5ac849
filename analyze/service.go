package analyze

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// serviceStates are the SERVICE_STATUS state numbers of a 7036 <Binary>.
var serviceStates = map[string]string{
	"1": "stopped", "2": "start pending", "3": "stop pending", "4": "running",
	"5": "continue pending", "6": "pause pending", "7": "paused",
}

// startTypeWords maps start-type words (as 7040 logs them, in the languages
// seen so far) to "auto", "demand", "disabled", "boot" or "system".
var startTypeWords = map[string]string{
	"auto start": "auto", "automatic": "auto", "auto": "auto", "自动启动": "auto", "otomatik başlatma": "auto",
	"automatisch starten": "auto", "démarrage automatique": "auto", "inicio automático": "auto",
	"avvio automatico": "auto", "自動起動": "auto", "自動開始": "auto", "автоматически": "auto", "início automático": "auto",
	"demand start": "demand", "manual": "demand", "按需启动": "demand", "isteğe bağlı başlatma": "demand",
	"manuell starten": "demand", "démarrage à la demande": "demand", "inicio a petición": "demand",
	"avvio su richiesta": "demand", "要求時起動": "demand", "要求時開始": "demand", "手動": "demand", "по требованию": "demand",
	"início por solicitação": "demand",
	"disabled":               "disabled", "已禁用": "disabled", "禁用": "disabled", "devre dışı": "disabled",
	"deaktiviert": "disabled", "désactivé": "disabled", "deshabilitado": "disabled", "disabilitato": "disabled",
	"無効": "disabled", "отключена": "disabled", "desativado": "disabled", "uitgeschakeld": "disabled",
	"boot start": "boot", "system start": "system",
}

// startType classifies a 7040 start-type word; "" when unknown.
func startType(w string) string {
	w = strings.ToLower(strings.TrimSpace(w))
	if t, ok := startTypeWords[w]; ok {
		return t
	}
	for _, k := range []string{"disab", "禁用", "devre dışı", "deaktiv", "désactiv", "deshabilit", "отключ"} {
		if strings.Contains(w, k) {
			return "disabled"
		}
	}
	return ""
}

// stateWords maps English 7036 state words, for records without <Binary>.
var stateWords = map[string]string{"running": "running", "stopped": "stopped", "paused": "paused"}

// handleSCM processes a Service Control Manager event about BITS.
func (s *state) handleSCM(e *Fact) {
	se := ServiceEvent{Time: e.TimeCreated, Computer: e.Computer, EventID: e.EventID,
		File: e.Source.File, RecordID: e.RecordID}
	switch e.EventID {
	case 7036:
		st := ""
		if _, n, ok := binaryKey(e.Binary); ok {
			st = serviceStates[n]
		}
		if st == "" {
			st = stateWords[strings.ToLower(strings.TrimSpace(e.Value("param2")))]
		}
		se.Kind = "state"
		if st != "" {
			se.Text = "BITS entered the " + st + " state"
			s.lastState[e.Computer] = st
		} else {
			se.Text = "BITS state: " + e.Value("param2")
			s.lastState[e.Computer] = e.Value("param2")
		}
		if st == "running" {
			s.healthy(serviceSubject(e.Computer), e.TimeCreated)
			s.healthy(subject{kind: subjStartType, computer: e.Computer}, e.TimeCreated)
		}
		s.timeline = append(s.timeline, se)
		return
	case 7040:
		s.handleStartType(e, se)
		return
	}
	r, ok := s.kb.Rule(e.Provider, e.EventID)
	if !ok {
		return
	}
	se.Kind = r.kind
	se.Text = scmText(e)
	for _, f := range r.codeFields {
		if v := strings.TrimSpace(e.Value(f)); v != "" && (!r.pct || strings.HasPrefix(v, "%%")) {
			if c, ok := scmCode(v); ok {
				se.Code = FormatCode(c)
				break
			}
		}
	}
	switch r.kind {
	case "start-failure":
		s.startFails++
		s.lastState[e.Computer] = "stopped"
	case "crash":
		s.crashes++
		s.lastState[e.Computer] = "stopped"
	}
	s.timeline = append(s.timeline, se)
	s.apply(e, r, jobCtx{})
}

// handleStartType processes 7040: auto<->demand flapping is routine; a change
// to disabled is a finding.
func (s *state) handleStartType(e *Fact, se ServiceEvent) {
	from, to := e.Value("param2"), e.Value("param3")
	ft, tt := startType(from), startType(to)
	se.Kind = "start-type"
	se.Text = fmt.Sprintf("BITS start type changed from %q to %q", from, to)
	se.Routine = (ft == "auto" || ft == "demand") && (tt == "auto" || tt == "demand")
	s.typeWords[len(s.timeline)] = [2]string{from, to}
	s.timeline = append(s.timeline, se)
	if tt != "" {
		s.lastStartType[e.Computer] = startTypeLabel(tt)
	} else {
		s.lastStartType[e.Computer] = to
	}
	if tt != "disabled" {
		s.healthy(subject{kind: subjStartType, computer: e.Computer}, e.TimeCreated)
		return
	}
	en, sev := s.resolve(e, EventRule{policy: eventFirst}, 0, false)
	if en == nil {
		if c := s.kb.ByCode(0x80070422); c != nil && compatible(c, e) {
			en = c
		} else if en = s.kb.ByID("start-service-disabled"); en == nil {
			return // only a knowledge base without the article's rows lacks it
		}
	}
	s.occs = append(s.occs, &occurrence{kbID: en.ID, entry: en, sigSev: sev, ev: e, scope: "service",
		subjects: []subject{{kind: subjStartType, computer: e.Computer}}})
}

func startTypeLabel(t string) string {
	switch t {
	case "auto", "demand", "boot", "system":
		return t + " start"
	}
	return t
}

// handleBITSSystem puts BITS' own System-log events on the service timeline.
func (s *state) handleBITSSystem(e *Fact) {
	r, ok := s.kb.Rule(e.Provider, e.EventID)
	if !ok || r.kind == "" {
		return
	}
	se := ServiceEvent{Time: e.TimeCreated, Computer: e.Computer, EventID: e.EventID, Kind: r.kind,
		File: e.Source.File, RecordID: e.RecordID, Text: bitsSystemText(e)}
	for _, f := range r.codeFields {
		if c, ok := parseCodeValue(e.Value(f)); ok {
			se.Code = FormatCode(c)
			break
		}
	}
	if r.kind == "start-failure" {
		s.startFails++
	}
	s.timeline = append(s.timeline, se)
}

// scmText describes an SCM failure event in a few words (payload values are
// shown as logged; they may be localised).
func scmText(e *Fact) string {
	p := func(n string) string { return strings.TrimSpace(e.Value(n)) }
	switch e.EventID {
	case 7000:
		return "BITS failed to start: " + p("param2")
	case 7001:
		return "BITS failed to start because dependency " + quote(p("param2")) + " failed: " + p("param3")
	case 7003:
		return "BITS depends on a service that does not exist: " + quote(p("param2"))
	case 7009, 7011:
		return "timeout (" + p("param1") + " ms) waiting for BITS"
	case 7022:
		return "BITS hung on starting"
	case 7023:
		return "BITS terminated with error " + p("param2")
	case 7024:
		return "BITS terminated with service-specific error " + p("param2")
	case 7031:
		t := "BITS terminated unexpectedly" + crashCount(p("param2"))
		if a := p("param5"); a != "" {
			t += "; recovery action: " + a
		}
		return t
	case 7034:
		return "BITS terminated unexpectedly" + crashCount(p("param2"))
	case 7038:
		return "BITS could not log on as " + quote(p("param2")) + ": " + p("param3")
	case 7041:
		return "BITS account " + quote(p("param2")) + " lacks the right to log on as a service"
	case 7032:
		return "the recovery action " + quote(p("param2")) + " for BITS failed: " + p("param4")
	case 7043:
		return "BITS did not shut down properly after the preshutdown control"
	case 7046:
		return "BITS repeatedly stopped responding to service controls"
	}
	return fmt.Sprintf("Service Control Manager event %d about BITS", e.EventID)
}

// clip shortens s to at most n runes, marking the cut.
func clip(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}

// crashCount turns the "It has done this N time(s)" value of 7031/7034
// into " (N times so far)"; "" when the value is missing or not a number.
func crashCount(v string) string {
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return ""
	}
	return " (" + plural(n, "time") + " so far)"
}

// bitsSystemText describes a Bits-Client System-log event.
func bitsSystemText(e *Fact) string {
	switch e.EventID {
	case 16392:
		return "the BITS service failed to start (error " + codeText("", e.Value("ErrorCode")) + ")"
	case 16397:
		return fmt.Sprintf("per-user job limit %s is larger than the per-computer limit %s", e.Value("currentSize"), e.Value("currentLimit"))
	case 16398, 16400, 16401, 16402:
		return fmt.Sprintf("limit reached for %s: %s of %s", e.Value("entityName"), e.Value("currentSize"), e.Value("currentLimit"))
	case 16404:
		return fmt.Sprintf("exception in %s line %s (hr %s)", e.Value("function"), e.Value("line"), codeText("", e.Value("hr")))
	case 16385, 16386:
		t := "temporary files of the cancelled job were not deleted: " + clip(e.Value("FileList"), 300)
		if e.EventID == 16386 {
			t += " (list cut short)"
		}
		return t
	case 16390:
		return "the job could not notify its application; next try in " + e.Value("RetryWaitTime") + " minutes"
	case 16391:
		return "the job list was in an unrecognised format; BITS cleared it"
	case 16405:
		return "bandwidth policy value " + quote(e.Value("SubKeyOrValueName")) + " is missing or out of range (key " + quote(e.Value("Key")) + ")"
	case 17005:
		return "BITS is configured to run as " + quote(firstValue(e, "string", "param1")) + ", not LocalSystem"
	}
	return fmt.Sprintf("Bits-Client System event %d", e.EventID)
}

// service returns the service section of the result. The timeline is
// already in time order: events are handled in that order.
func (s *state) service() Service {
	tl := append([]ServiceEvent{}, s.timeline...)
	s.markFlapping(tl)
	return Service{Timeline: tl, StartFails: s.startFails, Crashes: s.crashes,
		StateNow: perComputer(s.lastState), StartType: perComputer(s.lastStartType)}
}

// perComputer is the value all computers share, or "computer: value" for
// each when they differ.
func perComputer(m map[string]string) string {
	comps := make([]string, 0, len(m))
	same := true
	for c, v := range m {
		comps = append(comps, c)
		same = same && v == m[comps[0]]
	}
	if len(comps) == 0 {
		return ""
	}
	sort.Strings(comps)
	if same {
		return m[comps[0]]
	}
	parts := make([]string, len(comps))
	for i, c := range comps {
		parts[i] = c + ": " + m[c]
	}
	return strings.Join(parts, "; ")
}

// markFlapping marks 7040 changes between unrecognised (e.g. localised)
// words as routine when the same pair also changes back on that computer and
// neither word reads as disabled.
func (s *state) markFlapping(tl []ServiceEvent) {
	type pair struct{ c, from, to string }
	seen := map[pair]bool{}
	for i, w := range s.typeWords {
		seen[pair{tl[i].Computer, w[0], w[1]}] = true
	}
	for i, w := range s.typeWords {
		if tl[i].Routine || startType(w[0]) == "disabled" || startType(w[1]) == "disabled" {
			continue
		}
		if seen[pair{tl[i].Computer, w[1], w[0]}] {
			tl[i].Routine = true
		}
	}
}
