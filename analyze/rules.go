package analyze

// rulePolicy says how an event's knowledge-base entry is chosen (state.resolve).
type rulePolicy uint8

// Rule policies.
const (
	codeOnly   rulePolicy = iota // the code's entry, else an unknown-code finding
	codeFirst                    // the code's entry, else the event's entry, else the fallback id
	eventFirst                   // the event's entry (a code only selects among them), else the fallback id
)

// EventRule says how one event id of a source becomes an occurrence: the
// knowledge base's signatures for the event are resolved by policy; the
// other fields are what the entries cannot say. Rules are data: the
// knowledge base's event_rules (kbdata/events.json, KB.Rule).
type EventRule struct {
	policy      rulePolicy
	codeFields  []string         // payload fields holding the error code, first present wins
	impliedCode uint32           // code the event stands for when it carries none
	fallbackID  string           // KB entry used when no signature names the event (checked when the knowledge base loads)
	unknownCode bool             // a failure code without entry gets a finding of its own
	scope       string           // "job", "service" or "wu"
	noStatus    bool             // recovered/unresolved does not apply
	kind        ServiceEventKind // service timeline kind ("" = not on the service timeline)
	pct         bool             // code fields count only in "%%N" form
}
