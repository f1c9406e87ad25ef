package swan

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// Swanctl writes a host's phase 1 and phase 2 policies and preshared
// keys as strongSwan's swanctl.conf (IKEv1 connections and their ike
// secrets) into dir, which must not hold one yet. The file is 0600 when
// it holds keys. warn gets one line for each setting swanctl.conf
// cannot carry.
func Swanctl(h *engine.Host, dir string, warn func(string), wrote func(path string, n int)) error {
	conns, err := readConns(h, warn)
	if err != nil {
		return err
	}
	secrets, err := readSecrets(h, warn)
	if err != nil {
		return err
	}
	for _, c := range conns {
		if c.Auth == engine.AuthRSASig {
			warn(fmt.Sprintf("connection %s: its certificates and private key are not exported (place them in swanctl/x509 and swanctl/private)", c.Name))
		}
	}
	mode := os.FileMode(0o644)
	if len(secrets) != 0 {
		mode = 0o600
	}
	path := filepath.Join(dir, "swanctl.conf")
	if err := writeNew(path, mode, func(w io.Writer) { writeSwanctl(w, conns, secrets) }); err != nil {
		return err
	}
	wrote(path, len(conns)+len(secrets))
	return nil
}

func writeSwanctl(w io.Writer, conns []conn, secrets []secret) {
	io.WriteString(w, "connections {\n")
	for _, c := range conns {
		auth := "psk"
		if c.Auth == engine.AuthRSASig {
			auth = "pubkey"
		}
		fmt.Fprintf(w, "\t%s {\n\t\tversion = 1\n\t\taggressive = %s\n", c.Name, yesNo(c.Aggressive))
		fmt.Fprintf(w, "\t\tlocal_addrs = %s\n\t\tremote_addrs = %s\n", strings.Join(c.Local, ","), strings.Join(c.Remote, ","))
		fmt.Fprintf(w, "\t\tproposals = %s\n", strings.Join(c.Proposals, ","))
		if c.LifetimeSecs != 0 {
			// IKEv1 SAs are not rekeyed but reauthenticated; the
			// lifetime charon proposes is the reauthentication time.
			fmt.Fprintf(w, "\t\trekey_time = 0s\n\t\treauth_time = %ds\n", c.LifetimeSecs)
		}
		fmt.Fprintf(w, "\t\tlocal {\n\t\t\tauth = %s\n%s\t\t}\n", auth, idLine(c.Local))
		fmt.Fprintf(w, "\t\tremote {\n\t\t\tauth = %s\n%s\t\t}\n", auth, idLine(c.Remote))
		io.WriteString(w, "\t\tchildren {\n")
		for _, ch := range c.Children {
			writeSwanctlChild(w, ch)
		}
		io.WriteString(w, "\t\t}\n\t}\n")
	}
	io.WriteString(w, "}\n")
	if len(secrets) == 0 {
		return
	}
	io.WriteString(w, "secrets {\n")
	for i, s := range secrets {
		fmt.Fprintf(w, "\tike-%d {\n", i+1)
		n := 1
		if s.Local != "" {
			fmt.Fprintf(w, "\t\tid-%d = %s\n", n, s.Local)
			n++
		}
		fmt.Fprintf(w, "\t\tid-%d = %s\n\t\tsecret = %s\n\t}\n", n, s.Remote, secretText(s.Key))
	}
	io.WriteString(w, "}\n")
}

func writeSwanctlChild(w io.Writer, ch child) {
	mode := "tunnel"
	if ch.Transport {
		mode = "transport"
	}
	fmt.Fprintf(w, "\t\t\t%s {\n\t\t\t\tmode = %s\n", ch.Name, mode)
	if ch.LocalTS != "" {
		fmt.Fprintf(w, "\t\t\t\tlocal_ts = %s\n\t\t\t\tremote_ts = %s\n", ch.LocalTS, ch.RemoteTS)
	}
	if len(ch.ESP) != 0 {
		fmt.Fprintf(w, "\t\t\t\tesp_proposals = %s\n", strings.Join(ch.ESP, ","))
	}
	if len(ch.AH) != 0 {
		fmt.Fprintf(w, "\t\t\t\tah_proposals = %s\n", strings.Join(ch.AH, ","))
	}
	if ch.LifetimeSecs != 0 {
		rekey := ch.RekeySecs
		if rekey == 0 || rekey >= ch.LifetimeSecs {
			rekey = ch.LifetimeSecs / 10 * 9
		}
		fmt.Fprintf(w, "\t\t\t\tlife_time = %ds\n\t\t\t\trekey_time = %ds\n", ch.LifetimeSecs, rekey)
	}
	if ch.LifetimeBytes != 0 {
		fmt.Fprintf(w, "\t\t\t\tlife_bytes = %d\n", ch.LifetimeBytes)
	}
	if ch.RekeyBytes != 0 && ch.RekeyBytes < ch.LifetimeBytes {
		fmt.Fprintf(w, "\t\t\t\trekey_bytes = %d\n", ch.RekeyBytes)
	}
	if ch.IdleSecs != 0 {
		fmt.Fprintf(w, "\t\t\t\tinactivity = %ds\n", ch.IdleSecs)
	}
	start := "none"
	if ch.Start {
		start = "start"
	}
	fmt.Fprintf(w, "\t\t\t\tstart_action = %s\n\t\t\t}\n", start)
}

// idLine names a side by its address when it has exactly one.
func idLine(addrs []string) string {
	if len(addrs) != 1 || strings.ContainsAny(addrs[0], "/-") {
		return ""
	}
	return "\t\t\tid = " + addrs[0] + "\n"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// writeNew writes a new file (never an existing one), removing it again
// on failure.
func writeNew(path string, mode os.FileMode, write func(io.Writer)) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	w := bufio.NewWriter(f)
	write(w)
	err = w.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("export %s: %w", path, err)
	}
	return nil
}
