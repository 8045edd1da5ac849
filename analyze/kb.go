package analyze

// The knowledge base: causes and fixes from Microsoft's article "Issues with
// BITS" (plus a few common causes from bits-facts), and the code tables used to
// decode any error code. The data lives in kbdata/*.json (embedded; schema in
// kbdata/README.md); --kb files in the same schema add or replace entries.

// EventSig is a log signature an entry matches: a provider's event id, with
// optional payload conditions (documented by the KB file's schema).
type EventSig struct {
	Provider string `json:"provider"` // "Microsoft-Windows-Bits-Client" or "Service Control Manager"
	EventID  uint16 `json:"event_id"`
	Note     string `json:"note,omitempty"`
	// Service, when set, requires the record to be about this service (key
	// name, e.g. "BITS"); used for Service Control Manager events.
	Service string `json:"service,omitempty"`
	// CodeField, when set, names the payload field holding an error code (hr,
	// ErrorCode, param2, ...); the signature matches only when that code is one
	// of the entry's codes.
	CodeField string `json:"code_field,omitempty"`
	// Match lists payload fields and the values they must have (compared
	// without regard to case), e.g. {"param3": "disabled"}.
	Match map[string]string `json:"match,omitempty"`
	// Severity, when set, is the severity of a finding built only from this
	// signature (e.g. warning events of an error entry).
	Severity Severity `json:"severity,omitempty"`
}

// Entry kinds.
const (
	KindRow       = "row"       // a row of one of the article's two tables
	KindSection   = "section"   // an article section without a table
	KindProcedure = "procedure" // a fix procedure other entries use; no signature of its own
	KindExtra     = "extra"     // a common cause from bits-facts, beyond the article
)

// Entry is one cause from the article (or bits-facts), with its fix.
type Entry struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Severity    Severity   `json:"severity"`
	Codes       []string   `json:"codes"` // 0x%08X
	Events      []EventSig `json:"events"`
	Transient   bool       `json:"transient,omitempty"`
	Cause       string     `json:"cause"`
	Fix         []Step     `json:"fix"`
	Verify      []Step     `json:"verify"`
	Section     string     `json:"section"`     // article section title
	ArticleRow  string     `json:"article_row"` // the article table row's error name(s), "" for section entries
	Corrections []string   `json:"corrections,omitempty"`

	// Kind is KindRow, KindSection, KindProcedure or KindExtra.
	Kind string `json:"kind"`
	// ArticleText is the article's own text of the table row (rows only).
	ArticleText string `json:"article_text,omitempty"`
	// SeeAlso lists ids of related entries.
	SeeAlso []string `json:"see_also,omitempty"`
	// Source says where the entry comes from: "article", "bits-facts", or the
	// path of the --kb file that added or replaced it.
	Source string `json:"source"`

	// Variants are alternative causes and fixes chosen by the evidence
	// (proxy present or not, owner a service account or a user).
	Variants []Variant `json:"variants,omitempty"`

	codes []uint32 // Codes, parsed
}

// CodeInfo is the decode of one error code.
type CodeInfo struct {
	Code         uint32 `json:"-"`
	Hex          string `json:"code"`     // 0x%08X
	Name         string `json:"name"`     // symbolic name, "" when unknown
	Category     string `json:"category"` // "BITS", "HTTP", "WinHTTP", "Win32", "COM", "Windows Update", ...
	Meaning      string `json:"meaning"`
	Failure      bool   `json:"failure"` // severity bit set
	Facility     uint16 `json:"facility"`
	FacilityName string `json:"facility_name"`
	Win32        int    `json:"win32,omitempty"` // the Win32 error for facility 7 (or %%N), else 0

	// Aliases are other names for the same value (WinINet spellings,
	// ERROR_INVALID_PARAMETER for E_INVALIDARG, ...).
	Aliases []string `json:"aliases,omitempty"`
	// HTTPStatus is the HTTP status of a BG_E_HTTP_ERROR_xxx code, else 0.
	HTTPStatus int `json:"http_status,omitempty"`
	// Known is true when a code table names or describes the code; false means
	// only the structural decode applies.
	Known bool `json:"known"`
	// Hint is an extra remark, e.g. how a bare Win32 number would be wrapped.
	Hint string `json:"hint,omitempty"`
	// Component is the part of the reporting software the code belongs to
	// (Windows Update: "download manager", "protocol talker", ...), "" when
	// the table does not say.
	Component string `json:"component,omitempty"`
}

// KB is the loaded knowledge base.
type KB struct {
	Entries []*Entry

	byID   map[string]*Entry
	byCode map[uint32]*Entry
	codes  map[uint32]codeRow
	procs  map[string]*Procedure
	rules  map[ruleKey]EventRule // event_rules: how each event becomes an occurrence
}

// Rule returns how an event of provider becomes an occurrence (the
// knowledge base's event_rules); ok is false when the event has no rule.
func (kb *KB) Rule(provider string, id uint16) (EventRule, bool) {
	if kb == nil {
		return EventRule{}, false
	}
	r, ok := kb.rules[keyOf(provider, id)]
	return r, ok
}

// Procedure is a fix procedure several entries share (e.g. "Stopping and
// restarting BITS"); entries already contain its steps where they use it.
type Procedure struct {
	ID          string
	Title       string
	Section     string // article section title, "" when not from the article
	Steps       []Step
	Corrections []string
}

// LoadKB returns the embedded knowledge base, with the entries of the optional
// override files (--kb) added or replacing same-id entries, checked against
// DefaultSources.
func LoadKB(overrides ...string) (*KB, error) { return loadKB(DefaultSources(), overrides) }

// LoadKBFor is LoadKB checked against the given sources: every signature
// must name a provider and event id one of them handles (a key of its
// Rules), and a code_field the event carries (one of the source's Fields or
// the rule's code fields). A signature that breaks this is a *KBError naming
// the file and the entry.
func LoadKBFor(sources []Source, overrides ...string) (*KB, error) { return loadKB(sources, overrides) }

// ByCode returns the entry that explains code, or nil.
func (kb *KB) ByCode(code uint32) *Entry {
	if kb == nil {
		return nil
	}
	return kb.byCode[code]
}

// ByEvent returns the entries whose signature names this provider and event id.
func (kb *KB) ByEvent(provider string, eventID uint16) []*Entry {
	if kb == nil {
		return nil
	}
	var out []*Entry
	for _, e := range kb.Entries {
		for _, s := range e.Events {
			if s.EventID == eventID && sameProvider(s.Provider, provider) {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// ByID returns the entry with this id, or nil.
func (kb *KB) ByID(id string) *Entry {
	if kb == nil {
		return nil
	}
	return kb.byID[id]
}

// Decode explains any code: table lookups plus the structural HRESULT decode.
func (kb *KB) Decode(code uint32) CodeInfo {
	var table map[uint32]codeRow
	if kb != nil {
		table = kb.codes
	}
	return decode(code, table)
}

// CodeValues returns the entry's codes as numbers.
func (e *Entry) CodeValues() []uint32 { return append([]uint32(nil), e.codes...) }

// HasCode reports whether code is one of the entry's codes.
func (e *Entry) HasCode(code uint32) bool {
	for _, c := range e.codes {
		if c == code {
			return true
		}
	}
	return false
}
