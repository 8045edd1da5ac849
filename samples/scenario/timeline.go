package scenario

import "time"

// Helpers to build realistic sequences of events.

// clock returns times on one base day with deterministic sub-second parts.
type clock struct {
	base time.Time
	r    *Rand
}

func newClock(seed string, y int, m time.Month, d int) clock {
	return clock{base: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), r: NewRand("clock/" + seed)}
}

// at returns day offset d (0 = base day) at hh:mm:ss plus a random fraction.
func (c clock) at(d, hh, mm, ss int) time.Time {
	return c.base.AddDate(0, 0, d).Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute +
		time.Duration(ss)*time.Second + time.Duration(c.r.Intn(10_000_000))*100)
}

// NewJob returns a job with an id from the host's generator.
func (h *Host) NewJob(title, owner, process string, pid uint32, url string, size uint64) Job {
	return Job{ID: h.R.GUID(), Title: title, Owner: owner, Process: process, ProcessID: pid, URL: url, Size: size}
}

// Attempt is one transfer: 59 at t, then 60 (hr 0, all bytes) or 61 (hr,
// done bytes) after d.
func (h *Host) Attempt(t time.Time, j Job, hr uint32, done uint64, proxy string, d time.Duration) []Event {
	x := h.R.GUID()
	return []Event{h.TransferStarted(t, j, x, 0), h.TransferStopped(t.Add(d), j, x, hr, done, proxy)}
}

// CompletedJob is a job created at t that downloads in one attempt and completes.
func (h *Host) CompletedJob(t time.Time, j Job, proxy string) []Event {
	d := time.Duration(2+h.R.Intn(50))*time.Second + time.Duration(h.R.Intn(1000))*time.Millisecond
	ev := []Event{h.JobCreated(t, j)}
	ev = append(ev, h.Attempt(t.Add(120*time.Millisecond), j, 0, j.Size, proxy, d)...)
	return append(ev, h.JobCompleted(t.Add(d+400*time.Millisecond), j))
}

// RetryingJob is a job created at t that fails with each code in fails,
// retrying every interval, and then (if complete) succeeds and completes.
func (h *Host) RetryingJob(t time.Time, j Job, proxy string, fails []uint32, interval time.Duration, complete bool) []Event {
	ev := []Event{h.JobCreated(t, j)}
	at := t.Add(150 * time.Millisecond)
	for _, hr := range fails {
		ev = append(ev, h.Attempt(at, j, hr, 0, proxy, time.Duration(300+h.R.Intn(20000))*time.Millisecond)...)
		at = at.Add(interval + time.Duration(h.R.Intn(5000))*time.Millisecond)
	}
	if complete {
		d := time.Duration(5+h.R.Intn(60)) * time.Second
		ev = append(ev, h.Attempt(at, j, 0, j.Size, proxy, d)...)
		ev = append(ev, h.JobCompleted(at.Add(d+300*time.Millisecond), j))
	}
	return ev
}

// boots returns, for each day from..to-1 of c, a boot at hh:mm:ss (see
// Boot) followed by the events then returns for that boot time.
func (h *Host) boots(c clock, from, to, hh, mm, ss int, bitsStarts bool, then func(t time.Time) []Event) []Event {
	var ev []Event
	for d := from; d < to; d++ {
		t := c.at(d, hh, mm, ss)
		ev = append(ev, h.Boot(t, bitsStarts)...)
		ev = append(ev, then(t)...)
	}
	return ev
}

// Boot returns the SCM events of a service start: BITS running (delayed
// auto start) plus a few other services.
func (h *Host) Boot(t time.Time, bitsStarts bool) []Event {
	ev := []Event{
		h.ServiceState(t, otherServices[0], "running", 4),
		h.ServiceState(t.Add(2*time.Second), otherServices[6], "running", 4),
	}
	if bitsStarts {
		ev = append(ev, h.ServiceState(t.Add(118*time.Second), BITS, "running", 4))
	}
	return ev
}
