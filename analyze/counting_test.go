package analyze

import (
	"reflect"
	"strings"
	"testing"

	"bitsdiag/parse"
)

// featureMissing is event 202 for a transfer of jobA.
func featureMissing(rec uint64, min int, xfer, hr string) *parse.Event {
	return bitsEv(rec, min, 202, 0, "jobName", "WU", "jobOwner", `NT AUTHORITY\SYSTEM`, "jobId", jobA,
		"url", "http://wsus.example/a.cab", "xferId", xfer, "proxy", "proxy02.example:8080", "hr", hr,
		"fileLength", "1000", "HTTPVersion", "HTTP/1.1", "URLRange", "bytes=0-99")
}

func jobErrorEv(rec uint64, min int, hr string) *parse.Event {
	return bitsEv(rec, min, 211, 0, "JobGuid", jobA, "Title", "WU", "ErrorCode", hr, "Message", "0")
}

// TestFailureCounting checks that one failed attempt logged by several
// events (202 then 61, or 61 then 211) counts once as a failure, in the
// finding, its job and the timeline, while the finding still counts every
// event, per event id.
func TestFailureCounting(t *testing.T) {
	const url = "http://wsus.example/a.cab"
	tests := []struct {
		name      string
		evs       []*parse.Event
		kbID      string
		count     int            // events
		events    map[uint16]int // per event id
		failures  int
		jobErrors int // count of the code in the job's errors
		summary   string
	}{
		{"202 then 61 with 0x80200013", []*parse.Event{
			created(1, 0, jobA, "WU"), started(2, 0, xfer1, jobA, "WU", url),
			featureMissing(3, 1, xfer1, "0x80200013"),
			stopped(4, 1, 61, xfer1, jobA, "WU", url, "0x80200013", "1000", "0"),
			started(5, 30, xfer2, jobA, "WU", url),
			featureMissing(6, 31, xfer2, "0x80200013"),
			stopped(7, 31, 61, xfer2, jobA, "WU", url, "0x80200013", "1000", "0"),
		}, "job-insufficient-range-support", 4, map[uint16]int{61: 2, 202: 2}, 2, 2,
			"2 failures (0x80200013) in 1 job on 1 computer between 2024-11-14 16:01 UTC and 2024-11-14 16:31 UTC, for wsus.example via proxy proxy02.example:8080; 4 events in all (2 × 61, 2 × 202)"},
		{"202 with 0x80200012 stays with the HTTP/1.0 entry", []*parse.Event{
			created(1, 0, jobA, "WU"), started(2, 0, xfer1, jobA, "WU", url),
			featureMissing(3, 1, xfer1, "0x80200012"),
			stopped(4, 1, 61, xfer1, jobA, "WU", url, "0x80200012", "1000", "0"),
		}, "proxy-range-requests", 2, map[uint16]int{61: 1, 202: 1}, 1, 1, "1 failure (0x80200012)"},
		{"61 then 211 with the same code", []*parse.Event{
			created(1, 0, jobA, "WU"), started(2, 0, xfer1, jobA, "WU", url),
			stopped(3, 1, 61, xfer1, jobA, "WU", url, "0x80190194", "1000", "0"),
			jobErrorEv(4, 1, "0x80190194"),
		}, "job-http-404", 2, map[uint16]int{61: 1, 211: 1}, 1, 1, "1 failure (0x80190194)"},
		{"211 alone counts", []*parse.Event{
			created(1, 0, jobA, "WU"), jobErrorEv(2, 1, "0x80190194"), jobErrorEv(3, 9, "0x80190194"),
		}, "job-http-404", 2, map[uint16]int{211: 2}, 2, 2, "2 failures (0x80190194)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := analyse(t, Options{}, tt.evs...)
			if ids := kbIDs(r); len(ids) != 1 || ids[0] != tt.kbID {
				t.Fatalf("findings %v, want [%s]", ids, tt.kbID)
			}
			f := &r.Findings[0]
			got := map[uint16]int{}
			for _, ec := range f.EventCounts {
				got[ec.EventID] = ec.Count
			}
			if f.Count != tt.count || !reflect.DeepEqual(got, tt.events) || Failures(f) != tt.failures {
				t.Errorf("count %d events %v failures %d; want %d %v %d", f.Count, got, Failures(f), tt.count, tt.events, tt.failures)
			}
			if !strings.HasPrefix(f.Summary, tt.summary) {
				t.Errorf("summary %q\nwant prefix %q", f.Summary, tt.summary)
			}
			if len(r.Jobs) != 1 || len(r.Jobs[0].Errors) != 1 || r.Jobs[0].Errors[0].Count != tt.jobErrors {
				t.Errorf("job errors %+v, want one code ×%d", r.Jobs, tt.jobErrors)
			}
			n := 0
			for _, b := range r.Timeline {
				n += b.Counts[f.ID]
			}
			if n != tt.failures {
				t.Errorf("timeline counts %d, want %d failures", n, tt.failures)
			}
		})
	}
}

// TestResolvePolicies checks which entry explains events whose code and
// event id point at different entries.
func TestResolvePolicies(t *testing.T) {
	tests := []struct {
		name string
		ev   *parse.Event
		want string
		sev  Severity
	}{
		// codeFirst: the code's entry before the event's unconditional signature.
		{"202 range", featureMissing(1, 0, xfer1, "0x80200013"), "job-insufficient-range-support", SeverityError},
		{"202 unknown code", featureMissing(1, 0, xfer1, "0x80DEAD01"), "proxy-range-requests", SeverityError},
		// eventFirst: 7001 carries the dependency's error, not BITS'.
		{"7001 dependency timed out", scm(1, 0, 7001, u16("BITS"), "param1", bitsDisplayName, "param2", "EventSystem", "param3", "%%1053"), "start-dependency", SeverityError},
		{"7001 dependency failed", scm(1, 0, 7001, u16("BITS"), "param1", bitsDisplayName, "param2", "EventSystem", "param3", "%%1068"), "start-dependency", SeverityError},
		// 302: BITS started, slowly; not a hang. Once is a note (info), not a problem.
		{"302", bitsEv(1, 0, 302, 0), "service-slow-start", SeverityInfo},
		{"206 alone", bitsEv(1, 0, 206, 0, "jobName", "WU", "url", "http://x.example/a"), "proxy-range-requests", SeverityWarning},
		// Service failures with a code no entry lists take the catch-all entry.
		{"7000 other code", scm(1, 0, 7000, u16("BITS"), "param1", bitsDisplayName, "param2", "%%1455"), "service-start-failed", SeverityError},
		{"7024 E_FAIL", scm(1, 0, 7024, u16("BITS"), "param1", bitsDisplayName, "param2", "%%2147500037"), "service-start-failed", SeverityError},
		{"16392 E_FAIL", sysEv(ProviderBITS, 1, 0, 16392, nil, "ErrorCode", "2147500037"), "service-start-failed", SeverityError},
		// A code with an entry of its own wins over the event's entry.
		{"16392 corrupt store", sysEv(ProviderBITS, 1, 0, 16392, nil, "ErrorCode", "2149580908"), "job-list-corrupt", SeverityError},
		{"16404 corrupt store", sysEv(ProviderBITS, 1, 0, 16404, nil, "function", "f", "line", "10", "hr", "2149580908"), "job-list-corrupt", SeverityError},
		{"16404", sysEv(ProviderBITS, 1, 0, 16404, nil, "function", "f", "line", "10", "hr", "2147942414"), "service-exception", SeverityError},
		{"7046 alone", scm(1, 0, 7046, u16("BITS"), "param1", bitsDisplayName), "service-hang", SeverityWarning},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := analyse(t, Options{}, tt.ev)
			if len(r.Findings) != 1 || r.Findings[0].KBID != tt.want || r.Findings[0].Severity != tt.sev {
				t.Errorf("findings %s, want one %s (%s)", mustJSON(t, kbIDs(r)), tt.want, tt.sev)
			}
		})
	}
}

// TestStateAtEndPerComputer checks that the service's state and start type
// at the end are per computer when computers differ, and that a crash
// leaves BITS stopped.
func TestStateAtEndPerComputer(t *testing.T) {
	a := startTypeEv(1, 0, bitsDisplayName, "auto start", "disabled")
	b := scm(2, 1, 7036, u16("BITS/4"), "param1", bitsDisplayName, "param2", "running")
	b.Computer = "PC2"
	c := scm(3, 2, 7034, u16("BITS"), "param1", bitsDisplayName, "param2", "1")
	c.Computer = "PC2"
	r := analyse(t, Options{}, a, b)
	if r.Service.StateNow != "running" || r.Service.StartType != "disabled" {
		t.Errorf("state %q start type %q; want running, disabled", r.Service.StateNow, r.Service.StartType)
	}
	r = analyse(t, Options{}, a, b, c, startTypeEv(4, 3, bitsDisplayName, "disabled", "demand start"))
	r2 := analyse(t, Options{}, a, b, c)
	if r2.Service.StateNow != "stopped" {
		t.Errorf("state after a crash %q, want stopped", r2.Service.StateNow)
	}
	if r.Service.StartType != "demand start" {
		t.Errorf("start type %q, want demand start", r.Service.StartType)
	}
	d := startTypeEv(5, 4, bitsDisplayName, "demand start", "auto start")
	d.Computer = "PC2"
	r = analyse(t, Options{}, a, d)
	if want := "PC1: disabled; PC2: auto start"; r.Service.StartType != want {
		t.Errorf("start type %q, want %q", r.Service.StartType, want)
	}
}
