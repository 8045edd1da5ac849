package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"bitsdiag/analyze"
	"bitsdiag/termtext"

	"github.com/spf13/pflag"
)

const explainUsage = `Usage: bitsdiag explain [flags] CODE...

Explain error codes: name, category, meaning, and the cause, fix and
verification from the knowledge base (Microsoft's "Issues with BITS" and more).
CODE forms: 0x80200013, 80200013, 2149580819 (unsigned decimal, as events store
hr), -2145386477 (signed decimal), %%1058 (a Win32 error from a Service Control
Manager event) and 1058 (a plain decimal 1-65535 is a Win32 error number).
Several codes may also be given in one argument, separated by commas.

Examples:
  bitsdiag explain 0x80200013
  bitsdiag explain 2149580819 -2145386477 %%1058
  bitsdiag explain --format json 0x80072EE2 | jq .

Exit status: 0 done (codes not in the knowledge base included); 1 output
failed; 2 bad command line, malformed code, or unusable --kb file.
`

// explainWidth is the column text output wraps at.
const explainWidth = 100

// explained is one code as `bitsdiag explain --format json` prints it: the
// decode's fields, the input as given, and the matching entry (null if none).
type explained struct {
	Input string `json:"input"`
	analyze.CodeInfo
	InKB  bool           `json:"in_knowledge_base"`
	Entry *analyze.Entry `json:"entry"`
}

// explainOptions are the explain command's flags.
type explainOptions struct {
	format   string
	kb       []string
	list     bool
	facility string
}

// explainFlags defines the explain command's flags.
func explainFlags() (*pflag.FlagSet, *explainOptions) {
	o := &explainOptions{}
	fs := newFlagSet("explain")
	fs.StringVarP(&o.format, "format", "f", "text", "print `text|json`")
	fs.StringArrayVar(&o.kb, "kb", nil, "add or override knowledge-base entries from `FILE` (repeatable; schema in analyze/kbdata/README.md)")
	fs.BoolVar(&o.list, "list", false, "list every known code with its name (with CODE arguments: none)")
	fs.StringVar(&o.facility, "facility", "", "with --list: only codes of `FACILITY` (a name like BACKGROUNDCOPY, WIN32, HTTP, or a number)")
	return fs, o
}

// runExplain implements `bitsdiag explain [--format text|json] [--kb FILE]... CODE...`.
// It returns 0 on success (unknown but well-formed codes included) and 2 for
// usage errors, malformed codes and unreadable --kb files.
func runExplain(args []string, stdout, stderr io.Writer) int {
	fs, o := explainFlags()
	format, kbFiles := &o.format, &o.kb
	flagArgs, restore := protectNegatives(fs, args)
	if err := fs.Parse(flagArgs); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			printUsage(stdout, explainUsage, fs)
			return exitOK
		}
		return usageError(stderr, "explain", err)
	}
	if *format != "text" && *format != "json" {
		return usageError(stderr, "explain", fmt.Errorf("--format must be text or json, not %q", *format))
	}
	inputs := splitCodes(restore(fs.Args()))
	if o.list {
		return listCodes(o, inputs, stdout, stderr)
	}
	if o.facility != "" {
		return usageError(stderr, "explain", errors.New("--facility works with --list"))
	}
	if len(inputs) == 0 {
		return usageError(stderr, "explain", errors.New("no code given: give one or more error codes, e.g. 0x80200013"))
	}
	kb, err := analyze.LoadKB(*kbFiles...)
	if err != nil {
		fmt.Fprintf(stderr, "bitsdiag explain: %s\n", termtext.Escape(err.Error()))
		return exitUsage
	}
	codes := make([]uint32, len(inputs))
	bad := false
	for i, in := range inputs {
		c, err := parseCodeOrName(kb, in)
		if err != nil {
			fmt.Fprintf(stderr, "bitsdiag explain: %s\n", termtext.Escape(err.Error()))
			bad = true
			continue
		}
		codes[i] = c
	}
	if bad {
		fmt.Fprintln(stderr, "Run 'bitsdiag help explain' for the accepted forms.")
		return exitUsage
	}
	out := make([]explained, len(codes))
	for i, c := range codes {
		out[i] = explained{Input: inputs[i], CodeInfo: kb.Decode(c), Entry: kb.ByCode(c)}
		out[i].InKB = out[i].Entry != nil
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "bitsdiag explain: %v\n", err)
			return exitFail
		}
		return exitOK
	}
	var b strings.Builder
	shown := map[uint32]bool{}
	for i := range out {
		if i > 0 {
			b.WriteString("\n" + strings.Repeat("-", 60) + "\n\n")
		}
		if shown[out[i].Code] {
			fmt.Fprintf(&b, "%s  %s\n  input     %s\n  (same code as above)\n", out[i].Hex, out[i].Name, out[i].Input)
			continue
		}
		shown[out[i].Code] = true
		writeExplained(&b, kb, &out[i])
	}
	if _, err := io.WriteString(stdout, escapeLines(b.String())); err != nil {
		fmt.Fprintf(stderr, "bitsdiag explain: %v\n", err)
		return exitFail
	}
	return exitOK
}

// protectNegatives replaces the signed decimal codes in args ("-2145386477"),
// which pflag would read as shorthand flags, by placeholders that keep their
// position among the other arguments; restore maps them back. Values of flags
// that take one are left alone.
func protectNegatives(fs *pflag.FlagSet, args []string) (out []string, restore func([]string) []string) {
	var saved []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			out = append(out, args[i:]...)
			i = len(args)
		case isNegativeNumber(a):
			out = append(out, fmt.Sprintf("\x00%d", len(saved)))
			saved = append(saved, a)
		case strings.HasPrefix(a, "--") && !strings.Contains(a, "="):
			out = append(out, a)
			if f := fs.Lookup(a[2:]); f != nil && f.NoOptDefVal == "" && i+1 < len(args) {
				i++
				out = append(out, args[i])
			}
		default:
			out = append(out, a)
		}
	}
	restore = func(pos []string) []string {
		res := make([]string, len(pos))
		for i, p := range pos {
			res[i] = p
			var n int
			if _, err := fmt.Sscanf(p, "\x00%d", &n); err == nil && n >= 0 && n < len(saved) {
				res[i] = saved[n]
			}
		}
		return res
	}
	return out, restore
}

// isNegativeNumber reports whether a is "-" followed by decimal digits only.
func isNegativeNumber(a string) bool {
	if len(a) < 2 || a[0] != '-' {
		return false
	}
	for _, r := range a[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// splitCodes splits arguments on commas and white space ("0x80070433, 0x8007042c").
func splitCodes(args []string) []string {
	var out []string
	sep := func(r rune) bool { return r == ',' || unicode.IsSpace(r) }
	for _, a := range args {
		out = append(out, strings.FieldsFunc(a, sep)...)
	}
	return out
}

// writeExplained renders one code as text.
func writeExplained(b *strings.Builder, kb *analyze.KB, x *explained) {
	ci := &x.CodeInfo
	name := ci.Name
	if name == "" {
		name = "(no symbolic name)"
	}
	fmt.Fprintf(b, "%s  %s\n", ci.Hex, name)
	field := func(label, text string) {
		if text != "" {
			wrapTo(b, text, fmt.Sprintf("  %-9s ", label), strings.Repeat(" ", 12))
		}
	}
	if x.Input != ci.Hex {
		field("input", x.Input)
	}
	class := "failure"
	if !ci.Failure {
		class = "success class, not a failure"
	}
	facility := fmt.Sprintf("%s, %d", ci.FacilityName, ci.Facility)
	if analyze.FacilityName(ci.Facility) == "" {
		facility = fmt.Sprintf("%d, not a known facility", ci.Facility)
	}
	field("category", fmt.Sprintf("%s (%s; facility %s; code 0x%04X)", ci.Category, class, facility, ci.Code&0xFFFF))
	field("meaning", ci.Meaning)
	field("component", ci.Component)
	if len(ci.Aliases) > 0 {
		field("aliases", strings.Join(ci.Aliases, ", "))
	}
	if ci.Win32 != 0 {
		w := strconv.Itoa(int(ci.Win32))
		if ci.Win32 < 12000 || ci.Win32 > 12999 { // WinHTTP/WinINet codes are not service errors
			w += fmt.Sprintf(" (%%%%%d in Service Control Manager events)", ci.Win32)
		}
		field("win32", w)
	}
	if ci.HTTPStatus != 0 {
		field("http", fmt.Sprintf("status %d", ci.HTTPStatus))
	}
	field("hint", ci.Hint)
	b.WriteString("\n")

	e := x.Entry
	if e == nil {
		if !ci.Failure {
			b.WriteString("  Not a failure: nothing to fix.\n")
			return
		}
		b.WriteString("  Not in the knowledge base: no article cause or fix is known for this code.\n")
		return
	}
	wrapTo(b, fmt.Sprintf("%s [%s, %s]", e.Title, e.ID, e.Severity), "  Knowledge base: ", "    ")
	switch {
	case e.Section != "" && e.ArticleRow != "":
		wrapTo(b, fmt.Sprintf("\"Issues with BITS\", section %q, row %s", e.Section, e.ArticleRow), "  Article: ", "    ")
	case e.Section != "":
		wrapTo(b, fmt.Sprintf("\"Issues with BITS\", section %q", e.Section), "  Article: ", "    ")
	case e.Source == "" || e.Source == "article" || e.Source == "bits-facts":
		wrapTo(b, "not covered by the article; bitsdiag's own entry", "  Article: ", "    ")
	default:
		wrapTo(b, "not in the article; entry from "+e.Source, "  Article: ", "    ")
	}
	if e.Transient {
		b.WriteString("  Transient: BITS retries the job by itself; report it as transient unless it persists.\n")
	}
	if e.ArticleText != "" {
		b.WriteString("\n  The article's row says\n")
		wrapTo(b, e.ArticleText, "    ", "    ")
	}
	b.WriteString("\n  Cause\n")
	wrapTo(b, e.Cause, "    ", "    ")
	writeSteps(b, "Fix", e.Fix)
	writeSteps(b, "Verify", e.Verify)
	if len(e.Corrections) > 0 {
		b.WriteString("\n  Corrected from the article's commands\n")
		for _, c := range e.Corrections {
			wrapTo(b, c, "    - ", "      ")
		}
	}
	if len(e.SeeAlso) > 0 {
		b.WriteString("\n  See also\n")
		for _, id := range e.SeeAlso {
			title := ""
			if o := kb.ByID(id); o != nil {
				title = ": " + o.Title
			}
			wrapTo(b, id+title, "    - ", "      ")
		}
	}
}

// writeSteps renders numbered steps; commands go on their own lines,
// indented and never wrapped, so they can be copied as they are.
func writeSteps(b *strings.Builder, title string, steps []analyze.Step) {
	if len(steps) == 0 {
		return
	}
	fmt.Fprintf(b, "\n  %s\n", title)
	for i, s := range steps {
		num := fmt.Sprintf("    %d. ", i+1)
		wrapTo(b, s.Text, num, strings.Repeat(" ", len(num)))
		if len(s.Commands) > 0 {
			fmt.Fprintf(b, "%sIn %s:\n", strings.Repeat(" ", len(num)), s.Shell.Label())
		}
		for _, c := range s.Commands {
			fmt.Fprintf(b, "%s    %s\n", strings.Repeat(" ", len(num)), c)
		}
	}
}

// wrapTo writes text word-wrapped at explainWidth: the first line starts with
// first, later lines with rest.
func wrapTo(b *strings.Builder, text, first, rest string) {
	prefix := first
	line := prefix
	empty := true
	for _, w := range strings.Fields(text) {
		if !empty && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) > explainWidth {
			b.WriteString(line + "\n")
			prefix = rest
			line, empty = prefix, true
		}
		if empty {
			line += w
			empty = false
		} else {
			line += " " + w
		}
	}
	b.WriteString(line + "\n")
}
