package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// version is set at build time with
// -ldflags "-X main.version=1.2.3"; otherwise the module version from the
// build information is used, or "dev".
var version = ""

const versionUsage = `Usage: bitsdiag version

Print the version of bitsdiag. Set it when building with
  go build -ldflags "-X main.version=1.2.3" ./cmd/bitsdiag
`

// toolVersion returns the version reports and "bitsdiag version" show.
func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func runVersion(args []string, stdout, stderr io.Writer) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprint(stdout, versionUsage)
		return exitOK
	}
	if len(args) > 0 {
		fmt.Fprintf(stderr, "bitsdiag version: takes no arguments\n%s", versionUsage)
		return exitUsage
	}
	if _, err := fmt.Fprintf(stdout, "bitsdiag %s\n", toolVersion()); err != nil {
		return exitFail
	}
	return exitOK
}
