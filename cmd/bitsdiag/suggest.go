package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"
)

// command is one entry of the command table: the names completions, the
// manual page and "did you mean" know.
type command struct {
	name, args, summary string
	flags               func() *pflag.FlagSet // nil: no flags
}

// commands is the command table.
var commands = []command{
	{"report", "[flags] PATH...", "write a report: Markdown, PDF or JSON", func() *pflag.FlagSet { fs, _ := reportFlags(); return fs }},
	{"events", "[flags] PATH...", "print the records bitsdiag analyses as JSON Lines", func() *pflag.FlagSet { fs, _ := eventsFlags(); return fs }},
	{"explain", "[flags] CODE...", "explain an error code or symbolic name", func() *pflag.FlagSet { fs, _ := explainFlags(); return fs }},
	{"completion", "bash|zsh|fish", "print a shell completion script", nil},
	{"version", "", "print the version", nil},
	{"help", "[COMMAND]", "show a command's flags and examples", nil},
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// closest returns the candidate nearest to word when it is near enough to be
// a typo (at most 2 edits, and fewer than half the word), else "".
func closest(word string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		d := editDistance(strings.ToLower(word), strings.ToLower(c))
		if d < bestD && d*2 < max(len(word), 2) || d < bestD && strings.HasPrefix(c, word) && len(word) >= 2 {
			best, bestD = c, d
		}
	}
	return best
}

// commandSuggestion is " (did you mean "report"?)" for a mistyped command.
func commandSuggestion(word string) string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	if c := closest(strings.TrimLeft(word, "-"), names); c != "" {
		return fmt.Sprintf("did you mean %q?", c)
	}
	return ""
}

// flagHint adds "did you mean --version?" to pflag's unknown-flag errors, and
// points EvtxECmd habits (-d DIR) to the right spelling.
func flagHint(cmd string, err error) string {
	msg := err.Error()
	name, ok := strings.CutPrefix(msg, "unknown flag: --")
	if !ok {
		if sh, ok := strings.CutPrefix(msg, "unknown shorthand flag: '"); ok && len(sh) > 0 {
			if sh[0] == 'd' {
				return "\n(folders need no flag: give the folder as a PATH, e.g. bitsdiag " + cmd + " Logs/)"
			}
		}
		return ""
	}
	for _, c := range commands {
		if c.name != cmd || c.flags == nil {
			continue
		}
		var names []string
		c.flags().VisitAll(func(f *pflag.Flag) {
			if !f.Hidden {
				names = append(names, f.Name)
			}
		})
		if s := closest(name, names); s != "" {
			return fmt.Sprintf(" (did you mean --%s?)", s)
		}
	}
	if name == "version" {
		return " (did you mean 'bitsdiag version'?)"
	}
	return ""
}

// formatFileHint is the hint for "-f FILE" (EvtxECmd's spelling of the input
// file): the value names an existing file, so it was meant as a PATH.
func formatFileHint(cmd, value string) error {
	if _, err := os.Stat(value); err == nil {
		return fmt.Errorf("--format %q: -f takes a format (md, pdf, json, ...), not a file; did you mean `bitsdiag %s %s`?", value, cmd, value)
	}
	return nil
}

var errTwoStdin = errors.New(`"-" (standard input) can be given only once`)

// familiar holds the spellings users bring from other tools: --from/--to
// (hayabusa, chainsaw) for --since/--until, and --json/--csv/--html for
// --format.
type familiar struct {
	json, csv, html bool
}

// registerFamiliar adds the aliases to a report-like flag set whose --since
// and --until store into since and until.
func registerFamiliar(fs *pflag.FlagSet, since, until *string) *familiar {
	f := &familiar{}
	fs.StringVar(since, "from", "", "alias of --since")
	fs.StringVar(until, "to", "", "alias of --until")
	fs.BoolVar(&f.json, "json", false, "same as --format json")
	fs.BoolVar(&f.csv, "csv", false, "same as --format csv")
	fs.BoolVar(&f.html, "html", false, "same as --format html")
	for _, n := range []string{"from", "to"} {
		fs.MarkHidden(n)
	}
	return f
}

// apply folds the shorthands into format, refusing contradictions.
func (f *familiar) apply(cmd string, format *string) error {
	var picked []string
	for _, s := range []struct {
		on   bool
		name string
	}{{f.json, "json"}, {f.csv, "csv"}, {f.html, "html"}} {
		if s.on {
			picked = append(picked, s.name)
		}
	}
	switch {
	case len(picked) > 1:
		return fmt.Errorf("--%s: give one format", strings.Join(picked, " and --"))
	case len(picked) == 1 && *format != "" && !strings.EqualFold(*format, picked[0]):
		return fmt.Errorf("--%s contradicts --format %s", picked[0], *format)
	case len(picked) == 1:
		*format = picked[0]
	}
	if *format != "" {
		return formatFileHint(cmd, *format)
	}
	return nil
}

// countDash counts the "-" (standard input) paths.
func countDash(paths []string) int {
	n := 0
	for _, p := range paths {
		if p == "-" {
			n++
		}
	}
	return n
}

// namedLogFile reports whether s is an existing file named like a log or
// archive: given where a command belongs.
func namedLogFile(s string) bool {
	fi, err := os.Stat(s)
	return err == nil && !fi.IsDir()
}

// errWriter remembers the first write error (help > /dev/full).
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(b []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(b)
	if err != nil {
		e.err = err
	}
	return n, err
}
