package analyze

import (
	"fmt"
	"strings"
)

// codeRow is one row of a code table (kbdata "codes").
type codeRow struct {
	Name     string
	Aliases  []string
	Category string
	Meaning  string
	// Component is the part of the reporting software (kbdata "component").
	Component string
}

// Facilities with a special meaning for BITS.
const (
	facilityNull       = 0
	facilityITF        = 4
	facilityWin32      = 7
	facilityHTTP       = 0x19
	facilityBITS       = 0x20
	facilityWU         = 0x24
	facilityDO         = 0xD0
	facilityWin32Mask  = 0x7FF
	winHTTPFirst       = 12000
	winHTTPLast        = 12199
	bitsMessageIDFirst = 0x4000
	bitsMessageIDLast  = 0x400B
)

// facilityNames are the FACILITY_* names of winerror.h (without the prefix).
var facilityNames = map[uint16]string{
	0: "NULL", 1: "RPC", 2: "DISPATCH", 3: "STORAGE", 4: "ITF", 7: "WIN32", 8: "WINDOWS",
	9: "SECURITY", 10: "CONTROL", 11: "CERT", 12: "INTERNET", 13: "MEDIASERVER", 14: "MSMQ",
	15: "SETUPAPI", 16: "SCARD", 17: "COMPLUS", 18: "AAF", 19: "URT", 20: "ACS", 21: "DPLAY",
	22: "UMI", 23: "SXS", 24: "WINDOWS_CE", 25: "HTTP", 26: "USERMODE_COMMONLOG",
	31: "USERMODE_FILTER_MANAGER", 32: "BACKGROUNDCOPY", 33: "CONFIGURATION",
	34: "STATE_MANAGEMENT", 35: "METADIRECTORY", 36: "WINDOWSUPDATE", 37: "DIRECTORYSERVICE",
	38: "GRAPHICS", 39: "SHELL", 40: "TPM_SERVICES", 41: "TPM_SOFTWARE", 48: "PLA", 49: "FVE",
	50: "FWP", 51: "WINRM", 52: "NDIS", 53: "USERMODE_HYPERVISOR", 54: "CMI",
	55: "USERMODE_VIRTUALIZATION", 56: "USERMODE_VOLMGR", 57: "BCD", 58: "USERMODE_VHD",
	60: "SDIAG", 61: "WEBSERVICES", 80: "WINDOWS_DEFENDER", 81: "OPC", 208: "DELIVERY_OPTIMIZATION",
}

// FacilityName returns the FACILITY_* name (without prefix) of a facility
// number, or "" when it is not one winerror.h names.
func FacilityName(f uint16) string { return facilityNames[f] }

// decode is the table lookup plus the structural decode of code.
func decode(code uint32, table map[uint32]codeRow) CodeInfo {
	fac := uint16(code>>16) & facilityWin32Mask
	low := code & 0xFFFF
	ci := CodeInfo{
		Code:         code,
		Hex:          FormatCode(code),
		Failure:      code&0x80000000 != 0,
		Facility:     fac,
		FacilityName: facilityNames[fac],
	}
	if ci.FacilityName == "" {
		ci.FacilityName = fmt.Sprintf("unknown facility %d", fac)
	}
	if ci.Failure && fac == facilityWin32 {
		ci.Win32 = int(low)
	}
	if ci.Failure && fac == facilityHTTP && low >= 100 && low <= 599 {
		ci.HTTPStatus = int(low)
	}

	if row, ok := table[code]; ok {
		ci.Known = true
		ci.Name, ci.Aliases, ci.Category, ci.Meaning, ci.Component = row.Name, row.Aliases, row.Category, row.Meaning, row.Component
		if ci.HTTPStatus != 0 && ci.Meaning == "" {
			ci.Meaning = httpMeaning(ci.HTTPStatus)
		}
		return ci
	}
	structural(&ci, code)
	return ci
}

// structural fills Category, Name and Meaning of a code no table lists.
func structural(ci *CodeInfo, code uint32) {
	fac, low := ci.Facility, code&0xFFFF
	facility := facilityNames[fac]
	if facility == "" {
		facility = fmt.Sprintf("%d (not a known facility)", fac)
	}
	switch {
	case ci.HTTPStatus != 0:
		ci.Category = "HTTP"
		if httpDefined[ci.HTTPStatus] {
			ci.Name = fmt.Sprintf("BG_E_HTTP_ERROR_%d", ci.HTTPStatus)
		}
		ci.Known = httpReason[ci.HTTPStatus] != ""
		ci.Meaning = httpMeaning(ci.HTTPStatus)
		if ci.Name == "" {
			ci.Meaning = strings.TrimSuffix(ci.Meaning, ".") + "; BITS defines no BG_E_HTTP_ERROR constant for it."
		}
	case code&0xC0000000 == 0xC0000000 && code&0x10000000 == 0 && fac == facilityNull:
		ci.Category = "NTSTATUS"
		ci.Meaning = "Looks like an NTSTATUS error value (0xC0000000 class) rather than an HRESULT; look it up in the NTSTATUS list."
	case !ci.Failure:
		ci.Category = "success"
		ci.Meaning = fmt.Sprintf("Success-class code (severity bit clear): not a failure. Facility %s, code 0x%04X.", facility, low)
		if code != 0 && code <= 0xFFFF {
			ci.Hint = fmt.Sprintf("If this is a bare Win32 error number, its HRESULT is %s; explain that instead.", FormatCode(HRESULTFromWin32(code)))
		}
	case fac == facilityWin32 && low >= winHTTPFirst && low <= winHTTPLast:
		ci.Category = "WinHTTP"
		ci.Meaning = fmt.Sprintf("WinHTTP/WinINet error %d (not in the code tables).", low)
	case fac == facilityWin32:
		ci.Category = "Win32"
		ci.Meaning = fmt.Sprintf("Win32 error %d wrapped as an HRESULT (not in the code tables).", low)
	case fac == facilityHTTP && low >= bitsMessageIDFirst && low <= bitsMessageIDLast:
		ci.Category = "BITS message"
		ci.Meaning = "A BITS_MC_* message id (an event-log message), not a job error code."
	case fac == facilityHTTP:
		ci.Category = "HTTP"
		ci.Meaning = fmt.Sprintf("Facility HTTP code 0x%04X, outside the HTTP status range 100-599.", low)
	case fac == facilityBITS:
		ci.Category = "BITS"
		ci.Meaning = fmt.Sprintf("A BITS (BACKGROUNDCOPY) error 0x%04X that the BG_E_* table does not list.", low)
	case fac == facilityWU:
		ci.Category = "Windows Update"
		ci.Meaning = "A Windows Update Agent error (facility WINDOWSUPDATE, 0x8024xxxx); see Microsoft's Windows Update error code reference."
	case fac == facilityDO:
		ci.Category = "Delivery Optimization"
		ci.Meaning = "A Delivery Optimization error (facility 0xD0, 0x80D0xxxx)."
	case fac == facilityNull || fac == facilityITF || fac == 1 || fac == 2 || fac == 3:
		ci.Category = "COM"
		ci.Meaning = fmt.Sprintf("A COM error in facility %s, code 0x%04X (not in the code tables).", facility, low)
		if fac == facilityITF {
			ci.Meaning += " FACILITY_ITF codes are interface-specific: their meaning depends on the interface that returned them."
		}
	default:
		ci.Category = "HRESULT"
		ci.Meaning = fmt.Sprintf("A failure HRESULT in facility %s, code 0x%04X (not in the code tables).", facility, low)
	}
}

// httpMeaning describes an HTTP status.
func httpMeaning(status int) string {
	reason := httpReason[status]
	if reason == "" {
		reason = "(no standard reason phrase)"
	}
	return fmt.Sprintf("HTTP %d %s: the server or a proxy answered a BITS request with HTTP status %d.", status, reason, status)
}
