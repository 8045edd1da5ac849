package render

import (
	"fmt"
	"strconv"
	"strings"

	"bitsdiag/analyze"
)

// snapshotEvidence reports evidence from a configuration snapshot: a file
// and line, no event record.
func snapshotEvidence(e analyze.Evidence) bool { return e.RecordID == 0 && e.EventID == 0 }

// eventNumber is the evidence's event id, or "—" for a snapshot.
func eventNumber(e analyze.Evidence) string {
	if snapshotEvidence(e) {
		return "—"
	}
	return strconv.Itoa(int(e.EventID))
}

// buildConfiguration lists the configuration check per machine whose
// snapshots were read (nothing when there were none).
//
// The short report gives per machine the Windows version and its source, the
// service state, the findings and a count of the files read (of how many
// snapshot sets); the folders, the file inventory, the owners of the live
// jobs and the live jobs table only with full (the JSON output has them all).
func buildConfiguration(d *document, r *analyze.Result, full bool) {
	if len(r.Configuration) == 0 {
		return
	}
	d.add(heading{level: 2, text: "Configuration check", anchor: "configuration"})
	d.add(para{spans: []span{txt("The service's configuration as the snapshots of bitsdiag collect show it, compared with the configuration Windows ships for the machine's version. Each deviation is a finding above, with what was found, what is expected and the command that corrects it.")}})
	for _, c := range r.Configuration {
		name := c.Computer
		if name == "" {
			name = "computer not named"
		}
		d.add(heading{level: 3, text: "Machine " + name})
		deviations := "none: the configuration is as shipped"
		if len(c.Findings) > 0 {
			deviations = strings.Join(c.Findings, ", ")
		}
		read, bad := 0, 0
		for _, f := range c.Files {
			if f.Status == "read" {
				read++
			} else {
				bad++
			}
		}
		files := plural(read, "snapshot file", "snapshot files") + " read"
		if bad > 0 {
			files += fmt.Sprintf(", %d not readable", bad)
		}
		folders := 0
		if c.Folder != "" {
			folders = len(strings.Split(c.Folder, ", "))
		}
		if !full && folders > 1 {
			files += fmt.Sprintf(" from %d snapshot folders", folders)
		}
		if !full && len(c.Files) > 0 {
			files += " (the folders and every file with --full and in the JSON output)"
		}
		items := []field{
			{"Windows", []span{txt(c.Windows + fromText(c.WindowsFrom))}},
			{"Service state", []span{txt(orDash(c.ServiceState) + " (sc.exe query, when the snapshots were taken)")}},
		}
		if full || folders <= 1 {
			items = append(items, field{"Folder", []span{txt(orDash(c.Folder))}})
		}
		items = append(items,
			field{"Files", []span{txt(files)}},
			field{"Findings", []span{txt(deviations)}},
			field{"Live jobs", []span{txt(liveJobsText(&c, full))}})
		for _, n := range c.Notes {
			items = append(items, field{"Note", []span{txt(n)}})
		}
		d.add(fields{items: items})
		if !full {
			continue
		}
		t := table{cols: []column{
			{title: "File", max: 60},
			{title: "Kind", max: 24},
			{title: "Encoding", max: 12},
			{title: "Status", max: 80},
		}}
		for _, f := range c.Files {
			st := f.Status
			if f.Reason != "" {
				st += ": " + f.Reason
			}
			t.rows = append(t.rows, []cell{{text: baseName(strings.ReplaceAll(f.Path, "!", "/"))}, {text: f.Kind}, {text: orDash(f.Encoding)}, {text: st}})
		}
		d.add(t)
		if lt := liveJobTable(r, c.Computer); len(lt.rows) > 0 {
			d.add(para{spans: []span{txt("Jobs the live listings show (state when the snapshots were taken; the jobs table has them with what the logs show, and --full adds both in Appendix B):")}})
			d.add(lt)
		}
	}
}

// liveJobTable lists the jobs of a machine's live listings.
func liveJobTable(r *analyze.Result, computer string) table {
	t := table{cols: []column{
		{title: "Job ID", mono: true, max: 36},
		{title: "Title", max: 40},
		{title: "Owner", max: 28},
		{title: "State", max: 16, keep: true},
		{title: "Error", max: 60},
		{title: "In the logs", keep: true},
	}}
	for i := range r.Jobs {
		j := &r.Jobs[i]
		if j.Live == nil || (computer != "" && !strings.EqualFold(j.Computer, computer)) {
			continue
		}
		errText := "none"
		if j.Live.ErrorCode != "" {
			errText = j.Live.ErrorCode
			if j.Live.ErrorContext != "" {
				errText += ", context " + j.Live.ErrorContext
			}
		}
		inLogs := "no"
		if j.Live.InLogs {
			inLogs = "yes"
		}
		t.rows = append(t.rows, []cell{{text: j.ID}, {text: jobTitle(j)}, {text: orDash(j.Live.Owner)}, {text: j.Live.State}, {text: errText}, {text: inLogs}})
	}
	return t
}

func fromText(from string) string {
	if from == "" {
		return ""
	}
	return " (from " + from + ")"
}

// liveJobsText counts the live jobs per owner against the policy limits.
// The short report gives the count and the limits; full adds the owners.
func liveJobsText(c *analyze.ConfigCheck, full bool) string {
	if c.LiveJobs == 0 {
		return "none listed"
	}
	if !full {
		s := strconv.Itoa(c.LiveJobs)
		if c.PerUserLimit > 0 {
			s += fmt.Sprintf("; limits %d per user, %d per computer", c.PerUserLimit, c.PerComputerLimit)
		}
		return s + "; per owner and the live jobs table with --full and in the JSON output"
	}
	var owners []string
	for _, o := range c.Owners {
		owners = append(owners, fmt.Sprintf("%s %d", orDash(o.Owner), o.Jobs))
	}
	s := fmt.Sprintf("%d (per owner: %s)", c.LiveJobs, strings.Join(owners, ", "))
	if c.PerUserLimit > 0 {
		s += fmt.Sprintf("; limits %d per user, %d per computer", c.PerUserLimit, c.PerComputerLimit)
	}
	return s + "; joined with the jobs table by job id"
}

// liveJobFields describe a job as a live listing shows it.
func liveJobFields(l *analyze.LiveJob) []field {
	errText := "none"
	if l.ErrorCode != "" {
		errText = strings.TrimSpace(l.ErrorCode + " " + l.ErrorText)
		if l.ErrorContext != "" {
			errText += ", context " + l.ErrorContext
		}
	}
	bytes := "unknown"
	if l.BytesDone != nil {
		bytes = strconv.FormatInt(*l.BytesDone, 10) + " of "
		if l.BytesTotal != nil {
			bytes += strconv.FormatInt(*l.BytesTotal, 10)
		} else {
			bytes += "unknown"
		}
	}
	inLogs := "only in the listing (the logs do not show it)"
	if l.InLogs {
		inLogs = "also in the event logs"
	}
	return []field{
		{"Live state", []span{txt(l.State + " (" + l.Listing + ", " + baseName(strings.ReplaceAll(l.File, "!", "/")) + "; " + inLogs + ")")}},
		{"Live owner", []span{txt(orDash(l.Owner))}},
		{"Live error", []span{txt(errText)}},
		{"Description", []span{txt(orDash(l.Description))}},
		{"Live bytes", []span{txt(bytes)}},
	}
}
