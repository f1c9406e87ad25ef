package tun

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ikemu/ikemu/personalities/aix/devices"
	"github.com/ikemu/ikemu/personalities/aix/filt"
	"github.com/ikemu/ikemu/pkg/boundedio"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/proc"
)

const (
	exptunUsage = "Usage: exptun [-v 4|6] -f directory [-t tid_list]\n"
	imptunUsage = "Usage: imptun -f directory [-t tunnel_id_list] [-v 4|6] [-g] [-l manual]\n"
	// exportName is the manual tunnels' export file [R].
	exportName = "ipsec_tun_manu.exp"
)

// The export file is ikemu's own text [I: IBM does not document it]:
// a '#' line, then per tunnel its IP version and the 27 fields of
// lstun -O, as the partner sees the tunnel: source and destination and
// their SAs swapped. It holds the keys, so it is written 0600, as IBM
// asks ("Protect these files").

// Exptun is exptun: it writes the manual tunnels (all, or -t's) for
// the tunnel partner to import.
func Exptun(args []string, p *proc.Proc) int {
	var dir, v, list string
	g := getopt.New(getopt.POSIX, "v:f:t:", args)
	for {
		c, val, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return usageOr(p, "exptun", err, exptunUsage)
		}
		switch c {
		case 'v':
			v = val
		case 'f':
			dir = val
		case 't':
			list = val
		}
	}
	n, err := version(v, true)
	if err != nil || dir == "" || len(g.Args()) > 0 {
		return usageOr(p, "exptun", errUsage, exptunUsage)
	}
	var ids map[uint32]bool
	if list != "" {
		if ids, err = idList(list); err != nil {
			return usageOr(p, "exptun", err, exptunUsage)
		}
	}
	vs := []int{4, 6}
	if n != 0 {
		vs = []int{n}
	}
	var out bytes.Buffer
	out.WriteString("#ver|" + strings.TrimPrefix(colonHeader, "#") + "\n")
	rc := filt.Update(p, "exptun", func(h *engine.Host) error {
		for _, ver := range vs {
			tunnels, err := h.ManualTunnels().List(ver)
			if err != nil {
				return err
			}
			for _, t := range tunnels {
				if ids == nil || ids[t.ID] {
					fmt.Fprintf(&out, "%d|", ver)
					writeColon(&out, partnerView(t))
				}
			}
		}
		return nil
	})
	if rc != 0 {
		return rc
	}
	path := p.Path(dir)
	if err := os.MkdirAll(path, 0o700); err != nil {
		fmt.Fprintf(p.Stderr, "exptun: %v\n", err)
		return 1
	}
	if err := os.WriteFile(filepath.Join(path, exportName), out.Bytes(), 0o600); err != nil {
		fmt.Fprintf(p.Stderr, "exptun: %v\n", err)
		return 1
	}
	return 0
}

func partnerView(t engine.ManualTunnel) engine.ManualTunnel {
	t.Src, t.Dst = t.Dst, t.Src
	t.Out, t.In = t.In, t.Out
	return t
}

var policyCode = map[string]string{"encr/auth": "ea", "auth/encr": "ae", "auth only": "a", "encr only": "e"}

// parseExportLine reads one tunnel of an export file into gentun's
// flags, so that it is checked as gentun checks its command line.
func parseExportLine(line string) (tunnelRequest, error) {
	f := strings.Split(line, "|")
	if len(f) != 28 {
		return tunnelRequest{}, filt.Refuse("Invalid export line %q: %d fields, not 28.", clip(line), len(f))
	}
	flags := map[byte]string{'v': f[0], 's': f[2], 'd': f[3], 'p': policyCode[f[4]], 'P': policyCode[f[5]],
		'm': strings.ToLower(f[8]), 'l': f[9], 'u': f[10], 'U': f[11], 'a': f[12], 'A': f[13], 'h': f[14], 'H': f[15],
		'n': f[16], 'N': f[17], 'e': f[18], 'E': f[19], 'k': f[20], 'K': f[21], 'y': f[26], 'z': f[27]}
	for c, v := range map[byte]string{'x': f[6], 'f': f[7], 'b': f[22], 'B': f[23], 'c': f[24], 'C': f[25]} {
		if v != "" {
			flags[c] = v
		}
	}
	var args []string
	for c, v := range flags {
		args = append(args, "-"+string(c), v)
	}
	q, err := parseTunnelFlags(args, gentunOpts)
	if err == errUsage {
		return q, filt.Refuse("Invalid export line %q.", clip(line))
	}
	return q, err
}

// parseTunnelExport reads every tunnel line of an export file.
func parseTunnelExport(data []byte, name string) ([]tunnelRequest, error) {
	var out []tunnelRequest
	sc := boundedio.Scanner(bytes.NewReader(data))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		q, err := parseExportLine(line)
		if err == nil {
			_, err = q.build(defaults(256))
		}
		if err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", name, n, err)
		}
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		return nil, boundedio.LineError(err, name, n+1)
	}
	return out, nil
}

// Imptun is imptun: it adds the export file's tunnels (those of -v's
// version, or -t's positions in the file) under new IDs, each with its
// two auto-generated filter rules unless -g [C: IBM's imptun].
func Imptun(args []string, p *proc.Proc) int {
	var dir, v, list string
	var noRules bool
	g := getopt.New(getopt.POSIX, "f:t:v:gl:", args)
	for {
		c, val, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return usageOr(p, "imptun", err, imptunUsage)
		}
		switch c {
		case 'f':
			dir = val
		case 't':
			list = val
		case 'v':
			v = val
		case 'g':
			noRules = true
		case 'l':
			if val != "manual" {
				fmt.Fprintf(p.Stderr, "Tunnel type %q is not supported: use manual.\n", clip(val)) // [I]
				return 1
			}
		}
	}
	n, err := version(v, true)
	if err != nil || dir == "" || len(g.Args()) > 0 {
		return usageOr(p, "imptun", errUsage, imptunUsage)
	}
	var ids map[uint32]bool
	if list != "" {
		if ids, err = idList(list); err != nil {
			return usageOr(p, "imptun", err, imptunUsage)
		}
	}
	name := filepath.Join(dir, exportName)
	data, err := boundedio.ReadFile(p.Path(name), name, boundedio.FileLimit)
	if err != nil {
		fmt.Fprintf(p.Stderr, "imptun: %v\n", err)
		return 1
	}
	reqs, err := parseTunnelExport(data, name)
	if err != nil {
		fmt.Fprintf(p.Stderr, "imptun: %v\n", err)
		return 1
	}
	var lines []string
	rc := filt.Update(p, "imptun", func(h *engine.Host) error {
		for i, q := range reqs {
			if (ids != nil && !ids[uint32(i+1)]) || (n != 0 && q.version != n) {
				continue
			}
			added, err := addTunnel(h, q, noRules)
			if err != nil {
				return err
			}
			lines = append(lines, added...)
		}
		return nil
	})
	if rc == 0 && len(lines) > 0 {
		fmt.Fprintln(p.Stdout, strings.Join(lines, "\n"))
	}
	return rc
}

// addTunnel stores a new tunnel and, unless noRules, its filter rules,
// returning the lines gentun prints for them.
func addTunnel(h *engine.Host, q tunnelRequest, noRules bool) ([]string, error) {
	if err := devices.RequireFor(h, q.src); err != nil {
		return nil, err
	}
	next, err := h.ManualTunnels().NextID(q.version)
	if err != nil {
		return nil, err
	}
	t, err := q.build(defaults(255 + next))
	if err != nil {
		return nil, err
	}
	if t, err = h.ManualTunnels().Add(t); err != nil {
		return nil, err
	}
	lines := []string{fmt.Sprintf("Tunnel %d for IPv%d has been added successfully.", t.ID, q.version)}
	if noRules {
		return lines, nil
	}
	fids, err := filt.AddTunnelRules(h, q.version, t.ID, t.Src, t.Dst)
	for _, id := range fids {
		lines = append(lines, fmt.Sprintf("Filter rule %d for IPv%d has been added successfully.", id, q.version))
	}
	return lines, err
}
