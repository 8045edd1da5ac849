package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"bitsdiag/snapshot"

	"github.com/spf13/pflag"
)

const collectUsage = `Usage: bitsdiag collect [--powershell] > collect-bits.cmd

Print a collection script for the customer. Run on the affected machine from
an elevated prompt, it exports the event logs bitsdiag reads (System,
Bits-Client Operational, Windows Update client, Delivery Optimization) and
saves the BITS service configuration (sc.exe, reg.exe), the job list
(bitsadmin, Get-BitsTransfer) and the proxy settings (netsh, bitsadmin) into
files with fixed names, then packs them into bitsdiag-<COMPUTERNAME>.zip next
to the folder, with a README. The script only reads and exports: it changes
no registry value and no service setting. Give the zip to bitsdiag report.

Default: a Command Prompt script (.cmd), which needs no PowerShell execution
policy change. --powershell prints a Windows PowerShell script (.ps1) instead;
run it with powershell.exe -NoProfile -ExecutionPolicy Bypass -File collect-bits.ps1
(the policy is bypassed for that one process only, nothing is changed).

Exit status: 0 done; 1 output failed; 2 bad command line.
`

// runCollect implements `bitsdiag collect [--powershell]`.
func runCollect(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("collect")
	ps := fs.Bool("powershell", false, "print a PowerShell .ps1 script instead of a Command Prompt .cmd script")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			printUsage(stdout, collectUsage, fs)
			return exitOK
		}
		return usageError(stderr, "collect", err)
	}
	if fs.NArg() > 0 {
		return usageError(stderr, "collect", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	script := collectCmd()
	if *ps {
		script = collectPS()
	}
	if _, err := io.WriteString(stdout, script); err != nil {
		fmt.Fprintf(stderr, "bitsdiag collect: %v\n", err)
		return exitFail
	}
	return exitOK
}

// customerReadme is written next to the collected files.
var customerReadme = []string{
	"This folder was made by the bitsdiag collection script for your support engineer.",
	"It holds copies of event logs (System, BITS, Windows Update, Delivery Optimization)",
	"and the output of read-only commands about the Background Intelligent Transfer",
	"Service (BITS): its service configuration (sc.exe, reg.exe), its job list",
	"(bitsadmin, Get-BitsTransfer) and the proxy settings (netsh, bitsadmin).",
	"Nothing on this computer was changed. Send the zip file next to this folder.",
	"The event logs may contain computer, user and server names and download URLs.",
}

const collectBanner = "bitsdiag collection script. It only READS the BITS configuration and EXPORTS event logs: it changes no registry value and no service setting."

// collectCmd is the Command Prompt script. Every line is either control
// (echo, set, if, mkdir, rem) or a command of snapshot.Collection(), so
// tests can check it against the list bitsdiag reads.
func collectCmd() string {
	var b strings.Builder
	w := func(s string) { b.WriteString(s + "\r\n") }
	w("@echo off")
	w("rem " + collectBanner)
	w("rem Run it from an elevated Command Prompt: right-click Command Prompt, Run as administrator.")
	w("setlocal")
	w(`rem The files go next to the script (Run as administrator starts in System32).`)
	w(`set "NAME=bitsdiag-%COMPUTERNAME%"`)
	w(`set "BASE=%~dp0"`)
	w(`set "OUT=%BASE%%NAME%"`)
	w(`if exist "%OUT%\" echo The folder "%OUT%" exists already: move it away and run the script again.& exit /b 1`)
	w(`mkdir "%OUT%"`)
	w(`echo Collecting into "%OUT%" ...`)
	for _, c := range snapshot.Collection() {
		if c.WritesFile {
			w(c.Cmd + ` > nul 2>&1`)
		} else {
			w(c.Cmd + ` > "%OUT%\` + c.File + `" 2>&1`)
		}
	}
	for i, l := range customerReadme {
		op := ">>"
		if i == 0 {
			op = ">"
		}
		w(`echo ` + l + ` ` + op + ` "%OUT%\README.txt"`)
	}
	w(`where tar.exe > nul 2>&1 && tar.exe -a -c -f "%OUT%.zip" -C "%BASE%." "%NAME%"`)
	w(`if not exist "%OUT%.zip" ` + psNoProfileCmd + ` "Compress-Archive -Path '%OUT%' -DestinationPath '%OUT%.zip'"`)
	w(`if exist "%OUT%.zip" (echo Done: send "%OUT%.zip" to your support engineer.) else (echo Could not make a zip: send the folder "%OUT%" zipped by Explorer, Send to, Compressed folder.)`)
	w("endlocal")
	return b.String()
}

const psNoProfileCmd = "powershell.exe -NoProfile -NonInteractive -Command"

// collectPS is the Windows PowerShell script.
func collectPS() string {
	var b strings.Builder
	w := func(s string) { b.WriteString(s + "\r\n") }
	w("# " + collectBanner)
	w("# Run it from an elevated Windows PowerShell: powershell.exe -NoProfile -ExecutionPolicy Bypass -File collect-bits.ps1")
	w(`$name = "bitsdiag-$env:COMPUTERNAME"`)
	w(`$out = Join-Path $PSScriptRoot $name  # next to the script`)
	w(`if (Test-Path $out) { Write-Host "The folder $out exists already: move it away and run the script again."; exit 1 }`)
	w(`New-Item -ItemType Directory -Path $out | Out-Null`)
	w(`Write-Host "Collecting into $out ..."`)
	for _, c := range snapshot.Collection() {
		if c.WritesFile {
			w(c.PS + ` *> $null`)
		} else {
			w(c.PS + ` *> "$out\` + c.File + `"`)
		}
	}
	var lines []string
	for _, l := range customerReadme {
		lines = append(lines, "'"+strings.ReplaceAll(l, "'", "''")+"'")
	}
	w(`@(` + strings.Join(lines, ", ") + `) | Out-File -FilePath "$out\README.txt"`)
	w(`Compress-Archive -Path $out -DestinationPath "$out.zip"`)
	w(`if (Test-Path "$out.zip") { Write-Host "Done: send $out.zip to your support engineer." } else { Write-Host "Could not make a zip: send the folder $out zipped by Explorer, Send to, Compressed folder." }`)
	return b.String()
}
