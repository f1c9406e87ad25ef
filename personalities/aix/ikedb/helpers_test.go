package ikedb

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

// testLab is a lab for running ikedb in-process.
type testLab struct {
	tb  testing.TB
	dir string // working directory; the lab is dir/lab
}

func newTestLab(tb testing.TB) *testLab {
	return &testLab{tb: tb, dir: tb.TempDir()}
}

func (e *testLab) proc(stdin io.Reader, stdout, stderr io.Writer) *proc.Proc {
	env := map[string]string{"IKEMU_LAB": filepath.Join(e.dir, "lab")}
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	return &proc.Proc{Stdin: stdin, Stdout: stdout, Stderr: stderr, Dir: e.dir,
		Getenv: func(k string) string { return env[k] }, UID: os.Geteuid()}
}

// run runs ikedb with a converter and returns stdout, stderr and the status.
func (e *testLab) runWith(conv converter, args ...string) (string, string, int) {
	var out, errw bytes.Buffer
	code := mainWith(args, e.proc(nil, &out, &errw), conv)
	return out.String(), errw.String(), code
}

func (e *testLab) run(args ...string) (string, string, int) { return e.runWith(nil, args...) }

// ok runs ikedb and fails the test unless it succeeds silently on stderr.
func (e *testLab) ok(args ...string) string {
	e.tb.Helper()
	out, errs, code := e.run(args...)
	if code != 0 || errs != "" {
		e.tb.Fatalf("ikedb %v: exit %d, stderr:\n%s", args, code, errs)
	}
	return out
}

func (e *testLab) write(name, text string) string {
	e.tb.Helper()
	path := filepath.Join(e.dir, name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		e.tb.Fatal(err)
	}
	return path
}

// host runs fn on the lab's local host in one transaction.
func (e *testLab) host(fn func(*engine.Host) error) {
	e.tb.Helper()
	l, err := lab.Open(e.proc(nil, io.Discard, io.Discard), nil)
	if err != nil {
		e.tb.Fatal(err)
	}
	if err := l.Host(fn); err != nil {
		e.tb.Fatal(err)
	}
}

// genDoc is a database of n phase 1 tunnels, each with a preshared
// key and a phase 2 tunnel, over a few protections and proposals: the
// size ikedb must handle quickly.
func genDoc(n int) *vpnxml.Document {
	const policies = 10
	doc := &vpnxml.Document{Version: "2.0"}
	for i := range policies {
		doc.IKEProtections = append(doc.IKEProtections, vpnxml.IKEProtection{
			Name: fmt.Sprintf("P1Pol%d", i), Role: vpnxml.Both, XchgMode: vpnxml.Main, KeyOverlap: vpnxml.IntOf(5),
			Transforms: []vpnxml.IKETransform{{Encryption: vpnxml.IKEAES, KeyLength: 256, Hash: vpnxml.HashSHA,
				DHGroup: 14, AuthMethod: vpnxml.PresharedKey, KeyRefreshMinutes: vpnxml.IntOf(480)}},
		})
		doc.IPSecProposals = append(doc.IPSecProposals, vpnxml.IPSecProposal{Name: fmt.Sprintf("P2Prop%d", i),
			ESP: &vpnxml.ESPProtocol{Encryption: vpnxml.ESPAES, Authentication: vpnxml.HMACSHA,
				EncapsulationMode: vpnxml.Tunnel, KeyRefreshMinutes: vpnxml.IntOf(60)}})
		doc.IPSecProtections = append(doc.IPSecProtections, vpnxml.IPSecProtection{Name: fmt.Sprintf("P2Pol%d", i),
			ProposalRefs: []string{fmt.Sprintf("P2Prop%d", i)}, Role: vpnxml.Both,
			InitiatorDHGroup: vpnxml.NoPFS, ResponderDHGroup: vpnxml.NoPFS})
	}
	for i := range n {
		local := netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)})
		remote := netip.AddrFrom4([4]byte{10, 2, byte(i >> 8), byte(i)})
		p1 := fmt.Sprintf("P1Tun%05d", i)
		doc.IKETunnels = append(doc.IKETunnels, vpnxml.IKETunnel{
			Name: p1, ProtectionRef: fmt.Sprintf("P1Pol%d", i%policies), AutoStart: vpnxml.No,
			Local:  vpnxml.IKEIdentity{ID: vpnxml.ID{Type: vpnxml.IPv4Address, Addr: local}},
			Remote: vpnxml.IKEIdentity{ID: vpnxml.ID{Type: vpnxml.IPv4Address, Addr: remote}},
		})
		doc.PresharedKeys = append(doc.PresharedKeys, vpnxml.IKEPresharedKey{
			Value: fmt.Sprintf("secret-%05d", i), Format: vpnxml.ASCII,
			Identity: vpnxml.KeyIdentity{ID: vpnxml.ID{Type: vpnxml.IPv4Address, Addr: remote}},
		})
		doc.IPSecTunnels = append(doc.IPSecTunnels, vpnxml.IPSecTunnel{
			Name: fmt.Sprintf("P2Tun%05d", i), IKETunnelName: p1,
			ProtectionRef: fmt.Sprintf("P2Pol%d", i%policies), AutoStart: vpnxml.No,
			Local:  vpnxml.IPSecIdentity{ID: vpnxml.ID{Type: vpnxml.IPv4Subnet, Addr: local, Mask: netip.MustParseAddr("255.255.255.0")}},
			Remote: vpnxml.IPSecIdentity{ID: vpnxml.ID{Type: vpnxml.IPv4Address, Addr: remote}},
		})
	}
	return doc
}

// writeDoc writes doc in the -g layout to a file of the test directory
// and returns its path.
func (e *testLab) writeDoc(name string, doc *vpnxml.Document) string {
	e.tb.Helper()
	var b bytes.Buffer
	if err := vpnxml.Write(&b, doc); err != nil {
		e.tb.Fatal(err)
	}
	return e.write(name, b.String())
}
