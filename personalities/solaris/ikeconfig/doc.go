// Package ikeconfig reads and writes the Solaris in.iked configuration
// file, /etc/inet/ike/config (ike.config).
//
// Parse reads a whole file the way in.iked does on start-up, on refresh,
// on "ikeadm read rule" and on "ikeadm add rule": global parameters
// first, then rules in braces. Each rule is completed when its closing
// brace is read (inheritance of global defaults, phase 2 lifetime sanity
// checks, authentication consistency) and becomes an engine.Phase1Policy
// with Origin "solaris" and KMCookie 0 (cookies belong to the store). The
// first error stops the parse and is returned as *Error, whose text is the
// daemon's debug log line "line <n> near token '<tok>': <msg>.".
//
// WriteRule renders one policy in the format of "ikeadm write rule".
//
// API beyond the minimum:
//
//   - ParseWith takes Options: in.iked never resets the global
//     p1_lifetime_secs default between loads, so a caller emulating
//     "add rule" passes the value File.P1LifetimeSecs of the previous load.
//   - File.Warnings holds the non-fatal complaints the daemon only logs
//     (repeated ignore_crls/use_http/proxy/socks, a different second
//     pkcs11_path, a second local_id_type in a rule).
//   - File.RetryTimerInit/RetryTimerMax carry the retry timers (also in
//     File.Global, which the engine stores for the wire's retransmits).
//
// Choices where the daemon is lenient or the specification leaves room:
//
//   - Range, prefix, netmask and mask errors of address specifications,
//     out-of-range nat_t_port values and D_U_M_P are fatal, although
//     in.iked only logs them and carries on with a garbage value.
//   - A newline inside a quoted string and an unterminated quoted string
//     are fatal; a backslash outside quotes is a syntax error (as in S11).
//   - Numbers that do not fit 32 bits are rejected instead of truncated.
//   - Trusted Extensions keywords (label_aware, wire_label, single_label,
//     multi_label) are parsed and ignored, as on a system without labels.
//   - Quoted strings are limited to 1023 bytes (lex's YYLMAX of 1024), so
//     the daemon's "Label name too long" limit of 4085 bytes can only be
//     hit by a bare-word label (lex would abort on such a token; here bare
//     words have no length limit).
//   - WriteRule escapes '"' and '\' inside quoted strings so that what it
//     writes reads back unchanged; the daemon writes them raw.
//   - A rule's unset phase 2 lifetimes are taken from the global values
//     after those have been through the sanity check themselves, as the
//     daemon does; so a rule that sets only p2_lifetime_secs keeps the
//     kilobyte lifetimes derived from 28800 s. The 90 % soft kilobyte
//     value is computed in 32 bits and wraps above 477218588 KB, as there.
//   - "name(…)" with something other than [lo]..[hi] inside is reported as
//     "malformed or invalid encryption algorithm" (the daemon's lexer
//     would report a syntax error at the parenthesis).
//   - A local/remote address family mismatch, which the daemon rejects
//     silently, reports "local and remote addresses are not of the same
//     address family". Messages the daemon has are reproduced byte for
//     byte, including its typos ("doen't", "forbegin").
package ikeconfig
