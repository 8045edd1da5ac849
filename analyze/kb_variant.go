package analyze

import "strings"

// Variant is an alternative cause text and fix of a knowledge-base entry,
// chosen when the finding's evidence meets its conditions. The first variant
// whose every condition holds replaces the entry's cause and fix, and its
// verify steps when it has any.
type Variant struct {
	// Proxy is "present" (the events name a proxy) or "absent" (none does);
	// "" does not test it.
	Proxy string `json:"proxy,omitempty"`
	// Owner is "service" (every affected job is owned by a service account:
	// LocalSystem, NetworkService, LocalService) or "user" (every one by a
	// user); "" does not test it. Findings whose owners are unknown or mixed
	// meet neither.
	Owner string `json:"owner,omitempty"`
	// Windows is a version condition, ">=10.0.17134" or "<10.0.17134"
	// (major.minor.build): it holds when every computer of the finding has
	// a Windows version from its System log (event 6009) that meets it; a
	// computer of unknown version meets none. "" does not test it.
	Windows string `json:"windows,omitempty"`
	Cause   string `json:"cause"`
	Fix     []Step `json:"fix"`
	Verify  []Step `json:"verify,omitempty"` // nil keeps the entry's
	Comment string `json:"comment,omitempty"`
}

// Variant conditions.
const (
	CondPresent = "present"
	CondAbsent  = "absent"
	CondService = "service"
	CondUser    = "user"
)

// serviceAccount reports whether a job owner is one of the service accounts.
func serviceAccount(owner string) bool {
	o := strings.ToUpper(owner)
	for _, a := range []string{"SYSTEM", "LOCAL SERVICE", "LOCALSERVICE", "NETWORK SERVICE", "NETWORKSERVICE", "LOCALSYSTEM"} {
		if strings.HasSuffix(o, `\`+a) || o == a {
			return true
		}
	}
	return false
}

// ownerKind is "service" or "user" when every affected job with a known
// owner has that kind of owner, else "".
func (s *state) ownerKind(occs []*occurrence) string {
	kind := ""
	for _, o := range occs {
		j := s.jobs[o.jobKey]
		if o.jobKey == "" || j == nil || j.owner == "" {
			continue
		}
		k := CondUser
		if serviceAccount(j.owner) {
			k = CondService
		}
		if kind != "" && kind != k {
			return ""
		}
		kind = k
	}
	return kind
}

// applyVariants picks the entry's first variant that the evidence meets and
// uses its cause, fix and verify steps; Finding.Variant says which conditions held.
func (s *state) applyVariants(f *Finding, en *Entry, occs []*occurrence) {
	if en == nil || len(en.Variants) == 0 {
		return
	}
	proxy := CondAbsent
	if len(f.Proxies) > 0 {
		proxy = CondPresent
	}
	owner := s.ownerKind(occs)
	for _, v := range en.Variants {
		if v.Proxy != "" && v.Proxy != proxy {
			continue
		}
		if v.Owner != "" && v.Owner != owner {
			continue
		}
		if v.Windows != "" && !windowsMet(v.Windows, f.Computers, s.windows) {
			continue
		}
		f.Cause = v.Cause
		f.Fix = append([]Step{}, v.Fix...)
		if v.Verify != nil {
			f.Verify = append([]Step{}, v.Verify...)
		}
		var conds []string
		if v.Proxy != "" {
			conds = append(conds, "proxy "+v.Proxy)
		}
		if v.Owner != "" {
			conds = append(conds, "owner "+v.Owner)
		}
		if v.Windows != "" {
			conds = append(conds, "windows "+v.Windows)
		}
		f.Variant = strings.Join(conds, ", ")
		return
	}
}

// routineNote makes a single slow start of the service (event 302, often at
// first boot) a note rather than a problem: it needs no action unless it
// repeats.
func routineNote(f *Finding) {
	if f.KBID == "service-slow-start" && f.Count < 3 {
		f.Severity = SeverityInfo
	}
}
