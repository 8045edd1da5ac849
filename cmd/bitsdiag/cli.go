package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// newFlagSet returns a flag set that reports errors to the caller instead of
// printing or exiting.
func newFlagSet(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	return fs
}

// printUsage writes a command's usage text followed by its flags.
func printUsage(w io.Writer, usage string, fs *pflag.FlagSet) {
	fmt.Fprint(w, usage)
	fmt.Fprintf(w, "\nFlags:\n%s", fs.FlagUsages())
}

// usageError reports a bad command line and returns exit status 2.
func usageError(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "bitsdiag %s: %v\nRun 'bitsdiag help %s' for usage.\n", cmd, err, cmd)
	return exitUsage
}

// verbosity holds the -q/-v flags every reading command takes.
type verbosity struct {
	quiet   bool
	verbose int
}

func (v *verbosity) register(fs *pflag.FlagSet) {
	fs.BoolVarP(&v.quiet, "quiet", "q", false, "print only errors; no progress bar")
	fs.CountVarP(&v.verbose, "verbose", "v", "say more on stderr (-v: progress notes, -vv: debug)")
}

// logger returns a text logger on w at the level the flags ask for. Lines
// carry no timestamp: they are for the person at the terminal.
func (v verbosity) logger(w io.Writer) *slog.Logger {
	level := slog.LevelWarn
	switch {
	case v.quiet:
		level = slog.LevelError
	case v.verbose == 1:
		level = slog.LevelInfo
	case v.verbose > 1:
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		Level: level,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
}

// terminalFd returns the descriptor of w when w is a terminal.
func terminalFd(w io.Writer) (int, bool) {
	f, ok := w.(*os.File)
	if !ok {
		return 0, false
	}
	fd := int(f.Fd())
	return fd, term.IsTerminal(fd)
}

// interrupted reports whether the user asked to stop (Ctrl-C).
func interrupted(ctx context.Context) bool { return ctx.Err() != nil }
