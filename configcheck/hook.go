package configcheck

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"bitsdiag/analyze"
	"bitsdiag/snapshot"
)

// File is one text file an input layer found (in a folder, an archive or
// on the command line) that may be a snapshot.
type File struct {
	Name string // as the inventory shows it
	Data []byte
}

// Status is what became of one file.
type Status string

// File statuses for the inventory.
const (
	StatusRead       Status = "read"         // a snapshot, parsed
	StatusUnreadable Status = "unreadable"   // looks like a snapshot, cannot be read: Reason says why
	StatusNotOurs    Status = "not-snapshot" // other text: skipped as today
)

// InventoryItem is one file's line in the report's inventory.
type InventoryItem struct {
	Name     string
	Status   Status
	Kind     snapshot.Kind
	Encoding snapshot.Encoding
	Reason   string
}

// Result is the configuration check of one machine's snapshot files.
type Result struct {
	Inventory []InventoryItem
	Machine   *Machine
	Findings  []Finding
}

// Options of Analyze.
type Options struct {
	Settings snapshot.Settings
	// Version from the event logs, used when no snapshot names it.
	EventVersion Version
	// Events: counts of 16397, 16398, 16400-16402 in the same machine's logs.
	Events Events
	// ServiceRanAt is the last time the event logs show BITS running (zero
	// when unknown). A snapshot that says BITS cannot start contradicts it
	// unless the configuration changed later: the findings say so.
	ServiceRanAt time.Time
}

// startBlockers are the items that stop BITS from starting.
var startBlockers = map[Item]bool{ItemService: true, ItemStart: true, ItemParameters: true, ItemServiceDll: true, ItemNetsvcs: true,
	ItemAccount: true, ItemDependencies: true}

// Analyze reads the files of one machine and checks the configuration: the
// narrow hook for the report (pipeline/inputs call it with the text files
// they found; analyze.Finding values come from Finding.Analyze).
func Analyze(files []File, opt Options) Result {
	var res Result
	var inputs []Input
	for _, f := range files {
		it := InventoryItem{Name: f.Name}
		s, err := snapshot.Parse(f.Data, opt.Settings)
		var fe *snapshot.FormatError
		switch {
		case err == nil:
			it.Status, it.Kind, it.Encoding = StatusRead, s.Kind, s.Encoding
			inputs = append(inputs, Input{Name: f.Name, Snap: s})
		case errors.As(err, &fe):
			it.Status, it.Kind, it.Reason = StatusUnreadable, fe.Kind, fe.Error()
		default:
			it.Status = StatusNotOurs
			if k, ok := snapshot.ExpectedKind(f.Name); ok && k != snapshot.KindUnknown {
				// A collection file that came out empty or garbled.
				it.Status, it.Kind = StatusUnreadable, k
				it.Reason = fmt.Sprintf("named like the %s output of the collection but holds no such output", k)
				if strings.HasPrefix(k.String(), "sc-") && len(strings.TrimSpace(strings.Trim(string(f.Data), "\xff\xfe\x00"))) <= 4 {
					it.Reason += "; in Windows PowerShell `sc` is Set-Content: run `sc.exe`"
				}
			}
		}
		res.Inventory = append(res.Inventory, it)
	}
	res.Machine = Build(inputs)
	if res.Machine.Version.Family == FamilyUnknown && opt.EventVersion.Family != FamilyUnknown {
		res.Machine.Version = opt.EventVersion
	}
	if len(inputs) > 0 {
		res.Findings = Check(res.Machine, opt.Events)
	}
	if !opt.ServiceRanAt.IsZero() {
		for i := range res.Findings {
			f := &res.Findings[i]
			if startBlockers[f.Item] && f.Severity == analyze.SeverityError {
				f.Notes = append(f.Notes, "The event logs show BITS running at "+opt.ServiceRanAt.UTC().Format(time.RFC3339)+
					": either this setting changed after that time, or the snapshots and the logs come from different machines.")
			}
		}
	}
	return res
}

// EventID is a stable pseudo event id per item, for a non-event analysis
// source (analyze/SOURCES.md "Adding a non-event source"): one fact per
// finding with provider FactProvider, this id and Fields as data.
func (i Item) EventID() uint16 {
	for n, x := range allItems {
		if x == i {
			return uint16(n + 1)
		}
	}
	return 0
}

// FactProvider is the pseudo provider of configuration facts.
const FactProvider = "bitsdiag-snapshot/config"

var allItems = []Item{ItemService, ItemImagePath, ItemServiceDll, ItemParameters, ItemUnloadOnStop, ItemStart, ItemType,
	ItemErrorControl, ItemAccount, ItemDependencies, ItemPrivileges, ItemSIDType, ItemFailure, ItemNetsvcs, ItemSecurity,
	ItemJobLimits, ItemJobsPerOwner, ItemAccess, ItemProxyRanges}

// Fields are a finding's values as name/value pairs for a fact.
func (f Finding) Fields() map[string]string {
	var cmds []string
	for _, s := range f.Fix {
		cmds = append(cmds, s.Commands...)
	}
	return map[string]string{
		"item": string(f.Item), "found": f.Found, "expected": f.Expected, "windows": f.Windows,
		"commands": strings.Join(cmds, "\n"), "evidence": strings.Join(f.Evidence, "; "),
	}
}

// KBID is the item's knowledge-base entry (config-kb.json).
func (i Item) KBID() string { return "config-" + string(i) }
