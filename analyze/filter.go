package analyze

import (
	"strings"

	"bitsdiag/parse"
)

// bitsServiceKey is the BITS service key name; bitsDisplayName its English
// display name, used only when no language-independent key is present.
const (
	bitsServiceKey  = "BITS"
	bitsDisplayName = "Background Intelligent Transfer Service"
)

// scmEvents are the Service Control Manager event ids the analysis uses.
var scmEvents = map[int]bool{
	7000: true, 7001: true, 7003: true, 7009: true, 7011: true, 7022: true,
	7023: true, 7024: true, 7031: true, 7032: true, 7034: true, 7036: true,
	7038: true, 7040: true, 7041: true, 7043: true, 7046: true,
}

// Filter returns the reader pre-filter: every Bits-Client record (any
// channel) and Service Control Manager records about BITS. It answers true
// whenever the Peek holds too little to decide; AddEvent re-checks.
func Filter() parse.Filter {
	return func(p *parse.Peek) bool {
		switch {
		case p.Provider == "":
			return true
		case strings.EqualFold(p.Provider, ProviderBITS):
			return true
		case isWUProvider(p.Provider):
			return wuRelevantID(p.Provider, p.EventID)
		case !strings.EqualFold(p.Provider, ProviderSCM):
			return false
		}
		if p.EventID >= 0 && !scmEvents[p.EventID] {
			return false
		}
		if b, ok := p.Binary(); ok && b != nil {
			if key, _, ok := binaryKey(b); ok {
				return strings.EqualFold(key, bitsServiceKey)
			}
		}
		if p.EventID == 7040 {
			if v, ok := p.Data("param4"); ok && strings.TrimSpace(v) != "" {
				return strings.EqualFold(strings.TrimSpace(v), bitsServiceKey)
			}
		}
		return true
	}
}

// Relevant reports whether a decoded event is used by the analysis: the same
// decision as Filter, made on the full event.
func Relevant(e *parse.Event) bool {
	switch {
	case e == nil:
		return false
	case strings.EqualFold(e.Provider, ProviderBITS):
		return true
	case strings.EqualFold(e.Provider, ProviderSCM):
		return scmEvents[int(e.EventID)] && aboutBITS(e)
	case isWUProvider(e.Provider):
		return wuRelevantID(e.Provider, int(e.EventID))
	}
	return false
}

// aboutBITS decides whether an SCM event names the BITS service: by the
// service key in <Binary>, then 7040's param4, then the display name.
func aboutBITS(e *parse.Event) bool {
	if key, _, ok := binaryKey(e.Binary); ok {
		return strings.EqualFold(key, bitsServiceKey)
	}
	if e.EventID == 7040 {
		if v := strings.TrimSpace(e.Value("param4")); v != "" {
			return strings.EqualFold(v, bitsServiceKey)
		}
	}
	for _, f := range e.Data {
		v := strings.TrimSpace(f.Value)
		if strings.EqualFold(v, bitsDisplayName) || strings.EqualFold(v, bitsServiceKey) {
			return true
		}
	}
	return false
}
