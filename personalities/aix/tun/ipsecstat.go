package tun

import (
	"fmt"
	"io"

	"github.com/ikemu/ikemu/personalities/aix/filt"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/proc"
)

const ipsecstatUsage = "Usage: ipsecstat [-d] [-A] [-E]\n"

// Ipsecstat is ipsecstat: the IP security devices' states, the
// installed algorithms and the counters; -d the devices only, -A the
// authentication algorithms and -E the encryption algorithms, one a
// line, as IBM's mktun module reads them [C].
func Ipsecstat(args []string, p *proc.Proc) int {
	var devOnly, auth, encr bool
	g := getopt.New(getopt.POSIX, "dAE", args)
	for {
		c, _, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return usageOr(p, "ipsecstat", err, ipsecstatUsage)
		}
		switch c {
		case 'd':
			devOnly = true
		case 'A':
			auth = true
		case 'E':
			encr = true
		}
	}
	if len(g.Args()) > 0 {
		return usageOr(p, "ipsecstat", errUsage, ipsecstatUsage)
	}
	if auth || encr {
		for _, a := range algorithms {
			if (a.encrypt && encr) || (!a.encrypt && auth) {
				fmt.Fprintln(p.Stdout, a.name)
			}
		}
		return 0
	}
	return filt.View(p, "ipsecstat", func(h *engine.Host) error {
		devs, err := deviceStates(h)
		if err != nil {
			return err
		}
		fmt.Fprintln(p.Stdout, "IP Security Devices:")
		for _, d := range devs {
			fmt.Fprintf(p.Stdout, "%s %s\n", d.Name, d.State)
		}
		if devOnly {
			return nil
		}
		c, err := counters(h)
		if err != nil {
			return err
		}
		writeStats(p.Stdout, c)
		return nil
	})
}

// deviceStates are the two devices as lsdev shows them: a host without
// a device record has both Available.
func deviceStates(h *engine.Host) ([]engine.Device, error) {
	m, found, err := h.Services().Devices()
	if err != nil {
		return nil, err
	}
	var out []engine.Device
	for _, name := range []string{"ipsec_v4", "ipsec_v6"} {
		d, ok := m[name]
		switch {
		case !found:
			out = append(out, engine.Device{Name: name, State: engine.DeviceAvailable})
		case ok:
			out = append(out, d)
		}
	}
	return out, nil
}

// tunnelCache is what the kernel's tunnel cache has seen: entries added
// for manual tunnels activated and IKE phase 2 tunnels established,
// expired for IKE tunnels whose lifetime ran out, deleted for manual
// tunnels deactivated [I: no packets pass through the lab's kernel, so
// the packet counters stay 0].
type tunnelCache struct{ added, expired, deleted uint64 }

func counters(h *engine.Host) (tunnelCache, error) {
	var c tunnelCache
	for _, v := range []int{4, 6} {
		s, err := h.ManualTunnels().Stats(v)
		if err != nil {
			return c, err
		}
		c.added += s.Added
		c.deleted += s.Deleted
	}
	now := h.Now()
	err := h.SAs().ScanPhase2(func(sa *engine.Phase2SA) error {
		c.added++
		if sa.Expired(now) {
			c.expired++
		}
		return nil
	})
	return c, err
}

// writeStats is the statistics part of ipsecstat, after the algorithms
// [R: labels and layout from administrators' captures].
func writeStats(w io.Writer, c tunnelCache) {
	fmt.Fprintln(w, "\nSecurity Algorithms:")
	for _, a := range algorithms {
		kind := "Authentication"
		if a.encrypt {
			kind = "Encryption"
		}
		fmt.Fprintf(w, "%-16s%s\n", a.name, kind)
	}
	fmt.Fprintln(w, "\nIP Security Statistics -")
	row := func(label string, n uint64) { fmt.Fprintf(w, "%-43s%d\n", label+":", n) }
	for _, l := range []string{
		"Total incoming packets", "Incoming AH packets", "Incoming ESP packets", "Srcrte packets allowed",
		"Total outgoing packets", "Outgoing AH packets", "Outgoing ESP packets",
		"Total incoming packets dropped", "    Filter denies on input", "    AH did not compute",
		"    ESP did not compute", "    AH replay violation", "    ESP replay violation",
		"Total outgoing packets dropped", "    Filter denies on output",
	} {
		row(l, 0)
	}
	row("Tunnel cache entries added", c.added)
	row("Tunnel cache entries expired", c.expired)
	row("Tunnel cache entries deleted", c.deleted)
}
