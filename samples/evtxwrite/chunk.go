package evtxwrite

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"unicode/utf16"
)

// Layout constants of the EVTX format.
const (
	FileHeaderSize  = 4096  // file header block
	ChunkSize       = 65536 // one chunk
	ChunkHeaderSize = 512   // chunk header incl. string and template tables
	// chunkTail is kept free at the end of every chunk: libevtx 20181227
	// drops a record that ends within the last bytes of a chunk.
	chunkTail       = 64
	stringBuckets   = 64
	templateBuckets = 32
)

// ErrRecordTooLarge is returned for a record that does not fit an empty chunk.
var ErrRecordTooLarge = errors.New("evtxwrite: record does not fit in an empty chunk")

// errChunkFull reports that a record did not fit the current chunk.
var errChunkFull = errors.New("evtxwrite: chunk full")

// chunk accumulates records of one 64 KiB chunk.
type chunk struct {
	data      []byte            // chunk bytes from offset 0; header area zero until finish
	names     map[string]uint32 // name -> chunk offset of its name node
	templates map[[16]byte]uint32
	strTab    [stringBuckets]uint32
	tmplTab   [templateBuckets]uint32

	live       int    // records before the free-space offset
	free       uint32 // free-space offset (end of live records)
	lastRecOff uint32
	firstID    uint64
	lastID     uint64
	stale      bool // slack records are being written; tables are frozen

	added []string   // names added by the record being encoded
	addT  [][16]byte // templates added by the record being encoded
}

func newChunk() *chunk {
	c := &chunk{
		data:      make([]byte, ChunkHeaderSize, ChunkSize),
		names:     map[string]uint32{},
		templates: map[[16]byte]uint32{},
	}
	c.free = ChunkHeaderSize
	return c
}

// add encodes r at the end of the chunk. On errChunkFull the chunk is unchanged.
func (c *chunk) add(r Record, stale bool) error {
	start := len(c.data)
	strTab, tmplTab := c.strTab, c.tmplTab
	c.added, c.addT = c.added[:0], c.addT[:0]
	prevStale := c.stale
	c.stale = c.stale || stale
	err := c.encodeRecord(r)
	if err == nil && len(c.data) > ChunkSize-chunkTail {
		err = errChunkFull
	}
	if err != nil {
		c.data = c.data[:start]
		c.strTab, c.tmplTab = strTab, tmplTab
		for _, n := range c.added {
			delete(c.names, n)
		}
		for _, g := range c.addT {
			delete(c.templates, g)
		}
		c.stale = prevStale
		return err
	}
	if !stale {
		if c.live == 0 {
			c.firstID = r.ID
		}
		c.live++
		c.lastID = r.ID
		c.lastRecOff = uint32(start)
		c.free = uint32(len(c.data))
	}
	return nil
}

func (c *chunk) u8(v byte)    { c.data = append(c.data, v) }
func (c *chunk) u16(v uint16) { c.data = binary.LittleEndian.AppendUint16(c.data, v) }
func (c *chunk) u32(v uint32) { c.data = binary.LittleEndian.AppendUint32(c.data, v) }
func (c *chunk) u64(v uint64) { c.data = binary.LittleEndian.AppendUint64(c.data, v) }
func (c *chunk) pos() uint32  { return uint32(len(c.data)) }
func (c *chunk) patch32(at, v uint32) {
	if int(at)+4 <= len(c.data) {
		binary.LittleEndian.PutUint32(c.data[at:], v)
	}
}

// tooBig guards against runaway growth of one record beyond a chunk.
func (c *chunk) tooBig() bool { return len(c.data) > ChunkSize }

func (c *chunk) encodeRecord(r Record) error {
	start := c.pos()
	c.data = append(c.data, 0x2a, 0x2a, 0x00, 0x00)
	c.u32(0) // size, patched
	c.u64(r.ID)
	c.u64(ToFileTime(r.Written))
	c.data = append(c.data, 0x0f, 0x01, 0x01, 0x00) // fragment header
	if err := c.encodeInstance(r.Event); err != nil {
		return err
	}
	c.u8(0x00) // end of document
	size := c.pos() - start + 4
	c.u32(size)
	c.patch32(start+4, size)
	return nil
}

// encodeInstance writes a template instance, the definition when it is new
// in this chunk, and the substitution array.
func (c *chunk) encodeInstance(in Instance) error {
	t := in.Template
	if t == nil {
		return errors.New("evtxwrite: instance without template")
	}
	if len(in.Values) < t.subs {
		return fmt.Errorf("evtxwrite: template needs %d values, got %d", t.subs, len(in.Values))
	}
	c.u8(0x0c)
	c.u8(0x01)
	c.u32(t.id())
	if off, ok := c.templates[t.guid]; ok {
		c.u32(off)
	} else {
		defOff := c.pos() + 4
		c.u32(defOff)
		c.templates[t.guid] = defOff
		c.addT = append(c.addT, t.guid)
		bucket := t.id() % templateBuckets
		next := uint32(0)
		if !c.stale {
			next = c.tmplTab[bucket]
			c.tmplTab[bucket] = defOff
		}
		c.u32(next)
		c.data = append(c.data, t.guid[:]...)
		sizeAt := c.pos()
		c.u32(0)
		c.data = append(c.data, 0x0f, 0x01, 0x01, 0x00)
		if err := c.encodeElement(t.root); err != nil {
			return err
		}
		c.u8(0x00) // end of stream
		c.patch32(sizeAt, c.pos()-sizeAt-4)
	}
	if c.tooBig() {
		return errChunkFull
	}
	// Substitution array: descriptors first, then values; sizes of nested
	// fragments are known only after encoding them in place.
	c.u32(uint32(len(in.Values)))
	descAt := c.pos()
	for range in.Values {
		c.u32(0)
	}
	for i, v := range in.Values {
		begin := c.pos()
		if v.Type == TypeBinXML {
			if v.inst == nil {
				return errors.New("evtxwrite: BinXML value without instance")
			}
			c.data = append(c.data, 0x0f, 0x01, 0x01, 0x00)
			if err := c.encodeInstance(*v.inst); err != nil {
				return err
			}
		} else {
			c.data = append(c.data, v.data...)
		}
		n := c.pos() - begin
		if n > 0xffff {
			return fmt.Errorf("evtxwrite: value %d is %d bytes, more than 65535", i, n)
		}
		at := descAt + uint32(4*i)
		binary.LittleEndian.PutUint16(c.data[at:], uint16(n))
		c.data[at+2] = byte(v.Type)
		c.data[at+3] = 0
		if c.tooBig() {
			return errChunkFull
		}
	}
	return nil
}

// encodeName writes a name reference, and the name node itself when the name
// is new in this chunk (it then immediately follows the reference).
func (c *chunk) encodeName(name string) {
	if off, ok := c.names[name]; ok {
		c.u32(off)
		return
	}
	off := c.pos() + 4
	c.u32(off)
	c.names[name] = off
	c.added = append(c.added, name)
	u := utf16.Encode([]rune(name))
	h := NameHash(name)
	next := uint32(0)
	if !c.stale {
		b := h % stringBuckets
		next = c.strTab[b]
		c.strTab[b] = off
	}
	c.u32(next)
	c.u16(h)
	c.u16(uint16(len(u)))
	for _, r := range u {
		c.u16(r)
	}
	c.u16(0)
}

// NameHash is the 16-bit hash stored with each name in a chunk's string
// table: h = h*65599 + code unit over the UTF-16 code units, low 16 bits.
// The bucket of a name is NameHash % 64.
func NameHash(name string) uint16 {
	var h uint32
	for _, r := range utf16.Encode([]rune(name)) {
		h = h*65599 + uint32(r)
	}
	return uint16(h)
}

func (c *chunk) encodeElement(e *Element) error {
	if c.tooBig() {
		return errChunkFull
	}
	if len(e.Attrs) > 0 {
		c.u8(0x41)
	} else {
		c.u8(0x01)
	}
	c.u16(0xffff) // dependency identifier: not set
	sizeAt := c.pos()
	c.u32(0)
	c.encodeName(e.Name)
	if len(e.Attrs) > 0 {
		listAt := c.pos()
		c.u32(0)
		for i, a := range e.Attrs {
			if i < len(e.Attrs)-1 {
				c.u8(0x46)
			} else {
				c.u8(0x06)
			}
			c.encodeName(a.Name)
			if err := c.encodeContent(a.Value, true); err != nil {
				return err
			}
		}
		c.patch32(listAt, c.pos()-listAt-4)
	}
	if len(e.Children) == 0 {
		c.u8(0x03)
	} else {
		c.u8(0x02)
		for _, ch := range e.Children {
			if err := c.encodeContent(ch, false); err != nil {
				return err
			}
		}
		c.u8(0x04)
	}
	c.patch32(sizeAt, c.pos()-sizeAt-4)
	return nil
}

func (c *chunk) encodeContent(n Node, inAttr bool) error {
	switch v := n.(type) {
	case *Element:
		if inAttr {
			return errors.New("evtxwrite: element inside attribute")
		}
		return c.encodeElement(v)
	case Text:
		u := utf16.Encode([]rune(string(v)))
		if len(u) > 0xffff {
			return errors.New("evtxwrite: text longer than 65535 code units")
		}
		c.u8(0x05)
		c.u8(byte(TypeString))
		c.u16(uint16(len(u)))
		for _, r := range u {
			c.u16(r)
		}
	case Sub:
		if v.Optional {
			c.u8(0x0e)
		} else {
			c.u8(0x0d)
		}
		c.u16(v.Index)
		c.u8(byte(v.Type))
	default:
		return fmt.Errorf("evtxwrite: unknown template node %T", n)
	}
	return nil
}

// finish returns the 64 KiB chunk with its header and checksums.
func (c *chunk) finish() []byte {
	b := make([]byte, ChunkSize)
	copy(b, c.data)
	copy(b[0:8], "ElfChnk\x00")
	binary.LittleEndian.PutUint64(b[8:], c.firstID)
	binary.LittleEndian.PutUint64(b[16:], c.lastID)
	binary.LittleEndian.PutUint64(b[24:], c.firstID)
	binary.LittleEndian.PutUint64(b[32:], c.lastID)
	binary.LittleEndian.PutUint32(b[40:], 128)
	binary.LittleEndian.PutUint32(b[44:], c.lastRecOff)
	binary.LittleEndian.PutUint32(b[48:], c.free)
	binary.LittleEndian.PutUint32(b[52:], crc32.ChecksumIEEE(b[ChunkHeaderSize:c.free]))
	for i, v := range c.strTab {
		binary.LittleEndian.PutUint32(b[128+4*i:], v)
	}
	for i, v := range c.tmplTab {
		binary.LittleEndian.PutUint32(b[384+4*i:], v)
	}
	binary.LittleEndian.PutUint32(b[124:], ChunkHeaderCRC(b))
	return b
}

// ChunkHeaderCRC computes the chunk header checksum: CRC32 of bytes 0-119 and 128-511.
func ChunkHeaderCRC(chunk []byte) uint32 {
	h := crc32.NewIEEE()
	h.Write(chunk[:120])
	h.Write(chunk[128:ChunkHeaderSize])
	return h.Sum32()
}
