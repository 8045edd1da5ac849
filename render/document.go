package render

import "bitsdiag/analyze"

// The intermediate document: a flat list of blocks that the Markdown and PDF
// writers both walk, so both formats show the same content in the same order.

// spanKind says how a piece of inline text is treated.
type spanKind int

const (
	spanText  spanKind = iota // untrusted text from logs: escaped / sanitised
	spanBold                  // untrusted text shown in bold (labels, names)
	spanProse                 // trusted knowledge-base prose (Markdown-ish: `code`, **bold**)
	spanCode                  // untrusted text shown in a monospace font
	spanLink                  // internal link: text pointing at anchor
)

// span is one piece of inline text.
type span struct {
	kind   spanKind
	text   string
	anchor string // spanLink only
}

func txt(s string) span   { return span{kind: spanText, text: s} }
func bold(s string) span  { return span{kind: spanBold, text: s} }
func prose(s string) span { return span{kind: spanProse, text: s} }
func code(s string) span  { return span{kind: spanCode, text: s} }

// block is one element of the document.
type block interface{ isBlock() }

// heading starts a section. Level 1 is the title, 2 a section, 3 a
// sub-section (both in the PDF outline), 4 a label inside a section.
type heading struct {
	level  int
	text   string // untrusted
	anchor string // target of internal links, "" for none
}

// para is a paragraph.
type para struct {
	spans  []span
	italic bool
}

// field is one "Key: value" line; keys are trusted.
type field struct {
	key   string
	value []span
}

// fields is a list of key/value lines.
type fields struct{ items []field }

// bullets is an unnumbered list.
type bullets struct{ items [][]span }

// steps is a numbered list of instructions from the knowledge base; their
// commands are shown in code blocks.
type steps struct{ items []analyze.Step }

// column describes a table column.
type column struct {
	title string // trusted
	max   int    // runes shown in a cell before shortening with "…" (0: no limit)
	right bool   // right-aligned (numbers)
	mono  bool   // monospace in the PDF (codes, hashes)
	keep  bool   // kept on one line in the PDF where possible (times)
	whole bool   // in the PDF, as wide as its longest code or word needs (up to half the page), never cut
}

// cell is one table cell; text is untrusted.
type cell struct {
	text   string
	code   string // shown after text (": " between) as code: a URL or identifier
	anchor string // internal link target, "" for none
}

// plain is the cell's whole text, for formats without code spans in cells.
func (c cell) plain() string {
	switch {
	case c.code == "":
		return c.text
	case c.text == "":
		return c.code
	}
	return c.text + ": " + c.code
}

// table is a table with a header row.
type table struct {
	cols     []column
	rows     [][]cell
	sortable bool // the HTML report lets the reader sort it by a column
}

// chart is the failures-over-time histogram.
type chart struct{ h *histogram }

func (heading) isBlock() {}
func (para) isBlock()    {}
func (fields) isBlock()  {}
func (bullets) isBlock() {}
func (steps) isBlock()   {}
func (table) isBlock()   {}
func (chart) isBlock()   {}

// document is a whole report.
type document struct {
	title  string // plain title (untrusted), also the PDF metadata title
	blocks []block
}

func (d *document) add(b ...block) { d.blocks = append(d.blocks, b...) }
