package ipsecconf

import (
	"strings"
	"sync"
)

// The conn keywords of the Linux IPsec configurations this package reads
// (FreeS/WAN, Openswan, Libreswan and strongSwan ipsec.conf), so that a
// word none of them has is told from a setting AIX cannot carry: the
// first is not understood and the conn is not converted, the second is
// only ignored with a warning.

// sideKeywords follow left or right. The sets are built on first use,
// not at every start of the binary.
var sideKeywords = sync.OnceValue(func() map[string]bool {
	return setOf("", "subnet", "subnets", "sourceip", "nexthop", "id", "id2", "cert", "cert2",
		"ca", "ca2", "rsasigkey", "rsasigkey2", "rsapubkey", "pubkey", "sigkey", "ckaid", "protoport",
		"updown", "firewall", "hostaccess", "sendcert", "groups", "groups2", "auth", "auth2", "allowany",
		"dns", "ikeport", "xauthserver", "xauthclient", "xauthusername", "username", "modecfgserver",
		"modecfgclient", "addresspool", "vti", "interface-ip", "certpolicy", "policy", "subnetwithin",
		"cat", "espenckey", "espauthkey", "espspi", "ahkey", "ahspi", "espsplit", "ahsplit", "certreq",
		"sourceip6", "responder", "natip", "mark")
})

// connKeywords stand alone.
var connKeywords = sync.OnceValue(func() map[string]bool {
	return setOf("also", "auto", "type", "authby", "keyexchange", "ikev2", "ike", "esp", "ah",
		"phase2", "phase2alg", "pfs", "pfsgroup", "ikelifetime", "keylife", "salifetime", "lifetime",
		"rekeymargin", "margintime", "rekeyfuzz", "keyingtries", "rekey", "reauth", "dpddelay",
		"dpdtimeout", "dpdaction", "compress", "aggressive", "aggrmode", "fragmentation",
		"ike_frag", "ikefrag", "mobike", "forceencaps", "encapsulation", "nat-keepalive", "narrowing",
		"installpolicy", "closeaction", "inactivity", "lifebytes", "lifepackets", "marginbytes",
		"marginpackets", "mark", "mark_in", "mark_out", "reqid", "tfc", "xauth", "xauth_identity",
		"eap", "eap_identity", "aaa_identity", "modeconfig", "modecfgpull", "modecfgdns",
		"modecfgdns1", "modecfgdns2", "modecfgdomain", "modecfgdomains", "modecfgbanner", "modecfgwins1",
		"modecfgwins2", "connaddrfamily", "hostaddrfamily", "clientaddrfamily", "ikepad",
		"sha2-truncbug", "sha2_truncbug", "nic-offload", "overlapip", "remote_peer_type",
		"remote-peer-type", "nm-configured", "nm_configured", "labeled-ipsec", "policy-label",
		"policy_label", "priority", "metric", "mtu", "sareftrack", "ipsec-interface", "ppk", "ppk-ids",
		"nat-ikev1-method", "vti-routing", "vti-shared", "vti-interface", "decap-dscp", "nopmtudisc",
		"send-no-esp-tfc", "replay-window", "replay_window", "retransmit-timeout",
		"retransmit-interval", "initial-contact", "cisco-unity", "fake-strongswan", "send-vendorid",
		"xauthby", "xauthfail", "accept-redirect", "accept-redirect-to", "send-redirect", "redirect-to",
		"failureshunt", "negotiationshunt", "esn", "intermediate", "enable-tcp", "tcp-remoteport",
		"ms-dh-downgrade", "dns-match-id", "require-id-on-certificate", "spi", "spibase", "espenckey",
		"espauthkey", "espreplay_window", "ahkey", "ahreplay_window", "disablearrivalcheck",
		"keyingtries", "dpdaggressive", "ikedscp", "rekeywindow", "pfsgroup", "authby2", "keyexchange2",
		"ikev1-natt", "encapsulation-ikev1", "session-resumption", "ike_lifetime", "me_peerid",
		"mediation", "mediated_by", "sha256_96", "hashtoken", "pam-authorize", "dpdaction_ikev1",
		"ah_replay_window", "leftid2", "fragicmp", "hidetos", "uniqueids", "ipcomp",
		"interface", "xfrm_mark", "set_mark_in", "set_mark_out", "if_id_in", "if_id_out", "if_id",
		"replay_window", "copy_df", "copy_ecn", "copy_dscp", "auth_remote", "ocsp")
})

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// knownKeyword reports whether a conn setting's name (as written, any
// case) is a keyword of some Linux IPsec configuration.
func knownKeyword(name string) bool {
	k := strings.ToLower(name)
	if connKeywords()[k] {
		return true
	}
	for _, side := range []string{"left", "right"} {
		if rest, ok := strings.CutPrefix(k, side); ok && sideKeywords()[rest] {
			return true
		}
	}
	return false
}
