package scenario

import (
	"fmt"
	"time"
)

// Events of the knowledge base's own entries beyond the article: field names
// and types as in bits-facts §2.1-2.4 and §5.3. Codes stored as hex in the
// manifest are UInt32 values in the file (bits-facts §3).

// NotifyCmdLineSet is event 6: a notification command line was set on a job (SetNotifyCmdLine).
func (h *Host) NotifyCmdLineSet(t time.Time, j Job, program, params string) Event {
	return h.bits(t, 6, 0, LevelInfo, 0, "",
		GUIDField("jobId", j.ID), Str("jobOwner", j.Owner), Str("program", program), Str("parameters", params))
}

// InconsistentData is event 62: inconsistent data received; BITS switches server.
func (h *Host) InconsistentData(t time.Time, j Job) Event {
	return h.bits(t, 62, 0, LevelWarning, 0, "",
		Str("Title", j.Title), Str("Owner", j.Owner), Str("Url", j.URL), GUIDField("Id", j.ID))
}

// NotifyProgramFailed is event 63 (the program returned an error) or 64
// (BITS could not launch it): Job is the job's title.
func (h *Host) NotifyProgramFailed(t time.Time, id uint16, j Job, program string, hr uint32) Event {
	return h.bits(t, id, 0, LevelWarning, 0, "",
		Str("Job", j.Title), Str("Url", j.URL), Str("Pgm", program), U32("hr", hr))
}

// CredentialsRejected is event 204 version 1: the server rejected the job's credentials.
func (h *Host) CredentialsRejected(t time.Time, j Job, server, scheme, user string) Event {
	return h.bits(t, 204, 1, LevelError, 0, "",
		Str("server", server), Str("job", j.Title), Str("url", j.URL), Str("scheme", scheme), Str("user", user))
}

// TempFilesLeft is System event 16385 (or 16386 when the list is cut
// short): a cancelled job's temporary files could not be deleted.
func (h *Host) TempFilesLeft(t time.Time, id uint16, j Job, files string) Event {
	return h.bitsSystem(t, id, LevelWarning, GUIDField("Id", j.ID), Str("Title", j.Title), Str("FileList", files))
}

// NotifyAppFailed is System event 16390: the job could not notify its
// application; BITS tries again in retry minutes.
func (h *Host) NotifyAppFailed(t time.Time, j Job, retry uint32) Event {
	return h.bitsSystem(t, 16390, LevelWarning, GUIDField("Id", j.ID), Str("Title", j.Title), Str("Owner", j.Owner), U32("RetryWaitTime", retry))
}

// JobListCorrupt is System event 16391: the job list was unreadable and was cleared.
func (h *Host) JobListCorrupt(t time.Time) Event { return h.bitsSystem(t, 16391, LevelError) }

// ServiceException is System event 16404: BITS detected an exception.
func (h *Host) ServiceException(t time.Time, function string, line, hr uint32) Event {
	return h.bitsSystem(t, 16404, LevelError, Str("function", function), U32("line", line), U32("hr", hr))
}

// BandwidthPolicyInvalid is System event 16405: a bandwidth policy value is missing or out of range.
func (h *Host) BandwidthPolicyInvalid(t time.Time, key, value string) Event {
	return h.bitsSystem(t, 16405, LevelError, Str("Key", key), Str("SubKeyOrValueName", value))
}

// TerminatedSpecific is SCM 7024: s terminated with a service-specific
// error, written as %%<unsigned decimal>.
func (h *Host) TerminatedSpecific(t time.Time, s Service, code uint32) Event {
	return h.scm(t, 7024, LevelError, "", UTF16Z(s.Key), s.Display, fmt.Sprintf("%%%%%d", code))
}
