// Command bitsdiag reads exported Windows event logs (.evtx) on any platform,
// finds Background Intelligent Transfer Service (BITS) failures and Service
// Control Manager events about BITS, and explains them with the fixes from
// Microsoft's "Issues with BITS" article.
//
// Usage:
//
//	bitsdiag report [flags] PATH...
//	bitsdiag events [flags] PATH...
//	bitsdiag explain [flags] CODE...
//	bitsdiag version
//	bitsdiag help COMMAND
//
// Run "bitsdiag help COMMAND" for each command's flags and examples.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"syscall"

	"bitsdiag/termtext"
)

// Exit codes.
const (
	exitOK    = 0 // done
	exitFail  = 1 // nothing usable, output failed, interrupted, or damage with --strict
	exitUsage = 2 // bad command line
)

const mainUsage = `bitsdiag reads exported Windows event logs (.evtx) and explains BITS failures.

Usage:
  bitsdiag report [flags] PATH...    write a report: Markdown, PDF or JSON
  bitsdiag events [flags] PATH...    print the records bitsdiag analyses as JSON Lines
  bitsdiag explain [flags] CODE...   explain an error code (0x80200013, 2149580819, %%1058, ...)
  bitsdiag completion bash|zsh|fish  print a shell completion script
  bitsdiag version                   print the version
  bitsdiag help COMMAND              show a command's flags and examples

PATH is a file, a folder (read recursively), an archive (.zip, .tar, .tar.gz,
.7z; one level of archives inside), a FIFO, or - for one file on standard
input. Event logs and archives are recognised by content.

Examples:
  bitsdiag report Logs/ -o report.pdf
  bitsdiag report customer-logs.zip > report.md
  bitsdiag report --since 72h --tz Europe/Berlin System.evtx Microsoft-Windows-Bits-Client%4Operational.evtx
  bitsdiag explain 0x80200013

Exit status: 0 done, 1 nothing usable or output failed (or damaged input with
--strict), 2 bad command line.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole program; main only adds the process around it.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// golang-evtx reports BinXML trouble (with stack traces) through the
	// standard logger whatever its own log level; bitsdiag counts and reports
	// damage itself, so that output never reaches the terminal.
	log.SetOutput(io.Discard)
	if len(args) == 0 {
		fmt.Fprint(stderr, shortUsage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "report", "events":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		go func() {
			<-ctx.Done()
			stop() // a second Ctrl-C kills at once
		}()
		if cmd == "events" {
			return runEvents(ctx, rest, stdin, stdout, stderr)
		}
		return runReport(ctx, rest, stdin, stdout, stderr)
	case "explain":
		return runExplain(rest, stdout, stderr)
	case "version", "--version":
		return runVersion(rest, stdout, stderr)
	case "help", "-h", "--help":
		return runHelp(rest, stdout, stderr)
	case "completion":
		return runCompletion(rest, stdout, stderr)
	case "manpage": // hidden: go generate writes bitsdiag.1 with it
		if len(rest) == 2 && rest[0] == "-o" {
			if err := os.WriteFile(rest[1], []byte(manPage()), 0o644); err != nil {
				fmt.Fprintf(stderr, "bitsdiag manpage: %v\n", err)
				return exitFail
			}
			return exitOK
		}
		fmt.Fprint(stdout, manPage())
		return exitOK
	}
	if s := commandSuggestion(cmd); s != "" {
		fmt.Fprintf(stderr, "bitsdiag: unknown command %s; %s\n%s", termtext.Quote(cmd), s, shortUsage)
		return exitUsage
	}
	if namedLogFile(cmd) {
		fmt.Fprintf(stderr, "bitsdiag: unknown command %s; did you mean `bitsdiag report %s`?\n%s", termtext.Quote(cmd), termtext.Escape(cmd), shortUsage)
		return exitUsage
	}
	fmt.Fprintf(stderr, "bitsdiag: unknown command %s\n%s", termtext.Quote(cmd), shortUsage)
	return exitUsage
}

const shortUsage = `Usage: bitsdiag report|events|explain|completion|version [flags] [ARGS...]
Run 'bitsdiag help' for more, or 'bitsdiag help COMMAND' for a command's flags.
`

// runHelp prints the main usage or a command's usage.
func runHelp(args []string, stdout, stderr io.Writer) int {
	ew := &errWriter{w: stdout}
	code := help(args, ew, stderr)
	if ew.err != nil {
		fmt.Fprintf(stderr, "bitsdiag help: writing: %v\n", ew.err)
		return exitFail
	}
	return code
}

// help is runHelp without the write check.
func help(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stdout, mainUsage)
		return exitOK
	}
	if len(args) > 1 {
		fmt.Fprintf(stderr, "bitsdiag help: give one command\n%s", shortUsage)
		return exitUsage
	}
	switch args[0] {
	case "report":
		fs, _ := reportFlags()
		printUsage(stdout, reportUsage, fs)
		return exitOK
	case "events":
		return runEvents(context.Background(), []string{"--help"}, nil, stdout, stderr)
	case "explain":
		return runExplain([]string{"--help"}, stdout, stderr)
	case "version":
		fmt.Fprint(stdout, versionUsage)
		return exitOK
	case "help":
		fmt.Fprint(stdout, mainUsage)
		return exitOK
	}
	fmt.Fprintf(stderr, "bitsdiag help: unknown command %q\n%s", args[0], shortUsage)
	return exitUsage
}
