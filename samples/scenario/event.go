// Package scenario describes the sample logs of bitsdiag: events shaped like
// the ones Windows writes (System element, EventData with the field names and
// value types of the Bits-Client manifest and the Service Control Manager),
// and the scenarios built from them.
package scenario

import (
	"fmt"
	"time"

	"bitsdiag/samples/evtxwrite"
)

// Provider names an event provider as Windows' <Provider> element does.
type Provider struct {
	Name            string
	GUID            string // "{...}"
	EventSourceName string // set for classic-style providers such as the SCM
}

// The two providers of the samples, and an unrelated set for noise.
var (
	BitsClient = Provider{Name: "Microsoft-Windows-Bits-Client", GUID: "{EF1CC15B-46C1-414E-BB95-E76B077BD51E}"}
	SCM        = Provider{Name: "Service Control Manager", GUID: "{555908D1-A6D7-4695-8E1E-26931D2012F4}", EventSourceName: "Service Control Manager"}
	// EventLog is the Event Log service's classic provider (6005, 6009):
	// no GUID in its records.
	EventLog = Provider{Name: "EventLog"}
)

// Channel names.
const (
	ChannelSystem      = "System"
	ChannelOperational = "Microsoft-Windows-Bits-Client/Operational"
)

// Field is one EventData <Data Name=...> value.
type Field struct {
	Name  string
	Value evtxwrite.Value
	Text  string // the value as python-evtx renders it, for independent checks
}

// Event is one event record in Windows' shape.
type Event struct {
	Provider   Provider
	EventID    uint16
	Qualifiers *uint16 // nil: no qualifiers (manifest providers)
	Version    uint8
	Level      uint8
	Task       uint16
	Opcode     uint8
	Keywords   uint64
	Time       time.Time
	ActivityID string // "" for none
	ProcessID  uint32
	ThreadID   uint32
	Channel    string
	Computer   string
	UserID     string // SID; "" for none
	Data       []Field
	Binary     []byte // EventData <Binary>, nil for none
}

// Templates caches the templates for events, so equal shapes share one
// template object. The zero value is not usable; call NewTemplates.
type Templates struct {
	system map[string]*evtxwrite.Template
	data   map[string]*evtxwrite.Template
}

// NewTemplates returns an empty cache.
func NewTemplates() *Templates {
	return &Templates{system: map[string]*evtxwrite.Template{}, data: map[string]*evtxwrite.Template{}}
}

// Substitution indexes of the System template, in the order Windows uses.
const (
	subLevel = iota
	subOpcode
	subTask
	subEventID
	subQualifiers
	subKeywords
	subTimeCreated
	subActivityID
	subProcessID
	subThreadID
	subRecordID
	subVersion
	subUserID
	subRelatedActivityID
	subProviderName
	subProviderGUID
	subEventSourceName
	subEventData
	systemSubs
)

func opt(i int, t evtxwrite.ValueType) evtxwrite.Sub {
	return evtxwrite.Sub{Index: uint16(i), Type: t, Optional: true}
}

func elem(name string, children ...evtxwrite.Node) *evtxwrite.Element {
	return &evtxwrite.Element{Name: name, Children: children}
}

// systemTemplate returns the outer template: Event, System, and the
// EventData substitution (a nested Binary XML fragment).
func (ts *Templates) systemTemplate(channel, computer string, sourceName bool) (*evtxwrite.Template, error) {
	key := fmt.Sprintf("%s\x00%s\x00%t", channel, computer, sourceName)
	if t, ok := ts.system[key]; ok {
		return t, nil
	}
	provAttrs := []evtxwrite.Attr{
		{Name: "Name", Value: evtxwrite.Sub{Index: subProviderName, Type: evtxwrite.TypeString}},
		{Name: "Guid", Value: opt(subProviderGUID, evtxwrite.TypeGUID)},
	}
	if sourceName {
		provAttrs = append(provAttrs, evtxwrite.Attr{Name: "EventSourceName", Value: opt(subEventSourceName, evtxwrite.TypeString)})
	}
	system := elem("System",
		&evtxwrite.Element{Name: "Provider", Attrs: provAttrs},
		&evtxwrite.Element{Name: "EventID", Attrs: []evtxwrite.Attr{{Name: "Qualifiers", Value: opt(subQualifiers, evtxwrite.TypeUInt16)}},
			Children: []evtxwrite.Node{opt(subEventID, evtxwrite.TypeUInt16)}},
		elem("Version", opt(subVersion, evtxwrite.TypeUInt8)),
		elem("Level", opt(subLevel, evtxwrite.TypeUInt8)),
		elem("Task", opt(subTask, evtxwrite.TypeUInt16)),
		elem("Opcode", opt(subOpcode, evtxwrite.TypeUInt8)),
		elem("Keywords", opt(subKeywords, evtxwrite.TypeHexInt64)),
		&evtxwrite.Element{Name: "TimeCreated", Attrs: []evtxwrite.Attr{{Name: "SystemTime", Value: opt(subTimeCreated, evtxwrite.TypeFileTime)}}},
		elem("EventRecordID", opt(subRecordID, evtxwrite.TypeUInt64)),
		&evtxwrite.Element{Name: "Correlation", Attrs: []evtxwrite.Attr{
			{Name: "ActivityID", Value: opt(subActivityID, evtxwrite.TypeGUID)},
			{Name: "RelatedActivityID", Value: opt(subRelatedActivityID, evtxwrite.TypeGUID)}}},
		&evtxwrite.Element{Name: "Execution", Attrs: []evtxwrite.Attr{
			{Name: "ProcessID", Value: opt(subProcessID, evtxwrite.TypeUInt32)},
			{Name: "ThreadID", Value: opt(subThreadID, evtxwrite.TypeUInt32)}}},
		elem("Channel", evtxwrite.Text(channel)),
		elem("Computer", evtxwrite.Text(computer)),
		&evtxwrite.Element{Name: "Security", Attrs: []evtxwrite.Attr{{Name: "UserID", Value: opt(subUserID, evtxwrite.TypeSID)}}},
	)
	root := &evtxwrite.Element{
		Name:     "Event",
		Attrs:    []evtxwrite.Attr{{Name: "xmlns", Value: evtxwrite.Text("http://schemas.microsoft.com/win/2004/08/events/event")}},
		Children: []evtxwrite.Node{system, opt(subEventData, evtxwrite.TypeBinXML)},
	}
	t, err := evtxwrite.NewTemplate(root)
	if err != nil {
		return nil, err
	}
	ts.system[key] = t
	return t, nil
}

// dataTemplate returns the EventData template for the field names and types.
func (ts *Templates) dataTemplate(fields []Field, binary bool) (*evtxwrite.Template, error) {
	key := fmt.Sprint(binary)
	for _, f := range fields {
		key += fmt.Sprintf("\x00%s/%d", f.Name, f.Value.Type)
	}
	if t, ok := ts.data[key]; ok {
		return t, nil
	}
	var kids []evtxwrite.Node
	for i, f := range fields {
		kids = append(kids, &evtxwrite.Element{
			Name:     "Data",
			Attrs:    []evtxwrite.Attr{{Name: "Name", Value: evtxwrite.Text(f.Name)}},
			Children: []evtxwrite.Node{evtxwrite.Sub{Index: uint16(i), Type: f.Value.Type}},
		})
	}
	if binary {
		kids = append(kids, elem("Binary", evtxwrite.Sub{Index: uint16(len(fields)), Type: evtxwrite.TypeBinary}))
	}
	t, err := evtxwrite.NewTemplate(&evtxwrite.Element{Name: "EventData", Children: kids})
	if err != nil {
		return nil, err
	}
	ts.data[key] = t
	return t, nil
}

// Record builds the event record with identifier id.
func (ts *Templates) Record(e Event, id uint64) (evtxwrite.Record, error) {
	st, err := ts.systemTemplate(e.Channel, e.Computer, e.Provider.EventSourceName != "")
	if err != nil {
		return evtxwrite.Record{}, err
	}
	dt, err := ts.dataTemplate(e.Data, e.Binary != nil)
	if err != nil {
		return evtxwrite.Record{}, err
	}
	dv := make([]evtxwrite.Value, 0, len(e.Data)+1)
	for _, f := range e.Data {
		dv = append(dv, f.Value)
	}
	if e.Binary != nil {
		dv = append(dv, evtxwrite.Binary(e.Binary))
	}
	v := make([]evtxwrite.Value, systemSubs)
	for i := range v {
		v[i] = evtxwrite.Null()
	}
	v[subLevel] = evtxwrite.UInt8(e.Level)
	v[subOpcode] = evtxwrite.UInt8(e.Opcode)
	v[subTask] = evtxwrite.UInt16(e.Task)
	v[subEventID] = evtxwrite.UInt16(e.EventID)
	if e.Qualifiers != nil {
		v[subQualifiers] = evtxwrite.UInt16(*e.Qualifiers)
	}
	v[subKeywords] = evtxwrite.HexInt64(e.Keywords)
	v[subTimeCreated] = evtxwrite.FileTime(e.Time)
	if e.ActivityID != "" {
		g, err := evtxwrite.ParseGUID(e.ActivityID)
		if err != nil {
			return evtxwrite.Record{}, err
		}
		v[subActivityID] = evtxwrite.GUIDValue(g)
	}
	v[subProcessID] = evtxwrite.UInt32(e.ProcessID)
	v[subThreadID] = evtxwrite.UInt32(e.ThreadID)
	v[subRecordID] = evtxwrite.UInt64(id)
	v[subVersion] = evtxwrite.UInt8(e.Version)
	if e.UserID != "" {
		sid, err := evtxwrite.SIDValue(e.UserID)
		if err != nil {
			return evtxwrite.Record{}, err
		}
		v[subUserID] = sid
	}
	v[subProviderName] = evtxwrite.String(e.Provider.Name)
	if e.Provider.GUID != "" { // classic providers (EventLog) have none
		g, err := evtxwrite.ParseGUID(e.Provider.GUID)
		if err != nil {
			return evtxwrite.Record{}, err
		}
		v[subProviderGUID] = evtxwrite.GUIDValue(g)
	}
	if e.Provider.EventSourceName != "" {
		v[subEventSourceName] = evtxwrite.String(e.Provider.EventSourceName)
	}
	v[subEventData] = evtxwrite.BinXML(evtxwrite.Instance{Template: dt, Values: dv})
	return evtxwrite.Record{ID: id, Written: e.Time, Event: evtxwrite.Instance{Template: st, Values: v}}, nil
}
