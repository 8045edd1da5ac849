// Package snapgen writes configuration snapshots (sc.exe, reg.exe,
// bitsadmin, Get-BitsTransfer, netsh outputs) as Windows writes them, for a
// described machine: the layouts of shared/reference/config-facts.md, the
// encodings of the shell that redirected them. Samples and tests use it; no
// real customer file is copied.
package snapgen

import (
	"fmt"
	"strings"
	"unicode/utf16"
)

// Shell is how the customer redirected the output, which fixes the bytes.
type Shell int

// Shells (config-facts §1.2).
const (
	ShellCmd  Shell = iota // cmd.exe ">": the program's 8-bit OEM bytes, CRLF
	ShellPS51              // Windows PowerShell 5.1 ">": UTF-16LE with BOM, CRLF
	ShellPS7               // PowerShell 7.0-7.3 ">": UTF-8 without BOM, CRLF
)

// Machine is the configuration a sample set shows.
type Machine struct {
	Product  string // ProductName, e.g. "Windows 10 Pro"
	Version  string // CurrentVersion, "6.1" / "6.3"
	Build    string // CurrentBuildNumber, "7601" / "9600" / "19045"
	Display  string // DisplayVersion ("22H2"), "" before Windows 10 20H2
	Computer string // ActiveComputerName

	Missing bool // BITS is not installed (sc ... FAILED 1060)

	StatusWord   string // "SUCCESS"; localized words ("réussite(s)") test OEM pages
	DisplayName  string // sc qc DISPLAY_NAME (localized on some machines)
	RuntimeType  uint32 // sc query TYPE (0x30 on Windows 10 clients)
	State        uint32 // 4 RUNNING, 1 STOPPED
	PID          uint32
	ImagePath    string // registry form (%SystemRoot%\...)
	Type         uint32
	Start        uint32
	Delayed      bool
	DelayedName  string // "DelayedAutoStart" (7/8.1) or "DelayedAutostart" (10)
	ErrorControl uint32
	ObjectName   string
	Depend       []string
	Privileges   []string
	SIDType      uint32 // 1 UNRESTRICTED
	ResetPeriod  uint32
	Actions      [][2]uint32 // {type, delay ms}; type 1 restart, 0 none
	SDDL         string

	Parameters   bool // the Parameters key exists
	ServiceDll   string
	UnloadOnStop bool

	Netsvcs []string

	Policy      [][2]any // ordered {name string, value uint32}; nil: no policy key
	Jobs        []Job
	WinHTTP     string // "" direct, else "host:port"
	IEProxy     string // LocalSystem proxy usage: "" NO_PROXY, else a MANUAL_PROXY list
	ValueOrder7 bool   // Windows 7 stored value order
}

// Job is one BITS job a listing shows.
type Job struct {
	ID, Name, Owner, State string
	ErrorCode, Context     uint32
	URL, Local             string
	BytesDone, BytesTotal  int64 // BytesTotal -1 = UNKNOWN
}

// SDDL strings (config-facts §2.10).
const (
	SDDLShipped = `D:(A;CI;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)(A;;CCLCSWLOCRRC;;;SU)S:(AU;SAFA;WDWO;;;BA)`
)

var (
	privs5 = []string{"SeCreateGlobalPrivilege", "SeImpersonatePrivilege", "SeTcbPrivilege", "SeAssignPrimaryTokenPrivilege", "SeIncreaseQuotaPrivilege"}
	// netsvcs as a third-party Windows 10 22H2 script keeps it (config-facts §3.6), shortened.
	netsvcs = []string{"CertPropSvc", "SCPolicySvc", "lanmanserver", "gpsvc", "IKEEXT", "iphlpsvc", "seclogon", "AppInfo", "msiscsi", "MMCSS", "winmgmt", "SessionEnv", "browser", "EapHost", "schedule", "Themes", "BDESVC", "AeLookupSvc", "Wmi", "WmdmPmSp", "wuauserv", "BITS", "ShellHWDetection", "LanmanWorkstation"}
)

// Windows10 is a healthy Windows 10 22H2 client (1709+ hive values).
func Windows10() Machine {
	return Machine{Product: "Windows 10 Pro", Version: "6.3", Build: "19045", Display: "22H2", Computer: "PC1",
		StatusWord: "SUCCESS", DisplayName: "Background Intelligent Transfer Service", RuntimeType: 0x30, State: 4, PID: 3120,
		ImagePath: `%SystemRoot%\System32\svchost.exe -k netsvcs -p`, Type: 0x20, Start: 2, Delayed: true, DelayedName: "DelayedAutostart",
		ErrorControl: 1, ObjectName: "LocalSystem", Depend: []string{"RpcSs"},
		Privileges: append(append([]string{}, privs5...), "SeDebugPrivilege"), SIDType: 1, ResetPeriod: 86400,
		Actions: [][2]uint32{{1, 60000}, {1, 120000}, {0, 0}}, SDDL: SDDLShipped,
		Parameters: true, ServiceDll: `%SystemRoot%\System32\qmgr.dll`, UnloadOnStop: true,
		Netsvcs: append([]string{}, netsvcs...),
		Jobs: []Job{{ID: "{70B45DD7-2A8B-4476-B67E-393821BFE542}", Name: "Basic Download Test", Owner: `NT AUTHORITY\SYSTEM`, State: "TRANSFERRED",
			URL: "http://wsus.example.test:8530/Content/1A/0123.cab", Local: `C:\Windows\SoftwareDistribution\Download\0123.cab`, BytesDone: 1024, BytesTotal: 1024}},
	}
}

// Windows7 is a healthy Windows 7 SP1 client (the real Windows 7 hive).
func Windows7() Machine {
	m := Windows10()
	m.Product, m.Version, m.Build, m.Display = "Windows 7 Professional", "6.1", "7601", ""
	m.RuntimeType, m.State, m.PID = 0x20, 1, 0
	m.ImagePath = `%SystemRoot%\System32\svchost.exe -k netsvcs`
	m.Start, m.DelayedName = 3, "DelayedAutoStart"
	m.Depend = []string{"RpcSs", "EventSystem"}
	m.Privileges = append([]string{}, privs5...)
	m.UnloadOnStop = false
	m.ValueOrder7 = true
	m.Jobs = nil
	return m
}

// Windows81 is a healthy Windows 8.1 client.
func Windows81() Machine {
	m := Windows7()
	m.Product, m.Version, m.Build = "Windows 8.1 Pro", "6.3", "9600"
	m.Start = 2
	return m
}

// File is one snapshot file.
type File struct {
	Name string
	Data []byte
}

// Files renders every file of the collection (bitsdiag collect's names)
// for m, redirected by shell. reg export is UTF-16LE whatever the shell.
func Files(m Machine, shell Shell) []File {
	out := []File{
		{"sc-query.txt", encode(SCQuery(m, false), shell)},
		{"sc-queryex.txt", encode(SCQuery(m, true), shell)},
		{"sc-qc.txt", encode(SCQC(m), shell)},
		{"sc-qfailure.txt", encode(SCQFailure(m), shell)},
		{"sc-qprivs.txt", encode(SCQPrivs(m), shell)},
		{"sc-qsidtype.txt", encode(SCQSidType(m), shell)},
		{"sc-qtriggerinfo.txt", encode(SCQTriggerInfo(m), shell)},
		{"sc-sdshow.txt", encode(SCSDShow(m), shell)},
		{"reg-bits-query.txt", encode(RegQueryBITS(m), shell)},
		{"reg-svchost-netsvcs.txt", encode(RegQueryNetsvcs(m), shell)},
		{"reg-bits-policy.txt", encode(RegQueryPolicy(m), shell)},
		{"reg-windows-version.txt", encode(RegQueryVersion(m), shell)},
		{"reg-computername.txt", encode(RegQueryComputerName(m), shell)},
		{"bitsadmin-jobs.txt", encode(Bitsadmin(m), shell)},
		{"get-bitstransfer.txt", encode(BitsTransfer(m), ShellPS51)},
		{"netsh-winhttp-proxy.txt", encode(NetshProxy(m), shell)},
		{"ieproxy-localsystem.txt", encode(IEProxy(m, "LocalSystem"), shell)},
		{"ieproxy-networkservice.txt", encode(IEProxy(m, "NetworkService"), shell)},
		{"ieproxy-localservice.txt", encode(IEProxy(m, "LocalService"), shell)},
	}
	if !m.Missing {
		out = append(out, File{"reg-bits.reg", encode(RegExport(m), ShellPS51)})
	}
	return out
}

// encode writes LF text with CRLF in the shell's encoding.
func encode(text string, shell Shell) []byte {
	text = strings.ReplaceAll(text, "\n", "\r\n")
	switch shell {
	case ShellPS51:
		u := utf16.Encode([]rune(text))
		b := make([]byte, 2, 2+2*len(u))
		b[0], b[1] = 0xFF, 0xFE
		for _, c := range u {
			b = append(b, byte(c), byte(c>>8))
		}
		return b
	case ShellCmd:
		return toOEM850(text)
	}
	return []byte(text)
}

// toOEM850 encodes the few non-ASCII letters the samples use in CP850.
func toOEM850(s string) []byte {
	oem := map[rune]byte{'é': 0x82, 'è': 0x8A, 'à': 0x85, 'ü': 0x81, 'ä': 0x84, 'ö': 0x94, 'É': 0x90}
	var b []byte
	for _, r := range s {
		switch {
		case r < 0x80:
			b = append(b, byte(r))
		case oem[r] != 0:
			b = append(b, oem[r])
		default:
			b = append(b, '?')
		}
	}
	return b
}

var stateNames = map[uint32]string{1: "STOPPED", 2: "START_PENDING", 3: "STOP_PENDING", 4: "RUNNING"}
var typeNames = map[uint32]string{0x10: "WIN32_OWN_PROCESS", 0x20: "WIN32_SHARE_PROCESS", 0x30: "WIN32", 0x120: "WIN32_SHARE_PROCESS (interactive)"}

func failed1060(op string) string {
	return "[SC] " + op + " FAILED 1060:\n\nThe specified service does not exist as an installed service.\n\n"
}

// SCQuery is sc.exe query/queryex bits (config-facts §2.2, §2.3).
func SCQuery(m Machine, ex bool) string {
	if m.Missing {
		return failed1060("EnumQueryServicesStatus:OpenService")
	}
	flags := "(STOPPABLE, NOT_PAUSABLE, ACCEPTS_PRESHUTDOWN)"
	if m.State != 4 {
		flags = "(NOT_STOPPABLE, NOT_PAUSABLE, IGNORES_SHUTDOWN)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nSERVICE_NAME: bits\n")
	fmt.Fprintf(&b, "        TYPE               : %x  %s\n", m.RuntimeType, typeNames[m.RuntimeType])
	fmt.Fprintf(&b, "        STATE              : %d  %s\n", m.State, stateNames[m.State])
	fmt.Fprintf(&b, "                                %s\n", flags)
	b.WriteString("        WIN32_EXIT_CODE    : 0  (0x0)\n        SERVICE_EXIT_CODE  : 0  (0x0)\n        CHECKPOINT         : 0x0\n        WAIT_HINT          : 0x0\n")
	if ex {
		fmt.Fprintf(&b, "        PID                : %d\n        FLAGS              :\n", m.PID)
	}
	return b.String()
}

var startNames = map[uint32]string{0: "BOOT_START", 1: "SYSTEM_START", 2: "AUTO_START", 3: "DEMAND_START", 4: "DISABLED"}

// Expand is what sc qc prints for a registry path.
func Expand(p string) string {
	return strings.NewReplacer("%SystemRoot%", `C:\Windows`, "%systemroot%", `C:\Windows`, "%windir%", `C:\Windows`).Replace(p)
}

// SCQC is sc.exe qc bits (config-facts §2.4).
func SCQC(m Machine) string {
	if m.Missing {
		return failed1060("OpenService")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[SC] QueryServiceConfig %s\n\nSERVICE_NAME: bits\n", m.StatusWord)
	fmt.Fprintf(&b, "        TYPE               : %x  %s\n", m.Type, typeNames[m.Type])
	st := fmt.Sprintf("%d   %s", m.Start, startNames[m.Start])
	if m.Start == 2 && m.Delayed {
		st += "  (DELAYED)"
	}
	fmt.Fprintf(&b, "        START_TYPE         : %s\n", st)
	errNames := map[uint32]string{0: "IGNORE", 1: "NORMAL", 2: "SEVERE", 3: "CRITICAL"}
	fmt.Fprintf(&b, "        ERROR_CONTROL      : %d   %s\n", m.ErrorControl, errNames[m.ErrorControl])
	fmt.Fprintf(&b, "        BINARY_PATH_NAME   : %s\n", Expand(m.ImagePath))
	b.WriteString("        LOAD_ORDER_GROUP   :\n        TAG                : 0\n")
	fmt.Fprintf(&b, "        DISPLAY_NAME       : %s\n", m.DisplayName)
	for i, d := range m.Depend {
		if i == 0 {
			fmt.Fprintf(&b, "        DEPENDENCIES       : %s\n", d)
		} else {
			fmt.Fprintf(&b, "                           : %s\n", d)
		}
	}
	if len(m.Depend) == 0 {
		b.WriteString("        DEPENDENCIES       :\n")
	}
	fmt.Fprintf(&b, "        SERVICE_START_NAME : %s\n", m.ObjectName)
	return b.String()
}

// SCQFailure is sc.exe qfailure bits (config-facts §2.6).
func SCQFailure(m Machine) string {
	if m.Missing {
		return failed1060("OpenService")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[SC] QueryServiceConfig2 %s\n\nSERVICE_NAME: bits\n", m.StatusWord)
	fmt.Fprintf(&b, "        RESET_PERIOD (in seconds)    : %d\n        REBOOT_MESSAGE               :\n        COMMAND_LINE                 :\n", m.ResetPeriod)
	names := map[uint32]string{0: "NONE", 1: "RESTART", 2: "REBOOT", 3: "RUN PROCESS"}
	for i, a := range m.Actions {
		prefix := "        FAILURE_ACTIONS              : "
		if i > 0 {
			prefix = "                                       "
		}
		fmt.Fprintf(&b, "%s%s -- Delay = %d milliseconds.\n", prefix, names[a[0]], a[1])
	}
	return b.String()
}

// SCQPrivs is sc.exe qprivs bits (presumed layout, config-facts §2.7).
func SCQPrivs(m Machine) string {
	if m.Missing {
		return failed1060("OpenService")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[SC] QueryServiceConfig2 %s\n\nSERVICE_NAME: bits\n", m.StatusWord)
	for i, p := range m.Privileges {
		if i == 0 {
			fmt.Fprintf(&b, "        PRIVILEGES       : %s\n", p)
		} else {
			fmt.Fprintf(&b, "                         : %s\n", p)
		}
	}
	return b.String()
}

// SCQSidType is sc.exe qsidtype bits (config-facts §2.8).
func SCQSidType(m Machine) string {
	if m.Missing {
		return failed1060("OpenService")
	}
	names := map[uint32]string{0: "NONE", 1: "UNRESTRICTED", 3: "RESTRICTED"}
	return fmt.Sprintf("[SC] QueryServiceConfig2 %s\n\nSERVICE_NAME: bits\nSERVICE_SID_TYPE:  %s\n", m.StatusWord, names[m.SIDType])
}

// SCQTriggerInfo is sc.exe qtriggerinfo bits (config-facts §2.9).
func SCQTriggerInfo(m Machine) string {
	if m.Missing {
		return failed1060("OpenService")
	}
	return fmt.Sprintf("[SC] QueryServiceConfig2 %s\n\nThe service bits has not registered for any start or stop triggers.\n", m.StatusWord)
}

// SCSDShow is sc.exe sdshow bits (config-facts §2.10).
func SCSDShow(m Machine) string {
	if m.Missing {
		return failed1060("OpenService")
	}
	return "\n" + m.SDDL + "\n"
}

type regValue struct {
	name string
	typ  uint32
	str  string
	strs []string
	num  uint32
	data []byte
}

// FailureActionsBytes encodes SERVICE_FAILURE_ACTIONS as stored (config-facts §3.4).
func FailureActionsBytes(m Machine) []byte {
	le := func(b []byte, v uint32) []byte { return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24)) }
	b := le(nil, m.ResetPeriod)
	b = le(b, 0)
	b = le(b, 0)
	b = le(b, uint32(len(m.Actions)))
	b = le(b, 0x14)
	for _, a := range m.Actions {
		b = le(b, a[0])
		b = le(b, a[1])
	}
	return b
}

func bitsValues(m Machine) []regValue {
	v := map[string]regValue{
		"DisplayName":        {name: "DisplayName", typ: 1, str: `@%SystemRoot%\system32\qmgr.dll,-1000`},
		"ErrorControl":       {name: "ErrorControl", typ: 4, num: m.ErrorControl},
		"ImagePath":          {name: "ImagePath", typ: 2, str: m.ImagePath},
		"Start":              {name: "Start", typ: 4, num: m.Start},
		"Type":               {name: "Type", typ: 4, num: m.Type},
		"Description":        {name: "Description", typ: 1, str: `@%SystemRoot%\system32\qmgr.dll,-1001`},
		"DependOnService":    {name: "DependOnService", typ: 7, strs: m.Depend},
		"ObjectName":         {name: "ObjectName", typ: 1, str: m.ObjectName},
		"ServiceSidType":     {name: "ServiceSidType", typ: 4, num: m.SIDType},
		"RequiredPrivileges": {name: "RequiredPrivileges", typ: 7, strs: m.Privileges},
		"FailureActions":     {name: "FailureActions", typ: 3, data: FailureActionsBytes(m)},
		"Delayed":            {name: m.DelayedName, typ: 4, num: 1},
	}
	order := []string{"DisplayName", "ErrorControl", "ImagePath", "Start", "Type", "Description", "DependOnService", "ObjectName", "ServiceSidType", "RequiredPrivileges", "FailureActions", "Delayed"}
	if m.ValueOrder7 {
		order = []string{"DisplayName", "ImagePath", "Description", "ObjectName", "ErrorControl", "Start", "Delayed", "Type", "DependOnService", "ServiceSidType", "RequiredPrivileges", "FailureActions"}
	}
	var out []regValue
	for _, n := range order {
		if n == "Delayed" && !m.Delayed {
			continue
		}
		if n == "DependOnService" && len(m.Depend) == 0 || n == "RequiredPrivileges" && len(m.Privileges) == 0 {
			continue
		}
		out = append(out, v[n])
	}
	return out
}

func paramValues(m Machine) []regValue {
	var out []regValue
	if m.ServiceDll != "" {
		out = append(out, regValue{name: "ServiceDll", typ: 2, str: m.ServiceDll})
	}
	if m.UnloadOnStop {
		out = append(out, regValue{name: "ServiceDllUnloadOnStop", typ: 4, num: 1})
	}
	return out
}

const bitsKey = `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\BITS`

// RegExport is reg export of the BITS key (config-facts §4.1, §4.3): the
// caller encodes it as UTF-16LE with BOM.
func RegExport(m Machine) string {
	var b strings.Builder
	b.WriteString("Windows Registry Editor Version 5.00\n\n[" + bitsKey + "]\n")
	for _, v := range bitsValues(m) {
		b.WriteString(exportValue(v))
	}
	if m.Parameters {
		b.WriteString("\n[" + bitsKey + "\\Parameters]\n")
		for _, v := range paramValues(m) {
			b.WriteString(exportValue(v))
		}
	}
	b.WriteString("\n[" + bitsKey + "\\Security]\n")
	b.WriteString(exportValue(regValue{name: "Security", typ: 3, data: securityBytes}))
	b.WriteString("\n")
	return b.String()
}

func utf16z(ss ...string) []byte {
	var out []byte
	for _, s := range ss {
		for _, c := range utf16.Encode([]rune(s)) {
			out = append(out, byte(c), byte(c>>8))
		}
		out = append(out, 0, 0)
	}
	return out
}

func exportValue(v regValue) string {
	name := `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v.name) + `"=`
	switch v.typ {
	case 1:
		return name + `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v.str) + "\"\n"
	case 4:
		return fmt.Sprintf("%sdword:%08x\n", name, v.num)
	}
	var data []byte
	prefix := "hex:"
	switch v.typ {
	case 2:
		data, prefix = utf16z(v.str), "hex(2):"
	case 7:
		data, prefix = append(utf16z(v.strs...), 0, 0), "hex(7):"
	default:
		data = v.data
	}
	return name + prefix + wrapHex(len(name)+len(prefix), data) + "\n"
}

// wrapHex is Wine's export_hex_data: lines end at 77 columns with "\"
// and continue after two spaces.
func wrapHex(lineLen int, data []byte) string {
	var b strings.Builder
	for i, c := range data {
		fmt.Fprintf(&b, "%02x", c)
		if i == len(data)-1 {
			break
		}
		b.WriteByte(',')
		lineLen += 3
		if lineLen >= 77 {
			b.WriteString("\\\n  ")
			lineLen = 2
		}
	}
	return b.String()
}

// securityBytes is the 160-byte BITS\Security value of the real hives.
var securityBytes = func() []byte {
	s := "01,00,14,80,90,00,00,00,a0,00,00,00,14,00,00,00,34,00,00,00,02,00,20,00,01,00,00,00,02,c0,18,00,00,00,0c,00,01,02,00,00,00,00,00,05,20,00,00,00,20,02,00,00,02,00,5c,00,04,00,00,00,00,02,14,00,ff,01,0f,00,01,01,00,00,00,00,00,05,12,00,00,00,00,00,18,00,ff,01,0f,00,01,02,00,00,00,00,00,05,20,00,00,00,20,02,00,00,00,00,14,00,8d,01,02,00,01,01,00,00,00,00,00,05,04,00,00,00,00,00,14,00,8d,01,02,00,01,01,00,00,00,00,00,05,06,00,00,00,01,02,00,00,00,00,00,05,20,00,00,00,20,02,00,00,01,02,00,00,00,00,00,05,20,00,00,00,20,02,00,00"
	var out []byte
	for _, p := range strings.Split(s, ",") {
		var x byte
		fmt.Sscanf(p, "%02x", &x)
		out = append(out, x)
	}
	return out
}()

func queryLine(v regValue) string {
	names := map[uint32]string{1: "REG_SZ", 2: "REG_EXPAND_SZ", 3: "REG_BINARY", 4: "REG_DWORD", 7: "REG_MULTI_SZ"}
	var data string
	switch v.typ {
	case 1, 2:
		data = v.str
	case 4:
		data = fmt.Sprintf("0x%x", v.num)
	case 7:
		data = strings.Join(v.strs, `\0`)
	default:
		data = strings.ToUpper(fmt.Sprintf("%x", v.data))
	}
	return "    " + v.name + "    " + names[v.typ] + "    " + data + "\n"
}

// RegQueryBITS is reg query of the BITS key with /s (config-facts §4.5).
func RegQueryBITS(m Machine) string {
	if m.Missing {
		return "ERROR: The system was unable to find the specified registry key or value.\n"
	}
	var b strings.Builder
	b.WriteString("\n" + bitsKey + "\n")
	for _, v := range bitsValues(m) {
		b.WriteString(queryLine(v))
	}
	if m.Parameters {
		b.WriteString("\n" + bitsKey + "\\Parameters\n")
		for _, v := range paramValues(m) {
			b.WriteString(queryLine(v))
		}
	}
	b.WriteString("\n" + bitsKey + "\\Security\n")
	b.WriteString(queryLine(regValue{name: "Security", typ: 3, data: securityBytes}))
	return b.String()
}

// RegQueryNetsvcs is reg query of the Svchost key's netsvcs value.
func RegQueryNetsvcs(m Machine) string {
	return "\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Svchost\n" +
		queryLine(regValue{name: "netsvcs", typ: 7, strs: m.Netsvcs}) + "\n"
}

// RegQueryPolicy is reg query of the BITS policy key with /s.
func RegQueryPolicy(m Machine) string {
	if m.Policy == nil {
		return "ERROR: The system was unable to find the specified registry key or value.\n"
	}
	var b strings.Builder
	b.WriteString("\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\BITS\n")
	for _, p := range m.Policy {
		b.WriteString(queryLine(regValue{name: p[0].(string), typ: 4, num: p[1].(uint32)}))
	}
	return b.String() + "\n"
}

// RegQueryVersion is reg query of HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion (some values).
func RegQueryVersion(m Machine) string {
	var b strings.Builder
	b.WriteString("\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\n")
	vals := []regValue{{name: "SystemRoot", typ: 1, str: `C:\Windows`}, {name: "CurrentBuildNumber", typ: 1, str: m.Build},
		{name: "CurrentVersion", typ: 1, str: m.Version}, {name: "ProductName", typ: 1, str: m.Product}}
	if m.Display != "" {
		vals = append(vals, regValue{name: "DisplayVersion", typ: 1, str: m.Display})
	}
	for _, v := range vals {
		b.WriteString(queryLine(v))
	}
	return b.String() + "\n"
}

// RegQueryComputerName is reg query of ActiveComputerName /v ComputerName.
func RegQueryComputerName(m Machine) string {
	return "\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ActiveComputerName\n" +
		queryLine(regValue{name: "ComputerName", typ: 1, str: m.Computer}) + "\n"
}

const banner = "\nBITSADMIN version 3.0\nBITS administration utility.\n(C) Copyright Microsoft Corp.\n\n"

// Bitsadmin is bitsadmin /nowrap /list /allusers /verbose (config-facts §6.3).
func Bitsadmin(m Machine) string {
	var b strings.Builder
	b.WriteString(banner)
	for _, j := range m.Jobs {
		total := "UNKNOWN"
		if j.BytesTotal >= 0 {
			total = fmt.Sprint(j.BytesTotal)
		}
		done := 0
		if j.State == "TRANSFERRED" {
			done = 1
		}
		fmt.Fprintf(&b, "GUID: %s DISPLAY: '%s'\n", j.ID, j.Name)
		fmt.Fprintf(&b, "TYPE: DOWNLOAD STATE: %s OWNER: %s\n", j.State, j.Owner)
		fmt.Fprintf(&b, "PRIORITY: NORMAL FILES: %d / 1 BYTES: %d / %s\n", done, j.BytesDone, total)
		b.WriteString("CREATION TIME: 11/30/2026 9:14:02 AM MODIFICATION TIME: 11/30/2026 9:20:41 AM\nCOMPLETION TIME: UNKNOWN\n")
		b.WriteString("NOTIFY INTERFACE: UNREGISTERED NOTIFICATION FLAGS: 3\nRETRY DELAY: 600 NO PROGRESS TIMEOUT: 1209600 ERROR COUNT: 0\n")
		b.WriteString("PROXY USAGE: PRECONFIG PROXY LIST: NULL PROXY BYPASS LIST: NULL\n")
		if j.ErrorCode != 0 {
			fmt.Fprintf(&b, "ERROR FILE:    %s -> %s\n", j.URL, j.Local)
			fmt.Fprintf(&b, "ERROR CODE:    0x%08x - %s\n", j.ErrorCode, errorTexts[j.ErrorCode])
			fmt.Fprintf(&b, "ERROR CONTEXT: 0x%08x - The error occurred while the remote file was being\nprocessed.\n", j.Context)
		}
		b.WriteString("DESCRIPTION:\nJOB FILES:\n")
		fmt.Fprintf(&b, "\t%d / %s WORKING %s -> %s\n", j.BytesDone, total, j.URL, j.Local)
		b.WriteString("NOTIFICATION COMMAND LINE: none\n\n")
	}
	fmt.Fprintf(&b, "Listed %d job(s).\n", len(m.Jobs))
	return b.String()
}

// errorTexts are the messages bitsadmin prints after the error codes the
// samples use.
var errorTexts = map[uint32]string{
	0x80072EE7: "The server name or address could not be resolved",
	0x80190194: "HTTP status 404: The requested URL does not exist on the server.",
	0x80200013: "The server does not support the necessary HTTP protocol. Background Intelligent Transfer Service (BITS) requires that the server support the Range protocol header.",
}

// BitsTransfer is Get-BitsTransfer -AllUsers | Format-List * (config-facts §6.5).
func BitsTransfer(m Machine) string {
	var b strings.Builder
	ps := map[string]string{"TRANSFERRED": "Transferred", "ERROR": "Error", "TRANSIENT_ERROR": "TransientError", "QUEUED": "Queued", "SUSPENDED": "Suspended", "CONNECTING": "Connecting", "TRANSFERRING": "Transferring"}
	ctx := map[uint32]string{0: "None", 4: "LocalFile", 5: "RemoteFile", 6: "GeneralTransport"}
	for _, j := range m.Jobs {
		b.WriteString("\n\n")
		fmt.Fprintf(&b, "JobId                   : %s\n", strings.ToLower(strings.Trim(j.ID, "{}")))
		fmt.Fprintf(&b, "DisplayName             : %s\n", j.Name)
		b.WriteString("Description             : This is a file transfer that uses the Background Intelligent Transfer Service (BITS).\n")
		b.WriteString("TransferType            : Download\n")
		fmt.Fprintf(&b, "JobState                : %s\n", ps[j.State])
		fmt.Fprintf(&b, "OwnerAccount            : %s\n", j.Owner)
		b.WriteString("Priority                : Normal\nRetryInterval           : 600\nRetryTimeout            : 1209600\nTransientErrorCount     : 0\nProxyUsage              : SystemDefault\n")
		fmt.Fprintf(&b, "ErrorContext            : %s\n", ctx[j.Context])
		b.WriteString("ErrorCondition          : NoError\n")
		fmt.Fprintf(&b, "InternalErrorCode       : %d\n", int32(j.ErrorCode))
		b.WriteString("ErrorDescription        :\nErrorContextDescription :\n")
		total := j.BytesTotal
		if total < 0 {
			fmt.Fprintf(&b, "BytesTotal              : 18446744073709551615\n")
		} else {
			fmt.Fprintf(&b, "BytesTotal              : %d\n", total)
		}
		fmt.Fprintf(&b, "BytesTransferred        : %d\n", j.BytesDone)
		b.WriteString("FilesTotal              : 1\n")
		done := 0
		if j.State == "TRANSFERRED" {
			done = 1
		}
		fmt.Fprintf(&b, "FilesTransferred        : %d\n", done)
		b.WriteString("CreationTime            : 11/30/2026 9:14:02 AM\nModificationTime        : 11/30/2026 9:20:41 AM\nTransferCompletionTime  : 1/1/0001 12:00:00 AM\n")
		fmt.Fprintf(&b, "FileList                : {%s}\nProxyList               :\nProxyBypassList         :\n", j.Local)
	}
	if len(m.Jobs) == 0 {
		return "" // Get-BitsTransfer prints nothing when there are no jobs
	}
	return b.String() + "\n\n"
}

// NetshProxy is netsh winhttp show proxy (config-facts §7.1).
func NetshProxy(m Machine) string {
	if m.WinHTTP == "" {
		return "\nCurrent WinHTTP proxy settings:\n\n    Direct access (no proxy server).\n\n"
	}
	return "\nCurrent WinHTTP proxy settings:\n\n    Proxy Server(s) :  " + m.WinHTTP + "\n    Bypass List     :  (none)\n\n"
}

// IEProxy is bitsadmin /util /getieproxy ACCOUNT ([unverified] layout beyond
// the "Proxy usage:" line, config-facts §7.2).
func IEProxy(m Machine, account string) string {
	usage, list := "NO_PROXY", "<empty>"
	if m.IEProxy != "" && account == "LocalSystem" {
		usage, list = "Manual_proxy", m.IEProxy
	}
	return banner + "Internet proxy settings for account " + account + " (connection = default)\n\n" +
		"Proxy usage:  " + usage + "\nProxy list:  " + list + "\nProxy bypass list:  <empty>\n"
}
