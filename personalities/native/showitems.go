package native

import (
	"encoding/hex"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
)

// The items of ikemu show, one type per kind. Their JSON is the
// contract of schema/ikemu.v1/KIND.schema.json: names here change only
// with a new schema version.

// p1Item is a phase 1 SA.
type p1Item struct {
	Host         string    `json:"host"`
	CookieI      string    `json:"cookie_i"`
	CookieR      string    `json:"cookie_r"`
	Role         string    `json:"role"`
	Mode         string    `json:"mode"`
	Local        string    `json:"local"`
	Remote       string    `json:"remote"`
	LocalPort    int       `json:"local_port"`
	RemotePort   int       `json:"remote_port"`
	Rule         string    `json:"rule,omitempty"`
	Tunnel       uint32    `json:"tunnel,omitempty"`
	Auth         string    `json:"auth_method"`
	Encryption   string    `json:"encryption"`
	KeyBits      int       `json:"key_bits,omitempty"`
	Hash         string    `json:"hash"`
	DHGroup      int       `json:"dh_group"`
	PFS          int       `json:"pfs"`
	LifetimeSecs uint32    `json:"lifetime_secs"`
	Created      time.Time `json:"created"`
	Expires      string    `json:"expires,omitempty"`
	QMCreated    uint32    `json:"qm_created"`
	QMDeleted    uint32    `json:"qm_deleted"`
	Keys         *p1Keys   `json:"keys,omitempty"`
}

// p1Keys is a phase 1 SA's keying material, hex: only with --keys at
// privilege keymat.
type p1Keys struct {
	Preshared string `json:"preshared,omitempty"`
	SKEYID    string `json:"skeyid"`
	SKEYIDd   string `json:"skeyid_d"`
	SKEYIDa   string `json:"skeyid_a"`
	SKEYIDe   string `json:"skeyid_e"`
	EncKey    string `json:"encryption_key"`
	IV        string `json:"iv"`
}

func newP1Item(host string, sa *engine.Phase1SA, keys bool) p1Item {
	it := p1Item{
		Host: host, CookieI: fmt.Sprintf("0x%016x", sa.CookieI), CookieR: fmt.Sprintf("0x%016x", sa.CookieR),
		Role: role(sa.Initiator), Mode: modeName(sa.Mode),
		Local: rangeText(sa.Local), Remote: rangeText(sa.Remote), LocalPort: sa.LocalPort, RemotePort: sa.RemotePort,
		Rule: sa.PolicyLabel, Tunnel: sa.TunnelNum,
		Auth: authName(sa.Xform.Auth), Encryption: cipherName(sa.Xform.Cipher), KeyBits: max(sa.Xform.KeyMin, sa.Xform.KeyMax),
		Hash: hashName(sa.Xform.Hash), DHGroup: sa.Xform.Group, PFS: sa.PFS, LifetimeSecs: sa.Xform.LifetimeSecs,
		Created: sa.Created.UTC(), QMCreated: sa.QMCreated, QMDeleted: sa.QMDeleted,
	}
	if exp := sa.Expires(); !exp.IsZero() {
		it.Expires = exp.UTC().Format(time.RFC3339)
	}
	if keys {
		k := sa.Keys
		it.Keys = &p1Keys{Preshared: hex.EncodeToString(k.PSK), SKEYID: hex.EncodeToString(k.SKEYID),
			SKEYIDd: hex.EncodeToString(k.SKEYIDd), SKEYIDa: hex.EncodeToString(k.SKEYIDa), SKEYIDe: hex.EncodeToString(k.SKEYIDe),
			EncKey: hex.EncodeToString(k.EncKey), IV: hex.EncodeToString(k.IV)}
	}
	return it
}

func (it p1Item) text(w io.Writer) {
	fmt.Fprintf(w, "%s %s %s %s -> %s rule %q %s(%d)/%s group %d expires %s\n", it.CookieI, it.CookieR, it.Role,
		it.Local, it.Remote, it.Rule, it.Encryption, it.KeyBits, it.Hash, it.DHGroup, orNever(it.Expires))
	if it.Keys != nil {
		fmt.Fprintf(w, "  preshared %s skeyid %s skeyid_d %s skeyid_a %s skeyid_e %s key %s iv %s\n", orNone(it.Keys.Preshared),
			it.Keys.SKEYID, it.Keys.SKEYIDd, it.Keys.SKEYIDa, it.Keys.SKEYIDe, it.Keys.EncKey, it.Keys.IV)
	}
}

// p2Item is a phase 2 SA pair.
type p2Item struct {
	Host         string    `json:"host"`
	Tunnel       uint32    `json:"tunnel"`
	P1Tunnel     uint32    `json:"p1_tunnel"`
	CookieI      string    `json:"cookie_i"`
	CookieR      string    `json:"cookie_r"`
	Role         string    `json:"role"`
	Local        string    `json:"local"`
	Remote       string    `json:"remote"`
	Policy       string    `json:"policy,omitempty"`
	Protocol     string    `json:"protocol"`
	Encryption   string    `json:"encryption,omitempty"`
	KeyBits      int       `json:"key_bits,omitempty"`
	Auth         string    `json:"auth,omitempty"`
	Encap        string    `json:"encapsulation"`
	PFS          int       `json:"pfs"`
	SPIIn        string    `json:"spi_in"`
	SPIOut       string    `json:"spi_out"`
	LifetimeSecs uint32    `json:"lifetime_secs"`
	LifetimeKB   uint32    `json:"lifetime_kb,omitempty"`
	Created      time.Time `json:"created"`
	State        string    `json:"state"`
}

func newP2Item(host string, sa *engine.Phase2SA) p2Item {
	state := strings.ToLower(string(sa.Status))
	if state == "" {
		state = "active"
	}
	return p2Item{Host: host, Tunnel: sa.TunnelNum, P1Tunnel: sa.P1TunnelNum,
		CookieI: fmt.Sprintf("0x%016x", sa.CookieI), CookieR: fmt.Sprintf("0x%016x", sa.CookieR), Role: role(sa.Initiator),
		Local: rangeText(sa.Local), Remote: rangeText(sa.Remote), Policy: sa.PolicyName,
		Protocol: sa.Proposal.Protocol, Encryption: optName(sa.Proposal.Cipher != engine.CipherNone, cipherName(sa.Proposal.Cipher)),
		KeyBits: sa.Proposal.KeyBits, Auth: optName(sa.Proposal.Auth != engine.HashNone, hashName(sa.Proposal.Auth)),
		Encap: strings.ToLower(sa.Proposal.Encapsulate), PFS: sa.PFS,
		SPIIn: fmt.Sprintf("0x%08x", sa.SPIIn), SPIOut: fmt.Sprintf("0x%08x", sa.SPIOut),
		LifetimeSecs: sa.LifetimeSecs, LifetimeKB: sa.LifetimeKB, Created: sa.Created.UTC(), State: state}
}

func (it p2Item) text(w io.Writer) {
	fmt.Fprintf(w, "%d (p1 %d) %s %s %s -> %s %s %s spi in %s out %s\n", it.Tunnel, it.P1Tunnel, it.State, it.Role,
		it.Local, it.Remote, it.Protocol, it.Encap, it.SPIIn, it.SPIOut)
}

// ruleItem is a phase 1 policy: an ike.config rule or an AIX tunnel.
type ruleItem struct {
	Host       string          `json:"host"`
	Label      string          `json:"label"`
	Origin     string          `json:"origin,omitempty"`
	Mode       string          `json:"mode"`
	Local      []string        `json:"local_addrs"`
	Remote     []string        `json:"remote_addrs"`
	P2PFS      int             `json:"p2_pfs"`
	P2Lifetime uint32          `json:"p2_lifetime_secs"`
	Transforms []transformItem `json:"transforms"`
}

type transformItem struct {
	Auth         string `json:"auth_method"`
	Encryption   string `json:"encryption"`
	KeyMin       int    `json:"key_min,omitempty"`
	KeyMax       int    `json:"key_max,omitempty"`
	Hash         string `json:"hash"`
	DHGroup      int    `json:"dh_group"`
	LifetimeSecs uint32 `json:"lifetime_secs"`
}

func newRuleItem(host string, p *engine.Phase1Policy) ruleItem {
	it := ruleItem{Host: host, Label: p.Label, Origin: p.Origin, Mode: modeName(p.Mode),
		Local: rangesText(p.LocalAddrs), Remote: rangesText(p.RemoteAddrs), P2PFS: p.P2PFS, P2Lifetime: p.P2LifetimeSecs,
		Transforms: []transformItem{}}
	for _, x := range p.Transforms {
		it.Transforms = append(it.Transforms, transformItem{Auth: authName(x.Auth), Encryption: cipherName(x.Cipher),
			KeyMin: x.KeyMin, KeyMax: x.KeyMax, Hash: hashName(x.Hash), DHGroup: x.Group, LifetimeSecs: x.LifetimeSecs})
	}
	return it
}

func (it ruleItem) text(w io.Writer) {
	fmt.Fprintf(w, "%q %s -> %s %d transform(s) origin %s\n", it.Label, strings.Join(it.Local, ","),
		strings.Join(it.Remote, ","), len(it.Transforms), orNone(it.Origin))
}

// keyItem is a preshared key: its identities, and the key itself only
// with --keys at privilege keymat.
type keyItem struct {
	Host    string `json:"host"`
	Mode    string `json:"mode"`
	Local   string `json:"local_id"`
	Remote  string `json:"remote_id"`
	KeyBits int    `json:"key_bits"`
	Origin  string `json:"origin,omitempty"`
	Key     string `json:"key,omitempty"`
}

func newKeyItem(host string, k *engine.PresharedKey, keys bool) keyItem {
	it := keyItem{Host: host, Mode: modeName(k.Mode), Local: idText(k.LocalText, k.LocalAddr, k.LocalPlen, k.LocalID),
		Remote: idText(k.RemoteText, k.RemoteAddr, k.RemotePlen, k.RemoteID), KeyBits: k.KeyBits, Origin: k.Origin}
	if it.KeyBits == 0 {
		it.KeyBits = len(k.Key) * 8
	}
	if keys {
		it.Key = hex.EncodeToString(k.Key)
	}
	return it
}

func (it keyItem) text(w io.Writer) {
	fmt.Fprintf(w, "%s -> %s %d bits origin %s", it.Local, it.Remote, it.KeyBits, orNone(it.Origin))
	if it.Key != "" {
		fmt.Fprintf(w, " key %s", it.Key)
	}
	fmt.Fprintln(w)
}

// statsItem is a host's phase 1 counters, as get stats shows them.
type statsItem struct {
	Host          string `json:"host"`
	InitCurrent   uint32 `json:"initiator_current"`
	RespCurrent   uint32 `json:"responder_current"`
	InitTotal     uint32 `json:"initiator_total"`
	RespTotal     uint32 `json:"responder_total"`
	InitAttempted uint32 `json:"initiator_attempted"`
	RespAttempted uint32 `json:"responder_attempted"`
	InitFailed    uint32 `json:"initiator_failed"`
	RespFailed    uint32 `json:"responder_failed"`
	InitTimeouts  uint32 `json:"initiator_timeouts"`
	PKCS11        string `json:"pkcs11_library,omitempty"`
}

func newStatsItem(host string, s engine.StatsView) statsItem {
	return statsItem{Host: host, InitCurrent: s.InitCurrent, RespCurrent: s.RespCurrent,
		InitTotal: s.InitTotal, RespTotal: s.RespTotal, InitAttempted: s.InitAttempts, RespAttempted: s.RespAttempts,
		InitFailed: s.InitNoResp + s.InitRespFail, RespFailed: s.RespFail, InitTimeouts: s.InitNoResp, PKCS11: s.PKCS11Lib}
}

func (it statsItem) text(w io.Writer) {
	fmt.Fprintf(w, "%s: current %d/%d total %d/%d attempted %d/%d failed %d/%d (initiator/responder)\n", it.Host,
		it.InitCurrent, it.RespCurrent, it.InitTotal, it.RespTotal, it.InitAttempted, it.RespAttempted, it.InitFailed, it.RespFailed)
}

// defaultItem is one of the IKE daemon's global defaults, as get
// defaults lists them: source is "config" when ike.config changed it.
type defaultItem struct {
	Host        string `json:"host"`
	Token       string `json:"token,omitempty"`
	Description string `json:"description"`
	Unit        string `json:"unit,omitempty"`
	Value       uint32 `json:"value"`
	Default     uint32 `json:"default"`
	Source      string `json:"source"`
}

func newDefaultItem(host, token, desc, unit string, value, hard uint32) defaultItem {
	source := "default"
	if value != hard {
		source = "config"
	}
	return defaultItem{Host: host, Token: token, Description: desc, Unit: unit, Value: value, Default: hard, Source: source}
}

func (it defaultItem) text(w io.Writer) {
	token := it.Token
	if token == "" {
		token = "-"
	}
	value := strconv.FormatUint(uint64(it.Value), 10)
	if it.Unit != "" {
		value += " " + it.Unit
	}
	fmt.Fprintf(w, "%s: %s %s (%s; %s)\n", it.Host, token, value, it.Description, it.Source)
}

func role(initiator bool) string {
	if initiator {
		return "initiator"
	}
	return "responder"
}

func rangeText(r engine.AddrRange) string {
	if r.First == r.Last {
		return r.First.String()
	}
	return r.First.String() + "-" + r.Last.String()
}

func rangesText(rs []engine.AddrRange) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, rangeText(r))
	}
	return out
}

func idText(text string, a netip.Addr, plen int, id string) string {
	switch {
	case text != "":
		return text
	case id != "":
		return id
	case plen >= 0 && a.IsValid():
		return fmt.Sprintf("%s/%d", a, plen)
	}
	return a.String()
}

func modeName(m engine.ExchangeMode) string {
	switch m {
	case engine.XchgMain:
		return "main"
	case engine.XchgAggressive:
		return "aggressive"
	case engine.XchgMainAndAggr:
		return "main+aggressive"
	case engine.XchgAny:
		return "any"
	case engine.XchgBase:
		return "base"
	case engine.XchgAuthOnly:
		return "auth-only"
	}
	return "unspecified"
}

func authName(a engine.AuthMethod) string {
	switch a {
	case engine.AuthPreshared:
		return "preshared"
	case engine.AuthDSSSig:
		return "dss_sig"
	case engine.AuthRSASig:
		return "rsa_sig"
	case engine.AuthRSAEncrypt:
		return "rsa_encrypt"
	case engine.AuthRevRSAEncrypt:
		return "rsa_encrypt_rev"
	}
	return fmt.Sprintf("auth-%d", int(a))
}

func cipherName(c engine.Cipher) string {
	switch c {
	case engine.CipherNone:
		return "none"
	case engine.CipherDES:
		return "des-cbc"
	case engine.Cipher3DES:
		return "3des-cbc"
	case engine.CipherBlowfish:
		return "blowfish-cbc"
	case engine.CipherAES:
		return "aes-cbc"
	}
	return fmt.Sprintf("cipher-%d", int(c))
}

func hashName(h engine.Hash) string {
	switch h {
	case engine.HashNone:
		return "none"
	case engine.HashMD5:
		return "md5"
	case engine.HashSHA1:
		return "sha1"
	case engine.HashSHA256:
		return "sha256"
	case engine.HashSHA384:
		return "sha384"
	case engine.HashSHA512:
		return "sha512"
	}
	return fmt.Sprintf("hash-%d", int(h))
}

func optName(ok bool, name string) string {
	if ok {
		return name
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func orNever(s string) string {
	if s == "" {
		return "never"
	}
	return s
}
