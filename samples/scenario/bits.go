package scenario

import (
	"fmt"
	"time"
)

// Keywords, levels and opcodes as Windows writes them.
const (
	kwOperational = 0x4000000000000000
	kwSystemBits  = 0x8000000000000000
	kwSCM         = 0x8080000000000000

	LevelError   = 2
	LevelWarning = 3
	LevelInfo    = 4

	opStart = 1
	opStop  = 2

	systemSID = "S-1-5-18"
)

// Qualifiers of SCM events (the severity half of the message id).
var (
	qualInfo    uint16 = 16384
	qualWarning uint16 = 32768
	qualError   uint16 = 49152
)

// UnknownSize is BITS' "size unknown" value of fileLength/bytesTotal.
const UnknownSize = ^uint64(0)

// Host is one machine: it stamps events with its name and process ids.
type Host struct {
	Computer string
	BitsPID  uint32 // svchost.exe hosting BITS (netsvcs)
	SCMPID   uint32 // services.exe
	R        *Rand
}

// NewHost returns a host with process ids derived from its name.
func NewHost(computer string) *Host {
	r := NewRand("host/" + computer)
	return &Host{Computer: computer, BitsPID: uint32(r.Between(300, 900) * 4), SCMPID: uint32(r.Between(160, 200) * 4), R: r}
}

// Job is one BITS job.
type Job struct {
	ID        string // "{...}"
	Title     string
	Owner     string // DOMAIN\user
	Process   string // creating process path
	ProcessID uint32
	URL       string
	Size      uint64 // file size; UnknownSize when the server did not say
	Peer      bool
}

func (h *Host) bits(t time.Time, id uint16, version, level, opcode uint8, activity string, data ...Field) Event {
	return Event{
		Provider: BitsClient, EventID: id, Version: version, Level: level, Opcode: opcode,
		Keywords: kwOperational, Time: t, ActivityID: activity,
		ProcessID: h.BitsPID, ThreadID: h.R.ThreadID(),
		Channel: ChannelOperational, Computer: h.Computer, UserID: systemSID, Data: data,
	}
}

// JobCreated is event 3 version 2 (Windows 10/11): a job was created.
func (h *Host) JobCreated(t time.Time, j Job) Event {
	return h.bits(t, 3, 2, LevelInfo, 0, "",
		Str("jobTitle", j.Title), GUIDField("jobId", j.ID), Str("jobOwner", j.Owner),
		Str("processPath", j.Process), U32("processId", j.ProcessID))
}

// TransferStarted is event 59 version 1: BITS started transferring a file.
func (h *Host) TransferStarted(t time.Time, j Job, xfer string, done uint64) Event {
	return h.bits(t, 59, 1, LevelInfo, opStart, xfer,
		GUIDField("transferId", xfer), Str("name", j.Title), GUIDField("Id", j.ID), Str("url", j.URL),
		Str("peer", ""), FileTimeField("fileTime", time.Date(2026, 1, 14, 3, 12, 40, 0, time.UTC)),
		U64("fileLength", j.Size), U64("bytesTotal", j.Size), U64("bytesTransferred", done),
		U64("bytesTransferredFromPeer", 0))
}

// TransferStopped is event 60 (hr 0, Information) or 61 (hr != 0, Warning)
// version 1: BITS stopped transferring a file.
func (h *Host) TransferStopped(t time.Time, j Job, xfer string, hr uint32, done uint64, proxy string) Event {
	id, level := uint16(60), uint8(LevelInfo)
	if hr != 0 {
		id, level = 61, LevelWarning
	}
	return h.bits(t, id, 1, level, opStop, xfer,
		GUIDField("transferId", xfer), Str("name", j.Title), GUIDField("Id", j.ID), Str("url", j.URL),
		Str("peer", ""), U32("hr", hr), FileTimeField("fileTime", time.Date(2026, 1, 14, 3, 12, 40, 0, time.UTC)),
		U64("fileLength", j.Size), U64("bytesTotal", j.Size), U64("bytesTransferred", done), Str("proxy", proxy),
		U64("peerProtocolFlags", 0), U64("bytesTransferredFromPeer", 0), U32("AdditionalInfoHr", 0),
		U32("PeerContextInfo", 0), U64("bandwidthLimit", ^uint64(0)), Bool("ignoreBandwidthLimitsOnLan", false))
}

// JobCompleted is event 4 version 1: all files transferred and the job completed.
func (h *Host) JobCompleted(t time.Time, j Job) Event {
	return h.bits(t, 4, 1, LevelInfo, 0, "",
		Str("User", j.Owner), Str("jobTitle", j.Title), GUIDField("jobId", j.ID), Str("jobOwner", j.Owner),
		U64("fileCount", 1), U64("bytesTransferred", j.Size), U64("bytesTransferredFromPeer", 0))
}

// JobCancelled is event 5 version 0: the job was cancelled.
func (h *Host) JobCancelled(t time.Time, j Job, by string) Event {
	return h.bits(t, 5, 0, LevelInfo, 0, "",
		Str("User", by), Str("jobTitle", j.Title), GUIDField("jobId", j.ID), Str("jobOwner", j.Owner), U64("fileCount", 1))
}

// HTTPFeatureMissing is event 202: the server or proxy lacks an HTTP feature BITS needs.
func (h *Host) HTTPFeatureMissing(t time.Time, j Job, xfer, proxy string, hr uint32, length uint64, httpVersion, urlRange string) Event {
	return h.bits(t, 202, 0, LevelError, 0, xfer,
		Str("jobName", j.Title), Str("jobOwner", j.Owner), GUIDField("jobId", j.ID), Str("url", j.URL),
		GUIDField("xferId", xfer), Str("proxy", proxy), U32("hr", hr), U64("fileLength", length),
		Str("HTTPVersion", httpVersion), Str("URLRange", urlRange))
}

// NoThrottling is event 206 (no HEAD), 207 (no Content-Length) or 210 (no
// Content-Range): BITS cannot throttle the download of url.
func (h *Host) NoThrottling(t time.Time, id uint16, j Job) Event {
	return h.bits(t, id, 0, LevelWarning, 0, "", Str("jobName", j.Title), Str("url", j.URL))
}

// JobError is event 211: a job encountered an error.
func (h *Host) JobError(t time.Time, j Job, code uint32) Event {
	return h.bits(t, 211, 0, LevelError, 0, "",
		GUIDField("JobGuid", j.ID), Str("Title", j.Title), U32("ErrorCode", code), U32("Message", 0))
}

// ServiceStartupSlow is event 302: the service started, but slowly.
func (h *Host) ServiceStartupSlow(t time.Time) Event { return h.bits(t, 302, 0, LevelWarning, 0, "") }

// JobListLoaded is event 306: the job list was read at service start.
func (h *Host) JobListLoaded(t time.Time) Event { return h.bits(t, 306, 0, 5, 0, "") }

// bitsSystem is a Bits-Client event written to the System log.
func (h *Host) bitsSystem(t time.Time, id uint16, level uint8, data ...Field) Event {
	return Event{
		Provider: BitsClient, EventID: id, Level: level, Keywords: kwSystemBits, Time: t,
		ProcessID: h.BitsPID, ThreadID: h.R.ThreadID(), Channel: ChannelSystem, Computer: h.Computer,
		UserID: systemSID, Data: data,
	}
}

// BitsFailedToStart is System event 16392: the BITS service failed to start.
func (h *Host) BitsFailedToStart(t time.Time, code uint32) Event {
	return h.bitsSystem(t, 16392, LevelError, U32("ErrorCode", code))
}

// JobLimitMismatch is System event 16397: per-user job limit above per-computer limit.
func (h *Host) JobLimitMismatch(t time.Time, perUser, perComputer uint32) Event {
	return h.bitsSystem(t, 16397, LevelWarning, Str("entityName", ""), U32("currentSize", perUser), U32("currentLimit", perComputer))
}

// UserJobLimitReached is System event 16398: a new job was refused (per-user limit).
func (h *Host) UserJobLimitReached(t time.Time, user string, count, limit uint32) Event {
	return h.bitsSystem(t, 16398, LevelError, Str("entityName", user), U32("currentSize", count), U32("currentLimit", limit))
}

// NotLocalSystem is System event 17005: BITS is configured to run as another account.
func (h *Host) NotLocalSystem(t time.Time, account string) Event {
	return h.bitsSystem(t, 17005, LevelError, Str("string", account), Str("string2", ""), Str("string3", ""))
}

// scm is a Service Control Manager event.
func (h *Host) scm(t time.Time, id uint16, level uint8, user string, binary []byte, params ...string) Event {
	q := qualInfo
	switch level {
	case LevelError:
		q = qualError
	case LevelWarning:
		q = qualWarning
	}
	data := make([]Field, len(params))
	for i, p := range params {
		data[i] = Str(fmt.Sprintf("param%d", i+1), p)
	}
	return Event{
		Provider: SCM, EventID: id, Qualifiers: &q, Level: level, Keywords: kwSCM, Time: t,
		ProcessID: h.SCMPID, ThreadID: h.R.ThreadID(), Channel: ChannelSystem, Computer: h.Computer,
		UserID: user, Data: data, Binary: binary,
	}
}

// Service names a service as the SCM logs it.
type Service struct {
	Key     string // key name, e.g. "BITS"
	Display string // localised display name
}

// BITS in English.
var BITS = Service{Key: "BITS", Display: "Background Intelligent Transfer Service"}

// ServiceState is SCM 7036: the service entered a state; state is the
// SERVICE_STATUS number (1 stopped, 4 running) and word its localised text.
func (h *Host) ServiceState(t time.Time, s Service, word string, state int) Event {
	return h.scm(t, 7036, LevelInfo, "", UTF16Z(fmt.Sprintf("%s/%d", s.Key, state)), s.Display, word)
}

// StartTypeChanged is SCM 7040: the start type changed from old to new (localised words).
func (h *Host) StartTypeChanged(t time.Time, s Service, old, new, user string) Event {
	return h.scm(t, 7040, LevelInfo, user, nil, s.Display, old, new, s.Key)
}

// StartFailed is SCM 7000: the service failed to start with Win32 error code.
func (h *Host) StartFailed(t time.Time, s Service, win32 int) Event {
	return h.scm(t, 7000, LevelError, "", UTF16Z(s.Key), s.Display, fmt.Sprintf("%%%%%d", win32))
}

// DependencyFailed is SCM 7001: s depends on dep, which failed to start with win32.
func (h *Host) DependencyFailed(t time.Time, s Service, dep string, win32 int) Event {
	return h.scm(t, 7001, LevelError, "", UTF16Z(s.Key), s.Display, dep, fmt.Sprintf("%%%%%d", win32))
}

// DependencyMissing is SCM 7003: s depends on a service that does not exist.
func (h *Host) DependencyMissing(t time.Time, s Service, dep string) Event {
	return h.scm(t, 7003, LevelError, "", UTF16Z(s.Key), s.Display, dep)
}

// ConnectTimeout is SCM 7009: timeout waiting for s to connect.
func (h *Host) ConnectTimeout(t time.Time, s Service, ms int) Event {
	return h.scm(t, 7009, LevelError, "", UTF16Z(s.Key), fmt.Sprint(ms), s.Display)
}

// TransactionTimeout is SCM 7011: timeout waiting for a transaction response from s.
func (h *Host) TransactionTimeout(t time.Time, s Service, ms int) Event {
	return h.scm(t, 7011, LevelError, "", UTF16Z(s.Key), fmt.Sprint(ms), s.Display)
}

// StartHung is SCM 7022: s hung on starting.
func (h *Host) StartHung(t time.Time, s Service) Event {
	return h.scm(t, 7022, LevelError, "", UTF16Z(s.Key), s.Display)
}

// Terminated is SCM 7023: s terminated with Win32 error win32.
func (h *Host) Terminated(t time.Time, s Service, win32 int) Event {
	return h.scm(t, 7023, LevelError, "", UTF16Z(s.Key), s.Display, fmt.Sprintf("%%%%%d", win32))
}

// Crashed is SCM 7031: s terminated unexpectedly for the n-th time; the
// recovery action (localised text) follows in ms milliseconds.
func (h *Host) Crashed(t time.Time, s Service, n, ms int, action string) Event {
	return h.scm(t, 7031, LevelError, "", UTF16Z(s.Key), s.Display, fmt.Sprint(n), fmt.Sprint(ms), "1", action)
}

// CrashedNoAction is SCM 7034: s terminated unexpectedly for the n-th time, no recovery action.
func (h *Host) CrashedNoAction(t time.Time, s Service, n int) Event {
	return h.scm(t, 7034, LevelError, "", UTF16Z(s.Key), s.Display, fmt.Sprint(n))
}

// LogonFailed is SCM 7038: s could not log on as account (Win32 error win32).
func (h *Host) LogonFailed(t time.Time, s Service, account string, win32 int) Event {
	return h.scm(t, 7038, LevelError, "", UTF16Z(s.Key), s.Display, account, fmt.Sprintf("%%%%%d", win32))
}

// OSVersion is System event 6009 of the EventLog provider, written at each
// boot: major.minor ("10.00."), build, service pack, kernel kind, and a
// number. Windows writes the payload as one string-array <Data>, which
// readers render as its values joined by commas; the sample writes that
// rendering as one string.
func (h *Host) OSVersion(t time.Time, majorMinor string, build int, servicePack string) Event {
	q := qualWarning // 0x8000 as Windows writes it (event id 0x80001779)
	return Event{
		Provider: EventLog, EventID: 6009, Qualifiers: &q, Level: LevelInfo, Keywords: 0x80000000000000, Time: t,
		Channel: ChannelSystem, Computer: h.Computer,
		Data: []Field{Str("Data", fmt.Sprintf("%s,%d,%s,Multiprocessor Free,0", majorMinor, build, servicePack))},
	}
}
