package main

// TEMPORARY stand-ins until the owners' files land (events.go, explain.go).
// Each is deleted as soon as the real one exists.

import (
	"fmt"
	"io"
)

func runEvents(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "bitsdiag events: not implemented yet")
	return exitFail
}
