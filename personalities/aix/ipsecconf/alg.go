package ipsecconf

import (
	"strconv"
	"strings"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
)

// verdict is what a token of an algorithm list turned out to be.
type verdict int

const (
	unknownAlg     verdict = iota // not an algorithm name: a typo, most likely
	supportedAlg                  // maps to an AIX algorithm
	unsupportedAlg                // a real algorithm that AIX does not have
)

// encAlg is an encryption algorithm of an ike=, esp= or phase2alg= list.
type encAlg struct {
	ike    vpnxml.IKEEncryption // "" when phase 1 cannot use it
	esp    vpnxml.ESPEncryption
	keyLen vpnxml.KeyLength
	aead   bool // carries its own integrity (GCM, GMAC)
}

// integAlg is an integrity (hash) algorithm.
type integAlg struct {
	ike  vpnxml.IKEHash   // "" when phase 1 cannot use it
	esp  vpnxml.Integrity // ESP and AH
	null bool             // "null": no integrity, as written after an AEAD cipher
}

// parseEnc maps one encryption token. Key lengths follow the name
// (aes256, aes_256) or the separator (aes-256); a bare aes is AES-128, as
// in strongSwan.
func parseEnc(t string) (encAlg, verdict) {
	if e, v, ok := compactAEAD(t); ok {
		return e, v
	}
	base, n := splitLen(t)
	switch base {
	case "des", "des_cbc":
		return fixedEnc(vpnxml.IKEDES, vpnxml.ESPDES, n)
	case "3des", "3des_cbc", "des3_cbc":
		return fixedEnc(vpnxml.IKE3DES, vpnxml.ESP3DES, n)
	case "null", "null_enc":
		return fixedEnc("", vpnxml.ESPNull, n)
	case "aes", "aes_cbc":
		return aesEnc(vpnxml.IKEAES, vpnxml.ESPAES, n, false)
	case "aes_gcm_c", "aes_gcm16", "aes_gcm_16":
		return aesEnc("", vpnxml.ESPAESGCM, n, true)
	case "aes_gcm":
		if n == 16 { // aes_gcm16: the ICV length, with the default key
			n = 0
		}
		return aesEnc("", vpnxml.ESPAESGCM, n, true)
	case "aes_gmac":
		return aesEnc("", vpnxml.ESPAESGMAC, n, true)
	}
	if isUnsupportedEnc(t) {
		return encAlg{}, unsupportedAlg
	}
	return encAlg{}, unknownAlg
}

func fixedEnc(ike vpnxml.IKEEncryption, esp vpnxml.ESPEncryption, n int) (encAlg, verdict) {
	if n != 0 {
		return encAlg{}, unknownAlg
	}
	return encAlg{ike: ike, esp: esp}, supportedAlg
}

func aesEnc(ike vpnxml.IKEEncryption, esp vpnxml.ESPEncryption, n int, aead bool) (encAlg, verdict) {
	switch n {
	case 0:
		n = 128
	case 128, 192, 256:
	case 8, 12, 64, 96:
		return encAlg{}, unsupportedAlg // an AEAD ICV shorter than 16 bytes
	default:
		return encAlg{}, unknownAlg
	}
	return encAlg{ike: ike, esp: esp, keyLen: vpnxml.KeyLength(n), aead: aead}, supportedAlg
}

// compactAEAD reads strongSwan's AEAD names: aes<bits>gcm<icv>, where the
// ICV is in bytes (8, 12, 16) or bits (64, 96, 128), and aes<bits>gmac.
func compactAEAD(t string) (encAlg, verdict, bool) {
	rest, ok := strings.CutPrefix(t, "aes")
	if !ok || len(rest) < 4 || !isDigits(rest[:3]) {
		return encAlg{}, unknownAlg, false
	}
	bits, mode := rest[:3], rest[3:]
	n, _ := strconv.Atoi(bits)
	switch {
	case mode == "gmac":
		e, v := aesEnc("", vpnxml.ESPAESGMAC, n, true)
		return e, v, true
	case mode == "gcm16" || mode == "gcm128":
		e, v := aesEnc("", vpnxml.ESPAESGCM, n, true)
		return e, v, true
	case strings.HasPrefix(mode, "gcm") || strings.HasPrefix(mode, "ccm") || mode == "ctr":
		return encAlg{}, unsupportedAlg, true
	}
	return encAlg{}, unknownAlg, false
}

// splitLen splits a trailing key length off a name: aes256 and aes_256
// both give ("aes", 256).
func splitLen(t string) (string, int) {
	i := len(t)
	for i > 0 && t[i-1] >= '0' && t[i-1] <= '9' {
		i--
	}
	if i == len(t) || i == 0 || len(t)-i > 4 {
		return t, 0
	}
	n, _ := strconv.Atoi(t[i:])
	return strings.TrimSuffix(t[:i], "_"), n
}

// isUnsupportedEnc recognises ciphers that exist in the Linux tools but
// not in AIX, so that the warning says so rather than "unknown".
func isUnsupportedEnc(t string) bool {
	for _, p := range []string{"camellia", "blowfish", "twofish", "serpent", "cast", "chacha20", "aes_ctr",
		"aesctr", "aes_ccm", "aesccm", "idea", "rc5", "null_auth_aes_gmac", "sm4", "3idea", "aes_xts"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// parseInteg maps one integrity token. md5 and sha1 are the HMACs with 96
// bit truncation, the only kind IKEv1-era ESP has; sha2 means SHA2-256,
// as in Libreswan.
func parseInteg(t string) (integAlg, verdict) {
	switch t {
	case "md5", "md5_96", "hmac_md5", "hmac_md5_96":
		return integAlg{ike: vpnxml.HashMD5, esp: vpnxml.HMACMD5}, supportedAlg
	case "sha", "sha1", "sha1_96", "hmac_sha1", "hmac_sha1_96":
		return integAlg{ike: vpnxml.HashSHA, esp: vpnxml.HMACSHA}, supportedAlg
	case "sha2", "sha256", "sha2_256", "sha2_256_128", "hmac_sha2_256", "hmac_sha2_256_128":
		return integAlg{ike: vpnxml.HashSHA256, esp: vpnxml.HMACSHA256}, supportedAlg
	case "aesxcbc", "aes_xcbc", "aes_xcbc_96":
		return integAlg{esp: vpnxml.AESXCBC}, supportedAlg
	case "null":
		return integAlg{null: true}, supportedAlg
	}
	for _, p := range []string{"sha", "md5", "aescmac", "aes_cmac", "ripemd", "hmac_", "sm3"} {
		if strings.HasPrefix(t, p) {
			return integAlg{}, unsupportedAlg
		}
	}
	return integAlg{}, unknownAlg
}

// parseDH maps one Diffie-Hellman group token. none (no group) reports
// group 0.
func parseDH(t string) (vpnxml.DHGroup, verdict) {
	switch t {
	case "modp768", "dh1":
		return 1, supportedAlg
	case "modp1024", "dh2":
		return 2, supportedAlg
	case "modp1536", "dh5":
		return 5, supportedAlg
	case "modp2048", "dh14":
		return 14, supportedAlg
	case "ecp256", "dh19":
		return 19, supportedAlg
	case "ecp384", "dh20":
		return 20, supportedAlg
	case "modp2048s256", "dh24":
		return 24, supportedAlg
	case "none", "dh0":
		return 0, supportedAlg
	}
	for _, p := range []string{"modp", "ecp", "dh", "curve", "x25519", "x448", "ntru", "newhope", "mlkem"} {
		if strings.HasPrefix(t, p) {
			return 0, unsupportedAlg
		}
	}
	return 0, unknownAlg
}

// algSet is one proposal of a list, split by kind. A proposal may name
// several algorithms of a kind (aes128-aes256-sha1-modp2048); it stands
// for every combination, as in strongSwan.
type algSet struct {
	text    string
	encs    []encAlg
	integs  []integAlg
	groups  []vpnxml.DHGroup // 0 for "none"
	prfs    []string
	esn     bool // esn asked for; AIX has no extended sequence numbers
	dropped []string
	unknown []string
}

// splitProposals splits a list at commas. The strict-list mark '!' of
// strongSwan is dropped: an AIX list is always exactly what it says.
func splitProposals(list string) []string {
	var out []string
	for _, p := range strings.Split(strings.TrimSuffix(strings.TrimSpace(list), "!"), ",") {
		if p = strings.TrimSuffix(strings.TrimSpace(p), "!"); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseProposal sorts the tokens of one proposal. Tokens are separated by
// '-' (both families), ';' (FreeS/WAN's separator before the group) or
// '+' (alternatives).
func parseProposal(p string) algSet {
	s := algSet{text: p}
	toks := strings.FieldsFunc(strings.ToLower(p), func(r rune) bool { return r == '-' || r == ';' || r == '+' })
	for _, t := range joinNumbers(toks) {
		s.token(t)
	}
	return s
}

// joinNumbers joins the numbers written as tokens of their own to the
// token before: a key length (aes-256 is aes256) or FreeS/WAN's spelled
// out truncation (md5-96 is md5).
func joinNumbers(toks []string) []string {
	var out []string
	for _, t := range toks {
		if n := len(out); n > 0 && isDigits(t) {
			switch prev := out[n-1]; {
			case isAESName(prev):
				out[n-1] = prev + t
				continue
			case t == "96" && (prev == "md5" || prev == "sha1" || prev == "sha"):
				continue
			}
		}
		out = append(out, t)
	}
	return out
}

// token files one token. "null" is a cipher when it comes first and
// "no integrity" after a cipher. Repeated algorithms are kept once, which
// also keeps the combinations of a long list few.
func (s *algSet) token(t string) {
	if (t == "null" || t == "none") && len(s.encs) > 0 && len(s.integs) == 0 {
		s.integs = append(s.integs, integAlg{null: true})
		return
	}
	if e, v := parseEnc(t); v != unknownAlg {
		s.dropped = fileAlg(&s.encs, e, v, s.dropped, t)
		return
	}
	if i, v := parseInteg(t); v != unknownAlg {
		s.dropped = fileAlg(&s.integs, i, v, s.dropped, t)
		return
	}
	if g, v := parseDH(t); v != unknownAlg {
		s.dropped = fileAlg(&s.groups, g, v, s.dropped, t)
		return
	}
	s.special(t)
}

// fileAlg adds a supported algorithm to its list once, or the token to
// the dropped ones (also once).
func fileAlg[T comparable](list *[]T, x T, v verdict, dropped []string, t string) []string {
	switch {
	case v != supportedAlg:
		if !contains(dropped, t) {
			dropped = append(dropped, t)
		}
	case !contains(*list, x):
		*list = append(*list, x)
	}
	return dropped
}

// special handles the tokens that are neither cipher, integrity nor
// group: PRFs and ESN flags.
func (s *algSet) special(t string) {
	switch {
	case strings.HasPrefix(t, "prf"):
		if !contains(s.prfs, t) {
			s.prfs = append(s.prfs, t)
		}
	case t == "noesn":
	case t == "esn":
		s.esn = true
	default:
		s.unknown = append(s.unknown, t)
	}
}

func isAESName(t string) bool {
	return t == "aes" || t == "aes_cbc" || t == "aes_gcm" || t == "aes_gcm_c" || t == "aes_gmac"
}

// notes gathers what a list lost on its way to AIX, for one warning per
// setting.
type notes []string

// maxNotes keeps a warning readable when a list is long and mostly wrong.
const maxNotes = 8

func (n *notes) add(msg string) {
	switch {
	case len(*n) < maxNotes:
		*n = append(*n, msg)
	case len(*n) == maxNotes:
		*n = append(*n, "and more")
	}
}

func (n notes) String() string { return strings.Join(n, "; ") }

// reportTokens notes the dropped and unknown tokens of a proposal, and
// reports whether the proposal is still usable (unknown tokens make its
// meaning unclear, so it is dropped whole).
func (s *algSet) reportTokens(n *notes) bool {
	for _, t := range s.dropped {
		n.add(strconv.Quote(printable(t)) + " is not supported by AIX; dropped")
	}
	if len(s.unknown) > 0 {
		n.add(strconv.Quote(printable(s.unknown[0])) + " is not a known algorithm; proposal " +
			strconv.Quote(printable(s.text)) + " dropped")
		return false
	}
	if s.esn {
		n.add("esn (extended sequence numbers) is not supported by AIX; dropped")
	}
	return true
}

// maxCombos bounds the transforms or proposals made from one list: lists
// with several algorithms per kind multiply out.
const maxCombos = 32

// ikeTransform is one phase 1 combination before the conn's settings
// (authentication, lifetime) are added.
type ikeTransform struct {
	enc   encAlg
	hash  vpnxml.IKEHash
	group vpnxml.DHGroup
}

// ikeTransforms maps an ike= list to AIX phase 1 transforms.
func ikeTransforms(list string) ([]ikeTransform, notes) {
	var out []ikeTransform
	var n notes
	for _, p := range splitProposals(list) {
		s := parseProposal(p)
		if !s.reportTokens(&n) {
			continue
		}
		out = appendCombos(out, s.ikeCombos(&n), &n)
	}
	return out, n
}

// ikeCombos multiplies out one phase 1 proposal.
func (s *algSet) ikeCombos(n *notes) []ikeTransform {
	quoted := strconv.Quote(printable(s.text))
	encs := filterEnc(s.encs, func(e encAlg) bool { return e.ike != "" })
	switch {
	case len(encs) == 0 && len(s.encs) > 0:
		n.add("AEAD ciphers cannot protect IKEv1 phase 1; proposal " + quoted + " dropped")
		return nil
	case len(encs) == 0:
		n.add("proposal " + quoted + " has no encryption AIX supports for IKE; dropped")
		return nil
	case len(encs) < len(s.encs):
		n.add("AEAD ciphers cannot protect IKEv1 phase 1; dropped from " + quoted)
	}
	hashes := s.ikeHashes(n)
	groups := s.ikeGroups(n)
	var out []ikeTransform
	for _, e := range encs {
		for _, h := range hashes {
			for _, g := range groups {
				out = append(out, ikeTransform{e, h, g})
			}
		}
	}
	return out
}

func (s *algSet) ikeHashes(n *notes) []vpnxml.IKEHash {
	var hs []vpnxml.IKEHash
	for _, i := range s.integs {
		if i.ike != "" {
			hs = append(hs, i.ike)
		}
	}
	s.checkPRFs(hs, n)
	switch {
	case len(hs) > 0:
		return hs
	case len(s.integs) > 0 || hasIntegToken(s.dropped):
		n.add("proposal " + strconv.Quote(printable(s.text)) + " has no hash AIX supports for IKE; dropped")
		return nil
	}
	n.add("proposal " + strconv.Quote(printable(s.text)) + " names no hash; sha2_256 and sha1 assumed")
	return []vpnxml.IKEHash{vpnxml.HashSHA256, vpnxml.HashSHA}
}

// checkPRFs notes PRFs that the hashes do not provide: IKEv1 derives its
// PRF from the negotiated hash.
func (s *algSet) checkPRFs(hashes []vpnxml.IKEHash, n *notes) {
	for _, p := range s.prfs {
		i, _ := parseInteg(strings.TrimPrefix(p, "prf"))
		found := false
		for _, h := range hashes {
			found = found || i.ike != "" && h == i.ike
		}
		if !found {
			n.add(strconv.Quote(printable(p)) + " dropped: IKEv1 uses the hash as PRF")
		}
	}
}

func hasIntegToken(toks []string) bool {
	for _, t := range toks {
		if _, v := parseInteg(t); v != unknownAlg {
			return true
		}
	}
	return false
}

func (s *algSet) ikeGroups(n *notes) []vpnxml.DHGroup {
	var gs []vpnxml.DHGroup
	for _, g := range s.groups {
		if g != 0 {
			gs = append(gs, g)
		}
	}
	switch {
	case len(gs) > 0:
		return gs
	case len(s.groups) > 0 || hasGroupToken(s.dropped):
		n.add("proposal " + strconv.Quote(printable(s.text)) + " has no DH group AIX supports; dropped")
		return nil
	}
	n.add("proposal " + strconv.Quote(printable(s.text)) + " names no DH group; modp2048 (group 14) assumed")
	return []vpnxml.DHGroup{14}
}

func hasGroupToken(toks []string) bool {
	for _, t := range toks {
		if _, v := parseDH(t); v != unknownAlg {
			return true
		}
	}
	return false
}

func filterEnc(in []encAlg, keep func(encAlg) bool) []encAlg {
	var out []encAlg
	for _, e := range in {
		if keep(e) {
			out = append(out, e)
		}
	}
	return out
}

// appendCombos adds combinations not already present, up to maxCombos.
func appendCombos[T comparable](out, more []T, n *notes) []T {
	for _, c := range more {
		if contains(out, c) {
			continue
		}
		if len(out) == maxCombos {
			n.add("only the first " + strconv.Itoa(maxCombos) + " combinations are kept")
			return out
		}
		out = append(out, c)
	}
	return out
}

func contains[T comparable](list []T, x T) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

// p2Proposal is one phase 2 combination: ESP (enc set) or AH (enc unset).
type p2Proposal struct {
	enc   encAlg
	integ vpnxml.Integrity
	ah    bool
}

// p2List is what an esp=, phase2alg= or ah= list gives.
type p2List struct {
	proposals []p2Proposal
	groups    []vpnxml.DHGroup // PFS groups named in the list, in order; 0 is "none"
	lostGroup bool             // a PFS group was named that AIX does not have
}

// p2Proposals maps a phase 2 list; ah selects AH rather than ESP.
func p2Proposals(list string, ah bool) (p2List, notes) {
	var out p2List
	var n notes
	for _, p := range splitProposals(list) {
		s := parseProposal(p)
		if !s.reportTokens(&n) {
			continue
		}
		for _, g := range s.groups {
			if !contains(out.groups, g) {
				out.groups = append(out.groups, g)
			}
		}
		out.lostGroup = out.lostGroup || hasGroupToken(s.dropped)
		if ah {
			out.proposals = appendCombos(out.proposals, s.ahCombos(&n), &n)
		} else {
			out.proposals = appendCombos(out.proposals, s.espCombos(&n), &n)
		}
	}
	return out, n
}

// espCombos multiplies out one ESP proposal. An AEAD cipher takes no
// integrity; ESP_NULL needs one.
func (s *algSet) espCombos(n *notes) []p2Proposal {
	if len(s.encs) == 0 {
		n.add("proposal " + strconv.Quote(printable(s.text)) + " has no encryption AIX supports; dropped")
		return nil
	}
	integs := s.espIntegs(n)
	if len(filterEnc(s.encs, func(e encAlg) bool { return e.aead })) > 0 && len(integs) > 0 && !contains(integs, "") {
		n.add("integrity algorithms do not apply to the AEAD ciphers of " + strconv.Quote(printable(s.text)))
	}
	var out []p2Proposal
	for _, e := range s.encs {
		if e.aead {
			out = append(out, p2Proposal{enc: e})
			continue
		}
		for _, i := range integs {
			if e.esp == vpnxml.ESPNull && i == "" {
				n.add("null encryption without integrity protects nothing; dropped from " + strconv.Quote(printable(s.text)))
				continue
			}
			out = append(out, p2Proposal{enc: e, integ: i})
		}
	}
	return out
}

// espIntegs returns the integrity choices of a proposal for its non-AEAD
// ciphers; "" stands for none.
func (s *algSet) espIntegs(n *notes) []vpnxml.Integrity {
	var is []vpnxml.Integrity
	for _, i := range s.integs {
		if i.null {
			is = append(is, "")
		} else {
			is = append(is, i.esp)
		}
	}
	allAEAD := len(filterEnc(s.encs, func(e encAlg) bool { return !e.aead })) == 0
	switch {
	case len(is) > 0 || allAEAD:
		return is
	case hasIntegToken(s.dropped):
		n.add("proposal " + strconv.Quote(printable(s.text)) + " has no integrity algorithm AIX supports; its non-AEAD ciphers are dropped")
		return nil
	}
	n.add("proposal " + strconv.Quote(printable(s.text)) + " names no integrity algorithm; sha2_256 and sha1 assumed")
	return []vpnxml.Integrity{vpnxml.HMACSHA256, vpnxml.HMACSHA}
}

// ahCombos maps one AH proposal: integrity algorithms only.
func (s *algSet) ahCombos(n *notes) []p2Proposal {
	var out []p2Proposal
	for _, i := range s.integs {
		if !i.null {
			out = append(out, p2Proposal{integ: i.esp, ah: true})
		}
	}
	if len(s.encs) > 0 {
		n.add("AH does not encrypt; the ciphers of " + strconv.Quote(printable(s.text)) + " are ignored")
	}
	if len(out) == 0 {
		n.add("proposal " + strconv.Quote(printable(s.text)) + " has no integrity algorithm AIX supports for AH; dropped")
	}
	return out
}
