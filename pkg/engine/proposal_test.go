package engine_test

import (
	"fmt"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

// negotiateOnce sets up a fresh host pair inside tx (addresses 10.9.n.1
// and 10.9.n.2) with the given modes and transforms and one shared key,
// and returns the initiator's SA or the failure.
func negotiateOnce(tx *engine.Tx, n int, mi, mr engine.ExchangeMode, ti, tr []engine.Transform) (*engine.Phase1SA, error) {
	la, lb := fmt.Sprintf("10.9.%d.1", n), fmt.Sprintf("10.9.%d.2", n)
	for _, end := range []struct {
		name, local, remote string
		mode                engine.ExchangeMode
		xs                  []engine.Transform
	}{{fmt.Sprintf("i%d", n), la, lb, mi, ti}, {fmt.Sprintf("r%d", n), lb, la, mr, tr}} {
		h, err := tx.AddHost(engine.HostInfo{Name: end.name, Addrs: []netipAddr{addr(end.local)}}, engine.Daemon{Running: true})
		if err != nil {
			return nil, err
		}
		r := rule("r", "solaris", []engine.AddrRange{one(end.local)}, []engine.AddrRange{one(end.remote)})
		r.Mode, r.Transforms = end.mode, end.xs
		if err := h.Policies().ReplacePhase1("solaris", []engine.Phase1Policy{r}, engine.GlobalConfig{}); err != nil {
			return nil, err
		}
		if err := h.Keys().Append([]engine.PresharedKey{psk(end.local, -1, end.remote, -1, "k", "solaris")}); err != nil {
			return nil, err
		}
	}
	h, err := tx.Host(fmt.Sprintf("i%d", n))
	if err != nil {
		return nil, err
	}
	sa, _, err := h.EnsurePhase1(addr(la), addr(lb))
	return sa, err
}

func xf(c engine.Cipher, min, max int, h engine.Hash, life uint32) engine.Transform {
	return engine.Transform{Auth: engine.AuthPreshared, Cipher: c, KeyMin: min, KeyMax: max, Hash: h, Group: 2, LifetimeSecs: life}
}

func TestProposalSelection(t *testing.T) {
	t.Parallel()
	aes := func(min, max int) engine.Transform { return xf(engine.CipherAES, min, max, engine.HashSHA1, 3600) }
	cases := []struct {
		name     string
		ti, tr   []engine.Transform
		ok       bool
		keyBits  int
		cipher   engine.Cipher
		lifetime uint32
	}{
		{"longest common key length", []engine.Transform{aes(128, 256)}, []engine.Transform{aes(192, 256)}, true, 256, engine.CipherAES, 3600},
		{"overlap at the top of one range", []engine.Transform{aes(128, 192)}, []engine.Transform{aes(192, 256)}, true, 192, engine.CipherAES, 3600},
		{"disjoint key lengths", []engine.Transform{aes(128, 128)}, []engine.Transform{aes(256, 256)}, false, 0, 0, 0},
		{"unset lengths default to 128..256", []engine.Transform{aes(0, 0)}, []engine.Transform{aes(0, 0)}, true, 256, engine.CipherAES, 3600},
		{"a fixed length alone", []engine.Transform{aes(0, 192)}, []engine.Transform{aes(0, 0)}, true, 192, engine.CipherAES, 3600},
		{"3DES is 192 bits", []engine.Transform{xf(engine.Cipher3DES, 0, 0, engine.HashSHA1, 3600)}, []engine.Transform{xf(engine.Cipher3DES, 0, 0, engine.HashSHA1, 3600)}, true, 192, engine.Cipher3DES, 3600},
		{"DES is 64 bits", []engine.Transform{xf(engine.CipherDES, 0, 0, engine.HashMD5, 3600)}, []engine.Transform{xf(engine.CipherDES, 0, 0, engine.HashMD5, 3600)}, true, 64, engine.CipherDES, 3600},
		{"smaller lifetime wins", []engine.Transform{xf(engine.CipherAES, 128, 128, engine.HashSHA1, 7200)}, []engine.Transform{xf(engine.CipherAES, 128, 128, engine.HashSHA1, 600)}, true, 128, engine.CipherAES, 600},
		{"zero lifetime takes the other", []engine.Transform{xf(engine.CipherAES, 128, 128, engine.HashSHA1, 0)}, []engine.Transform{xf(engine.CipherAES, 128, 128, engine.HashSHA1, 900)}, true, 128, engine.CipherAES, 900},
		{"initiator's preference order", []engine.Transform{xf(engine.Cipher3DES, 0, 0, engine.HashSHA1, 3600), aes(128, 128)},
			[]engine.Transform{aes(128, 128), xf(engine.Cipher3DES, 0, 0, engine.HashSHA1, 3600)}, true, 192, engine.Cipher3DES, 3600},
		{"first acceptable of several", []engine.Transform{xf(engine.CipherAES, 128, 128, engine.HashMD5, 3600), aes(128, 128)},
			[]engine.Transform{aes(128, 128)}, true, 128, engine.CipherAES, 3600},
		{"group differs", []engine.Transform{aes(128, 128)}, []engine.Transform{{Auth: engine.AuthPreshared, Cipher: engine.CipherAES, KeyMax: 128, Hash: engine.HashSHA1, Group: 14}}, false, 0, 0, 0},
	}
	l := newTestLab(t)
	l.update(func(tx *engine.Tx) error {
		for i, c := range cases {
			sa, err := negotiateOnce(tx, i, engine.XchgMain, engine.XchgMain, c.ti, c.tr)
			if !c.ok {
				if negotiationKind(err) != engine.FailNoProposal {
					t.Errorf("%s: want no-proposal, got %v", c.name, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			if x := sa.Xform; x.KeyMax != c.keyBits || x.KeyMin != 0 || x.Cipher != c.cipher || x.LifetimeSecs != c.lifetime {
				t.Errorf("%s: selected %+v, want %d bits of cipher %d, lifetime %d", c.name, x, c.keyBits, c.cipher, c.lifetime)
			}
		}
		return nil
	})
}

func TestExchangeModeAgreement(t *testing.T) {
	t.Parallel()
	const (
		main = engine.XchgMain
		aggr = engine.XchgAggressive
		anyM = engine.XchgAny
	)
	cases := []struct {
		i, r engine.ExchangeMode
		want engine.ExchangeMode // 0: no agreement
	}{
		{main, main, main}, {aggr, aggr, aggr}, {anyM, anyM, main},
		{anyM, aggr, aggr}, {aggr, anyM, aggr}, {main, anyM, main},
		{main, aggr, 0}, {aggr, main, 0},
	}
	x := []engine.Transform{pskAES(2)}
	l := newTestLab(t)
	l.update(func(tx *engine.Tx) error {
		for n, c := range cases {
			sa, err := negotiateOnce(tx, n, c.i, c.r, x, x)
			switch {
			case c.want == 0 && negotiationKind(err) != engine.FailNoProposal:
				t.Errorf("%d vs %d: want no-proposal, got %v", c.i, c.r, err)
			case c.want != 0 && (err != nil || sa.Mode != c.want):
				t.Errorf("%d vs %d: got %+v %v, want mode %d", c.i, c.r, sa, err, c.want)
			}
		}
		return nil
	})
}
