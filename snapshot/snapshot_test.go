package snapshot_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"bitsdiag/samples/snapgen"
	"bitsdiag/snapshot"
)

func utf16le(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = []byte{0xFF, 0xFE}
	}
	for _, c := range utf16.Encode([]rune(s)) {
		b = append(b, byte(c), byte(c>>8))
	}
	return b
}

// French sc.exe qc as cmd.exe redirects it: "réussite(s)" in CP850.
const qcFrench = "[SC] QueryServiceConfig réussite(s)\r\n\r\nSERVICE_NAME: bits\r\n" +
	"        TYPE               : 20  WIN32_SHARE_PROCESS\r\n" +
	"        START_TYPE         : 2   AUTO_START  (DELAYED)\r\n" +
	"        ERROR_CONTROL      : 1   NORMAL\r\n" +
	"        BINARY_PATH_NAME   : C:\\Windows\\System32\\svchost.exe -k netsvcs\r\n" +
	"        LOAD_ORDER_GROUP   :\r\n        TAG                : 0\r\n" +
	"        DISPLAY_NAME       : Service de transfert intelligent en arrière-plan\r\n" +
	"        DEPENDENCIES       : RpcSs\r\n                           : EventSystem\r\n" +
	"        SERVICE_START_NAME : LocalSystem\r\n"

func cp850(s string) []byte {
	m := map[rune]byte{'é': 0x82, 'è': 0x8A}
	var b []byte
	for _, r := range s {
		if r < 0x80 {
			b = append(b, byte(r))
		} else {
			b = append(b, m[r])
		}
	}
	return b
}

func TestEncodingsReadTheSame(t *testing.T) {
	variants := []struct {
		data []byte
		enc  snapshot.Encoding
	}{
		{utf16le(qcFrench, true), snapshot.EncodingUTF16LEBOM},
		{utf16le(qcFrench, false), snapshot.EncodingUTF16LE},
		{[]byte(qcFrench), snapshot.EncodingUTF8},
		{append([]byte{0xEF, 0xBB, 0xBF}, qcFrench...), snapshot.EncodingUTF8BOM},
		{cp850(qcFrench), snapshot.EncodingOEM},
		{[]byte(strings.ReplaceAll(qcFrench, "\r\n", "\n")), snapshot.EncodingUTF8},
	}
	var first *snapshot.SCOutput
	for i, v := range variants {
		s, err := snapshot.Parse(v.data, snapshot.Settings{CodePage: snapshot.CP850})
		if err != nil {
			t.Fatalf("variant %d: %v", i, err)
		}
		if s.Kind != snapshot.KindSCQC || s.Encoding != v.enc {
			t.Errorf("variant %d: kind %v encoding %v, want sc-qc %v", i, s.Kind, s.Encoding, v.enc)
		}
		if first == nil {
			first = s.SC
			if *first.StartType != 2 || !first.DelayedStart || first.BinaryPath != `C:\Windows\System32\svchost.exe -k netsvcs` ||
				!reflect.DeepEqual(first.Dependencies, []string{"RpcSs", "EventSystem"}) || first.StartName != "LocalSystem" || *first.Type != 0x20 {
				t.Fatalf("parsed %+v", first)
			}
			continue
		}
		if !reflect.DeepEqual(first, s.SC) {
			t.Errorf("variant %d reads differently:\n%+v\n%+v", i, first, s.SC)
		}
	}
}

func TestEveryCollectionFileIsRecognised(t *testing.T) {
	want := map[string]snapshot.Kind{}
	for _, c := range snapshot.Collection() {
		want[c.File] = c.Kind
	}
	for _, shell := range []snapgen.Shell{snapgen.ShellCmd, snapgen.ShellPS51, snapgen.ShellPS7} {
		for _, f := range snapgen.Files(snapgen.Windows10(), shell) {
			k, ok := want[f.Name]
			if !ok {
				t.Errorf("sample %s is not a collection file", f.Name)
				continue
			}
			s, err := snapshot.Parse(f.Data, snapshot.Settings{})
			if err != nil {
				t.Errorf("shell %d %s: %v", shell, f.Name, err)
				continue
			}
			if s.Kind != k || snapshot.Recognise(f.Data, snapshot.Settings{}) != k {
				t.Errorf("shell %d %s: kind %v, want %v", shell, f.Name, s.Kind, k)
			}
			if ek, ok := snapshot.ExpectedKind(`C:\x\` + strings.ToUpper(f.Name)); !ok || ek != k {
				t.Errorf("ExpectedKind(%s) = %v %v", f.Name, ek, ok)
			}
		}
	}
}

func TestRegExportValues(t *testing.T) {
	data := utf16le(strings.ReplaceAll(snapgen.RegExport(snapgen.Windows10()), "\n", "\r\n"), true)
	s, err := snapshot.Parse(data, snapshot.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	r := s.Registry
	k := r.Key(`Services\BITS`)
	if r.Format != "regedit5" || k == nil || len(r.Keys) != 3 {
		t.Fatalf("keys %+v", r.Keys)
	}
	if v := k.Value("ImagePath"); v == nil || v.Type != snapshot.RegExpandSZ || v.String != `%SystemRoot%\System32\svchost.exe -k netsvcs -p` {
		t.Errorf("ImagePath %+v", v)
	}
	if v := k.Value("delayedautostart"); v == nil || v.Number != 1 {
		t.Errorf("DelayedAutostart %+v", v)
	}
	if v := k.Value("RequiredPrivileges"); v == nil || len(v.Strings) != 6 || v.Strings[5] != "SeDebugPrivilege" {
		t.Errorf("RequiredPrivileges %+v", v)
	}
	if v := k.Value("FailureActions"); v == nil || len(v.Data) != 44 {
		t.Errorf("FailureActions %+v", v)
	}
	if v := r.Key(`Services\BITS\Parameters`).Value("ServiceDll"); v == nil || v.String != `%SystemRoot%\System32\qmgr.dll` {
		t.Errorf("ServiceDll %+v", v)
	}
}

func TestRegedit4HexIsEightBit(t *testing.T) {
	text := "REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\BITS\\Parameters]\r\n" +
		"\"ServiceDll\"=hex(2):25,53,79,73,74,65,6d,52,6f,6f,74,25,5c,53,79,73,74,65,6d,33,32,5c,71,6d,67,72,\\\r\n  2e,64,6c,6c,00\r\n"
	s, err := snapshot.Parse([]byte(text), snapshot.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if v := s.Registry.Keys[0].Value("ServiceDll"); s.Registry.Format != "regedit4" || v == nil || v.String != `%SystemRoot%\System32\qmgr.dll` {
		t.Errorf("%+v", s.Registry.Keys[0])
	}
}

func TestRegQuery(t *testing.T) {
	m := snapgen.Windows10()
	s, err := snapshot.Parse([]byte(snapgen.RegQueryBITS(m)), snapshot.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	k := s.Registry.Key(`Services\BITS`)
	if v := k.Value("RequiredPrivileges"); v == nil || len(v.Strings) != 6 {
		t.Errorf("RequiredPrivileges %+v", v)
	}
	if v := k.Value("Start"); v == nil || v.Number != 2 || v.Type != snapshot.RegDWord {
		t.Errorf("Start %+v", v)
	}
	if v := k.Value("FailureActions"); v == nil || len(v.Data) != 44 || v.Data[0] != 0x80 {
		t.Errorf("FailureActions %+v", v)
	}
	s, err = snapshot.Parse([]byte(snapgen.RegQueryNetsvcs(m)), snapshot.Settings{})
	if err != nil || len(s.Registry.Keys[0].Value("netsvcs").Strings) != len(m.Netsvcs) {
		t.Errorf("netsvcs: %v %+v", err, s)
	}
	s, err = snapshot.Parse([]byte("ERROR: The system was unable to find the specified registry key or value.\r\n"), snapshot.Settings{})
	if err != nil || s.Kind != snapshot.KindRegQuery || len(s.Registry.Errors) != 1 || len(s.Registry.Keys) != 0 {
		t.Errorf("missing key: %v %+v", err, s)
	}
}

func TestSCOutputs(t *testing.T) {
	m := snapgen.Windows10()
	for _, tc := range []struct {
		text  string
		kind  snapshot.Kind
		check func(*snapshot.SCOutput) bool
	}{
		{snapgen.SCQuery(m, false), snapshot.KindSCQuery, func(o *snapshot.SCOutput) bool { return *o.Type == 0x30 && *o.State == 4 && o.ServiceName == "bits" }},
		{snapgen.SCQuery(m, true), snapshot.KindSCQueryEx, func(o *snapshot.SCOutput) bool { return *o.PID == 3120 }},
		{snapgen.SCQFailure(m), snapshot.KindSCQFailure, func(o *snapshot.SCOutput) bool {
			return *o.ResetPeriod == 86400 && len(o.FailureActions) == 3 && o.FailureActions[1] == snapshot.FailureAction{Action: "RESTART", DelayMS: 120000}
		}},
		{snapgen.SCQPrivs(m), snapshot.KindSCQPrivs, func(o *snapshot.SCOutput) bool { return len(o.Privileges) == 6 }},
		{snapgen.SCQSidType(m), snapshot.KindSCQSidType, func(o *snapshot.SCOutput) bool { return o.SIDType == "UNRESTRICTED" }},
		{snapgen.SCQTriggerInfo(m), snapshot.KindSCQTriggerInfo, func(o *snapshot.SCOutput) bool { return o.NoTriggers && !o.HasTriggers }},
		{snapgen.SCSDShow(m), snapshot.KindSCSDShow, func(o *snapshot.SCOutput) bool { return o.SDDL == snapgen.SDDLShipped }},
		// The article's example, stray spaces and all.
		{"SERVICE_NAME: bits  \nTYPE               : 20  WIN32_SHARE_PROCESS  \n STATE              : 1  STOPPED  \n                         (NOT_STOPPABLE,NOT_PAUSABLE,IGNORES_SHUTDOWN)  \n WIN32_EXIT_CODE    : 0  (0x0)  \n",
			snapshot.KindSCQuery, func(o *snapshot.SCOutput) bool { return *o.State == 1 && *o.Win32ExitCode == 0 }},
		// Italian labels.
		{"\nNOME_SERVIZIO: bits\n        TIPO                   : 20  WIN32_SHARE_PROCESS\n        STATO                  : 4  RUNNING\n                                (STOPPABLE, NOT_PAUSABLE, ACCEPTS_PRESHUTDOWN)\n        CODICE_USCITA_WIN32    : 1077  (0x435)\n",
			snapshot.KindSCQuery, func(o *snapshot.SCOutput) bool { return *o.State == 4 && *o.Win32ExitCode == 1077 }},
		{"[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\r\n\r\nThe specified service does not exist as an installed service.\r\n",
			snapshot.KindSCFailed, func(o *snapshot.SCOutput) bool { return *o.FailedError == 1060 }},
	} {
		s, err := snapshot.Parse([]byte(tc.text), snapshot.Settings{})
		if err != nil {
			t.Errorf("%v: %v", tc.kind, err)
			continue
		}
		if s.Kind != tc.kind || !tc.check(s.SC) {
			t.Errorf("%v: kind %v, parsed %+v", tc.kind, s.Kind, s.SC)
		}
	}
}

func TestJobListings(t *testing.T) {
	// Real bitsadmin /list (Server 2019, config-facts §6.2).
	list := "{70B45DD7-2A8B-4476-B67E-393821BFE542} 'Basic Download Test' TRANSFERRED 1 / 1 1024 / 1024\r\n" +
		"{1FB879DC-0A45-4AA5-9246-9F8AEF9AB065} 'Failed Download - DNS Error' CONNECTING 0 / 1 0 / UNKNOWN\r\n\r\nListed 2 job(s).\r\n"
	s, err := snapshot.Parse([]byte(list), snapshot.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	j := s.Jobs.Jobs
	if s.Jobs.Listed != 2 || len(j) != 2 || j[1].Name != "Failed Download - DNS Error" || j[1].State != snapshot.JobConnecting || j[1].BytesTotal != -1 {
		t.Errorf("%+v", s.Jobs)
	}
	// Microsoft's /verbose sample with a wrapped ERROR CONTEXT line (§6.3).
	verbose := `GUID: {482FCAF0-74BF-469B-8929-5CCD028C9499} DISPLAY: myDownloadJob
TYPE: DOWNLOAD STATE: TRANSIENT_ERROR OWNER: domain\user
PRIORITY: NORMAL FILES: 0 / 1 BYTES: 0 / UNKNOWN
CREATION TIME: 12/17/2002 1:21:17 PM MODIFICATION TIME: 12/17/2002 1:21:30 PM
COMPLETION TIME: UNKNOWN
NOTIFY INTERFACE: UNREGISTERED NOTIFICATION FLAGS: 3
RETRY DELAY: 600 NO PROGRESS TIMEOUT: 1209600 ERROR COUNT: 0
PROXY USAGE: PRECONFIG PROXY LIST: NULL PROXY BYPASS LIST: NULL
ERROR FILE:    https://downloadsrv/10mb.zip -> c:\10mb.zip
ERROR CODE:    0x80072ee7 - The server name or address could not be resolved
ERROR CONTEXT: 0x00000005 - The error occurred while the remote file was being
processed.
DESCRIPTION:
JOB FILES:
0 / UNKNOWN WORKING https://downloadsrv/10mb.zip -> c:\10mb.zip
NOTIFICATION COMMAND LINE: none
`
	s, err = snapshot.Parse([]byte(verbose), snapshot.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	v := s.Jobs.Jobs[0]
	if v.ID != "{482FCAF0-74BF-469B-8929-5CCD028C9499}" || v.Owner != `domain\user` || v.State != snapshot.JobTransientError ||
		*v.ErrorCode != 0x80072EE7 || *v.ErrorContext != 5 || len(v.Files) != 1 || v.Files[0].Local != `c:\10mb.zip` || v.Modified != "12/17/2002 1:21:30 PM" {
		t.Errorf("%+v", v)
	}
	// Get-BitsTransfer | Format-List * (the 2011 capture, §6.5).
	ps := snapgen.BitsTransfer(snapgen.Windows10())
	s, err = snapshot.Parse(utf16le(ps, true), snapshot.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if g := s.Jobs.Jobs[0]; s.Kind != snapshot.KindBitsTransfer || g.ID != "{70B45DD7-2A8B-4476-B67E-393821BFE542}" || g.State != snapshot.JobTransferred || g.Owner != `NT AUTHORITY\SYSTEM` {
		t.Errorf("%+v", g)
	}
	denied := "\r\nBITSADMIN version 3.0\r\nBITS administration utility.\r\n(C) Copyright Microsoft Corp.\r\n\r\nUnable to enum jobs - 0x80070005\r\nAccess is denied.\r\n"
	s, err = snapshot.Parse([]byte(denied), snapshot.Settings{})
	if err != nil || *s.Jobs.FailedCode != 0x80070005 {
		t.Errorf("%v %+v", err, s)
	}
}

func TestProxies(t *testing.T) {
	m := snapgen.Windows10()
	m.WinHTTP = "proxy-server:8080"
	s, err := snapshot.Parse([]byte(snapgen.NetshProxy(m)), snapshot.Settings{})
	if err != nil || s.WinHTTP.Direct || s.WinHTTP.Server != "proxy-server:8080" || s.WinHTTP.Bypass != "(none)" {
		t.Errorf("%v %+v", err, s)
	}
	s, err = snapshot.Parse([]byte("\nParamètres de proxy WinHTTP actuels :\n\n    Accès direct (sans serveur proxy).\n"), snapshot.Settings{})
	if err != nil || !s.WinHTTP.Direct || !s.WinHTTP.Localized {
		t.Errorf("localized: %v %+v", err, s)
	}
	m.IEProxy = "http://10.0.0.1:8080"
	s, err = snapshot.Parse([]byte(snapgen.IEProxy(m, "LocalSystem")), snapshot.Settings{})
	if err != nil || s.Kind != snapshot.KindIEProxy || s.IEProxy.Usage != "MANUAL_PROXY" || s.IEProxy.List != "http://10.0.0.1:8080" || s.IEProxy.Account != "LocalSystem" {
		t.Errorf("%v %+v", err, s.IEProxy)
	}
}

func TestErrorsNameTheLine(t *testing.T) {
	for _, tc := range []struct {
		text string
		line int
	}{
		{"Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\BITS]\r\n\"Start\"=dword:zz\r\n", 4},
		{"Windows Registry Editor Version 5.00\r\n\r\n\"Start\"=dword:00000002\r\n", 3},
		{"\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\BITS\r\n    Start    REG_DWORD    0xZZ\r\n", 3},
		{"[SC] QueryServiceConfig SUCCESS\r\n\r\nSERVICE_NAME: bits\r\n        TYPE               : 20  WIN32_SHARE_PROCESS\r\n        START_TYPE         : 99999999999   AUTO_START\r\n", 5},
	} {
		_, err := snapshot.Parse([]byte(tc.text), snapshot.Settings{})
		var fe *snapshot.FormatError
		if !errors.As(err, &fe) || fe.Line != tc.line {
			t.Errorf("%q: error %v, want line %d", tc.text, err, tc.line)
		}
	}
	if _, err := snapshot.Parse([]byte("hello world\r\n"), snapshot.Settings{}); err != snapshot.ErrNotSnapshot {
		t.Errorf("plain text: %v", err)
	}
	if _, err := snapshot.Read(bytes.NewReader(make([]byte, 100)), 100, snapshot.Settings{MaxSize: 10}); err != snapshot.ErrTooLarge {
		t.Errorf("too large: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, file := range snapgen.Files(snapgen.Windows10(), snapgen.ShellCmd) {
		f.Add(file.Data)
	}
	f.Add([]byte(qcFrench))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := snapshot.Parse(b, snapshot.Settings{})
		if err == nil && s.Kind == snapshot.KindUnknown {
			t.Fatal("parsed without a kind")
		}
		_ = snapshot.Recognise(b, snapshot.Settings{})
	})
}
