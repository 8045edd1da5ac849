package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"bitsdiag/samples/scenario"
)

func TestWriteBig(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.evtx")
	const limit = 2 << 20
	n, err := writeBig(p, limit)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > limit || len(b) < limit-2*65536 {
		t.Errorf("file is %d bytes for a %d-byte limit", len(b), limit)
	}
	total := 0
	for _, c := range scenario.ChunkRecordCounts(b) {
		total += c
	}
	if total != n {
		t.Errorf("chunks hold %d records, writer reported %d", total, n)
	}
	if _, err := exec.LookPath("evtxinfo"); err != nil {
		t.Skip("evtxinfo not installed; skipping the independent count")
	}
	out, err := exec.Command("evtxinfo", p).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "Number of records\t\t: "+strconv.Itoa(n)+"\n") {
		t.Errorf("evtxinfo disagrees with %d records:\n%s", n, out)
	}
}

func TestWriteBigRejectsTinySize(t *testing.T) {
	if _, err := writeBig(filepath.Join(t.TempDir(), "x.evtx"), 1000); err == nil {
		t.Error("1000-byte limit accepted")
	}
}
