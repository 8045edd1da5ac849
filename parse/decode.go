package parse

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxNesting bounds BinXML values nested inside substitutions.
const maxNesting = 8

// scope is a template instance being rendered: the chunk bytes and the
// instance's substitution values.
type scope struct {
	chunk []byte
	vals  []rawVal
	depth int
}

// decoder renders records of one chunk; it caches the chunk's templates.
type decoder struct {
	chunk []byte
	// shared holds templates compiled in earlier chunks (of any file read
	// by the process), by GUID. The GUID identifies a template's content,
	// and templates are only shared from chunks whose CRC32s verify
	// (intact), so damage cannot leak across chunks. nil disables sharing.
	shared     *templateCache
	intact     bool
	free       int
	templates  map[uint32]*template
	recent     [4]recentTemplate // the last templates returned, in turn
	recentNext int
	records    []recordLoc          // the chunk's records, for templateByID
	byID       map[uint32]uint32    // template id -> inline definition offset, built when first needed
	left       budget               // what the chunk may still spend (limits.go)
	recordLeft int                  // render units the current record may still spend
	nestVals   [maxNesting][]rawVal // value buffers of nested instances, by depth
	strs       map[string]string    // interned System strings (the worker's, kept across chunks)
	vals       map[string]string    // interned System values of other types, by type byte and bytes (the worker's)
	arena      *arena               // where event text and fields are stored (the chunk result's)
	memo       *[memoSlots]memoSet  // System fields' last values (the worker's)
	lastGUID   *memoEntry           // guid's last input (in, heap text) and output (s) (the worker's)
	key        []byte               // vals key being built
	guids      map[string]memoEntry // NormGUID's results, by input (the worker's)
}

// templateCache holds templates compiled from intact chunks, by GUID. One
// cache serves the whole process (every Reader and worker: processTemplates),
// so reading many small files of the same machines compiles each template
// once. Compiled templates are never modified, so they are shared freely.
type templateCache struct {
	mu     sync.RWMutex
	m      map[[16]byte]*template
	weight int // summed template.weight
}

// processTemplates is the process-wide template cache.
var processTemplates = &templateCache{m: make(map[[16]byte]*template)}

// get returns the template of the given GUID.
func (c *templateCache) get(guid [16]byte) (*template, bool) {
	c.mu.RLock()
	t, ok := c.m[guid]
	c.mu.RUnlock()
	return t, ok
}

// add keeps t, emptying the cache first when it is full.
func (c *templateCache) add(guid [16]byte, t *template) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxSharedTemplates || c.weight+t.weight > maxSharedWeight {
		clear(c.m)
		c.weight = 0
	}
	c.m[guid] = t
	c.weight += t.weight
}

// templateByID finds an inline template definition in the chunk's records
// (live and stale) by template id. A record copied from another chunk
// (slack, damage) points at a definition that is gone; the template may
// still be inline in another record of this chunk.
func (d *decoder) templateByID(id uint32) (uint32, bool) {
	if d.byID == nil {
		d.byID = make(map[uint32]uint32)
		for _, loc := range d.records {
			if loc.bad == "" {
				d.learnInline(loc.off+recordHeaderLen, loc.off+loc.size-4, 0)
			}
		}
	}
	off, ok := d.byID[id]
	return off, ok
}

// learnInline records the inline template definitions of the instance at
// p..end and of the BinXML values nested in it.
func (d *decoder) learnInline(p, end, depth int) {
	in, reason := readInstance(d.chunk, p, end, nil)
	if reason != "" {
		return
	}
	if _, dup := d.byID[in.id]; in.inline && !dup {
		d.byID[in.id] = in.defOff
	}
	if depth < maxNesting {
		for _, v := range in.vals {
			if v.typ == valBinXML {
				d.learnInline(v.off, v.off+v.size, depth+1)
			}
		}
	}
}

// template returns the compiled template whose definition data is at defOff.
// The last few are looked up first (a record's template and its payload's
// template repeat from record to record).
func (d *decoder) template(defOff uint32) *template {
	for _, r := range d.recent {
		if r.t != nil && r.off == defOff {
			return r.t
		}
	}
	t := d.lookupTemplate(defOff)
	d.recent[d.recentNext] = recentTemplate{off: defOff, t: t}
	d.recentNext = (d.recentNext + 1) % len(d.recent)
	return t
}

// recentTemplate is a template decoder.template returned, by offset.
type recentTemplate struct {
	off uint32
	t   *template
}

// lookupTemplate finds or compiles the template at defOff.
func (d *decoder) lookupTemplate(defOff uint32) *template {
	if t, ok := d.templates[defOff]; ok {
		return t
	}
	var guid [16]byte
	share := d.shared != nil && d.intact && int(defOff) < d.free && int(defOff)+20 <= len(d.chunk)
	if share {
		copy(guid[:], d.chunk[defOff+4:])
		if t, ok := d.shared.get(guid); ok {
			d.templates[defOff] = t
			return t
		}
	}
	t := compileTemplate(d.chunk, defOff, &d.left)
	if t.misfit != "" && t.err == "" && !d.sizeFieldDamaged(defOff) {
		t.err = t.misfit
	}
	d.templates[defOff] = t
	if share && t.err == "" {
		d.shared.add(guid, t)
	}
	return t
}

// sizeFieldDamaged reports whether the declared size of the template
// definition at defOff is what is damaged when its BinXML parses to an EOF
// token elsewhere: the instance holding the definition inline (in a record
// of the chunk) does not frame with that size, while the records that only
// point at the definition decode from its intact BinXML. When the declared
// size frames its instance (or no instance holds the definition), the
// BinXML is what is damaged.
func (d *decoder) sizeFieldDamaged(defOff uint32) bool {
	p := int(defOff) - 10 // template instance token, template id, definition offset
	if p < chunkHeaderSize || d.chunk[p] != tokTemplateInstance {
		return false
	}
	for _, loc := range d.records {
		if loc.bad == "" && loc.off < p && p < loc.off+loc.size {
			in, reason := readInstance(d.chunk, p, loc.off+loc.size-4, nil)
			return in.inline && in.defOff == defOff && reason != ""
		}
	}
	return false
}

// value returns substitution i of sc.
func (sc *scope) value(i int) (rawVal, []byte, error) {
	if i < 0 || i >= len(sc.vals) {
		return rawVal{}, nil, fmt.Errorf("substitution %d out of range (%d values)", i, len(sc.vals))
	}
	v := sc.vals[i]
	return v, sc.chunk[v.off : v.off+v.size], nil
}

// text renders pieces as text, charging the record's render budget as it
// goes. Nested BinXML renders as "". The text is stored in the arena.
func (d *decoder) text(sc *scope, ps []piece) (string, error) {
	if len(ps) == 1 && ps[0].sub < 0 {
		return ps[0].text, d.charge(len(ps[0].text) + 1)
	}
	// Rendered straight into the arena, with room for the usual sizes
	// (text as UTF-8 from UTF-16, hex): more only moves the block.
	need := 0
	for _, p := range ps {
		if p.sub < 0 {
			need += len(p.text)
		} else if p.sub < len(sc.vals) {
			need += 2*sc.vals[p.sub].size + 32
		}
	}
	d.arena.reserve(need)
	b := d.arena.tail()
	start := len(b)
	for _, p := range ps {
		n := len(b)
		var err error
		b, err = sc.appendPiece(b, p)
		if err == nil {
			err = d.charge(len(b) - n + 1)
		}
		if err != nil {
			d.arena.end(b[:start], start)
			return "", err
		}
	}
	return d.arena.end(b, start), nil
}

// piece renders one piece: static text or a substitution value.
func (sc *scope) piece(p piece) (string, error) {
	if p.sub < 0 {
		return p.text, nil
	}
	var tmp [asciiStack]byte
	b, err := sc.appendPiece(tmp[:0], p)
	return string(b), err
}

// appendPiece appends the text of one piece to dst.
func (sc *scope) appendPiece(dst []byte, p piece) ([]byte, error) {
	if p.sub < 0 {
		return append(dst, p.text...), nil
	}
	v, b, err := sc.value(p.sub)
	if err != nil {
		return dst, err
	}
	if v.typ == valBinXML {
		return dst, nil
	}
	dst, ok := appendValue(dst, v.typ, b)
	if !ok {
		return dst, fmt.Errorf("substitution %d: %d bytes do not fit value type 0x%02x", p.sub, len(b), v.typ)
	}
	return dst, nil
}

// nested returns the template instance held by a BinXML substitution value.
func (d *decoder) nested(sc *scope, p piece) (*template, scope, error) {
	v, _, err := sc.value(p.sub)
	if err != nil {
		return nil, scope{}, err
	}
	if sc.depth >= maxNesting {
		return nil, scope{}, fmt.Errorf("BinXML nested deeper than %d levels", maxNesting)
	}
	// The values of nested instances reuse one buffer per depth: instances
	// at one depth are rendered one after another.
	in, reason := readInstance(sc.chunk, v.off, v.off+v.size, d.nestVals[sc.depth])
	d.nestVals[sc.depth] = in.vals[:0]
	var t *template
	switch reason {
	case "":
		off, ok := in.defOff, !in.moved
		if !ok {
			off, ok = d.templateByID(in.id)
		}
		if !ok {
			return nil, scope{}, fmt.Errorf("nested BinXML in substitution %d: template definition at chunk offset %d is not template 0x%08x (overwritten)", p.sub, in.defOff, in.id)
		}
		t = d.template(off)
	case notTemplate:
		t = compileRaw(sc.chunk, v.off, v.off+v.size, &d.left)
	default:
		return nil, scope{}, fmt.Errorf("nested BinXML in substitution %d: %s", p.sub, reason)
	}
	if t.err != "" {
		return nil, scope{}, fmt.Errorf("nested BinXML in substitution %d: %s", p.sub, t.err)
	}
	if reason := t.check(in.vals); reason != "" {
		return nil, scope{}, fmt.Errorf("nested BinXML in substitution %d: %s", p.sub, reason)
	}
	if err := d.charge(t.nodes); err != nil {
		return nil, scope{}, err
	}
	return t, scope{chunk: sc.chunk, vals: in.vals, depth: sc.depth + 1}, nil
}

// isNested reports whether piece p is a BinXML substitution value.
func (sc *scope) isNested(p piece) bool {
	return p.sub >= 0 && p.sub < len(sc.vals) && sc.vals[p.sub].typ == valBinXML
}

// nestedOrMissing reports whether piece p is a BinXML substitution value or
// a substitution the instance does not have. Element content is walked for
// nested fragments; a missing one (a damaged index in the template) must
// fail through nested, not be skipped as if it were text.
func (sc *scope) nestedOrMissing(p piece) bool {
	return p.sub >= len(sc.vals) || sc.isNested(p)
}

// decodeEvent renders a record's template instance into ev, within the
// record's and the chunk's render limits.
func (d *decoder) decodeEvent(ev *Event, t *template, sc *scope) error {
	d.recordLeft = recordRender
	if err := d.charge(t.nodes); err != nil {
		return err
	}
	d.arena.startRecord()
	err := d.decodeElement(ev, t.root, sc)
	ev.Data = d.arena.recordFields()
	return err
}

// decodeElement renders the children of the Event element; a payload held
// as nested BinXML in its content (the usual layout: a shared System template
// with EventData or UserData in a substitution) is rendered in place.
func (d *decoder) decodeElement(ev *Event, root *xnode, sc *scope) error {
	for _, p := range root.content {
		if !sc.nestedOrMissing(p) {
			continue
		}
		t, nsc, err := d.nested(sc, p)
		if err == nil {
			err = d.decodeKid(ev, t.root, &nsc)
		}
		if err != nil {
			if !ev.Recovered {
				return err
			}
			// Stale records often outlive their payload template: keep
			// the System part and say what is missing.
			ev.Partial = "payload not decoded: " + err.Error()
		}
	}
	for _, k := range root.kids {
		if err := d.decodeKid(ev, k, sc); err != nil {
			return err
		}
	}
	return nil
}

// decodeKid renders one child of the Event element.
func (d *decoder) decodeKid(ev *Event, k *xnode, sc *scope) error {
	var err error
	switch k.role {
	case roleSystem:
		err = d.system(ev, k, sc)
	case roleEventData:
		err = d.eventData(ev, k, sc)
	case roleUserData:
		err = d.flattenKids(ev, k, sc)
	default:
		// RenderingInfo and the like are not part of the payload.
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", k.name, err)
	}
	return nil
}

// number reads an integer System field. A single integer substitution is
// read from its bytes; anything else is rendered and parsed (a value that
// does not fit bits bits, or is negative, reads as 0 either way).
func (d *decoder) number(sc *scope, ps []piece, bits int) (uint64, error) {
	if len(ps) == 1 && ps[0].sub >= 0 && ps[0].sub < len(sc.vals) {
		v := sc.vals[ps[0].sub]
		if x, ok := rawUint(v.typ, sc.chunk[v.off:v.off+v.size]); ok {
			if err := d.charge(numberCost); err != nil {
				return 0, err
			}
			if bits < 64 && x >= 1<<uint(bits) {
				return 0, nil
			}
			return x, nil
		}
	}
	s, err := d.text(sc, ps)
	if err != nil {
		return 0, err
	}
	return parseUint(s, bits), nil
}

// numberCost is what an integer read from its bytes charges the render
// budget (its text would cost at most this).
const numberCost = 22

// rawUint reads an integer value of type t; a negative one is 0 (its text
// does not parse as unsigned). ok is false for other types or sizes.
func rawUint(t byte, b []byte) (uint64, bool) {
	if n := fixedSize(t); n != 0 && len(b) != n {
		return 0, false
	}
	le := binary.LittleEndian
	var neg bool
	var x uint64
	switch t {
	case valUInt8:
		x = uint64(b[0])
	case valUInt16:
		x = uint64(le.Uint16(b))
	case valUInt32, valHexInt32:
		x = uint64(le.Uint32(b))
	case valUInt64, valHexInt64:
		x = le.Uint64(b)
	case valInt8:
		neg, x = int8(b[0]) < 0, uint64(int8(b[0]))
	case valInt16:
		neg, x = int16(le.Uint16(b)) < 0, uint64(int16(le.Uint16(b)))
	case valInt32:
		neg, x = int32(le.Uint32(b)) < 0, uint64(int32(le.Uint32(b)))
	case valInt64:
		neg, x = int64(le.Uint64(b)) < 0, le.Uint64(b)
	default:
		return 0, false
	}
	if neg {
		return 0, true
	}
	return x, true
}

// str renders a System string field; a substitution is interned, so the
// provider, channel, computer and user names of a log are allocated once.
// The field's last few values are remembered in memo slot m (a byte
// comparison instead of a map lookup when one repeats, as they mostly do).
func (d *decoder) str(sc *scope, ps []piece, m memoSlot) (string, error) {
	if len(ps) == 1 && ps[0].sub >= 0 && ps[0].sub < len(sc.vals) && d.strs != nil {
		v := sc.vals[ps[0].sub]
		b := sc.chunk[v.off : v.off+v.size]
		set := &d.memo[m]
		for i := range set.e {
			if e := &set.e[i]; e.ok && e.typ == v.typ && string(e.raw) == string(b) {
				return e.s, d.charge(len(e.s) + 1)
			}
		}
		s, interned, err := d.strValue(sc, ps, v, b)
		if interned && err == nil {
			e := &set.e[set.next]
			set.next = (set.next + 1) % len(set.e)
			e.ok, e.typ, e.raw, e.s = true, v.typ, append(e.raw[:0], b...), s
		}
		return s, err
	}
	return d.text(sc, ps)
}

// memoSlot is a System field remembered by decoder.str.
type memoSlot uint8

const (
	memoProvider memoSlot = iota
	memoGUID
	memoChannel
	memoComputer
	memoUserID
	memoSlots
)

// memoSet is the last values of a System field, replaced in turn.
type memoSet struct {
	e    [4]memoEntry
	next int
}

// memoEntry is a raw value of a System field and its interned text.
type memoEntry struct {
	ok  bool
	typ byte
	raw []byte
	s   string
	in  string // guid's input
}

// strValue renders the single substitution value v (bytes b) of a System
// string field; interned is true when s came from (or went to) the
// worker's caches, so it may be remembered.
func (d *decoder) strValue(sc *scope, ps []piece, v rawVal, b []byte) (s string, interned bool, err error) {
	{
		switch {
		case len(b) > maxCachedString || v.typ == valBinXML:
		case v.typ == valString:
			s, ok := d.strs[string(b)]
			if !ok {
				if len(d.strs) >= maxCachedStrings {
					clear(d.strs)
				}
				s = utf16String(b)
				d.strs[string(b)] = s
			}
			return s, true, d.charge(len(s) + 1)
		case d.vals != nil:
			d.key = append(append(d.key[:0], v.typ), b...)
			s, ok := d.vals[string(d.key)]
			if !ok {
				t, err := d.text(sc, ps)
				if err != nil {
					return "", false, err
				}
				if len(d.vals) >= maxCachedStrings {
					clear(d.vals)
				}
				s = strings.Clone(t) // t is in the arena, which may be recycled
				d.vals[string(d.key)] = s
				return s, true, nil
			}
			return s, true, d.charge(len(s) + 1)
		}
	}
	s, err = d.text(sc, ps)
	return s, false, err
}

// guid renders a provider GUID upper-case without braces, remembering
// the ones seen (a template's static provider GUID repeats in every record).
func (d *decoder) guid(s string) string {
	if d.guids == nil || len(s) > maxCachedString {
		return NormGUID(s)
	}
	if e := d.lastGUID; e.ok && e.in == s {
		return e.s
	}
	e, ok := d.guids[s]
	if !ok {
		if len(d.guids) >= maxCachedStrings {
			clear(d.guids)
		}
		k := strings.Clone(s) // s may be in the arena, which may be recycled
		e = memoEntry{ok: true, in: k, s: NormGUID(k)}
		d.guids[k] = e
	}
	*d.lastGUID = e
	return e.s
}

// parseUint reads a decimal or 0x-prefixed hexadecimal number that fits in
// bits; anything else (empty, a sign, other characters, out of range) is 0.
// It is strconv.ParseUint with those bases, without the error it allocates.
func parseUint(s string, bits int) uint64 {
	s = strings.TrimSpace(s)
	base := uint64(10)
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		s, base = s[2:], 16
	}
	if s == "" {
		return 0
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d uint64
		switch {
		case '0' <= c && c <= '9':
			d = uint64(c - '0')
		case 'a' <= c && c <= 'f':
			d = uint64(c-'a') + 10
		case 'A' <= c && c <= 'F':
			d = uint64(c-'A') + 10
		default:
			return 0
		}
		if d >= base || v > (math.MaxUint64-d)/base {
			return 0
		}
		v = v*base + d
	}
	if bits < 64 && v>>uint(bits) != 0 {
		return 0
	}
	return v
}

func (d *decoder) system(ev *Event, n *xnode, sc *scope) error {
	for _, k := range n.kids {
		var s string
		var err error
		var x uint64
		switch k.role {
		case roleProvider:
			if k.hasA {
				ev.Provider, err = d.str(sc, k.a, memoProvider)
			}
			switch {
			case err != nil || !k.hasB:
			case k.bStatic:
				ev.ProviderGUID, err = k.bGUID, d.charge(k.bCost)
			default:
				s, err = d.str(sc, k.b, memoGUID)
				ev.ProviderGUID = d.guid(s)
			}
		case roleEventID:
			if x, err = d.number(sc, k.content, 16); err == nil {
				ev.EventID = uint16(x)
				if k.hasA {
					x, err = d.number(sc, k.a, 16)
					ev.Qualifiers = uint16(x)
				}
			}
		case roleVersion:
			x, err = d.number(sc, k.content, 8)
			ev.Version = uint8(x)
		case roleLevel:
			x, err = d.number(sc, k.content, 8)
			ev.Level = uint8(x)
		case roleTask:
			x, err = d.number(sc, k.content, 16)
			ev.Task = uint16(x)
		case roleOpcode:
			x, err = d.number(sc, k.content, 8)
			ev.Opcode = uint8(x)
		case roleKeywords:
			ev.Keywords, err = d.number(sc, k.content, 64)
		case roleTimeCreated:
			err = d.timeCreated(ev, k, sc)
		case roleEventRecordID:
			// Exported logs renumber record headers; Event Viewer shows this one.
			if x, err = d.number(sc, k.content, 64); err == nil && x != 0 {
				ev.RecordID = x
			}
		case roleCorrelation:
			if k.hasA {
				s, err = d.text(sc, k.a)
			}
			ev.ActivityID = NormGUID(s)
		case roleChannel:
			ev.Channel, err = d.str(sc, k.content, memoChannel)
		case roleComputer:
			ev.Computer, err = d.str(sc, k.content, memoComputer)
		case roleSecurity:
			if k.hasA {
				ev.UserID, err = d.str(sc, k.a, memoUserID)
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %w", k.name, err)
		}
	}
	return nil
}

// timeCreated reads TimeCreated/@SystemTime; a FILETIME substitution keeps
// its full 100 ns precision. Without one the record header's time stays.
func (d *decoder) timeCreated(ev *Event, k *xnode, sc *scope) error {
	a := k.a
	if !k.hasA || len(a) == 0 {
		return nil
	}
	if len(a) == 1 && a[0].sub >= 0 {
		v, b, err := sc.value(a[0].sub)
		if err != nil {
			return err
		}
		switch {
		case v.typ == valFileTime && len(b) == 8:
			ev.TimeCreated = filetime(binary.LittleEndian.Uint64(b))
			return nil
		case v.typ == valSysTime && len(b) == 16:
			ev.TimeCreated = systime(b)
			return nil
		}
	}
	s, err := d.text(sc, a)
	if err != nil {
		return err
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		ev.TimeCreated = t.UTC()
	}
	return nil
}

// eventData flattens EventData: <Data Name="x"> become fields named x,
// unnamed <Data> become "Data" (one) or "Data1".."DataN", <Binary> fills
// Event.Binary, anything else is flattened like UserData.
func (d *decoder) eventData(ev *Event, n *xnode, sc *scope) error {
	first := len(d.arena.recordFields())
	unnamed := 0
	if err := d.flattenNested(ev, n, sc); err != nil {
		return err
	}
	for _, k := range n.kids {
		switch {
		case k.role == roleBinary && len(k.kids) == 0:
			b, err := d.binary(k, sc)
			if err != nil {
				return err
			}
			ev.Binary = b
		case k.role == roleData && len(k.kids) == 0 && !d.hasNested(k, sc):
			name := ""
			if k.hasA {
				var err error
				if name, err = d.text(sc, k.a); err != nil {
					return err
				}
			}
			v, err := d.text(sc, k.content)
			if err != nil {
				return fmt.Errorf("Data %s: %w", name, err)
			}
			if name == "" {
				unnamed++
			}
			if err := d.addField(ev, name, v); err != nil {
				return err
			}
		default:
			if err := d.flattenNode(ev, k, sc); err != nil {
				return err
			}
		}
	}
	if unnamed > 0 {
		i := 0
		fs := d.arena.recordFields()
		for j := first; j < len(fs); j++ {
			if fs[j].Name == "" {
				i++
				if unnamed == 1 {
					fs[j].Name = "Data"
				} else {
					fs[j].Name = unnamedName(i)
				}
			}
		}
	}
	return nil
}

// binary returns the bytes of a <Binary> element.
func (d *decoder) binary(k *xnode, sc *scope) ([]byte, error) {
	if len(k.content) == 1 && k.content[0].sub >= 0 {
		v, b, err := sc.value(k.content[0].sub)
		if err != nil {
			return nil, err
		}
		if v.typ == valBinary {
			if len(b) == 0 {
				return nil, nil
			}
			if err := d.charge(len(b)); err != nil {
				return nil, err
			}
			return d.arena.copy(b), nil
		}
	}
	s, err := d.text(sc, k.content)
	if err != nil || s == "" {
		return nil, err
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return []byte(s), nil
	}
	return b, nil
}

func (d *decoder) hasNested(k *xnode, sc *scope) bool {
	for _, p := range k.content {
		if sc.isNested(p) {
			return true
		}
	}
	return false
}

// flattenNested flattens the nested BinXML fragments among n's content
// (payloads stored as a BinXML substitution) into fields.
func (d *decoder) flattenNested(ev *Event, n *xnode, sc *scope) error {
	for _, p := range n.content {
		if sc.nestedOrMissing(p) {
			t, nsc, err := d.nested(sc, p)
			if err != nil {
				return err
			}
			if err := d.flattenNode(ev, t.root, &nsc); err != nil {
				return err
			}
		}
	}
	return nil
}

// flattenKids flattens the content and children of n into fields.
func (d *decoder) flattenKids(ev *Event, n *xnode, sc *scope) error {
	if err := d.flattenNested(ev, n, sc); err != nil {
		return err
	}
	for _, k := range n.kids {
		if err := d.flattenNode(ev, k, sc); err != nil {
			return err
		}
	}
	return nil
}

// flattenNode adds a leaf element as one field (named by its Name attribute
// for <Data Name=...>, else by its element name); inner elements recurse.
func (d *decoder) flattenNode(ev *Event, n *xnode, sc *scope) error {
	if len(n.kids) > 0 || d.hasNested(n, sc) {
		return d.flattenKids(ev, n, sc)
	}
	name := n.name
	if n.role == roleData && n.hasA {
		s, err := d.text(sc, n.a)
		if err != nil {
			return err
		}
		name = s
	}
	v, err := d.text(sc, n.content)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return d.addField(ev, name, v)
}

// addField appends a payload field, charging fieldCost.
func (d *decoder) addField(ev *Event, name, value string) error {
	if err := d.charge(fieldCost); err != nil {
		return err
	}
	d.arena.addField(Field{Name: name, Value: value})
	return nil
}

// unnamedName is the field name of the i-th unnamed <Data> of a record
// with several: "Data1".."DataN" (the first ones without an allocation).
func unnamedName(i int) string {
	if i < len(unnamedNames) {
		return unnamedNames[i]
	}
	return "Data" + strconv.Itoa(i)
}

var unnamedNames = func() (t [33]string) {
	for i := range t {
		t[i] = "Data" + strconv.Itoa(i)
	}
	return t
}()
