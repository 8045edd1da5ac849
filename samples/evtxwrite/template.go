package evtxwrite

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"time"
)

// Node is template content: *Element, Text or Sub.
type Node interface{ isNode() }

// Element is an XML element of a template.
type Element struct {
	Name     string
	Attrs    []Attr
	Children []Node
}

// Attr is an attribute; its value is Text or Sub.
type Attr struct {
	Name  string
	Value Node
}

// Text is literal character data.
type Text string

// Sub is a substitution: the Index-th value of the template instance.
// Optional substitutions (token 0x0E) are left out by readers when the value is Null.
type Sub struct {
	Index    uint16
	Type     ValueType
	Optional bool
}

func (*Element) isNode() {}
func (Text) isNode()     {}
func (Sub) isNode()      {}

// Template is a template definition. Its GUID is derived from its content,
// so equal templates share one definition per chunk.
type Template struct {
	root *Element
	guid [16]byte
	subs int // highest substitution index + 1
}

// NewTemplate returns the template with root as its element.
func NewTemplate(root *Element) (*Template, error) {
	t := &Template{root: root}
	h := sha256.New()
	if err := t.describe(h.Write, root); err != nil {
		return nil, err
	}
	copy(t.guid[:], h.Sum(nil))
	return t, nil
}

// GUID returns the template identifier.
func (t *Template) GUID() [16]byte { return t.guid }

// id is the 32-bit template identifier: the first four GUID bytes.
func (t *Template) id() uint32 { return binary.LittleEndian.Uint32(t.guid[:4]) }

// describe writes a canonical description (for the GUID) and validates the tree.
func (t *Template) describe(w func([]byte) (int, error), n Node) error {
	switch v := n.(type) {
	case *Element:
		if v == nil || v.Name == "" {
			return fmt.Errorf("evtxwrite: element without a name")
		}
		w([]byte("<" + v.Name))
		for _, a := range v.Attrs {
			if a.Name == "" {
				return fmt.Errorf("evtxwrite: attribute without a name in <%s>", v.Name)
			}
			switch a.Value.(type) {
			case Text, Sub:
			default:
				return fmt.Errorf("evtxwrite: attribute %s of <%s> must be Text or Sub", a.Name, v.Name)
			}
			w([]byte(" " + a.Name + "="))
			if err := t.describe(w, a.Value); err != nil {
				return err
			}
		}
		w([]byte(">"))
		for _, c := range v.Children {
			if err := t.describe(w, c); err != nil {
				return err
			}
		}
		w([]byte("</>"))
	case Text:
		w([]byte(fmt.Sprintf("T%d:%s", len(v), string(v))))
	case Sub:
		w([]byte(fmt.Sprintf("S%d/%d/%t", v.Index, v.Type, v.Optional)))
		if int(v.Index)+1 > t.subs {
			t.subs = int(v.Index) + 1
		}
	default:
		return fmt.Errorf("evtxwrite: unknown template node %T", n)
	}
	return nil
}

// Instance is a template instance: a template and its substitution values.
type Instance struct {
	Template *Template
	Values   []Value
}

// Record is one event record.
type Record struct {
	ID      uint64    // event record identifier
	Written time.Time // time the record was written
	Event   Instance
}
