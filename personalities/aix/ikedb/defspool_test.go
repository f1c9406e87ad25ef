package ikedb

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
)

// A load keeps what it read in an unnamed file: nothing is left in the
// temporary directory, after a load that stored its document or one
// that refused it, from a file or from standard input.
func TestLoadLeavesNoFileBehind(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	e := newTestLab(t)
	good := e.writeDoc("db.xml", genDoc(20))
	e.ok("-p", good)
	bad := e.write("bad.xml", strings.Replace(mustRead(t, good), `IKE_ProtectionRef="P1Pol3"`, `IKE_ProtectionRef="Nope"`, 1))
	if _, errs, code := e.run("-pF", bad); code != 1 || !strings.Contains(errs, `no IKEProtection named "Nope"`) {
		t.Fatalf("ikedb -pF of a bad document: exit %d, %q", code, errs)
	}
	var errw bytes.Buffer
	if code := mainWith([]string{"-pF"}, e.proc(strings.NewReader(mustRead(t, good)), io.Discard, &errw), nil); code != 0 {
		t.Fatalf("ikedb -pF < file: exit %d, %s", code, errw.String())
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range left {
		t.Errorf("left in the temporary directory: %s", f.Name())
	}
}

// A document read back twice (a reference to a definition further on)
// in several batches is stored as it was written.
func TestLoadForwardReferenceInBatches(t *testing.T) {
	doc := genDoc(loadBatch) // three times loadBatch definitions
	// The Writer puts IKE protections first: a default protection
	// refers forward to an IPSec protection.
	const def = "_defIPSprot_0"
	doc.IPSecProtections[0].Name = def
	for i := range doc.IPSecTunnels {
		if doc.IPSecTunnels[i].ProtectionRef == "P2Pol0" {
			doc.IPSecTunnels[i].ProtectionRef = def
		}
	}
	doc.IKEProtections[0].DefaultProtectionRef = def
	doc.IKEProtections[0].DefaultAllowedTypes = []vpnxml.AllowedType{"Local_IPV4_Address"}
	e := newTestLab(t)
	e.ok("-p", e.writeDoc("db.xml", doc))
	var b bytes.Buffer
	if err := vpnxml.Write(&b, doc); err != nil {
		t.Fatal(err)
	}
	if got := e.ok("-g"); got != b.String() {
		t.Errorf("-g differs from the document put")
	}
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
