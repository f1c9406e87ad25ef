package engine_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

func rule(label, origin string, local, remote []engine.AddrRange) engine.Phase1Policy {
	return engine.Phase1Policy{Label: label, Origin: origin, Mode: engine.XchgMain, LocalAddrs: local, RemoteAddrs: remote,
		Transforms: []engine.Transform{pskAES(2)}}
}

func pskAES(group int) engine.Transform {
	return engine.Transform{Auth: engine.AuthPreshared, Cipher: engine.CipherAES, KeyMin: 128, KeyMax: 128, Hash: engine.HashSHA1, Group: group, LifetimeSecs: 3600}
}

func ruleLabels(t *testing.T, v engine.Policies) []string {
	t.Helper()
	var out []string
	if err := v.ScanPhase1(func(p *engine.Phase1Policy) error { out = append(out, p.Label+"/"+p.Origin); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReplacePhase1KeepsOtherOrigin(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	any4 := []engine.AddrRange{span("0.0.0.0", "255.255.255.255")}
	l.host("h", func(h *engine.Host) error {
		v := h.Policies()
		if err := v.ReplacePhase1("solaris", []engine.Phase1Policy{rule("s1", "solaris", any4, any4), rule("s2", "solaris", any4, any4)},
			engine.GlobalConfig{CertRoot: []string{"CN=root"}}); err != nil {
			return err
		}
		if err := v.AppendPhase1([]engine.Phase1Policy{rule("a1", "aix", any4, any4)}, engine.GlobalConfig{CertRoot: []string{"CN=other"}}); err != nil {
			return err
		}
		if err := v.ReplacePhase1("solaris", []engine.Phase1Policy{rule("s3", "solaris", any4, any4)}, engine.GlobalConfig{}); err != nil {
			return err
		}
		if got := ruleLabels(t, v); !reflect.DeepEqual(got, []string{"a1/aix", "s3/solaris"}) {
			t.Errorf("after reload: %v", got)
		}
		if _, err := v.Phase1ByLabel("s1"); !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("replaced rule still found: %v", err)
		}
		err := v.ReplacePhase1("solaris", []engine.Phase1Policy{rule("a1", "solaris", any4, any4)}, engine.GlobalConfig{})
		if !errors.Is(err, engine.ErrDuplicate) {
			t.Errorf("label of the other origin: %v", err)
		}
		if got := ruleLabels(t, v); !reflect.DeepEqual(got, []string{"a1/aix", "s3/solaris"}) {
			t.Errorf("failed replace changed the rules: %v", got)
		}
		return nil
	})
}

// CountPhase1 counts rules only, not their label index's entries, and
// sees rules written earlier in the same transaction.
func TestCountPhase1(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		if err := h.Policies().AppendPhase1([]engine.Phase1Policy{rule("a", "aix", nil, nil), rule("b", "aix", nil, nil)}, engine.GlobalConfig{}); err != nil {
			return err
		}
		if n := h.Policies().CountPhase1(); n != 2 {
			t.Errorf("CountPhase1 right after an append: %d, want 2", n)
		}
		return nil
	})
	l.host("h", func(h *engine.Host) error {
		if n := h.Policies().CountPhase1(); n != 2 {
			t.Errorf("CountPhase1 in the next transaction: %d, want 2", n)
		}
		return nil
	})
}

func TestAppendPhase1LabelClashAndGlobals(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		v := h.Policies()
		g := engine.GlobalConfig{Recorded: engine.ConfigDefaults{P1LifetimeSecs: 100}, CertRoot: []string{"CN=a"}, PKCS11Path: "/lib/x.so"}
		if err := v.AppendPhase1([]engine.Phase1Policy{rule("r1", "solaris", nil, nil)}, g); err != nil {
			return err
		}
		err := v.AppendPhase1([]engine.Phase1Policy{rule("r2", "solaris", nil, nil), rule("r1", "solaris", nil, nil)}, engine.GlobalConfig{})
		if !errors.Is(err, engine.ErrDuplicate) {
			t.Errorf("duplicate label: %v", err)
		}
		if got := ruleLabels(t, v); !reflect.DeepEqual(got, []string{"r1/solaris"}) {
			t.Errorf("failed append added rules: %v", got)
		}
		g2 := engine.GlobalConfig{Recorded: engine.ConfigDefaults{P2LifetimeSecs: 200}, CertRoot: []string{"CN=b"}, CertTrust: []string{"CN=t"}}
		if err := v.AppendPhase1([]engine.Phase1Policy{rule("r2", "solaris", nil, nil)}, g2); err != nil {
			return err
		}
		got, err := v.Global()
		if err != nil {
			return err
		}
		// Only the recorded values and the certificate anchors are taken
		// from appended text; the rest stays as the last full load left it.
		want := engine.GlobalConfig{Recorded: g2.Recorded, CertRoot: []string{"CN=a", "CN=b"}, CertTrust: []string{"CN=t"}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("globals after append:\n got %+v\nwant %+v", got, want)
		}
		return nil
	})
}

func TestKMCookiesSurviveReload(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	cookies := func(v engine.Policies) map[string]uint32 {
		m := map[string]uint32{}
		_ = v.ScanPhase1(func(p *engine.Phase1Policy) error { m[p.Label] = p.KMCookie; return nil })
		return m
	}
	l.host("h", func(h *engine.Host) error {
		v := h.Policies()
		if err := v.ReplacePhase1("solaris", []engine.Phase1Policy{rule("a", "solaris", nil, nil), rule("b", "solaris", nil, nil)}, engine.GlobalConfig{}); err != nil {
			return err
		}
		if got := cookies(v); !reflect.DeepEqual(got, map[string]uint32{"a": 1, "b": 2}) {
			t.Errorf("first load: %v", got)
		}
		return nil
	})
	l.host("h", func(h *engine.Host) error {
		v := h.Policies()
		if err := v.ReplacePhase1("solaris", []engine.Phase1Policy{rule("c", "solaris", nil, nil), rule("a", "solaris", nil, nil)}, engine.GlobalConfig{}); err != nil {
			return err
		}
		if got := cookies(v); !reflect.DeepEqual(got, map[string]uint32{"a": 1, "c": 3}) {
			t.Errorf("reload: %v", got)
		}
		return nil
	})
}

func TestRewriteAndDeletePhase1(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		v := h.Policies()
		if err := v.ReplacePhase1("aix", []engine.Phase1Policy{rule("a", "aix", nil, nil), rule("b", "aix", nil, nil), rule("c", "aix", nil, nil)}, engine.GlobalConfig{}); err != nil {
			return err
		}
		if err := h.Tunnels().Assign(engine.TunnelPhase1, []string{"a", "b", "c"}); err != nil {
			return err
		}
		b := rule("b", "aix", nil, nil)
		b.Mode, b.KMCookie = engine.XchgAggressive, 99
		if err := v.RewritePhase1(&b); err != nil {
			return err
		}
		got, err := v.Phase1ByLabel("b")
		if err != nil {
			return err
		}
		if got.Mode != engine.XchgAggressive || got.KMCookie != 2 {
			t.Errorf("rewritten b: mode %d kmc %d, want aggressive and its old cookie 2", got.Mode, got.KMCookie)
		}
		if order := ruleLabels(t, v); !reflect.DeepEqual(order, []string{"a/aix", "b/aix", "c/aix"}) {
			t.Errorf("rewrite moved the rule: %v", order)
		}
		if n, _ := h.Tunnels().Number(engine.TunnelPhase1, "b"); n != 2 {
			t.Errorf("b's tunnel number %d", n)
		}
		x := rule("x", "aix", nil, nil)
		if err := v.RewritePhase1(&x); !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("rewrite of a missing rule: %v", err)
		}
		if err := v.DeletePhase1("b"); err != nil {
			return err
		}
		if _, ok := h.Tunnels().Number(engine.TunnelPhase1, "b"); ok {
			t.Error("deleted rule kept its tunnel number")
		}
		if err := v.DeletePhase1("b"); !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("second delete: %v", err)
		}
		if err := v.AppendPhase1([]engine.Phase1Policy{rule("d", "aix", nil, nil)}, engine.GlobalConfig{}); err != nil {
			return err
		}
		if err := h.Tunnels().Assign(engine.TunnelPhase1, []string{"d"}); err != nil {
			return err
		}
		if n, _ := h.Tunnels().Number(engine.TunnelPhase1, "d"); n != 2 {
			t.Errorf("d got number %d, want b's freed 2", n)
		}
		return nil
	})
}

func TestPhase1ForRangeMatching(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1", "2001:db8::1")
	l.host("h", func(h *engine.Host) error {
		rules := []engine.Phase1Policy{
			rule("narrow", "solaris", []engine.AddrRange{one("10.0.0.1")}, []engine.AddrRange{span("10.0.1.10", "10.0.1.20")}),
			rule("wide4", "solaris", []engine.AddrRange{span("0.0.0.0", "255.255.255.255")}, []engine.AddrRange{span("10.0.0.0", "10.255.255.255")}),
			rule("v6", "solaris", []engine.AddrRange{span("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")}, []engine.AddrRange{span("2001:db8::", "2001:db8::ffff")}),
		}
		if err := h.Policies().ReplacePhase1("solaris", rules, engine.GlobalConfig{}); err != nil {
			return err
		}
		return nil
	})
	l.host("h", func(h *engine.Host) error {
		cases := []struct{ local, remote, want string }{
			{"10.0.0.1", "10.0.1.10", "narrow"}, // first address of the range
			{"10.0.0.1", "10.0.1.20", "narrow"}, // last address
			{"10.0.0.1", "10.0.1.21", "wide4"},  // past the range: next rule
			{"10.0.0.1", "10.0.1.9", "wide4"},
			{"10.0.0.2", "10.0.1.15", "wide4"}, // other local address
			{"10.0.0.1", "11.0.0.1", ""},
			{"2001:db8::1", "2001:db8::5", "v6"},
			{"2001:db8::1", "2001:db8:1::5", ""},
			// An IPv4 address never falls in an IPv6 range, nor the reverse.
			{"10.0.0.1", "2001:db8::5", ""},
			{"2001:db8::1", "10.0.1.15", ""},
		}
		for _, c := range cases {
			p, err := h.Policies().Phase1For(addr(c.local), addr(c.remote))
			if err != nil {
				return err
			}
			got := ""
			if p != nil {
				got = p.Label
			}
			if got != c.want {
				t.Errorf("Phase1For(%s, %s) = %q, want %q", c.local, c.remote, got, c.want)
			}
		}
		// The cache follows writes made in the same transaction.
		if err := h.Policies().DeletePhase1("narrow"); err != nil {
			return err
		}
		if p, _ := h.Policies().Phase1For(addr("10.0.0.1"), addr("10.0.1.10")); p == nil || p.Label != "wide4" {
			t.Errorf("after deleting narrow: %+v", p)
		}
		return nil
	})
}

func TestPhase2ByNameAndScanOrder(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		v := h.Policies()
		if _, err := v.Phase2ByName("x"); !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("empty: %v", err)
		}
		p := engine.Phase2Policy{Name: "p", Phase1: "r", Origin: "aix", PFSGroup: 14, KeyOverlapSecs: 10, AutoStart: true,
			Local:     engine.Selector{Kind: engine.IDIPv4Prefix, Addrs: []engine.AddrRange{span("10.0.0.0", "10.0.0.255")}, Port: 22, Protocol: 6},
			Remote:    engine.Selector{Kind: engine.IDIPv4, Addrs: []engine.AddrRange{one("10.0.1.1")}, Group: "g"},
			Proposals: []engine.Proposal{{ESP: &engine.IPsecTransform{Cipher: engine.CipherAES, KeyBits: 256, Auth: engine.HashSHA256, LifetimeSecs: 600}}, {AH: &engine.IPsecTransform{Auth: engine.HashSHA1, Transport: true}}}}
		if err := v.PutPhase2([]engine.Phase2Policy{{Name: "z", Origin: "aix"}, p}); err != nil {
			return err
		}
		got, err := v.Phase2ByName("p")
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(*got, p) {
			t.Errorf("round trip:\n got %+v\nwant %+v", *got, p)
		}
		if err := v.DeletePhase2("nope"); !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("delete of a missing policy: %v", err)
		}
		return nil
	})
}
