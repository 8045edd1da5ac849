package render

import (
	"context"
	"io"
)

// Cancellable wraps a render function so it stops with ctx's error once ctx
// is cancelled: every write checks ctx, so a long render (a PDF of a
// 30,000-job log) ends at the next write after Ctrl-C.
func Cancellable(ctx context.Context, render func(io.Writer) error) func(io.Writer) error {
	return func(w io.Writer) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := render(ctxWriter{ctx, w})
		if err == nil {
			err = ctx.Err()
		}
		return err
	}
}

// ctxWriter fails writes once its context is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(b)
}
