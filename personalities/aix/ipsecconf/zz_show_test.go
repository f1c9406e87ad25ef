package ipsecconf

import (
	"fmt"
	"os"
	"testing"
	"testing/fstest"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
)

func TestShowSeed(t *testing.T) {
	c, _ := os.ReadFile(os.Getenv("C"))
	var s []byte
	if os.Getenv("S") != "" {
		s, _ = os.ReadFile(os.Getenv("S"))
	}
	fsys := fstest.MapFS{
		"ipsec.d/a.conf":    {Data: []byte("conn inc\n\tleft=192.0.2.1\n\tright=192.0.2.7\n\tauthby=secret\n")},
		"ipsec.d/a.secrets": {Data: []byte("192.0.2.7 : PSK \"inc\"\n")},
	}
	doc, ws, err := Convert(bytesReader(c), "ipsec.conf", bytesReader(s), "ipsec.secrets", Options{LocalAddrs: addrs("192.0.2.1", "2001:db8::1"), Include: fsys})
	for _, w := range ws {
		fmt.Println(w)
	}
	if err != nil {
		t.Fatal(err)
	}
	vpnxml.Write(os.Stdout, doc)
}
