package main

import (
	"os"
	"runtime/debug"
)

// tuneGC sets the garbage collector's goal (GOGC percent) and soft memory
// limit for one command and returns the function that restores them.
// "events" keeps a small live heap (the chunks in flight), so a goal of five
// times it (400) costs a few MB and saves collector CPU, with a 48 MiB
// limit keeping the peak bounded; "report" keeps the default goal with a
// limit so a large analysis does not double its heap. GOGC or GOMEMLIMIT in
// the environment win.
func tuneGC(percent int, limit int64) (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	oldPct := debug.SetGCPercent(percent)
	oldLimit := debug.SetMemoryLimit(limit)
	return func() {
		debug.SetGCPercent(oldPct)
		debug.SetMemoryLimit(oldLimit)
	}
}
