package inputs

import (
	"archive/tar"
	"bitsdiag/textfmt"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// archive reports whether the kind is an archive bitsdiag opens.
func (k Kind) archive() bool { return k == Zip || k == Tar || k == Gzip || k == SevenZip }

// maxDepth is how deep archives are opened inside archives: one level (a zip
// in a zip), not more.
const maxDepth = 1

// ratioFloor is the size below which the expansion ratio is not checked: a
// small entry is bounded by the memory limits anyway.
const ratioFloor = 64 << 20

// member is one file inside an archive.
type member struct {
	path, name  string // path as shown ("a.zip!x/System.evtx"); name inside the archive
	size, csize int64  // uncompressed size; compressed size (0 when unknown)
	damaged     string // why the member could not even be sniffed, "" when fine
	open        func(ctx context.Context) (*Opened, error)
}

// addMember files one archive member by its first bytes, under the archive's
// limits: a log, a nested archive (opened when depth allows), or other.
func (s *Set) addMember(m member, head []byte, lim Limits, depth int, total *int64) {
	if m.damaged != "" {
		if namedLog(m.name) || isArchiveName(m.name) {
			s.Rejected = append(s.Rejected, Rejected{Path: m.path, Size: m.size, Reason: m.damaged})
		} else {
			s.OtherSkipped++
		}
		return
	}
	kind := Sniff(head)
	if kind == Other && s.addSnapshot(m.path, m.size, m.open) {
		return
	}
	if kind != EVTX && !kind.archive() {
		s.reject(m.path, m.size, kind)
		return
	}
	if lim.MaxEntrySize > 0 && m.size > lim.MaxEntrySize {
		s.Rejected = append(s.Rejected, Rejected{Path: m.path, Size: m.size,
			Reason: fmt.Sprintf("uncompressed size %s is over the %s limit for one archived file (possible zip bomb); extract it and give the file instead",
				textfmt.Bytes(uint64(m.size)), textfmt.Bytes(uint64(lim.MaxEntrySize)))})
		return
	}
	if lim.MaxRatio > 0 && m.csize > 0 && m.size > ratioFloor && m.size/m.csize > lim.MaxRatio {
		s.Rejected = append(s.Rejected, Rejected{Path: m.path, Size: m.size,
			Reason: fmt.Sprintf("expands %d times (%s from %s), over the %d:1 limit (possible zip bomb); extract it and give the file instead",
				m.size/m.csize, textfmt.Bytes(uint64(m.size)), textfmt.Bytes(uint64(m.csize)), lim.MaxRatio)})
		return
	}
	if lim.MaxTotal > 0 && *total+m.size > lim.MaxTotal {
		s.Rejected = append(s.Rejected, Rejected{Path: m.path, Size: m.size,
			Reason: fmt.Sprintf("archive's files exceed %s uncompressed in all (possible zip bomb); this one was not read", textfmt.Bytes(uint64(lim.MaxTotal)))})
		return
	}
	*total += m.size
	if kind == EVTX {
		s.Files = append(s.Files, &File{Path: m.path, Size: m.size, open: m.open})
		return
	}
	if depth >= maxDepth {
		s.Rejected = append(s.Rejected, Rejected{Path: m.path, Size: m.size,
			Reason: "archive nested more than one level deep is not read: extract the outer archives first"})
		return
	}
	o, err := m.open(context.Background())
	if err != nil {
		s.Rejected = append(s.Rejected, Rejected{Path: m.path, Size: m.size, Reason: "cannot read archive entry: " + err.Error()})
		return
	}
	s.closers = append(s.closers, o)
	if o.Problem != "" {
		s.Rejected = append(s.Rejected, Rejected{Path: m.path, Size: m.size, Reason: o.Problem})
	}
	s.addArchive(kind, m.path, o, o.Size, lim, depth+1)
}

// isArchiveName reports whether a name ends like an archive.
func isArchiveName(name string) bool {
	n := strings.ToLower(name)
	for _, ext := range []string{".zip", ".tar", ".tgz", ".tar.gz", ".gz", ".7z"} {
		if strings.HasSuffix(n, ext) {
			return true
		}
	}
	return false
}

// addArchive opens an archive of a sniffed kind.
func (s *Set) addArchive(kind Kind, name string, ra io.ReaderAt, size int64, lim Limits, depth int) {
	switch kind {
	case Zip:
		s.addZip(name, ra, size, lim, depth)
	case Tar:
		s.addTar(name, io.NewSectionReader(ra, 0, size), size, lim, depth)
	case Gzip:
		s.addGzip(name, ra, size, lim, depth)
	case SevenZip:
		s.addSevenZip(name, ra, size, lim, depth)
	}
}

// addGzip reads a gzip stream: a tar inside (.tar.gz, .tgz) is read as a tar;
// one gzipped log (System.evtx.gz) is copied and read.
func (s *Set) addGzip(name string, ra io.ReaderAt, size int64, lim Limits, depth int) {
	zr, err := gzip.NewReader(io.NewSectionReader(ra, 0, size))
	if err != nil {
		s.Rejected = append(s.Rejected, Rejected{Path: name, Size: size, Reason: "not a readable gzip stream: " + err.Error()})
		return
	}
	defer zr.Close()
	head, err := readHead(zr)
	if err != nil {
		s.Rejected = append(s.Rejected, Rejected{Path: name, Size: size, Reason: "damaged gzip stream: " + err.Error()})
		return
	}
	rest := io.MultiReader(bytes.NewReader(head), zr)
	if Sniff(head) == Tar {
		s.addTar(name, rest, size, lim, depth)
		return
	}
	inner := strings.TrimSuffix(path.Base(strings.ReplaceAll(name, "\\", "/")), ".gz")
	m := member{path: name + "!" + inner, name: inner}
	if Sniff(head) != EVTX {
		s.reject(m.path, 0, Sniff(head))
		return
	}
	// One gzipped log: the stream is read once, here, bounded like a member.
	o, err := spool(io.LimitReader(rest, lim.MaxEntrySize+1), -1, lim.MemCopy, s.mem)
	if o == nil {
		s.Rejected = append(s.Rejected, Rejected{Path: m.path, Reason: "cannot read: " + err.Error()})
		return
	}
	if lim.MaxEntrySize > 0 && o.Size > lim.MaxEntrySize {
		o.Close()
		s.Rejected = append(s.Rejected, Rejected{Path: m.path, Size: o.Size, Reason: "over the size limit for one archived file (possible zip bomb)"})
		return
	}
	if err != nil {
		o.Problem = fmt.Sprintf("gzip stream damaged: %v (read %d bytes)", err, o.Size)
	}
	s.Archives++
	s.closers = append(s.closers, o)
	m.size = o.Size
	m.open = func(context.Context) (*Opened, error) { return o.share(), nil }
	var total int64
	s.addMember(m, head, lim, depth, &total)
}

// addTar reads a tar stream member by member; logs (and archives one level
// deep) are copied as they pass, bounded by the shared memory budget, the free
// disk space and the zip-bomb limits. A cut archive keeps the whole members and
// reports the cut one as damaged.
func (s *Set) addTar(name string, r io.Reader, size int64, lim Limits, depth int) {
	s.Archives++
	tr := tar.NewReader(r)
	var total int64
	for count := 0; ; count++ {
		h, err := tr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			s.Rejected = append(s.Rejected, Rejected{Path: name, Size: size,
				Reason: fmt.Sprintf("damaged tar archive after %d members: %v", count, err)})
			return
		}
		if lim.MaxEntries > 0 && count >= lim.MaxEntries {
			s.Rejected = append(s.Rejected, Rejected{Path: name, Size: size,
				Reason: fmt.Sprintf("archive has more than %d files; only the first %d were read (limit against zip bombs)", lim.MaxEntries, lim.MaxEntries)})
			return
		}
		if h.Typeflag != tar.TypeReg && h.Typeflag != tar.TypeRegA {
			continue
		}
		m := member{path: name + "!" + h.Name, name: h.Name, size: max(h.Size, 0)}
		head, err := readHead(tr)
		if err != nil {
			s.Rejected = append(s.Rejected, Rejected{Path: m.path, Size: m.size, Reason: "archive entry damaged: " + err.Error()})
			return
		}
		kind := Sniff(head)
		if kind != EVTX && !kind.archive() || lim.MaxEntrySize > 0 && m.size > lim.MaxEntrySize || lim.MaxTotal > 0 && total+m.size > lim.MaxTotal {
			m.open = func(context.Context) (*Opened, error) { return nil, errors.New("not copied") }
			s.addMember(m, head, lim, depth, &total) // files it as other or over a limit
			continue
		}
		o, err := copyEntry(context.Background(), io.MultiReader(bytes.NewReader(head), tr), m.size, lim.MemCopy, s.mem)
		if err != nil {
			s.Rejected = append(s.Rejected, Rejected{Path: m.path, Size: m.size, Reason: "cannot read archive entry: " + err.Error()})
			return
		}
		s.closers = append(s.closers, o)
		m.open = func(context.Context) (*Opened, error) { return o.share(), nil }
		s.addMember(m, head, lim, depth, &total)
		if o.Problem != "" {
			return // the archive is cut here: the member keeps what was read
		}
	}
}
