package analyze

import (
	"encoding/json"
	"strconv"
	"time"
)

// Result is the whole analysis of one case: the model every renderer
// consumes. Its JSON keys are the contract documented in the README.
type Result struct {
	Tool      Tool       `json:"tool"`
	Title     string     `json:"title,omitempty"`
	Generated time.Time  `json:"generated"` // from Options.Now (deterministic in tests)
	Window    Window     `json:"window"`
	Inputs    []Input    `json:"inputs"`
	Computers []string   `json:"computers"`
	Verdict   string     `json:"verdict"` // one or two plain-language sentences leading the report
	Findings  []Finding  `json:"findings"`
	Jobs      []Job      `json:"jobs"`
	Service   Service    `json:"service"`
	Coverage  []Coverage `json:"coverage"`
	Timeline  []Bucket   `json:"timeline"` // failures per hour or day, by finding
	Failures  []Failure  `json:"failures"` // every failure the findings count, in time order (added for the CSV export)
	// Matrix is the evidence matrix: per computer, the logs present, the
	// time each covers and the logs missing (with the command to export them).
	Matrix []ComputerEvidence `json:"evidence_matrix"`
	// InputWarnings flag inputs that may look as if they belong together but
	// do not: logs of different computers, windows that do not overlap.
	InputWarnings []string `json:"input_warnings"`
	// Services is the service health per computer (never merged).
	Services []ComputerService `json:"services"`
	// Configuration is the configuration check per machine whose snapshots
	// were read (absent when none were).
	Configuration []ConfigCheck `json:"configuration,omitempty"`
	// windows is the Windows version per computer from context records
	// (event 6009, source_os.go); the JSON has it in the evidence matrix.
	windows map[string]WindowsVersion
}

// Tool names the program that produced the result.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Window is the time span the analysis covers.
type Window struct {
	Start time.Time  `json:"start"`           // first analysed event
	End   time.Time  `json:"end"`             // last analysed event
	Since *time.Time `json:"since,omitempty"` // --since, when given
	Until *time.Time `json:"until,omitempty"` // --until, when given
	// Cut, when set, says the evidence held more relevant records than the
	// analysis keeps (Options.FactLimit, FactBytes): the oldest were cut.
	Cut *Cut `json:"cut,omitempty"`
}

// Cut describes the records the analysis' memory bound left out: every
// relevant record at or before Before. They are counted in coverage (unless
// Coverage is set) but are in no finding, job or timeline.
type Cut struct {
	Before  time.Time `json:"before"`  // records at or before this time were not analysed
	Records int       `json:"records"` // copies of relevant records in the window left out
	Kept    int       `json:"kept"`    // distinct records analysed
	Limit   int       `json:"limit"`   // the bound on distinct records (Options.FactLimit)
	// Coverage is set when the cut applies to coverage too (a relative
	// --since window holding more than two million copies).
	Coverage bool `json:"coverage,omitempty"`
}

// Input is one file that was read.
type Input struct {
	Path             string    `json:"path"`
	Size             int64     `json:"size"`
	SHA256           string    `json:"sha256"`
	Records          int       `json:"records"`          // records seen
	RecordsAnalysed  int       `json:"records_analysed"` // decoded records that the analysis used
	FirstTime        time.Time `json:"first_time"`
	LastTime         time.Time `json:"last_time"`
	Channels         []string  `json:"channels,omitempty"`
	Computers        []string  `json:"computers,omitempty"`
	LogFirst         time.Time `json:"log_first"`         // earliest record-header time of all live records, decoded or not
	LogLast          time.Time `json:"log_last"`          // latest record-header time of all live records
	Skipped          string    `json:"skipped,omitempty"` // why the file was not analysed (irrelevant channel, not EVTX, ...)
	Damage           []Damage  `json:"damage"`
	RecordsUndecoded int       `json:"records_undecodable"`
	RecordsFiltered  int       `json:"records_filtered"` // not decoded: the pre-filter showed they are not about BITS
}

// Damage is one problem found in an input file.
type Damage struct {
	Kind     DamageKind `json:"kind"`
	Chunk    int        `json:"chunk"`
	Offset   int64      `json:"offset"`
	RecordID uint64     `json:"record_id,omitempty"`
	Reason   string     `json:"reason"`
}

// Severity orders findings: errors before warnings before info.
type Severity string

// Severities.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Finding is one cause with its evidence.
type Finding struct {
	ID            string       `json:"id"`    // stable within a report: "F1", "F2", ...
	KBID          string       `json:"kb_id"` // knowledge-base entry id, or "code-0x%08X" for a failure code without entry
	Severity      Severity     `json:"severity"`
	Title         string       `json:"title"`
	Codes         []string     `json:"codes"`        // normalised 0x%08X
	CodeDetails   []CodeCount  `json:"code_details"` // per code: symbolic name, count
	Count         int          `json:"count"`        // events
	EventCounts   []EventCount `json:"event_counts"` // events per event id, by event id
	JobsAffected  int          `json:"jobs_affected"`
	FirstSeen     time.Time    `json:"first_seen"`
	LastSeen      time.Time    `json:"last_seen"`
	Computers     []string     `json:"computers"`
	Hosts         []string     `json:"hosts"`
	Proxies       []string     `json:"proxies"`
	Jobs          []string     `json:"jobs"`   // affected job ids (normalised GUIDs)
	Status        Status       `json:"status"` // "recovered", "unresolved", "no retry seen", "" when it does not apply
	Transient     bool         `json:"transient,omitempty"`
	Summary       string       `json:"summary"`         // what happened, in plain words, with counts
	Notes         []string     `json:"notes,omitempty"` // bursts, concentration on one host/proxy, ...
	Cause         string       `json:"cause"`
	Fix           []Step       `json:"fix"`
	Verify        []Step       `json:"verify"`
	DocSection    string       `json:"doc_section"`
	Corrections   []string     `json:"corrections,omitempty"` // what was corrected from the article's commands
	Evidence      []Evidence   `json:"evidence"`
	EvidenceTotal int          `json:"evidence_total"`
	RetrySeconds  int64        `json:"retry_seconds,omitempty"` // unresolved / no retry seen: time from the last failure to the end of the computer's logs
	// cancelled: unresolved because every job still failing was cancelled
	// after its last failure (retryText says so).
	cancelled bool
	Variant   string `json:"kb_variant,omitempty"` // the conditions of the knowledge-base variant whose cause and fix were used, e.g. "proxy absent"
	// Source is the evidence source of a Windows Update finding
	// ("windows-update", "delivery-optimization"); "" for BITS findings.
	Source string `json:"source,omitempty"`
	// Updates are the titles of the updates a Windows Update finding is about.
	Updates []string `json:"updates,omitempty"`
	// WSUSServers are the WSUS servers ("host:port") of the finding's
	// downloads, from WSUS content URLs (:8530|8531/Content/...).
	WSUSServers []string `json:"wsus_servers,omitempty"`
	// PerWSUSServer splits the finding's failures by WSUS server when they
	// involve more than one; nil otherwise.
	PerWSUSServer []WSUSServerFailures `json:"per_wsus_server,omitempty"`
}

// WSUSServerFailures is the part of a finding's failures that involve one
// WSUS server: BITS events whose transfer or job URL is that server's
// content, or Windows Update download failures linked to such transfers.
type WSUSServerFailures struct {
	Server    string   `json:"server"` // host:port
	Count     int      `json:"count"`  // the finding's events that involve the server
	Computers []string `json:"computers"`
	// Status is the status of the server's failing BITS transfers (for a
	// Windows Update finding, of the transfers its failures are linked to).
	Status Status `json:"status"`
}

// CodeCount is one error code seen in a finding.
type CodeCount struct {
	Code  string `json:"code"` // 0x%08X
	Name  string `json:"name"` // symbolic name, "" when unknown
	Count int    `json:"count"`
}

// EventCount is how many of a finding's events have one event id.
type EventCount struct {
	Provider string `json:"provider"`
	EventID  uint16 `json:"event_id"`
	Count    int    `json:"count"`
}

// Step is one numbered instruction; its Commands are shown together in one
// code block, for the shell Shell names. Corrections says what was corrected
// from the article's commands of this step.
type Step struct {
	Text        string   `json:"text"`
	Commands    []string `json:"commands,omitempty"`
	Shell       Shell    `json:"shell,omitempty"`       // set when Commands is not empty
	Corrections []string `json:"corrections,omitempty"` // also in Finding.Corrections
}

// Shell is the Windows shell a step's commands are typed into.
type Shell string

const (
	ShellCmd        Shell = "cmd"        // Command Prompt opened as administrator (%VAR% expands)
	ShellPowerShell Shell = "powershell" // Windows PowerShell opened as administrator
	ShellEither     Shell = "either"     // Command Prompt or PowerShell, as administrator
)

// Valid reports whether s is one of the known shells.
func (s Shell) Valid() bool {
	return s == ShellCmd || s == ShellPowerShell || s == ShellEither
}

// Label names the shell for a reader ("Command Prompt (as administrator)").
func (s Shell) Label() string {
	switch s {
	case ShellCmd:
		return "Command Prompt (as administrator)"
	case ShellPowerShell:
		return "PowerShell (as administrator)"
	case ShellEither:
		return "Command Prompt or PowerShell (as administrator)"
	}
	return "shell not given"
}

// Evidence points at one record behind a finding.
type Evidence struct {
	File     string    `json:"file"`
	RecordID uint64    `json:"record_id"`
	Time     time.Time `json:"time"`
	EventID  uint16    `json:"event_id"`
	Computer string    `json:"computer"`
	Code     string    `json:"code,omitempty"`
	Job      string    `json:"job,omitempty"` // job title or id
	URL      string    `json:"url,omitempty"`
	Text     string    `json:"text,omitempty"` // short description of the record
}

// Job is one reconstructed BITS job.
type Job struct {
	ID               string      `json:"id"` // normalised GUID
	Title            string      `json:"title"`
	Owner            string      `json:"owner"`
	Process          string      `json:"process,omitempty"`
	Computer         string      `json:"computer"`
	URLs             []string    `json:"urls"`
	Hosts            []string    `json:"hosts"`
	Files            []string    `json:"files"`
	BytesTotal       *uint64     `json:"bytes_total"` // nil = unknown
	BytesTransferred *uint64     `json:"bytes_transferred"`
	First            time.Time   `json:"first"`
	Last             time.Time   `json:"last"`
	Outcome          Outcome     `json:"outcome"` // "completed", "cancelled", "failing", "open"
	Errors           []CodeCount `json:"errors"`
	Retries          int         `json:"retries"`
	Transfers        int         `json:"transfers"`
	Interruptions    int         `json:"interruptions"`  // transfers stopped with a success-class code (e.g. 0x00040008), not failures
	Live             *LiveJob    `json:"live,omitempty"` // the job in a bitsadmin or Get-BitsTransfer listing, when one shows it
}

// LiveJob is a job as a live listing (bitsadmin /list /allusers /verbose,
// Get-BitsTransfer -AllUsers) shows it when the snapshots were taken.
type LiveJob struct {
	State        string   `json:"state"` // BG_JOB_STATE: QUEUED, TRANSFERRING, ERROR, TRANSIENT_ERROR, ...
	DisplayName  string   `json:"display_name,omitempty"`
	Owner        string   `json:"owner,omitempty"`
	ErrorCode    string   `json:"error_code,omitempty"` // 0x%08X, while in ERROR or TRANSIENT_ERROR
	ErrorText    string   `json:"error_text,omitempty"`
	ErrorContext string   `json:"error_context,omitempty"` // BG_ERROR_CONTEXT as listed
	Description  string   `json:"description,omitempty"`
	BytesDone    *int64   `json:"bytes_done,omitempty"`
	BytesTotal   *int64   `json:"bytes_total,omitempty"` // nil = unknown
	Files        []string `json:"files,omitempty"`       // "remote -> local"
	Listing      string   `json:"listing"`               // bitsadmin or Get-BitsTransfer
	File         string   `json:"file"`                  // the snapshot file
	InLogs       bool     `json:"in_logs"`               // the event logs also show the job
}

// ConfigCheck is the configuration check of one machine.
type ConfigCheck struct {
	Computer    string       `json:"computer"`     // "" when neither the snapshots nor the logs name it
	Folder      string       `json:"folder"`       // the folder or archive folder the snapshots were in
	Windows     string       `json:"windows"`      // the version checked against, or "unknown (...)"
	WindowsFrom string       `json:"windows_from"` // the file (and line) naming it, or "event logs"
	Files       []ConfigFile `json:"files"`
	Findings    []string     `json:"findings"` // ids of the findings made from these snapshots
	LiveJobs    int          `json:"live_jobs"`
	// Owners counts live jobs per owner, with the policy limits that apply.
	Owners           []OwnerJobs `json:"owners,omitempty"`
	PerUserLimit     int         `json:"per_user_limit,omitempty"`     // MaxJobsPerUser (policy or default)
	PerComputerLimit int         `json:"per_computer_limit,omitempty"` // MaxJobsPerMachine (policy or default)
	Notes            []string    `json:"notes,omitempty"`              // e.g. the folder's logs are of another computer
	ServiceState     string      `json:"service_state,omitempty"`      // sc.exe query's STATE when the snapshots were taken: RUNNING, STOPPED, ...
}

// ConfigFile is one snapshot file in the inventory.
type ConfigFile struct {
	Path     string `json:"path"`
	Kind     string `json:"kind"`               // sc-qc, reg-export, bitsadmin-list, ...
	Encoding string `json:"encoding,omitempty"` // utf-16le, utf-8, oem
	Status   string `json:"status"`             // "read" or "unreadable"
	Reason   string `json:"reason,omitempty"`   // why it could not be read
}

// OwnerJobs is the number of live jobs of one owner.
type OwnerJobs struct {
	Owner string `json:"owner"`
	Jobs  int    `json:"jobs"`
}

// Service is the BITS service's health from the System log.
type Service struct {
	Timeline   []ServiceEvent `json:"timeline"` // state and start-type changes, crashes, failures, in time order
	StartFails int            `json:"start_failures"`
	Crashes    int            `json:"crashes"`
	StateNow   string         `json:"state_at_end,omitempty"`      // last known state, e.g. "running"
	StartType  string         `json:"start_type_at_end,omitempty"` // last known start type
}

// ServiceEvent is one entry of the service timeline.
type ServiceEvent struct {
	Time     time.Time        `json:"time"`
	Computer string           `json:"computer"`
	EventID  uint16           `json:"event_id"`
	Kind     ServiceEventKind `json:"kind"` // "state", "start-type", "crash", "start-failure", "timeout", "logon-failure", "bits-system"
	Text     string           `json:"text"`
	Code     string           `json:"code,omitempty"`
	Routine  bool             `json:"routine,omitempty"` // routine noise (auto<->demand flapping)
	File     string           `json:"file"`
	RecordID uint64           `json:"record_id"`
}

// Coverage says what time the evidence covers, per file and computer.
type Coverage struct {
	Computer       string    `json:"computer"`
	Channel        string    `json:"channel"`
	File           string    `json:"file"`
	First          time.Time `json:"first"`
	Last           time.Time `json:"last"`
	Records        int       `json:"records"`
	GapCount       int       `json:"record_id_gaps"`
	Warning        string    `json:"warning,omitempty"` // e.g. short window / wrapped log
	FirstRecordID  uint64    `json:"first_record_id"`
	LastRecordID   uint64    `json:"last_record_id"`
	MissingRecords uint64    `json:"missing_record_ids"`  // ids between first and last that no record carries (only when every record was decoded)
	BITSOnly       bool      `json:"bits_only,omitempty"` // the log holds other records too: first/last and ids span only its analysed (BITS, Windows Update) records
	TimeGaps       []TimeGap `json:"time_gaps,omitempty"` // silences of 48 hours or more between records (logs whose every record was analysed)
	// GapsIncomplete is set when the record ids or times were too scattered
	// to track in full (coverage's memory bound): the gap figures are then
	// lower bounds.
	GapsIncomplete bool `json:"gaps_incomplete,omitempty"`
}

// TimeGap is a time in which a log has no records at all.
type TimeGap struct {
	From time.Time `json:"from"` // the last record before the gap
	To   time.Time `json:"to"`   // the first record after it
}

// Bucket counts failures in one time slot for the timeline chart.
type Bucket struct {
	Start  time.Time      `json:"start"`
	Length BucketLength   `json:"length"` // JSON "1h", "24h" or "168h"
	Counts map[string]int `json:"counts"` // finding id -> failures
}

// DamageKind names a kind of damage or reader note: the parse.Problem kinds
// ("chunk-header-crc", "dirty", "slack", ...) and those the pipeline adds
// ("archive-entry", "read", "more").
type DamageKind string

// Status says whether a finding's problem was seen fixed.
type Status string

// Finding statuses.
const (
	StatusNone Status = "" // recovery does not apply
	// StatusRecovered: later attempts for the same job, URL host or proxy
	// (or the service, for service findings) succeeded.
	StatusRecovered Status = "recovered"
	// StatusUnresolved: the failures are the last word and BITS had time to
	// retry (at least its retry delay) before the log ends.
	StatusUnresolved Status = "unresolved"
	// StatusNoRetrySeen: no success followed, but the log ends before BITS
	// could be expected to retry, so it is unknown whether it recovered.
	StatusNoRetrySeen Status = "no retry seen"
)

// Outcome is how a job ended, as far as the log shows.
type Outcome string

// Job outcomes.
const (
	OutcomeCompleted Outcome = "completed"
	OutcomeCancelled Outcome = "cancelled"
	OutcomeFailing   Outcome = "failing" // its last transfer failed
	OutcomeOpen      Outcome = "open"
)

// ServiceEventKind classifies a service timeline entry.
type ServiceEventKind string

// Service timeline kinds.
const (
	ServiceState        ServiceEventKind = "state"
	ServiceStartType    ServiceEventKind = "start-type"
	ServiceStartFailure ServiceEventKind = "start-failure"
	ServiceCrash        ServiceEventKind = "crash"
	ServiceTimeout      ServiceEventKind = "timeout"
	ServiceLogonFailure ServiceEventKind = "logon-failure"
	ServiceBITSSystem   ServiceEventKind = "bits-system"
)

// BucketLength is a timeline bucket's length; JSON writes it in hours ("1h",
// "24h", "168h").
type BucketLength time.Duration

// MarshalJSON writes the length as whole hours, "24h".
func (l BucketLength) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strconv.FormatInt(int64(time.Duration(l)/time.Hour), 10) + `h"`), nil
}

// UnmarshalJSON reads a length written by MarshalJSON (or any Go duration).
func (l *BucketLength) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*l = BucketLength(d)
	return nil
}
