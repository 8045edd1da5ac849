package configcheck

import "strings"

// Expected is the shipped BITS configuration of a family (config-facts §3.2,
// §3.3; the real Windows 7, 8.1 and 10 1709 hives).
type Expected struct {
	ImagePath    string // registry form
	Depend       []string
	Privileges   []string
	UnloadOnStop bool
}

var basePrivs = []string{"SeCreateGlobalPrivilege", "SeImpersonatePrivilege", "SeTcbPrivilege", "SeAssignPrimaryTokenPrivilege", "SeIncreaseQuotaPrivilege"}

// Shared by every family.
const (
	ServiceDll     = `%SystemRoot%\System32\qmgr.dll`
	ShareProcess   = 0x20
	ErrorNormal    = 1
	LocalSystem    = "LocalSystem"
	SIDUnrestrict  = 1
	ResetPeriod    = 86400
	imageNetsvcs   = `%SystemRoot%\System32\svchost.exe -k netsvcs`
	defaultPerUser = 60
	defaultPerPC   = 300
)

// ExpectedFor returns the configuration of family f (FamilyUnknown: nil).
func ExpectedFor(f Family) *Expected {
	six := append(append([]string{}, basePrivs...), "SeDebugPrivilege")
	switch f {
	case FamilyWin7, FamilyWin81:
		return &Expected{ImagePath: imageNetsvcs, Depend: []string{"RpcSs", "EventSystem"}, Privileges: append([]string{}, basePrivs...)}
	case FamilyWin10Early:
		return &Expected{ImagePath: imageNetsvcs, Depend: []string{"RpcSs"}, Privileges: six}
	case FamilyWin10:
		return &Expected{ImagePath: imageNetsvcs + " -p", Depend: []string{"RpcSs"}, Privileges: six, UnloadOnStop: true}
	}
	return nil
}

// Commands: the one command that corrects each item, for an elevated
// Command Prompt (cmd.exe). Placeholders are in angle brackets.

// CmdImagePath sets the image path. In cmd.exe %SystemRoot% is expanded
// when pasted; sc.exe stores the expanded path, which BITS accepts.
func CmdImagePath(f Family) string {
	return `sc.exe config bits binPath= "` + ExpectedFor(f).ImagePath + `"`
}

// CmdDepend sets the dependencies.
func CmdDepend(f Family) string {
	return "sc.exe config bits depend= " + strings.Join(ExpectedFor(f).Depend, "/")
}

// CmdPrivs sets the required privileges. sc.exe privs replaces the whole
// list, so the command names every privilege the family needs.
func CmdPrivs(f Family) string {
	return "sc.exe privs bits " + strings.Join(ExpectedFor(f).Privileges, "/")
}

// Commands that are the same on every family.
const (
	CmdStart       = "sc.exe config bits start= delayed-auto"
	CmdType        = "sc.exe config bits type= share"
	CmdError       = "sc.exe config bits error= normal"
	CmdAccount     = "sc.exe config bits obj= LocalSystem"
	CmdSIDType     = "sc.exe sidtype bits unrestricted"
	CmdFailure     = "sc.exe failure bits reset= 86400 actions= restart/60000/restart/120000"
	CmdServiceDll  = `reg.exe add "HKLM\SYSTEM\CurrentControlSet\Services\BITS\Parameters" /v ServiceDll /t REG_EXPAND_SZ /d ^%SystemRoot^%\System32\qmgr.dll /f`
	CmdRestart     = "net.exe stop bits & net.exe start bits"
	CmdGPUpdate    = "gpupdate.exe /force"
	CmdSDSet       = "sc.exe sdset bits " + `D:(A;CI;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)(A;;CCLCSWLOCRRC;;;SU)S:(AU;SAFA;WDWO;;;BA)`
	cmdUnloadOnStp = `reg.exe add "HKLM\SYSTEM\CurrentControlSet\Services\BITS\Parameters" /v ServiceDllUnloadOnStop /t REG_DWORD /d 1 /f`
)

// CmdNetsvcs adds BITS to the netsvcs group. reg.exe add replaces the whole
// REG_MULTI_SZ, so the command carries the machine's current list (from
// the snapshot) plus BITS; without a snapshot of the list it is a placeholder.
func CmdNetsvcs(current []string) string {
	list := "<current netsvcs names separated by \\0>\\0BITS"
	if len(current) > 0 {
		list = strings.Join(append(append([]string{}, current...), "BITS"), `\0`)
	}
	return `reg.exe add "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Svchost" /v netsvcs /t REG_MULTI_SZ /d "` + list + `" /f`
}

// RepairProcedure is the article's "Repairing a corrupted BITS
// configuration" for family f, with its command errors corrected
// (Corrections says which). Used when the service is missing or several
// items are wrong; config-kb.json holds the same steps (a test keeps them
// equal).
func RepairProcedure(f Family) []string {
	return []string{
		CmdImagePath(f), CmdDepend(f), CmdStart, CmdType, CmdError, CmdAccount, CmdPrivs(f), CmdSIDType, CmdFailure, CmdServiceDll,
	}
}

// Corrections are the changes made to the article's repair commands.
var Corrections = []string{
	"The article's binpath= line uses typographic quotes and an en dash (–k) and has no space after binpath=; sc.exe needs `binPath= \"...\"` with ASCII quotes and -k.",
	"`depend = RpcSs EventSystem` is not sc.exe syntax: `depend= RpcSs/EventSystem` (Windows 7/8.1); Windows 10 and later depend on RpcSs only.",
	"`start=delayed-auto`, `error=normal`, `obj=LocalSystem` need a space after the equals sign.",
	"`type=interact` is dropped: BITS is a shared-process service (`type= share`, 0x20), never interactive.",
	"`sc privs bits privileges=...SeIncreateQuotaPrivilege` is misspelt and not sc.exe syntax; `sc.exe privs bits <list>` replaces the whole list, so the list names every privilege, including SeDebugPrivilege on Windows 10 and later.",
	"`sc sidtype bits type= unrestricted` is `sc.exe sidtype bits unrestricted`.",
	"On Windows 10 1703 and later the image path keeps `-p` (`svchost.exe -k netsvcs -p`).",
	"`sc` is written `sc.exe`: in Windows PowerShell `sc` is Set-Content.",
}
