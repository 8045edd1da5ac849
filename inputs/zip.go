package inputs

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// addZip lists an archive's entries in name order and files each like a plain
// file. Nothing is extracted to disk: logs are opened in place when stored
// uncompressed, else copied when read. Archives inside the archive are not
// opened.
func (s *Set) addZip(name string, ra io.ReaderAt, size int64, lim Limits) {
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		s.Rejected = append(s.Rejected, Rejected{Path: name, Size: size, Reason: "not a readable zip archive: " + err.Error()})
		return
	}
	s.Archives++
	entries := make([]*zip.File, 0, len(zr.File))
	for _, f := range zr.File {
		if !f.FileInfo().IsDir() && !strings.HasSuffix(f.Name, "/") {
			entries = append(entries, f)
		}
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })

	var total int64
	for i, f := range entries {
		p := name + "!" + f.Name
		if lim.MaxEntries > 0 && i >= lim.MaxEntries {
			s.Rejected = append(s.Rejected, Rejected{Path: name, Size: size,
				Reason: fmt.Sprintf("archive has %d files; only the first %d were read (limit against zip bombs)", len(entries), lim.MaxEntries)})
			return
		}
		usize := int64(f.UncompressedSize64)
		if f.UncompressedSize64 > 1<<62 {
			usize = 1 << 62
		}
		head, err := sniffEntry(ra, f)
		if err != nil {
			reason := "cannot read archive entry: " + err.Error()
			if namedLog(f.Name) {
				s.Rejected = append(s.Rejected, Rejected{Path: p, Size: usize, Reason: reason})
			} else {
				s.OtherSkipped++
			}
			continue
		}
		switch kind := Sniff(head); kind {
		case EVTX:
		case Zip:
			s.Rejected = append(s.Rejected, Rejected{Path: p, Size: usize,
				Reason: "archive inside an archive is not read: extract the outer archive first"})
			continue
		default:
			f, memCopy := f, lim.MemCopy
			if kind == Other && s.addSnapshot(p, usize, func(ctx context.Context) (*Opened, error) { return openEntry(ctx, ra, f, memCopy) }) {
				continue
			}
			s.reject(p, usize, kind)
			continue
		}
		if lim.MaxEntrySize > 0 && usize > lim.MaxEntrySize {
			s.Rejected = append(s.Rejected, Rejected{Path: p, Size: usize,
				Reason: fmt.Sprintf("uncompressed size %s is over the %s limit for one archived log (possible zip bomb); extract it and give the file instead",
					byteSize(usize), byteSize(lim.MaxEntrySize))})
			continue
		}
		if lim.MaxTotal > 0 && total+usize > lim.MaxTotal {
			s.Rejected = append(s.Rejected, Rejected{Path: p, Size: usize,
				Reason: fmt.Sprintf("archive's logs exceed %s uncompressed in all (possible zip bomb); this one was not read", byteSize(lim.MaxTotal))})
			continue
		}
		total += usize
		f, memCopy := f, lim.MemCopy
		s.Files = append(s.Files, &File{Path: p, Size: usize, open: func(ctx context.Context) (*Opened, error) { return openEntry(ctx, ra, f, memCopy) }})
	}
}

// sniffEntry reads an entry's first SniffLen bytes.
func sniffEntry(ra io.ReaderAt, f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	head := make([]byte, SniffLen)
	n, err := io.ReadFull(rc, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return head[:n], nil
}

// openEntry gives random access to an archive entry: a window on the archive
// when the entry is stored uncompressed, otherwise a copy. A damaged entry
// keeps the bytes read before the damage and says so in Opened.Problem.
func openEntry(ctx context.Context, ra io.ReaderAt, f *zip.File, memCopy int64) (*Opened, error) {
	size := int64(f.UncompressedSize64)
	if f.Method == zip.Store && f.CompressedSize64 == f.UncompressedSize64 && f.Flags&0x1 == 0 {
		if off, err := f.DataOffset(); err == nil {
			return &Opened{ReaderAt: io.NewSectionReader(ra, off, size), Size: size}, nil
		}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	o, err := spool(ctxReader{ctx, io.LimitReader(rc, size+1)}, size, memCopy) // +1: reach EOF so the CRC is checked
	if o == nil {
		return nil, err
	}
	if err != nil && ctx.Err() != nil {
		o.Close()
		return nil, err
	}
	if err != nil {
		o.Problem = fmt.Sprintf("archive entry damaged: %v (read %d of %d bytes)", err, o.Size, size)
	}
	return o, nil
}

// byteSize formats a size for messages.
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
