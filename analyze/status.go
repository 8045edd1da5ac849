package analyze

import (
	"fmt"
	"time"
)

// defaultRetryDelay is BITS's default minimum retry delay for a job in a
// transient error state (IBackgroundCopyJob::SetMinimumRetryDelay: 600
// seconds; the MinimumRetryDelay policy has the same default). A failure
// less than this long before the end of the log has had no chance of a retry.
const defaultRetryDelay = 600 * time.Second

// statusRank orders statuses for ranking: problems that need action first,
// then those whose outcome is unknown, those without a status, and last the
// ones that healed by themselves.
func statusRank(s Status) int {
	switch s {
	case StatusUnresolved:
		return 0
	case StatusNoRetrySeen:
		return 1
	case StatusNone:
		return 2
	}
	return 3
}

// NeedsAction reports whether a finding is a problem someone must act on:
// a warning or error that did not recover by itself.
func NeedsAction(f *Finding) bool {
	return f.Severity != SeverityInfo && f.Status != StatusRecovered
}

// retryText says how long BITS had to retry after the last failure.
func retryText(f *Finding) string {
	d := time.Duration(f.RetrySeconds) * time.Second
	switch f.Status {
	case StatusUnresolved:
		if f.cancelled {
			return "not resolved: each failing job was cancelled after its last failure, without completing (no retry will come)"
		}
		if f.RetrySeconds == 0 {
			return "still failing at the end of the log"
		}
		// RetrySeconds is the least time the log goes on after the last
		// failure of a subject still failing, not the time after the
		// finding's last failure (a later one may not have had its retry).
		return fmt.Sprintf("still failing at the end of the log, which goes on at least %s after the last failure of each job still failing (BITS retries a job in a transient error after its retry delay, 10 minutes by default)", roundDur(d))
	case StatusNoRetrySeen:
		if f.RetrySeconds == 0 {
			return "no retry seen: the log ends with the last failure, before BITS's retry delay (10 minutes by default) had passed"
		}
		return fmt.Sprintf("no retry seen: the log ends %s after the last failure, before BITS's retry delay (10 minutes by default) had passed", roundDur(d))
	}
	return ""
}

// interruptionWindow is how soon after an Information-level event 60 with
// a failure-class code the same transfer or job must succeed for that event
// to count as an interruption (the transfer restarted and completed) rather
// than a failure.
const interruptionWindow = 5 * time.Minute

// isInformational reports whether an event's level is Information (4) or
// LogAlways (0).
func isInformational(level uint8) bool { return level == 4 || level == 0 }

// dropInterruptions removes from the findings the Information-level event
// 60 records whose failure-class code was followed within
// interruptionWindow by success of the same transfer URL or job: BITS logs
// real transfer failures as Warning-level 61, and such a 60 is a transfer
// that was interrupted and restarted. The job keeps the code in its errors
// and counts the interruption.
func (s *state) dropInterruptions() {
	kept := s.occs[:0]
	for _, o := range s.occs {
		if o.ev.EventID == 60 && sameProvider(o.ev.Provider, ProviderBITS) && isInformational(o.ev.Level) &&
			o.hasCode && isFailure(o.code) && s.succeededSoon(o) {
			if j := s.jobs[o.jobKey]; j != nil {
				j.interruptions++
			}
			continue
		}
		kept = append(kept, o)
	}
	s.occs = kept
}

// succeededSoon reports whether a subject of o was healthy within
// interruptionWindow after it.
func (s *state) succeededSoon(o *occurrence) bool {
	t := o.ev.TimeCreated
	for _, sub := range o.subjects {
		for _, ts := range s.successes[sub] {
			if ts.After(t) && ts.Sub(t) <= interruptionWindow {
				return true
			}
		}
	}
	return false
}
