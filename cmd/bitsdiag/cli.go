package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"bitsdiag/termtext"
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
	fmt.Fprintf(w, "\nFlags:\n%s", flagUsages(fs))
}

// flagUsages lists flags as "-o, --output FILE  text", without pflag's
// type names and "[=true|false]" decorations.
func flagUsages(fs *pflag.FlagSet) string {
	type row struct{ left, text string }
	var rows []row
	width := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		left := "      --" + f.Name
		if f.Shorthand != "" {
			left = "  -" + f.Shorthand + ", --" + f.Name
		}
		arg, text := pflag.UnquoteUsage(f)
		if t := f.Value.Type(); t != "bool" && t != "count" && arg != "" {
			left += " " + arg
		}
		switch f.DefValue {
		case "", "false", "0", "[]":
		default:
			text += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		rows = append(rows, row{left, text})
		width = max(width, len(left))
	})
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%-*s   %s\n", width, r.left, r.text)
	}
	return b.String()
}

// usageError reports a bad command line and returns exit status 2.
func usageError(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "bitsdiag %s: %s%s\nRun 'bitsdiag help %s' for usage.\n", cmd, termtext.Escape(err.Error()), flagHint(cmd, err), cmd)
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

// logger returns a logger on w at the level the flags ask for, writing plain
// lines for the person at the terminal (lineHandler).
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
	return slog.New(newLineHandler(w, level))
}

// terminalFd returns the descriptor of stream (stdin, stdout or stderr) when
// it is a terminal.
func terminalFd(stream any) (int, bool) {
	f, ok := stream.(*os.File)
	if !ok {
		return 0, false
	}
	fd := int(f.Fd())
	return fd, term.IsTerminal(fd)
}

// interrupted reports whether the user asked to stop (Ctrl-C).
func interrupted(ctx context.Context) bool { return ctx.Err() != nil }
