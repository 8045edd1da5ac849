// Package crafted writes hostile but well-formed .evtx files, the inputs the
// memory bound of the analysis is measured on (the mutation campaign's
// TestCraftedMemory, the pipeline's retention tests). Every record is valid;
// what makes them hostile is their number, their size or how many distinct
// strings they carry.
package crafted

import (
	"fmt"
	"io"
	"strings"
	"time"

	w "bitsdiag/samples/evtxwrite"
)

const (
	provider = "Microsoft-Windows-Bits-Client"
	channel  = "Microsoft-Windows-Bits-Client/Operational"
	computer = "WS-1"
)

// Start is the time of the first record of every crafted log.
var Start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func el(name string, attrs []w.Attr, kids ...w.Node) *w.Element {
	return &w.Element{Name: name, Attrs: attrs, Children: kids}
}

func system(eventID int) *w.Element {
	return el("System", nil,
		el("Provider", []w.Attr{{Name: "Name", Value: w.Text(provider)}}),
		el("EventID", nil, w.Text(fmt.Sprint(eventID))),
		el("TimeCreated", []w.Attr{{Name: "SystemTime", Value: w.Sub{Index: 0, Type: w.TypeFileTime}}}),
		el("Channel", nil, w.Text(channel)),
		el("Computer", nil, w.Text(computer)),
	)
}

// data returns EventData with one <Data Name=...> per name, the i-th
// showing substitution first+i as a string.
func data(first int, names ...string) *w.Element {
	var kids []w.Node
	for i, n := range names {
		kids = append(kids, el("Data", []w.Attr{{Name: "Name", Value: w.Text(n)}}, w.Sub{Index: uint16(first + i), Type: w.TypeString}))
	}
	return el("EventData", nil, kids...)
}

// write adds n records made by rec to a new file on out.
func write(out io.WriteSeeker, n int, rec func(i int) (w.Record, error)) error {
	wr, err := w.NewWriter(out)
	if err != nil {
		return err
	}
	for i := range n {
		r, err := rec(i)
		if err != nil {
			return err
		}
		if err := wr.Add(r); err != nil {
			return fmt.Errorf("record %d: %w", r.ID, err)
		}
	}
	return wr.Close()
}

// FieldBomb writes n Bits-Client event 59 records whose template shows one
// 5,000-character string in 200 payload fields (url and jobTitle among
// them): about 10 KB on disk and 1 MB decoded per record.
func FieldBomb(out io.WriteSeeker, n int) error {
	names := make([]string, 200)
	for i := range names {
		names[i] = "f" + string(rune('a'+i%26)) + strings.Repeat("x", i/26)
	}
	names[0], names[1] = "url", "jobTitle"
	var kids []w.Node
	for _, n := range names {
		kids = append(kids, el("Data", []w.Attr{{Name: "Name", Value: w.Text(n)}}, w.Sub{Index: 1, Type: w.TypeString}))
	}
	tm, err := w.NewTemplate(el("Event", nil, system(59), el("EventData", nil, kids...)))
	if err != nil {
		return err
	}
	big := w.String(strings.Repeat("A", 5000))
	return write(out, n, func(i int) (w.Record, error) {
		at := Start.Add(time.Duration(i) * time.Second)
		return w.Record{ID: uint64(i + 1), Written: at, Event: w.Instance{Template: tm, Values: []w.Value{w.FileTime(at), big}}}, nil
	})
}

// MinimalRecordSize is about what one record of Minimal takes on disk.
const MinimalRecordSize = 64

// Minimal writes n minimal Bits-Client records (event 3, no payload), each
// with its own record id and time: the most distinct relevant records a
// file of a given size can hold (about MinimalRecordSize bytes each).
func Minimal(out io.WriteSeeker, n int) error {
	tm, err := w.NewTemplate(el("Event", nil, system(3)))
	if err != nil {
		return err
	}
	return write(out, n, func(i int) (w.Record, error) {
		at := Start.Add(time.Duration(i) * time.Second)
		return w.Record{ID: uint64(i + 1), Written: at, Event: w.Instance{Template: tm, Values: []w.Value{w.FileTime(at)}}}, nil
	})
}

// jobFields are the payload fields of ManyJobs' events.
var jobFields = []string{"jobTitle", "jobId", "jobOwner", "processPath", "url", "hr"}

// ManyJobs writes jobs distinct BITS jobs of four events each (3 created,
// 59 transfer started, 60 transfer stopped with HTTP 404, 5 cancelled),
// every job with its own id, title and URL.
func ManyJobs(out io.WriteSeeker, jobs int) error {
	tms := map[int]*w.Template{}
	for _, id := range []int{3, 59, 60, 5} {
		tm, err := w.NewTemplate(el("Event", nil, system(id), data(1, jobFields...)))
		if err != nil {
			return err
		}
		tms[id] = tm
	}
	order := []int{3, 59, 60, 5}
	return write(out, 4*jobs, func(i int) (w.Record, error) {
		job, step := i/4, i%4
		at := Start.Add(time.Duration(job)*time.Minute + time.Duration(step)*time.Second)
		hr := "0x0"
		if order[step] == 60 {
			hr = "0x80190194"
		}
		vals := []w.Value{w.FileTime(at),
			w.String(fmt.Sprintf("Update job %d", job)),
			w.String(fmt.Sprintf("{%08X-0000-4000-8000-%012X}", job, job)),
			w.String(`CONTOSO\user`),
			w.String(`C:\Windows\System32\svchost.exe`),
			w.String(fmt.Sprintf("http://wsus.contoso.test:8530/Content/%08X/file%d.cab", job, job)),
			w.String(hr),
		}
		return w.Record{ID: uint64(i + 1), Written: at, Event: w.Instance{Template: tms[order[step]], Values: vals}}, nil
	})
}

// FatDistinct writes n Bits-Client event 60 records whose 48 payload fields
// the analysis reads each carry a distinct 300-character string: the most a
// record can make the analysis keep.
func FatDistinct(out io.WriteSeeker, n int, fields []string) error {
	tm, err := w.NewTemplate(el("Event", nil, system(60), data(1, fields...)))
	if err != nil {
		return err
	}
	pad := strings.Repeat("x", 300)
	return write(out, n, func(i int) (w.Record, error) {
		at := Start.Add(time.Duration(i) * time.Second)
		vals := []w.Value{w.FileTime(at)}
		for j := range fields {
			vals = append(vals, w.String(fmt.Sprintf("%d-%d-%s", i, j, pad)))
		}
		return w.Record{ID: uint64(i + 1), Written: at, Event: w.Instance{Template: tm, Values: vals}}, nil
	})
}
