// Package vpnxml is the XML vocabulary of the AIX IKE tunnel database: what
// ikedb -p reads, ikedb -g writes and ikedb -o describes.
//
// Decode reads a document into a Document, stopping at the first problem;
// Validate then checks what a put needs (unique names, references that
// resolve in the document or the database, rules between values) and
// returns every problem at once, so that a put can be all or nothing. A
// Writer writes definitions one at a time in the layout of ikedb -g, and
// Write writes a whole Document. DTD returns the DTD, LoadEntities reads
// an ikedb -e entity file, SwapIdentities does what ikedb -s does.
//
// Every element and attribute keeps the line it was read from (Node), and
// every problem is an *Error that names the line, the element and the
// attribute:
//
//	line 12: IKETransform: attribute IKE_DHGroup: value "7" is not one of 1, 2, 5, 14, 19, 20, 24
//
// For any document that Validate accepts, Decode(Write(doc)) equals doc
// except for positions (and for Go-built documents, provided absent
// attributes are zero values), and Write(Decode(Write(doc))) is byte for
// byte Write(doc).
//
// # Where AIX is not documented
//
// The element and attribute names marked recalled or inferred in the spec
// are used as the spec gives them. Where it leaves a choice, this package
// chose as follows.
//
// Groups. An IKEGroup has the key attribute IKE_GroupName and holds its
// members as identity elements (IPV4_Address, IPV6_Address, FQDN,
// User_FQDN, X500DN: the types IBM lists for groups). A remote identity
// refers to a group with an IKEGroupRef element whose IKE_GroupName names
// it, following IPSecTunnel's IKE_TunnelName, a reference named after the
// key it points at. IBM documents groups as remote identities of both
// phase 1 and phase 2 tunnels, so IKERemoteIdentity and IPSecRemoteIdentity
// both accept IKEGroupRef; a group used in phase 2 must hold addresses
// only. A group's 1 KB limit is applied to the text of its members' values.
//
// Identities. Phase 1 identities (IKELocalIdentity, IKERemoteIdentity,
// PresharedKeyIdentity) are IPV4_Address, IPV6_Address, FQDN, User_FQDN,
// X500DN or KeyID; phase 2 identities are the six address, subnet and range
// types. The IP address that may accompany a non-address phase 1 identity
// is the OptionalIP attribute of IKELocalIdentity or IKERemoteIdentity. The
// phase 2 port and protocol selectors are the Port (1-65535) and Protocol
// (tcp, udp, icmp, icmpv6 or 1-255) attributes of IPSecLocalIdentity and
// IPSecRemoteIdentity; a Port needs Protocol tcp or udp. Netmasks are
// written in address form (255.255.255.0, ffff:ffff::), with contiguous
// one bits; a subnet's address may have host bits set, as in IBM's own
// example.
//
// Required attributes. Names, references and the algorithm of each
// transform or protocol are required; everything else is optional and
// stays absent in the model (the zero value), leaving the default to the
// engine.
//
// Value domains. Names are 1-64 letters, digits, '_', '-' and '.', so that
// they survive space-separated IPSec_ProposalRefs and comma-separated
// namelist=. Key lifetimes are 1-43200 minutes and 0-2147483647 KB (0: no
// size limit); key overlaps are 0-1440 minutes. Algorithms: IKE_Encryption
// DES-CBC, 3DES-CBC, AES-CBC; IKE_Hash MD5, SHA, SHA2_256; IKE_DHGroup 1, 2,
// 5, 14, 19, 20, 24; ESP_Encryption adds ESP_AES_GCM and ESP_AES_GMAC to
// the recalled ESP_DES, ESP_3DES, ESP_AES, ESP_NULL; ESP_Authentication and
// AH_Authentication are HMAC-MD5, HMAC-SHA, HMAC-SHA2-256 and
// AES-XCBC-MAC-96 (the names of the AIX 6.1 additions are ours). Key
// lengths are 128, 192 or 256 and need an AES cipher. The PFS groups accept
// 0 and NO_PFS for "none", both seen in ikedb output; the Writer spells
// none 0 for the initiator and NO_PFS for the responder, as that output
// does. A preshared key is 1-512 characters; with Format Hex an even number
// of hex digits, otherwise printable ASCII. Enumerated values are
// case-sensitive; blanks around them are ignored, as XML does for tokens.
// Decimal numbers take digits only. The attribute version of IKEv2-capable
// releases is left out: its name is not known.
//
// Structure. Children must come in the order of the DTD (IKELocalIdentity
// before IKERemoteIdentity, IPSecESPProtocol before IPSecAHProtocol).
// Top-level definitions may come in any order and refer forward; the order
// between kinds is not kept, and the Writer emits IKEProtection, IKEGroup,
// IKETunnel, IKEPresharedKey, IPSecProposal, IPSecProtection, IPSecTunnel,
// each kind in document order.
//
// Rules between values, beyond those of spec 3.6: a default IPSecProtection
// (IKE_IPSecDefaultProtectionRef) and its allowed types come together;
// responder minimums do not exceed maximums; ESP_NULL needs authentication
// and the AES-GCM/GMAC ciphers take none; a range's From is not above its
// To; the local and remote identities of a tunnel are of one IP version
// when both are addresses; group members are not listed twice.
//
// # Entities and DOCTYPE
//
// DecodeOptions.Entities holds the general entities of ikedb -e, name to
// replacement text; LoadEntities fills it from a file of <!ENTITY ...>
// declarations, reading SYSTEM and PUBLIC entities from files relative to
// it. Replacement text with markup is parsed where it is referenced, which
// is how one file includes another, and must hold whole elements; positions
// inside it are reported as the referencing line plus the entity and the
// line within it. Entities refer to one another freely; cycles, and
// expansions beyond 16 MiB per entity or 64 MiB per document, are errors.
// An external DOCTYPE is ignored; a DOCTYPE with an internal subset is an
// error (AIX says it "might" be), since ikedb -e is the supported way to
// declare entities. Input is UTF-8, US-ASCII or ISO-8859-1.
//
// Messages never show a preshared key.
package vpnxml
