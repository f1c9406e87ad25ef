package engine

import (
	"encoding/base64"
	"net/netip"
	"strconv"
	"time"
)

// jsonAppender is a row type that writes its own JSON: exactly the bytes
// encoding/json writes for it, without reflection. Every Quick Mode
// stores a phase 2 SA pair and its SADB event, and encoding/json spent
// as much CPU on them as the rest of the engine's records together.
// ok false leaves the value to encoding/json: appendJSON only writes the
// common case (plain ASCII strings, zone-less addresses, a time within
// years 0-9999, no manual SA or ACQUIRE), and its test checks it against
// encoding/json.
type jsonAppender interface {
	appendJSON(b []byte) (out []byte, ok bool)
}

// jsonAppendSize holds a phase 2 SA's JSON, keys included, or its event.
const jsonAppendSize = 640

// jsonWriter builds one JSON object; ok turns false at the first value it
// cannot write as encoding/json would.
type jsonWriter struct {
	b     []byte
	ok    bool
	first bool
}

func (w *jsonWriter) open() { w.b = append(w.b, '{'); w.first = true }

// close ends an object; the object it is a member of now has one.
func (w *jsonWriter) close() { w.b = append(w.b, '}'); w.first = false }

// key writes the field's name; names are plain ASCII constants.
func (w *jsonWriter) key(name string) {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, '"', ':')
}

func (w *jsonWriter) uintField(name string, v uint64) {
	w.key(name)
	w.b = strconv.AppendUint(w.b, v, 10)
}

func (w *jsonWriter) intField(name string, v int64) {
	w.key(name)
	w.b = strconv.AppendInt(w.b, v, 10)
}

func (w *jsonWriter) boolField(name string, v bool) {
	w.key(name)
	w.b = strconv.AppendBool(w.b, v)
}

// stringField writes s when encoding/json would write it unescaped: printable
// ASCII without the quote, the backslash and the HTML characters it
// escapes.
func (w *jsonWriter) stringField(name, s string) {
	w.key(name)
	w.quoted(s)
}

func (w *jsonWriter) quoted(s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			w.ok = false
			return
		}
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, s...)
	w.b = append(w.b, '"')
}

// timeField writes t as time.Time.MarshalJSON does (RFC 3339 with nanoseconds).
func (w *jsonWriter) timeField(name string, t time.Time) {
	w.key(name)
	raw, err := t.MarshalJSON()
	if err != nil {
		w.ok = false
		return
	}
	w.b = append(w.b, raw...)
}

// addrField writes a as its text; an address with a zone is left to
// encoding/json (a zone may need escaping).
func (w *jsonWriter) addrField(name string, a netip.Addr) {
	w.key(name)
	if a.Zone() != "" {
		w.ok = false
		return
	}
	w.b = append(w.b, '"')
	w.b, _ = a.AppendText(w.b) // never fails
	w.b = append(w.b, '"')
}

func (w *jsonWriter) bytesField(name string, v []byte) {
	w.key(name)
	w.b = append(w.b, '"')
	w.b = base64.StdEncoding.AppendEncode(w.b, v)
	w.b = append(w.b, '"')
}

func (w *jsonWriter) rangeField(name string, r AddrRange) {
	w.key(name)
	w.open()
	w.addrField("first", r.First)
	w.addrField("last", r.Last)
	w.close()
}

func (sa *Phase2SA) appendJSON(b []byte) ([]byte, bool) {
	w := jsonWriter{b: b, ok: true}
	sa.writeJSON(&w)
	return w.b, w.ok
}

// writeJSON follows Phase2SA's fields and tags in order.
func (sa *Phase2SA) writeJSON(w *jsonWriter) {
	w.open()
	w.uintField("tunnel_num", uint64(sa.TunnelNum))
	w.uintField("p1_tunnel_num", uint64(sa.P1TunnelNum))
	w.uintField("cky_i", sa.CookieI)
	w.uintField("cky_r", sa.CookieR)
	w.boolField("initiator", sa.Initiator)
	w.timeField("created", sa.Created)
	w.uintField("lifetime_secs", uint64(sa.LifetimeSecs))
	if sa.LifetimeKB != 0 {
		w.uintField("lifetime_kb", uint64(sa.LifetimeKB))
	}
	w.rangeField("local", sa.Local)
	w.rangeField("remote", sa.Remote)
	if sa.PolicyName != "" {
		w.stringField("policy", sa.PolicyName)
	}
	w.key("proposal")
	sa.Proposal.writeJSON(w)
	w.intField("pfs", int64(sa.PFS))
	w.uintField("spi_in", uint64(sa.SPIIn))
	w.uintField("spi_out", uint64(sa.SPIOut))
	if k := &sa.Keys; k.EncIn != nil || k.AuthIn != nil || k.EncOut != nil || k.AuthOut != nil {
		w.key("keys")
		k.writeJSON(w)
	}
	if sa.Removed {
		w.boolField("removed", true)
	}
	if sa.Status != "" {
		w.stringField("status", string(sa.Status))
	}
	w.close()
}

func (p *P2Transform) writeJSON(w *jsonWriter) {
	w.open()
	w.stringField("protocol", p.Protocol)
	if p.Cipher != 0 {
		w.intField("cipher", int64(p.Cipher))
	}
	if p.KeyBits != 0 {
		w.intField("key_bits", int64(p.KeyBits))
	}
	if p.Auth != 0 {
		w.intField("auth", int64(p.Auth))
	}
	w.stringField("mode", p.Encapsulate)
	w.close()
}

func (k *Phase2Keys) writeJSON(w *jsonWriter) {
	w.open()
	for _, f := range []struct {
		name string
		v    []byte
	}{{"enc_in", k.EncIn}, {"auth_in", k.AuthIn}, {"enc_out", k.EncOut}, {"auth_out", k.AuthOut}} {
		if len(f.v) != 0 {
			w.bytesField(f.name, f.v)
		}
	}
	w.close()
}

// appendJSON writes the daemon's counters, updated on every negotiation.
func (s *Stats) appendJSON(b []byte) ([]byte, bool) {
	w := jsonWriter{b: b, ok: true}
	w.open()
	w.uintField("init_total", uint64(s.InitTotal))
	w.uintField("resp_total", uint64(s.RespTotal))
	w.uintField("init_attempts", uint64(s.InitAttempts))
	w.uintField("resp_attempts", uint64(s.RespAttempts))
	w.uintField("init_noresp", uint64(s.InitNoResp))
	w.uintField("init_respfail", uint64(s.InitRespFail))
	w.uintField("resp_fail", uint64(s.RespFail))
	if s.RX != (RXDrops{}) {
		w.key("rx")
		w.open()
		for _, f := range []struct {
			name string
			v    uint32
		}{{"malformed", s.RX.Malformed}, {"unknown_cookie", s.RX.UnknownCookie}, {"replays", s.RX.Replays}, {"refused", s.RX.Refused}} {
			if f.v != 0 {
				w.uintField(f.name, uint64(f.v))
			}
		}
		w.close()
	}
	w.close()
	return w.b, w.ok
}

// appendJSON writes the events of negotiated pairs (and those without
// an SA); a manual SA or an ACQUIRE goes to encoding/json.
func (e *SADBEvent) appendJSON(b []byte) ([]byte, bool) {
	if e.Manual != nil || e.Acquire != nil {
		return b, false
	}
	w := jsonWriter{b: b, ok: true}
	w.open()
	w.stringField("kind", string(e.Kind))
	if e.Protocol != "" {
		w.stringField("protocol", e.Protocol)
	}
	w.uintField("seq", uint64(e.Seq))
	w.intField("pid", int64(e.PID))
	w.timeField("at", e.At)
	if e.Phase2 != nil {
		w.key("phase2")
		e.Phase2.writeJSON(&w)
	}
	if e.Local != (netip.Addr{}) {
		w.addrField("local", e.Local)
	}
	if e.Remote != (netip.Addr{}) {
		w.addrField("remote", e.Remote)
	}
	if e.Hard {
		w.boolField("hard", true)
	}
	w.close()
	return w.b, w.ok
}
