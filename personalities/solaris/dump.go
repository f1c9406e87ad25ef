package solaris

import (
	"bufio"
	"fmt"
	"io"

	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/pkg/engine"
)

// dumping makes a dump handler: the table goes to standard output through
// one buffer, and is ended (or, on error, named) by the object's noun.
func dumping(write func(s *session, w io.Writer) error) handler {
	return func(s *session, o *object, _ []string) error {
		w := bufio.NewWriterSize(s.out, 64<<10)
		defer w.Flush()
		if err := write(s, w); err != nil {
			w.Flush()
			return fatalDoor("error getting "+o.noun+": %s", err)
		}
		fmt.Fprintf(w, "\nCompleted dump of %s\n", o.noun)
		return nil
	}
}

func (s *session) dumpGroups(w io.Writer) error {
	return s.dumpStatic("IKE_SVC_DUMP_GROUPS", w, writeGroups)
}

func (s *session) dumpEncrAlgs(w io.Writer) error {
	return s.dumpStatic("IKE_SVC_DUMP_ENCRALGS", w, writeEncrAlgs)
}

func (s *session) dumpAuthAlgs(w io.Writer) error {
	return s.dumpStatic("IKE_SVC_DUMP_AUTHALGS", w, writeAuthAlgs)
}

func (s *session) dumpRules(w io.Writer) error {
	return s.doorRead("IKE_SVC_DUMP_RULES", func(h *engine.Host) error {
		return h.Policies().ScanPhase1(func(p *engine.Phase1Policy) error { return writeRule(w, p) })
	})
}

func (s *session) dumpPreshared(w io.Writer) error {
	return s.doorRead("IKE_SVC_DUMP_PS", func(h *engine.Host) error {
		d, err := h.Daemons().IKE()
		if err != nil {
			return err
		}
		if d.Priv < engine.PrivModKeys {
			return daemonErr(ikeErrNoPriv)
		}
		return h.Keys().Scan(func(_ engine.PSKRef, k *engine.PresharedKey) error {
			return s.writePreshared(w, h, k, d.Priv >= engine.PrivKeymat)
		})
	})
}

func (s *session) dumpP1(w io.Writer) error {
	return s.doorRead("IKE_SVC_DUMP_P1S", func(h *engine.Host) error {
		return h.SAs().ScanPhase1(func(sa *engine.Phase1SA) error { return s.writeP1(w, h, sa) })
	})
}

// dumpStatic prints a table whose header precedes the door requests.
func (s *session) dumpStatic(svc string, w io.Writer, write func(io.Writer)) error {
	return s.doorRead(svc, func(h *engine.Host) error {
		write(w)
		return nil
	})
}

var ikeGroups = []struct {
	n, strength int
	label       string
}{
	{1, 66, "ietf-ike-grp-modp-768"}, {2, 77, "ietf-ike-grp-modp-1024"},
	{5, 91, "ietf-ike-grp-modp-1536"}, {14, 110, "ietf-ike-grp-modp-2048"},
	{15, 130, "ietf-ike-grp-modp-3072"}, {16, 150, "ietf-ike-grp-modp-4096"},
	{17, 170, "ietf-ike-grp-modp-6144"}, {18, 190, "ietf-ike-grp-modp-8192"},
	{19, 190, "ietf-ike-grp-ecp-256"}, {20, 200, "ietf-ike-grp-ecp-384"},
	{21, 210, "ietf-ike-grp-ecp-521"}, {22, 80, "ietf-ike-grp-modp-1024-160"},
	{23, 120, "ietf-ike-grp-modp-2048-224"}, {24, 129, "ietf-ike-grp-modp-2048-256"},
	{25, 192, "ietf-ike-grp-ecp-192"}, {26, 224, "ietf-ike-grp-ecp-224"},
}

const ianaLine = "The values match the IPsec attribute assigned numbers published by IANA\n\n"

func writeGroups(w io.Writer) {
	io.WriteString(w, "\nList of Diffie-Hellman groups for setting up IKE SAs\n"+ianaLine)
	fmt.Fprintf(w, "%-6s%-9s%-50s\n", "Value", "Strength", "Description")
	for _, g := range ikeGroups {
		fmt.Fprintf(w, "%-6d%-9d%-50s\n", g.n, g.strength, g.label)
	}
}

func writeEncrAlgs(w io.Writer) {
	io.WriteString(w, "\nList of encryption algorithms for IKE\n"+ianaLine)
	fmt.Fprintf(w, "%-6s%-20s%-15s\n", "Value", "Name", "Keylen range")
	for _, a := range []struct {
		v          int
		name, keys string
	}{{3, "blowfish-cbc", "N/A"}, {5, "3des-cbc", "N/A"}, {1, "des-cbc", "N/A"}, {7, "aes-cbc", "128-256"}} {
		fmt.Fprintf(w, "%-6d%-20s%-15s\n", a.v, a.name, a.keys)
	}
}

func writeAuthAlgs(w io.Writer) {
	io.WriteString(w, "\nList of authentication algorithms for IKE\n"+ianaLine)
	fmt.Fprintf(w, "%-6s%-20s\n", "Value", "Name")
	for _, a := range []struct {
		v    int
		name string
	}{{1, "md5"}, {2, "sha1"}, {4, "sha256"}, {5, "sha384"}, {6, "sha512"}} {
		fmt.Fprintf(w, "%-6d%-20s\n", a.v, a.name)
	}
}

func (s *session) flushP1() error {
	err := s.door("IKE_SVC_FLUSH_P1S", func(h *engine.Host) error { return h.SAs().FlushPhase1() })
	if err != nil {
		return fatalDoor("error doing flush: %s", err)
	}
	s.message("Successfully flushed P1 SAs.")
	return nil
}

func (s *session) flushCerts() error {
	if err := s.flushCertCache(); err != nil {
		return fatalDoor("error doing flush: %s", err)
	}
	s.message("Successfully flushed cert cache.")
	return nil
}

func (s *session) rbdump() error {
	err := s.door("IKE_SVC_DBG_RBDUMP", func(h *engine.Host) error {
		n := 0
		err := h.Policies().ScanPhase1(func(p *engine.Phase1Policy) error {
			daemonlog.Debug(h, engine.DebugPolicy, "rulebase entry %d: label %q", n, p.Label)
			n++
			return nil
		})
		daemonlog.Debug(h, engine.DebugPolicy, "rulebase holds %d rules", n)
		return err
	})
	if err != nil {
		return fatalDoor("error doing flush: %s", err)
	}
	s.message("Successfully dumped rulebase; check iked dbg")
	return nil
}
