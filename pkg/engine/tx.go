package engine

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"net/netip"
	"slices"
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
	procs Processes
	// cache holds decoded tables read in this transaction; writes through
	// the engine drop the affected entry. One command may negotiate a
	// thousand tunnels, each looking up hosts, rules and keys.
	cache txCache
	// events are what happened, for the personalities to log after the
	// transaction ends.
	events []Event
	// sadbSender is who the transaction's SADB changes come from (sadb.go).
	sadbSender *SADBSender
}

type txCache struct {
	hosts []HostInfo
	// opened are the hosts opened so far, their records decoded once;
	// owners maps each address to its host, built once from hosts.
	opened map[string]openedHost
	// carried are the records a previous transaction decoded (see
	// CarryCache): a host with 10,000 addresses is not decoded again for
	// each tunnel an activation commits.
	carried  map[string]HostInfo
	owners   map[netip.Addr]string
	policies map[string]*rulebase
	psks     map[string]*pskCache
	// logStates are the hosts' logging states, stamped on each event.
	logStates map[string]*LogState
	// stats and subsystems are the hosts' counters and SRC subsystems
	// records, decoded (daemons.go).
	stats      map[string]Stats
	subsystems map[string]map[string]Subsystem
	// ikeRunning is whether each host's IKE daemon runs (Answers);
	// counters are the tunnel number counters, by host and key.
	ikeRunning map[string]bool
	counters   map[string]uint32
	// numberRows are the tunnel number tables read to check an index
	// miss, by host and table (tunnels.go).
	numberRows map[string]map[string]store.Seq
	// usedNumbers are the numbers in use in those tables, in increasing
	// order: a load numbers its tunnels a batch at a time, and each
	// batch would otherwise read every number before it.
	usedNumbers map[string][]store.Seq
	// serving is each host's live serving process as read once (the
	// zero value: none), so the daemons' PIDs cost one look at /proc.
	serving map[string]ServingProcess
}

type pskRow struct {
	ref PSKRef
	key *PresharedKey
}

// openedHost is a host's bucket and decoded record.
type openedHost struct {
	b    *store.Bucket
	info HostInfo
}

func (c *txCache) dropHosts() { c.hosts, c.opened, c.carried, c.owners = nil, nil, nil, nil }

func (c *txCache) dropPolicies(host string) { delete(c.policies, host) }

func (c *txCache) dropPSKs(host string) { delete(c.psks, host) }

func (c *txCache) dropLogState(host string) { delete(c.logStates, host) }

func (c *txCache) setStats(host string, s Stats) {
	if c.stats == nil {
		c.stats = map[string]Stats{}
	}
	c.stats[host] = s
}

// dropHostState forgets what was decoded of a host that is removed.
func (c *txCache) dropHostState(host string) {
	c.dropPolicies(host)
	c.dropPSKs(host)
	c.dropLogState(host)
	delete(c.stats, host)
	delete(c.subsystems, host)
	delete(c.ikeRunning, host)
	for _, key := range []string{"tunnel_next_p1", "tunnel_next_p2"} {
		delete(c.counters, host+"/"+key)
	}
	for _, tn := range []string{"tunnum1", "tunnum2"} {
		delete(c.numberRows, host+"/"+tn)
		delete(c.usedNumbers, host+"/"+tn)
	}
}

// NewTx wraps a store transaction; now is the lab clock's reading and
// rand the lab's source of randomness (seeded in reproducible labs).
func NewTx(st *store.Tx, now time.Time, rand io.Reader) *Tx {
	return &Tx{st: st, now: now, rand: rand}
}

// CarryCache hands t the tables prev decoded. Only for a transaction
// that follows a committed prev with no other writer in between (see
// lab.Writer): the cache is then as valid as it was at prev's end. The
// buckets of the hosts prev opened are not carried (they belong to
// prev's store transaction, which has ended), only their records.
func (t *Tx) CarryCache(prev *Tx) {
	t.cache = prev.cache
	if len(prev.cache.opened) > 0 {
		carried := maps.Clone(prev.cache.carried)
		if carried == nil {
			carried = make(map[string]HostInfo, len(prev.cache.opened))
		}
		for name, o := range prev.cache.opened {
			carried[name] = o.info
		}
		t.cache.carried = carried
	}
	t.cache.opened = nil
	// A batch of steps records about as many events as the one before:
	// room for them at once, not a series of ever larger copies.
	t.events = make([]Event, 0, len(prev.events))
	// A serving process may have died since: its hosts' logging states
	// (their PIDs) are read again.
	for name, p := range prev.cache.serving {
		if p.PID != 0 {
			delete(t.cache.logStates, name)
		}
	}
	t.cache.serving = nil
}

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
	names, err := t.st.HostNames()
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		h, err := t.Host(name)
		if err != nil {
			return nil, err
		}
		out = append(out, h.Info)
	}
	t.cache.hosts = out
	return out, nil
}

// Host opens host name. Its record is decoded once per transaction: a
// negotiation opens both ends several times per tunnel.
func (t *Tx) Host(name string) (*Host, error) {
	if o, ok := t.cache.opened[name]; ok {
		return t.hostOf(o), nil
	}
	b, err := t.st.Host(name)
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, fmt.Errorf("%w %q (IKEMU_HOST; see ikemu host list)", ErrNoHost, name)
	}
	o := openedHost{b: b}
	if info, ok := t.cache.carried[name]; ok {
		o.info = info
	} else if _, err := hostInfoRecord().get(b, &o.info); err != nil {
		return nil, fmt.Errorf("host %s: %w", name, err)
	}
	if t.cache.opened == nil {
		t.cache.opened = map[string]openedHost{}
	}
	t.cache.opened[name] = o
	return t.hostOf(o), nil
}

// hostOf is a Host over a cached record. The addresses are shared, not
// copied (a host may have 10,000, and a negotiation opens both ends
// several times): nothing writes into a Host's Info.Addrs, and the slice
// is clipped, so a caller that appends to it gets a copy of its own.
func (t *Tx) hostOf(o openedHost) *Host {
	info := o.info
	info.Addrs = slices.Clip(info.Addrs)
	return &Host{tx: t, b: o.b, Info: info}
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
	if err := hostInfoRecord().put(b, &info); err != nil {
		return nil, err
	}
	if err := h.Daemons().SetIKE(d); err != nil {
		return nil, err
	}
	return h, nil
}

// RemoveHost deletes a host and all its state, and the PINs of its
// daemon's token logins.
func (t *Tx) RemoveHost(name string) error {
	if b, err := t.st.Host(name); b == nil || err != nil {
		if err != nil {
			return err
		}
		return fmt.Errorf("%w %q", ErrNoHost, name)
	}
	h, err := t.Host(name)
	if err != nil {
		return err
	}
	// The daemon stops with its host, which forgets those PINs.
	if err := h.Daemons().SetIKE(Daemon{}); err != nil {
		return err
	}
	t.cache.dropHosts()
	t.cache.dropHostState(name)
	return t.st.DeleteHost(name)
}

// HostByAddr returns the name of the host that owns a, through an
// address map built once per transaction.
func (t *Tx) HostByAddr(a netip.Addr) (string, bool) {
	if t.cache.owners == nil {
		hosts, err := t.Hosts()
		if err != nil {
			return "", false
		}
		owners := map[netip.Addr]string{}
		for _, h := range hosts {
			for _, ad := range h.Addrs {
				if _, taken := owners[ad]; !taken {
					owners[ad] = h.Name
				}
			}
		}
		t.cache.owners = owners
	}
	name, ok := t.cache.owners[a.Unmap()]
	return name, ok
}
