package parse

import (
	"sync"

	ulog "github.com/0xrawsec/golang-utils/log"
)

var quietOnce sync.Once

// quietLibrary lowers golang-evtx's logger (golang-utils/log) to critical
// messages only; bitsdiag reports decoding failures itself. The logger is a
// process-wide setting of that library, set once.
func quietLibrary() {
	quietOnce.Do(func() { ulog.SetLogLevel(ulog.LCritical) })
}
