package analyze

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// LogKind is the kind of log an input holds, as far as the diagnosis cares.
type LogKind string

// Log kinds of the evidence matrix.
const (
	LogSystem        LogKind = "system"         // System: the SCM's view of the BITS service, BITS's own System events
	LogBITSClient    LogKind = "bits-client"    // Microsoft-Windows-Bits-Client/Operational: jobs and transfers
	LogWindowsUpdate LogKind = "windows-update" // Microsoft-Windows-WindowsUpdateClient/Operational
	LogOther         LogKind = "other"
)

// Channel names of the logs the diagnosis asks for.
const (
	ChannelSystem     = "System"
	ChannelBITSClient = "Microsoft-Windows-Bits-Client/Operational"
)

// logKind classifies a channel name.
func logKind(channel string) LogKind {
	switch c := strings.ToLower(channel); {
	case c == "system":
		return LogSystem
	case c == strings.ToLower(ChannelBITSClient):
		return LogBITSClient
	case strings.HasPrefix(c, "microsoft-windows-windowsupdateclient/"):
		return LogWindowsUpdate
	}
	return LogOther
}

// ComputerEvidence is one row of the evidence matrix: which logs of one
// computer are among the inputs, the time each covers, and what cannot be
// seen for lack of the others.
type ComputerEvidence struct {
	Computer string       `json:"computer"` // "" when no analysed record named the computer
	Logs     []LogSpan    `json:"logs"`
	Missing  []MissingLog `json:"missing"`
	Warnings []string     `json:"warnings"` // e.g. the computer's logs do not overlap in time
	// Windows is the version the computer's System log names (its newest
	// event 6009); nil when no System log of the computer has one.
	Windows *WindowsVersion `json:"windows"`
}

// LogSpan is one kind of log of one computer and the time it covers.
type LogSpan struct {
	Kind    LogKind   `json:"kind"`
	Channel string    `json:"channel"`
	Files   []string  `json:"files"`
	First   time.Time `json:"first"` // zero when unknown
	Last    time.Time `json:"last"`
}

// MissingLog is a log the diagnosis needs that is not among a computer's
// inputs: what cannot be seen without it, and the command that exports it.
type MissingLog struct {
	Kind    LogKind `json:"kind"`
	Channel string  `json:"channel"`
	Hides   string  `json:"hides"`   // what cannot be seen without it
	Command string  `json:"command"` // run on that computer in an elevated Command Prompt
}

// wanted are the logs every computer's diagnosis needs, with what each shows.
var wanted = []MissingLog{
	{Kind: LogBITSClient, Channel: ChannelBITSClient,
		Hides:   "BITS job failures (which jobs failed, with which error, for which server) cannot be seen, as only that log records them",
		Command: `wevtutil epl Microsoft-Windows-Bits-Client/Operational C:\Temp\bits-client.evtx`},
	{Kind: LogSystem, Channel: ChannelSystem,
		Hides:   "the BITS service's state, start type, crashes and start failures cannot be seen, as only that log records them",
		Command: `wevtutil epl System C:\Temp\system.evtx`},
}

// inputSpan is the time an input covers: its record headers when known,
// else its analysed records.
func inputSpan(in *Input) (time.Time, time.Time) {
	if !in.LogFirst.IsZero() {
		return in.LogFirst, in.LogLast
	}
	return in.FirstTime, in.LastTime
}

// evidenceMatrix builds the matrix from the inputs and the coverage rows.
// An input naming one computer (or none) covers its whole span for it; an
// input naming several covers, for each, the span of its records there.
func evidenceMatrix(inputs []Input, cov []Coverage) []ComputerEvidence {
	type key struct {
		comp string
		kind LogKind
	}
	spans := map[key]*LogSpan{}
	comps := map[string]bool{}
	add := func(comp, channel, file string, first, last time.Time) {
		k := key{comp, logKind(channel)}
		comps[comp] = true
		ls := spans[k]
		if ls == nil {
			ls = &LogSpan{Kind: k.kind, Channel: channel, First: first, Last: last}
			spans[k] = ls
		}
		if !contains(ls.Files, file) {
			ls.Files = append(ls.Files, file)
		}
		if !first.IsZero() && (ls.First.IsZero() || first.Before(ls.First)) {
			ls.First = first
		}
		if last.After(ls.Last) {
			ls.Last = last
		}
	}
	for i := range inputs {
		in := &inputs[i]
		if len(in.Channels) == 0 {
			continue
		}
		if len(in.Computers) > 1 {
			for _, c := range cov {
				if c.File == in.Path {
					add(c.Computer, c.Channel, in.Path, c.First, c.Last)
				}
			}
			continue
		}
		comp := ""
		if len(in.Computers) == 1 {
			comp = in.Computers[0]
		}
		first, last := inputSpan(in)
		for _, ch := range in.Channels {
			add(comp, ch, in.Path, first, last)
		}
	}
	out := make([]ComputerEvidence, 0, len(comps))
	for _, comp := range keys(comps) {
		ce := ComputerEvidence{Computer: comp, Logs: []LogSpan{}, Missing: []MissingLog{}, Warnings: []string{}}
		for _, k := range []LogKind{LogSystem, LogBITSClient, LogWindowsUpdate, LogOther} {
			if ls := spans[key{comp, k}]; ls != nil {
				sort.Strings(ls.Files)
				ce.Logs = append(ce.Logs, *ls)
			}
		}
		for _, w := range wanted {
			if spans[key{comp, w.Kind}] == nil {
				ce.Missing = append(ce.Missing, w)
			}
		}
		sys, bits := spans[key{comp, LogSystem}], spans[key{comp, LogBITSClient}]
		if sys != nil && bits != nil && !overlap(sys.First, sys.Last, bits.First, bits.Last) {
			ce.Warnings = append(ce.Warnings, fmt.Sprintf(
				"the System log (%s to %s) and the Bits-Client log (%s to %s) do not overlap in time, so neither explains what the other shows",
				fmtTime(sys.First, nil), fmtTime(sys.Last, nil), fmtTime(bits.First, nil), fmtTime(bits.Last, nil)))
		}
		out = append(out, ce)
	}
	return out
}

func overlap(a0, a1, b0, b1 time.Time) bool {
	if a0.IsZero() || b0.IsZero() {
		return true // unknown: do not claim they do not
	}
	return !a0.After(b1) && !b0.After(a1)
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// span is the whole time a computer's logs cover.
func (ce *ComputerEvidence) span() (time.Time, time.Time) {
	var first, last time.Time
	for _, l := range ce.Logs {
		if !l.First.IsZero() && (first.IsZero() || l.First.Before(first)) {
			first = l.First
		}
		if l.Last.After(last) {
			last = l.Last
		}
	}
	return first, last
}

// computerName names a matrix row's computer in a sentence.
func computerName(c string) string {
	if c == "" {
		return "an unnamed computer (no analysed record names it)"
	}
	return c
}

// inputWarnings flags inputs the engineer may think belong together: logs
// of different computers, and computers whose logs do not overlap in time.
// Computer names that share a log file are one machine under two names (a
// renamed computer keeps writing to the same log): they are said so, not
// warned about.
func inputWarnings(m []ComputerEvidence, loc *time.Location) []string {
	var named []*ComputerEvidence
	for i := range m {
		if m[i].Computer != "" {
			named = append(named, &m[i])
		}
	}
	out := []string{}
	if len(named) < 2 {
		return out
	}
	// Group names that share a file.
	group := make([]int, len(named))
	for i := range group {
		group[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		if group[i] != i {
			group[i] = find(group[i])
		}
		return group[i]
	}
	for i := range named {
		for j := i + 1; j < len(named); j++ {
			if shareFile(named[i], named[j]) {
				group[find(j)] = find(i)
			}
		}
	}
	members := map[int][]string{}
	var roots []int
	for i, ce := range named {
		r := find(i)
		if _, ok := members[r]; !ok {
			roots = append(roots, r)
		}
		members[r] = append(members[r], ce.Computer)
	}
	for _, r := range roots {
		if len(members[r]) > 1 {
			out = append(out, fmt.Sprintf("One log names %d computers (%s): probably one machine that was renamed; each name is shown on its own.",
				len(members[r]), strings.Join(members[r], ", ")))
		}
	}
	if len(roots) < 2 {
		return out
	}
	var parts []string
	for _, ce := range named {
		var kinds []string
		for _, l := range ce.Logs {
			kinds = append(kinds, logLabel(l.Kind))
		}
		first, last := ce.span()
		p := fmt.Sprintf("%s (%s", ce.Computer, strings.Join(kinds, " and "))
		if !first.IsZero() {
			p += fmt.Sprintf(", %s to %s", fmtTime(first, loc), fmtTime(last, loc))
		}
		parts = append(parts, p+")")
	}
	out = append(out, fmt.Sprintf(inputsFrom+"%d different computers: %s."+inputsOwn,
		len(roots), strings.Join(parts, "; ")))
	for i := 0; i < len(named); i++ {
		for j := i + 1; j < len(named); j++ {
			if find(i) == find(j) {
				continue
			}
			a0, a1 := named[i].span()
			b0, b1 := named[j].span()
			if !overlap(a0, a1, b0, b1) {
				out = append(out, fmt.Sprintf("The logs of %s and of %s"+noOverlap, named[i].Computer, named[j].Computer))
			}
		}
	}
	return out
}

// The sentences of the input warnings that ShortInputWarnings shortens.
const (
	inputsFrom = "The inputs come from "
	inputsOwn  = " Each computer is diagnosed on its own logs; a log of one computer says nothing about another."
	noOverlap  = " do not overlap in time: they cannot show the same incident."
)

// ShortInputWarnings shortens input warnings for a verdict or a short
// report: the list of computers the inputs come from becomes their count
// when there are more than max, and at most max of the pairs of computers
// whose logs do not overlap are named, then their count. The full list
// stays in Result.InputWarnings.
func ShortInputWarnings(ws []string, max int) []string {
	var out, pairs []string
	for _, w := range ws {
		switch {
		case strings.HasPrefix(w, inputsFrom) && strings.HasSuffix(w, inputsOwn):
			n, _, _ := strings.Cut(strings.TrimPrefix(w, inputsFrom), " ")
			if count, err := strconv.Atoi(n); err == nil && count > max {
				w = inputsFrom + n + " different computers." + inputsOwn
			}
			out = append(out, w)
		case strings.HasPrefix(w, "The logs of ") && strings.HasSuffix(w, noOverlap):
			pairs = append(pairs, w)
		default:
			out = append(out, w)
		}
	}
	if len(pairs) <= max {
		return append(out, pairs...)
	}
	out = append(out, pairs[:max]...)
	more := "more "
	if max == 0 {
		more = ""
	}
	return append(out, fmt.Sprintf("The logs of %d %spairs of computers%s (every pair in the JSON output's input_warnings and in the report with --full).",
		len(pairs)-max, more, strings.TrimSuffix(noOverlap, ".")))
}

// shareFile reports whether two matrix rows have a log file in common.
func shareFile(a, b *ComputerEvidence) bool {
	for _, la := range a.Logs {
		for _, lb := range b.Logs {
			for _, f := range la.Files {
				if contains(lb.Files, f) {
					return true
				}
			}
		}
	}
	return false
}

// logLabel names a log kind in a sentence.
func logLabel(k LogKind) string {
	switch k {
	case LogSystem:
		return "System log"
	case LogBITSClient:
		return "Bits-Client log"
	case LogWindowsUpdate:
		return "Windows Update log"
	}
	return "other log"
}

// blindSpots says, per computer, what cannot be seen and how to collect the
// missing log, for the verdict.
func blindSpots(m []ComputerEvidence) string {
	var b strings.Builder
	// One sentence per missing kind of log, naming every computer it is
	// missing on (in matrix order).
	var kinds []MissingLog
	comps := map[LogKind][]string{}
	for _, ce := range m {
		for _, ms := range ce.Missing {
			if comps[ms.Kind] == nil {
				kinds = append(kinds, ms)
			}
			comps[ms.Kind] = append(comps[ms.Kind], computerName(ce.Computer))
		}
	}
	for _, ms := range kinds {
		cs := comps[ms.Kind]
		where := "on that computer"
		if len(cs) > 1 {
			where = "on each of them"
		}
		fmt.Fprintf(&b, " For %s there is no %s, so %s; export it %s with: %s.",
			joinAnd(cs), logLabel(ms.Kind), ms.Hides, where, ms.Command)
	}
	for _, ce := range m {
		for _, w := range ce.Warnings {
			fmt.Fprintf(&b, " On %s, %s.", computerName(ce.Computer), w)
		}
	}
	return b.String()
}

// joinAnd joins names as "a", "a and b", "a, b and c"; past five names,
// "a, b, c, d, e and 3 more computers".
func joinAnd(names []string) string {
	const most = 5
	if len(names) > most {
		return strings.Join(names[:most], ", ") + fmt.Sprintf(" and %d more computers", len(names)-most)
	}
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// hasLog reports whether any computer has a log of kind k.
func hasLog(m []ComputerEvidence, k LogKind) bool {
	for _, ce := range m {
		for _, l := range ce.Logs {
			if l.Kind == k {
				return true
			}
		}
	}
	return false
}

// logEnds is, per computer, the end of the time its logs cover (the last
// moment a retry could have been seen): the latest record of any of its
// inputs, BITS-related or not.
func (a *Analyzer) logEnds() map[string]time.Time {
	out := map[string]time.Time{}
	for k, st := range a.coverage {
		end := st.last
		if in := a.inputByPath(k.file); in != nil && in.LogLast.After(end) {
			end = in.LogLast
		}
		if end.After(out[k.computer]) {
			out[k.computer] = end
		}
	}
	return out
}
