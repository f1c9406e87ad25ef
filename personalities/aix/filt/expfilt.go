package filt

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ikemu/ikemu/pkg/boundedio"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/proc"
)

const (
	expfiltUsage = "Usage: expfilt [-p] [-q] [-r] [-v 4|6] -f directory [-l filt_id_list]\n"
	impfiltUsage = "Usage: impfilt -f directory [-v 4|6] [-l filt_id_list]\n"
)

// Expfilt is expfilt: it writes the filter rules (all, or -l's) to the
// export file in directory -f, created if missing; without -r the
// directions are reversed for the partner; -q says nothing.
func Expfilt(args []string, p *proc.Proc) int {
	var dir, v, list string
	var raw, quiet bool
	g := getopt.New(getopt.POSIX, "pqrv:f:l:", args)
	for {
		c, val, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return usageOr(p, "expfilt", err, expfiltUsage)
		}
		switch c {
		case 'r':
			raw = true
		case 'q':
			quiet = true
		case 'v':
			v = val
		case 'f':
			dir = val
		case 'l':
			list = val
		}
	}
	vs, ok := versions(v)
	if !ok || dir == "" || len(g.Args()) > 0 {
		return usageOr(p, "expfilt", errUsage, expfiltUsage)
	}
	var ids map[int]bool
	if list != "" {
		var err error
		if ids, err = idList(list); err != nil {
			return usageOr(p, "expfilt", err, expfiltUsage)
		}
	}
	var out bytes.Buffer
	var lines []string
	out.WriteString(exportHeader + "\n")
	rc := view(p, "expfilt", func(h *engine.Host) error {
		for _, ver := range vs {
			if err := requireDevice(h, ver); err != nil {
				return err
			}
			t, err := table(h, ver)
			if err != nil {
				return err
			}
			for _, n := range tableListing(ver, t, ids).rules {
				if n.id == 0 || (ver == 4 && n.id == 1) {
					continue // the system's rules are the partner's own
				}
				if !raw {
					n.r = reversed(n.r)
				}
				writeExport(&out, ver, n.r)
				lines = append(lines, fmt.Sprintf("Filter rule %d for IPv%d has been exported successfully.", n.id, ver)) // [I]
			}
		}
		return nil
	})
	if rc != 0 {
		return rc
	}
	path := p.Path(dir)
	if err := os.MkdirAll(path, 0o700); err != nil {
		fmt.Fprintf(p.Stderr, "expfilt: %v\n", err)
		return 1
	}
	if err := os.WriteFile(filepath.Join(path, exportName), out.Bytes(), 0o600); err != nil {
		fmt.Fprintf(p.Stderr, "expfilt: %v\n", err)
		return 1
	}
	if !quiet {
		for _, l := range lines {
			fmt.Fprintln(p.Stdout, l)
		}
	}
	return 0
}

// Impfilt is impfilt: it adds the rules of the export file in
// directory -f (those of -v's version, or -l's positions in the file)
// at the end of the tables. A file with any bad line adds nothing.
func Impfilt(args []string, p *proc.Proc) int {
	var dir, v, list string
	g := getopt.New(getopt.POSIX, "f:v:l:", args)
	for {
		c, val, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return usageOr(p, "impfilt", err, impfiltUsage)
		}
		switch c {
		case 'f':
			dir = val
		case 'v':
			v = val
		case 'l':
			list = val
		}
	}
	vs, ok := versions(v)
	if !ok || dir == "" || len(g.Args()) > 0 {
		return usageOr(p, "impfilt", errUsage, impfiltUsage)
	}
	var ids map[int]bool
	if list != "" {
		var err error
		if ids, err = idList(list); err != nil {
			return usageOr(p, "impfilt", err, impfiltUsage)
		}
	}
	name := filepath.Join(dir, exportName)
	data, err := boundedio.ReadFile(p.Path(name), name, boundedio.FileLimit)
	if err != nil {
		fmt.Fprintf(p.Stderr, "impfilt: %v\n", err)
		return 1
	}
	rules, err := parseExportFile(data, name)
	if err != nil {
		fmt.Fprintf(p.Stderr, "impfilt: %v\n", err)
		return 1
	}
	var lines []string
	rc := update(p, "impfilt", func(h *engine.Host) error {
		lines = lines[:0]
		for i, er := range rules {
			if (ids != nil && !ids[i+1]) || !contains(vs, er.version) || er.rule.Action == engine.FilterPlacement {
				continue
			}
			if err := requireDevice(h, er.version); err != nil {
				return err
			}
			t, err := table(h, er.version)
			if err != nil {
				return err
			}
			t.Rules = append(t.Rules, er.rule)
			if err := h.Filters().SetTable(er.version, t); err != nil {
				return err
			}
			lines = append(lines, fmt.Sprintf("Filter rule %d for IPv%d has been added successfully.", len(t.Rules), er.version))
		}
		return nil
	})
	if rc == 0 {
		for _, l := range lines {
			fmt.Fprintln(p.Stdout, l)
		}
	}
	return rc
}

func contains(vs []int, v int) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

type exportedRule struct {
	version int
	rule    engine.FilterRule
}

// parseExportFile reads every rule line; '#' lines and blank lines are
// skipped; the first bad line is the error, with its number.
func parseExportFile(data []byte, name string) ([]exportedRule, error) {
	var out []exportedRule
	sc := boundedio.Scanner(bytes.NewReader(data))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		v, r, err := parseExport(line)
		if err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", name, n, err)
		}
		out = append(out, exportedRule{v, r})
	}
	if err := sc.Err(); err != nil {
		return nil, boundedio.LineError(err, name, n+1)
	}
	return out, nil
}
