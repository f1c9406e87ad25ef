package engine

import (
	"fmt"
	"time"
)

// Privilege is the IKE daemon's administrative privilege level.
type Privilege int

const (
	PrivBase    Privilege = 0
	PrivModKeys Privilege = 1
	PrivKeymat  Privilege = 2
)

// String is the level's name: base, modkeys or keymat.
func (p Privilege) String() string {
	switch p {
	case PrivBase:
		return "base"
	case PrivModKeys:
		return "modkeys"
	case PrivKeymat:
		return "keymat"
	}
	return fmt.Sprint(int(p))
}

// Debug categories of the IKE daemon (bit values as Solaris numbers them).
const (
	DebugCert   uint32 = 0x0001
	DebugKey    uint32 = 0x0002
	DebugOp     uint32 = 0x0004
	DebugPhase1 uint32 = 0x0008
	DebugPhase2 uint32 = 0x0010
	DebugPFKey  uint32 = 0x0020
	DebugPolicy uint32 = 0x0040
	DebugProp   uint32 = 0x0080
	DebugDoor   uint32 = 0x0100
	DebugConfig uint32 = 0x0200
	DebugLabel  uint32 = 0x0400
	DebugAll    uint32 = 0x07ff
)

// Daemon is the state of a host's IKE daemon.
type Daemon struct {
	Running bool      `json:"running"`
	PID     int       `json:"pid,omitempty"`
	Started time.Time `json:"started,omitzero"`
	Priv    Privilege `json:"priv"`
	Debug   uint32    `json:"debug"`
	// DebugFile is the absolute path debug lines are appended to; empty
	// means the daemon has no debug destination yet.
	DebugFile string `json:"debug_file,omitempty"`
	// ConfigFile is the configuration file the daemon was started with
	// (in.iked -f), relative to the host tree when not absolute.
	ConfigFile string `json:"config_file,omitempty"`
	// Tokens are the PKCS#11 tokens the daemon is logged in to. Their
	// PINs are never here: Credentials keeps each one, in memory-backed
	// storage, from token login until token logout or the end of the
	// daemon run (a stop or start writes a fresh Daemon; see SetIKE).
	Tokens []TokenSession `json:"tokens,omitempty"`
	// PKCS11Module is the PKCS#11 module file the daemon has linked in,
	// set the first time it reads a token; get stats reports it.
	PKCS11Module string `json:"pkcs11_module,omitempty"`
}

// TokenSession is a token login the daemon holds: the token and the
// private keys the login unlocked. The PIN every later command logs in
// again with to sign is held by Credentials (StorePIN), never in the lab
// database.
type TokenSession struct {
	Label string     `json:"label"`
	Keys  []TokenKey `json:"keys,omitempty"`
}

// Stats are the phase 1 counters kept since the daemon started. Current
// counts are derived from the live SAs when read.
type Stats struct {
	InitTotal    uint32 `json:"init_total"`
	RespTotal    uint32 `json:"resp_total"`
	InitAttempts uint32 `json:"init_attempts"`
	RespAttempts uint32 `json:"resp_attempts"`
	InitNoResp   uint32 `json:"init_noresp"`
	InitRespFail uint32 `json:"init_respfail"`
	RespFail     uint32 `json:"resp_fail"`
	// RX counts the datagrams the wire dropped (ikemu serve and wire
	// exchanges). in.iked's statistics have no such counters; ikemu host
	// list -o json shows them.
	RX RXDrops `json:"rx,omitzero"`
}

// RXDrops are received datagrams dropped, by reason.
type RXDrops struct {
	Malformed     uint32 `json:"malformed,omitempty"`
	UnknownCookie uint32 `json:"unknown_cookie,omitempty"`
	Replays       uint32 `json:"replays,omitempty"`
	Refused       uint32 `json:"refused,omitempty"`
}

// StatsView is Stats plus the current SA counts and the PKCS#11 library.
type StatsView struct {
	Stats
	InitCurrent uint32
	RespCurrent uint32
	PKCS11Lib   string
}

// DaemonDriver is a vendor's IKE daemon as a front end other than the
// vendor's own tools (ikemu daemon start) starts and stops it. Starting
// reads the vendor's configuration, so each personality provides its
// own; the options are in the vendor's words.
type DaemonDriver interface {
	// Name is the daemon's name, as status lines show it.
	Name() string
	Start(h *Host, o DaemonOptions) error
	Stop(h *Host) error
	// Reload makes the running daemon reread its configuration, as the
	// vendor's daemon does on SIGHUP. A configuration that does not load
	// is an error (a DetailedError), and the caller aborts the
	// transaction: the daemon keeps the configuration it had.
	Reload(h *Host) error
}

// DaemonOptions are how a daemon is asked to start: its privilege and
// debug levels, in the vendor's notation.
type DaemonOptions struct {
	Priv, Debug string
}

// DetailedError is an error with lines for the administrator to read
// before its one-line verdict (a configuration's parse errors).
type DetailedError interface {
	error
	Detail() string
}
