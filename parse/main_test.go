package parse

import (
	"io"
	"log"
	"os"
	"testing"
)

// TestMain silences the standard logger: golang-evtx reports BinXML errors
// through it (log.DontPanicf) whatever its log level, and the damage tests
// provoke many.
func TestMain(m *testing.M) {
	log.SetOutput(io.Discard)
	os.Exit(m.Run())
}
