package campaign

import (
	"io"
	"log"
	"os"
	"testing"
)

// TestMain silences the standard logger: golang-evtx reports BinXML errors
// through it (log.DontPanicf, "PANIC - ..." with a stack) whatever its log
// level, and the campaign's in-process reads of damaged logs (account,
// liveRange) provoke many, which buried the campaign's figures.
func TestMain(m *testing.M) {
	log.SetOutput(io.Discard)
	os.Exit(m.Run())
}
