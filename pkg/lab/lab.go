// Package lab locates, creates and opens a lab: a directory holding the
// bbolt state file and each emulated host's file tree.
package lab

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/proc"
	"github.com/ikemu/ikemu/pkg/store"
)

// DefaultHost is the host every new lab starts with.
const DefaultHost = "local"

// DefaultLockTimeout is how long a command waits for another to finish.
const DefaultLockTimeout = 10 * time.Second

const dbName = "lab.db"

// Lab is an opened lab directory. The database itself is opened per
// transaction (or per Hold, or per Writer), so the file lock is held
// only while a command runs.
type Lab struct {
	Dir string
	// log renders the events of each transaction once it ends.
	log         EventLog
	HostName    string // the host commands act on ($IKEMU_HOST)
	lockTimeout time.Duration
	uid         int
	// pkcs11Env is $IKEMU_PKCS11_MODULE, the PKCS#11 module of hosts that
	// name none of their own.
	pkcs11Env string
	// pins keeps the token PINs of the lab's daemons, never in the lab.
	pins pinStore
	// held is the read-only database kept open between Hold and its
	// release, so one command's reads open the file once.
	held    *store.DB
	holding bool
}

// Dir returns the lab directory for an environment.
func Dir(getenv func(string) string) (string, error) {
	if d := getenv("IKEMU_LAB"); d != "" {
		return filepath.Abs(d)
	}
	if d := getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "ikemu", "lab"), nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", errors.New("cannot locate the lab: set IKEMU_LAB or HOME")
	}
	return filepath.Join(home, ".local", "state", "ikemu", "lab"), nil
}

// EventLog writes the daemons' log lines for a finished transaction's
// events; committed tells whether its changes landed.
type EventLog func(evs []engine.Event, committed bool)

// Open opens the lab of p's environment, creating it on first use. log
// (nil: none) writes the daemons' log lines after each transaction.
func Open(p *proc.Proc, log EventLog) (*Lab, error) {
	dir, err := Dir(p.Getenv)
	if err != nil {
		return nil, err
	}
	timeout, err := lockTimeout(p.Getenv("IKEMU_LOCK_TIMEOUT"))
	if err != nil {
		return nil, err
	}
	l := &Lab{Dir: dir, HostName: DefaultHost, log: log, lockTimeout: timeout, uid: p.UID,
		pkcs11Env: p.Getenv("IKEMU_PKCS11_MODULE"), pins: newPINStore(p.Getenv, dir)}
	if h := p.Getenv("IKEMU_HOST"); h != "" {
		l.HostName = h
	}
	if err := l.create(); err != nil {
		return nil, err
	}
	return l, nil
}

func lockTimeout(s string) (time.Duration, error) {
	if s == "" {
		return DefaultLockTimeout, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return d, nil
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil && n >= 0 {
		return time.Duration(n * float64(time.Second)), nil
	}
	return 0, fmt.Errorf("IKEMU_LOCK_TIMEOUT: bad duration %q", s)
}

// create makes the directory and database and the default host when missing.
func (l *Lab) create() error {
	if err := os.MkdirAll(l.Dir, 0o700); err != nil {
		return fmt.Errorf("create lab: %w", err)
	}
	if !l.Superuser() {
		// Another user's lab: this caller may not read or create
		// anything in it, and each tool refuses in its vendor's words
		// before it opens the database.
		return nil
	}
	if _, err := os.Stat(filepath.Join(l.Dir, dbName)); err == nil {
		return nil
	}
	// PINs of a lab deleted here without stopping its daemons must not
	// meet a new lab's daemon runs.
	if err := l.pins.forgetLab(); err != nil {
		return fmt.Errorf("create lab: forget token PINs: %w", err)
	}
	return l.Update(func(tx *engine.Tx) error {
		if names, err := tx.Store().HostNames(); len(names) > 0 || err != nil {
			return err
		}
		local := engine.HostInfo{Name: DefaultHost, Addrs: []netip.Addr{
			netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1"),
		}}
		return l.AddHost(tx, local)
	})
}

// DefaultSubsystems are the SRC subsystems (AIX group ike) every host
// starts with, running, as on a host where IP Security starts at boot.
func DefaultSubsystems() []string { return []string{"tmd", "isakmpd", "cpsd"} }

// DefaultDevices are the kernel devices (AIX's IP security extensions)
// every host has.
func DefaultDevices() []string { return []string{"ipsec_v4", "ipsec_v6"} }

// AddFreshHost creates a host as a freshly installed machine: its file
// tree, no daemon running (in.iked stopped, so its SMF service disabled;
// the ike group inoperative) and the IP security devices Defined, so
// that the vendors' own bring-up sequences work as on a real machine.
func (l *Lab) AddFreshHost(tx *engine.Tx, info engine.HostInfo) error {
	h, err := tx.AddHost(info, engine.Daemon{})
	if err != nil {
		return err
	}
	if err := h.Services().SetBooted(tx.Now()); err != nil {
		return err
	}
	devs := map[string]engine.Device{}
	for _, name := range DefaultDevices() {
		devs[name] = engine.Device{Name: name, State: engine.DeviceDefined}
	}
	if err := h.Services().SetDevices(devs); err != nil {
		return err
	}
	return l.makeTree(info.Name)
}

// AddHost creates a host, its file tree and its running daemons: in.iked
// and the ike group's subsystems, its devices Available (the default
// host, where the first ikeadm command just works).
func (l *Lab) AddHost(tx *engine.Tx, info engine.HostInfo) error {
	pid, err := NextPID(tx)
	if err != nil {
		return err
	}
	d := engine.Daemon{Running: true, PID: pid, Started: tx.Now()}
	h, err := tx.AddHost(info, d)
	if err != nil {
		return err
	}
	if err := h.Services().SetBooted(tx.Now()); err != nil {
		return err
	}
	for _, name := range DefaultSubsystems() {
		pid, err := NextPID(tx)
		if err != nil {
			return err
		}
		if err := h.Daemons().SetSubsystem(engine.Subsystem{Name: name, Running: true, PID: pid, Negotiates: name == "isakmpd"}); err != nil {
			return err
		}
	}
	return l.makeTree(info.Name)
}

// HostRoot is the root of a host's file tree.
func (l *Lab) HostRoot(name string) string {
	return filepath.Join(l.Dir, "hosts", name, "root")
}

// HostPath resolves a vendor default location (e.g. "etc/inet/ike/config")
// inside the host's tree.
func (l *Lab) HostPath(name, rel string) string {
	return filepath.Join(l.HostRoot(name), filepath.FromSlash(rel))
}

var treeDirs = []string{
	"etc/inet/ike/publickeys", "etc/inet/secret/ike.privatekeys",
	"var/run", "var/adm", "var/log",
}

func (l *Lab) makeTree(name string) error {
	for _, d := range treeDirs {
		if err := os.MkdirAll(l.HostPath(name, d), 0o700); err != nil {
			return fmt.Errorf("host %s: %w", name, err)
		}
	}
	return nil
}

// RemoveTree deletes a host's file tree.
func (l *Lab) RemoveTree(name string) error {
	return os.RemoveAll(filepath.Join(l.Dir, "hosts", name))
}

// Update runs fn in one read-write transaction.
func (l *Lab) Update(fn func(*engine.Tx) error) error {
	db, err := l.openWrite()
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = l.update(db, fn, nil)
	return err
}

// update runs fn in one read-write transaction of db. carry (nil: none)
// hands the transaction what an earlier one of the same writer decoded
// and drew. It returns the transaction when it committed.
func (l *Lab) update(db *store.DB, fn func(*engine.Tx) error, carry *carried) (*engine.Tx, error) {
	tx, err := l.runUpdate(db, fn, carry)
	l.logEvents(tx, err == nil)
	if err != nil {
		return nil, err
	}
	return tx, nil
}

// runUpdate is update without handing the events on: it returns the
// transaction however it ended (nil when it never began).
func (l *Lab) runUpdate(db *store.DB, fn func(*engine.Tx) error, carry *carried) (*engine.Tx, error) {
	var tx *engine.Tx
	err := db.Update(func(st *store.Tx) error {
		now, err := clockNow(st)
		if err != nil {
			return err
		}
		rnd, save, err := carry.rand(st)
		if err != nil {
			return err
		}
		tx = l.newTx(st, now, rnd)
		carry.cacheInto(tx)
		if err := fn(tx); err != nil {
			return err
		}
		return save()
	})
	return tx, err
}

// logEvents hands a finished transaction's events to the event log.
func (l *Lab) logEvents(tx *engine.Tx, committed bool) {
	if tx != nil && l.log != nil && len(tx.Events()) > 0 {
		l.log(tx.Events(), committed)
	}
}

// View runs fn in one read-only transaction: a shared lock, so readers
// run side by side, and no write, no sync.
func (l *Lab) View(fn func(*engine.Tx) error) error {
	db, done, err := l.openRead()
	if err != nil {
		return err
	}
	defer done()
	var tx *engine.Tx
	err = db.View(func(st *store.Tx) error {
		now, err := clockNow(st)
		if err != nil {
			return err
		}
		// A read transaction draws no randomness worth reproducing.
		tx = l.newTx(st, now, rand.Reader)
		return fn(tx)
	})
	l.logEvents(tx, err == nil)
	return err
}

// newTx is an engine transaction that reaches the hosts' certificate
// files and PKCS#11 tokens through the lab, and the machine's processes
// (a serving process's liveness) through /proc.
func (l *Lab) newTx(st *store.Tx, now time.Time, rnd io.Reader) *engine.Tx {
	tx := engine.NewTx(st, now, rnd)
	tx.SetCredentials(credentials{l: l})
	tx.SetProcesses(kernelProcesses{})
	return tx
}

// Host runs fn on the current host in one read-write transaction.
func (l *Lab) Host(fn func(*engine.Host) error) error {
	return l.Update(onHost(l.HostName, fn))
}

// HostView runs fn on the current host in one read-only transaction.
func (l *Lab) HostView(fn func(*engine.Host) error) error {
	return l.View(onHost(l.HostName, fn))
}

func onHost(name string, fn func(*engine.Host) error) func(*engine.Tx) error {
	return func(tx *engine.Tx) error {
		h, err := tx.Host(name)
		if err != nil {
			return err
		}
		return fn(h)
	}
}

// Superuser applies both vendors' superuser rule to the lab: the caller
// is root or owns the lab directory.
func (l *Lab) Superuser() bool {
	fi, err := os.Stat(l.Dir)
	if err != nil {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return l.uid == 0
	}
	return IsSuperuser(l.uid, int(st.Uid))
}

// IsSuperuser is the rule itself.
func IsSuperuser(uid, dirOwner int) bool { return uid == 0 || uid == dirOwner }

// FirstPID is the first process id an emulated daemon gets. Linux never
// allocates a PID at or above PID_MAX_LIMIT (4194304 on 64-bit kernels,
// the largest pid_max accepts), so a runbook that kills a PID it read
// from lssrc or svcs can never hit an unrelated live process.
const FirstPID = 4 << 20

// NextPID hands out the process id of a daemon start.
func NextPID(tx *engine.Tx) (int, error) {
	pid := FirstPID
	if _, err := getMeta(tx.Store(), "next_pid", &pid); err != nil {
		return 0, err
	}
	// Labs made before FirstPID counted from 1000.
	pid = max(pid, FirstPID)
	return pid, putMeta(tx.Store(), "next_pid", pid+1)
}
