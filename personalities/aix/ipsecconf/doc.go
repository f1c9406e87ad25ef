// Package ipsecconf is the engine of ikedb -c: it reads a Linux
// ipsec.conf (FreeS/WAN, Openswan, Libreswan or strongSwan) and its
// ipsec.secrets and turns the conns into AIX tunnel definitions, a
// *vpnxml.Document that ikedb puts into its database or writes out with -f.
//
//	doc, warnings, err := ipsecconf.Convert(conf, "/etc/ipsec.conf", secrets, "/etc/ipsec.secrets", opts)
//
// The document passes vpnxml.Validate(doc, nil). Whatever is not carried
// over as written is reported, one Warning per line of the input, never
// dropped silently:
//
//	ipsec.conf:12: conn office: leftsourceip=10.0.0.1 is not supported; ignored
//
// err is reserved for input that cannot be read: a syntax error (an *Error
// with file and line) or a read failure. Neither a warning nor an error
// ever quotes a preshared key: messages about ipsec.secrets name only the
// line and the entry type, and settings whose name suggests a secret or a
// key are shown without their value.
//
// # Reading ipsec.conf
//
// A line starting in the first column opens a section (config setup,
// conn NAME, ca NAME) or is an include or version line; indented key=value
// lines belong to the section above. Blanks around '=' are allowed. A
// value may be double-quoted; '#' starts a comment at the start of a line
// or after a blank, outside quotes, so that key IDs such as @#0a1b stay
// whole. An empty value (key=) unsets the key, clearing what the conn
// would inherit. A key given twice in one section keeps its later value,
// with a warning on the earlier line. Aliases are one key: keylife= and
// salifetime= are lifetime=, margintime= is rekeymargin=, aggrmode= is
// aggressive=, phase2alg= is esp=.
//
// A conn's own settings win over those of the sections it names with also=
// (earlier also= lines first, depth first), which win over conn %default
// sections (a later %default over an earlier one). An also= naming no conn
// skips the conn; a loop is reported and cut. A conn named by another's
// also= and without an auto= of its own is a template: it is converted
// only as part of the conns that use it. A second conn of the same name is
// ignored with a warning. Each config setup setting and each ca section is
// reported: they configure the Linux daemons and certificate store.
//
// include lines are followed only when Options.Include gives a file system
// to read them from (see Options); otherwise, or when the name leaves that
// file system, nests more than 8 deep or exceeds 256 files, they are
// reported. A pattern matching nothing is not an error, as with an empty
// ipsec.d. ipsec.secrets include lines are handled the same way.
//
// # Which tools wrote the file
//
// Settings only strongSwan reads (keyexchange=, leftauth=, mobike=, ...)
// and settings only the pluto family reads (ikev2=, pfs=, phase2alg=,
// salifetime=, protostack=, ...) are counted over the whole file; the
// larger count decides, a tie leaves the dialect unknown, treated like the
// pluto family. The dialect decides two defaults:
//
//   - IKE version. keyexchange=ikev1 (or Libreswan's ikev2=no, never,
//     permit) converts; keyexchange=ikev2 or ike (ikev2=yes, insist,
//     propose) skips the conn: the AIX database ikedb fills holds IKEv1
//     tunnels. With neither, a strongSwan file means IKEv2 (strongSwan 5's
//     default), so the conn is skipped with a hint to add keyexchange=ikev1;
//     otherwise IKEv1 is assumed, with a warning that newer Libreswan
//     defaults to IKEv2.
//   - PFS without pfs=: strongSwan uses PFS only when esp= names a group;
//     the pluto family always does (with the esp= group, else pfsgroup=,
//     else the phase 1 group).
//
// # Local and remote side
//
// The local side is left if a left= address is in Options.LocalAddrs, else
// right if a right= address is, else the side that says %defaultroute,
// else left, with a warning unless left= is %any. On the local side,
// %defaultroute, %any (or no value) and a host name stand for the first
// local address of the peer's IP version, with a warning. A peer of %any
// or a host name (names are not resolved) has no known address: if it has
// an identity (rightid=), the conn becomes a responder-only tunnel (IKE and
// IPSec roles Responder, never started automatically), and without a
// remote subnet its phase 2 is the AIX generic data-management tunnel: an
// IPSecProtection named _defIPSprot_NAME that the IKEProtection names as
// its default, serving the local selectors' types and the peer's address.
// Without an identity either, the conn is skipped. Lists of addresses in
// left= use the first one; %group, %opportunistic and subnets as hosts skip
// the conn.
//
// # Mapping
//
// Each conn gives, with NAME its name made valid (letters, digits, '_',
// '-', '.'; at most 40 characters; made unique with -2, -3, ...):
//
//	IKETunnel NAME                 phase 1 tunnel; IKE_Flags_AutoStart from auto=
//	IKEProtection NAME_p1          one IKETransform per ike= combination
//	IKEPresharedKey                for authby=secret, keyed by the remote identity
//	IPSecProposal NAME_p2_1, ...   one per esp=/ah= combination
//	IPSecProtection NAME_p2        (or _defIPSprot_NAME, see above)
//	IPSecTunnel NAME (NAME_1, ...) one per local x remote subnet pair
//
// Settings:
//
//	left=, right=            addresses, see above
//	leftid=, rightid=        phase 1 identities; absent, %any, %fromcert: the address (warned
//	                         unless absent). @fqdn and fqdn:, dns: FQDN; user@fqdn and email:,
//	                         rfc822:, userfqdn: User_FQDN; a value with '=' X500DN; @#hex and
//	                         keyid: KeyID; an address IPV4_Address or IPV6_Address; a bare
//	                         name FQDN. A name identity carries the side's address as OptionalIP.
//	leftsubnet(s)=           phase 2 selectors: a.b.c.d/n IPV4_Subnet (a full-length prefix is an
//	rightsubnet(s)=          address), a-b ranges, addresses, %dynamic (the host), lists separated
//	                         by commas or blanks, {braces} allowed, strongSwan's [proto/port];
//	                         absent: the host's address. Pairs of different IP versions are left out.
//	leftprotoport=           Protocol and Port of the selectors (number, tcp, udp, icmp, icmpv6,
//	rightprotoport=          %any); service names are not supported
//	type=                    tunnel, transport: ESP/AH encapsulation mode (transport ignores subnets);
//	                         passthrough, drop, reject skip the conn
//	authby=                  secret, psk: Preshared_Key; rsasig, rsa, pubkey, rsa-*: RSA_Signature,
//	                         with a warning that certificates are installed separately; ecdsa,
//	                         xauth*, eap, never, null skip the conn; in a list the first is used.
//	                         strongSwan's leftauth=/rightauth= win over authby= (which is then
//	                         reported); they must agree. Neither: RSA signatures, with a warning.
//	ike=                     IKETransforms (below); absent: AES-256 and AES-128 with SHA2-256
//	                         or SHA1 and group 14, with a warning
//	ikelifetime=             IKE_KeyRefreshMinutes
//	aggressive= (aggrmode=)  yes: IKE_XchgMode Aggressive; else Main
//	rekeymargin=             IKE_KeyOverlap and IPSec_KeyOverlap (minutes, 0-1440)
//	esp= (phase2alg=), ah=   IPSecProposals (below); ah= (esp= is then reported) or phase2=ah
//	                         make AH proposals;
//	                         absent: AES-256 and AES-128 with HMAC-SHA2-256 or HMAC-SHA
//	lifetime= (keylife=)     ESP/AH_KeyRefreshMinutes
//	lifebytes=               ESP/AH_KeyRefreshKB (rounded up) and IPSec_Flags_UseLifeSize Yes
//	pfs=, pfsgroup=          IPSec_InitiatorDHGroup and IPSec_ResponderDHGroup (both the same)
//	auto=                    start: AutoStart Yes (both phases); route, ondemand:
//	                         IPSec_Flags_OnDemand Yes; add, ignore: neither
//	keyexchange=, ikev2=     see the dialect
//	also=                    see above
//
// Values that ask for what AIX does anyway pass without a warning:
// compress=no, rekey=yes, mobike=no, fragmentation=no, narrowing=no,
// forceencaps=no, encapsulation=no, leftfirewall=no, dpdaction=none,
// installpolicy=yes, modecfgpull=no, sha2-truncbug=no. Every other
// setting is reported as not supported (certificate settings with a hint
// to the AIX certificate tools), once per line.
//
// Lifetimes are a whole number with s, m, h or d (seconds when none),
// rounded to the nearest AIX minute (at least 1, at most 43200), with a
// warning when that changes them. Absent lifetimes stay absent: the AIX
// defaults apply.
//
// # Algorithms
//
// A list is proposals separated by commas, each algorithms separated by
// '-', ';' or '+'; strongSwan's trailing '!' is dropped, since an AIX list
// offers exactly what it holds. A proposal naming several algorithms of a
// kind stands for every combination (at most 32 per conn, duplicates
// merged).
//
//	encryption  des DES-CBC/ESP_DES; 3des 3DES-CBC/ESP_3DES; aes, aes128, aes_192, aes-256,
//	            aes_cbc AES-CBC/ESP_AES with IKE/ESP_KeyLength (bare aes is 128);
//	            aes128gcm16, aes256gcm128, aes_gcm, aes_gcm_c, aes_gcm16, aes_gcm256 ESP_AES_GCM;
//	            aes128gmac, aes_gmac ESP_AES_GMAC; null ESP_NULL. AEAD ciphers cannot be used
//	            in phase 1.
//	integrity   md5 MD5/HMAC-MD5; sha, sha1 SHA/HMAC-SHA; sha2, sha256, sha2_256
//	            SHA2_256/HMAC-SHA2-256; aesxcbc ESP/AH only (AES-XCBC-MAC-96); null none
//	            (after an AEAD cipher); FreeS/WAN's -96 suffix is accepted
//	DH group    modp768 or dh1 1; modp1024 2; modp1536 5; modp2048 14; ecp256 19; ecp384 20;
//	            modp2048s256 24; none (phase 2) no PFS
//
// prfX tokens pass when X is one of the proposal's hashes (IKEv1 uses the
// hash as PRF) and are reported otherwise; noesn passes, esn is reported.
// A real algorithm AIX lacks (blowfish, camellia, sha384, modp3072,
// curve25519, GCM with 8 or 12 byte ICV, ...) is dropped with a warning;
// a proposal left without a cipher, or whose integrity or group tokens
// were all dropped, is dropped. A token that is no algorithm at all drops
// its proposal, since its meaning is unclear. A proposal that names no
// hash gets SHA2_256 and SHA, one that names no group (phase 1) group 14,
// and an ESP proposal without integrity HMAC-SHA2-256 and HMAC-SHA, each
// with a warning. AIX has one PFS group per tunnel: the first one esp=
// names is used, and a group AIX lacks is replaced by the phase 1 group.
// A conn left without any phase 1 or phase 2 proposal is skipped.
//
// # ipsec.secrets
//
// An entry is "IDs : TYPE value", starting in the first column; indented
// lines and lines inside { } continue it. PSK entries are read: "text" or
// 'text' (printable ASCII becomes Format ASCII, anything else is written
// as hex so the bytes stay the same), 0x hex digits (underscores allowed)
// and 0s base64 become Format Hex. Keys beyond AIX's 512 characters (256
// bytes) cannot be used. RSA, ECDSA, EAP, XAUTH, PIN and other entries are
// reported by type.
//
// For a conn with authby=secret the best entry wins: one naming the peer
// (by identity or address) and this host, then one naming the peer alone,
// then one naming the peer and another host, then one naming only this
// host, then one with no identities or only %any.
// Between equally good entries with different keys the first wins, with a
// warning. AIX keys preshared keys by the peer's identity, so the key is
// stored under the remote phase 1 identity; a second conn with the same
// peer identity shares it (with a warning if its entry holds another key).
// Entries no converted conn uses are reported.
//
// # What vpnxml lacks
//
// Nothing that blocks the conversion. Some Linux features have no
// attribute to go to: dead peer detection, NAT traversal settings, virtual
// IPs and mode config, XAUTH, ESN, and traffic selector ranges of ports.
package ipsecconf
