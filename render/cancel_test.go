package render

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
)

func TestCancellable(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	writes := 0
	render := func(w io.Writer) error {
		for range 10 {
			if _, err := io.WriteString(w, "line\n"); err != nil {
				return err
			}
			writes++
			if writes == 3 {
				cancel() // Ctrl-C in the middle of a render
			}
		}
		return nil
	}
	var buf bytes.Buffer
	err := Cancellable(ctx, render)(&buf)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if writes != 3 || buf.String() != "line\nline\nline\n" {
		t.Errorf("%d writes after cancel, output %q", writes, buf.String())
	}
	if err := Cancellable(ctx, func(io.Writer) error { t.Error("render ran after cancel"); return nil })(&buf); err == nil {
		t.Error("no error for a context cancelled before the render")
	}
}
