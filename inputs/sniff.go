// Package inputs finds the files bitsdiag reads: plain files, directories
// (walked recursively), .zip archives (read in place), .tar and .tar.gz
// archives, archives one level inside archives, FIFOs and standard input. It
// recognises event logs by their content, not their names, and opens each one
// as an io.ReaderAt for the EVTX reader.
package inputs

import (
	"bytes"
	"path"
	"path/filepath"
	"strings"
)

// Kind is what a file holds, judged by its first bytes.
type Kind int

// Kinds of input.
const (
	Other     Kind = iota // anything else: skipped silently, but counted
	EVTX                  // Windows Vista+ event log ("ElfFile\x00")
	LegacyEVT             // Windows NT/2000/XP/2003 event log ("LfLe" at offset 4)
	Zip                   // zip archive
	Tar                   // tar archive (POSIX ustar or GNU)
	Gzip                  // gzip stream: a .tar.gz/.tgz or one gzipped file
	SevenZip              // 7-Zip archive
)

// SniffLen is how many leading bytes Sniff needs (a tar header's magic is at
// offset 257).
const SniffLen = 512

var (
	evtxMagic   = []byte("ElfFile\x00")
	legacyMagic = []byte("LfLe")
	zipMagic    = []byte("PK\x03\x04")
	zipEmpty    = []byte("PK\x05\x06")
	gzipMagic   = []byte{0x1f, 0x8b}
	tarMagic    = []byte("ustar")
)

// Sniff classifies a file by its first SniffLen bytes.
func Sniff(head []byte) Kind {
	switch {
	case bytes.HasPrefix(head, evtxMagic):
		return EVTX
	case len(head) >= 8 && bytes.Equal(head[4:8], legacyMagic):
		return LegacyEVT
	case bytes.HasPrefix(head, zipMagic), bytes.HasPrefix(head, zipEmpty):
		return Zip
	case bytes.HasPrefix(head, sevenZipMagic):
		return SevenZip
	case bytes.HasPrefix(head, gzipMagic):
		return Gzip
	case len(head) >= 262 && bytes.Equal(head[257:262], tarMagic):
		return Tar
	}
	return Other
}

// String names the kind for messages.
func (k Kind) String() string {
	switch k {
	case EVTX:
		return "EVTX"
	case LegacyEVT:
		return "legacy EVT"
	case Zip:
		return "zip"
	case Tar:
		return "tar"
	case Gzip:
		return "gzip"
	case SevenZip:
		return "7-Zip"
	}
	return "other"
}

// namedLog reports whether a file name claims to be an event log.
func namedLog(name string) bool {
	ext := strings.ToLower(path.Ext(filepath.ToSlash(name)))
	return ext == ".evtx" || ext == ".evt"
}

// classicChannels are the channels whose export file name is the channel itself.
var classicChannels = []string{"Application", "Security", "Setup", "System", "ForwardedEvents"}

// ChannelFromName derives an event channel from a Windows log file name, for
// records that do not carry one: winevt\Logs stores channel "A/B" as
// "A%4B.evtx", and the classic logs as "System.evtx" and so on. It returns ""
// when the name follows neither convention.
func ChannelFromName(name string) string {
	base := name
	if i := strings.LastIndexAny(base, `/\!`); i >= 0 {
		base = base[i+1:]
	}
	if len(base) > 5 && strings.EqualFold(base[len(base)-5:], ".evtx") {
		base = base[:len(base)-5]
	} else {
		return ""
	}
	if strings.Contains(base, "%4") {
		return strings.ReplaceAll(base, "%4", "/")
	}
	for _, c := range classicChannels {
		if strings.EqualFold(base, c) {
			return c
		}
	}
	return ""
}
