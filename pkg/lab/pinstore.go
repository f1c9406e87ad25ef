package lab

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
)

// pinStore keeps the PINs of token logins where they cannot reach
// persistent storage: one 0600 file per login in a 0700 directory
// "ikemu" under $XDG_RUNTIME_DIR, or under /run for root without one.
// The directory must be on tmpfs or ramfs (checked with statfs); anywhere
// else a login fails instead of falling back to disk.
//
// Why files in the runtime directory rather than the kernel keyring: the
// runtime directory is the user's own, emptied at logout and at every
// boot, the same for every terminal and sudo-less shell of the user, and
// a test (or an administrator) can point XDG_RUNTIME_DIR elsewhere and
// look. The keyring's scope depends on how the session was started
// (session, user and user-session keyrings differ across ssh, su, cron
// and systemd services, so a PIN stored by one command may be invisible
// to the next), container runtimes commonly forbid keyctl in their
// seccomp profiles, and whatever a failed run leaves behind survives
// until the user's last process exits. tmpfs pages can be swapped like
// any process memory; a machine that must not swap secrets should use
// encrypted or no swap, as it must for in.iked's own memory.
//
// A file's name is a hash of the lab directory, the daemon run (host,
// PID, start time) and the token label: a PIN is only ever found by the
// login that stored it, and a later run, another lab or a lab re-created
// at the same place finds nothing.
type pinStore struct {
	base string // $XDG_RUNTIME_DIR, or /run for root; "" when neither
	lab  string // the lab directory, absolute
}

// maxPIN bounds a PIN file: PKCS#11 tokens take PINs of tens of bytes.
const maxPIN = 1024

// Magic numbers of the memory-only file systems (linux/magic.h).
const (
	tmpfsMagic = 0x01021994
	ramfsMagic = 0x858458f6
)

func newPINStore(getenv func(string) string, labDir string) pinStore {
	abs, err := filepath.Abs(labDir)
	if err != nil {
		abs = labDir
	}
	base := getenv("XDG_RUNTIME_DIR")
	if base == "" && os.Geteuid() == 0 {
		base = "/run"
	}
	return pinStore{base: base, lab: abs}
}

func (p pinStore) dir() string { return filepath.Join(p.base, "ikemu") }

// labPrefix starts the name of every PIN file of the lab, runPrefix of
// every one of a daemon run.
func (p pinStore) labPrefix() string { return "pin-" + shortHash(p.lab) + "-" }

func (p pinStore) runPrefix(r engine.DaemonRun) string {
	return p.labPrefix() + shortHash(r.Host, strconv.Itoa(r.PID), r.Started.UTC().Format(time.RFC3339Nano)) + "-"
}

func (p pinStore) path(s engine.PINSlot) string {
	return filepath.Join(p.dir(), p.runPrefix(s.Run)+shortHash(s.Token))
}

// shortHash is 64 bits of SHA-256 over parts: enough to keep names of
// one user's labs and logins apart, and no label or path in a name.
func shortHash(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:8])
}

// Store keeps pin for slot, replacing what it held: written to a new
// 0600 file, then renamed over the old one.
func (p pinStore) Store(s engine.PINSlot, pin string) error {
	if len(pin) > maxPIN {
		return fmt.Errorf("a PIN of more than %d bytes", maxPIN)
	}
	if err := p.ready(); err != nil {
		return err
	}
	var nonce [8]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return err
	}
	// Named after the slot, so that ForgetRun also finds a file a killed
	// login left half made.
	tmp := p.path(s) + ".new-" + hex.EncodeToString(nonce[:])
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return err
	}
	_, werr := io.WriteString(f, pin)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp, p.path(s))
	}
	if werr != nil {
		os.Remove(tmp)
		return werr
	}
	return nil
}

// ready makes or checks the PIN directory: the caller's, mode 0700, in
// memory. Its errors say why a login cannot keep its PIN, in one line.
func (p pinStore) ready() error {
	switch {
	case p.base == "":
		return errors.New("XDG_RUNTIME_DIR is not set, and a PIN is kept only in memory-backed storage")
	case !filepath.IsAbs(p.base):
		return fmt.Errorf("XDG_RUNTIME_DIR %q is not an absolute path", p.base)
	}
	// The base first, so nothing is made on disk; the directory again, as
	// it could be a mount of its own.
	if err := p.inMemory(p.base); err != nil {
		return err
	}
	dir := p.dir()
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || !ok || int(st.Uid) != os.Geteuid() || fi.Mode().Perm() != 0o700 {
		return fmt.Errorf("%s must be a directory of yours with mode 0700", dir)
	}
	return p.inMemory(dir)
}

func (p pinStore) inMemory(dir string) error {
	mem, err := MemoryBacked(dir)
	if err != nil {
		return err
	}
	if !mem {
		return fmt.Errorf("%s is not memory-backed (tmpfs or ramfs), and a PIN never goes to persistent storage", dir)
	}
	return nil
}

// PIN reads slot's PIN; a missing file (or directory) means none. A file
// someone else could have written or read is refused.
func (p pinStore) PIN(s engine.PINSlot) (string, bool, error) {
	if p.base == "" {
		return "", false, nil
	}
	f, err := os.OpenFile(p.path(s), os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", false, err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.Mode().IsRegular() || !ok || int(st.Uid) != os.Geteuid() || fi.Mode().Perm()&0o077 != 0 {
		return "", false, fmt.Errorf("PIN file %s is not a 0600 file of yours", f.Name())
	}
	raw, err := io.ReadAll(io.LimitReader(f, maxPIN+1))
	if err != nil {
		return "", false, err
	}
	if len(raw) > maxPIN {
		return "", false, fmt.Errorf("PIN file %s is longer than %d bytes", f.Name(), maxPIN)
	}
	return string(raw), true, nil
}

// Forget removes slot's PIN.
func (p pinStore) Forget(s engine.PINSlot) error {
	if p.base == "" {
		return nil
	}
	if err := os.Remove(p.path(s)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// ForgetRun removes every PIN of a daemon run.
func (p pinStore) ForgetRun(r engine.DaemonRun) error { return p.forgetPrefix(p.runPrefix(r)) }

// forgetLab removes every PIN of the lab: those a lab that was deleted
// without stopping its daemons left at the same place.
func (p pinStore) forgetLab() error { return p.forgetPrefix(p.labPrefix()) }

func (p pinStore) forgetPrefix(prefix string) error {
	if p.base == "" {
		return nil
	}
	ents, err := os.ReadDir(p.dir())
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if err := os.Remove(filepath.Join(p.dir(), e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
