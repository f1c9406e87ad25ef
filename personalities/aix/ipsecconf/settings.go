package ipsecconf

import (
	"sort"
	"strconv"
	"strings"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
)

// AIX ranges for key lifetimes and overlaps (see vpnxml).
const (
	maxMinutes = 43200
	maxOverlap = 1440
	maxKB      = 1<<31 - 1
)

// parseDuration reads a time as ipsec.conf writes it: a whole number with
// an optional unit s, m, h or d (seconds when none).
func parseDuration(v string) (int64, bool) {
	v = strings.TrimSpace(v)
	unit := int64(1)
	if n := len(v); n > 0 {
		switch v[n-1] {
		case 's':
			v = v[:n-1]
		case 'm':
			unit, v = 60, v[:n-1]
		case 'h':
			unit, v = 3600, v[:n-1]
		case 'd':
			unit, v = 86400, v[:n-1]
		}
	}
	if !isDigits(v) || len(v) > 9 {
		return 0, false
	}
	n, _ := strconv.ParseInt(v, 10, 64)
	return n * unit, true
}

// lifetime reads a lifetime as AIX minutes. Absent, it stays absent and
// the AIX default applies.
func (c *converter) lifetime(v *connView, key string) vpnxml.Int {
	s, ok := v.get(key)
	if !ok {
		return vpnxml.Int{}
	}
	secs, valid := parseDuration(s.value)
	if !valid || secs == 0 {
		c.settingWarn(s, s.String()+" is not a valid lifetime; the AIX default is used")
		return vpnxml.Int{}
	}
	m, note := toMinutes(secs, 1, maxMinutes)
	if note != "" {
		c.settingWarn(s, s.String()+": "+note)
	}
	return vpnxml.IntOf(int(m))
}

// toMinutes rounds seconds to the nearest minute within lo-hi, and says
// so when the value changes.
func toMinutes(secs, lo, hi int64) (int64, string) {
	m := (secs + 30) / 60
	switch {
	case m < lo:
		m = lo
	case m > hi:
		return hi, "more than AIX allows; " + strconv.FormatInt(hi, 10) + " minutes used"
	}
	if m*60 != secs {
		return m, "AIX counts whole minutes; " + strconv.FormatInt(m, 10) + " used"
	}
	return m, ""
}

// overlap reads rekeymargin= (strongSwan also margintime=): the time
// before expiry when keys are refreshed, AIX's key overlap.
func (c *converter) overlap(v *connView) vpnxml.Int {
	s, ok := v.get("rekeymargin")
	if !ok {
		return vpnxml.Int{}
	}
	secs, valid := parseDuration(s.value)
	if !valid {
		c.settingWarn(s, s.String()+" is not a valid time; the AIX default is used")
		return vpnxml.Int{}
	}
	m, note := toMinutes(secs, 0, maxOverlap)
	if note != "" {
		c.settingWarn(s, s.String()+": "+note)
	}
	return vpnxml.IntOf(int(m))
}

// lifeBytes reads strongSwan's lifebytes= as AIX kilobytes.
func (c *converter) lifeBytes(v *connView) vpnxml.Int {
	s, ok := v.get("lifebytes")
	if !ok {
		return vpnxml.Int{}
	}
	if !isDigits(s.value) || len(s.value) > 18 {
		c.settingWarn(s, s.String()+" is not a number of bytes; ignored")
		return vpnxml.Int{}
	}
	n, _ := strconv.ParseInt(s.value, 10, 64)
	kb := (n + 1023) / 1024
	switch {
	case kb > maxKB:
		kb = maxKB
		c.settingWarn(s, s.String()+": more than AIX allows; "+strconv.Itoa(maxKB)+" KB used")
	case kb*1024 != n:
		c.settingWarn(s, s.String()+": AIX counts whole kilobytes; "+strconv.FormatInt(kb, 10)+" KB used")
	}
	return vpnxml.IntOf(int(kb))
}

// neutral reports values that ask for what AIX does anyway, so that
// nothing is lost by leaving them out.
func neutral(key, value string) bool {
	v := strings.ToLower(value)
	switch key {
	case "compress", "fragmentation", "ike_frag", "narrowing", "forceencaps", "encapsulation",
		"leftfirewall", "rightfirewall", "mobike", "modecfgpull", "sha2-truncbug", "sha2_truncbug":
		return v == "no"
	case "rekey", "installpolicy":
		return v == "yes"
	case "dpdaction":
		return v == "none"
	}
	return false
}

// certKey reports settings about certificates and public keys, which AIX
// keeps in its own certificate store.
func certKey(key string) bool {
	k := strings.TrimPrefix(strings.TrimPrefix(key, "left"), "right")
	switch k {
	case "cert", "cert2", "ca", "ca2", "sendcert", "rsasigkey", "rsasigkey2", "pubkey", "sigkey", "certpolicy", "id2":
		return k != key
	}
	return false
}

// otherSettings reports the settings of a converted conn that no step
// used: one warning per line.
func (c *converter) otherSettings(v *connView) {
	keys := make([]string, 0, len(v.set))
	for k := range v.set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s := v.set[k]
		switch {
		case v.used[k] || neutral(k, s.value):
		case certKey(k):
			c.settingWarn(s, s.String()+" is not converted: install certificates and keys with the AIX certificate tools; ignored")
		default:
			c.settingWarn(s, s.String()+" is not supported; ignored")
		}
	}
}
