package parse

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
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
	// shared holds templates compiled in earlier chunks, by GUID. The GUID
	// identifies a template's content, and templates are only shared from
	// chunks whose CRC32s verify (intact), so damage cannot leak across
	// chunks. nil disables sharing.
	shared     *templateCache
	intact     bool
	free       int
	templates  map[uint32]*template
	records    []recordLoc       // the chunk's records, for templateByID
	byID       map[uint32]uint32 // template id -> inline definition offset, built when first needed
	left       budget            // what the chunk may still spend (limits.go)
	recordLeft int               // render units the current record may still spend
}

// templateCache is a worker's templates from earlier chunks, by GUID.
type templateCache struct {
	m      map[[16]byte]*template
	weight int // summed template.weight
}

// add keeps t, emptying the cache first when it is full.
func (c *templateCache) add(guid [16]byte, t *template) {
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
func (d *decoder) template(defOff uint32) *template {
	if t, ok := d.templates[defOff]; ok {
		return t
	}
	var guid [16]byte
	share := d.shared != nil && d.intact && int(defOff) < d.free && int(defOff)+20 <= len(d.chunk)
	if share {
		copy(guid[:], d.chunk[defOff+4:])
		if t, ok := d.shared.m[guid]; ok {
			d.templates[defOff] = t
			return t
		}
	}
	t := compileTemplate(d.chunk, defOff, &d.left)
	d.templates[defOff] = t
	if share && t.err == "" {
		d.shared.add(guid, t)
	}
	return t
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
// goes. Nested BinXML renders as "".
func (d *decoder) text(sc *scope, ps []piece) (string, error) {
	if len(ps) == 1 {
		s, err := sc.piece(ps[0])
		if err == nil {
			err = d.charge(len(s) + 1)
		}
		return s, err
	}
	var b strings.Builder
	for _, p := range ps {
		s, err := sc.piece(p)
		if err == nil {
			err = d.charge(len(s) + 1)
		}
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// piece renders one piece: static text or a substitution value.
func (sc *scope) piece(p piece) (string, error) {
	if p.sub < 0 {
		return p.text, nil
	}
	v, b, err := sc.value(p.sub)
	if err != nil {
		return "", err
	}
	if v.typ == valBinXML {
		return "", nil
	}
	s, ok := renderValue(v.typ, b)
	if !ok {
		return "", fmt.Errorf("substitution %d: %d bytes do not fit value type 0x%02x", p.sub, len(b), v.typ)
	}
	return s, nil
}

// nested returns the template instance held by a BinXML substitution value.
func (d *decoder) nested(sc *scope, p piece) (*template, *scope, error) {
	v, _, err := sc.value(p.sub)
	if err != nil {
		return nil, nil, err
	}
	if sc.depth >= maxNesting {
		return nil, nil, fmt.Errorf("BinXML nested deeper than %d levels", maxNesting)
	}
	in, reason := readInstance(sc.chunk, v.off, v.off+v.size, nil)
	var t *template
	switch reason {
	case "":
		off, ok := in.defOff, !in.moved
		if !ok {
			off, ok = d.templateByID(in.id)
		}
		if !ok {
			return nil, nil, fmt.Errorf("nested BinXML in substitution %d: template definition at chunk offset %d is not template 0x%08x (overwritten)", p.sub, in.defOff, in.id)
		}
		t = d.template(off)
	case notTemplate:
		t = compileRaw(sc.chunk, v.off, v.off+v.size, &d.left)
	default:
		return nil, nil, fmt.Errorf("nested BinXML in substitution %d: %s", p.sub, reason)
	}
	if t.err != "" {
		return nil, nil, fmt.Errorf("nested BinXML in substitution %d: %s", p.sub, t.err)
	}
	if err := d.charge(t.nodes); err != nil {
		return nil, nil, err
	}
	return t, &scope{chunk: sc.chunk, vals: in.vals, depth: sc.depth + 1}, nil
}

// isNested reports whether piece p is a BinXML substitution value.
func (sc *scope) isNested(p piece) bool {
	return p.sub >= 0 && p.sub < len(sc.vals) && sc.vals[p.sub].typ == valBinXML
}

// decodeEvent renders a record's template instance into ev, within the
// record's and the chunk's render limits.
func (d *decoder) decodeEvent(ev *Event, t *template, sc *scope) error {
	d.recordLeft = recordRender
	if err := d.charge(t.nodes); err != nil {
		return err
	}
	return d.decodeElement(ev, t.root, sc)
}

// decodeElement renders the children of the Event element; a payload held
// as nested BinXML in its content (the usual layout: a shared System template
// with EventData or UserData in a substitution) is rendered in place.
func (d *decoder) decodeElement(ev *Event, root *xnode, sc *scope) error {
	for _, p := range root.content {
		if !sc.isNested(p) {
			continue
		}
		t, nsc, err := d.nested(sc, p)
		if err == nil {
			err = d.decodeElement(ev, &xnode{kids: []*xnode{t.root}}, nsc)
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
		var err error
		switch k.name {
		case "System":
			err = d.system(ev, k, sc)
		case "EventData":
			err = d.eventData(ev, k, sc)
		case "UserData":
			err = d.flattenKids(ev, k, sc)
		default:
			// RenderingInfo and the like are not part of the payload.
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", k.name, err)
		}
	}
	return nil
}

func parseUint(s string, bits int) uint64 {
	s = strings.TrimSpace(s)
	var v uint64
	var err error
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		v, err = strconv.ParseUint(s[2:], 16, bits)
	} else {
		v, err = strconv.ParseUint(s, 10, bits)
	}
	if err != nil {
		return 0
	}
	return v
}

func (d *decoder) system(ev *Event, n *xnode, sc *scope) error {
	attr := func(k *xnode, name string) (string, error) {
		a, ok := k.attr(name)
		if !ok {
			return "", nil
		}
		return d.text(sc, a)
	}
	for _, k := range n.kids {
		var s string
		var err error
		switch k.name {
		case "Provider":
			if ev.Provider, err = attr(k, "Name"); err == nil {
				s, err = attr(k, "Guid")
				ev.ProviderGUID = NormGUID(s)
			}
		case "EventID":
			if s, err = d.text(sc, k.content); err == nil {
				ev.EventID = uint16(parseUint(s, 16))
				s, err = attr(k, "Qualifiers")
				ev.Qualifiers = uint16(parseUint(s, 16))
			}
		case "Version", "Level", "Task", "Opcode", "Keywords":
			if s, err = d.text(sc, k.content); err == nil {
				switch k.name {
				case "Version":
					ev.Version = uint8(parseUint(s, 8))
				case "Level":
					ev.Level = uint8(parseUint(s, 8))
				case "Task":
					ev.Task = uint16(parseUint(s, 16))
				case "Opcode":
					ev.Opcode = uint8(parseUint(s, 8))
				case "Keywords":
					ev.Keywords = parseUint(s, 64)
				}
			}
		case "TimeCreated":
			err = d.timeCreated(ev, k, sc)
		case "EventRecordID":
			// Exported logs renumber record headers; Event Viewer shows this one.
			if s, err = d.text(sc, k.content); err == nil {
				if id := parseUint(s, 64); id != 0 {
					ev.RecordID = id
				}
			}
		case "Correlation":
			s, err = attr(k, "ActivityID")
			ev.ActivityID = NormGUID(s)
		case "Channel":
			ev.Channel, err = d.text(sc, k.content)
		case "Computer":
			ev.Computer, err = d.text(sc, k.content)
		case "Security":
			ev.UserID, err = attr(k, "UserID")
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
	a, ok := k.attr("SystemTime")
	if !ok || len(a) == 0 {
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
	first := len(ev.Data)
	unnamed := 0
	if err := d.flattenNested(ev, n, sc); err != nil {
		return err
	}
	for _, k := range n.kids {
		switch {
		case k.name == "Binary" && len(k.kids) == 0:
			b, err := d.binary(k, sc)
			if err != nil {
				return err
			}
			ev.Binary = b
		case k.name == "Data" && len(k.kids) == 0 && !d.hasNested(k, sc):
			name := ""
			if a, ok := k.attr("Name"); ok {
				var err error
				if name, err = d.text(sc, a); err != nil {
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
		for j := first; j < len(ev.Data); j++ {
			if ev.Data[j].Name == "" {
				i++
				if unnamed == 1 {
					ev.Data[j].Name = "Data"
				} else {
					ev.Data[j].Name = "Data" + strconv.Itoa(i)
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
			return append([]byte(nil), b...), nil
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
		if sc.isNested(p) {
			t, nsc, err := d.nested(sc, p)
			if err != nil {
				return err
			}
			if err := d.flattenNode(ev, t.root, nsc); err != nil {
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
	if a, ok := n.attr("Name"); ok && n.name == "Data" {
		s, err := d.text(sc, a)
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
	ev.Data = append(ev.Data, Field{Name: name, Value: value})
	return nil
}
