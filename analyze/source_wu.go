package analyze

import (
	"sort"
	"strings"

	"bitsdiag/parse"
)

// wuSource reads Windows Update client events (wu-facts §1): in the System
// log and in Microsoft-Windows-WindowsUpdateClient/Operational. Its failure
// events become occurrences of scope wu (wu.go); wu_correlate.go links them
// to the BITS evidence of the same computer and time.
type wuSource struct{}

func (wuSource) Name() string        { return "windows-update" }
func (wuSource) Providers() []string { return []string{ProviderWU} }
func (wuSource) Channels() []string  { return []string{"System", ChannelWUOperational} }

// Relevant: the WU client events of wuEvents (a Peek without an event id is
// kept; the decoded record decides).
func (wuSource) Relevant(r parse.Fields) bool {
	if !strings.EqualFold(r.RecordProvider(), ProviderWU) {
		return false
	}
	id, ok := r.RecordEventID()
	if !ok {
		return !r.Decoded()
	}
	_, known := wuEvents[id]
	return known
}

// Fields are the payload fields wu.go and wu_correlate.go read.
func (wuSource) Fields() []string {
	return []string{"errorCode", "updateTitle", "updatelist", "updateGuid", "updateRevisionNumber",
		"serviceGuid", "serverName"}
}

// Events are the WU client event ids of wuEvents, in order.
func (wuSource) Events() []uint16 { return wuEventIDs }

var wuEventIDs = func() []uint16 {
	ids := make([]uint16, 0, len(wuEvents))
	for id := range wuEvents {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}()

// correlate: handleWU makes the occurrence of a failure event (by its code
// and operation, wuEntry) and keeps what the correlation with BITS needs.
func (wuSource) correlate(s *state, f *Fact, _ EventRule, _ bool) { s.handleWU(f) }

// doSource reads Delivery Optimization events
// (Microsoft-Windows-DeliveryOptimization/Operational, wu-facts §4). Their
// manifest is not public beyond event 0, so every DO record is used and no
// event id is handled by rule: a DO_E_ code (0x80D0xxxx) in one of the kept
// fields makes a failure of do-download-failure.
type doSource struct{}

func (doSource) Name() string        { return "delivery-optimization" }
func (doSource) Providers() []string { return []string{ProviderDO} }
func (doSource) Channels() []string  { return []string{ChannelDOOperational} }

// Relevant: every Delivery Optimization record.
func (doSource) Relevant(r parse.Fields) bool {
	return strings.EqualFold(r.RecordProvider(), ProviderDO)
}

// Fields are the DO payload fields a code is looked for in (the names DO
// and its manifest use; wu-facts §4).
func (doSource) Fields() []string { return doFields }

var doFields = []string{"errorCode", "ErrorCode", "hr", "HResult", "hResult", "error", "status",
	"policyName", "policyValue"}

// Events: none by rule (see doSource).
func (doSource) Events() []uint16 { return nil }

func (doSource) correlate(s *state, f *Fact, _ EventRule, _ bool) { s.handleWU(f) }

// isWUFact reports whether a fact is a Windows Update client or Delivery
// Optimization event.
func isWUFact(f *Fact) bool {
	return strings.EqualFold(f.Provider, ProviderWU) || strings.EqualFold(f.Provider, ProviderDO)
}
