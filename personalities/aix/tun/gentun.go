package tun

import (
	"fmt"
	"io"
	"maps"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ikemu/ikemu/personalities/aix/filt"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/proc"
)

const gentunUsage = "Usage: gentun -s src_host_IP_address -d dst_host_IP_address -v 4|6 [-t manual] [-m tunnel|transport] [-f fw_address [-x dst_mask]] [-e src_esp_algo] [-a src_ah_algo] [-p src_policy] [-E dst_esp_algo] [-A dst_ah_algo] [-P dst_policy] [-l lifetime] [-k src_esp_key] [-h src_ah_key] [-K dst_esp_key] [-H dst_ah_key] [-n src_esp_spi] [-u src_ah_spi] [-N dst_esp_spi] [-U dst_ah_spi] [-b src_enc_mac_algo] [-c src_enc_mac_key] [-B dst_enc_mac_algo] [-C dst_enc_mac_key] [-g] [-z Y|N] [-y Y|N]\n"

// gentunOpts are gentun's flags; chtun takes the same but -g and -t
// tunnel_ID.
const gentunOpts = "s:d:v:t:m:f:x:e:a:p:E:A:P:k:h:K:H:n:u:N:U:b:c:B:C:l:gz:y:"

// tunnelRequest is a parsed gentun command line: the flags as given,
// so that the destination's defaults can follow the source's.
type tunnelRequest struct {
	flags    map[byte]string
	noRules  bool
	version  int
	src, dst netip.Addr
}

func parseGentun(args []string) (tunnelRequest, error) {
	q, err := parseTunnelFlags(args, gentunOpts)
	if err != nil {
		return q, err
	}
	if q.flags['s'] == "" || q.flags['d'] == "" {
		return q, errUsage
	}
	if t := q.flags['t']; t != "" && !strings.EqualFold(t, "manual") {
		return q, filt.Refuse("Tunnel type %q is not supported: use manual.", clip(t)) // [I] IBM tunnels are gone from AIX
	}
	return q, nil
}

// parseTunnelFlags reads gentun's or chtun's flags; -v is required, -s
// and -d are checked when given.
func parseTunnelFlags(args []string, opts string) (tunnelRequest, error) {
	q := tunnelRequest{flags: map[byte]string{}}
	g := getopt.New(getopt.POSIX, opts, args)
	for {
		c, v, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return q, err
		}
		if c == 'g' {
			q.noRules = true
			continue
		}
		q.flags[c] = v
	}
	var err error
	if q.version, err = version(q.flags['v'], false); err != nil || len(g.Args()) > 0 {
		return q, errUsage
	}
	if s, ok := q.flags['s']; ok {
		if q.src, err = address(q.version, s); err != nil {
			return q, err
		}
	}
	if d, ok := q.flags['d']; ok {
		q.dst, err = address(q.version, d)
	}
	return q, err
}

func address(version int, v string) (netip.Addr, error) {
	a, err := netip.ParseAddr(v)
	if err != nil || a.Zone() != "" || (version == 4) != a.Is4() {
		return netip.Addr{}, filt.Refuse("Invalid IPv%d address %q.", version, clip(v))
	}
	return a, nil
}

// build makes the tunnel with IBM's defaults: HMAC_MD5 and DES_CBC_8,
// policy encr/auth, tunnel mode, 480 minutes, the new header format;
// the destination's algorithms are the source's when not given [C:
// IBM's gentun for -A; R for the rest]. Missing keys are generated;
// missing SPIs are 256 + the tunnel's ID [I].
func (q tunnelRequest) build(base engine.ManualTunnel) (engine.ManualTunnel, error) {
	t := base
	t.Version = q.version
	if q.src.IsValid() {
		t.Src = q.src
	}
	if q.dst.IsValid() {
		t.Dst = q.dst
	}
	f := func(c byte, def string) string {
		if v, ok := q.flags[c]; ok {
			return v
		}
		return def
	}
	switch m := strings.ToLower(f('m', modeName(t.Tunnel))); m {
	case "tunnel", "transport":
		t.Tunnel = m == "tunnel"
	default:
		return t, filt.Refuse("Invalid packet mode %q: use tunnel or transport.", clip(m))
	}
	if fw := q.flags['f']; fw != "" {
		a, err := address(q.version, fw)
		if err != nil {
			return t, err
		}
		t.Firewall, t.Tunnel, t.DstMask = a, true, f('x', t.DstMask)
	}
	n, err := strconv.ParseUint(f('l', strconv.Itoa(int(t.Lifetime))), 10, 32)
	if err != nil {
		return t, filt.Refuse("Invalid key lifetime %q.", clip(q.flags['l']))
	}
	t.Lifetime = uint32(n)
	if t.NewHeader, err = yn(f('z', ynText(t.NewHeader)), 'z'); err != nil {
		return t, err
	}
	if t.Replay, err = yn(f('y', ynText(t.Replay)), 'y'); err != nil {
		return t, err
	}
	if t.Out, err = q.side(t.Out, "apeuknhbc"); err != nil {
		return t, err
	}
	in := q
	in.flags = maps.Clone(q.flags)
	for _, c := range []byte("aeb") { // the destination's algorithms follow the source's
		if _, ok := q.flags[c-'a'+'A']; !ok {
			if v, ok := q.flags[c]; ok {
				in.flags[c-'a'+'A'] = v
			}
		}
	}
	t.In, err = in.side(t.In, "APEUKNHBC")
	return t, err
}

// side applies one direction's flags, named in the order algo AH,
// policy, algo ESP, SPI AH, key ESP, SPI ESP, key AH, MAC algo, MAC key.
func (q tunnelRequest) side(sa engine.ManualTunnelSA, names string) (engine.ManualTunnelSA, error) {
	get := func(i int, def string) string {
		if v, ok := q.flags[names[i]]; ok {
			return v
		}
		return def
	}
	ah, ok := lookup(get(0, sa.AHAlg), false)
	if !ok {
		return sa, filt.Refuse("Invalid authentication algorithm %q: see ipsecstat -A.", clip(get(0, "")))
	}
	esp, ok := lookup(get(2, sa.ESPAlg), true)
	if !ok {
		return sa, filt.Refuse("Invalid encryption algorithm %q: see ipsecstat -E.", clip(get(2, "")))
	}
	if ah.name != sa.AHAlg {
		sa.AHKey = ""
	}
	if esp.name != sa.ESPAlg {
		sa.ESPKey = ""
	}
	sa.AHAlg, sa.ESPAlg = ah.name, esp.name
	switch p := get(1, sa.Policy); p {
	case "ea", "ae", "a", "e":
		sa.Policy = p
	default:
		return sa, filt.Refuse("Invalid policy %q: use ea, ae, a or e.", clip(p))
	}
	var err error
	if sa.AHSPI, err = spi(get(3, strconv.Itoa(int(sa.AHSPI))), names[3]); err != nil {
		return sa, err
	}
	if sa.ESPSPI, err = spi(get(5, strconv.Itoa(int(sa.ESPSPI))), names[5]); err != nil {
		return sa, err
	}
	if sa.AHKey, err = key(ah, get(6, sa.AHKey), names[6]); err != nil {
		return sa, err
	}
	if sa.ESPKey, err = key(esp, get(4, sa.ESPKey), names[4]); err != nil {
		return sa, err
	}
	if m := get(7, sa.MACAlg); m != "" {
		mac, ok := lookup(m, false)
		if !ok {
			return sa, filt.Refuse("Invalid ESP authentication algorithm %q: see ipsecstat -A.", clip(m))
		}
		if sa.MACKey, err = key(mac, get(8, sa.MACKey), names[8]); err != nil {
			return sa, err
		}
		sa.MACAlg = mac.name
	}
	return sa, nil
}

func spi(v string, flag byte) (uint32, error) {
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil || n < 256 {
		return 0, filt.Refuse("Invalid SPI %q for -%c: use a number from 256 to 4294967295.", clip(v), flag) // [I]
	}
	return uint32(n), nil
}

func yn(v string, flag byte) (bool, error) {
	switch strings.ToUpper(v) {
	case "Y":
		return true, nil
	case "N":
		return false, nil
	}
	return false, filt.Refuse("Invalid value %q for -%c: use Y or N.", clip(v), flag)
}

func ynText(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}

func modeName(tunnel bool) string {
	if tunnel {
		return "tunnel"
	}
	return "transport"
}

// defaults is a new tunnel before gentun's flags.
func defaults(spi uint32) engine.ManualTunnel {
	sa := engine.ManualTunnelSA{Policy: "ea", AHAlg: "HMAC_MD5", ESPAlg: "DES_CBC_8", AHSPI: spi, ESPSPI: spi}
	return engine.ManualTunnel{Tunnel: true, Lifetime: 480, NewHeader: true, Out: sa, In: sa}
}

// Gentun is gentun: it adds a manual tunnel definition, and (unless -g)
// its two auto-generated filter rules, saying each ID.
func Gentun(args []string, p *proc.Proc) int {
	q, err := parseGentun(args)
	if err != nil {
		return usageOr(p, "gentun", err, gentunUsage)
	}
	var lines []string
	rc := filt.Update(p, "gentun", func(h *engine.Host) error {
		var err error
		lines, err = addTunnel(h, q, q.noRules)
		return err
	})
	if rc == 0 {
		fmt.Fprintln(p.Stdout, strings.Join(lines, "\n"))
	}
	return rc
}
