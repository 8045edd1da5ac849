package parse

import (
	"encoding/binary"
	"fmt"
	"io"
	"strings"

	"github.com/0xrawsec/golang-evtx/evtx"
)

// BinXML tokens read directly (the rest is left to golang-evtx).
const (
	tokFragmentHeader   = 0x0f
	tokTemplateInstance = 0x0c
)

// rawVal is one value of a template instance's substitution array.
type rawVal struct {
	typ  byte
	off  int // chunk-relative offset of the value bytes
	size int
}

// instance is a template instance read straight from its bytes.
type instance struct {
	id     uint32   // template id: the first four bytes of the definition's GUID
	defOff uint32   // chunk-relative offset of the template definition data
	inline bool     // the definition is inside this instance
	moved  bool     // no definition of template id at defOff (overwritten slack data)
	vals   []rawVal // substitution values, in index order
}

// readInstance reads the template instance of a BinXML fragment that starts at
// p and must end before end (both chunk-relative): fragment header, template
// instance header (skipping an inline definition), value descriptors and the
// values' positions. vals is reused. ok is false when the fragment is not a
// template instance or is malformed.
func readInstance(chunk []byte, p, end int, vals []rawVal) (in instance, reason string) {
	in.vals = vals[:0]
	if end > len(chunk) {
		end = len(chunk)
	}
	if p < end && chunk[p] == tokFragmentHeader {
		p += 4
	}
	if p >= end {
		return in, "empty BinXML"
	}
	if chunk[p] != tokTemplateInstance {
		return in, notTemplate
	}
	if p+10 > end {
		return in, "template instance cut"
	}
	in.id = binary.LittleEndian.Uint32(chunk[p+2:])
	in.defOff = binary.LittleEndian.Uint32(chunk[p+6:])
	p += 10
	if int(in.defOff) == p { // inline definition: next offset, GUID, size, body
		in.inline = true
		if p+24 > end {
			return in, "inline template definition cut"
		}
		p += 24 + int(binary.LittleEndian.Uint32(chunk[p+20:]))
		if p < 0 || p+4 > end {
			return in, "inline template definition overruns the record"
		}
	} else if int(in.defOff) < chunkHeaderSize || int(in.defOff)+24 > len(chunk) {
		return in, fmt.Sprintf("template definition offset %d outside the chunk", in.defOff)
	}
	in.moved = binary.LittleEndian.Uint32(chunk[in.defOff+4:]) != in.id
	if p+4 > end {
		return in, "substitution array cut"
	}
	n := int(binary.LittleEndian.Uint32(chunk[p:]))
	p += 4
	if n < 0 || n > (end-p)/4 {
		return in, fmt.Sprintf("substitution count %d does not fit in the record", n)
	}
	v := p + 4*n
	for i := 0; i < n; i++ {
		d := chunk[p+4*i:]
		size := int(binary.LittleEndian.Uint16(d))
		if v+size > end {
			return in, fmt.Sprintf("substitution %d overruns the record", i)
		}
		in.vals = append(in.vals, rawVal{typ: d[2], off: v, size: size})
		v += size
	}
	return in, ""
}

// notTemplate is readInstance's reason for BinXML that is a plain element
// tree rather than a template instance.
const notTemplate = "BinXML is not a template instance"

// piece is one part of an attribute value or element content: static text or
// a substitution.
type piece struct {
	text string
	sub  int // substitution index; -1 for static text
}

// xattr is a compiled attribute.
type xattr struct {
	name string
	val  []piece
}

// xnode is a compiled element of a template definition.
type xnode struct {
	name    string
	attrs   []xattr
	content []piece
	kids    []*xnode
	// role is what the decoder does with an element of this name, and a
	// (when hasA) the pieces of the attribute it reads (roleAttr): both
	// found once when the template is compiled, not in every record.
	role role
	hasA bool
	a    []piece
	// b is Provider's Guid attribute (when hasB); when it is static text,
	// bGUID is that text normalised (NormGUID) and bCost what rendering it
	// charges the record's budget.
	hasB, bStatic bool
	b             []piece
	bGUID         string
	bCost         int
}

// role is an element the decoder knows by name.
type role uint8

const (
	roleOther role = iota
	roleSystem
	roleEventData
	roleUserData
	roleProvider // a: Name, b: Guid
	roleEventID  // a: Qualifiers
	roleVersion
	roleLevel
	roleTask
	roleOpcode
	roleKeywords
	roleTimeCreated // a: SystemTime
	roleEventRecordID
	roleCorrelation // a: ActivityID
	roleChannel
	roleComputer
	roleSecurity // a: UserID
	roleData     // a: Name
	roleBinary
)

// roles maps element names to roles, and roleAttr the attribute a role reads.
var (
	roles = map[string]role{"System": roleSystem, "EventData": roleEventData, "UserData": roleUserData,
		"Provider": roleProvider, "EventID": roleEventID, "Version": roleVersion, "Level": roleLevel,
		"Task": roleTask, "Opcode": roleOpcode, "Keywords": roleKeywords, "TimeCreated": roleTimeCreated,
		"EventRecordID": roleEventRecordID, "Correlation": roleCorrelation, "Channel": roleChannel,
		"Computer": roleComputer, "Security": roleSecurity, "Data": roleData, "Binary": roleBinary}
	roleAttr = map[role]string{roleProvider: "Name", roleEventID: "Qualifiers", roleTimeCreated: "SystemTime",
		roleCorrelation: "ActivityID", roleSecurity: "UserID", roleData: "Name"}
)

// setRole fills n's role and attribute pieces from its name and attributes.
func (n *xnode) setRole() {
	n.role = roles[n.name]
	if name, ok := roleAttr[n.role]; ok {
		n.a, n.hasA = n.attr(name)
	}
	if n.role == roleProvider {
		n.b, n.hasB = n.attr("Guid")
		if src := sourceOf(n.b); n.hasB && src.known && src.sub < 0 {
			n.bStatic, n.bGUID = true, NormGUID(src.text)
			for _, p := range n.b {
				n.bCost += len(p.text) + 1
			}
		}
	}
}

// attr returns the pieces of the attribute called name.
func (n *xnode) attr(name string) ([]piece, bool) {
	for i := range n.attrs {
		if n.attrs[i].name == name {
			return n.attrs[i].val, true
		}
	}
	return nil, false
}

// size counts the elements, attributes and pieces of the tree at n.
func (n *xnode) size() int {
	s := 1 + len(n.content)
	for _, a := range n.attrs {
		s += 1 + len(a.val)
	}
	for _, k := range n.kids {
		s += k.size()
	}
	return s
}

// kid returns the first child element called name.
func (n *xnode) kid(name string) *xnode {
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// source says where a Peek field comes from: static text or a substitution.
type source struct {
	known bool
	text  string
	sub   int // -1: static text
}

func sourceOf(p []piece) source {
	switch {
	case len(p) == 1:
		return source{known: true, text: p[0].text, sub: p[0].sub}
	case len(p) == 0:
		return source{known: true, sub: -1}
	}
	var b strings.Builder
	for _, x := range p {
		if x.sub >= 0 {
			return source{}
		}
		b.WriteString(x.text)
	}
	return source{known: true, text: b.String(), sub: -1}
}

// template is what the reader learnt from one template definition: the
// compiled element tree (for full decoding) and where the fields the
// pre-filter needs live.
type template struct {
	root     *xnode // the Event element
	err      string // non-empty: the definition could not be decoded
	provider source
	eventID  source
	channel  source
	data     map[string]source // EventData <Data Name=...>
	binary   source
	payload  int    // substitution holding the payload as nested BinXML (Event content); -1: none
	nodes    int    // elements, attributes and pieces: the render units one walk costs
	weight   int    // compile cost, bounding the memory a worker's template cache holds
	refs     subSet // the substitution indices the tree references
	misfit   string // non-empty: the BinXML does not end at the declared size (decoder.template decides)
}

// subSet is a set of substitution indices (uint16 in BinXML).
type subSet []uint64

func (s *subSet) add(i int) {
	for len(*s) <= i/64 {
		*s = append(*s, 0)
	}
	(*s)[i/64] |= 1 << uint(i%64)
}

func (s subSet) has(i int) bool { return i/64 < len(s) && s[i/64]&(1<<uint(i%64)) != 0 }

// markSubs adds the substitution indices the tree at n references to t.refs.
func (t *template) markSubs(n *xnode) {
	mark := func(ps []piece) {
		for _, p := range ps {
			if p.sub >= 0 {
				t.refs.add(p.sub)
			}
		}
	}
	mark(n.content)
	for _, a := range n.attrs {
		mark(a.val)
	}
	for _, k := range n.kids {
		t.markSubs(k)
	}
}

// check says why the values of a template instance cannot fill t, "" when
// they can: a BinXML value that no substitution of the template shows (its
// nested fragment, usually the whole payload, would be dropped) means the
// definition or the instance is damaged. Real logs never have one (none of
// the ~200,000 template instances of the test corpus, live or slack).
// Legitimate differences between a substitution's declared type and its
// value's (NULL for optional values, SizeT written as HexInt64) are common
// and are not checked; a substitution index the instance lacks fails where
// it is rendered.
func (t *template) check(vals []rawVal) string {
	for i := range vals {
		if vals[i].typ == valBinXML && !t.refs.has(i) {
			return fmt.Sprintf("BinXML value %d of the instance is not referenced by its template (damaged template definition?)", i)
		}
	}
	return ""
}

// compileNode converts golang-evtx's element tree into an xnode.
func compileNode(n *evtx.Node) (*xnode, error) {
	x := &xnode{}
	if n.Start != nil {
		x.name = n.Start.Name.String()
		for _, a := range n.Start.AttributeList.Attributes {
			p, err := pieceOf(a.AttributeData)
			if err != nil {
				return nil, fmt.Errorf("attribute %s: %w", a.Name.String(), err)
			}
			x.attrs = append(x.attrs, xattr{name: a.Name.String(), val: p})
		}
	}
	for _, e := range n.Element {
		p, err := pieceOf(e)
		if err != nil {
			return nil, fmt.Errorf("element %s: %w", x.name, err)
		}
		x.content = append(x.content, p...)
	}
	for _, c := range n.Child {
		k, err := compileNode(c)
		if err != nil {
			return nil, err
		}
		x.kids = append(x.kids, k)
	}
	x.setRole()
	return x, nil
}

// pieceOf converts one golang-evtx content element.
func pieceOf(e evtx.Element) ([]piece, error) {
	switch v := e.(type) {
	case nil, evtx.EmptyElement, *evtx.EmptyElement:
		return nil, nil
	case *evtx.ValueText:
		return []piece{{text: v.String(), sub: -1}}, nil
	case *evtx.NormalSubstitution:
		return []piece{{sub: int(uint16(v.SubID))}}, nil
	case *evtx.OptionalSubstitution:
		return []piece{{sub: int(uint16(v.SubID))}}, nil
	case *evtx.CharEntityRef:
		return []piece{{text: string(rune(uint16(v.Value))), sub: -1}}, nil
	case *evtx.BinXMLEntityReference:
		s := v.String()
		if s == "" {
			return nil, fmt.Errorf("unknown entity reference %q", v.Name.String())
		}
		return []piece{{text: s, sub: -1}}, nil
	case *evtx.BinXMLEOF:
		return nil, nil
	}
	return nil, fmt.Errorf("unsupported BinXML element %T", e)
}

// compileTemplate parses the template definition at defOff with golang-evtx and
// learns where its fields are. The parse is charged to left.
func compileTemplate(chunk []byte, defOff uint32, left *budget) (t *template) {
	t = &template{}
	rd := newBudgetReader(chunk, left)
	defer func() {
		t.weight = rd.settle(left)
		if r := recover(); r != nil {
			t.root = nil
			t.err = fmt.Sprintf("template definition at chunk offset %d: golang-evtx panicked: %v", defOff, r)
		}
	}()
	if _, err := rd.Seek(int64(defOff), io.SeekStart); err != nil {
		t.err = err.Error()
		return t
	}
	var td evtx.TemplateDefinitionData
	if err := td.Parse(rd); err != nil {
		t.err = fmt.Sprintf("template definition at chunk offset %d: %v", defOff, err)
		return t
	}
	// The definition's BinXML ends with its EOF token exactly where its
	// declared size says (so in every template instance of the test
	// corpus); a damaged token or length makes the parse stop early or run
	// on into the bytes after the definition, unless the size is what is
	// damaged (decoder.template tells).
	if end, want := rd.Size()-int64(rd.Len()), int64(defOff)+24+int64(uint32(td.Size)); end != want {
		t.misfit = fmt.Sprintf("template definition at chunk offset %d: its BinXML ends at chunk offset %d, its declared size %d says %d (damaged template definition)",
			defOff, end, uint32(td.Size), want)
	}
	return finishTemplate(t, td.Elements)
}

// finishTemplate compiles a definition's elements and fills the pre-filter map.
func finishTemplate(t *template, elements []evtx.Element) *template {
	root, _ := evtx.NodeTree(elements, 0)
	x, err := compileNode(&root)
	if err != nil {
		t.err = err.Error()
		return t
	}
	if len(x.kids) == 0 {
		t.err = "template has no root element"
		return t
	}
	t.root = x.kids[0]
	t.nodes = t.root.size()
	t.markSubs(t.root)
	t.payload = -1
	for _, p := range t.root.content {
		if p.sub >= 0 {
			t.payload = p.sub
			break
		}
	}
	if sys := t.root.kid("System"); sys != nil {
		if p := sys.kid("Provider"); p != nil {
			if a, ok := p.attr("Name"); ok {
				t.provider = sourceOf(a)
			}
		}
		if e := sys.kid("EventID"); e != nil {
			t.eventID = sourceOf(e.content)
		}
		if c := sys.kid("Channel"); c != nil {
			t.channel = sourceOf(c.content)
		}
	}
	ed := t.root.kid("EventData")
	if ed == nil && t.root.name == "EventData" {
		ed = t.root
	}
	if ed != nil {
		t.data = map[string]source{}
		for _, k := range ed.kids {
			switch k.name {
			case "Data":
				if a, ok := k.attr("Name"); ok {
					if n := sourceOf(a); n.known && n.sub < 0 && len(k.kids) == 0 {
						if _, dup := t.data[n.text]; !dup {
							t.data[n.text] = sourceOf(k.content)
						}
					}
				}
			case "Binary":
				if len(k.kids) == 0 {
					t.binary = sourceOf(k.content)
				}
			}
		}
	}
	return t
}

// compileRaw parses BinXML at p..end that is an element tree without a
// template instance (and so without substitutions) with golang-evtx. The
// parse is charged to left.
func compileRaw(chunk []byte, p, end int, left *budget) (t *template) {
	t = &template{}
	if p < end && chunk[p] == tokFragmentHeader {
		p += 4
	}
	rd := newBudgetReader(chunk[:end], left)
	defer func() {
		t.weight = rd.settle(left)
		if r := recover(); r != nil {
			t.root = nil
			t.err = fmt.Sprintf("BinXML element tree: golang-evtx panicked: %v", r)
		}
	}()
	if _, err := rd.Seek(int64(p), io.SeekStart); err != nil {
		t.err = err.Error()
		return t
	}
	var elements []evtx.Element
	for rd.Len() > 0 {
		e, err := evtx.Parse(rd, nil, false)
		if err != nil {
			t.err = fmt.Sprintf("BinXML element tree at chunk offset %d: %v", p, err)
			return t
		}
		if _, ok := e.(*evtx.BinXMLEOF); ok {
			break
		}
		elements = append(elements, e)
	}
	return finishTemplate(t, elements)
}
