package inputs

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/bodgit/sevenzip"
)

// sevenZipMagic starts every 7-Zip archive.
var sevenZipMagic = []byte{'7', 'z', 0xBC, 0xAF, 0x27, 0x1C}

// addSevenZip lists a 7-Zip archive's files in name order and files each
// like an archive member; a member is copied (decompressed) when it is read.
// The reader is github.com/bodgit/sevenzip (pure Go, maintained, BSD-3):
// LZMA, LZMA2, Deflate, BZip2, Zstandard, Brotli, LZ4, PPMd, BCJ filters.
func (s *Set) addSevenZip(name string, ra io.ReaderAt, size int64, lim Limits, depth int) {
	zr, err := openSevenZip(ra, size)
	if err != nil {
		s.Rejected = append(s.Rejected, Rejected{Path: name, Size: size, Reason: "not a readable 7-Zip archive: " + err.Error()})
		return
	}
	s.Archives++
	files := make([]*sevenzip.File, 0, len(zr.File))
	for _, f := range zr.File {
		if !f.FileInfo().IsDir() && !strings.HasSuffix(f.Name, "/") {
			files = append(files, f)
		}
	}
	sort.SliceStable(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	var mu sync.Mutex // one decompression at a time per archive
	var total int64
	for i, f := range files {
		if lim.MaxEntries > 0 && i >= lim.MaxEntries {
			s.Rejected = append(s.Rejected, Rejected{Path: name, Size: size,
				Reason: fmt.Sprintf("archive has %d files; only the first %d were read (limit against zip bombs)", len(files), lim.MaxEntries)})
			return
		}
		f, memCopy, mem := f, lim.MemCopy, s.mem
		usize := clampSize(f.UncompressedSize)
		// withEntry opens the entry under the archive's lock, with a panic
		// in the decompressor reported as an error, and hands it to use.
		withEntry := func(use func(io.Reader) error) (err error) {
			mu.Lock()
			defer mu.Unlock()
			defer recoverAs(&err)
			rc, err := f.Open()
			if err != nil {
				return err
			}
			defer rc.Close()
			return use(rc)
		}
		m := member{path: name + "!" + f.Name, name: f.Name, size: usize,
			open: func(ctx context.Context) (o *Opened, err error) {
				err = withEntry(func(r io.Reader) (err error) {
					o, err = copyEntry(ctx, r, usize, memCopy, mem)
					return err
				})
				return o, err
			}}
		var head []byte
		err := withEntry(func(r io.Reader) (err error) {
			head, err = readHead(r)
			return err
		})
		if err != nil {
			m.damaged = "cannot read archive entry: " + err.Error()
		}
		s.addMember(m, head, lim, depth, &total)
	}
}

// openSevenZip opens the archive, turning a panic of the reader on hostile
// input into an error.
func openSevenZip(ra io.ReaderAt, size int64) (zr *sevenzip.Reader, err error) {
	defer recoverAs(&err)
	return sevenzip.NewReader(ra, size)
}

// recoverAs turns a panic into *err.
func recoverAs(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("damaged archive (reader failed: %v)", r)
	}
}
