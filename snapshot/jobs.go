package snapshot

import (
	"regexp"
	"strconv"
	"strings"
)

// JobList is the jobs of a bitsadmin or Get-BitsTransfer listing.
type JobList struct {
	Source  Kind // KindBitsadminList or KindBitsTransfer
	Verbose bool // bitsadmin /verbose blocks (owners, errors, files)
	Jobs    []Job
	// Listed is the count of "Listed N job(s)." (-1 when not printed).
	Listed int
	// FailedCode is the HRESULT of "Unable to enum jobs - 0x...", or of a
	// Get-BitsTransfer error (0x80070005 access denied: not elevated).
	FailedCode *uint32
}

// Job is one BITS job as a listing shows it.
type Job struct {
	ID           string // GUID, upper case, with braces: {XXXXXXXX-...}
	Name         string
	Type         string // DOWNLOAD, UPLOAD, UPLOAD_REPLY
	State        JobState
	StateText    string // as printed
	Owner        string
	Priority     string
	FilesDone    int64
	FilesTotal   int64
	BytesDone    int64
	BytesTotal   int64 // -1 for UNKNOWN
	ErrorCode    *uint32
	ErrorText    string
	ErrorContext *uint32
	ErrorFile    string
	Description  string
	Created      string // as printed, in the machine's locale
	Modified     string
	Files        []JobFile
	Line         int
}

// JobFile is one file of a job.
type JobFile struct {
	Remote, Local string
	BytesDone     int64
	BytesTotal    int64 // -1 for UNKNOWN
}

// JobState is BG_JOB_STATE.
type JobState int

// Job states (bits.h BG_JOB_STATE); JobStateUnknown for other text.
const (
	JobQueued JobState = iota
	JobConnecting
	JobTransferring
	JobSuspended
	JobError
	JobTransientError
	JobTransferred
	JobAcknowledged
	JobCancelled
	JobStateUnknown JobState = -1
)

var jobStateNames = map[string]JobState{
	"QUEUED": JobQueued, "CONNECTING": JobConnecting, "TRANSFERRING": JobTransferring,
	"SUSPENDED": JobSuspended, "ERROR": JobError, "TRANSIENT_ERROR": JobTransientError,
	"TRANSIENTERROR": JobTransientError, "TRANSFERRED": JobTransferred, "ACKNOWLEDGED": JobAcknowledged,
	"CANCELED": JobCancelled, "CANCELLED": JobCancelled,
}

// ParseJobState reads a bitsadmin or PowerShell state word.
func ParseJobState(s string) JobState {
	if st, ok := jobStateNames[strings.ToUpper(strings.TrimSpace(s))]; ok {
		return st
	}
	return JobStateUnknown
}

func (s JobState) String() string {
	for k, v := range jobStateNames {
		if v == s && k != "TRANSIENTERROR" && k != "CANCELED" {
			return k
		}
	}
	return "UNKNOWN"
}

var (
	bitsadminLine = regexp.MustCompile(`^(\{[0-9A-Fa-f-]{36}\})\s+(.*)\s+([A-Z_]+)\s+(\d+)\s*/\s*(\d+)\s+(\d+)\s*/\s*(\d+|UNKNOWN)$`)
	listedLine    = regexp.MustCompile(`^Listed (\d+) job\(s\)\.$`)
	unableLine    = regexp.MustCompile(`^Unable to .* - (0x[0-9A-Fa-f]{8})`)
	hexCodeStart  = regexp.MustCompile(`^(0x[0-9A-Fa-f]+)\s*(?:-\s*(.*))?$`)
	fileLine      = regexp.MustCompile(`^(\d+)\s*/\s*(\d+|UNKNOWN)\s+(\S+)\s+(.*?)\s+->\s+(.*)$`)
	hresultText   = regexp.MustCompile(`HRESULT: (0x[0-9A-Fa-f]{8})`)
)

// bitsadmin /verbose labels, longest first within a line.
var bitsadminLabels = []string{
	"NOTIFICATION COMMAND LINE", "NOTIFICATION FLAGS", "NOTIFY INTERFACE", "MODIFICATION TIME",
	"COMPLETION TIME", "CREATION TIME", "NO PROGRESS TIMEOUT", "PROXY BYPASS LIST", "PROXY USAGE",
	"PROXY LIST", "RETRY DELAY", "ERROR COUNT", "ERROR CONTEXT", "ERROR CODE", "ERROR FILE",
	"DESCRIPTION", "JOB FILES", "PRIORITY", "DISPLAY", "FILES", "BYTES", "OWNER", "STATE", "TYPE", "GUID",
	"ACL FLAGS", "CUSTOM HEADERS",
}

func parseBitsadmin(lines []string) (*JobList, error) {
	jl := &JobList{Source: KindBitsadminList, Listed: -1}
	var cur *Job
	inFiles := false
	lastLabel := ""
	for i, raw := range lines {
		l := strings.TrimSpace(raw)
		if l == "" {
			continue
		}
		if m := unableLine.FindStringSubmatch(l); m != nil {
			n, _ := strconv.ParseUint(m[1][2:], 16, 32)
			c := uint32(n)
			jl.FailedCode = &c
			continue
		}
		if m := listedLine.FindStringSubmatch(l); m != nil {
			jl.Listed, _ = strconv.Atoi(m[1])
			continue
		}
		if m := bitsadminLine.FindStringSubmatch(l); m != nil {
			j := Job{ID: normGUID(m[1]), Name: strings.Trim(strings.TrimSpace(m[2]), "'"), StateText: m[3], State: ParseJobState(m[3]), Line: i + 1}
			j.FilesDone, _ = strconv.ParseInt(m[4], 10, 64)
			j.FilesTotal, _ = strconv.ParseInt(m[5], 10, 64)
			j.BytesDone, _ = strconv.ParseInt(m[6], 10, 64)
			j.BytesTotal = parseTotal(m[7])
			jl.Jobs = append(jl.Jobs, j)
			cur, inFiles = nil, false
			continue
		}
		if strings.HasPrefix(l, "GUID:") {
			jl.Verbose = true
			jl.Jobs = append(jl.Jobs, Job{Line: i + 1, BytesTotal: -1})
			cur, inFiles = &jl.Jobs[len(jl.Jobs)-1], false
		}
		if cur == nil {
			continue // banner, deprecation notice, message text
		}
		if inFiles {
			if m := fileLine.FindStringSubmatch(l); m != nil {
				f := JobFile{Remote: m[4], Local: m[5], BytesTotal: parseTotal(m[2])}
				f.BytesDone, _ = strconv.ParseInt(m[1], 10, 64)
				cur.Files = append(cur.Files, f)
				continue
			}
		}
		pairs := splitLabels(l)
		if len(pairs) == 0 {
			// Wrapped continuation of the previous value.
			switch lastLabel {
			case "ERROR CODE":
				cur.ErrorText += " " + l
			case "ERROR CONTEXT": // the context's own text: the code says it
			case "DESCRIPTION":
				cur.Description += " " + l
			}
			continue
		}
		for _, p := range pairs {
			lastLabel = p[0]
			if err := setBitsadminField(cur, p[0], p[1], i); err != nil {
				return nil, err
			}
			if p[0] == "JOB FILES" {
				inFiles = true
			} else if p[0] == "NOTIFICATION COMMAND LINE" {
				inFiles = false
			}
		}
	}
	if len(jl.Jobs) == 0 && jl.Listed < 0 && jl.FailedCode == nil {
		return nil, &FormatError{Kind: KindBitsadminList, Problem: "bitsadmin output without jobs, job count or error"}
	}
	return jl, nil
}

// splitLabels splits "LABEL: value LABEL2: value2" at the known labels.
func splitLabels(l string) [][2]string {
	type hit struct{ at, end int }
	var hits []hit
	used := make([]bool, len(l))
	for _, lb := range bitsadminLabels {
		for from := 0; ; {
			j := strings.Index(l[from:], lb+":")
			if j < 0 {
				break
			}
			j += from
			from = j + len(lb) + 1
			if used[j] || (j > 0 && l[j-1] != ' ' && l[j-1] != '\t') {
				continue
			}
			for k := j; k < j+len(lb)+1; k++ {
				used[k] = true
			}
			hits = append(hits, hit{j, j + len(lb) + 1})
		}
	}
	if len(hits) == 0 {
		return nil
	}
	// sort by position
	for a := 1; a < len(hits); a++ {
		for b := a; b > 0 && hits[b].at < hits[b-1].at; b-- {
			hits[b], hits[b-1] = hits[b-1], hits[b]
		}
	}
	if hits[0].at != 0 {
		return nil // text that merely contains a label
	}
	out := make([][2]string, 0, len(hits))
	for n, h := range hits {
		end := len(l)
		if n+1 < len(hits) {
			end = hits[n+1].at
		}
		out = append(out, [2]string{l[h.at : h.end-1], strings.TrimSpace(l[h.end:end])})
	}
	return out
}

func setBitsadminField(j *Job, lb, v string, i int) error {
	switch lb {
	case "GUID":
		j.ID = normGUID(v)
	case "DISPLAY":
		j.Name = strings.Trim(v, "'")
	case "TYPE":
		j.Type = v
	case "STATE":
		j.StateText, j.State = v, ParseJobState(v)
	case "OWNER":
		j.Owner = v
	case "PRIORITY":
		j.Priority = v
	case "FILES":
		j.FilesDone, j.FilesTotal = parsePair(v)
	case "BYTES":
		j.BytesDone, j.BytesTotal = parsePair(v)
	case "CREATION TIME":
		j.Created = v
	case "MODIFICATION TIME":
		j.Modified = v
	case "ERROR FILE":
		j.ErrorFile = v
	case "ERROR CODE", "ERROR CONTEXT":
		m := hexCodeStart.FindStringSubmatch(v)
		if m == nil {
			return &FormatError{Kind: KindBitsadminList, Line: i + 1, Problem: lb + " without a 0x code"}
		}
		n, err := strconv.ParseUint(m[1][2:], 16, 32)
		if err != nil {
			return &FormatError{Kind: KindBitsadminList, Line: i + 1, Problem: lb + " code out of range"}
		}
		c := uint32(n)
		if lb == "ERROR CODE" {
			j.ErrorCode, j.ErrorText = &c, m[2]
		} else {
			j.ErrorContext = &c
		}
	case "DESCRIPTION":
		j.Description = v
	}
	return nil
}

func parsePair(v string) (int64, int64) {
	a, b, _ := strings.Cut(v, "/")
	done, _ := strconv.ParseInt(strings.TrimSpace(a), 10, 64)
	return done, parseTotal(strings.TrimSpace(b))
}

func parseTotal(s string) int64 {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	return -1
}

// normGUID returns {XXXXXXXX-XXXX-...} in upper case, or s unchanged when
// it is not a GUID.
func normGUID(s string) string {
	t := strings.Trim(strings.TrimSpace(s), "{}")
	if len(t) != 36 || strings.Count(t, "-") != 4 {
		return strings.TrimSpace(s)
	}
	return "{" + strings.ToUpper(t) + "}"
}

// parseBitsTransfer reads Get-BitsTransfer | Format-List * output: blocks
// of "Name : value" lines separated by blank lines, one per job.
func parseBitsTransfer(lines []string) (*JobList, error) {
	jl := &JobList{Source: KindBitsTransfer, Listed: -1, Verbose: true}
	var cur *Job
	lastName := ""
	for i, raw := range lines {
		l := strings.TrimSpace(raw)
		if l == "" {
			continue
		}
		if strings.HasPrefix(l, "Get-BitsTransfer :") {
			c := uint32(0x80070005)
			if m := hresultText.FindStringSubmatch(l); m != nil {
				n, _ := strconv.ParseUint(m[1][2:], 16, 32)
				c = uint32(n)
			} else if !strings.Contains(l, "denied") {
				c = 0x80004005
			}
			jl.FailedCode = &c
			continue
		}
		name, v, ok := strings.Cut(l, " : ")
		if !ok && strings.HasSuffix(l, " :") {
			name, v, ok = strings.TrimSuffix(l, " :"), "", true
		}
		name = strings.TrimSpace(name)
		if !ok || strings.ContainsAny(name, " \t") {
			// A wrapped value continues on an indented line.
			if cur != nil && (raw[0] == ' ' || raw[0] == '\t') && lastName == "ErrorDescription" {
				cur.ErrorText += " " + l
			}
			continue
		}
		if name == "JobId" {
			jl.Jobs = append(jl.Jobs, Job{Line: i + 1, BytesTotal: -1})
			cur = &jl.Jobs[len(jl.Jobs)-1]
		}
		if cur == nil {
			continue
		}
		lastName = name
		v = strings.TrimSpace(v)
		switch name {
		case "JobId":
			cur.ID = normGUID(v)
		case "DisplayName":
			cur.Name = v
		case "Description":
			cur.Description = v
		case "TransferType":
			cur.Type = strings.ToUpper(v)
		case "JobState":
			cur.StateText, cur.State = v, ParseJobState(v)
		case "OwnerAccount":
			cur.Owner = v
		case "Priority":
			cur.Priority = strings.ToUpper(v)
		case "ErrorContext":
			if c, ok := psContexts[strings.ToLower(v)]; ok {
				cur.ErrorContext = &c
			}
		case "InternalErrorCode":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < -1<<31 || n > 1<<32-1 {
				return nil, &FormatError{Kind: KindBitsTransfer, Line: i + 1, Problem: "InternalErrorCode is not a number"}
			}
			if n != 0 {
				c := uint32(n)
				cur.ErrorCode = &c
			}
		case "ErrorDescription":
			cur.ErrorText = v
		case "BytesTotal":
			cur.BytesTotal = psTotal(v)
		case "BytesTransferred":
			cur.BytesDone, _ = strconv.ParseInt(v, 10, 64)
		case "FilesTotal":
			cur.FilesTotal, _ = strconv.ParseInt(v, 10, 64)
		case "FilesTransferred":
			cur.FilesDone, _ = strconv.ParseInt(v, 10, 64)
		case "CreationTime":
			cur.Created = v
		case "ModificationTime":
			cur.Modified = v
		case "FileList":
			for _, f := range strings.Split(strings.Trim(v, "{}"), ",") {
				if f = strings.TrimSpace(f); f != "" && f != "..." {
					cur.Files = append(cur.Files, JobFile{Local: f, BytesTotal: -1})
				}
			}
		}
	}
	if len(jl.Jobs) == 0 && jl.FailedCode == nil {
		return nil, &FormatError{Kind: KindBitsTransfer, Problem: "no JobId lines"}
	}
	return jl, nil
}

// psTotal: BytesTotal is 18446744073709551615 (UInt64 max) when unknown.
func psTotal(v string) int64 {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// PowerShell BitsErrorContext names -> BG_ERROR_CONTEXT.
var psContexts = map[string]uint32{
	"none": 0, "unknown": 1, "generalqueuemanager": 2, "queuemanagernotification": 3,
	"localfile": 4, "remotefile": 5, "generaltransport": 6, "remoteapplication": 7,
}
