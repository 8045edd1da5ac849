// Command gen regenerates the sample logs in samples/ (deterministically) or
// writes a large log for benchmarks.
//
//	go run ./samples/gen                      # rewrite samples/
//	go run ./samples/gen -big /tmp/x.evtx -size 1024
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"bitsdiag/samples/scenario"
	"bitsdiag/samples/snapgen"
)

func main() {
	dir := flag.String("dir", "samples", "directory to write the samples to")
	big := flag.String("big", "", "write a large System log to this path instead of the samples")
	size := flag.Int("size", 1024, "size of the large log in MiB (with -big)")
	flag.Parse()
	if err := run(*dir, *big, *size); err != nil {
		slog.Error("gen failed", "err", err)
		os.Exit(1)
	}
}

func run(dir, big string, size int) error {
	if big != "" {
		n, err := writeBig(big, int64(size)<<20)
		if err != nil {
			return err
		}
		fmt.Printf("wrote %s: %d records\n", big, n)
		return nil
	}
	out, err := scenario.Generate()
	if err != nil {
		return err
	}
	for _, o := range snapgen.Outputs() { // configuration snapshots (samples/snapshots/)
		out = append(out, scenario.Output{Path: o.Path, Data: o.Data})
	}
	for _, o := range out {
		p := filepath.Join(dir, filepath.FromSlash(o.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, o.Data, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("wrote %d files to %s\n", len(out), dir)
	return nil
}
