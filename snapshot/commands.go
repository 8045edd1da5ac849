package snapshot

import "strings"

// Command is one command of the collection bitsdiag asks a customer to
// run (bitsdiag collect), with the fixed name of the file it writes. The
// table is the single list of what bitsdiag reads: the collect script is
// made from it and its tests check the script against it.
type Command struct {
	File string // output file name inside the collection folder
	Kind Kind   // the snapshot kind of that file; KindUnknown for event logs
	// Cmd is the Command Prompt line; PS the Windows PowerShell line. Both
	// write File themselves when WritesFile is set; otherwise the script
	// redirects stdout and stderr into File.
	Cmd, PS    string
	WritesFile bool
	Elevated   bool // gives complete output only from an elevated prompt
}

// EventLogs are the event logs bitsdiag reads, by file name in the
// collection.
var eventLogs = []struct{ Channel, File string }{
	{"System", "System.evtx"},
	{"Microsoft-Windows-Bits-Client/Operational", "Bits-Client-Operational.evtx"},
	{"Microsoft-Windows-WindowsUpdateClient/Operational", "WindowsUpdateClient-Operational.evtx"},
	{"Microsoft-Windows-DeliveryOptimization/Operational", "DeliveryOptimization-Operational.evtx"},
}

const (
	keyBITS     = `HKLM\SYSTEM\CurrentControlSet\Services\BITS`
	keySvchost  = `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Svchost`
	keyPolicy   = `HKLM\SOFTWARE\Policies\Microsoft\Windows\BITS`
	keyVersion  = `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion`
	keyComputer = `HKLM\SYSTEM\CurrentControlSet\Control\ComputerName\ActiveComputerName`
	psNoProfile = `powershell.exe -NoProfile -NonInteractive -Command`
)

// Collection returns the commands in the order the script runs them.
func Collection() []Command {
	var c []Command
	for _, l := range eventLogs {
		c = append(c, Command{File: l.File, Cmd: `wevtutil.exe epl "` + l.Channel + `" "%OUT%\` + l.File + `"`,
			PS: `wevtutil.exe epl "` + l.Channel + `" "$out\` + l.File + `"`, WritesFile: true, Elevated: true})
	}
	for _, q := range []struct {
		verb string
		kind Kind
	}{{"query", KindSCQuery}, {"queryex", KindSCQueryEx}, {"qc", KindSCQC}, {"qfailure", KindSCQFailure},
		{"qprivs", KindSCQPrivs}, {"qsidtype", KindSCQSidType}, {"qtriggerinfo", KindSCQTriggerInfo}, {"sdshow", KindSCSDShow}} {
		line := "sc.exe " + q.verb + " bits"
		c = append(c, Command{File: "sc-" + q.verb + ".txt", Kind: q.kind, Cmd: line, PS: line, Elevated: q.verb == "sdshow"})
	}
	c = append(c,
		Command{File: "reg-bits.reg", Kind: KindRegExport, Cmd: `reg.exe export "` + keyBITS + `" "%OUT%\reg-bits.reg" /y`,
			PS: `reg.exe export "` + keyBITS + `" "$out\reg-bits.reg" /y`, WritesFile: true},
		Command{File: "reg-bits-query.txt", Kind: KindRegQuery, Cmd: `reg.exe query "` + keyBITS + `" /s`, PS: `reg.exe query "` + keyBITS + `" /s`},
		Command{File: "reg-svchost-netsvcs.txt", Kind: KindRegQuery, Cmd: `reg.exe query "` + keySvchost + `" /v netsvcs /reg:64`, PS: `reg.exe query "` + keySvchost + `" /v netsvcs /reg:64`},
		Command{File: "reg-bits-policy.txt", Kind: KindRegQuery, Cmd: `reg.exe query "` + keyPolicy + `" /s /reg:64`, PS: `reg.exe query "` + keyPolicy + `" /s /reg:64`},
		Command{File: "reg-windows-version.txt", Kind: KindRegQuery, Cmd: `reg.exe query "` + keyVersion + `" /reg:64`, PS: `reg.exe query "` + keyVersion + `" /reg:64`},
		Command{File: "reg-computername.txt", Kind: KindRegQuery, Cmd: `reg.exe query "` + keyComputer + `" /v ComputerName`, PS: `reg.exe query "` + keyComputer + `" /v ComputerName`},
		Command{File: "bitsadmin-jobs.txt", Kind: KindBitsadminList, Cmd: "bitsadmin.exe /nowrap /list /allusers /verbose", PS: "bitsadmin.exe /nowrap /list /allusers /verbose", Elevated: true},
		Command{File: "get-bitstransfer.txt", Kind: KindBitsTransfer,
			Cmd: psNoProfile + ` "Get-BitsTransfer -AllUsers | Format-List * | Out-File -Width 4096 -FilePath '%OUT%\get-bitstransfer.txt'"`,
			PS:  `Get-BitsTransfer -AllUsers | Format-List * | Out-File -Width 4096 -FilePath "$out\get-bitstransfer.txt"`, WritesFile: true, Elevated: true},
		Command{File: "netsh-winhttp-proxy.txt", Kind: KindWinHTTPProxy, Cmd: "netsh.exe winhttp show proxy", PS: "netsh.exe winhttp show proxy"},
	)
	for _, acct := range []string{"localsystem", "networkservice", "localservice"} {
		line := "bitsadmin.exe /util /getieproxy " + acct
		c = append(c, Command{File: "ieproxy-" + acct + ".txt", Kind: KindIEProxy, Cmd: line, PS: line})
	}
	return c
}

// ExpectedKind returns the kind of a collection file by its name (the
// base name, case-insensitive). Recognition is by content; the name only
// helps explain a file that came out empty or unreadable (for example an
// empty sc-qc.txt made by PowerShell's sc alias for Set-Content).
func ExpectedKind(name string) (Kind, bool) {
	if i := strings.LastIndexAny(name, `/\!`); i >= 0 {
		name = name[i+1:]
	}
	for _, c := range Collection() {
		if strings.EqualFold(c.File, name) {
			return c.Kind, true
		}
	}
	return KindUnknown, false
}
