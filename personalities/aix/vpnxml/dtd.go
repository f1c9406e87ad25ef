package vpnxml

import _ "embed"

// dtdText is the DTD of the vocabulary, written from the attribute tables
// and content models; TestDTDMatchesDecoder keeps the two in step. A string,
// so that nobody can change it.
//
//go:embed aixvpn.dtd
var dtdText string

// DTD returns the DTD that describes what Decode accepts, as ikedb -o
// prints it. The domains a DTD cannot express (name syntax, number ranges,
// address forms) are listed in its opening comment.
func DTD() []byte { return []byte(dtdText) }
