package analyze

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// The on-disk schema of a knowledge-base file (kbdata/*.json and --kb files).
// kbdata/README.md documents it for support engineers.

// kbFile is one knowledge-base file.
type kbFile struct {
	Schema     int         `json:"schema"`
	Comment    string      `json:"comment,omitempty"`
	Procedures []procFile  `json:"procedures,omitempty"`
	Entries    []entryFile `json:"entries,omitempty"`
	Codes      []codeFile  `json:"codes,omitempty"`
	EventRules []ruleFile  `json:"event_rules,omitempty"`
}

// ruleFile says how one event id of a source becomes an occurrence (EventRule).
type ruleFile struct {
	Provider     string   `json:"provider"`
	EventID      uint16   `json:"event_id"`
	Policy       string   `json:"policy"`                  // "code-only", "code-first" or "event-first"
	CodeFields   []string `json:"code_fields,omitempty"`   // payload fields holding the code, first present wins
	PercentCodes bool     `json:"percent_codes,omitempty"` // code fields count only in "%%N" form
	ImpliedCode  string   `json:"implied_code,omitempty"`  // the code the event stands for when it carries none
	Fallback     string   `json:"fallback,omitempty"`      // entry used when no signature names the event
	UnknownCode  bool     `json:"unknown_code,omitempty"`  // a failure code without entry gets a finding of its own
	Scope        string   `json:"scope"`                   // "job", "service" or "wu"
	NoStatus     bool     `json:"no_status,omitempty"`     // recovered/unresolved does not apply
	Timeline     string   `json:"timeline,omitempty"`      // service timeline kind, "" = not on it
	Comment      string   `json:"comment,omitempty"`
}

// procFile is a reusable fix procedure, referenced from steps by "use".
type procFile struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Section     string     `json:"section,omitempty"`
	Comment     string     `json:"comment,omitempty"`
	Steps       []stepFile `json:"steps"`
	Corrections []string   `json:"corrections,omitempty"`
}

// stepFile is a numbered step: text with optional commands, or "use" naming
// a procedure whose steps are inserted here.
type stepFile struct {
	Text     string   `json:"text,omitempty"`
	Commands []string `json:"commands,omitempty"`
	Shell    Shell    `json:"shell,omitempty"`
	Use      string   `json:"use,omitempty"`
}

// entryFile is one entry as written in a file.
type entryFile struct {
	ID          string     `json:"id"`
	Kind        string     `json:"kind"`
	Title       string     `json:"title"`
	Severity    Severity   `json:"severity"`
	Transient   bool       `json:"transient,omitempty"`
	Codes       []string   `json:"codes,omitempty"`
	Events      []EventSig `json:"events,omitempty"`
	Cause       string     `json:"cause"`
	Fix         []stepFile `json:"fix"`
	Verify      []stepFile `json:"verify,omitempty"`
	Section     string     `json:"section,omitempty"`
	ArticleRow  string     `json:"article_row,omitempty"`
	ArticleText string     `json:"article_text,omitempty"`
	Corrections []string   `json:"corrections,omitempty"`
	SeeAlso     []string   `json:"see_also,omitempty"`
	Source      string     `json:"source,omitempty"`
	Comment     string     `json:"comment,omitempty"`

	// Variants are alternative causes and fixes chosen by the evidence.
	Variants []variantFile `json:"variants,omitempty"`
}

// variantFile is an alternative cause and fix of an entry (see Variant).
type variantFile struct {
	Proxy   string     `json:"proxy,omitempty"`
	Owner   string     `json:"owner,omitempty"`
	Windows string     `json:"windows,omitempty"`
	Cause   string     `json:"cause"`
	Fix     []stepFile `json:"fix"`
	Verify  []stepFile `json:"verify,omitempty"`
	Comment string     `json:"comment,omitempty"`
}

// codeFile is one row of a code table.
type codeFile struct {
	Code     string   `json:"code"`
	Name     string   `json:"name,omitempty"`
	Aliases  []string `json:"aliases,omitempty"`
	Category string   `json:"category"`
	Meaning  string   `json:"meaning"`
	Comment  string   `json:"comment,omitempty"`
	// Component is the part of the reporting software the code belongs to
	// ("download manager", "protocol talker", ...); required for Windows
	// Update and Delivery Optimization rows.
	Component string `json:"component,omitempty"`
}

// kbSchemaVersion is the only schema version this build reads.
const kbSchemaVersion = 1

// maxKBFile bounds a knowledge-base file; the embedded data is far smaller.
const maxKBFile = 8 << 20

// KBError reports a problem with a knowledge-base file.
type KBError struct {
	File    string // file name ("embedded kbdata/kb.json" for built-in data)
	Item    string // the entry, procedure or code concerned, or a line:column; "" for the whole file
	Problem string
}

// Error names the file, the item and what is wrong with it.
func (e *KBError) Error() string {
	if e.Item == "" {
		return fmt.Sprintf("knowledge base %s: %s", e.File, e.Problem)
	}
	return fmt.Sprintf("knowledge base %s: %s: %s", e.File, e.Item, e.Problem)
}

// decodeKBFile parses one file strictly: unknown keys and trailing data are
// errors, so a typo in a field name does not silently drop information.
func decodeKBFile(name string, r io.Reader) (*kbFile, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxKBFile+1))
	if err != nil {
		return nil, &KBError{File: name, Problem: err.Error()}
	}
	if len(data) > maxKBFile {
		return nil, &KBError{File: name, Problem: fmt.Sprintf("larger than %d bytes", maxKBFile)}
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")) // a UTF-8 byte order mark (Windows editors write one)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f kbFile
	if err := dec.Decode(&f); err != nil {
		return nil, jsonError(name, data, dec, err)
	}
	if dec.More() {
		return nil, &KBError{File: name, Item: lineCol(data, dec.InputOffset()), Problem: "extra data after the top-level object"}
	}
	if f.Schema != kbSchemaVersion {
		return nil, &KBError{File: name, Problem: fmt.Sprintf("\"schema\" is %d; this bitsdiag reads schema %d", f.Schema, kbSchemaVersion)}
	}
	return &f, nil
}

// jsonError turns a decoding error into a KBError with a line and column.
func jsonError(name string, data []byte, dec *json.Decoder, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return &KBError{File: name, Item: lineCol(data, syn.Offset), Problem: "JSON syntax: " + syn.Error()}
	case errors.As(err, &typ):
		return &KBError{File: name, Item: lineCol(data, typ.Offset), Problem: fmt.Sprintf("%s must be %s, not JSON %s", jsonPath(typ.Field), jsonKind(typ.Type), typ.Value)}
	case errors.Is(err, io.EOF):
		return &KBError{File: name, Problem: "empty file"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &KBError{File: name, Problem: "file ends in the middle of the JSON"}
	default:
		return &KBError{File: name, Item: lineCol(data, dec.InputOffset()), Problem: err.Error()}
	}
}

// jsonPath shows a decoder field path ("entries.codes") as a JSON path
// ("$.entries.codes").
func jsonPath(field string) string {
	if field == "" {
		return "the top level"
	}
	parts := strings.Split(field, ".")
	return "$." + strings.Join(parts, ".")
}

// jsonKind names what JSON a Go type takes, without Go type names.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another JSON type"
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "another JSON type"
}

// lineCol renders a byte offset as "line L, column C" (1-based).
func lineCol(data []byte, off int64) string {
	if off < 0 {
		off = 0
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}
