package ikeconfig

// tokKind is the lexical class of a token, mirroring the daemon's lexer.
type tokKind uint8

const (
	tEOF      tokKind = iota
	tError            // lexical error; text is the token, msg the complaint
	tLBrace           // {
	tRBrace           // }
	tDash             // -
	tSlash            // /
	tColon            // :
	tDot              // .
	tNumber           // [0-9]+
	tDecimal          // [0-9]+.[0-9]+ (retry timers only)
	tV4               // dotted quad, not yet validated
	tV6               // IPv6 literal, not yet validated
	tString           // quoted string or bare non-reserved word
	tAlgRange         // name(lo..hi)
	tHexLabel         // 0x<hex>-<hex>… (Trusted Extensions)
	tKeyword          // reserved word; kw says which
)

// token is one lexeme. text is what the daemon's yytext would hold when
// the token is reported, which for quoted strings is the unquoted content.
type token struct {
	kind tokKind
	kw   keyword
	text string
	msg  string // for tError
	line int
}

// keyword identifies a reserved word.
type keyword uint8

const (
	kwInvalid keyword = iota
	kwAggressive
	kwAuthAlg
	kwAuthMethod
	kwCertRequest
	kwCertRoot
	kwCertTrust
	kwOakleyGroup
	kwDN
	kwDNS
	kwDSSSig
	kwMBOX
	kwEncrAlg
	kwExpireTimer
	kwFalse
	kwFQDN
	kwGN
	kwIgnoreCRLs
	kwImprovedRSAEncrypt
	kwIP
	kwIPv4
	kwIPv4Prefix
	kwIPv4Range
	kwIPv6
	kwIPv6Prefix
	kwIPv6Range
	kwIssuer
	kwLabel
	kwLocalAddr
	kwLocalID
	kwLocalIDType
	kwLDAPServer
	kwMain
	kwNATTPort
	kwNo
	kwMaxCerts
	kwP1LifetimeSecs
	kwP1Mode
	kwP1NonceLen
	kwP1Xform
	kwP2LifetimeSecs
	kwP2SoftlifeSecs
	kwP2IdletimeSecs
	kwP2LifetimeKB
	kwP2SoftlifeKB
	kwP2NonceLen
	kwP2PFS
	kwP2Xform
	kwPKCS11Path
	kwPreshared
	kwProxy
	kwRemoteAddr
	kwRemoteID
	kwRetryLimit
	kwRetryTimerInit
	kwRetryTimerMax
	kwRSAEncrypt
	kwRSASig
	kwSocks
	kwTrue
	kwUserFQDN
	kwUseHTTP
	kwYes
	kwWireLabel
	kwMultiLabel
	kwSingleLabel
	kwInner
	kwNoneWord
	kwLabelAware
	kwDump
)

// keywords maps each reserved word to its token. Read-only after package
// initialisation.
var keywords = map[string]keyword{
	"aggressive":           kwAggressive,
	"auth_alg":             kwAuthAlg,
	"auth_method":          kwAuthMethod,
	"cert_request":         kwCertRequest,
	"cert_root":            kwCertRoot,
	"cert_trust":           kwCertTrust,
	"oakley_group":         kwOakleyGroup,
	"dh_group":             kwOakleyGroup,
	"DN":                   kwDN,
	"dn":                   kwDN,
	"DNS":                  kwDNS,
	"dns":                  kwDNS,
	"dss_sig":              kwDSSSig,
	"email":                kwMBOX,
	"EMAIL":                kwMBOX,
	"MBOX":                 kwMBOX,
	"mbox":                 kwMBOX,
	"encr_alg":             kwEncrAlg,
	"expire_timer":         kwExpireTimer,
	"false":                kwFalse,
	"FQDN":                 kwFQDN,
	"fqdn":                 kwFQDN,
	"GN":                   kwGN,
	"gn":                   kwGN,
	"ignore_crls":          kwIgnoreCRLs,
	"improved_rsa_encrypt": kwImprovedRSAEncrypt,
	"ip":                   kwIP,
	"IP":                   kwIP,
	"ipv4":                 kwIPv4,
	"ipv4_prefix":          kwIPv4Prefix,
	"ipv4_range":           kwIPv4Range,
	"ipv6":                 kwIPv6,
	"ipv6_prefix":          kwIPv6Prefix,
	"ipv6_range":           kwIPv6Range,
	"issuer":               kwIssuer,
	"label":                kwLabel,
	"local_addr":           kwLocalAddr,
	"local_id":             kwLocalID,
	"local_id_type":        kwLocalIDType,
	"ldap_server":          kwLDAPServer,
	"main":                 kwMain,
	"nat_t_port":           kwNATTPort,
	"no":                   kwNo,
	"max_certs":            kwMaxCerts,
	"p1_lifetime_secs":     kwP1LifetimeSecs,
	"p1_mode":              kwP1Mode,
	"p1_nonce_len":         kwP1NonceLen,
	"p1_xform":             kwP1Xform,
	"p2_lifetime_secs":     kwP2LifetimeSecs,
	"p2_softlife_secs":     kwP2SoftlifeSecs,
	"p2_idletime_secs":     kwP2IdletimeSecs,
	"p2_lifetime_kb":       kwP2LifetimeKB,
	"p2_softlife_kb":       kwP2SoftlifeKB,
	"p2_nonce_len":         kwP2NonceLen,
	"p2_pfs":               kwP2PFS,
	"p2_xform":             kwP2Xform,
	"pkcs11_path":          kwPKCS11Path,
	"preshared":            kwPreshared,
	"proxy":                kwProxy,
	"remote_addr":          kwRemoteAddr,
	"remote_id":            kwRemoteID,
	"retry_limit":          kwRetryLimit,
	"retry_timer_init":     kwRetryTimerInit,
	"retry_timer_max":      kwRetryTimerMax,
	"rsa_encrypt":          kwRSAEncrypt,
	"rsa_sig":              kwRSASig,
	"socks":                kwSocks,
	"true":                 kwTrue,
	"user_fqdn":            kwUserFQDN,
	"use_http":             kwUseHTTP,
	"yes":                  kwYes,
	"wire_label":           kwWireLabel,
	"multi_label":          kwMultiLabel,
	"single_label":         kwSingleLabel,
	"inner":                kwInner,
	"none":                 kwNoneWord,
	"label_aware":          kwLabelAware,
	"D_U_M_P":              kwDump,
}

// lookupKeyword returns the reserved word s spells, or kwInvalid.
func lookupKeyword(s string) keyword {
	if kw, ok := keywords[s]; ok {
		return kw
	}
	return kwInvalid
}
