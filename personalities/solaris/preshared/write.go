package preshared

import (
	"errors"
	"io"
	"net/netip"
	"strconv"

	"github.com/ikemu/ikemu/pkg/engine"
)

// WriteKey writes one entry in the format the daemon uses for
// `ikeadm write preshared` (spec 2.15): TAB, keyword padded to column 15,
// value. Address identities read from a file are written as originally
// written; those added inline (no LocalText) as the numeric address with
// /plen when positive. The ike_mode line appears only for mode code 1
// (XchgBase), i.e. file entries and inline entries without ike_mode.
func WriteKey(w io.Writer, k *engine.PresharedKey) error {
	if k == nil {
		return errors.New("preshared: WriteKey of a nil entry")
	}
	b := make([]byte, 0, 160+2*len(k.Key))
	b = append(b, "{\n"...)
	b = appendSide(b, "\tlocalidtype    ", "\tlocalid        ", k.LocalIDType, k.LocalText, k.LocalID, k.LocalAddr, k.LocalPlen)
	b = appendSide(b, "\tremoteidtype   ", "\tremoteid       ", k.RemoteIDType, k.RemoteText, k.RemoteID, k.RemoteAddr, k.RemotePlen)
	if k.Mode == engine.XchgBase {
		b = append(b, "\tike_mode       main\n"...)
	}
	b = append(b, "\tkey            "...)
	b = appendHex(b, k.Key)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(k.KeyBits), 10)
	b = append(b, "\n}\n"...)
	_, err := w.Write(b)
	return err
}

func appendSide(b []byte, typeKw, idKw string, kind engine.IDKind, text, id string, a netip.Addr, plen int) []byte {
	b = append(b, typeKw...)
	b = append(b, typeName(kind)...)
	b = append(b, '\n')
	b = append(b, idKw...)
	switch {
	case kind != engine.IDIPv4 && kind != engine.IDIPv6:
		b = append(b, id...)
	case text != "":
		b = append(b, text...)
	default:
		b = append(b, numericText(a, plen)...)
	}
	return append(b, '\n')
}

// typeName is the daemon's id type name. Its table knows only the IP
// types; for others it passes NULL to printf (see package doc).
func typeName(kind engine.IDKind) string {
	switch kind {
	case engine.IDIPv4:
		return "IPv4"
	case engine.IDIPv6:
		return "IPv6"
	}
	return "(null)"
}
