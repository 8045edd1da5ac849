// Package snapshot reads the text snapshots a customer takes of a Windows
// machine's BITS configuration: sc.exe query outputs, reg export files and
// reg query outputs, bitsadmin and Get-BitsTransfer job listings, and the
// WinHTTP / per-account proxy settings. Files are recognised by content, not
// by name, in the encodings Windows writes them (UTF-16LE with or without BOM,
// UTF-8, OEM code pages; CRLF). The package parses formats only: whether a
// value is right for BITS is decided elsewhere (package configcheck).
package snapshot

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Kind is the command whose output a snapshot holds.
type Kind int

// Snapshot kinds.
const (
	KindUnknown        Kind = iota
	KindSCQuery             // sc.exe query bits
	KindSCQueryEx           // sc.exe queryex bits
	KindSCQC                // sc.exe qc bits
	KindSCQFailure          // sc.exe qfailure bits
	KindSCQPrivs            // sc.exe qprivs bits
	KindSCQSidType          // sc.exe qsidtype bits
	KindSCQTriggerInfo      // sc.exe qtriggerinfo bits
	KindSCSDShow            // sc.exe sdshow bits
	KindSCFailed            // any sc.exe query that failed ([SC] ... FAILED n:)
	KindRegExport           // reg export / regedit export (.reg, v5 or REGEDIT4)
	KindRegQuery            // reg query output
	KindBitsadminList       // bitsadmin /list [/allusers] [/verbose]
	KindBitsTransfer        // Get-BitsTransfer | Format-List *
	KindWinHTTPProxy        // netsh winhttp show proxy
	KindIEProxy             // bitsadmin /util /getieproxy ACCOUNT
)

var kindNames = [...]string{
	"unknown", "sc-query", "sc-queryex", "sc-qc", "sc-qfailure", "sc-qprivs", "sc-qsidtype",
	"sc-qtriggerinfo", "sc-sdshow", "sc-failed", "reg-export", "reg-query", "bitsadmin-list",
	"get-bitstransfer", "netsh-winhttp-proxy", "bitsadmin-getieproxy",
}

func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "unknown"
	}
	return kindNames[k]
}

// Settings control reading.
type Settings struct {
	// CodePage decodes 8-bit text that is not UTF-8 (default CP437).
	CodePage CodePage
	// MaxSize bounds the bytes read from one file (default 16 MiB); larger
	// files are an error, not truncated silently.
	MaxSize int64
}

// DefaultMaxSize is the largest snapshot read when Settings.MaxSize is zero.
const DefaultMaxSize = 16 << 20

// Snapshot is one parsed snapshot file. Exactly one of the pointer fields
// that belong to its Kind is set.
type Snapshot struct {
	Kind     Kind
	Encoding Encoding
	Lines    int // lines of text after decoding

	SC       *SCOutput       // KindSC*
	Registry *Registry       // KindRegExport, KindRegQuery
	Jobs     *JobList        // KindBitsadminList, KindBitsTransfer
	WinHTTP  *WinHTTPProxy   // KindWinHTTPProxy
	IEProxy  *IEProxySetting // KindIEProxy
}

// ErrNotSnapshot means the text is none of the formats this package reads.
var ErrNotSnapshot = errors.New("not a configuration snapshot")

// ErrTooLarge means the file is larger than Settings.MaxSize.
var ErrTooLarge = errors.New("snapshot file too large")

// FormatError is a file recognised as Kind that cannot be read.
type FormatError struct {
	Kind    Kind
	Line    int // 1-based line of the decoded text; 0 for the whole file
	Problem string
}

func (e *FormatError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s snapshot: line %d: %s", e.Kind, e.Line, e.Problem)
	}
	return fmt.Sprintf("%s snapshot: %s", e.Kind, e.Problem)
}

// Read reads one snapshot file of size bytes from r. It returns
// ErrNotSnapshot for text it does not recognise (callers skip such files)
// and a *FormatError for a recognised file it cannot read (callers list it
// with the reason).
func Read(r io.ReaderAt, size int64, s Settings) (*Snapshot, error) {
	limit := s.MaxSize
	if limit <= 0 {
		limit = DefaultMaxSize
	}
	if size > limit {
		return nil, ErrTooLarge
	}
	if size < 0 {
		return nil, errors.New("negative size")
	}
	b := make([]byte, size)
	n, err := r.ReadAt(b, 0)
	if err != nil && !(errors.Is(err, io.EOF) && int64(n) == size) {
		return nil, err
	}
	return Parse(b, s)
}

// Parse is Read for bytes in memory.
func Parse(b []byte, s Settings) (*Snapshot, error) {
	text, enc := decode(b, s.CodePage)
	lines := splitLines(text)
	kind := recognise(lines)
	if kind == KindUnknown {
		return nil, ErrNotSnapshot
	}
	snap := &Snapshot{Kind: kind, Encoding: enc, Lines: len(lines)}
	var err error
	switch kind {
	case KindRegExport:
		snap.Registry, err = parseRegExport(lines)
	case KindRegQuery:
		snap.Registry, err = parseRegQuery(lines)
	case KindBitsadminList:
		snap.Jobs, err = parseBitsadmin(lines)
	case KindBitsTransfer:
		snap.Jobs, err = parseBitsTransfer(lines)
	case KindWinHTTPProxy:
		snap.WinHTTP, err = parseWinHTTP(lines)
	case KindIEProxy:
		snap.IEProxy, err = parseIEProxy(lines)
	default:
		snap.SC, err = parseSC(kind, lines)
	}
	if err != nil {
		return nil, err
	}
	return snap, nil
}

// Recognise says which kind of snapshot b holds (KindUnknown for other
// text) without parsing it fully: the hook an input layer calls to decide
// whether a text file is a snapshot.
func Recognise(b []byte, s Settings) Kind {
	if len(b) > 64<<10 {
		b = b[:64<<10]
	}
	text, _ := decode(b, s.CodePage)
	return recognise(splitLines(text))
}

// splitLines splits LF text into lines with trailing blanks removed.
func splitLines(text string) []string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\uFEFF")
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// recognise looks at the first meaningful lines.
func recognise(lines []string) Kind {
	var first []string
	for _, l := range lines {
		if t := strings.TrimSpace(l); t != "" {
			first = append(first, t)
			if len(first) == 40 {
				break
			}
		}
	}
	if len(first) == 0 {
		return KindUnknown
	}
	head := first[0]
	switch {
	case head == "Windows Registry Editor Version 5.00" || head == "REGEDIT4":
		return KindRegExport
	case strings.HasPrefix(head, "[SC] QueryServiceConfig2"):
		return scKind2(first)
	case strings.HasPrefix(head, "[SC] QueryServiceConfig"):
		return KindSCQC
	case strings.HasPrefix(head, "[SC] ") && strings.Contains(head, "FAILED"):
		return KindSCFailed
	case strings.HasPrefix(head, "D:(") || strings.HasPrefix(head, "O:") && strings.Contains(head, "D:("):
		if len(first) == 1 {
			return KindSCSDShow
		}
	case strings.Contains(head, "WinHTTP"):
		return KindWinHTTPProxy
	case strings.HasPrefix(strings.ToUpper(head), `HKEY_LOCAL_MACHINE\`),
		strings.HasPrefix(head, "ERROR: The system was unable to find the specified registry key or value"):
		return KindRegQuery
	}
	if isSCStatusBlock(first) {
		for _, l := range first {
			if label(l) == "PID" {
				return KindSCQueryEx
			}
		}
		return KindSCQuery
	}
	for _, l := range first {
		switch {
		case strings.HasPrefix(l, "BITSADMIN version") || strings.HasPrefix(l, "BITSAdmin is deprecated"):
			for _, m := range first {
				if strings.HasPrefix(m, "Proxy usage") { // /verbose job blocks print "PROXY USAGE:"
					return KindIEProxy
				}
			}
			return KindBitsadminList
		case strings.HasPrefix(l, "GUID: {") || bitsadminLine.MatchString(l) || listedLine.MatchString(l):
			return KindBitsadminList
		case strings.HasPrefix(l, "JobId") && strings.Contains(l, ":"):
			return KindBitsTransfer
		case strings.HasPrefix(l, "Get-BitsTransfer :"):
			return KindBitsTransfer
		}
	}
	return KindUnknown
}

// isSCStatusBlock: SERVICE_NAME followed by TYPE and STATE (query/queryex),
// also with localized labels (identified by shape: "n  TOKEN").
func isSCStatusBlock(first []string) bool {
	if len(first) < 3 || !strings.Contains(first[0], ":") {
		return false
	}
	for _, l := range first[1:] {
		if strings.Contains(l, "RUNNING") || strings.Contains(l, "STOPPED") || strings.Contains(l, "_PENDING") || strings.Contains(l, "PAUSED") {
			return strings.Contains(first[1], "WIN32") || strings.Contains(first[1], "KERNEL")
		}
	}
	return false
}

func scKind2(first []string) Kind {
	for _, l := range first[1:] {
		lb := label(l)
		switch {
		case strings.HasPrefix(lb, "RESET_PERIOD"):
			return KindSCQFailure
		case lb == "PRIVILEGES":
			return KindSCQPrivs
		case lb == "SERVICE_SID_TYPE":
			return KindSCQSidType
		case strings.Contains(l, "trigger") || strings.HasPrefix(l, "START SERVICE") || strings.HasPrefix(l, "STOP SERVICE"):
			return KindSCQTriggerInfo
		}
	}
	// A known status line with an unrecognised body: qdescription and
	// localized outputs are not read.
	return KindUnknown
}

// label returns the text before the first colon of a "LABEL : value" line.
func label(l string) string {
	i := strings.Index(l, ":")
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(l[:i])
}
