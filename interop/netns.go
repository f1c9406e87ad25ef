package interop

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// commandTimeout bounds every helper command (ip, swanctl, pki).
const commandTimeout = 20 * time.Second

// Side is one network namespace of a NetPair with its address.
type Side struct {
	NS   string // namespace name, as "ip netns" knows it
	Dev  string // the veth end inside it
	Addr string // its IPv4 address
}

// NetPair is two network namespaces joined by a veth pair.
type NetPair struct {
	A, B Side
}

// NewNetPair creates two namespaces named after tag and the process id,
// joins them with a veth pair and gives each end an address of
// 198.51.100.0/24. Close removes both (and so the veth pair).
func NewNetPair(tag string) (*NetPair, error) {
	base := fmt.Sprintf("ikemu-%s-%d", tag, os.Getpid())
	p := &NetPair{
		A: Side{NS: base + "-a", Dev: "ikv0", Addr: "198.51.100.1"},
		B: Side{NS: base + "-b", Dev: "ikv1", Addr: "198.51.100.2"},
	}
	steps := [][]string{
		{"netns", "add", p.A.NS},
		{"netns", "add", p.B.NS},
		{"link", "add", p.A.Dev, "netns", p.A.NS, "type", "veth", "peer", "name", p.B.Dev, "netns", p.B.NS},
	}
	for _, s := range []Side{p.A, p.B} {
		steps = append(steps,
			[]string{"-n", s.NS, "addr", "add", s.Addr + "/24", "dev", s.Dev},
			[]string{"-n", s.NS, "link", "set", s.Dev, "up"},
			[]string{"-n", s.NS, "link", "set", "lo", "up"},
		)
	}
	for _, s := range steps {
		if _, err := run("ip", s...); err != nil {
			p.Close()
			return nil, err
		}
	}
	return p, nil
}

// Close removes both namespaces; removing one that is gone is no error.
func (p *NetPair) Close() {
	for _, ns := range []string{p.A.NS, p.B.NS} {
		if _, err := os.Stat("/run/netns/" + ns); err == nil {
			_, _ = run("ip", "netns", "del", ns)
		}
	}
}

// run runs a helper command with a time limit and returns its combined
// output; a failure quotes the command and what it said.
func run(name string, args ...string) (string, error) {
	return runEnv(nil, name, args...)
}

func runEnv(env []string, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	cmd.WaitDelay = time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}
