package preshared

import (
	"bytes"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

func TestWriteKeyExample(t *testing.T) {
	res, err := Parse(strings.NewReader(example66), nil)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteKey(&b, &res.Keys[0]); err != nil {
		t.Fatal(err)
	}
	want := "{\n" +
		"\tlocalidtype    IPv4\n" +
		"\tlocalid        10.1.1.2\n" +
		"\tremoteidtype   IPv4\n" +
		"\tremoteid       10.21.12.4\n" +
		"\tike_mode       main\n" +
		"\tkey            4b656265207761732068657265210c0a/128\n" +
		"}\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteKey(t *testing.T) {
	inline := func(line string) engine.PresharedKey {
		k, err := ParseInline(splitArgs(line), fakeResolve, false)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		return k
	}
	file := func(in string) engine.PresharedKey {
		res, err := Parse(strings.NewReader(in), fakeResolve)
		if err != nil || len(res.Keys) != 1 {
			t.Fatalf("%s: %v", in, err)
		}
		return res.Keys[0]
	}
	tests := []struct {
		name string
		k    engine.PresharedKey
		want string
	}{
		{"file text as written", file(entryText("localidtype IP_SUBNET", "localid gw4", "remoteid 0xffffffff/32", "key 123")),
			"{\n\tlocalidtype    IPv4\n\tlocalid        gw4\n\tremoteidtype   IPv4\n\tremoteid       0xffffffff/32\n\tike_mode       main\n\tkey            1230/16\n}\n"},
		{"file v6 and truncated key", file(entryText("localid 2001:DB8::1/64", "remoteid fe80::0:1", "remoteidtype ipv6", "key abcd/10")),
			"{\n\tlocalidtype    IPv6\n\tlocalid        2001:DB8::1/64\n\tremoteidtype   IPv6\n\tremoteid       fe80::0:1\n\tike_mode       main\n\tkey            abc0/10\n}\n"},
		{"file ascii key as hex", file(entryText("localid 10.1.1.2", "remoteid 10.1.1.3", `key "AbC d"`)),
			"{\n\tlocalidtype    IPv4\n\tlocalid        10.1.1.2\n\tremoteidtype   IPv4\n\tremoteid       10.1.1.3\n\tike_mode       main\n\tkey            4162432064/40\n}\n"},
		{"file missing key", file(entryText("localid 10.1.1.2", "remoteid 10.1.1.3")),
			"{\n\tlocalidtype    IPv4\n\tlocalid        10.1.1.2\n\tremoteidtype   IPv4\n\tremoteid       10.1.1.3\n\tike_mode       main\n\tkey            /0\n}\n"},
		{"inline default mode is main", inline("{ localid gw4 remoteid 10.0.0.1/8 key abcd }"),
			"{\n\tlocalidtype    IPv4\n\tlocalid        192.0.2.1\n\tremoteidtype   IPv4\n\tremoteid       10.0.0.1/8\n\tike_mode       main\n\tkey            abcd/16\n}\n"},
		{"inline main has no mode line", inline("{ localid 2001:DB8:0:0:0:0:0:1 remoteid ::0.0.0.2/96 ike_mode main key ab }"),
			"{\n\tlocalidtype    IPv6\n\tlocalid        2001:db8::1\n\tremoteidtype   IPv6\n\tremoteid       ::2/96\n\tkey            ab/8\n}\n"},
		{"inline aggressive, v4-compatible dotted", inline("{ localid ::10.1.1.2 remoteid ::ffff:0:10.1.1.3 ike_mode aggressive key ab }"),
			"{\n\tlocalidtype    IPv6\n\tlocalid        ::10.1.1.2\n\tremoteidtype   IPv6\n\tremoteid       ::ffff:0:a01:103\n\tkey            ab/8\n}\n"},
		{"inline both, identities", inline(`{ localidtype fqdn localid a.example remoteidtype dn remoteid "C=US, O=X" ike_mode both key ab }`),
			"{\n\tlocalidtype    (null)\n\tlocalid        a.example\n\tremoteidtype   (null)\n\tremoteid       C=US, O=X\n\tkey            ab/8\n}\n"},
		{"unknown family writes nothing", engine.PresharedKey{Mode: engine.XchgMain, LocalIDType: engine.IDIPv4, RemoteIDType: engine.IDIPv6, RemotePlen: 5},
			"{\n\tlocalidtype    IPv4\n\tlocalid        \n\tremoteidtype   IPv6\n\tremoteid       \n\tkey            /0\n}\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteKey(&b, &tc.k); err != nil {
				t.Fatal(err)
			}
			if b.String() != tc.want {
				t.Errorf("got\n%q\nwant\n%q", b.String(), tc.want)
			}
		})
	}
}

func TestWriteKeyErrors(t *testing.T) {
	if err := WriteKey(&bytes.Buffer{}, nil); err == nil {
		t.Error("nil entry: no error")
	}
	k := simple("10.1.1.2", "10.1.1.3", abcd(), 16)
	boom := errors.New("boom")
	if err := WriteKey(errWriter{boom}, &k); !errors.Is(err, boom) {
		t.Errorf("err = %v, want the writer's error", err)
	}
}

type errWriter struct{ err error }

func (w errWriter) Write([]byte) (int, error) { return 0, w.err }

// TestRoundTrip writes what Parse read and reads it back.
func TestRoundTrip(t *testing.T) {
	inputs := []string{
		example66,
		entryText("local_addr 10.0.0.0/8", "remote_addr gw4", "key 123"),
		entryText("localidtype IPv6", "localid dual/48", "remoteidtype IPv6_subnet", "remoteid gw6", "key abcd/13"),
		entryText("localid 4294967295", "remoteid net10/0", `key "a \"quoted\" key"`),
		entryText("localid 10.1.1.2", "remoteid 10.1.1.3"),
		basic() + basic("ike_mode main") + entryText("localid ::", "remoteid ::1", "key f/1"),
	}
	for _, in := range inputs {
		first, err := Parse(strings.NewReader(in), fakeResolve)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		var b bytes.Buffer
		for i := range first.Keys {
			if err := WriteKey(&b, &first.Keys[i]); err != nil {
				t.Fatal(err)
			}
		}
		second, err := Parse(&b, fakeResolve)
		if err != nil {
			t.Fatalf("re-parse of %q: %v", b.String(), err)
		}
		if d := diff(first.Keys, second.Keys); d != "" {
			t.Errorf("%q: (-first +second)\n%s", in, d)
		}
	}
}

func TestNtop(t *testing.T) {
	for in, want := range map[string]string{
		"10.1.1.2": "10.1.1.2", "::": "::", "::1": "::1", "::2": "::2", "::10.1.1.2": "::10.1.1.2",
		"::0.1.0.0": "::0.1.0.0", "::ffff:1.2.3.4": "::ffff:1.2.3.4", "2001:db8:0:1:0:0:0:1": "2001:db8:0:1::1",
		"fe80::1%eth0": "fe80::1", "1:0:0:0:0:0:0:0": "1::",
	} {
		if got := ntop(netip.MustParseAddr(in)); got != want {
			t.Errorf("ntop(%s) = %s, want %s", in, got, want)
		}
	}
}
