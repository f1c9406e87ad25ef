package vpnxml

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// declared is an element as the DTD or the decoder tables describe it.
type declared struct {
	Model string
	Attrs []string // "name type #REQUIRED|#IMPLIED"
}

func describe[T any](m model, specs []attr[T]) declared {
	d := declared{Model: m.dtdModel()}
	for _, s := range specs {
		def := "#IMPLIED"
		if s.req {
			def = "#REQUIRED"
		}
		d.Attrs = append(d.Attrs, s.name+" "+s.dtdType()+" "+def)
	}
	return d
}

// decoderElements describes every element from the tables Decode uses.
func decoderElements() map[string]declared {
	els := map[string]declared{
		"AIX_VPN":              describe(rootModel, rootAttrs),
		"IKEProtection":        describe(ikeProtectionModel, ikeProtectionAttrs),
		"IKETransform":         describe(nil, ikeTransformAttrs),
		"IKETunnel":            describe(ikeTunnelModel, ikeTunnelAttrs),
		"IKELocalIdentity":     describe(ikeLocalModel, ikeIdentityAttrs),
		"IKERemoteIdentity":    describe(ikeRemoteModel, ikeIdentityAttrs),
		"IKEPresharedKey":      describe(presharedKeyModel, presharedKeyAttrs),
		"PresharedKeyIdentity": describe(keyIdentityModel, keyIdentityAttrs),
		"IKEGroup":             describe(ikeGroupModel, ikeGroupAttrs),
		"IPSecProposal":        describe(proposalModel, ipsecProposalAttrs),
		"IPSecESPProtocol":     describe(nil, espAttrs),
		"IPSecAHProtocol":      describe(nil, ahAttrs),
		"IPSecProtection":      describe(nil, ipsecProtectionAttrs),
		"IPSecTunnel":          describe(ipsecTunnelModel, ipsecTunnelAttrs),
		"IPSecLocalIdentity":   describe(ipsecLocalModel, ipsecIdentityAttrs),
		"IPSecRemoteIdentity":  describe(ipsecRemoteModel, ipsecIdentityAttrs),
	}
	for _, t := range append(phase2IDs, FQDN, UserFQDN, X500DN, KeyID, GroupRef) {
		els[string(t)] = describe(nil, idAttrs(t))
	}
	// The model allows an empty proposal and the parser then requires ESP
	// or AH; the DTD says the same in one content model.
	p := els["IPSecProposal"]
	p.Model = "((IPSecESPProtocol,IPSecAHProtocol?)|IPSecAHProtocol)"
	els["IPSecProposal"] = p
	return els
}

var (
	dtdComment = regexp.MustCompile(`(?s)<!--.*?-->`)
	dtdElement = regexp.MustCompile(`(?s)<!ELEMENT\s+(\S+)\s+(.*?)>`)
	dtdAttlist = regexp.MustCompile(`(?s)<!ATTLIST\s+(\S+)(.*?)>`)
	dtdAttr    = regexp.MustCompile(`(\S+)\s+(\([^)]*\)|\S+)\s+(#REQUIRED|#IMPLIED)`)
	spaces     = regexp.MustCompile(`\s+`)
)

// parseDTD reads the declarations of the embedded DTD.
func parseDTD(t *testing.T) map[string]declared {
	text := dtdComment.ReplaceAllString(string(DTD()), "")
	els := map[string]declared{}
	for _, m := range dtdElement.FindAllStringSubmatch(text, -1) {
		if _, dup := els[m[1]]; dup {
			t.Errorf("DTD declares %s twice", m[1])
		}
		els[m[1]] = declared{Model: spaces.ReplaceAllString(m[2], "")}
	}
	for _, m := range dtdAttlist.FindAllStringSubmatch(text, -1) {
		d, ok := els[m[1]]
		if !ok {
			t.Errorf("DTD has an ATTLIST for undeclared element %s", m[1])
		}
		for _, a := range dtdAttr.FindAllStringSubmatch(m[2], -1) {
			d.Attrs = append(d.Attrs, a[1]+" "+a[2]+" "+a[3])
		}
		els[m[1]] = d
	}
	return els
}

func TestDTDMatchesDecoder(t *testing.T) {
	if diff := cmp.Diff(decoderElements(), parseDTD(t)); diff != "" {
		t.Errorf("DTD and decoder tables differ (-decoder +DTD):\n%s", diff)
	}
	if len(decoderElements()) != len(elementNames) {
		t.Errorf("decoder tables describe %d elements, the vocabulary has %d", len(decoderElements()), len(elementNames))
	}
	if !strings.HasPrefix(string(DTD()), "<!--") {
		t.Error("DTD does not start with its comment")
	}
	d := DTD()
	d[0] = 'x'
	if DTD()[0] != '<' {
		t.Error("DTD() lets callers change the DTD")
	}
}
