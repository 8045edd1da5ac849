package main

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"

	"bitsdiag/samples/snapgen"
	"bitsdiag/snapshot"
)

func collectOut(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := runCollect(args, &out, &errb); code != exitOK {
		t.Fatalf("collect %v: exit %d: %s", args, code, errb.String())
	}
	return out.String()
}

// control lines of the scripts: neither read nor write anything on the machine
// beyond the collection folder and its zip.
var controlLine = regexp.MustCompile(`^(@echo off|rem .*|# .*|setlocal|endlocal|set "[A-Z]+=[^"]*"|mkdir "%OUT%"|echo .*|if exist "%OUT%\\" echo .*|` +
	`\$name = .*|\$out = Join-Path .*|if \(Test-Path \$out\) .*|New-Item -ItemType Directory -Path \$out \| Out-Null|Write-Host .*|@\(.*\) \| Out-File -FilePath "\$out\\README.txt"|` +
	`where tar.exe > nul 2>&1 && tar.exe -a -c -f "%OUT%.zip" -C "%BASE%." "%NAME%"|` +
	`if not exist "%OUT%.zip" powershell.exe -NoProfile -NonInteractive -Command "Compress-Archive -Path '%OUT%' -DestinationPath '%OUT%.zip'"|` +
	`Compress-Archive -Path \$out -DestinationPath "\$out.zip"|if \(Test-Path "\$out.zip"\) .*|if exist "%OUT%.zip" \(echo .*)$`)

// Writes to the registry or the service configuration, in any spelling.
var forbidden = regexp.MustCompile(`(?i)\b(sc(\.exe)?\s+(config|failure|privs|sidtype|sdset|start|stop|create|delete|control|pause|continue)|` +
	`reg(\.exe)?\s+(add|delete|import|restore|load|unload|copy|save)|net(\.exe)?\s+(start|stop)|Set-Service|Stop-Service|Start-Service|Restart-Service|` +
	`Set-ItemProperty|New-ItemProperty|Remove-Item|Set-BitsTransfer|Remove-BitsTransfer|Suspend-BitsTransfer|Resume-BitsTransfer|Complete-BitsTransfer|` +
	`bitsadmin(\.exe)?.*/(reset|cancel|create|complete|setieproxy|repairservice|addfile|resume|suspend|setproxysettings)|netsh.*\b(set|reset|import)\b|wevtutil.*\b(cl|clear-log|sl|set-log|um|im)\b|Set-ExecutionPolicy|rmdir|\bdel\b|\berase\b)`)

var outFile = regexp.MustCompile(`(?:%OUT%|\$out)\\([A-Za-z0-9._-]+)`)

func TestCollectScriptsOnlyReadAndExport(t *testing.T) {
	known := map[string]bool{"README.txt": true}
	var cmds, pss []string
	for _, c := range snapshot.Collection() {
		known[c.File] = true
		cmds = append(cmds, c.Cmd)
		pss = append(pss, c.PS)
	}
	for _, tc := range []struct {
		args  []string
		list  []string
		redir []string
	}{
		{nil, cmds, []string{` > "%OUT%\`, ` > nul 2>&1`}},
		{[]string{"--powershell"}, pss, []string{` *> "$out\`, ` *> $null`}},
	} {
		script := collectOut(t, tc.args...)
		if !strings.Contains(strings.SplitN(script, "\n", 3)[1], "only READS") && !strings.Contains(strings.SplitN(script, "\n", 2)[0], "only READS") {
			t.Errorf("%v: the script does not say at its top that it only reads", tc.args)
		}
		ran := map[string]bool{}
		for n, line := range strings.Split(strings.TrimRight(script, "\r\n"), "\r\n") {
			for _, m := range outFile.FindAllStringSubmatch(line, -1) {
				if !known[m[1]] {
					t.Errorf("%v line %d writes %q, a name bitsdiag does not know", tc.args, n+1, m[1])
				}
			}
			if forbidden.MatchString(line) {
				t.Errorf("%v line %d changes the machine: %s", tc.args, n+1, line)
			}
			if controlLine.MatchString(line) {
				continue
			}
			cmd := line
			for _, r := range tc.redir {
				if i := strings.Index(cmd, r); i >= 0 {
					cmd = cmd[:i]
				}
			}
			found := false
			for _, c := range tc.list {
				if c == cmd {
					found, ran[c] = true, true
				}
			}
			if !found {
				t.Errorf("%v line %d runs a command bitsdiag does not read: %s", tc.args, n+1, line)
			}
		}
		if len(ran) != len(tc.list) {
			t.Errorf("%v: %d of %d collection commands in the script", tc.args, len(ran), len(tc.list))
		}
	}
}

// The zip the script promises: bitsdiag-<COMPUTERNAME>/ with the fixed file
// names and README.txt. Built here from the samples; every snapshot in it
// must be recognised as the kind its name promises, and every event log
// name must be one bitsdiag reads.
func TestCollectZipLayoutIsRead(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, data []byte) {
		w, err := zw.Create("bitsdiag-PC1/" + name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	for _, f := range snapgen.Files(snapgen.Windows10(), snapgen.ShellCmd) {
		add(f.Name, f.Data)
	}
	add("README.txt", []byte(strings.Join(customerReadme, "\r\n")))
	for _, c := range snapshot.Collection() {
		if c.Kind == snapshot.KindUnknown {
			add(c.File, []byte("ElfFile\x00")) // event log placeholder
		}
	}
	zw.Close()
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, zf := range zr.File {
		name := strings.TrimPrefix(zf.Name, "bitsdiag-PC1/")
		seen[name] = true
		rc, _ := zf.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		want, ok := snapshot.ExpectedKind(name)
		if name == "README.txt" {
			if snapshot.Recognise(data, snapshot.Settings{}) != snapshot.KindUnknown {
				t.Errorf("README.txt recognised as a snapshot")
			}
			continue
		}
		if !ok {
			t.Errorf("%s is not a collection file", name)
			continue
		}
		if want == snapshot.KindUnknown {
			if !strings.HasSuffix(name, ".evtx") {
				t.Errorf("%s: an event log must be named .evtx", name)
			}
			continue
		}
		s, err := snapshot.Parse(data, snapshot.Settings{})
		if err != nil || s.Kind != want {
			t.Errorf("%s: %v (kind %v, want %v)", name, err, s, want)
		}
	}
	for _, c := range snapshot.Collection() {
		if !seen[c.File] {
			t.Errorf("%s missing from the zip", c.File)
		}
	}
}

func TestCollectUsage(t *testing.T) {
	if out := collectOut(t, "--help"); !strings.Contains(out, "only reads and exports") {
		t.Errorf("help: %s", out)
	}
	var out, errb bytes.Buffer
	if code := runCollect([]string{"extra"}, &out, &errb); code != exitUsage {
		t.Errorf("extra argument: exit %d", code)
	}
}

func TestForbiddenCatchesWrites(t *testing.T) {
	for _, l := range []string{`sc.exe config bits start= auto`, `sc privs bits x`, `reg.exe add "HKLM\x" /v a /d b /f`, `net stop bits`,
		`bitsadmin.exe /reset /allusers`, `netsh winhttp set proxy p:1`, `Set-Service BITS -StartupType Automatic`, `wevtutil.exe cl System`} {
		if !forbidden.MatchString(l) {
			t.Errorf("not caught: %s", l)
		}
	}
}
