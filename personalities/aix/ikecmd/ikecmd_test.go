package ikecmd

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseValid(t *testing.T) {
	ip := func(s string) netip.Addr { return netip.MustParseAddr(s) }
	cases := []struct {
		line string
		want Request
	}{
		{"cmd=activate", Request{Cmd: "activate"}},
		{"cmd=activate numlist=1,3,5-7", Request{Cmd: "activate", NumList: NumList{{1, 1}, {3, 3}, {5, 7}}}},
		{"cmd=activate phase=1 remid=9.3.97.100", Request{Cmd: "activate", Phase: "1", RemID: "9.3.97.100"}},
		{"cmd=activate phase=2 remid=9.3.97.100,255.255.255.0", Request{Cmd: "activate", Phase: "2", RemID: "9.3.97.100,255.255.255.0"}},
		{"cmd=activate phase=2 ipaddr=10.0.0.1,10.0.0.2", Request{Cmd: "activate", Phase: "2", IPAddr: [2]netip.Addr{ip("10.0.0.1"), ip("10.0.0.2")}, HasIPAddr: true}},
		{"cmd=activate phase=2 namelist=AIXFW1_DM,remote_office", Request{Cmd: "activate", Phase: "2", NameList: []string{"AIXFW1_DM", "remote_office"}}},
		{"cmd=activate autostart", Request{Cmd: "activate", Autostart: true}},
		{"cmd=list", Request{Cmd: "list"}},
		{"cmd=list phase=1+ role=r verbose", Request{Cmd: "list", Phase: "1+", Role: "r", Verbose: true}},
		{"cmd=list phase=2 numlist=1-3 db", Request{Cmd: "list", Phase: "2", NumList: NumList{{1, 3}}, DB: true}},
		{"cmd=remove all", Request{Cmd: "remove", All: true}},
		{"cmd=remove phase=2 all", Request{Cmd: "remove", Phase: "2", All: true}},
		{"cmd=remove phase=1 numlist=1-3", Request{Cmd: "remove", Phase: "1", NumList: NumList{{1, 3}}}},
		{"cmd=log", Request{Cmd: "log"}},
	}
	for _, c := range cases {
		got, err := Parse(strings.Fields(c.line))
		if err != nil {
			t.Errorf("Parse(%q): %v", c.line, err)
			continue
		}
		if diff := cmp.Diff(&c.want, got, cmpopts.IgnoreUnexported(Request{}), cmpopts.EquateComparable(netip.Addr{})); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", c.line, diff)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := map[string]string{
		"":                         "the first parameter must be cmd=activate|list|remove|log",
		"phase=1":                  "the first parameter must be cmd=activate|list|remove|log",
		"cmd=start":                "cmd=start: unknown subcommand (activate, list, remove, log)",
		"cmd=activate phase=3":     "phase=3: phase must be 1 or 2",
		"cmd=activate phase=1+":    "phase=1+: phase must be 1 or 2",
		"cmd=list phase=0":         "phase=0: phase must be 1, 1+ or 2",
		"cmd=activate verbose":     "verbose: parameter not valid for cmd=activate",
		"cmd=activate numlist=1,x": `numlist=1,x: "x" is not a tunnel number`,
		"cmd=activate numlist=7-5": "numlist=7-5: range 7-5 runs backwards",
		"cmd=activate numlist=0":   `numlist=0: "0" is not a tunnel number`,
		"cmd=activate remid=h ipaddr=1.1.1.1,2.2.2.2": "remid cannot be used with ipaddr, numlist or namelist",
		"cmd=activate remid=h numlist=1":              "remid cannot be used with ipaddr, numlist or namelist",
		"cmd=activate namelist=a":                     "namelist requires phase=1 or phase=2",
		"cmd=activate autostart phase=1":              "autostart cannot be used with any other parameter",
		"cmd=activate ipaddr=1.1.1.1":                 "ipaddr=1.1.1.1: ipaddr needs two addresses, src_addr,dst_addr",
		"cmd=activate ipaddr=1.1.1.1,bad":             `ipaddr=1.1.1.1,bad: "bad" is not an IP address`,
		"cmd=activate ipaddr=1.1.1.1,::1":             "ipaddr=1.1.1.1,::1: the two addresses are not of one family",
		"cmd=activate autostart=yes":                  "autostart=yes: autostart takes no value",
		"cmd=activate phase":                          "phase: phase needs a value (phase=...)",
		"cmd=activate phase=1 phase=2":                "phase=2: parameter given more than once",
		"cmd=list db role=i":                          "db cannot be used with role",
		"cmd=list role=x":                             "role=x: role must be i or r",
		"cmd=remove all numlist=1":                    "all cannot be used with numlist",
		"cmd=remove numlist=1":                        "remove needs phase=1 or phase=2 (or all)",
		"cmd=remove":                                  "remove needs phase=1 or phase=2 (or all)",
		"cmd=log all":                                 "all: parameter not valid for cmd=log",
		"cmd=activate namelist=a,,b phase=1":          "namelist=a,,b: empty tunnel name",
	}
	for line, want := range cases {
		_, err := Parse(strings.Fields(line))
		if err == nil || err.Error() != want {
			t.Errorf("Parse(%q) error = %v, want %q", line, err, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"cmd=activate numlist=1,3,5-7", "cmd=list phase=1+ role=r verbose", "cmd=remove all", "cmd=activate phase=2 ipaddr=10.0.0.1,10.0.0.2", "cmd=log"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		r, err := Parse(strings.Fields(line))
		if err != nil {
			if r != nil {
				t.Fatal("request returned with an error")
			}
			return
		}
		for _, rg := range r.NumList {
			if rg.First < 1 || rg.Last < rg.First || rg.Last > maxTunnel {
				t.Fatalf("bad range %v from %q", rg, line)
			}
		}
	})
}
