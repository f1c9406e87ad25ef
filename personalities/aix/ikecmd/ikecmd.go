// Package ikecmd parses the command line of AIX's ike command:
// "ike cmd=Subcommand [parameter ...]", with every parameter and every
// restriction the manual page states. An error names the offending token.
package ikecmd

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Range is an inclusive range of tunnel numbers.
type Range struct{ First, Last int }

// NumList is a numlist= value: numbers and ranges, in the order given.
type NumList []Range

// Contains reports whether n is in the list.
func (l NumList) Contains(n int) bool {
	for _, r := range l {
		if n >= r.First && n <= r.Last {
			return true
		}
	}
	return false
}

// Request is one parsed ike command line.
type Request struct {
	Cmd       string // activate, list, remove, log
	Phase     string // "", "1", "2", or for list "1+"
	NumList   NumList
	NameList  []string
	RemID     string
	IPAddr    [2]netip.Addr // src, dst when HasIPAddr
	HasIPAddr bool
	Autostart bool
	DB        bool
	Role      string // "", "i", "r"
	Verbose   bool
	All       bool
	seen      map[string]bool
}

// Error is a command line the ike command refuses.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func errf(format string, args ...any) error { return &Error{Msg: fmt.Sprintf(format, args...)} }

// allowed lists the parameters each subcommand takes.
var allowed = map[string][]string{
	"activate": {"phase", "numlist", "namelist", "remid", "ipaddr", "autostart"},
	"list":     {"phase", "numlist", "db", "role", "verbose"},
	"remove":   {"phase", "numlist", "all"},
	"log":      {},
}

// Parse reads the words after "ike".
func Parse(args []string) (*Request, error) {
	if len(args) == 0 || !strings.HasPrefix(args[0], "cmd=") {
		return nil, errf("the first parameter must be cmd=activate|list|remove|log")
	}
	r := &Request{Cmd: strings.TrimPrefix(args[0], "cmd="), seen: map[string]bool{}}
	params, ok := allowed[r.Cmd]
	if !ok {
		return nil, errf("%s: unknown subcommand (activate, list, remove, log)", args[0])
	}
	for _, a := range args[1:] {
		if err := r.param(a, params); err != nil {
			return nil, err
		}
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Request) param(tok string, params []string) error {
	key, val, hasVal := strings.Cut(tok, "=")
	known := false
	for _, p := range params {
		if p == key {
			known = true
		}
	}
	if !known {
		return errf("%s: parameter not valid for cmd=%s", tok, r.Cmd)
	}
	if r.seen[key] {
		return errf("%s: parameter given more than once", tok)
	}
	r.seen[key] = true
	bare := key == "autostart" || key == "db" || key == "verbose" || key == "all"
	if bare != !hasVal {
		if bare {
			return errf("%s: %s takes no value", tok, key)
		}
		return errf("%s: %s needs a value (%s=...)", tok, key, key)
	}
	return r.setParam(tok, key, val)
}

func (r *Request) setParam(tok, key, val string) error {
	switch key {
	case "phase":
		return r.setPhase(tok, val)
	case "numlist":
		l, err := ParseNumList(val)
		if err != nil {
			return errf("%s: %v", tok, err)
		}
		r.NumList = l
	case "namelist":
		names := strings.Split(val, ",")
		for _, n := range names {
			if n == "" {
				return errf("%s: empty tunnel name", tok)
			}
		}
		r.NameList = names
	case "remid":
		if val == "" {
			return errf("%s: empty remote id", tok)
		}
		r.RemID = val
	case "ipaddr":
		return r.setIPAddr(tok, val)
	case "role":
		if val != "i" && val != "r" {
			return errf("%s: role must be i or r", tok)
		}
		r.Role = val
	case "autostart":
		r.Autostart = true
	case "db":
		r.DB = true
	case "verbose":
		r.Verbose = true
	case "all":
		r.All = true
	}
	return nil
}

func (r *Request) setPhase(tok, val string) error {
	ok := val == "1" || val == "2" || (val == "1+" && r.Cmd == "list")
	if !ok {
		if r.Cmd == "list" {
			return errf("%s: phase must be 1, 1+ or 2", tok)
		}
		return errf("%s: phase must be 1 or 2", tok)
	}
	r.Phase = val
	return nil
}

func (r *Request) setIPAddr(tok, val string) error {
	src, dst, ok := strings.Cut(val, ",")
	if !ok {
		return errf("%s: ipaddr needs two addresses, src_addr,dst_addr", tok)
	}
	for i, s := range []string{src, dst} {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return errf("%s: %q is not an IP address", tok, s)
		}
		r.IPAddr[i] = a.Unmap()
	}
	if r.IPAddr[0].Is4() != r.IPAddr[1].Is4() {
		return errf("%s: the two addresses are not of one family", tok)
	}
	r.HasIPAddr = true
	return nil
}

// check applies the restrictions between parameters the manual states.
func (r *Request) check() error {
	s := r.seen
	switch r.Cmd {
	case "activate":
		if s["remid"] && (s["ipaddr"] || s["numlist"] || s["namelist"]) {
			return errf("remid cannot be used with ipaddr, numlist or namelist")
		}
		if s["namelist"] && !s["phase"] {
			return errf("namelist requires phase=1 or phase=2")
		}
		if s["autostart"] && len(s) > 1 {
			return errf("autostart cannot be used with any other parameter")
		}
	case "list":
		if s["db"] && s["role"] {
			return errf("db cannot be used with role")
		}
	case "remove":
		if s["all"] && s["numlist"] {
			return errf("all cannot be used with numlist")
		}
		if !s["phase"] && !s["all"] {
			return errf("remove needs phase=1 or phase=2 (or all)")
		}
	}
	return nil
}

// maxTunnel bounds tunnel numbers, so a typo cannot ask for billions.
const maxTunnel = 1 << 20

// ParseNumList reads "1,3,5-7".
func ParseNumList(s string) (NumList, error) {
	if s == "" {
		return nil, fmt.Errorf("empty tunnel number list")
	}
	var l NumList
	for _, part := range strings.Split(s, ",") {
		first, last, isRange := strings.Cut(part, "-")
		a, err := tunnelNum(first)
		if err != nil {
			return nil, err
		}
		b := a
		if isRange {
			if b, err = tunnelNum(last); err != nil {
				return nil, err
			}
			if b < a {
				return nil, fmt.Errorf("range %s runs backwards", part)
			}
		}
		l = append(l, Range{a, b})
	}
	return l, nil
}

func tunnelNum(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxTunnel || strings.HasPrefix(s, "+") {
		return 0, fmt.Errorf("%q is not a tunnel number", s)
	}
	return n, nil
}
