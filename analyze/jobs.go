package analyze

import (
	"bitsdiag/parse"
	"sort"
	"strconv"
	"strings"
	"time"
)

// jobState accumulates one job's events.
type jobState struct {
	key, id, computer     string
	title, owner, process string
	first, last           time.Time
	urls, files           []string
	outcome               Outcome   // OutcomeCompleted, OutcomeCancelled or "" while open
	cancelledAt           time.Time // when it was cancelled (OutcomeCancelled)
	failing               bool      // the last transfer result was a failure
	errors                map[uint32]int
	retries, transfers    int
	interruptions         int
	total                 map[string]uint64 // per URL, known sizes
	totalUnknown          map[string]bool   // per URL, size logged as unknown
	transferred           map[string]uint64 // per URL, last count
	jobTransferred        *uint64           // event 4 v1
	retryPending          map[string]bool   // per URL, failed since its last start
	unreported            uint32            // code of the last transfer failure, until a 211 reports it for the job
	announced             map[string]uint32 // per transfer, code a 200-202 event reported before its 60/61
	live                  *LiveJob          // the job in a live listing (source_config.go)
}

// jobEvents are the Bits-Client event ids that belong to a job.
var jobEvents = map[uint16]bool{
	1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 59: true, 60: true, 61: true,
	62: true, 63: true, 64: true, 200: true, 201: true, 202: true, 203: true, 204: true,
	206: true, 207: true, 208: true, 209: true, 210: true, 211: true, 213: true, 311: true,
	16384: true, 16387: true, 16388: true, 16389: true, 16390: true, 16403: true,
}

// handleJob updates the job an event belongs to and returns the context an
// occurrence needs.
func (s *state) handleJob(e *Fact) jobCtx {
	if !jobEvents[e.EventID] {
		return jobCtx{}
	}
	c := e.Computer
	id := parse.NormGUID(firstValue(e, "jobId", "Id", "JobGuid", "JobId"))
	title := jobTitle(e)
	urlv := firstValue(e, "url", "Url", "RemoteName")
	if (e.EventID == 203 || e.EventID == 204) && urlv == "" {
		urlv = e.Value("string3")
	}
	xfer := parse.NormGUID(firstValue(e, "transferId", "xferId"))

	if e.EventID == 3 && id == "" {
		if g := parse.NormGUID(e.Value("string3")); looksGUID(g) {
			id = g
		} else {
			// Event 3 v0 carries no job id: keep it until an event with
			// both the id and this title turns up.
			k := c + "|" + title
			s.pending[k] = append(s.pending[k], e)
			return jobCtx{title: title}
		}
	}
	if id == "" && xfer != "" {
		if k, ok := s.transfers[c+"|"+xfer]; ok {
			id = s.jobs[k].id
		}
	}
	var j *jobState
	if id != "" {
		j = s.job(c, id, e.TimeCreated)
	} else if title != "" {
		if k, ok := s.byTitle[c+"|"+title]; ok {
			j = s.jobs[k]
		}
	}
	if j == nil {
		return jobCtx{title: title, url: urlv}
	}
	if xfer != "" {
		s.transfers[c+"|"+xfer] = j.key
	}
	if j.title == "" && title != "" {
		j.title = title
	}
	if title != "" {
		s.byTitle[c+"|"+title] = j.key
		s.adoptPending(j, title)
	}
	j.touch(e.TimeCreated)
	if urlv != "" {
		j.urls = addUnique(j.urls, urlv)
	}
	ctx := jobCtx{key: j.key, id: j.id, title: j.title, url: urlv}

	switch e.EventID {
	case 3:
		j.setCreator(e)
	case 4:
		j.setOwner(e.Value("jobOwner"))
		j.outcome, j.failing = "completed", false
		if n, ok := parseSize(e.Value("bytesTransferred")); ok {
			j.jobTransferred = &n
		}
		s.healthy(subject{kind: subjJob, key: j.key}, e.TimeCreated)
	case 5, 16384, 16389:
		j.setOwner(firstValue(e, "jobOwner", "Owner"))
		if j.outcome != "completed" {
			j.outcome, j.cancelledAt = "cancelled", e.TimeCreated
		}
	case 16388:
		if u := e.Value("User"); u != "" {
			j.owner = u
		}
	case 16387, 62:
		j.setOwner(e.Value("Owner"))
	case 16403:
		j.setOwner(e.Value("jobOwner"))
		if f := e.Value("LocalName"); f != "" {
			j.files = addUnique(j.files, f)
		}
	case 59:
		j.transfers++
		if j.retryPending[urlv] {
			j.retries++
			delete(j.retryPending, urlv)
		}
		j.sizes(urlv, e)
	case 60, 61:
		j.sizes(urlv, e)
		ctx.proxies = splitList(e.Value("proxy"))
		hr, ok := parseCodeValue(e.Value("hr"))
		switch {
		case !ok:
		case hr == 0:
			j.failing, j.unreported = false, 0
			s.healthy(subject{kind: subjURL, computer: c, key: urlv}, e.TimeCreated)
			s.healthy(subject{kind: subjJobTransfer, key: j.key}, e.TimeCreated)
		case !isFailure(hr):
			j.interruptions++
		case xfer != "" && j.announced[xfer] == hr:
			// The transfer's 200-202 event already counted this failure.
			delete(j.announced, xfer)
			j.failing, j.retryPending[urlv] = true, true
		default:
			j.fail(urlv, hr)
			j.unreported = hr
		}
	case 200, 202:
		ctx.proxies = splitList(e.Value("proxy"))
		if hr, ok := parseCodeValue(e.Value("hr")); ok && isFailure(hr) {
			j.announce(urlv, xfer, hr)
		}
	case 201:
		ctx.proxies = splitList(e.Value("proxyServerList"))
		j.setOwner(e.Value("jobOwner"))
		if hr, ok := parseCodeValue(e.Value("error")); ok && isFailure(hr) {
			j.announce(urlv, xfer, hr)
		}
	case 211:
		// The job-level report of the failure its last transfer ended with
		// is not a failure of its own.
		if hr, ok := parseCodeValue(e.Value("ErrorCode")); ok && isFailure(hr) {
			if j.unreported == hr {
				j.unreported = 0
			} else {
				j.fail("", hr)
			}
		}
	}
	return ctx
}

// jobTitle reads the job title under the names the event versions use.
func jobTitle(e *Fact) string {
	switch e.EventID {
	case 3:
		return firstValue(e, "jobTitle", "string")
	case 203, 204:
		return firstValue(e, "job", "string2")
	}
	return firstValue(e, "jobTitle", "name", "Title", "jobName", "JobName", "job", "Job")
}

// job returns the job with this id on computer c, creating it.
func (s *state) job(c, id string, t time.Time) *jobState {
	k := c + "|" + id
	j, ok := s.jobs[k]
	if !ok {
		j = &jobState{key: k, id: id, computer: c, first: t, last: t,
			errors: map[uint32]int{}, total: map[string]uint64{}, totalUnknown: map[string]bool{},
			transferred: map[string]uint64{}, retryPending: map[string]bool{}, announced: map[string]uint32{}}
		s.jobs[k] = j
	}
	return j
}

// adoptPending gives a job the earliest waiting id-less event 3 with its title.
func (s *state) adoptPending(j *jobState, title string) {
	k := j.computer + "|" + title
	p := s.pending[k]
	if len(p) == 0 || j.owner != "" {
		return
	}
	e := p[0]
	if e.TimeCreated.After(j.last) {
		return
	}
	s.pending[k] = p[1:]
	j.setCreator(e)
	if e.TimeCreated.Before(j.first) {
		j.first = e.TimeCreated
	}
}

func (j *jobState) setCreator(e *Fact) {
	if t := firstValue(e, "jobTitle", "string"); t != "" {
		j.title = t
	}
	if o := firstValue(e, "jobOwner", "string2"); o != "" {
		j.owner = o
	}
	if p := e.Value("processPath"); p != "" {
		j.process = p
		if pid := e.Value("processId"); pid != "" {
			j.process += " (PID " + pid + ")"
		}
	}
}

func (j *jobState) setOwner(o string) {
	if j.owner == "" && strings.TrimSpace(o) != "" {
		j.owner = strings.TrimSpace(o)
	}
}

func (j *jobState) touch(t time.Time) {
	if t.Before(j.first) {
		j.first = t
	}
	if t.After(j.last) {
		j.last = t
	}
}

// announce counts a failure reported by a proxy or server event (200-202)
// and remembers it, so the 60/61 that ends the same transfer with the same
// code does not count it again.
func (j *jobState) announce(url, xfer string, hr uint32) {
	j.fail(url, hr)
	j.unreported = hr
	if xfer != "" {
		j.announced[xfer] = hr
	}
}

// fail counts one failed attempt.
func (j *jobState) fail(url string, hr uint32) {
	j.errors[hr]++
	j.failing = true
	j.retryPending[url] = true
}

// sizes records bytesTotal/bytesTransferred of one file.
func (j *jobState) sizes(url string, e *Fact) {
	if v := e.Value("bytesTotal"); v != "" {
		if n, ok := parseSize(v); ok {
			j.total[url] = n
			delete(j.totalUnknown, url)
		} else if _, known := j.total[url]; !known {
			j.totalUnknown[url] = true
		}
	}
	if n, ok := parseSize(e.Value("bytesTransferred")); ok {
		j.transferred[url] = n
	}
}

// job converts the state into the result model; kb names the codes.
func (j *jobState) job(kb *KB) Job {
	out := Job{ID: j.id, Title: j.title, Owner: j.owner, Process: j.process, Computer: j.computer,
		URLs: nonNil(j.urls), Files: nonNil(j.files), First: j.first, Last: j.last,
		Retries: j.retries, Transfers: j.transfers, Interruptions: j.interruptions, Errors: []CodeCount{}, Live: j.live}
	hosts := []string{}
	for _, u := range j.urls {
		if h := hostOf(u); h != "" {
			hosts = addUnique(hosts, h)
		}
	}
	sort.Strings(hosts)
	out.Hosts = hosts
	switch {
	case j.outcome != "":
		out.Outcome = j.outcome
	case j.failing:
		out.Outcome = "failing"
	default:
		out.Outcome = "open"
	}
	if len(j.total) > 0 && len(j.totalUnknown) == 0 {
		var sum uint64
		for _, n := range j.total {
			sum += n
		}
		out.BytesTotal = &sum
	}
	if j.jobTransferred != nil {
		n := *j.jobTransferred
		out.BytesTransferred = &n
	} else if len(j.transferred) > 0 {
		var sum uint64
		for _, n := range j.transferred {
			sum += n
		}
		out.BytesTransferred = &sum
	}
	for c, n := range j.errors {
		out.Errors = append(out.Errors, CodeCount{Code: FormatCode(c), Name: kb.Decode(c).Name, Count: n})
	}
	sortCodeCounts(out.Errors)
	return out
}

// jobList returns the jobs in order of first appearance.
func (s *state) jobList() []Job {
	out := make([]Job, 0, len(s.jobs))
	for _, j := range s.jobs {
		out = append(out, j.job(s.kb))
	}
	// Jobs created by an event 3 v0 (no job id) that no later event named.
	for _, p := range s.pending {
		for _, e := range p {
			out = append(out, Job{Title: firstValue(e, "string", "jobTitle"), Owner: firstValue(e, "string2", "jobOwner"),
				Computer: e.Computer, First: e.TimeCreated, Last: e.TimeCreated, Outcome: "open",
				URLs: []string{}, Hosts: []string{}, Files: []string{}, Errors: []CodeCount{}})
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if !out[a].First.Equal(out[b].First) {
			return out[a].First.Before(out[b].First)
		}
		if out[a].Computer != out[b].Computer {
			return out[a].Computer < out[b].Computer
		}
		if out[a].ID != out[b].ID {
			return out[a].ID < out[b].ID
		}
		return out[a].Title < out[b].Title
	})
	return out
}

// sortCodeCounts orders by count (descending), then code.
func sortCodeCounts(cc []CodeCount) {
	sort.Slice(cc, func(a, b int) bool {
		if cc[a].Count != cc[b].Count {
			return cc[a].Count > cc[b].Count
		}
		return cc[a].Code < cc[b].Code
	})
}

func addUnique(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return append([]string(nil), s...)
}

// looksGUID reports whether s (already normalised) has the 8-4-4-4-12 form.
func looksGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if _, err := strconv.ParseUint(string(r), 16, 8); err != nil {
				return false
			}
		}
	}
	return true
}
