package ikeconfig

import (
	"fmt"

	"github.com/ikemu/ikemu/pkg/boundedio"
)

// Error is the first error found in a configuration file.
type Error struct {
	Line  int    // line of the offending token
	Token string // the token as the daemon's lexer holds it (strings unquoted)
	Msg   string
}

// Error renders the line in.iked writes to its debug log.
func (e *Error) Error() string {
	return fmt.Sprintf("line %d near token '%s': %s.", e.Line, boundedio.Quote(e.Token), e.Msg)
}

// Warning is a complaint in.iked logs without rejecting the file.
type Warning struct {
	Line int
	Msg  string
}

// Message texts. Those in.iked has are reproduced byte for byte, including
// its typos ("doen't", the missing space in "forbegin").
const (
	msgSyntax           = "syntax error"
	msgNewlineInString  = "newline in quoted string"
	msgUnterminated     = "unterminated quoted string"
	msgStringOverflow   = "string overflow after 1024 bytes"
	msgNumberRange      = "number does not fit in 32 bits"
	msgTimerValue       = "illegal timer value"
	msgBadV4            = "illegal IPv4 address"
	msgBadV6            = "illegal IPv6 address"
	msgV4Range          = "invalid IPv4 range"
	msgV6Range          = "invalid IPv6 range"
	msgV4PrefixLen      = "invalid IPv4 prefix length"
	msgV6PrefixLen      = "invalid IPv6 prefix length"
	msgV4Netmask        = "invalid IPv4 netmask"
	msgV6Netmask        = "invalid IPv6 netmask"
	msgV4Mask           = "invalid IPv4 mask"
	msgMixedFamilies    = "Invalid combination of IPv4 and IPv6 addresses"
	msgV4Multicast      = "IPv4 multicast address not valid forbegin or end address"
	msgV6Multicast      = "IPv6 multicast address not valid forbegin or end address"
	msgV4Mapped         = "IPv4 mapped in IPv6 address not valid"
	msgV4Compat         = "IPv4 compatible in IPv6 address not valid"
	msgFamilyMismatch   = "local and remote addresses are not of the same address family"
	msgOutsideRule      = "cannot appear outside rule"
	msgDump             = "illegal use of reserved word D_U_M_P"
	msgPort             = "Port number must be in range (1 - 65535)"
	msgMultipleLabels   = "multiple rule labels"
	msgLabelTooLong     = "Label name too long"
	msgLabelIndicator   = "Only one label indicator allowed per rule"
	msgHasIDType        = "rule already has a local id type"
	msgHasPFS           = "Rule already has a PFS group"
	msgBadGroup         = "Unsupported Oakley group"
	msgHasEncr          = "phase 1 transform already has an encr algorithm"
	msgHasAuthAlg       = "phase 1 transform already has an auth algorithm"
	msgHasAuthMethod    = "phase 1 transform already has an auth method"
	msgHasGroup         = "phase 1 transform already has an Oakley group"
	msgHasLifetime      = "phase 1 transform already has a maximum lifetime"
	msgNeedEncr         = "phase 1 transform must specify an encr algorithm"
	msgNeedAuthAlg      = "phase 1 transform must specify an auth algorithm"
	msgNeedGroup        = "phase 1 transform must specify a Oakley group"
	msgNeedAuthMethod   = "phase 1 transform must specify an auth method"
	msgKeyRange         = "malformed encryption key range"
	msgAESKeySize       = "Invalid key size for AES"
	msgNonAESKeySize    = "Cannot specify key size on non-AES ciphers."
	msgBadEncr          = "malformed or invalid encryption algorithm"
	msgNeedLabel        = "rule requires a label"
	msgNeedLocalAddr    = "rule doesn't specify local address"
	msgNeedRemoteAddr   = "rule doesn't specify remote address"
	msgNeedXforms       = "rule doesn't specify any phase 1 transforms"
	msgPSKNoIDInherited = "preshared key authentication doen't allow identity specification"
	msgPSKNoID          = "preshared key authentication doesn't allow identity specification"
	msgPSKIDType        = "preshared key authentication requires identity type to be IP"
	msgAllOrNoPSK       = "all or no preshared phase 1 auth methods"
	msgNeedIDType       = "rule doesn't specify local id type"
	msgNeedLocalID      = "rule doesn't specify local identity"
	msgNeedRemoteID     = "rule doesn't specify remote identity"
	msgLabelNotUnique   = "rule label not unique"

	warnIgnoreCRLs = "Already specified ignore_crls"
	warnUseHTTP    = "Already specified use_http"
	warnProxy      = "Already specified proxy host"
	warnSocks      = "Already specified socks host"
	warnPKCS11     = "Already specified different PKCS#11 path"
)
