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
// other fields are what the knowledge base's entries cannot say.
type EventRule struct {
	policy      rulePolicy
	codeFields  []string         // payload fields holding the error code, first present wins
	impliedCode uint32           // code the event stands for when it carries none
	fallbackID  string           // KB entry used when no signature names the event (every id is in the embedded KB; see TestRuleFallbacks)
	unknownCode bool             // a failure code without entry gets a finding of its own
	scope       string           // "job" or "service"
	noStatus    bool             // recovered/unresolved does not apply
	kind        ServiceEventKind // service timeline kind ("" = not on the service timeline)
	pct         bool             // code fields count only in "%%N" form
	correlated  bool             // the source's correlator resolves the event itself (no generic apply)
}

// bitsRules covers Microsoft-Windows-Bits-Client events (bits-facts §2).
var bitsRules = map[uint16]EventRule{
	60:    {policy: codeOnly, codeFields: []string{"hr"}, unknownCode: true, scope: "job"},
	61:    {policy: codeOnly, codeFields: []string{"hr"}, unknownCode: true, scope: "job"},
	200:   {policy: codeOnly, codeFields: []string{"hr"}, unknownCode: true, scope: "job"},
	201:   {policy: codeFirst, codeFields: []string{"error"}, unknownCode: true, scope: "job"},
	202:   {policy: codeFirst, codeFields: []string{"hr"}, unknownCode: true, scope: "job"},
	211:   {policy: codeOnly, codeFields: []string{"ErrorCode"}, unknownCode: true, scope: "job"},
	62:    {policy: eventFirst, scope: "job", fallbackID: "transfer-inconsistent-data"},
	63:    {policy: eventFirst, codeFields: []string{"hr"}, scope: "job", fallbackID: "notify-program-failed"},
	64:    {policy: eventFirst, codeFields: []string{"hr"}, scope: "job", fallbackID: "notify-program-failed"},
	204:   {policy: eventFirst, scope: "job", fallbackID: "credentials-rejected"},
	206:   {policy: eventFirst, scope: "job", noStatus: true},
	207:   {policy: eventFirst, scope: "job", noStatus: true},
	210:   {policy: eventFirst, scope: "job", noStatus: true},
	213:   {policy: eventFirst, codeFields: []string{"BlockReasonErrorCode"}, scope: "job", noStatus: true},
	302:   {policy: eventFirst, scope: "service", noStatus: true},
	307:   {policy: eventFirst, scope: "service", noStatus: true},
	308:   {policy: eventFirst, scope: "service", noStatus: true},
	310:   {policy: eventFirst, codeFields: []string{"ErrorCode"}, scope: "service", noStatus: true},
	311:   {policy: eventFirst, codeFields: []string{"ErrorCode"}, scope: "job", noStatus: true},
	312:   {policy: eventFirst, codeFields: []string{"ErrorCode"}, scope: "service", noStatus: true},
	313:   {policy: eventFirst, codeFields: []string{"ErrorCode"}, scope: "service", noStatus: true},
	16385: {policy: eventFirst, scope: "service", noStatus: true, kind: "bits-system", fallbackID: "job-temp-files-left"},
	16386: {policy: eventFirst, scope: "service", noStatus: true, kind: "bits-system", fallbackID: "job-temp-files-left"},
	16390: {policy: eventFirst, scope: "job", noStatus: true, kind: "bits-system", fallbackID: "notify-program-failed"},
	16391: {policy: eventFirst, scope: "service", noStatus: true, kind: "bits-system", fallbackID: "job-list-corrupt"},
	16392: {policy: codeFirst, codeFields: []string{"ErrorCode"}, unknownCode: true, scope: "service", kind: "start-failure", fallbackID: "service-start-failed"},
	16393: {policy: eventFirst, codeFields: []string{"ErrorCode"}, scope: "service", noStatus: true, kind: "bits-system"},
	16396: {policy: eventFirst, scope: "service", noStatus: true, kind: "bits-system"},
	16397: {policy: eventFirst, scope: "service", noStatus: true, kind: "bits-system", fallbackID: "job-limit-mismatch"},
	16398: {policy: eventFirst, scope: "service", noStatus: true, kind: "bits-system", fallbackID: "job-limit-reached"},
	16400: {policy: eventFirst, scope: "service", noStatus: true, kind: "bits-system", fallbackID: "job-limit-reached"},
	16401: {policy: eventFirst, scope: "service", noStatus: true, kind: "bits-system", fallbackID: "job-limit-reached"},
	16402: {policy: eventFirst, scope: "service", noStatus: true, kind: "bits-system", fallbackID: "job-limit-reached"},
	16404: {policy: eventFirst, codeFields: []string{"hr"}, scope: "service", kind: "bits-system", fallbackID: "service-exception"},
	16405: {policy: eventFirst, scope: "service", noStatus: true, kind: "bits-system", fallbackID: "policy-bandwidth-invalid"},
	17005: {policy: eventFirst, scope: "service", kind: "bits-system", fallbackID: "service-not-localsystem"},
}

// scmRules covers Service Control Manager events about BITS (bits-facts §5).
// handleSCM (service.go) applies them; 7036 and 7040 feed the service
// timeline, and 7040 to disabled is a finding of its own.
var scmRules = map[uint16]EventRule{
	7036: {policy: eventFirst, scope: "service", kind: "state", correlated: true},
	7040: {policy: eventFirst, scope: "service", kind: "start-type", correlated: true},
	7000: {policy: codeFirst, codeFields: scmParams, pct: true, unknownCode: true, scope: "service", kind: "start-failure", fallbackID: "service-start-failed", correlated: true},
	// 7001's code is the dependency's error, not BITS': the event decides.
	7001: {policy: eventFirst, codeFields: scmParams, pct: true, unknownCode: true, scope: "service", kind: "start-failure", fallbackID: "start-dependency", correlated: true},
	7003: {policy: codeFirst, impliedCode: 0x80070433, scope: "service", kind: "start-failure", fallbackID: "start-dependency", correlated: true},
	7023: {policy: codeFirst, codeFields: scmParams, pct: true, unknownCode: true, scope: "service", kind: "crash", fallbackID: "service-start-failed", correlated: true},
	7024: {policy: codeFirst, codeFields: []string{"param2"}, unknownCode: true, scope: "service", kind: "crash", fallbackID: "service-start-failed", correlated: true},
	7031: {policy: eventFirst, scope: "service", kind: "crash", fallbackID: "service-crashed", correlated: true},
	7034: {policy: eventFirst, scope: "service", kind: "crash", fallbackID: "service-crashed", correlated: true},
	7032: {policy: eventFirst, scope: "service", kind: "crash", fallbackID: "service-crashed", correlated: true},
	7009: {policy: eventFirst, scope: "service", kind: "timeout", fallbackID: "service-hang", correlated: true},
	7011: {policy: eventFirst, scope: "service", kind: "timeout", fallbackID: "service-hang", correlated: true},
	7022: {policy: eventFirst, scope: "service", kind: "timeout", fallbackID: "service-hang", correlated: true},
	7043: {policy: eventFirst, scope: "service", kind: "timeout", fallbackID: "service-hang", correlated: true},
	7046: {policy: eventFirst, scope: "service", kind: "timeout", fallbackID: "service-hang", correlated: true},
	7038: {policy: eventFirst, scope: "service", kind: "logon-failure", fallbackID: "service-not-localsystem", correlated: true},
	7041: {policy: eventFirst, scope: "service", kind: "logon-failure", fallbackID: "service-not-localsystem", correlated: true},
}

// scmParams are the SCM payload fields searched for a "%%N" error value.
var scmParams = []string{"param2", "param3", "param4", "param1"}
