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
Qualifiers 16384/49152. This file is generated too (` + "`scenario/readme.go`" + `).

Every file is checked by two independent parsers (` + "`samples_test.go`" + `): libevtx's ` + "`evtxexport`" + ` and
python-evtx's ` + "`evtx_dump.py`" + ` (Debian ` + "`libevtx-utils`" + `, ` + "`python3-evtx`" + `) must return the intended
record count and values.

## Expected findings

"Findings" is the promise for ` + "`bitsdiag report --format json <directory>`" + `: exactly these knowledge-base
entry ids (` + "`kb_id`" + `), nothing else. "Records" counts live records; "chunks" lists records per chunk.
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
		if s.ID == "damaged" {
			b.WriteString("\n" + damagedNotes)
			continue
		}
		b.WriteString("\nFindings: ")
		if len(s.Findings) == 0 {
			b.WriteString("none.\n")
			continue
		}
		b.WriteString("\n\n")
		for _, f := range s.Findings {
			fmt.Fprintf(&b, "- `%s`: %s\n", f.KBID, f.Note)
		}
	}
	return b.String()
}

// damagedNotes states what a reader should make of each damaged copy.
const damagedNotes = `
Expected reading (a careful reader reports every defect as damage and drops nothing silently):

- TODO
`
