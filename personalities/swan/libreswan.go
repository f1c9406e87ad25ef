package swan

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// Libreswan writes a host's phase 1 and phase 2 policies as Libreswan's
// ipsec.conf (one IKEv1 conn per phase 2 definition, or per rule with
// the default phase 2) and its preshared keys as ipsec.secrets (0600),
// into dir, which must not hold them yet. warn gets one line for each
// setting the files cannot carry.
func Libreswan(h *engine.Host, dir string, warn func(string), wrote func(path string, n int)) error {
	conns, err := readConns(h, warn)
	if err != nil {
		return err
	}
	secrets, err := readSecrets(h, warn)
	if err != nil {
		return err
	}
	var b strings.Builder
	n := 0
	for _, c := range conns {
		n += writeLibreswanConn(&b, c, warn)
	}
	path := filepath.Join(dir, "ipsec.conf")
	if err := writeNew(path, 0o644, func(w io.Writer) { io.WriteString(w, b.String()) }); err != nil {
		return err
	}
	wrote(path, n)
	if len(secrets) == 0 {
		return nil
	}
	path = filepath.Join(dir, "ipsec.secrets")
	if err := writeNew(path, os.FileMode(0o600), func(w io.Writer) {
		for _, s := range secrets {
			local := s.Local
			if local == "" {
				local = "%any"
			}
			fmt.Fprintf(w, "%s %s : PSK %s\n", local, s.Remote, secretText(s.Key))
		}
	}); err != nil {
		return err
	}
	wrote(path, len(secrets))
	return nil
}

// writeLibreswanConn writes c's conns (one per child) and returns how
// many; a conn joins one address on each side.
func writeLibreswanConn(w io.Writer, c conn, warn func(string)) int {
	if len(c.Local) != 1 || len(c.Remote) != 1 || strings.ContainsAny(c.Local[0]+c.Remote[0], "/-") {
		warn(fmt.Sprintf("connection %s: not exported: Libreswan connections join two addresses, not ranges or lists", c.Name))
		return 0
	}
	authby := "secret"
	if c.Auth == engine.AuthRSASig {
		authby = "rsasig"
		warn(fmt.Sprintf("connection %s: its certificates and private key are not exported (import them into the NSS database)", c.Name))
	}
	for _, ch := range c.Children {
		fmt.Fprintf(w, "conn %s\n\tikev2=no\n\tleft=%s\n\tright=%s\n\tauthby=%s\n", ch.Name, c.Local[0], c.Remote[0], authby)
		fmt.Fprintf(w, "\tike=%s\n\taggressive=%s\n", strings.Join(c.Proposals, ","), yesNo(c.Aggressive))
		if c.LifetimeSecs != 0 {
			fmt.Fprintf(w, "\tikelifetime=%ds\n", c.LifetimeSecs)
		}
		writeLibreswanChild(w, ch, warn)
		io.WriteString(w, "\tauto=add\n\n")
	}
	return len(c.Children)
}

func writeLibreswanChild(w io.Writer, ch child, warn func(string)) {
	if ch.LocalTS != "" {
		lnet, lpp := splitTS(ch.LocalTS)
		rnet, rpp := splitTS(ch.RemoteTS)
		fmt.Fprintf(w, "\tleftsubnet=%s\n\trightsubnet=%s\n", lnet, rnet)
		if lpp != "" || rpp != "" {
			fmt.Fprintf(w, "\tleftprotoport=%s\n\trightprotoport=%s\n", orAny(lpp), orAny(rpp))
		}
	}
	typ := "tunnel"
	if ch.Transport {
		typ = "transport"
	}
	fmt.Fprintf(w, "\ttype=%s\n", typ)
	props, proto := ch.ESP, "esp"
	if len(props) == 0 {
		props, proto = ch.AH, "ah"
	}
	fmt.Fprintf(w, "\tphase2=%s\n\tphase2alg=%s\n", proto, strings.Join(props, ","))
	if !hasPFS(props) {
		io.WriteString(w, "\tpfs=no\n")
	}
	if ch.LifetimeSecs != 0 {
		fmt.Fprintf(w, "\tsalifetime=%ds\n", ch.LifetimeSecs)
		if ch.RekeySecs != 0 && ch.RekeySecs < ch.LifetimeSecs {
			fmt.Fprintf(w, "\trekeymargin=%ds\n", ch.LifetimeSecs-ch.RekeySecs)
		}
	}
	if ch.LifetimeBytes != 0 {
		warn(fmt.Sprintf("connection %s: its phase 2 lifetime of %d bytes is not exported", ch.Name, ch.LifetimeBytes))
	}
	if ch.IdleSecs != 0 {
		warn(fmt.Sprintf("connection %s: its phase 2 idle time of %d seconds is not exported", ch.Name, ch.IdleSecs))
	}
	if ch.Start {
		warn(fmt.Sprintf("connection %s: exported with auto=add; its automatic start is not (auto=start would start it)", ch.Name))
	}
}

// splitTS splits a traffic selector "NET[PROTO/PORT]" into its network
// and Libreswan's protoport.
func splitTS(ts string) (string, string) {
	net, pp, ok := strings.Cut(ts, "[")
	if !ok {
		return subnet(ts), ""
	}
	pp = strings.TrimSuffix(pp, "]")
	pp = strings.Replace(pp, "%any", "0", 1)
	return subnet(net), pp
}

// subnet spells a host as the one-address subnet Libreswan's
// leftsubnet wants.
func subnet(net string) string {
	if strings.ContainsAny(net, "/-") {
		return net
	}
	if strings.Contains(net, ":") {
		return net + "/128"
	}
	return net + "/32"
}

func orAny(pp string) string {
	if pp == "" {
		return "0/0"
	}
	return pp
}

func hasPFS(props []string) bool {
	for _, p := range props {
		if strings.Contains(p, "modp") || strings.Contains(p, "ecp") {
			return true
		}
	}
	return false
}
