package inputs

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// Snapshots are told apart by content in folders and zips; other text is
// skipped and counted as before; an empty file with a collection name is
// kept so the inventory can say why it cannot be read.
func TestSnapshotsRecognised(t *testing.T) {
	dir := t.TempDir()
	sc := "\r\nSERVICE_NAME: bits\r\n        TYPE               : 20  WIN32_SHARE_PROCESS\r\n        STATE              : 4  RUNNING\r\n"
	os.WriteFile(filepath.Join(dir, "whatever.log"), []byte(sc), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("customer says it broke on Monday"), 0o644)
	os.WriteFile(filepath.Join(dir, "sc-qc.txt"), nil, 0o644)
	zp := filepath.Join(dir, "c.zip")
	zf, _ := os.Create(zp)
	zw := zip.NewWriter(zf)
	w, _ := zw.Create("bitsdiag-PC1/reg-bits.reg")
	w.Write([]byte("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\BITS]\r\n\"Start\"=dword:00000002\r\n"))
	w, _ = zw.Create("bitsdiag-PC1/README.txt")
	w.Write([]byte("Send this zip to your support engineer."))
	zw.Close()
	zf.Close()

	s, err := Collect(context.Background(), []string{dir}, nil, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var got []string
	for _, sn := range s.Snapshots {
		got = append(got, filepath.Base(sn.Path))
		if _, err := sn.Read(context.Background()); err != nil {
			t.Errorf("%s: %v", sn.Path, err)
		}
	}
	want := []string{"bitsdiag-PC1/reg-bits.reg", "sc-qc.txt", "whatever.log"}
	if len(got) != 3 || s.Snapshots[0].Path != zp+"!"+want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("snapshots %v, want %v", got, want)
	}
	if s.OtherSkipped != 2 || len(s.Files) != 0 {
		t.Errorf("other skipped %d (want notes.txt and README.txt), logs %d", s.OtherSkipped, len(s.Files))
	}
}
