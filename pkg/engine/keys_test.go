package engine_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

// psk is an address preshared key; plen -1 means no prefix was given.
func psk(local string, lplen int, remote string, rplen int, key, origin string) engine.PresharedKey {
	kind := func(a string) engine.IDKind {
		if addr(a).Is4() {
			return engine.IDIPv4
		}
		return engine.IDIPv6
	}
	return engine.PresharedKey{Mode: engine.XchgMain, LocalIDType: kind(local), LocalAddr: addr(local), LocalPlen: lplen,
		RemoteIDType: kind(remote), RemoteAddr: addr(remote), RemotePlen: rplen, Key: []byte(key), KeyBits: 8 * len(key), Origin: origin}
}

func keyNames(t *testing.T, v engine.Keys) []string {
	t.Helper()
	var out []string
	if err := v.Scan(func(_ engine.PSKRef, k *engine.PresharedKey) error {
		out = append(out, string(k.Key)+"/"+k.Origin)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestKeysForPrefixMatching(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		id := engine.PresharedKey{LocalIDType: engine.IDFQDN, LocalID: "a.example", RemoteIDType: engine.IDFQDN, RemoteID: "b.example", Key: []byte("id")}
		return h.Keys().Append([]engine.PresharedKey{
			id,
			psk("10.0.0.1", -1, "10.0.1.5", -1, "exact", "solaris"),
			psk("10.0.0.0", 24, "10.0.1.0", 24, "net24", "solaris"),
			psk("10.0.0.0", 8, "10.0.0.0", 8, "net8", "solaris"),
			psk("::ffff:192.168.0.1", -1, "::ffff:192.168.0.2", -1, "mapped", "solaris"),
			psk("2001:db8::1", 128, "2001:db8::", 32, "v6", "solaris"),
		})
	})
	l.host("h", func(h *engine.Host) error {
		cases := []struct{ local, remote, want string }{
			{"10.0.0.1", "10.0.1.5", "exact"}, // first match wins over the prefixes
			{"10.0.0.1", "10.0.1.6", "net24"},
			{"10.0.0.7", "10.0.1.255", "net24"},
			{"10.0.0.7", "10.0.2.1", "net8"},
			{"10.9.9.9", "10.200.0.1", "net8"},
			{"11.0.0.1", "10.0.0.1", ""},
			{"192.168.0.1", "192.168.0.2", "mapped"}, // IPv4 pair matches a v4-mapped entry
			{"2001:db8::1", "2001:db8:ffff::9", "v6"},
			{"2001:db8::2", "2001:db8::9", ""}, // /128 on the local side
			{"10.0.0.1", "2001:db8::9", ""},    // mixed families never match
		}
		for _, c := range cases {
			k, err := h.Keys().For(addr(c.local), addr(c.remote))
			if err != nil {
				return err
			}
			got := ""
			if k != nil {
				got = string(k.Key)
			}
			if got != c.want {
				t.Errorf("For(%s, %s) = %q, want %q", c.local, c.remote, got, c.want)
			}
		}
		return nil
	})
}

func TestKeysReplaceKeepsOtherOrigin(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		v := h.Keys()
		if err := v.Replace("solaris", []engine.PresharedKey{psk("10.0.0.1", -1, "10.0.0.2", -1, "s1", "solaris")}); err != nil {
			return err
		}
		if err := v.Append([]engine.PresharedKey{psk("10.0.0.1", -1, "10.0.0.3", -1, "a1", "aix")}); err != nil {
			return err
		}
		// Read through the cache, then replace: the cache must follow.
		if k, _ := v.For(addr("10.0.0.1"), addr("10.0.0.2")); k == nil || string(k.Key) != "s1" {
			t.Errorf("before reload: %+v", k)
		}
		if err := v.Replace("solaris", []engine.PresharedKey{psk("10.0.0.1", -1, "10.0.0.2", -1, "s2", "solaris")}); err != nil {
			return err
		}
		if k, _ := v.For(addr("10.0.0.1"), addr("10.0.0.2")); k == nil || string(k.Key) != "s2" {
			t.Errorf("after reload, in the same transaction: %+v", k)
		}
		if got := keyNames(t, v); !reflect.DeepEqual(got, []string{"a1/aix", "s2/solaris"}) {
			t.Errorf("keys: %v", got)
		}
		return nil
	})
	l.host("h", func(h *engine.Host) error {
		if n := h.Keys().Count(); n != 2 {
			t.Errorf("Count %d, want 2", n)
		}
		return nil
	})
}

func TestKeysDelete(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		if err := h.Keys().Delete(1); !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("delete without keys: %v", err)
		}
		return h.Keys().Append([]engine.PresharedKey{
			psk("10.0.0.1", -1, "10.0.0.2", -1, "k1", "aix"),
			psk("10.0.0.1", -1, "10.0.0.2", -1, "k2", "aix"),
		})
	})
	l.host("h", func(h *engine.Host) error {
		var first engine.PSKRef
		_ = h.Keys().Scan(func(ref engine.PSKRef, k *engine.PresharedKey) error {
			if string(k.Key) == "k1" {
				first = ref
			}
			return nil
		})
		if k, _ := h.Keys().For(addr("10.0.0.1"), addr("10.0.0.2")); k == nil || string(k.Key) != "k1" {
			t.Errorf("first key: %+v", k)
		}
		if err := h.Keys().Delete(first); err != nil {
			return err
		}
		if k, _ := h.Keys().For(addr("10.0.0.1"), addr("10.0.0.2")); k == nil || string(k.Key) != "k2" {
			t.Errorf("after deleting k1: %+v", k)
		}
		if got := keyNames(t, h.Keys()); !reflect.DeepEqual(got, []string{"k2/aix"}) {
			t.Errorf("keys: %v", got)
		}
		return nil
	})
}

func TestPresharedKeyMatchAddrsEdges(t *testing.T) {
	t.Parallel()
	k := psk("10.0.0.0", 33, "10.0.0.2", -1, "k", "")
	if !k.MatchAddrs(addr("10.0.0.0"), addr("10.0.0.2")) || k.MatchAddrs(addr("10.0.0.1"), addr("10.0.0.2")) {
		t.Error("an oversized prefix length means the full address")
	}
	if k.MatchAddrs(addr("10.0.0.0"), netipZero()) {
		t.Error("invalid address matched")
	}
	z := psk("fe80::1", -1, "fe80::2", -1, "k", "")
	if !z.MatchAddrs(addr("fe80::1%eth0"), addr("fe80::2%eth0")) {
		t.Error("zones are ignored")
	}
}
