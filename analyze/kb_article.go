package analyze

import "fmt"

// Article section titles of "Issues with BITS" (as printed, escapes removed).
const (
	SectionFindingBITS   = "Finding BITS"
	SectionRestartBITS   = "Stopping and restarting BITS"
	SectionLocalSystem   = "The BITS service must run under the local system user account"
	SectionProxyRange    = "Proxy servers must support HTTP 1.1 range requests"
	SectionJobLimits     = "There is a mismatch between the BITS per-user job limit and the per-computer job limit"
	SectionJobsFailing   = "BITS jobs are failing"
	SectionFailsToStart  = "BITS fails to start"
	SectionRepairCorrupt = "Repairing a corrupted BITS configuration"
)

// ArticleRow is one row of the article's two tables.
type ArticleRow struct {
	Section string   // SectionJobsFailing or SectionFailsToStart
	Name    string   // the "Error name" cell, names separated by one space
	Codes   []uint32 // the "Error code" cell
	EntryID string   // the knowledge-base entry for this row
}

// ArticleRows returns the 13 rows (14 codes) of the article's tables
// "BITS jobs are failing" and "BITS fails to start", each with its entry id.
// The loader checks that the knowledge base covers every one of them.
func ArticleRows() []ArticleRow {
	return []ArticleRow{
		{SectionJobsFailing, "E_INVALIDARG", []uint32{0x80070057}, "job-invalid-arg"},
		{SectionJobsFailing, "ERROR_WINHTTP_NAME_NOT_RESOLVED", []uint32{0x80072EE7}, "job-proxy-name-not-resolved"},
		{SectionJobsFailing, "ERROR_HTTP_INVALID_SERVER_RESPONSE", []uint32{0x80072F78}, "job-invalid-server-response"},
		{SectionJobsFailing, "BG_E_INSUFFICIENT_RANGE_SUPPORT", []uint32{0x80200013}, "job-insufficient-range-support"},
		{SectionJobsFailing, "BG_E_MISSING_FILE_SIZE", []uint32{0x80200011}, "job-missing-file-size"},
		{SectionJobsFailing, "BG_E_HTTP_ERROR_403", []uint32{0x80190193}, "job-http-403"},
		{SectionJobsFailing, "ERROR_NOT_LOGGED_ON", []uint32{0x800704DD}, "job-not-logged-on"},
		{SectionFailsToStart, "ERROR_SERVICE_DOES_NOT_EXIST", []uint32{0x80070424}, "start-service-does-not-exist"},
		{SectionFailsToStart, "ERROR_SERVICE_NOT_IN_EXE", []uint32{0x8007043B}, "start-service-not-in-exe"},
		{SectionFailsToStart, "ERROR_SERVICE_DISABLED", []uint32{0x80070422}, "start-service-disabled"},
		{SectionFailsToStart, "ERROR_SERVICE_DEPENDENCY_DELETED ERROR_SERVICE_DEPENDENCY_FAIL", []uint32{0x80070433, 0x8007042C}, "start-dependency"},
		{SectionFailsToStart, "ERROR_PATH_NOT_FOUND", []uint32{0x80070003}, "start-path-not-found"},
		{SectionFailsToStart, "ERROR_FILE_NOT_FOUND", []uint32{0x80070002}, "start-file-not-found"},
	}
}

// checkArticle verifies that every article row is present: its entry exists,
// is a row of the right section and name, and owns each of the row's codes.
// Overrides may reword a row entry but not drop it or its codes.
func checkArticle(kb *KB, s *kbSet) error {
	for _, r := range ArticleRows() {
		e := kb.byID[r.EntryID]
		item := fmt.Sprintf("article row %s", r.Name)
		if e == nil {
			return &KBError{File: "(all files)", Item: item, Problem: fmt.Sprintf("entry %q is missing", r.EntryID)}
		}
		file := s.fileOf(e.ID)
		if e.Kind != KindRow || e.Section != r.Section || e.ArticleRow != r.Name {
			return &KBError{File: file, Item: fmt.Sprintf("entry %q", e.ID),
				Problem: fmt.Sprintf("must be kind %q with section %q and article_row %q", KindRow, r.Section, r.Name)}
		}
		for _, c := range r.Codes {
			if kb.byCode[c] != e {
				return &KBError{File: file, Item: fmt.Sprintf("entry %q", e.ID), Problem: fmt.Sprintf("must list the article's code %s", FormatCode(c))}
			}
		}
	}
	return nil
}

// fileOf returns the file an entry came from.
func (s *kbSet) fileOf(id string) string {
	for i, e := range s.entries {
		if e.ID == id {
			return s.entryFrom[i]
		}
	}
	return "(unknown file)"
}
