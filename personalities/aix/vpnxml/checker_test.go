package vpnxml

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checkEach is ikedb -p's first pass: DecodeEach into a Checker.
func checkEach(t *testing.T, s string) []string {
	t.Helper()
	c := NewChecker(nil)
	root, err := DecodeEach(strings.NewReader(s), DecodeOptions{}, func(d *Document) error {
		c.Add(d)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c.Root(root)
	return errStrings(c.Errors())
}

// TestCheckerFindsWhatValidateFinds feeds documents one definition at a
// time, with forward references and problems sharing a line, and expects
// Validate's problems of the whole document in Validate's order.
func TestCheckerFindsWhatValidateFinds(t *testing.T) {
	docs := []string{
		// everything on one line: the order within a line is Validate's
		wrap(`<IPSecTunnel IPSec_TunnelName="t2" IKE_TunnelName="later" IPSec_ProtectionRef="nope"><IPSecLocalIdentity><IPV4_Address Value="10.0.0.1"/></IPSecLocalIdentity><IPSecRemoteIdentity><IKEGroupRef IKE_GroupName="g"/></IPSecRemoteIdentity></IPSecTunnel><IKETunnel IKE_TunnelName="later" IKE_ProtectionRef="p"><IKELocalIdentity><IPV4_Address Value="10.0.0.1"/></IKELocalIdentity><IKERemoteIdentity><IPV6_Address Value="::1"/></IKERemoteIdentity></IKETunnel><IKETunnel IKE_TunnelName="later" IKE_ProtectionRef="q"><IKELocalIdentity><IPV4_Address Value="10.0.0.1"/></IKELocalIdentity><IKERemoteIdentity><IPV4_Address Value="10.0.0.2"/></IKERemoteIdentity></IKETunnel><IKEGroup IKE_GroupName="g"><FQDN Value="a.example"/></IKEGroup>`),
		wrap("\n" + `<IKEPresharedKey Value="ab" Format="Hex"><PresharedKeyIdentity><IPV4_Address Value="10.0.0.2"/></PresharedKeyIdentity></IKEPresharedKey>` +
			"\n" + `<IKEPresharedKey Value="zz" Format="Hex"><PresharedKeyIdentity><IPV4_Address Value="10.0.0.2"/></PresharedKeyIdentity></IKEPresharedKey>`),
		writeString(t, genDoc(20)),
	}
	for i, s := range docs {
		want := errStrings(Validate(decodeString(t, s, DecodeOptions{}), nil))
		got := checkEach(t, s)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("document %d: -Validate +Checker:\n%s", i, diff)
		}
		if i == 0 && len(want) < 4 {
			t.Errorf("document 0 finds only %q", want)
		}
	}
}

func TestCheckerTellsForwardReferences(t *testing.T) {
	prot := `<IPSecProposal IPSec_ProposalName="x"><IPSecESPProtocol ESP_Encryption="ESP_AES" ESP_KeyLength="128" ESP_Authentication="HMAC-SHA"/></IPSecProposal>`
	ref := `<IPSecProtection IPSec_ProtectionName="p" IPSec_ProposalRefs="x"/>`
	for _, c := range []struct {
		doc  string
		want bool
	}{{wrap(prot + ref), false}, {wrap(ref + prot), true}} {
		k := NewChecker(nil)
		if _, err := DecodeEach(strings.NewReader(c.doc), DecodeOptions{}, func(d *Document) error {
			k.Add(d)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if errs := k.Errors(); errs != nil {
			t.Fatal(errStrings(errs))
		}
		if k.Forward() != c.want {
			t.Errorf("Forward() = %v, want %v", !c.want, c.want)
		}
	}
}
