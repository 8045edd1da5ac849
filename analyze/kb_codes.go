package analyze

import (
	"sort"
	"strings"
)

// Codes returns every code the code tables name, in ascending order.
func (kb *KB) Codes() []uint32 {
	if kb == nil {
		return nil
	}
	out := make([]uint32, 0, len(kb.codes))
	for c := range kb.codes {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// CodeByName finds a code by its symbolic name or an alias
// (ERROR_WINHTTP_TIMEOUT, bg_e_http_error_403), case-insensitively. When
// several codes carry the name (a Win32 error and its HRESULT), the HRESULT
// form (the larger value) wins.
func (kb *KB) CodeByName(name string) (uint32, bool) {
	if kb == nil || name == "" {
		return 0, false
	}
	var best uint32
	found := false
	for c, row := range kb.codes {
		match := strings.EqualFold(row.Name, name)
		for _, a := range row.Aliases {
			match = match || strings.EqualFold(a, name)
		}
		if match && (!found || c > best) {
			best, found = c, true
		}
	}
	return best, found
}
