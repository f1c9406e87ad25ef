package ipsecconf

import (
	"bytes"
	"errors"
	"testing"
	"testing/fstest"
)

// FuzzConvert checks that Convert never panics, that its errors are
// *Error, and that any document it returns validates and survives a
// round trip through vpnxml.Write and vpnxml.Decode.
func FuzzConvert(f *testing.F) {
	f.Add([]byte(peer("\tauto=start\n")), []byte(peerSecret))
	f.Add([]byte("conn a\n\tleft=%defaultroute\n\tright=%any\n\trightid=@x\n"), []byte(": PSK 0sAAAA\n"))
	fsys := fstest.MapFS{
		"ipsec.d/a.conf":    {Data: []byte("conn inc\n\tleft=192.0.2.1\n\tright=192.0.2.7\n\tauthby=secret\n")},
		"ipsec.d/a.secrets": {Data: []byte("192.0.2.7 : PSK \"inc\"\n")},
	}
	opts := Options{LocalAddrs: addrs("192.0.2.1", "2001:db8::1"), Include: fsys}
	f.Fuzz(func(t *testing.T, conf, secrets []byte) {
		doc, _, err := Convert(bytes.NewReader(conf), "ipsec.conf", bytes.NewReader(secrets), "ipsec.secrets", opts)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || doc != nil {
				t.Fatalf("error %T %v with document %v", err, err, doc != nil)
			}
			return
		}
		roundTrip(t, doc)
	})
}
