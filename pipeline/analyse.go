package pipeline

import (
	"context"

	"bitsdiag/analyze"
	"bitsdiag/configcheck"
	"bitsdiag/inputs"
	"bitsdiag/parse"
)

// Analysis is the outcome of Analyse.
type Analysis struct {
	Result  *analyze.Result
	Files   []File // one per input file, in order
	Usable  int    // files read as EVTX
	Damaged int    // damaged, unreadable or rejected inputs
}

// Analyse streams the set's files into a new analyze.Analyzer and returns
// its result. Events go straight from the reader into the analysis (which
// keeps only their facts); a relative window (ao.SinceAgo) is resolved by the
// analysis itself. o.Selection is set from ao.Sources. The error is ctx's when the run was cancelled, or the
// analysis' own.
func Analyse(ctx context.Context, set *inputs.Set, o Options, ao analyze.Options) (*Analysis, error) {
	o.Selection = analyze.Select(ao.Sources)
	o.Recycle = true // AddEvent keeps only copies (analyze.Fact)
	a := analyze.New(ao)
	files := Run(ctx, set.Files, o, func(_ int, e *parse.Event) error {
		a.AddEvent(e)
		return nil
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := &Analysis{Files: files}
	for _, rej := range set.Rejected {
		a.AddInput(analyze.Input{Path: rej.Path, Size: rej.Size, Skipped: rej.Reason, Damage: []analyze.Damage{}})
		out.Damaged++
	}
	for _, f := range files {
		if f.Input.Path == "" {
			continue
		}
		if f.Usable {
			out.Usable++
		}
		if !f.Usable || f.Input.Damaged() {
			out.Damaged++
		}
		a.AddInput(f.Input)
	}
	var snaps []configcheck.File
	for _, sn := range set.Snapshots {
		b, err := sn.Read(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			a.AddInput(analyze.Input{Path: sn.Path, Size: sn.Size, Skipped: "cannot read: " + err.Error(), Damage: []analyze.Damage{}})
			out.Damaged++
			continue
		}
		snaps = append(snaps, configcheck.File{Name: sn.Path, Data: b})
	}
	// Configuration snapshots beside the logs: a non-event source.
	res, err := configcheck.Attach(ctx, a, ao.KB, snaps, configcheck.AttachOptions{Computer: o.Match.TakesComputer})
	if err != nil {
		return nil, err
	}
	for _, c := range res.Configuration {
		for _, f := range c.Files {
			if f.Status != "read" {
				out.Damaged++
			}
		}
	}
	out.Result = res
	return out, nil
}
