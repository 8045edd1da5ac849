package analyze

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Windows Update client and Delivery Optimization evidence (wu-facts.md §1,
// §4). Their failure events become occurrences like BITS' own, with scope
// scopeWU, so they are ranked, counted and rendered with the BITS findings;
// wu_correlate.go links them to the BITS evidence of the same computer and
// time and writes the verdict's Windows Update sentences.

// Providers of the Windows Update sources.
const (
	ProviderWU = "Microsoft-Windows-WindowsUpdateClient"
	ProviderDO = "Microsoft-Windows-DeliveryOptimization"
)

// Channels of the Windows Update sources (the WU client also writes System).
const (
	ChannelWUOperational = "Microsoft-Windows-WindowsUpdateClient/Operational"
	ChannelDOOperational = "Microsoft-Windows-DeliveryOptimization/Operational"
)

// scopeWU marks occurrences of Windows Update client and Delivery
// Optimization events.
const scopeWU = "wu"

// sourceWU is the knowledge-base source of the Windows Update entries.
const sourceWU = "wu-facts"

// Generic Windows Update entries (kbdata/wu-kb.json), used when no entry
// lists the reported code.
const (
	wuDownloadEntry = "wu-download-failure"
	wuScanEntry     = "wu-scan-failure"
	wuInstallEntry  = "wu-install-failure"
	doEntry         = "do-download-failure"
	wuConnectEntry  = "wu-name-or-proxy" // events 16, 29, 32, 33: no connection to the server or proxy
)

// wuOp is what a Windows Update client event reports.
type wuOp uint8

// Operations of the WU client events.
const (
	wuOpOther wuOp = iota
	wuOpDownload
	wuOpScan
	wuOpInstall
)

// wuEventInfo describes one WU client event id.
type wuEventInfo struct {
	op      wuOp
	failure bool
	what    string // for evidence text
	entry   string // the entry of a failure event that carries no code ("" = by code and operation)
}

// wuEvents are the WU client event ids the analysis reads (wu-facts §1.2).
var wuEvents = map[uint16]wuEventInfo{
	16:  {wuOpScan, true, "unable to connect to the automatic updates service", wuConnectEntry},
	17:  {wuOpDownload, false, "installation ready", ""},
	18:  {wuOpDownload, false, "installation ready (scheduled)", ""},
	19:  {wuOpInstall, false, "installed", ""},
	20:  {wuOpInstall, true, "installation failed", ""},
	21:  {wuOpInstall, false, "restart required", ""},
	22:  {wuOpInstall, false, "restart scheduled", ""},
	23:  {wuOpInstall, false, "uninstalled", ""},
	24:  {wuOpInstall, true, "uninstallation failed", ""},
	25:  {wuOpScan, true, "check for updates failed", ""},
	26:  {wuOpScan, false, "check for updates succeeded", ""},
	27:  {wuOpOther, false, "automatic updates paused", ""},
	28:  {wuOpOther, false, "automatic updates resumed", ""},
	29:  {wuOpScan, true, "lost connectivity", wuConnectEntry},
	30:  {wuOpScan, false, "established connectivity", ""},
	31:  {wuOpDownload, true, "download failed", ""},
	32:  {wuOpScan, true, "cannot connect to the server", wuConnectEntry},
	33:  {wuOpScan, true, "proxy credentials required", wuConnectEntry},
	34:  {wuOpInstall, true, "self-update of the client core failed", ""},
	35:  {wuOpInstall, true, "self-update of the client auxiliary component failed", ""},
	36:  {wuOpInstall, false, "client core self-updated", ""},
	37:  {wuOpInstall, false, "client auxiliary component self-updated", ""},
	38:  {wuOpOther, false, "service stop request", ""},
	39:  {wuOpOther, false, "service shutdown request", ""},
	40:  {wuOpScan, false, "update detected", ""},
	41:  {wuOpDownload, false, "downloaded", ""},
	42:  {wuOpOther, false, "health changed", ""},
	43:  {wuOpInstall, false, "installation started", ""},
	44:  {wuOpDownload, false, "download started", ""},
	212: {wuOpInstall, false, "reverted", ""},
	213: {wuOpInstall, true, "revert failed", ""},
	214: {wuOpInstall, false, "revert started", ""},
	215: {wuOpInstall, false, "uninstallation started", ""},
	216: {wuOpInstall, false, "committed", ""},
	217: {wuOpInstall, true, "commit failed", ""},
	218: {wuOpInstall, false, "commit started", ""},
}

// Update services by serviceGuid (wu-facts §1.3).
var wuServices = map[string]string{
	"9482f4b4-e343-43b6-b170-9a65bc822c77": "Windows Update",
	"7971f918-a847-4430-9279-4a52d1efe18d": "Microsoft Update",
	"855e8a7c-ecb4-4ca3-b045-1dfa50104289": "Microsoft Store",
	"8b24b027-1dee-babb-9a95-3517dfb9c552": "OS Flighting",
	"3da21691-e39d-4da6-8a4b-b43877bcb1b7": "WSUS or Configuration Manager",
}

// wuEvent is what one WU client or DO record says.
type wuEvent struct {
	ev       *Fact
	info     wuEventInfo
	code     uint32
	hasCode  bool
	title    string
	update   string // lower-case GUID without braces
	revision string
	service  string // lower-case serviceGuid without braces
	server   string // serverName of 32/33: the update server or proxy
}

// wuState collects the Windows Update evidence while events are handled.
type wuState struct {
	events  []*wuEvent           // every WU/DO event, in time order
	success map[string]time.Time // computer|update -> last download or install success
	doSeen  map[string]bool      // computers with a Delivery Optimization event
	titles  map[string][]string  // computer -> update titles seen (for the Windows version)
	servers map[string]bool      // update server host names Windows Update named (event 32)
}

// wuFields reads a WU client or DO record.
func wuFields(e *Fact) *wuEvent {
	w := &wuEvent{ev: e, info: wuEvents[e.EventID]}
	if strings.EqualFold(e.Provider, ProviderDO) {
		w.info = wuEventInfo{op: wuOpDownload, what: "Delivery Optimization event"}
		for _, f := range e.Data {
			if c, ok := parseCodeValue(f.Value); ok && c>>16 == 0x80D0 {
				w.code, w.hasCode, w.info.failure = c, true, true
				break
			}
		}
		return w
	}
	if v := strings.TrimSpace(e.Value("errorCode")); v != "" {
		w.code, w.hasCode = parseCodeValue(v)
	}
	w.title = firstValue(e, "updateTitle", "updatelist")
	w.update = normGUIDText(e.Value("updateGuid"))
	w.revision = strings.TrimSpace(e.Value("updateRevisionNumber"))
	w.service = normGUIDText(e.Value("serviceGuid"))
	w.server = strings.TrimSpace(e.Value("serverName"))
	return w
}

// normGUIDText lower-cases a GUID and drops its braces.
func normGUIDText(s string) string {
	return strings.ToLower(strings.Trim(strings.TrimSpace(s), "{}"))
}

// handleWU takes one Windows Update client or Delivery Optimization event.
func (s *state) handleWU(e *Fact) {
	w := wuFields(e)
	ws := &s.wu
	if ws.success == nil {
		ws.success, ws.doSeen, ws.titles = map[string]time.Time{}, map[string]bool{}, map[string][]string{}
		ws.servers = map[string]bool{}
	}
	if e.EventID == 32 && w.server != "" {
		h := hostOf(w.server)
		if h == "" {
			h, _, _ = strings.Cut(strings.ToLower(w.server), ":")
		}
		ws.servers[h] = true
	}
	ws.events = append(ws.events, w)
	if strings.EqualFold(e.Provider, ProviderDO) {
		ws.doSeen[e.Computer] = true
	}
	if w.title != "" && len(ws.titles[e.Computer]) < 64 && !slices.Contains(ws.titles[e.Computer], w.title) {
		ws.titles[e.Computer] = append(ws.titles[e.Computer], w.title)
	}
	if !w.info.failure {
		if w.update != "" && (e.EventID == 19 || e.EventID == 41) {
			ws.success[e.Computer+"|"+w.update] = e.TimeCreated
		}
		return
	}
	en := s.wuEntry(w)
	if en == nil { // a --kb file cannot remove built-in entries; defensive
		return
	}
	o := &occurrence{kbID: en.ID, entry: en, code: w.code, hasCode: w.hasCode, ev: e,
		jobTitle: w.title, scope: scopeWU, host: strings.ToLower(w.server)}
	if sig := wuSignature(en, e.EventID); sig != nil {
		o.sigSev = sig.Severity
	}
	s.occs = append(s.occs, o)
}

// wuEntry picks the knowledge-base entry of a Windows Update failure: the
// Windows Update entry listing its code, else the generic entry for its
// operation (a code on the download path makes an install-event failure a
// download failure).
func (s *state) wuEntry(w *wuEvent) *Entry {
	if !w.hasCode && w.info.entry != "" {
		return s.kb.ByID(w.info.entry)
	}
	if w.hasCode {
		if en := s.kb.ByCode(w.code); en != nil && en.Source == sourceWU {
			return en
		}
		if w.code>>16 == 0x80D0 {
			return s.kb.ByID(doEntry)
		}
	}
	switch {
	case w.info.op == wuOpDownload:
		return s.kb.ByID(wuDownloadEntry)
	case w.info.op == wuOpScan:
		return s.kb.ByID(wuScanEntry)
	case w.hasCode && onDownloadPath(w.code):
		return s.kb.ByID(wuDownloadEntry)
	}
	return s.kb.ByID(wuInstallEntry)
}

// onDownloadPath reports whether a code Windows Update reports belongs to
// the download path (BITS, Delivery Optimization, HTTP, WinHTTP, the
// download manager, the WU network codes; wu-facts §2.5).
func onDownloadPath(c uint32) bool {
	fac, low := (c>>16)&facilityWin32Mask, c&0xFFFF
	switch {
	case !isFailure(c):
		return false
	case fac == facilityBITS, fac == facilityHTTP, fac == facilityDO:
		return true
	case fac == facilityWin32 && low >= winHTTPFirst && low <= winHTTPLast:
		return true
	case c>>12 == 0x80246: // download manager
		return c != 0x80246013 // WU_E_DM_UPDATEREMOVED: the downloaded update was already removed (install side)
	}
	switch c {
	case 0x8024001F, 0x80240034, 0x80240038, 0x8024402C, 0x8024401B, 0x80240030, 0x8024043C:
		return true
	}
	return false
}

// wuEvidenceText describes a Windows Update occurrence's record, or "" for
// other occurrences.
func wuEvidenceText(o *occurrence) string {
	if o.scope != scopeWU {
		return ""
	}
	w := wuFields(o.ev)
	t := w.info.what
	if t == "" {
		t = "event " + strconv.Itoa(int(o.ev.EventID))
	}
	if strings.EqualFold(o.ev.Provider, ProviderDO) {
		t = "Delivery Optimization event " + strconv.Itoa(int(o.ev.EventID))
	} else {
		t = "Windows Update: " + t
	}
	if o.hasCode {
		t += " with " + FormatCode(o.code)
	}
	if w.title != "" {
		t += ": " + quote(w.title)
	}
	if w.server != "" {
		t += " " + quote(w.server)
	}
	if w.revision != "" {
		t += " (revision " + w.revision + ")"
	}
	if name := wuServices[w.service]; name != "" {
		t += ", service " + name
	}
	return t
}

// wuSignature returns the entry's unconditional signature of a WU client
// event (its severity applies), or nil.
func wuSignature(en *Entry, id uint16) *EventSig {
	for i := range en.Events {
		if sig := &en.Events[i]; sig.EventID == id && sig.CodeField == "" && strings.EqualFold(sig.Provider, ProviderWU) {
			return sig
		}
	}
	return nil
}
