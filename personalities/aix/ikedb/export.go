package ikedb

import (
	"bufio"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// Export writes a host's phase 1 policies and preshared keys, whichever
// personality defined them, as AIX XML for ikedb -p, into dir/ikedb.xml
// (0600: it holds the keys, which ikedb -g shows root too). Each policy
// becomes an IKEProtection (its transforms) and an IKETunnel between its
// addresses; each key an IKEPresharedKey for its peer. warn gets one line
// for each setting AIX cannot carry, and each definition left out.
func Export(h *engine.Host, dir string, warn func(string), wrote func(path string, n int)) error {
	path := filepath.Join(dir, "ikedb.xml")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	w := bufio.NewWriter(f)
	n, err := writeExport(h, w, warn)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("export %s: %w", path, err)
	}
	wrote(path, n)
	return nil
}

func writeExport(h *engine.Host, w io.Writer, warn func(string)) (int, error) {
	io.WriteString(w, "<?xml version=\"1.0\"?>\n<AIX_VPN Version=\"2.0\">\n")
	n := 0
	names := map[string]bool{}
	err := h.Policies().ScanPhase1(func(p *engine.Phase1Policy) error {
		if writeTunnel(w, p, exportName(p.Label, names, warn), warn) {
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	err = h.Keys().Scan(func(_ engine.PSKRef, k *engine.PresharedKey) error {
		if writeKey(w, k, warn) {
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	err = h.Policies().ScanPhase2(func(p *engine.Phase2Policy) error {
		warn(fmt.Sprintf("phase 2 definition %q: not exported (phase 2 export is still to come)", p.Name))
		return nil
	})
	io.WriteString(w, "</AIX_VPN>\n")
	return n, err
}

// exportName makes a rule's label an AIX name (1-64 of letters, digits,
// "_", "-", "."), unique in the file.
func exportName(label string, used map[string]bool, warn func(string)) string {
	name := strings.Map(func(r rune) rune {
		if r < 0x80 && (r == '_' || r == '-' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return r
		}
		return '_'
	}, label)
	if name == "" {
		name = "rule"
	}
	name = name[:min(len(name), 60)]
	base := name
	for i := 2; used[name]; i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	used[name] = true
	if name != label {
		warn(fmt.Sprintf("rule %q: named %s (AIX names are letters, digits, _, - and .)", label, name))
	}
	return name
}

func writeTunnel(w io.Writer, p *engine.Phase1Policy, name string, warn func(string)) bool {
	local, lok := singleAddr(p.LocalAddrs)
	remote, rok := singleAddr(p.RemoteAddrs)
	if !lok || !rok {
		warn(fmt.Sprintf("rule %q: not exported: AIX tunnels are between two addresses, not ranges or lists", p.Label))
		return false
	}
	var xforms []string
	for _, x := range p.Transforms {
		if t, ok := transformXML(p.Label, x, warn); ok {
			xforms = append(xforms, t)
		}
	}
	if len(xforms) == 0 {
		warn(fmt.Sprintf("rule %q: not exported: no transform AIX can carry", p.Label))
		return false
	}
	if p.P2PFS != 0 || p.P2LifetimeSecs != 0 {
		warn(fmt.Sprintf("rule %q: its phase 2 PFS group and lifetimes are not exported (no phase 2 definition)", p.Label))
	}
	mode := ""
	switch p.Mode {
	case engine.XchgMain:
		mode = ` IKE_XchgMode="Main"`
	case engine.XchgAggressive:
		mode = ` IKE_XchgMode="Aggressive"`
	default:
		// An AIX protection has one mode; without one it is Main Mode.
		warn(fmt.Sprintf("rule %q: its exchange mode (any) becomes Main Mode (an AIX protection has one)", p.Label))
	}
	fmt.Fprintf(w, "  <IKEProtection IKE_ProtectionName=\"%s_P1Pol\" IKE_Role=\"Both\"%s>\n%s  </IKEProtection>\n", name, mode, strings.Join(xforms, ""))
	fmt.Fprintf(w, "  <IKETunnel IKE_TunnelName=\"%s\" IKE_ProtectionRef=\"%s_P1Pol\">\n", name, name)
	fmt.Fprintf(w, "    <IKELocalIdentity>%s</IKELocalIdentity>\n", addrXML(local))
	fmt.Fprintf(w, "    <IKERemoteIdentity>%s</IKERemoteIdentity>\n  </IKETunnel>\n", addrXML(remote))
	return true
}

func transformXML(label string, x engine.Transform, warn func(string)) (string, bool) {
	skip := func(what string) (string, bool) {
		warn(fmt.Sprintf("rule %q: a transform with %s is not exported (AIX has none)", label, what))
		return "", false
	}
	var enc, keyLen string
	switch x.Cipher {
	case engine.CipherDES:
		enc = "DES-CBC"
	case engine.Cipher3DES:
		enc = "3DES-CBC"
	case engine.CipherAES:
		enc = "AES-CBC"
		if bits := max(x.KeyMin, x.KeyMax); bits != 0 {
			if bits != 128 && bits != 192 && bits != 256 {
				return skip(fmt.Sprintf("a %d-bit AES key", bits))
			}
			keyLen = fmt.Sprintf(` IKE_KeyLength="%d"`, bits)
		}
	default:
		return skip("this cipher")
	}
	hash := map[engine.Hash]string{engine.HashMD5: "MD5", engine.HashSHA1: "SHA", engine.HashSHA256: "SHA2_256"}[x.Hash]
	if hash == "" {
		return skip("this hash")
	}
	switch x.Group {
	case 1, 2, 5, 14, 19, 20, 24:
	default:
		return skip(fmt.Sprintf("Diffie-Hellman group %d", x.Group))
	}
	auth := map[engine.AuthMethod]string{engine.AuthPreshared: "Preshared_Key", engine.AuthRSASig: "RSA_Signature"}[x.Auth]
	if auth == "" {
		return skip("this authentication method")
	}
	life := ""
	if x.LifetimeSecs != 0 {
		minutes := (x.LifetimeSecs + 59) / 60
		if minutes*60 != x.LifetimeSecs {
			warn(fmt.Sprintf("rule %q: a lifetime of %d seconds becomes %d minutes", label, x.LifetimeSecs, minutes))
		}
		life = fmt.Sprintf(` IKE_KeyRefreshMinutes="%d"`, minutes)
	}
	return fmt.Sprintf("    <IKETransform IKE_Encryption=\"%s\"%s IKE_Hash=\"%s\" IKE_DHGroup=\"%d\" IKE_AuthenticationMethod=\"%s\"%s/>\n",
		enc, keyLen, hash, x.Group, auth, life), true
}

func writeKey(w io.Writer, k *engine.PresharedKey, warn func(string)) bool {
	if (k.RemoteIDType != engine.IDIPv4 && k.RemoteIDType != engine.IDIPv6) || !k.RemoteAddr.IsValid() || (k.RemotePlen >= 0 && k.RemotePlen != k.RemoteAddr.BitLen()) {
		warn(fmt.Sprintf("preshared key for %s: not exported: AIX keys name one peer address", idText(k)))
		return false
	}
	if k.LocalText != "" || !(k.LocalAddr.IsUnspecified() && k.LocalPlen == 0) {
		warn(fmt.Sprintf("preshared key for %s: its local identity is not carried (AIX keys name only the peer)", idText(k)))
	}
	fmt.Fprintf(w, "  <IKEPresharedKey Value=\"%s\" Format=\"Hex\">\n    <PresharedKeyIdentity>%s</PresharedKeyIdentity>\n  </IKEPresharedKey>\n",
		hex.EncodeToString(k.Key), addrXML(k.RemoteAddr))
	return true
}

func idText(k *engine.PresharedKey) string {
	if k.RemoteText != "" {
		return k.RemoteText
	}
	if k.RemoteID != "" {
		return k.RemoteID
	}
	return k.RemoteAddr.String()
}

func singleAddr(rs []engine.AddrRange) (netip.Addr, bool) {
	if len(rs) != 1 || rs[0].First != rs[0].Last {
		return netip.Addr{}, false
	}
	return rs[0].First, true
}

func addrXML(a netip.Addr) string {
	elem := "IPV4_Address"
	if a.Is6() {
		elem = "IPV6_Address"
	}
	var b strings.Builder
	xml.EscapeText(&b, []byte(a.String()))
	return fmt.Sprintf("<%s Value=\"%s\"/>", elem, b.String())
}
