package inputs

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"bitsdiag/internal/testarchive"
)

func TestCollectSevenZip(t *testing.T) {
	a, b := noisyEVTX(4000, 1), noisyEVTX(9000, 2)
	p := filepath.Join(t.TempDir(), "logs.7z")
	writeFile(t, p, testarchive.Make7z([]string{"Logs/System.evtx", "Logs/notes.txt", "Logs/Bits.evtx"}, [][]byte{a, []byte("hello"), b}))
	s, err := Collect(context.Background(), []string{p}, nil, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := paths(s); strings.Join(got, "|") != p+"!Logs/Bits.evtx|"+p+"!Logs/System.evtx" {
		t.Fatalf("files = %q, rejected %+v", got, s.Rejected)
	}
	for i, want := range [][]byte{b, a} {
		if got, _ := readAllOpened(t, s.Files[i]); !bytes.Equal(got, want) {
			t.Errorf("entry %d read back wrong", i)
		}
	}
	if s.OtherSkipped != 1 || s.Archives != 1 {
		t.Errorf("other %d archives %d", s.OtherSkipped, s.Archives)
	}
	// Damaged: cut in the header.
	data := testarchive.Make7z([]string{"a.evtx"}, [][]byte{a})
	writeFile(t, p, data[:len(data)-5])
	s2, err := Collect(context.Background(), []string{p}, nil, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if len(s2.Files) != 0 || len(s2.Rejected) != 1 || !strings.Contains(s2.Rejected[0].Reason, "7-Zip") {
		t.Errorf("cut 7z: files %q rejected %+v", paths(s2), s2.Rejected)
	}
}
