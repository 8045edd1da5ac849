package inputs

import (
	"archive/zip"
	"bytes"
	"context"
	"testing"

	"bitsdiag/internal/testarchive"
)

// FuzzArchives feeds arbitrary bytes to the archive readers (zip, salvage,
// tar, gzip, 7z): no panic, and every member opened reads back within its size.
func FuzzArchives(f *testing.F) {
	z := makeZipF([]zipEntry{{"a.evtx", fakeEVTX(300, 1), zip.Deflate}, {"b.evtx", fakeEVTX(200, 2), zip.Store}})
	f.Add(z)
	f.Add(z[:len(z)/2])
	f.Add(testarchive.Make7z([]string{"a.evtx"}, [][]byte{fakeEVTX(100, 3)}))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &Set{mem: &budget{left: 1 << 20}}
		defer s.Close()
		lim := DefaultLimits()
		lim.MaxEntrySize = 1 << 20
		lim.MemCopy = 1 << 20
		s.addReaderAt("x", bytes.NewReader(data), int64(len(data)), lim)
		for _, fl := range s.Files {
			o, err := fl.Open(context.Background())
			if err != nil {
				continue
			}
			if o.Size > lim.MaxEntrySize+1 {
				t.Errorf("%s: %d bytes", fl.Path, o.Size)
			}
			o.Close()
		}
	})
}

func makeZipF(entries []zipEntry) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: e.method})
		w.Write(e.data)
	}
	zw.Close()
	return buf.Bytes()
}
