package analyze

// CONTRACT STUB (set by the lead). The knowledge-base helper owns this file and
// replaces the bodies; the exported names and meanings are used by the analysis,
// the CLI (explain) and the samples generator.

// EventSig is a log signature an entry matches: a provider's event id, with
// optional payload conditions (documented by the KB file's schema).
type EventSig struct {
	Provider string `json:"provider"` // "Microsoft-Windows-Bits-Client" or "Service Control Manager"
	EventID  uint16 `json:"event_id"`
	Note     string `json:"note,omitempty"`
}

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
}

// KB is the loaded knowledge base.
type KB struct {
	Entries []*Entry
}

// LoadKB returns the embedded knowledge base, with the entries of the optional
// override files (--kb) added or replacing same-id entries.
func LoadKB(overrides ...string) (*KB, error) { return &KB{}, nil }

// ByCode returns the entry that explains code, or nil.
func (kb *KB) ByCode(code uint32) *Entry { return nil }

// ByEvent returns the entries whose signature names this provider and event id.
func (kb *KB) ByEvent(provider string, eventID uint16) []*Entry { return nil }

// ByID returns the entry with this id, or nil.
func (kb *KB) ByID(id string) *Entry { return nil }

// Decode explains any code: table lookups plus the structural HRESULT decode.
func (kb *KB) Decode(code uint32) CodeInfo { return CodeInfo{Code: code} }

// ParseCode accepts 0x80200013, 80200013, 2149580819, -2145386477 and %%1058
// (a Win32 error number, returned as HRESULT_FROM_WIN32).
func ParseCode(s string) (uint32, error) { return 0, nil }
