package render

import (
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
func JSON(w io.Writer, r *analyze.Result) error {
	if r == nil {
		return errNilResult
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(withEmptyLists(r)); err != nil {
		return fmt.Errorf("render: writing JSON: %w", err)
	}
	return nil
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
	if len(c.Jobs) > 0 {
		c.Jobs = append([]analyze.Job(nil), c.Jobs...)
		for i := range c.Jobs {
			j := &c.Jobs[i]
			j.URLs = orEmpty(j.URLs)
			j.Hosts = orEmpty(j.Hosts)
			j.Files = orEmpty(j.Files)
			j.Errors = orEmpty(j.Errors)
		}
	}
	return &c
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
