package filt

import (
	"strings"
	"testing"
)

func TestParseGenfiltDefaults(t *testing.T) {
	q, err := parseGenfilt([]string{"-v", "4", "-s", "10.0.0.2", "-m", "255.255.255.0"})
	if err != nil {
		t.Fatal(err)
	}
	r := q.rule
	if r.Action != "deny" || !r.SourceRoute || r.Protocol != "all" || r.Direction != "both" || r.Fragment != "Y" || r.Interface != "all" {
		t.Fatalf("defaults: %+v", r)
	}
	if r.Src.String() != "10.0.0.2" || r.SrcMask.String() != "255.255.255.0" {
		t.Fatalf("source: %+v", r)
	}
}

// FuzzParseGenfilt: any command line parses or is refused, without a
// panic; a parsed rule renders as one -O line of 22 fields.
func FuzzParseGenfilt(f *testing.F) {
	f.Add("-v 4 -aP -s 10.0.0.2 -m 255.255.255.255 -c tcp -O eq -P 22")
	f.Add("-v 6 -s :: -m 0 -d fe80::1 -M 128 -wO -lY -fH -t 3")
	f.Add("-v4 -n 3 -s 0.0.0.0 -m 0.0.0.0 -c 252 -i en0 -D x")
	f.Fuzz(func(t *testing.T, line string) {
		q, err := parseGenfilt(strings.Fields(line))
		if err != nil {
			return
		}
		var b strings.Builder
		listing{version: q.version, descr: true, rules: []numbered{{1, q.rule}}}.writeColon(&b)
		if got := strings.Count(b.String(), "|"); got != 21 || strings.Count(b.String(), "\n") != 1 {
			t.Fatalf("%q: -O line %q", line, b.String())
		}
	})
}

// FuzzParseExportFile: any export file parses or is refused without a
// panic; what parses writes back to lines that parse to the same rules.
func FuzzParseExportFile(f *testing.F) {
	f.Add(exportHeader + "\n4|permit|10.0.0.2|255.255.255.255|10.0.0.1|255.255.255.255|no|tcp|any|0|eq|22|both|outbound|no|Y|0|en0|0|no\n")
	f.Add("6|deny|::|0|fe80::1|128|yes|all|any|0|any|0|both|both|yes|H|3|all|60|yes\n4|placement|||||||||||||||||||\n")
	f.Add("4|permit|x\n\r\n#\n")
	f.Fuzz(func(t *testing.T, data string) {
		rules, err := parseExportFile([]byte(data), "f")
		if err != nil {
			return
		}
		var b strings.Builder
		for _, r := range rules {
			if r.rule.Action != "placement" {
				writeExport(&b, r.version, r.rule)
			}
		}
		again, err := parseExportFile([]byte(b.String()), "f")
		if err != nil {
			t.Fatalf("%q: rewritten %q: %v", data, b.String(), err)
		}
		var c strings.Builder
		for _, r := range again {
			writeExport(&c, r.version, r.rule)
		}
		if c.String() != b.String() {
			t.Fatalf("not stable: %q then %q", b.String(), c.String())
		}
	})
}
