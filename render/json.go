package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"bitsdiag/analyze"
)

// errNilResult is returned when a renderer is given no result.
var errNilResult = errors.New("render: nil result")

// JSON writes the analysis result as indented JSON, with the keys of the
// model (the README documents them). Codes are already "0x%08X" strings in
// the model and times are written in RFC 3339. Empty lists are written as []
// rather than null, so consumers can rely on every key's type.
//
// The lists that grow with the input (jobs, failures) are written element
// by element, so the output is never held in memory whole.
func JSON(w io.Writer, r *analyze.Result) error {
	if r == nil {
		return errNilResult
	}
	c := withEmptyLists(r)
	jobs, failures := c.Jobs, c.Failures
	c.Jobs, c.Failures = []analyze.Job{}, []analyze.Failure{}
	doc, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("render: writing JSON: %w", err)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	err = streamLists(bw, doc, []streamed{
		{`"jobs": []`, len(jobs), func(i int) any { return jobWithEmptyLists(jobs[i]) }},
		{`"failures": []`, len(failures), func(i int) any { return failures[i] }},
	})
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("render: writing JSON: %w", err)
	}
	return nil
}

// streamed is a top-level list written element by element: its key with an
// empty list in the document, and its elements.
type streamed struct {
	empty string
	n     int
	elem  func(int) any
}

// streamLists writes doc with each list's top-level empty placeholder
// replaced by its elements, indented as MarshalIndent would, and a final
// newline (as json.Encoder writes).
func streamLists(w *bufio.Writer, doc []byte, lists []streamed) error {
	for _, l := range lists {
		mark := []byte("\n  " + l.empty)
		i := bytes.Index(doc, mark)
		if i < 0 {
			return fmt.Errorf("no top-level %s in the document", l.empty)
		}
		i += len(mark) - 1 // at the closing bracket
		w.Write(doc[:i])
		doc = doc[i:]
		if l.n == 0 {
			continue
		}
		for k := range l.n {
			b, err := json.MarshalIndent(l.elem(k), "    ", "  ")
			if err != nil {
				return err
			}
			if k > 0 {
				w.WriteByte(',')
			}
			w.WriteString("\n    ")
			w.Write(b)
		}
		w.WriteString("\n  ")
	}
	w.Write(doc)
	_, err := w.WriteString("\n")
	return err
}

// withEmptyLists returns a shallow copy of r whose nil lists (at the levels
// consumers iterate) are empty; r itself is not changed.
func withEmptyLists(r *analyze.Result) *analyze.Result {
	c := *r
	c.Inputs = orEmpty(c.Inputs)
	c.Computers = orEmpty(c.Computers)
	c.Findings = orEmpty(c.Findings)
	c.Jobs = orEmpty(c.Jobs)
	c.Coverage = orEmpty(c.Coverage)
	c.Timeline = orEmpty(c.Timeline)
	c.Failures = orEmpty(c.Failures)
	c.Service.Timeline = orEmpty(c.Service.Timeline)
	if len(c.Inputs) > 0 {
		c.Inputs = append([]analyze.Input(nil), c.Inputs...)
		for i := range c.Inputs {
			c.Inputs[i].Damage = orEmpty(c.Inputs[i].Damage)
		}
	}
	if len(c.Findings) > 0 {
		c.Findings = append([]analyze.Finding(nil), c.Findings...)
		for i := range c.Findings {
			f := &c.Findings[i]
			f.Codes = orEmpty(f.Codes)
			f.CodeDetails = orEmpty(f.CodeDetails)
			f.EventCounts = orEmpty(f.EventCounts)
			f.Computers = orEmpty(f.Computers)
			f.Hosts = orEmpty(f.Hosts)
			f.Proxies = orEmpty(f.Proxies)
			f.Jobs = orEmpty(f.Jobs)
			f.Fix = orEmpty(f.Fix)
			f.Verify = orEmpty(f.Verify)
			f.Evidence = orEmpty(f.Evidence)
		}
	}
	return &c
}

// jobWithEmptyLists returns j with empty rather than nil lists.
func jobWithEmptyLists(j analyze.Job) analyze.Job {
	j.URLs = orEmpty(j.URLs)
	j.Hosts = orEmpty(j.Hosts)
	j.Files = orEmpty(j.Files)
	j.Errors = orEmpty(j.Errors)
	return j
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
