package configcheck

import "bitsdiag/analyze"

// itemEntry is the knowledge-base entry of one item (config-kb.json,
// "config-<item>"): what the report says when the fact carries nothing more
// specific. The fact's title, found and expected values and commands, made
// for the machine's version, complete the finding (analyze.refineConfig).
type itemEntry struct {
	title, cause, section string
	blocker               bool // can stop BITS from starting: entry severity error
}

var itemEntries = map[Item]itemEntry{
	ItemService:      {"BITS is not installed", "The BITS service does not exist on the machine, so nothing that uses BITS can download.", secStart, true},
	ItemImagePath:    {"BITS image path differs from the shipped one", "The service's ImagePath does not start svchost.exe with the netsvcs group as the Windows version ships it.", secRepair, true},
	ItemServiceDll:   {`BITS Parameters\ServiceDll is missing or wrong`, "svchost.exe loads BITS from Parameters\\ServiceDll; without %SystemRoot%\\System32\\qmgr.dll the service cannot start.", secStart, true},
	ItemParameters:   {`BITS Parameters key is missing`, "The Parameters key holds ServiceDll; without it svchost.exe cannot load BITS.", secStart, true},
	ItemUnloadOnStop: {`BITS Parameters\ServiceDllUnloadOnStop differs from the shipped value`, "Windows 10 1703 and later unload qmgr.dll when BITS stops.", secRepair, false},
	ItemStart:        {"BITS start type differs from the shipped one", "A disabled BITS cannot start; a manual one starts only on demand.", secStart, true},
	ItemType:         {"BITS service type differs from the shipped one", "BITS is a shared-process service (WIN32_SHARE_PROCESS) in svchost.exe.", secRepair, false},
	ItemErrorControl: {"BITS error control differs from the shipped one", "BITS ships with error control NORMAL.", secRepair, false},
	ItemAccount:      {"BITS does not run as LocalSystem", "BITS must run under the LocalSystem account.", secAccount, true},
	ItemDependencies: {"BITS dependencies differ from the shipped list", "A missing or extra dependency stops BITS from starting or changes when it starts.", secStart, true},
	ItemPrivileges:   {"BITS required privileges differ from the shipped list", "BITS' service SID gets only the privileges RequiredPrivileges lists.", secRepair, false},
	ItemSIDType:      {"BITS service SID type differs from the shipped one", "BITS ships with an unrestricted service SID.", secRepair, false},
	ItemFailure:      {"BITS recovery actions differ from the shipped ones", "BITS ships restarting itself after a failure.", secRepair, false},
	ItemNetsvcs:      {"BITS is not in the netsvcs svchost group", "svchost.exe -k netsvcs starts only the services its group lists.", secStart, true},
	ItemSecurity:     {"BITS service security descriptor is not a known default", "A changed security descriptor can keep users or Windows Update from starting or querying BITS.", secRepair, false},
	ItemJobLimits:    {"BITS job limits set by policy do not fit together", "The per-user job limit must be lower than the per-computer limit, or one user can take every job slot.", secLimits, false},
	ItemJobsPerOwner: {"An owner has as many BITS jobs as the policy allows", "New jobs of that owner fail with BG_E_TOO_MANY_JOBS_PER_USER or BG_E_TOO_MANY_JOBS_PER_MACHINE.", secLimits, false},
	ItemAccess:       {"Some snapshots were taken without enough rights", "A command of the collection was refused (access denied): its output is missing.", secRepair, false},
	ItemProxyRanges:  {"Jobs fail for want of HTTP range support while a proxy is configured", "BITS needs HTTP/1.1 range requests; a proxy that drops or rewrites them makes downloads fail.", secProxy, false},
}

// entrySeverity is the entry's own severity; each signature sets the
// severity of the fact it matches.
func (e itemEntry) entrySeverity() analyze.Severity {
	if e.blocker {
		return analyze.SeverityError
	}
	return analyze.SeverityWarning
}
