package scenario

import (
	"fmt"
	"strings"
)

const readmeHead = `# samples

Small ` + "`.evtx`" + ` files that bitsdiag generates itself, one directory per scenario, plus the code
that writes them. Nothing here comes from a real customer; names, addresses and GUIDs are made up.

Regenerate everything (same bytes every run; a test fails when this directory drifts):

    go run ./samples/gen

Write a large log for benchmarks (mostly unrelated System events, a few BITS ones; never commit it):

    go run ./samples/gen -big /tmp/big.evtx -size 1024     # size in MiB

Code: ` + "`evtxwrite`" + ` (the EVTX writer: file header, 64 KiB chunks with string and template
tables, Binary XML templates with typed substitutions, CRC32 checksums, deliberate damage),
` + "`scenario`" + ` (events shaped like Windows' own, with the field names and value types of the
Bits-Client manifest and the Service Control Manager; the scenarios below), ` + "`gen`" + ` (the command).
Events follow ` + "`../shared/reference/bits-facts.md`" + `: ` + "`hr`" + `/` + "`ErrorCode`" + ` are UInt32, job and
transfer ids GUIDs, SCM error parameters ` + "`%%N`" + `, SCM ` + "`<Binary>`" + ` the UTF-16LE key name
(7036: ` + "`BITS/4`" + ` running, ` + "`BITS/1`" + ` stopped), Bits-Client events carry no Qualifiers, SCM events
Qualifiers 16384/49152. Windows Update client events follow wu-facts.md
(version 1 templates; System 19/20/43/44, WindowsUpdateClient/Operational 25/26/31/41; errorCode
a hex string such as 0x80246009, unlike BITS' decimal hr; the WU scenarios write that channel
to WindowsUpdateClient-Operational.evtx). This file is generated too (` + "`scenario/readme.go`" + `).

Every file is checked by two independent parsers (` + "`samples_test.go`" + `): libevtx's ` + "`evtxexport`" + ` and
python-evtx's ` + "`evtx_dump.py`" + ` (Debian ` + "`libevtx-utils`" + `, ` + "`python3-evtx`" + `) must return the intended
record count and values.

## Expected findings

"Findings" is the promise for ` + "`bitsdiag report --format json <directory>`" + `: exactly these knowledge-base
entry ids (` + "`kb_id`" + `), nothing else, each with its events by event id ("3 × 61": three records of
event 61; the finding's ` + "`count`" + ` is their sum), the jobs and computers it spans and its ` + "`status`" + `.
` + "`findings_test.go`" + ` checks every promise against the analysis, and ` + "`testdata/golden/`" + ` holds each
scenario's full report (Markdown and JSON). "Records" counts live records; "chunks" gives the
complete 64 KiB chunks (records in each).
`

func readme(all []Scenario, out []Output) string {
	var b strings.Builder
	b.WriteString(readmeHead)
	for _, s := range all {
		fmt.Fprintf(&b, "\n### `%s/` — %s\n\n%s\n\n", s.ID, s.Title, s.Summary)
		b.WriteString("| file | records | chunks | bytes | contents |\n| --- | --- | --- | --- | --- |\n")
		for _, o := range out {
			if o.Scenario == nil || o.Scenario.ID != s.ID {
				continue
			}
			name := strings.TrimPrefix(o.Path, s.ID+"/")
			note := o.File.Note
			if o.Stale > 0 {
				note += fmt.Sprintf("; %d stale records recoverable from slack", o.Stale)
			}
			fmt.Fprintf(&b, "| `%s` | %d | %s | %d | %s |\n", name, o.Records, countsString(o.Data), len(o.Data), note)
		}
		if len(s.Findings) == 0 {
			b.WriteString("\nFindings: none.\n")
			continue
		}
		if s.ID == "damaged" {
			b.WriteString(damagedNotes(out))
			b.WriteString("\nFindings (all files read together, without slack recovery; the copies overlap, so each record counts once):\n\n")
		} else {
			b.WriteString("\nFindings:\n\n")
		}
		for _, f := range s.Findings {
			fmt.Fprintf(&b, "- `%s`: %s\n", f.KBID, f.Promise())
		}
	}
	return b.String()
}

// damagedNotes states what a reader should make of each damaged copy.
func damagedNotes(out []Output) string {
	var intact, trunc, slack Output
	for _, o := range out {
		switch o.Path {
		case "damaged/intact.evtx":
			intact = o
		case "damaged/truncated.evtx":
			trunc = o
		case "damaged/slack.evtx":
			slack = o
		}
	}
	counts := ChunkRecordCounts(intact.Data)
	inComplete := 0
	for _, n := range ChunkRecordCounts(trunc.Data) {
		inComplete += n
	}
	lastChunk := 0
	if len(counts) > 0 {
		lastChunk = counts[len(counts)-1]
	}
	chunk1 := 0
	if len(counts) > 1 {
		chunk1 = counts[1]
	}
	var b strings.Builder
	fmt.Fprintf(&b, `
Expected reading (a careful reader reports every defect as damage and drops nothing silently):

- `+"`intact.evtx`"+`: %[1]d live records, no damage.
- `+"`dirty.evtx`"+`: %[1]d live records; the dirty flag is reported (not corruption). libevtx `+"`evtxinfo`"+`: "Is dirty".
- `+"`stale-header.evtx`"+`: %[1]d live records: a reader must walk every chunk in the file, not the header's
  count of 1; report the stale header. libevtx and python-evtx both return %[1]d.
- `+"`chunk-header-crc.evtx`"+`: %[1]d records still decode; chunk 1 (%[2]d records) must be reported as damaged
  (header checksum mismatch). libevtx returns %[1]d and says "Is corrupted"; python-evtx does not check and returns %[1]d.
  A reader that skips the chunk must count its %[2]d records as skipped.
- `+"`records-crc.evtx`"+`: as above, with chunk 1's records checksum wrong.
- `+"`truncated.evtx`"+`: %[3]d live records in the complete chunks; the last chunk is cut at 12000 of 65536 bytes
  and %[4]d of its %[5]d records lie entirely in the kept bytes (salvageable, never counted as intact). libevtx and
  python-evtx return %[3]d; libevtx says "Is corrupted". The truncation must be reported.
- `+"`slack.evtx`"+`: %[1]d live records plus %[6]d stale ones after chunk 0's free-space offset; only slack recovery
  finds them (libevtx `+"`evtxexport -m recovered`"+` returns exactly these %[6]d), and they must be marked recovered.

With slack recovery, `+"`slack.evtx`"+` adds 2 old 0x80072EE7 failures (`+"`job-proxy-name-not-resolved`"+`).
`, intact.Records, chunk1, inComplete, trunc.Partial, lastChunk, slack.Stale)
	return b.String()
}
