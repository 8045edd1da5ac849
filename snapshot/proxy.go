package snapshot

import (
	"regexp"
	"strings"
)

// WinHTTPProxy is netsh winhttp show proxy.
type WinHTTPProxy struct {
	Direct bool
	Server string // "host:port" or "http=...;https=..."
	Bypass string // "" or "(none)" when none
	// Localized is true when the text was not English; Text holds it.
	Localized bool
	Text      []string
}

// IEProxySetting is bitsadmin /util /getieproxy ACCOUNT.
type IEProxySetting struct {
	Account string // from "... for account X" when printed
	Usage   string // NO_PROXY, AUTODETECT, MANUAL_PROXY, AUTOSCRIPT (upper case)
	List    string
	Bypass  string
	Script  string
}

var hostPort = regexp.MustCompile(`[A-Za-z0-9.\-]+:\d+`)

func parseWinHTTP(lines []string) (*WinHTTPProxy, error) {
	english := false
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "Current WinHTTP proxy settings") {
			english = true
		}
	}
	if !english {
		return parseLocalizedWinHTTP(lines), nil
	}
	p := &WinHTTPProxy{}
	for _, raw := range lines {
		l := strings.TrimSpace(raw)
		switch {
		case l == "" || strings.HasPrefix(l, "Current WinHTTP"):
		case strings.HasPrefix(l, "Direct access"):
			p.Direct = true
		case strings.HasPrefix(l, "Proxy Server(s)"):
			_, v, _ := strings.Cut(l, ":")
			p.Server = strings.TrimSpace(v)
		case strings.HasPrefix(l, "Bypass List"):
			_, v, _ := strings.Cut(l, ":")
			p.Bypass = strings.TrimSpace(v)
		default:
			p.Text = append(p.Text, l)
		}
	}
	if !p.Direct && p.Server == "" {
		return nil, &FormatError{Kind: KindWinHTTPProxy, Line: 1, Problem: "neither \"Direct access\" nor \"Proxy Server(s)\" found"}
	}
	return p, nil
}

// parseLocalizedWinHTTP is used for translated netsh output: "direct" is
// the absence of any host:port token.
func parseLocalizedWinHTTP(lines []string) *WinHTTPProxy {
	p := &WinHTTPProxy{Localized: true}
	for _, l := range lines {
		if t := strings.TrimSpace(l); t != "" {
			p.Text = append(p.Text, t)
			if m := hostPort.FindString(t); m != "" && p.Server == "" {
				p.Server = m
			}
		}
	}
	p.Direct = p.Server == ""
	return p
}

var accountLine = regexp.MustCompile(`(?i)for account (\S+)`)

func parseIEProxy(lines []string) (*IEProxySetting, error) {
	p := &IEProxySetting{}
	for _, raw := range lines {
		l := strings.TrimSpace(raw)
		if m := accountLine.FindStringSubmatch(l); m != nil && p.Account == "" {
			p.Account = strings.TrimRight(m[1], ".:")
		}
		lower := strings.ToLower(l)
		val := func() string {
			if i := strings.Index(l, ":"); i >= 0 {
				return strings.TrimSpace(l[i+1:])
			}
			f := strings.Fields(l)
			if len(f) > 0 {
				return f[len(f)-1]
			}
			return ""
		}
		switch {
		case strings.HasPrefix(lower, "proxy usage"):
			p.Usage = strings.ToUpper(val())
		case strings.HasPrefix(lower, "proxy bypass list"), strings.HasPrefix(lower, "bypass list"):
			p.Bypass = val()
		case strings.HasPrefix(lower, "proxy list"):
			p.List = val()
		case strings.HasPrefix(lower, "auto-config url"), strings.HasPrefix(lower, "autoconfig url"), strings.HasPrefix(lower, "auto config url"):
			p.Script = val()
		}
	}
	if p.Usage == "" {
		return nil, &FormatError{Kind: KindIEProxy, Problem: "no \"Proxy usage\" line"}
	}
	return p, nil
}
