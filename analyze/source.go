package analyze

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"bitsdiag/parse"
)

// Source is one kind of evidence the analysis understands (see SOURCES.md).
// It names the providers whose records it reads and the channels whose logs
// can hold them, decides once which records are about BITS, says which
// payload fields the analysis keeps, and lists the event ids it handles. What
// each of those events means (its code field, fallback entry, scope, whether
// recovery applies) is data: the knowledge base's event_rules.
//
// A source that is not made of event records (a text snapshot of the service
// configuration) has a pseudo provider name, no channels, and hands its facts
// to Analyzer.AddFact instead of going through the reader.
type Source interface {
	// Name identifies the source in messages ("bits-client", "scm").
	Name() string
	// Providers are the provider names the source reads (case-insensitive).
	Providers() []string
	// Channels are the channels whose logs can hold the source's events, as
	// case-insensitive path.Match patterns ("Microsoft-Windows-Bits-Client/*");
	// logs of channels no source names are skipped. Nil for non-event sources.
	Channels() []string
	// Relevant decides whether a record is used by the analysis. It is asked
	// about a *parse.Peek before the decode (and must answer true when the
	// Peek holds too little to decide) and about the decoded *parse.Event.
	Relevant(r parse.Fields) bool
	// Fields lists the payload fields the analysis reads of the source's
	// events; other fields are not kept. Knowledge-base conditions add theirs.
	Fields() []string
	// Events are the event ids the source handles: the knowledge base's
	// signatures and event_rules may name only these. An event id not listed
	// may still be relevant (it then feeds only job or service state).
	Events() []uint16
}

// correlator is implemented by sources whose facts also update the shared
// state (jobs, transfers, the service timeline). It gets the event's rule
// (ok false when the knowledge base has none) and applies it itself; without
// a correlator the analysis applies the rule.
type correlator interface {
	correlate(s *state, f *Fact, r EventRule, ok bool)
}

// DefaultSources returns the sources of the built-in analysis, in a fixed
// order: Bits-Client events, Service Control Manager events about BITS,
// Windows Update client and Delivery Optimization events (source_wu.go),
// configuration snapshots (a non-event source, source_config.go), and the
// Windows version of System event 6009 (context only, source_os.go).
func DefaultSources() []Source {
	return []Source{bitsSource{}, scmSource{}, wuSource{}, doSource{}, configSource{}, osSource{}}
}

// catalog looks sources up by provider.
type catalog struct {
	list  []Source
	byPrv map[string]Source // lower-case provider -> source
}

func newCatalog(srcs []Source) *catalog {
	c := &catalog{list: srcs, byPrv: map[string]Source{}}
	for _, s := range srcs {
		for _, p := range s.Providers() {
			c.byPrv[strings.ToLower(p)] = s
		}
	}
	return c
}

// source returns the source reading provider, or nil. It is called for
// every record (the pre-filter), so an ASCII name is lower-cased in a
// stack buffer rather than by strings.ToLower, which allocates.
func (c *catalog) source(provider string) Source {
	var buf [128]byte
	if len(provider) <= len(buf) {
		b := buf[:len(provider)]
		ascii := true
		for i := 0; i < len(provider) && ascii; i++ {
			ch := provider[i]
			if 'A' <= ch && ch <= 'Z' {
				ch += 'a' - 'A'
			}
			b[i], ascii = ch, ch < utf8.RuneSelf
		}
		if ascii {
			return c.byPrv[string(b)]
		}
	}
	return c.byPrv[strings.ToLower(provider)]
}

// relevant is the one relevance decision: the provider's source decides. A
// record whose provider is not known yet (a Peek) is kept.
func (c *catalog) relevant(r parse.Fields) bool {
	p := r.RecordProvider()
	if p == "" {
		return !r.Decoded()
	}
	s := c.source(p)
	return s != nil && s.Relevant(r)
}

// keepChannel says whether a log of channel ch can hold events of a source.
// Unknown channels and forwarded events are kept.
func (c *catalog) keepChannel(ch string) bool {
	if ch == "" || strings.EqualFold(ch, "ForwardedEvents") {
		return true
	}
	for _, s := range c.list {
		for _, pat := range s.Channels() {
			if ok, _ := path.Match(strings.ToLower(pat), strings.ToLower(ch)); ok {
				return true
			}
		}
	}
	return false
}

// Selection is what the reader needs from the sources: the pre-filter, the
// full relevance check and the channel choice. Build it with Select.
type Selection struct{ c *catalog }

// Select returns the reader-side decisions of the given sources (nil means
// DefaultSources).
func Select(srcs []Source) Selection {
	if srcs == nil {
		srcs = DefaultSources()
	}
	return Selection{newCatalog(srcs)}
}

// Analysed returns the selection without context-only sources (the
// Windows version of event 6009): exactly the records the analysis counts
// as analysed, which "bitsdiag events" prints without --all.
func (s Selection) Analysed() Selection {
	var keep []Source
	for _, src := range s.catalog().list {
		if _, ctx := src.(contextSource); !ctx {
			keep = append(keep, src)
		}
	}
	return Selection{newCatalog(keep)}
}

// catalog returns the selection's sources; the zero Selection has the
// default ones.
func (s Selection) catalog() *catalog {
	if s.c == nil {
		return defaultCatalog
	}
	return s.c
}

// Filter is the reader pre-filter (parse.Options.Filter).
func (s Selection) Filter() parse.Filter {
	c := s.catalog()
	return func(p *parse.Peek) bool { return c.relevant(p) }
}

// Relevant reports whether the analysis uses a decoded event: the same
// decision as Filter, made on the full record.
func (s Selection) Relevant(e *parse.Event) bool { return e != nil && s.catalog().relevant(e) }

// KeepChannel says whether a log of this channel can hold events a source
// reads (parse.Options.KeepChannel).
func (s Selection) KeepChannel(ch string) bool { return s.catalog().keepChannel(ch) }

var defaultCatalog = newCatalog(DefaultSources())

// checkEvent reports why a signature or rule for provider's event id can
// never apply: no source reads the provider, or its source does not handle
// the event id.
func (c *catalog) checkEvent(provider string, id uint16) error {
	src := c.source(provider)
	if src == nil {
		return fmt.Errorf("provider %q is not read by any source (%s)", provider, c.providerList())
	}
	if !slices.Contains(src.Events(), id) {
		return fmt.Errorf("%s event %d is not handled by source %s", provider, id, src.Name())
	}
	return nil
}

// checkCodeField reports a signature whose code_field the event does not
// carry: neither one of its rule's code fields nor a field its source reads.
func (c *catalog) checkCodeField(kb *KB, sig EventSig) error {
	if sig.CodeField == "" {
		return nil
	}
	r, _ := kb.Rule(sig.Provider, sig.EventID)
	if src := c.source(sig.Provider); src != nil && (slices.Contains(r.codeFields, sig.CodeField) || slices.Contains(src.Fields(), sig.CodeField)) {
		return nil
	}
	return fmt.Errorf("code_field %q: %s event %d has no such field", sig.CodeField, sig.Provider, sig.EventID)
}

// providerList names the providers the sources read, for messages.
func (c *catalog) providerList() string {
	var ps []string
	for _, s := range c.list {
		ps = append(ps, s.Providers()...)
	}
	return "known: " + strings.Join(ps, ", ")
}
