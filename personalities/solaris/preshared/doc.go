// Package preshared reads and writes the Solaris in.iked preshared key file
// (/etc/inet/secret/ike.preshared) and parses the inline definition that
// ikeadm accepts in interactive mode (add preshared { ... }).
//
// The behaviour follows the S11 in.iked and ikeadm parsers described in
// section 6 of the Solaris ikeadm reference (spec/solaris-ikeadm.md), with
// the output format of section 2.15 and the storage rules of section 2.10.
//
// # API
//
//   - Parse reads a whole file and returns its entries in file order, plus
//     the warnings the daemon would print on its stderr. Errors are *Error
//     values carrying the daemon's verbatim message and a line number.
//   - WriteKey writes one entry the way `ikeadm write preshared` makes the
//     daemon write it.
//   - ParseInline parses the tokens after `add preshared` typed at the
//     ikeadm prompt. Failures are *InlineError (printed by ikeadm as
//     `invalid preshared key definition`) or ErrMultipleAddrs.
//   - ParseKey parses the hex key form shared by both parsers.
//   - MatchAddrs and MatchIdents implement the lookups of
//     `get|del preshared` by address pair and by identity pair.
//   - IdentKind maps the identity keywords of ikeadm to engine.IDKind.
//
// # What is stored
//
// File entries always have address identities. LocalIDType is IDIPv4 or
// IDIPv6 (an `IP` type becomes IPv6 when the value contains a colon),
// LocalAddr is the resolved address (not masked), LocalPlen is the /n
// suffix or -1, and LocalText is the value exactly as written, which is
// what WriteKey reproduces. Mode is always engine.XchgBase: the daemon
// forces "main" and stores it as its own code 1, which ikeadm renders as
// "base". Origin is "solaris".
//
// Inline entries store the exchange code ikeadm sends (none: XchgBase,
// main: XchgMain, aggressive: XchgAggressive, both: XchgMainAndAggr).
// Address identities (types ip, ipv4, ipv6) are resolved; LocalText stays
// empty because the daemon keeps only the socket address, so WriteKey
// prints the numeric address. Other identity types keep the value verbatim
// in LocalID; prefix and range types become the IPv6 variant when the
// value contains a colon (the daemon itself keeps no family for them).
//
// # Decisions where the specification is silent or the original misbehaves
//
//   - A file entry without `key` loads with an empty key (nil, 0 bits), as
//     the daemon does; the caller may reject it. Likewise an inline `key`
//     whose value yields no digits parses; the daemon rejects zero-length
//     inline keys with "Request invalid", which is the caller's business.
//   - Lines are read as fgets with a 1024-byte buffer reads them: a line
//     longer than 1023 bytes is split into several lines (each counted for
//     Error.Line), and a NUL byte ends a line's text. Only space, tab and
//     newline separate tokens, so a CR of a CRLF file stays in the token.
//   - An opening brace glued to the next token (`{localidtype`) is accepted,
//     but, as in the daemon, only that token is rescanned and the rest of
//     its line is dropped. Put the brace alone or glue it to the last token
//     of its line.
//   - End of input inside an entry is not an error: the daemon silently
//     drops the unterminated entry.
//   - Address families must agree both by the presence of ':' in the two
//     values (the daemon's test) and by the resolved families (added so
//     that a name never yields a mixed-family entry).
//   - "Local Id can only be an IP address" and its remote twin cannot occur:
//     every accepted type keyword is an IP type.
//   - Negative bit counts (`key ab/-1`) are "Invalid Bit Specifier"; the
//     original wraps them to huge unsigned values and corrupts memory.
//   - Inline prefix lengths follow atoi: `/0` or a non-numeric suffix means
//     no prefix. A prefix longer than the address is rejected (the original
//     sends it and the daemon later reads past the address).
//   - Inline address entries without a prefix get LocalPlen -1. The S11
//     daemon stores 0 there, which makes such entries match every address
//     pair; that quirk is not reproduced.
//   - WriteKey prints the type of a non-address identity (possible only for
//     inline entries) as "(null)": the daemon's type-name table has no entry
//     for it and it hands NULL to printf; "(null)" is what a tolerant C
//     library prints (a strict one would crash the daemon). Such a file
//     cannot be read back ("Invalid Local Id type"), as with the daemon.
//
// Nothing here prints; callers decide what reaches stdout and stderr.
package preshared
