package samples

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"bitsdiag/analyze"
	"bitsdiag/parse"
)

func TestZZExplore(t *testing.T) {
	dirs, _ := filepath.Glob("*")
	for _, d := range dirs {
		files, _ := filepath.Glob(filepath.Join(d, "*.evtx"))
		if len(files) == 0 {
			continue
		}
		sort.Strings(files)
		a := analyze.New(analyze.Options{Now: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), Version: "test"})
		for _, p := range files {
			b, _ := os.ReadFile(p)
			f, _ := os.Open(p)
			r, err := parse.NewReader(f, int64(len(b)), parse.Options{Name: "samples/" + p, Filter: analyze.Filter()})
			if err != nil {
				t.Fatal(err)
			}
			for {
				e, err := r.Next()
				if err == io.EOF {
					break
				}
				var re *parse.RecordError
				if errors.As(err, &re) {
					continue
				}
				a.AddEvent(e)
			}
			s := sha256.Sum256(b)
			a.AddInput(analyze.InputFromSummary("samples/"+p, int64(len(b)), hex.EncodeToString(s[:]), r.Summary()))
			r.Close()
			f.Close()
		}
		res := a.Result()
		fmt.Printf("== %s: %s\n", d, res.Verdict)
		for _, f := range res.Findings {
			fmt.Printf("   %s %-32s %-7s n=%d jobs=%d status=%s codes=%v comps=%d\n      %s\n", f.ID, f.KBID, f.Severity, f.Count, f.JobsAffected, f.Status, f.Codes, len(f.Computers), f.Summary)
		}
	}
}
