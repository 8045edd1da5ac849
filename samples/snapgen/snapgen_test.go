package snapgen

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestUpToDate fails when samples/snapshots differs from the generator
// (run go run ./samples/gen).
func TestUpToDate(t *testing.T) {
	want := map[string]bool{}
	for _, o := range Outputs() {
		p := filepath.Join("..", filepath.FromSlash(o.Path))
		want[p] = true
		got, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%v (run go run ./samples/gen)", err)
			continue
		}
		if !bytes.Equal(got, o.Data) {
			t.Errorf("%s differs from the generator (run go run ./samples/gen)", p)
		}
	}
	filepath.WalkDir(filepath.Join("..", "snapshots"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !want[p] {
			t.Errorf("%s is not written by the generator", p)
		}
		return nil
	})
}

func TestOEMSampleHasOEMBytes(t *testing.T) {
	s, _ := SetByName("healthy-win7-fr")
	for _, f := range Files(s.Machine, s.Shell) {
		if f.Name == "sc-qc.txt" && !bytes.Contains(f.Data, []byte("r\x82ussite(s)")) {
			t.Errorf("sc-qc.txt is not CP850: %q", f.Data[:60])
		}
	}
}
