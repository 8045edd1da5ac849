package inputs

import (
	"archive/zip"
	"bitsdiag/textfmt"
	"bufio"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"sort"
	"strings"
)

// addZip lists an archive's entries in name order and files each like a plain
// file. Nothing is extracted to disk: logs are opened in place when stored
// uncompressed, else copied when read. An archive inside the archive is read
// when depth is 0 (one level deep). A zip whose central directory is missing
// (a cut upload) is salvaged from its local headers.
func (s *Set) addZip(name string, ra io.ReaderAt, size int64, lim Limits, depth int) {
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		if s.salvageZip(name, ra, size, lim, depth, err) {
			return
		}
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
		if lim.MaxEntries > 0 && i >= lim.MaxEntries {
			s.Rejected = append(s.Rejected, Rejected{Path: name, Size: size,
				Reason: fmt.Sprintf("archive has %d files; only the first %d were read (limit against zip bombs)", len(entries), lim.MaxEntries)})
			return
		}
		f, memCopy, mem := f, lim.MemCopy, s.mem
		m := member{
			path: name + "!" + f.Name, name: f.Name,
			size: clampSize(f.UncompressedSize64), csize: clampSize(f.CompressedSize64),
			open: func(ctx context.Context) (*Opened, error) { return openEntry(ctx, ra, f, memCopy, mem) },
		}
		head, err := sniffEntry(f)
		if err != nil {
			m.damaged = "cannot read archive entry: " + err.Error()
		}
		s.addMember(m, head, lim, depth, &total)
	}
}

func clampSize(n uint64) int64 {
	if n > 1<<62 {
		return 1 << 62
	}
	return int64(n)
}

// sniffEntry reads an entry's first SniffLen bytes.
func sniffEntry(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return readHead(rc)
}

// readHead reads up to SniffLen bytes.
func readHead(r io.Reader) ([]byte, error) {
	head := make([]byte, SniffLen)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return head[:n], nil
}

// openEntry gives random access to an archive entry: a window on the archive
// when the entry is stored uncompressed (after checking its CRC), otherwise a
// copy. A damaged entry keeps the bytes read before the damage and says so in
// Opened.Problem.
func openEntry(ctx context.Context, ra io.ReaderAt, f *zip.File, memCopy int64, mem *budget) (*Opened, error) {
	size := int64(f.UncompressedSize64)
	if f.Method == zip.Store && f.CompressedSize64 == f.UncompressedSize64 && f.Flags&0x1 == 0 {
		if off, err := f.DataOffset(); err == nil {
			o := &Opened{ReaderAt: io.NewSectionReader(ra, off, size), Size: size}
			if sum, err := crcOf(ctx, o); err != nil {
				return nil, err
			} else if sum != f.CRC32 && f.CRC32 != 0 {
				o.Problem = fmt.Sprintf("archive entry damaged: CRC-32 is %08x, the archive says %08x", sum, f.CRC32)
			}
			return o, nil
		}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return copyEntry(ctx, rc, size, memCopy, mem)
}

// copyEntry copies a decompressing reader of an entry of the announced size.
func copyEntry(ctx context.Context, rc io.Reader, size, memCopy int64, mem *budget) (*Opened, error) {
	o, err := spool(ctxReader{ctx, io.LimitReader(rc, size+1)}, size, memCopy, mem) // +1: reach EOF so the CRC is checked
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

// crcOf computes the CRC-32 of o's bytes.
func crcOf(ctx context.Context, o *Opened) (uint32, error) {
	h := crc32.NewIEEE()
	buf := make([]byte, 1<<20)
	for off := int64(0); off < o.Size; {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		n, err := o.ReadAt(buf[:min(int64(len(buf)), o.Size-off)], off)
		h.Write(buf[:n])
		off += int64(n)
		if n == 0 {
			if err == nil {
				err = io.ErrNoProgress
			}
			return 0, err
		}
	}
	return h.Sum32(), nil
}

// Local file header layout (APPNOTE 4.3.7).
const (
	localHeaderLen = 30
	localSig       = 0x04034b50
)

// salvageZip reads a zip without a usable central directory (a cut upload)
// from its local file headers: every whole entry is read, the cut one is
// reported as damaged. It reports false when the data does not start with a
// local header.
func (s *Set) salvageZip(name string, ra io.ReaderAt, size int64, lim Limits, depth int, cause error) bool {
	var hdr [localHeaderLen]byte
	if _, err := ra.ReadAt(hdr[:], 0); err != nil || binary.LittleEndian.Uint32(hdr[:]) != localSig {
		return false
	}
	s.Archives++
	var total int64
	whole, count := 0, 0
	for off := int64(0); off+localHeaderLen <= size; {
		if _, err := ra.ReadAt(hdr[:], off); err != nil || binary.LittleEndian.Uint32(hdr[:]) != localSig {
			break // the central directory (or garbage) starts here
		}
		if lim.MaxEntries > 0 && count >= lim.MaxEntries {
			break
		}
		flags := binary.LittleEndian.Uint16(hdr[6:])
		method := binary.LittleEndian.Uint16(hdr[8:])
		crc := binary.LittleEndian.Uint32(hdr[14:])
		csize := int64(binary.LittleEndian.Uint32(hdr[18:]))
		usize := int64(binary.LittleEndian.Uint32(hdr[22:]))
		nameLen := int64(binary.LittleEndian.Uint16(hdr[26:]))
		extraLen := int64(binary.LittleEndian.Uint16(hdr[28:]))
		nb := make([]byte, nameLen)
		if _, err := ra.ReadAt(nb, off+localHeaderLen); err != nil {
			break
		}
		entry := string(nb)
		data := off + localHeaderLen + nameLen + extraLen
		count++
		m := member{path: name + "!" + entry, name: entry, size: usize, csize: csize}
		descriptor := int64(0)
		if flags&0x8 != 0 && method == zip.Deflate && flags&0x1 == 0 {
			// Sizes after the data (a streamed zip, as Go and Windows write
			// them): the deflate stream ends itself; decompress to measure it.
			n, c, u, err := measureDeflate(ra, data, size, lim.MaxEntrySize)
			if err != nil {
				s.Rejected = append(s.Rejected, Rejected{Path: m.path, Size: u,
					Reason: fmt.Sprintf("archive entry damaged: cut short or corrupt (%v after %s)", err, textfmt.Bytes(uint64(u)))})
				break
			}
			csize, usize, crc, descriptor = n, u, c, 12
			if sig := make([]byte, 4); data+csize+4 <= size {
				ra.ReadAt(sig, data+csize)
				if binary.LittleEndian.Uint32(sig) == 0x08074b50 {
					descriptor = 16
				}
			}
			m.size, m.csize = usize, csize
		} else if flags&0x8 != 0 || flags&0x1 != 0 || (method != zip.Store && method != zip.Deflate) {
			// Sizes after the data (streamed zip), encryption or an unknown
			// method: the entry cannot be bounded without the directory.
			s.Rejected = append(s.Rejected, Rejected{Path: m.path, Size: usize,
				Reason: "archive entry not recoverable from a zip without its central directory (sizes after the data, encryption or unknown method)"})
			break
		}
		if strings.HasSuffix(entry, "/") {
			off = data + csize + descriptor
			continue
		}
		if data+csize > size {
			s.Rejected = append(s.Rejected, Rejected{Path: m.path, Size: usize,
				Reason: fmt.Sprintf("archive entry damaged: cut short (the archive ends %s into its %s of data)", textfmt.Bytes(uint64(max(size-data, 0))), textfmt.Bytes(uint64(csize)))})
			break
		}
		memCopy, mem := lim.MemCopy, s.mem
		m.open = func(ctx context.Context) (*Opened, error) {
			var r io.Reader = io.NewSectionReader(ra, data, csize)
			if method == zip.Deflate {
				r = flate.NewReader(r)
			}
			return copyEntry(ctx, &crcCheck{r: r, want: crc, h: crc32.NewIEEE(), size: usize}, usize, memCopy, mem)
		}
		var head []byte
		if method == zip.Deflate {
			head, _ = readHead(flate.NewReader(io.NewSectionReader(ra, data, csize)))
		} else {
			head, _ = readHead(io.NewSectionReader(ra, data, csize))
		}
		s.addMember(m, head, lim, depth, &total)
		whole++
		off = data + csize + descriptor
	}
	s.Rejected = append(s.Rejected, Rejected{Path: name, Size: size,
		Reason: fmt.Sprintf("damaged zip archive (%v): salvaged from its local headers, %d whole entries read", cause, whole)})
	return true
}

// measureDeflate decompresses the deflate stream at data and returns its
// compressed length, the CRC-32 and the length of its output.
// It stops past limit bytes of output (a bomb).
func measureDeflate(ra io.ReaderAt, data, size, limit int64) (clen int64, crc uint32, ulen int64, err error) {
	cr := &countReader{r: io.NewSectionReader(ra, data, size-data)}
	br := bufio.NewReader(cr)
	fr := flate.NewReader(br)
	h := crc32.NewIEEE()
	if limit <= 0 {
		limit = 1 << 62
	}
	ulen, err = io.Copy(h, io.LimitReader(fr, limit+1))
	if err != nil {
		return 0, 0, ulen, err
	}
	if ulen > limit {
		return 0, 0, ulen, fmt.Errorf("over the %s limit for one archived file (possible zip bomb)", textfmt.Bytes(uint64(limit)))
	}
	return cr.n - int64(br.Buffered()), h.Sum32(), ulen, nil
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// crcCheck fails the read at EOF when the bytes' CRC-32 is not want.
type crcCheck struct {
	r    io.Reader
	want uint32
	h    interface {
		io.Writer
		Sum32() uint32
	}
	size, n int64
}

func (c *crcCheck) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.h.Write(b[:n])
	c.n += int64(n)
	if err == io.EOF {
		if c.n != c.size {
			return n, fmt.Errorf("archive entry is %d bytes, its header says %d", c.n, c.size)
		}
		if c.h.Sum32() != c.want {
			return n, zip.ErrChecksum
		}
	}
	return n, err
}
