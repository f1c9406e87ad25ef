package swan

import (
	"encoding/hex"
	"fmt"
	"net/netip"

	"github.com/ikemu/ikemu/pkg/engine"
)

// secret is one preshared key with the identities it is for; Local is
// "" when the key names only the peer (an AIX key).
type secret struct {
	Local, Remote string
	Key           []byte
}

// readSecrets reads the host's preshared keys, or none (with a warning)
// unless the host's in.iked runs at privilege keymat, as the Solaris
// export requires.
func readSecrets(h *engine.Host, warn func(string)) ([]secret, error) {
	d, err := h.Daemons().IKE()
	if err != nil {
		return nil, err
	}
	if d.Priv < engine.PrivKeymat {
		warn("preshared keys not exported: in.iked does not run at privilege keymat")
		return nil, nil
	}
	var out []secret
	err = h.Keys().Scan(func(_ engine.PSKRef, k *engine.PresharedKey) error {
		remote, err := keyID(k.RemoteIDType, k.RemoteAddr, k.RemotePlen, k.RemoteID)
		if err != nil {
			warn(fmt.Sprintf("preshared key for %s: not exported: %v", remote, err))
			return nil
		}
		local := ""
		if !(k.LocalAddr.IsUnspecified() && k.LocalPlen == 0) {
			if local, err = keyID(k.LocalIDType, k.LocalAddr, k.LocalPlen, k.LocalID); err != nil {
				warn(fmt.Sprintf("preshared key for %s: not exported: %v", remote, err))
				return nil
			}
		}
		out = append(out, secret{Local: local, Remote: remote, Key: k.Key})
		return nil
	})
	return out, err
}

func keyID(kind engine.IDKind, a netip.Addr, plen int, id string) (string, error) {
	switch kind {
	case engine.IDIPv4, engine.IDIPv6:
		if plen >= 0 && plen != a.BitLen() {
			return fmt.Sprintf("%s/%d", a, plen), fmt.Errorf("an address prefix (keys name single addresses)")
		}
		return a.String(), nil
	}
	if id == "" {
		return "", fmt.Errorf("an empty identity")
	}
	return id, nil
}

// secretText is a key as both targets read it: a quoted string when it
// is printable, else 0x and hex.
func secretText(k []byte) string {
	for _, b := range k {
		if b < 0x20 || b > 0x7e || b == '"' || b == '\\' {
			return "0x" + hex.EncodeToString(k)
		}
	}
	if len(k) == 0 {
		return `""`
	}
	return `"` + string(k) + `"`
}
