package snapgen

// readme is samples/snapshots/README.md.
const readme = `# Configuration snapshot samples

Written by ` + "`" + `samples/snapgen` + "`" + ` (from ` + "`" + `go run ./samples/gen` + "`" + `), never copied from a customer: one folder per
machine, each holding the files of ` + "`" + `bitsdiag collect` + "`" + ` (` + "`" + `sc-*.txt` + "`" + `, ` + "`" + `reg-bits.reg` + "`" + `, ` + "`" + `reg-*.txt` + "`" + `,
` + "`" + `bitsadmin-jobs.txt` + "`" + `, ` + "`" + `get-bitstransfer.txt` + "`" + `, ` + "`" + `netsh-winhttp-proxy.txt` + "`" + `, ` + "`" + `ieproxy-*.txt` + "`" + `) in the bytes the
shell of the set wrote them (cmd.exe: OEM code page 850; Windows PowerShell 5.1: UTF-16LE with BOM; PowerShell
7: UTF-8; ` + "`" + `reg-bits.reg` + "`" + ` and ` + "`" + `get-bitstransfer.txt` + "`" + ` always UTF-16LE). Layouts follow
` + "`" + `shared/reference/config-facts.md` + "`" + ` (the Windows 10 ` + "`" + `reg export` + "`" + ` is byte-identical to its §4.3 block, apart
from the Performance subkey, which bitsdiag ignores).

- ` + "`" + `healthy-win10` + "`" + `, ` + "`" + `healthy-win7` + "`" + `, ` + "`" + `healthy-win81` + "`" + `, ` + "`" + `healthy-win7-fr` + "`" + ` (French status words, CP850): no finding.
- One deviation each, with the finding and the corrective command for its version (` + "`" + `configcheck` + "`" + ` tests):
  ` + "`" + `missing-win10` + "`" + `, ` + "`" + `missing-win7` + "`" + ` (ERROR_SERVICE_DOES_NOT_EXIST), ` + "`" + `not-in-netsvcs` + "`" + ` (ERROR_SERVICE_NOT_IN_EXE),
  ` + "`" + `disabled-win10` + "`" + `, ` + "`" + `disabled-win7` + "`" + ` (ERROR_SERVICE_DISABLED), ` + "`" + `dependency-win10` + "`" + `, ` + "`" + `eventsystem-on-win10` + "`" + `,
  ` + "`" + `dependency-win7` + "`" + ` (ERROR_SERVICE_DEPENDENCY_*), ` + "`" + `no-parameters` + "`" + `, ` + "`" + `no-servicedll` + "`" + `, ` + "`" + `wrong-servicedll` + "`" + `
  (ERROR_FILE_NOT_FOUND), ` + "`" + `account` + "`" + ` (LocalSystem section), ` + "`" + `image-path-no-p-win10` + "`" + `, ` + "`" + `image-path-pasted-win7` + "`" + `,
  ` + "`" + `type-interactive` + "`" + `, ` + "`" + `error-control` + "`" + `, ` + "`" + `privileges-win10` + "`" + `, ` + "`" + `privileges-typo-win7` + "`" + `, ` + "`" + `sid-type` + "`" + `,
  ` + "`" + `failure-actions` + "`" + `, ` + "`" + `security` + "`" + ` (repair section), ` + "`" + `job-limit-mismatch` + "`" + `, ` + "`" + `jobs-per-owner` + "`" + ` (job-limit section),
  ` + "`" + `proxy-range-requests` + "`" + ` (proxy section). ERROR_PATH_NOT_FOUND concerns Windows before Vista and has no set.
`
