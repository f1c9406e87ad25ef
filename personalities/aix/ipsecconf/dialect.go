package ipsecconf

// dialect is the family of tools a file was written for, as far as its
// settings tell. It decides the defaults that differ between them: the
// IKE version when keyexchange= is absent, and PFS when pfs= is absent.
type dialect int

const (
	dialectUnknown    dialect = iota // no telling settings: treated like FreeS/WAN
	dialectStrongSwan                // strongSwan 5 (charon)
	dialectFreeSWAN                  // FreeS/WAN, Openswan, Libreswan (pluto)
)

// strongSwanOnly lists settings that only strongSwan reads.
func strongSwanOnly(key string) bool {
	switch key {
	case "keyexchange", "leftauth", "rightauth", "leftauth2", "rightauth2", "leftsendcert", "rightsendcert",
		"leftfirewall", "rightfirewall", "leftgroups", "rightgroups", "leftallowany", "rightallowany",
		"mobike", "reauth", "closeaction", "eap_identity", "aaa_identity", "xauth_identity", "installpolicy",
		"margintime", "lifebytes", "lifepackets", "marginbytes", "marginpackets", "tfc", "charondebug",
		"charonstart", "strictcrlpolicy", "cachecrls", "ah", "inactivity", "mediation", "mediated_by",
		"me_peerid", "leftcertpolicy", "rightcertpolicy", "leftdns", "rightdns", "replay_window", "ikedscp",
		"leftsigkey", "rightsigkey", "leftikeport", "rightikeport":
		return true
	}
	return false
}

// freeSWANOnly lists settings that only the pluto family reads.
func freeSWANOnly(key string) bool {
	switch key {
	case "phase2", "phase2alg", "ikev2", "pfs", "pfsgroup", "salifetime", "aggrmode", "leftrsasigkey",
		"rightrsasigkey", "protostack", "plutodebug", "plutostderrlog", "interfaces", "virtual_private",
		"oe", "nhelpers", "ikepad", "sha2-truncbug", "sha2_truncbug", "nat-ikev1-method", "encapsulation",
		"ike_frag", "narrowing", "sareftrack", "logfile", "dumpdir", "ipsec-interface", "leftvti", "rightvti",
		"vti-interface", "overlapip", "labeled-ipsec", "policy-label", "modecfgpull", "xauthby",
		"leftxauthserver", "rightxauthserver", "leftxauthclient", "rightxauthclient", "leftmodecfgserver",
		"rightmodecfgserver", "leftmodecfgclient", "rightmodecfgclient", "leftnexthop", "rightnexthop":
		return true
	}
	return false
}

// detectDialect counts the telling settings of the whole file. Some
// settings are read by both families; they count for neither.
func detectDialect(sections []*section) dialect {
	var ss, fs int
	for _, s := range sections {
		for _, st := range s.settings {
			switch {
			case strongSwanOnly(st.name):
				ss++
			case freeSWANOnly(st.name):
				fs++
			}
		}
	}
	switch {
	case ss > fs:
		return dialectStrongSwan
	case fs > ss:
		return dialectFreeSWAN
	}
	return dialectUnknown
}
