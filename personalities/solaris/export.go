package solaris

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ikemu/ikemu/personalities/solaris/preshared"
	"github.com/ikemu/ikemu/pkg/engine"
)

// Export writes a host's phase 1 policies and preshared keys, whichever
// personality defined them, as the ike.config and ike.preshared that
// in.iked reads, into dir (which must not hold them yet). The keys are
// written only when the host's in.iked runs at privilege keymat, as
// ikeadm write preshared requires, and their file is 0600. warn gets one
// line for each thing the Solaris files cannot carry, and wrote the
// path and number of definitions of each file written.
func Export(h *engine.Host, dir string, warn func(string), wrote func(path string, n int)) error {
	path := filepath.Join(dir, "ike.config")
	n, err := exportFile(path, 0o644, func(w io.Writer) (int, error) { return saveRules(h, w) })
	if err != nil {
		return err
	}
	wrote(path, n)
	if err := requirePriv(h, engine.PrivKeymat); err != nil {
		warn("preshared keys not exported: in.iked does not run at privilege keymat")
	} else {
		path := filepath.Join(dir, "ike.preshared")
		n, err := exportFile(path, 0o600, func(w io.Writer) (int, error) {
			n := 0
			err := h.Keys().Scan(func(_ engine.PSKRef, k *engine.PresharedKey) error {
				n++
				return preshared.WriteKey(w, anyLocalAsPrefix(k))
			})
			return n, err
		})
		if err != nil {
			return err
		}
		wrote(path, n)
	}
	return h.Policies().ScanPhase2(func(p *engine.Phase2Policy) error {
		warn(fmt.Sprintf("phase 2 definition %q: its traffic selectors and proposals have no place in ike.config (its PFS group and lifetimes are in rule %q)", p.Name, p.Phase1))
		return nil
	})
}

// exportFile writes a new file with write, removing it again on failure.
func exportFile(path string, mode os.FileMode, write func(io.Writer) (int, error)) (int, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	w := bufio.NewWriter(f)
	n, err := write(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return 0, fmt.Errorf("export %s: %w", path, err)
	}
	return n, nil
}

// anyLocalAsPrefix spells a key's "any local address" side (AIX keys
// name only the peer; the engine holds the local side as the unspecified
// address with prefix length 0) as the prefix 0.0.0.0/0 or ::/0, which
// ike.preshared reads back as the same. ikeadm write preshared, which
// prints what in.iked would, leaves the prefix out.
func anyLocalAsPrefix(k *engine.PresharedKey) *engine.PresharedKey {
	if k.LocalPlen != 0 || !k.LocalAddr.IsUnspecified() || k.LocalText != "" {
		return k
	}
	c := *k
	c.LocalText = k.LocalAddr.String() + "/0"
	return &c
}
