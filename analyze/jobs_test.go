package analyze

import (
	"testing"

	"bitsdiag/parse"
)

func TestJobReconstruction(t *testing.T) {
	url := "https://fs.microsoft.com/fs/windows/config.json"
	r := analyse(t, Options{},
		created(2, 0, "{161d2e57-00cf-4619-a9dd-6ed04ae71848}", "Font Download"),
		bitsEv(3, 0, 209, 0, "jobName", "Font Download", "jobId", "{161d2e57-00cf-4619-a9dd-6ed04ae71848}", "isRoaming", "1"),
		bitsEv(4, 0, 16403, 0, "User", `NT AUTHORITY\Local Service`, "jobTitle", "Font Download", "jobId", jobA,
			"jobOwner", `NT AUTHORITY\Local Service`, "fileCount", "1", "RemoteName", url,
			"LocalName", `\\?\C:\WINDOWS\Fonts\Download-1.tmp`, "processId", "2300", "ClientProcessStartKey", "1"),
		started(6, 1, xfer1, jobA, "Font Download", url),
		stopped(7, 1, 60, xfer1, jobA, "Font Download", url, "0", "55", "55"),
		completed(8, 1, jobA, "Font Download", "55"),
	)
	if len(r.Jobs) != 1 {
		t.Fatalf("jobs = %d, want 1: %s", len(r.Jobs), mustJSON(t, r.Jobs))
	}
	j := r.Jobs[0]
	checks := []struct {
		name, got, want string
	}{
		{"id", j.ID, jobA},
		{"title", j.Title, "Font Download"},
		{"owner", j.Owner, `NT AUTHORITY\Local Service`},
		{"process", j.Process, `C:\Windows\System32\svchost.exe (PID 2300)`},
		{"outcome", string(j.Outcome), "completed"},
		{"computer", j.Computer, "PC1"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if len(j.URLs) != 1 || j.URLs[0] != url || len(j.Hosts) != 1 || j.Hosts[0] != "fs.microsoft.com" {
		t.Errorf("urls %v hosts %v", j.URLs, j.Hosts)
	}
	if len(j.Files) != 1 {
		t.Errorf("files = %v", j.Files)
	}
	if j.BytesTotal == nil || *j.BytesTotal != 55 || j.BytesTransferred == nil || *j.BytesTransferred != 55 {
		t.Errorf("bytes total %v transferred %v, want 55/55", j.BytesTotal, j.BytesTransferred)
	}
	if j.Transfers != 1 || j.Retries != 0 || len(j.Errors) != 0 {
		t.Errorf("transfers %d retries %d errors %v", j.Transfers, j.Retries, j.Errors)
	}
	if len(r.Findings) != 0 {
		t.Errorf("healthy job gave findings %v", kbIDs(r))
	}
}

func TestJobOutcomes(t *testing.T) {
	url := "https://example.com/f.bin"
	fail := func(rec uint64, min int, job string) *parse.Event {
		return stopped(rec, min, 61, xfer2, job, "J", url, "2162076929", "18446744073709551615", "0")
	}
	tests := []struct {
		name    string
		evs     []*parse.Event
		outcome string
		retries int
		total   bool // bytes total known
	}{
		{"open", []*parse.Event{created(1, 0, jobB, "J"), started(2, 1, xfer2, jobB, "J", url)}, "open", 0, false},
		{"failing", []*parse.Event{created(1, 0, jobB, "J"), started(2, 1, xfer2, jobB, "J", url), fail(3, 2, jobB),
			started(4, 3, xfer2, jobB, "J", url), fail(5, 4, jobB)}, "failing", 1, false},
		{"cancelled", []*parse.Event{created(1, 0, jobB, "J"), fail(3, 2, jobB), cancelled(4, 3, jobB, "J")}, "cancelled", 0, false},
		{"completed after failure", []*parse.Event{created(1, 0, jobB, "J"), fail(3, 2, jobB),
			started(4, 3, xfer2, jobB, "J", url), stopped(5, 4, 60, xfer2, jobB, "J", url, "0", "10", "10"),
			completed(6, 4, jobB, "J", "10")}, "completed", 1, true},
		{"interrupted is not a failure", []*parse.Event{created(1, 0, jobB, "J"),
			stopped(5, 4, 60, xfer2, jobB, "J", url, "262152", "18446744073709551615", "0")}, "open", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := analyse(t, Options{}, tc.evs...)
			if len(r.Jobs) != 1 {
				t.Fatalf("jobs = %d", len(r.Jobs))
			}
			j := r.Jobs[0]
			if string(j.Outcome) != tc.outcome || j.Retries != tc.retries || (j.BytesTotal != nil) != tc.total {
				t.Errorf("outcome %q retries %d total %v; want %q %d known=%v", j.Outcome, j.Retries, j.BytesTotal, tc.outcome, tc.retries, tc.total)
			}
		})
	}
}

func TestGUIDNormalisation(t *testing.T) {
	url := "https://example.com/a"
	r := analyse(t, Options{},
		created(1, 0, "{5350dc49-64ef-4712-b7b6-1c68cd834777}", "Lower"),
		// 60 names the job only through the transfer id seen on 59.
		bitsEv(2, 1, 59, 1, "transferId", "{bff4295d-01b3-4706-bdf4-5ac861c94af3}", "name", "Lower", "Id", jobB, "url", url),
		bitsEv(3, 2, 60, 1, "transferId", xfer2, "name", "Lower", "url", url, "hr", "0", "bytesTotal", "5", "bytesTransferred", "5"),
	)
	if len(r.Jobs) != 1 || r.Jobs[0].ID != jobB || r.Jobs[0].Transfers != 1 {
		t.Fatalf("jobs: %s", mustJSON(t, r.Jobs))
	}
	if bt := r.Jobs[0].BytesTotal; bt == nil || *bt != 5 {
		t.Errorf("bytes total %v, want 5 (60 joined by transfer id)", bt)
	}
}

func TestEvent3Version0(t *testing.T) {
	const job = "B35C4A1D-4425-45BE-92D1-B67183AE222F"
	url := `C:\Windows\system32\cmd.exe`
	r := analyse(t, Options{},
		bitsEv(3815, 0, 3, 0, "string", "backdoor", "string2", `IEWIN7\IEUser`, "string3", ""),
		started(3817, 1, xfer1, job, "backdoor", url),
		stopped(3818, 1, 60, xfer1, job, "backdoor", url, "0", "302592", "302592"),
	)
	if len(r.Jobs) != 1 {
		t.Fatalf("jobs = %s", mustJSON(t, r.Jobs))
	}
	j := r.Jobs[0]
	if j.ID != job || j.Title != "backdoor" || j.Owner != `IEWIN7\IEUser` || !j.First.Equal(t0) {
		t.Errorf("job = %+v", j)
	}
	if len(j.Hosts) != 0 {
		t.Errorf("local path gave hosts %v", j.Hosts)
	}
}

func TestEvent3Version0Alone(t *testing.T) {
	r := analyse(t, Options{}, bitsEv(1, 0, 3, 0, "string", "lonely", "string2", `PC1\u`, "string3", ""))
	if len(r.Jobs) != 1 || r.Jobs[0].Title != "lonely" || r.Jobs[0].Owner != `PC1\u` || r.Jobs[0].ID != "" {
		t.Errorf("jobs = %s", mustJSON(t, r.Jobs))
	}
}
