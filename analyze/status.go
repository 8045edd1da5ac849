package analyze

import (
	"fmt"
	"time"
)

// Finding statuses: what happened after a cause's last failure.
const (
	// StatusRecovered: later attempts for the same job, URL host or proxy
	// (or the service, for service findings) succeeded.
	StatusRecovered = "recovered"
	// StatusUnresolved: the failures are the last word and BITS had time to
	// retry (at least its default minimum retry delay) before the log ends.
	StatusUnresolved = "unresolved"
	// StatusNoRetrySeen: no success followed, but the log ends before BITS
	// could be expected to retry, so it is unknown whether it recovered.
	StatusNoRetrySeen = "no retry seen"
)

// defaultRetryDelay is BITS's default minimum retry delay for a job in a
// transient error state (IBackgroundCopyJob::SetMinimumRetryDelay: 600
// seconds; the MinimumRetryDelay policy has the same default). A failure
// less than this long before the end of the log has had no chance of a retry.
const defaultRetryDelay = 600 * time.Second

// statusRank orders statuses for ranking: problems that need action first,
// then those whose outcome is unknown, those without a status, and last the
// ones that healed by themselves.
func statusRank(s string) int {
	switch s {
	case StatusUnresolved:
		return 0
	case StatusNoRetrySeen:
		return 1
	case "":
		return 2
	}
	return 3
}

// NeedsAction reports whether a finding is a problem someone must act on:
// a warning or error that did not recover by itself.
func NeedsAction(f *Finding) bool {
	return f.Severity != SeverityInfo && f.Status != StatusRecovered
}

// refineStatus turns "unresolved" into "no retry seen" when the log of the
// finding's computers ends less than the retry delay after its last failure,
// and records how long BITS had to retry. logEnd is the end of the time the
// inputs cover per computer.
func refineStatus(f *Finding, logEnd map[string]time.Time) {
	if f.Status != StatusUnresolved || !isJobFinding(f) {
		return
	}
	var end time.Time
	for _, c := range f.Computers {
		if t := logEnd[c]; t.After(end) {
			end = t
		}
	}
	if end.IsZero() {
		return
	}
	d := end.Sub(f.LastSeen)
	if d < 0 {
		d = 0
	}
	f.RetrySeconds = int64(d / time.Second)
	if d < defaultRetryDelay {
		f.Status = StatusNoRetrySeen
	}
}

// retryText says how long BITS had to retry after the last failure.
func retryText(f *Finding) string {
	d := time.Duration(f.RetrySeconds) * time.Second
	switch f.Status {
	case StatusUnresolved:
		if f.RetrySeconds == 0 {
			return "still failing at the end of the log"
		}
		return fmt.Sprintf("still failing at the end of the log, %s after the last failure (BITS retries a job in a transient error after its retry delay, 10 minutes by default)", roundDur(d))
	case StatusNoRetrySeen:
		return fmt.Sprintf("no retry seen: the log ends %s after the last failure, before BITS's retry delay (10 minutes by default) had passed", roundDur(d))
	}
	return ""
}
