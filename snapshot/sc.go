package snapshot

import (
	"regexp"
	"strconv"
	"strings"
)

// SCOutput is what one sc.exe query printed. Numbers are as sc printed them;
// a field sc did not print is nil / empty.
type SCOutput struct {
	Command     Kind   // which sc query (KindSCQuery, KindSCQC, ...)
	ServiceName string // as the user typed it ("bits", "BITS")

	// FailedOp and FailedError hold a "[SC] <op> FAILED <n>:" line: the
	// operation and the Win32 error (1060: service does not exist, 5: access denied).
	FailedOp    string
	FailedError *uint32

	Type          *uint32 // query: runtime type; qc: configured type
	State         *uint32 // query/queryex
	Win32ExitCode *uint32
	ServiceExit   *uint32
	PID           *uint32

	StartType    *uint32 // qc
	DelayedStart bool    // qc: "AUTO_START  (DELAYED)"
	ErrorControl *uint32
	BinaryPath   string
	Dependencies []string
	StartName    string
	HasConfig    bool // qc printed its fields

	ResetPeriod    *uint32 // qfailure, seconds
	FailureActions []FailureAction
	RebootMessage  string
	FailureCommand string

	Privileges []string // qprivs, in printed order
	SIDType    string   // qsidtype: NONE, UNRESTRICTED, RESTRICTED

	HasTriggers bool // qtriggerinfo printed trigger blocks
	NoTriggers  bool // qtriggerinfo said the service has no triggers

	SDDL string // sdshow
}

// FailureAction is one recovery action of sc qfailure.
type FailureAction struct {
	Action  string // RESTART, RUN PROCESS, REBOOT, NONE
	DelayMS uint32
}

var (
	failedLine   = regexp.MustCompile(`^\[SC\]\s+(.*?)\s*FAILED\s+(\d+)\s*:?`)
	numToken     = regexp.MustCompile(`^(0x[0-9A-Fa-f]+|\d+)\b\s*(.*)$`)
	actionLine   = regexp.MustCompile(`^([A-Z][A-Z ]*?)\s+--\s+Delay\s*=\s*(\d+)`)
	privToken    = regexp.MustCompile(`Se[A-Za-z]+Privilege`)
	serviceLabel = regexp.MustCompile(`^\s*(SERVICE_NAME|NOME_SERVIZIO)\s*:\s*(.*)$`)
)

// parseSC reads any sc.exe query output. Labels are matched in English and,
// for the status block, by position (Italian sc.exe translates labels).
func parseSC(kind Kind, lines []string) (*SCOutput, error) {
	out := &SCOutput{Command: kind}
	last := ""
	seen := false
	statusPos := 0
	for i, raw := range lines {
		l := strings.TrimSpace(raw)
		if l == "" {
			continue
		}
		if m := failedLine.FindStringSubmatch(l); m != nil {
			n, err := strconv.ParseUint(m[2], 10, 32)
			if err != nil {
				return nil, &FormatError{Kind: kind, Line: i + 1, Problem: "bad error number " + strconv.Quote(m[2])}
			}
			v := uint32(n)
			out.FailedOp, out.FailedError = m[1], &v
			seen = true
			continue
		}
		if strings.HasPrefix(l, "[SC]") {
			seen = true
			continue
		}
		if m := serviceLabel.FindStringSubmatch(raw); m != nil {
			out.ServiceName = m[2]
			seen = true
			statusPos = 0
			continue
		}
		switch kind {
		case KindSCSDShow:
			if strings.Contains(l, "D:(") {
				out.SDDL = l
				seen = true
			}
			continue
		case KindSCQTriggerInfo:
			if strings.Contains(l, "has not registered for any start or stop triggers") {
				out.NoTriggers = true
			} else if strings.HasPrefix(l, "START SERVICE") || strings.HasPrefix(l, "STOP SERVICE") {
				out.HasTriggers = true
			}
			seen = true
			continue
		case KindSCQPrivs:
			for _, p := range privToken.FindAllString(l, -1) {
				out.Privileges = append(out.Privileges, p)
			}
			seen = true
			continue
		}
		// Continuation lines: ": value" (DEPENDENCIES), or a value-only
		// line (FAILURE_ACTIONS, the STATE flags line).
		if strings.HasPrefix(l, ":") {
			v := strings.TrimSpace(l[1:])
			if last == "DEPENDENCIES" && v != "" {
				out.Dependencies = append(out.Dependencies, v)
			}
			continue
		}
		if m := actionLine.FindStringSubmatch(l); m != nil && !strings.Contains(l, " : ") {
			if err := addAction(out, m, kind, i); err != nil {
				return nil, err
			}
			continue
		}
		if strings.HasPrefix(l, "(") {
			continue // STATE flags
		}
		colon := strings.Index(l, ":")
		if colon < 0 {
			continue // message text ("The specified service does not exist...")
		}
		lb := strings.TrimSpace(l[:colon])
		v := strings.TrimSpace(l[colon+1:])
		last = lb
		seen = true
		if kind == KindSCQuery || kind == KindSCQueryEx {
			statusPos++
			// Positions: TYPE, STATE, WIN32_EXIT_CODE, SERVICE_EXIT_CODE, CHECKPOINT, WAIT_HINT, PID, FLAGS.
			lb = map[int]string{1: "TYPE", 2: "STATE", 3: "WIN32_EXIT_CODE", 4: "SERVICE_EXIT_CODE", 5: "CHECKPOINT", 6: "WAIT_HINT", 7: "PID", 8: "FLAGS"}[statusPos]
			if lb == "" {
				continue
			}
		}
		var err error
		switch lb {
		case "TYPE":
			// sc.exe prints the type in hex without 0x ("20  WIN32_SHARE_PROCESS").
			out.Type, err = scNumber("0x"+strings.TrimPrefix(v, "0x"), kind, i)
		case "STATE":
			out.State, err = scNumber(v, kind, i)
		case "WIN32_EXIT_CODE":
			out.Win32ExitCode, err = scNumber(v, kind, i)
		case "SERVICE_EXIT_CODE":
			out.ServiceExit, err = scNumber(v, kind, i)
		case "PID":
			out.PID, err = scNumber(v, kind, i)
		case "START_TYPE":
			out.HasConfig = true
			out.StartType, err = scNumber(v, kind, i)
			out.DelayedStart = strings.Contains(v, "(DELAYED)")
		case "ERROR_CONTROL":
			out.ErrorControl, err = scNumber(v, kind, i)
		case "BINARY_PATH_NAME":
			out.BinaryPath = v
		case "DEPENDENCIES":
			if v != "" {
				out.Dependencies = append(out.Dependencies, v)
			}
		case "SERVICE_START_NAME":
			out.StartName = v
		case "RESET_PERIOD (in seconds)":
			out.ResetPeriod, err = scNumber(v, kind, i)
		case "REBOOT_MESSAGE":
			out.RebootMessage = v
		case "COMMAND_LINE":
			out.FailureCommand = v
		case "FAILURE_ACTIONS":
			if m := actionLine.FindStringSubmatch(v); m != nil {
				err = addAction(out, m, kind, i)
			}
		case "SERVICE_SID_TYPE":
			out.SIDType = strings.ToUpper(v)
		}
		if err != nil {
			return nil, err
		}
	}
	if !seen {
		return nil, &FormatError{Kind: kind, Problem: "no sc.exe fields found"}
	}
	if kind == KindSCQC && out.FailedError == nil && !out.HasConfig {
		return nil, &FormatError{Kind: kind, Problem: "sc qc output without START_TYPE"}
	}
	return out, nil
}

func addAction(out *SCOutput, m []string, kind Kind, i int) error {
	n, err := strconv.ParseUint(m[2], 10, 32)
	if err != nil {
		return &FormatError{Kind: kind, Line: i + 1, Problem: "bad delay " + strconv.Quote(m[2])}
	}
	out.FailureActions = append(out.FailureActions, FailureAction{Action: strings.TrimSpace(m[1]), DelayMS: uint32(n)})
	return nil
}

// scNumber reads the leading decimal or 0x-hex number of an sc value.
func scNumber(v string, kind Kind, i int) (*uint32, error) {
	m := numToken.FindStringSubmatch(v)
	if m == nil {
		if v == "" {
			return nil, nil
		}
		return nil, &FormatError{Kind: kind, Line: i + 1, Problem: "expected a number, found " + strconv.Quote(trunc(v))}
	}
	var n uint64
	var err error
	if strings.HasPrefix(m[1], "0x") || strings.HasPrefix(m[1], "0X") {
		n, err = strconv.ParseUint(m[1][2:], 16, 32)
	} else {
		n, err = strconv.ParseUint(m[1], 10, 32)
	}
	if err != nil {
		return nil, &FormatError{Kind: kind, Line: i + 1, Problem: "number out of range " + strconv.Quote(trunc(m[1]))}
	}
	u := uint32(n)
	return &u, nil
}

func trunc(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}
