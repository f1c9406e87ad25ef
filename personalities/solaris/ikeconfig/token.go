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

// lookupKeyword returns the reserved word s spells, or kwInvalid. A switch
// keeps the table immutable and compiles to a binary search.
func lookupKeyword(s string) keyword {
	switch s {
	case "aggressive":
		return kwAggressive
	case "auth_alg":
		return kwAuthAlg
	case "auth_method":
		return kwAuthMethod
	case "cert_request":
		return kwCertRequest
	case "cert_root":
		return kwCertRoot
	case "cert_trust":
		return kwCertTrust
	case "oakley_group", "dh_group":
		return kwOakleyGroup
	case "DN", "dn":
		return kwDN
	case "DNS", "dns":
		return kwDNS
	case "dss_sig":
		return kwDSSSig
	case "email", "EMAIL", "MBOX", "mbox":
		return kwMBOX
	case "encr_alg":
		return kwEncrAlg
	case "expire_timer":
		return kwExpireTimer
	case "false":
		return kwFalse
	case "FQDN", "fqdn":
		return kwFQDN
	case "GN", "gn":
		return kwGN
	case "ignore_crls":
		return kwIgnoreCRLs
	case "improved_rsa_encrypt":
		return kwImprovedRSAEncrypt
	case "ip", "IP":
		return kwIP
	case "ipv4":
		return kwIPv4
	case "ipv4_prefix":
		return kwIPv4Prefix
	case "ipv4_range":
		return kwIPv4Range
	case "ipv6":
		return kwIPv6
	case "ipv6_prefix":
		return kwIPv6Prefix
	case "ipv6_range":
		return kwIPv6Range
	case "issuer":
		return kwIssuer
	case "label":
		return kwLabel
	case "local_addr":
		return kwLocalAddr
	case "local_id":
		return kwLocalID
	case "local_id_type":
		return kwLocalIDType
	case "ldap_server":
		return kwLDAPServer
	case "main":
		return kwMain
	case "nat_t_port":
		return kwNATTPort
	case "no":
		return kwNo
	case "max_certs":
		return kwMaxCerts
	}
	return lookupKeyword2(s)
}

// lookupKeyword2 is the second half of the table, split only to keep
// functions short.
func lookupKeyword2(s string) keyword {
	switch s {
	case "p1_lifetime_secs":
		return kwP1LifetimeSecs
	case "p1_mode":
		return kwP1Mode
	case "p1_nonce_len":
		return kwP1NonceLen
	case "p1_xform":
		return kwP1Xform
	case "p2_lifetime_secs":
		return kwP2LifetimeSecs
	case "p2_softlife_secs":
		return kwP2SoftlifeSecs
	case "p2_idletime_secs":
		return kwP2IdletimeSecs
	case "p2_lifetime_kb":
		return kwP2LifetimeKB
	case "p2_softlife_kb":
		return kwP2SoftlifeKB
	case "p2_nonce_len":
		return kwP2NonceLen
	case "p2_pfs":
		return kwP2PFS
	case "p2_xform":
		return kwP2Xform
	case "pkcs11_path":
		return kwPKCS11Path
	case "preshared":
		return kwPreshared
	case "proxy":
		return kwProxy
	case "remote_addr":
		return kwRemoteAddr
	case "remote_id":
		return kwRemoteID
	case "retry_limit":
		return kwRetryLimit
	case "retry_timer_init":
		return kwRetryTimerInit
	case "retry_timer_max":
		return kwRetryTimerMax
	case "rsa_encrypt":
		return kwRSAEncrypt
	case "rsa_sig":
		return kwRSASig
	case "socks":
		return kwSocks
	case "true":
		return kwTrue
	case "user_fqdn":
		return kwUserFQDN
	case "use_http":
		return kwUseHTTP
	case "yes":
		return kwYes
	case "wire_label":
		return kwWireLabel
	case "multi_label":
		return kwMultiLabel
	case "single_label":
		return kwSingleLabel
	case "inner":
		return kwInner
	case "none":
		return kwNoneWord
	case "label_aware":
		return kwLabelAware
	case "D_U_M_P":
		return kwDump
	}
	return kwInvalid
}
