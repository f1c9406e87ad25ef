package vpnxml

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Error is one problem found in an ikedb XML document. Decode returns the
// first one it meets; Validate returns all of them. Line is 0 for documents
// built in Go rather than read from text, and Error() then leaves it out.
type Error struct {
	Line       int    // line in the document (of the entity reference, for text that came from an entity)
	Entity     string // entity whose replacement text held the problem; "" when it was the document itself
	EntityLine int    // line inside that entity's replacement text
	Element    string // element the problem belongs to; "" for document-level problems
	Attribute  string // attribute the problem belongs to; "" when it is about the element
	Msg        string
}

// Error renders the problem on one line, most general part first, so that a
// list of them sorts and greps well:
//
//	line 12: IKETransform: attribute IKE_DHGroup: value "7" is not one of 1, 2, 5, 14, 19, 20, 24
//	line 4 (entity &tunnels;, line 9): IKETunnel: missing IKERemoteIdentity
func (e *Error) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
	}
	if e.Entity != "" {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("(entity &" + e.Entity + ";, line " + strconv.Itoa(e.EntityLine) + ")")
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Element != "" {
		b.WriteString(e.Element + ": ")
	}
	if e.Attribute != "" {
		b.WriteString("attribute " + e.Attribute + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// errAt builds an Error located at pos.
func errAt(pos Pos, elem, attr, msg string) *Error {
	return &Error{Line: pos.Line, Entity: pos.Entity, EntityLine: pos.EntityLine,
		Element: elem, Attribute: attr, Msg: msg}
}

// quotedText matches what messages quote: Go-quoted strings. Compiled on
// first use, not at every start of the binary.
var quotedText = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`"(?:[^"\\]|\\.)*"`) })

// withoutQuotes removes the quoted text of a message, and the detail of
// an XML syntax error (encoding/xml quotes names from the input there):
// the message belongs to a document that used another file's text.
func withoutQuotes(msg string) string {
	if strings.HasPrefix(msg, "XML syntax error") {
		return "XML syntax error (" + notShown + ")"
	}
	return quotedText().ReplaceAllLiteralString(msg, "("+notShown+")")
}

const notShown = "text not shown: the document uses a file named by a SYSTEM entity"
