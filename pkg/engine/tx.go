package engine

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"time"

	"github.com/ikemu/ikemu/pkg/store"
)

// Tx is one engine transaction over the whole lab, at one instant of the
// lab clock.
type Tx struct {
	st    *store.Tx
	now   time.Time
	rand  io.Reader
	creds Credentials
	// cache holds decoded tables read in this transaction; writes through
	// the engine drop the affected entry. One command may negotiate a
	// thousand tunnels, each looking up hosts, rules and keys.
	cache txCache
	// events are what happened, for the personalities to log after the
	// transaction ends.
	events []Event
}

type txCache struct {
	hosts    []HostInfo
	policies map[string][]*Phase1Policy
	psks     map[string][]pskRow
	// logStates are the hosts' logging states, stamped on each event.
	logStates map[string]*LogState
}

type pskRow struct {
	ref PSKRef
	key *PresharedKey
}

func (c *txCache) dropHosts() { c.hosts = nil }

func (c *txCache) dropPolicies(host string) { delete(c.policies, host) }

func (c *txCache) dropPSKs(host string) { delete(c.psks, host) }

func (c *txCache) dropLogState(host string) { delete(c.logStates, host) }

// NewTx wraps a store transaction; now is the lab clock's reading and
// rand the lab's source of randomness (seeded in reproducible labs).
func NewTx(st *store.Tx, now time.Time, rand io.Reader) *Tx {
	return &Tx{st: st, now: now, rand: rand}
}

// CarryCache hands t the tables prev decoded. Only for a transaction
// that follows a committed prev with no other writer in between (see
// lab.Writer): the cache is then as valid as it was at prev's end.
func (t *Tx) CarryCache(prev *Tx) { t.cache = prev.cache }

// SetCredentials gives the transaction its way to the hosts' certificate
// files and PKCS#11 tokens, which live outside the lab database.
func (t *Tx) SetCredentials(c Credentials) { t.creds = c }

// credentials is the transaction's provider, or one that has nothing.
func (t *Tx) credentials() Credentials {
	if t.creds == nil {
		return noCredentials{}
	}
	return t.creds
}

// Rand is the transaction's source of randomness.
func (t *Tx) Rand() io.Reader { return t.rand }

// Now is the lab time of this transaction.
func (t *Tx) Now() time.Time { return t.now }

// Store exposes the underlying store transaction (for lab metadata).
func (t *Tx) Store() *store.Tx { return t.st }

// ErrNoHost is returned for a host name the lab does not have.
var ErrNoHost = errors.New("unknown host")

const infoKey = "info"

// Hosts lists every host, in name order.
func (t *Tx) Hosts() ([]HostInfo, error) {
	if t.cache.hosts != nil {
		return t.cache.hosts, nil
	}
	out := []HostInfo{}
	for _, name := range t.st.HostNames() {
		h, err := t.Host(name)
		if err != nil {
			return nil, err
		}
		out = append(out, h.Info)
	}
	t.cache.hosts = out
	return out, nil
}

// Host opens host name.
func (t *Tx) Host(name string) (*Host, error) {
	b := t.st.Host(name)
	if b == nil {
		return nil, fmt.Errorf("%w %q (IKEMU_HOST; see ikemu host list)", ErrNoHost, name)
	}
	h := &Host{tx: t, b: b}
	if _, err := b.Get(infoKey, &h.Info); err != nil {
		return nil, fmt.Errorf("host %s: %w", name, err)
	}
	return h, nil
}

// AddHost creates a host with its daemon in the given state.
func (t *Tx) AddHost(info HostInfo, d Daemon) (*Host, error) {
	for i, a := range info.Addrs {
		info.Addrs[i] = a.Unmap()
		if owner, ok := t.HostByAddr(a); ok {
			return nil, fmt.Errorf("address %s already belongs to host %s", a, owner)
		}
	}
	b, err := t.st.CreateHost(info.Name)
	if err != nil {
		return nil, err
	}
	t.cache.dropHosts()
	h := &Host{tx: t, b: b, Info: info}
	if err := b.Put(infoKey, info); err != nil {
		return nil, err
	}
	if err := h.Daemons().SetIKE(d); err != nil {
		return nil, err
	}
	return h, nil
}

// RemoveHost deletes a host and all its state.
func (t *Tx) RemoveHost(name string) error {
	if t.st.Host(name) == nil {
		return fmt.Errorf("%w %q", ErrNoHost, name)
	}
	t.cache.dropHosts()
	return t.st.DeleteHost(name)
}

// HostByAddr returns the name of the host that owns a.
func (t *Tx) HostByAddr(a netip.Addr) (string, bool) {
	hosts, err := t.Hosts()
	if err != nil {
		return "", false
	}
	for _, h := range hosts {
		if h.Owns(a) {
			return h.Name, true
		}
	}
	return "", false
}
