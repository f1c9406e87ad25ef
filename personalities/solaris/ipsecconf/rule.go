package ipsecconf

import (
	"net/netip"

	"github.com/ikemu/ikemu/pkg/engine"
)

// The refusals do_address_adds reports after a rule parsed: each stops
// the whole load.
// (ipsecconf's own sentences, printed as they are.)
type refusal string

func (e refusal) Error() string { return string(e) }

const (
	errMaskAndPrefix refusal = "Can't set mask and /NN prefix."
	errPrefixMulti   refusal = "Can't set /NN prefix on multi-host name."
	errPrefixBig     refusal = "/NN prefix is too big!"
	errNoPairs       refusal = "No matching IPv4 or IPv6 saddr/daddr pairs"
)

// Priorities: rules earlier in a load come first, and bypass, ESP and AH
// rules are boosted, as ipsecconf numbers them.
const (
	bypassBoost  = 0x00800000
	espBoost     = 0x00400000
	ahBoost      = 0x00200000
	basePriority = 0x000fffff
)

// finish turns the parsed addresses into the rule's selectors.
func (f *former) finish(priority uint32) (engine.IPsecRule, error) {
	r := f.rule
	src, err := selector(f.srcAddrs, f.srcPrefix, f.srcMask)
	if err != nil {
		return r, err
	}
	dst, err := selector(f.dstAddrs, f.dstPrefix, f.dstMask)
	if err != nil {
		return r, err
	}
	if src.IsValid() && dst.IsValid() && src.Addr().Is4() != dst.Addr().Is4() {
		return r, errNoPairs
	}
	r.Local, r.Remote = src, dst
	if f.swap {
		r.Local, r.Remote = dst, src
		r.LocalPort, r.RemotePort = r.RemotePort, r.LocalPort
	}
	r.Priority = priority
	for _, a := range r.Actions {
		switch {
		case a.Kind == engine.IPsecPass:
			r.Priority |= bypassBoost
		case a.ESP:
			r.Priority |= espBoost
		}
		if a.AH {
			r.Priority |= ahBoost
		}
	}
	return r, nil
}

func selector(addrs []netip.Addr, prefix, mask int) (netip.Prefix, error) {
	if len(addrs) == 0 {
		return netip.Prefix{}, nil
	}
	if prefix >= 0 && mask > 0 {
		return netip.Prefix{}, errMaskAndPrefix
	}
	if prefix >= 0 && len(addrs) > 1 {
		return netip.Prefix{}, errPrefixMulti
	}
	a := addrs[0]
	bits := a.BitLen()
	switch {
	case prefix > bits:
		return netip.Prefix{}, errPrefixBig
	case prefix >= 0:
		bits = prefix
	case mask > 0:
		bits = mask
	}
	return netip.PrefixFrom(a, bits), nil
}
