package analyze

import (
	"strings"

	"bitsdiag/parse"
)

// bitsSource reads Microsoft-Windows-Bits-Client events, in any channel
// (bits-facts §2): job events, transfer attempts and BITS' own service events.
type bitsSource struct{}

func (bitsSource) Name() string        { return "bits-client" }
func (bitsSource) Providers() []string { return []string{ProviderBITS} }
func (bitsSource) Channels() []string {
	return []string{"System", "Microsoft-Windows-Bits-Client/*"}
}

// Relevant: every Bits-Client record is about BITS.
func (bitsSource) Relevant(r parse.Fields) bool {
	return strings.EqualFold(r.RecordProvider(), ProviderBITS)
}

// Fields are the payload fields jobs.go, state.go, service.go and the
// evidence texts read of Bits-Client events.
func (bitsSource) Fields() []string { return bitsFields }

var bitsFields = []string{
	"jobId", "Id", "JobGuid", "JobId", "jobTitle", "string", "string2", "string3",
	"name", "Title", "jobName", "JobName", "job", "Job", "url", "Url", "RemoteName",
	"transferId", "xferId", "jobOwner", "Owner", "User", "user", "LocalName",
	"bytesTransferred", "bytesTotal", "proxy", "proxyServerList", "server", "scheme",
	"hr", "error", "ErrorCode", "BlockReasonErrorCode", "processPath", "processId",
	"HTTPVersion", "URLRange", "Pgm", "currentSize", "currentLimit", "entityName",
	"function", "line", "FileList", "RetryWaitTime", "SubKeyOrValueName", "Key",
}

// Events are the Bits-Client event ids with knowledge-base rules (bits-facts §2).
func (bitsSource) Events() []uint16 { return bitsEvents }

var bitsEvents = []uint16{60, 61, 62, 63, 64, 200, 201, 202, 204, 206, 207, 210, 211, 213,
	302, 307, 308, 310, 311, 312, 313, 16385, 16386, 16390, 16391, 16392, 16393, 16396,
	16397, 16398, 16400, 16401, 16402, 16404, 16405, 17005}

// correlate updates the job the event belongs to and, for BITS' service-level
// events, the service timeline; BITS writes its Operational log only while
// the service runs, so other Operational events show the service healthy.
// Then the event's rule makes an occurrence, with the job context.
func (bitsSource) correlate(s *state, f *Fact, r EventRule, ok bool) {
	ctx := s.handleJob(f)
	system := isBITSSystemEvent(f.EventID) || strings.EqualFold(f.Channel, "System")
	if system {
		s.handleBITSSystem(f)
	}
	if ok {
		s.apply(f, r, ctx)
	}
	if !system {
		s.healthy(serviceSubject(f.Computer), f.TimeCreated)
	}
}
