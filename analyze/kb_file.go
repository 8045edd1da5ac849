package analyze

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
		return &KBError{File: name, Item: lineCol(data, typ.Offset), Problem: fmt.Sprintf("field %q must be %s, not JSON %s", typ.Field, typ.Type, typ.Value)}
	case errors.Is(err, io.EOF):
		return &KBError{File: name, Problem: "empty file"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &KBError{File: name, Problem: "file ends in the middle of the JSON"}
	default:
		return &KBError{File: name, Item: lineCol(data, dec.InputOffset()), Problem: err.Error()}
	}
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
