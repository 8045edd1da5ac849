package pipeline

import (
	"context"

	"bitsdiag/analyze"
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
	res, err := a.ResultContext(ctx)
	if err != nil {
		return nil, err
	}
	out.Result = res
	return out, nil
}
