package solaris

import (
	"fmt"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// defaultRow is one row of get defaults.
type defaultRow struct {
	token, desc, unit string
	hard              uint32
	// recorded picks the configured value (0 = not configured).
	recorded func(engine.ConfigDefaults) uint32
}

func rec(f func(engine.ConfigDefaults) uint32) func(engine.ConfigDefaults) uint32 { return f }

// defaultRows are in.iked's 28 defaults in the order ikeadm prints them,
// with the hard-coded values of the Solaris daemon.
var defaultRows = []defaultRow{
	{"p1_lifetime_secs", "phase 1 lifetime", "seconds", 3600, rec(func(c engine.ConfigDefaults) uint32 { return c.P1LifetimeSecs })},
	{"-", "minimum phase 1 lifetime", "seconds", 60, nil},
	{"p1_nonce_len", "phase 1 nonce length", "bytes", 64, rec(func(c engine.ConfigDefaults) uint32 { return c.P1NonceLen })},
	{"p2_lifetime_secs", "phase 2 lifetime", "seconds", 28800, rec(func(c engine.ConfigDefaults) uint32 { return c.P2LifetimeSecs })},
	{"p2_softlife_secs", "phase 2 soft lifetime", "seconds", 24000, rec(func(c engine.ConfigDefaults) uint32 { return c.P2SoftSecs })},
	{"p2_idletime_secs", "phase 2 idle time", "seconds", 13333, rec(func(c engine.ConfigDefaults) uint32 { return c.P2IdleSecs })},
	{"p2_lifetime_kb", "phase 2 lifetime", "kilobytes", 29491200, rec(func(c engine.ConfigDefaults) uint32 { return c.P2LifetimeKB })},
	{"p2_softlife_kb", "phase 2 soft lifetime", "kilobytes", 24576000, rec(func(c engine.ConfigDefaults) uint32 { return c.P2SoftKB })},
	{"-", "system phase 2 lifetime", "seconds", 0, rec(func(c engine.ConfigDefaults) uint32 { return c.SysP2LifetimeSecs })},
	{"-", "system phase 2 soft lifetime", "seconds", 0, rec(func(c engine.ConfigDefaults) uint32 { return c.SysP2SoftSecs })},
	{"-", "system phase 2 idle time", "seconds", 0, nil},
	{"-", "system phase 2 lifetime", "bytes", 0, rec(func(c engine.ConfigDefaults) uint32 { return c.SysP2LifetimeBytes })},
	{"-", "system phase 2 soft lifetime", "bytes", 0, rec(func(c engine.ConfigDefaults) uint32 { return c.SysP2SoftBytes })},
	{"-", "minimum phase 2 hard lifetime", "seconds", 100, nil},
	{"-", "minimum phase 2 soft lifetime", "seconds", 90, nil},
	{"-", "minimum phase 2 idle lifetime", "seconds", 30, nil},
	{"-", "minimum phase 2 hard lifetime", "kilobytes", 1024, nil},
	{"-", "minimum phase 2 soft lifetime", "kilobytes", 900, nil},
	{"-", "minimum phase 2 delta", "seconds", 10, nil},
	{"-", "minimum phase 2 delta", "kilobytes", 100, nil},
	{"-", "maximum phase 2 lifetime", "seconds", 172800, nil},
	{"-", "conversion factor", "kbytes/s", 1024, nil},
	{"-", "maximum phase 2 lifetime", "kilobytes", 536870912, nil},
	{"p2_nonce_len", "phase 2 nonce length", "bytes", 64, rec(func(c engine.ConfigDefaults) uint32 { return c.P2NonceLen })},
	{"p2_pfs", "phase 2 PFS", " ", 0, rec(func(c engine.ConfigDefaults) uint32 { return c.P2PFS })},
	{"max_certs", "max certificates", " ", 1024, rec(func(c engine.ConfigDefaults) uint32 { return c.MaxCerts })},
	{"-", "IKE port number", " ", 500, nil},
	{"-", "NAT-T port number", " ", 4500, nil},
}

func (s *session) getDefaults() error {
	var g engine.GlobalConfig
	err := s.doorRead("IKE_SVC_GET_DEFS", func(h *engine.Host) error {
		var err error
		g, err = h.Policies().Global()
		return err
	})
	if err != nil {
		return fatalDoor("error getting defaults: %s", err)
	}
	var b strings.Builder
	b.WriteString("\nGlobal defaults. Some values can be over-ridden on a per rule basis.\n\n" +
		"System defaults are time delayed.\n\n")
	fmt.Fprintf(&b, "%-18s%-10s%-12s%-10s%-26s\n\n", "Token:", "Source:", "Value:", "Unit:", "Description:")
	for i, r := range defaultRows {
		value, hard := r.values(i, g)
		source := "default"
		if value != hard {
			source = "config"
		}
		fmt.Fprintf(&b, "%-18s%-10s%11d %-10s%-26s\n", r.token, source, value, r.unit, r.desc)
	}
	_, err = s.out.Write([]byte(b.String()))
	return err
}

// values are the row's effective and hard-coded values under g (row i of
// defaultRows).
func (r defaultRow) values(i int, g engine.GlobalConfig) (value, hard uint32) {
	hard, value = r.hard, r.hard
	if r.recorded != nil {
		if v := r.recorded(g.Recorded); v != 0 {
			value = v
		}
	}
	if i == len(defaultRows)-1 && g.Recorded.NATTPort != 0 {
		// The daemon puts the configured NAT-T port in both its hard
		// and effective tables, so its source always reads default.
		hard, value = g.Recorded.NATTPort, g.Recorded.NATTPort
	}
	return value, hard
}

// Defaults hands row each of in.iked's global defaults on host h, in
// get defaults' order: its ike.config token ("" for none), description,
// unit ("" for none), effective and hard-coded values. ikemu show
// defaults lists them (native.Wiring.Defaults).
func Defaults(h *engine.Host, row func(token, desc, unit string, value, hard uint32) error) error {
	g, err := h.Policies().Global()
	if err != nil {
		return err
	}
	for i, r := range defaultRows {
		value, hard := r.values(i, g)
		token := r.token
		if token == "-" {
			token = ""
		}
		if err := row(token, r.desc, strings.TrimSpace(r.unit), value, hard); err != nil {
			return err
		}
	}
	return nil
}
