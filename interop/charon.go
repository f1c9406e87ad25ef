package interop

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// CharonPath is Debian's charon (package strongswan-charon).
const CharonPath = "/usr/lib/ipsec/charon"

// startTimeout bounds how long charon may take to open its vici socket;
// stopTimeout how long it may take to leave after SIGTERM before SIGKILL.
const (
	startTimeout = 15 * time.Second
	stopTimeout  = 5 * time.Second
)

// Charon is one charon process in a namespace, with a private
// strongswan.conf, swanctl directory, log file and vici socket, all under
// Dir.
type Charon struct {
	NS   string
	Dir  string
	cmd  *exec.Cmd
	done chan error
}

// charonPlugins: what the suite's algorithms need (openssl for 3DES and the
// ECP groups), vici for swanctl, kernel-netlink and socket-default for the
// wire. Loading an explicit list keeps /etc/strongswan.d out of the test.
const charonPlugins = "random nonce openssl aes sha1 sha2 md5 hmac gmp pem pkcs1 pkcs8 x509 pubkey revocation constraints kernel-netlink socket-default vici"

// strongswanConf is charon's private configuration: its log at ike level 4
// (the IKEv1 keys), no syslog, the vici socket under dir, aggressive mode
// with PSK allowed (the suite tests it), short retransmits so a silent
// peer fails fast.
func strongswanConf(dir string) string {
	return fmt.Sprintf(`charon {
	load = %s
	install_routes = no
	install_virtual_ip = no
	i_dont_care_about_security_and_use_aggressive_mode_psk = yes
	retransmit_tries = 2
	retransmit_timeout = 1.0
	retransmit_base = 1.4
	filelog {
		interop {
			path = %s
			default = 1
			ike = 4
			chd = 4
			flush_line = yes
			time_format = %%s
		}
	}
	syslog {
		daemon {
			default = -1
		}
	}
	plugins {
		vici {
			socket = unix://%s
		}
	}
}
`, charonPlugins, filepath.Join(dir, "charon.log"), filepath.Join(dir, "charon.vici"))
}

// CharonAvailable says why charon cannot run here, or "" when it can.
func CharonAvailable() string {
	if os.Geteuid() != 0 {
		return "interop: needs root (network namespaces, UDP port 500)"
	}
	for _, p := range []string{CharonPath} {
		if _, err := os.Stat(p); err != nil {
			return "interop: strongSwan's charon is not installed (" + p + ")"
		}
	}
	for _, c := range []string{"swanctl", "ip", "unshare"} {
		if _, err := exec.LookPath(c); err != nil {
			return "interop: " + c + " is not installed"
		}
	}
	return ""
}

// StartCharon starts charon in namespace ns with its files under dir and
// waits until swanctl reaches it.
func StartCharon(ns, dir string) (*Charon, error) {
	for _, d := range []string{"swanctl/x509", "swanctl/x509ca", "swanctl/private", "swanctl/rsa", "run"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			return nil, fmt.Errorf("charon dir: %w", err)
		}
	}
	conf := filepath.Join(dir, "strongswan.conf")
	if err := os.WriteFile(conf, []byte(strongswanConf(dir)), 0o600); err != nil {
		return nil, fmt.Errorf("charon conf: %w", err)
	}
	// charon's pid file is fixed at /var/run/charon.pid: a private mount
	// namespace with dir/run over /run lets two charons (and a system one)
	// live side by side.
	script := fmt.Sprintf("mount --bind %q /run && exec %q", filepath.Join(dir, "run"), CharonPath)
	cmd := exec.Command("ip", "netns", "exec", ns, "unshare", "--mount", "--propagation", "private", "sh", "-c", script)
	cmd.Env = append(os.Environ(), "STRONGSWAN_CONF="+conf)
	out, err := os.Create(filepath.Join(dir, "charon.stderr"))
	if err != nil {
		return nil, fmt.Errorf("charon stderr: %w", err)
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start charon: %w", err)
	}
	c := &Charon{NS: ns, Dir: dir, cmd: cmd, done: make(chan error, 1)}
	go func() { c.done <- cmd.Wait() }()
	deadline := time.Now().Add(startTimeout)
	for {
		if _, err := c.Swanctl("--stats"); err == nil {
			return c, nil
		}
		select {
		case err := <-c.done:
			c.done <- err
			return nil, fmt.Errorf("charon exited at start (%v): %s", err, c.tail("charon.stderr"))
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			c.Stop()
			return nil, fmt.Errorf("charon did not open its vici socket within %v: %s", startTimeout, c.tail("charon.stderr"))
		}
	}
}

// Swanctl runs swanctl against this charon.
func (c *Charon) Swanctl(args ...string) (string, error) {
	args = append(args, "--uri", "unix://"+filepath.Join(c.Dir, "charon.vici"))
	return runEnv([]string{
		"STRONGSWAN_CONF=" + filepath.Join(c.Dir, "strongswan.conf"),
		"SWANCTL_DIR=" + filepath.Join(c.Dir, "swanctl"),
	}, "swanctl", args...)
}

// Load writes swanctl.conf (mode 0600: it holds secrets) and loads it
// with everything in the swanctl directory.
func (c *Charon) Load(swanctlConf string) error {
	p := filepath.Join(c.Dir, "swanctl", "swanctl.conf")
	if err := os.WriteFile(p, []byte(swanctlConf), 0o600); err != nil {
		return fmt.Errorf("swanctl.conf: %w", err)
	}
	_, err := c.Swanctl("--load-all", "--clear", "--file", p, "--noprompt")
	return err
}

// Log is charon's log so far.
func (c *Charon) Log() string {
	b, _ := os.ReadFile(filepath.Join(c.Dir, "charon.log"))
	return string(b)
}

// Stop ends charon: SIGTERM, then SIGKILL after stopTimeout. Stopping a
// stopped charon does nothing.
func (c *Charon) Stop() {
	if c.cmd.Process == nil {
		return
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-c.done:
		c.done <- err
		return
	case <-time.After(stopTimeout):
	}
	_ = c.cmd.Process.Kill()
	select {
	case err := <-c.done:
		c.done <- err
	case <-time.After(stopTimeout):
	}
}

func (c *Charon) tail(name string) string {
	b, err := os.ReadFile(filepath.Join(c.Dir, name))
	if err != nil {
		return err.Error()
	}
	s := strings.TrimSpace(string(b))
	if len(s) > 2000 {
		s = s[len(s)-2000:]
	}
	return s
}

// errNoKeys: the log holds no IKEv1 phase 1 keys.
var errNoKeys = errors.New("charon logged no IKEv1 keys")
