package solaris

import (
	"errors"
	"net/netip"
	"strings"

	"github.com/ikemu/ikemu/personalities/solaris/preshared"
	"github.com/ikemu/ikemu/pkg/engine"
)

// addrPair is one (local, remote) combination of an address pair.
type addrPair struct{ local, remote netip.Addr }

// p1ID identifies phase 1 SAs: by cookies, or by address pairs.
type p1ID struct {
	cookies    bool
	ckyI, ckyR uint64
	pairs      []addrPair
}

// pskID identifies preshared keys: by identities, or by address pairs.
type pskID struct {
	idents bool
	ltype  engine.IDKind
	lid    string
	rtype  engine.IDKind
	rid    string
	pairs  []addrPair
}

// invalidID is the failure to parse an identifier; noun names its object.
func invalidID(noun string) error {
	return bailf("invalid %s identification\n", noun)
}

func (s *session) getP1(o *object, args []string) error   { return s.p1Op("get", o.noun, args) }
func (s *session) getRule(o *object, args []string) error { return s.ruleOp("get", o.noun, args) }
func (s *session) getPreshared(o *object, args []string) error {
	return s.pskOp("get", o.noun, args)
}

func (s *session) delP1(o *object, args []string) error   { return s.p1Op("del", o.noun, args) }
func (s *session) delRule(o *object, args []string) error { return s.ruleOp("del", o.noun, args) }
func (s *session) delPreshared(o *object, args []string) error {
	return s.pskOp("del", o.noun, args)
}

// getDelDoor is the door call of a get (read-only) or a del.
func (s *session) getDelDoor(op, svc string, fn func(h *engine.Host) error) error {
	if op == "get" {
		return s.doorRead(svc, fn)
	}
	return s.door(svc, fn)
}

// reportGetDel prints the non-fatal outcome of a get or del.
func (s *session) reportGetDel(op, noun string, err error) error {
	if err == nil {
		if op == "del" {
			s.message("Successfully deleted selected %s.", noun)
		}
		return nil
	}
	reply, ok := daemonReply(err)
	if !ok {
		return err
	}
	if reply.code == ikeErrNoObj {
		s.message("Could not find requested %s.", noun)
		return nil
	}
	verb := "getting"
	if op == "del" {
		verb = "deleting"
	}
	s.message("error %s %s: %s", verb, noun, doorErrText(reply, true))
	return nil
}

func (s *session) p1Op(op, noun string, args []string) error {
	if len(args) == 0 {
		return &bailError{what: "not enough identification info"}
	}
	var id *p1ID
	var err error
	if strings.HasPrefix(args[0], "0x") {
		id, err = s.parseP1ID(nil, noun, args) // cookies need no name service
	} else {
		err = s.resolving(func(h *engine.Host) (err error) { id, err = s.parseP1ID(h, noun, args); return err })
	}
	if err != nil {
		return err
	}
	svc := "IKE_SVC_GET_P1"
	if op == "del" {
		svc = "IKE_SVC_DEL_P1"
	}
	if id.cookies {
		return s.reportGetDel(op, noun, s.getDelDoor(op, svc, func(h *engine.Host) error {
			if op == "del" {
				return h.SAs().DeletePhase1ByCookies(id.ckyI, id.ckyR)
			}
			sa, err := h.SAs().Phase1ByCookies(id.ckyI, id.ckyR)
			if err != nil {
				return err
			}
			return s.writeP1(s.out, h, sa)
		}))
	}
	for _, pr := range id.pairs {
		err := s.reportGetDel(op, noun, s.getDelDoor(op, svc, func(h *engine.Host) error {
			return s.p1Apply(h, op, func(sa *engine.Phase1SA) bool {
				return sa.Local.First == pr.local && sa.Remote.First == pr.remote
			}, 0)
		}))
		if err != nil {
			return err
		}
	}
	return nil
}

// p1Apply prints the first matching SA (get) or deletes matches (del).
func (s *session) p1Apply(h *engine.Host, op string, match func(*engine.Phase1SA) bool, limit int) error {
	if op == "del" {
		n, err := h.SAs().DeletePhase1(match, limit)
		if err == nil && n == 0 {
			return daemonErr(ikeErrNoObj)
		}
		return err
	}
	var found *engine.Phase1SA
	err := h.SAs().ScanPhase1(func(sa *engine.Phase1SA) error {
		if found == nil && match(sa) {
			found = sa
		}
		return nil
	})
	if err != nil {
		return err
	}
	if found == nil {
		return daemonErr(ikeErrNoObj)
	}
	return s.writeP1(s.out, h, found)
}

// resolving runs name resolution against the current host's tables.
func (s *session) resolving(fn func(h *engine.Host) error) error {
	return s.lab.View(func(tx *engine.Tx) error {
		h, err := tx.Host(s.lab.HostName)
		if err != nil {
			return err
		}
		return fn(h)
	})
}

func (s *session) parseP1ID(h *engine.Host, noun string, args []string) (*p1ID, error) {
	if strings.HasPrefix(args[0], "0x") {
		if len(args) < 2 {
			return nil, invalidID(noun)
		}
		var cky [2]uint64
		for i := range cky {
			v, overflow := strtoull(args[i])
			if overflow {
				s.message("failed to parse cookie %s.", args[i])
				return nil, invalidID(noun)
			}
			cky[i] = v
		}
		return &p1ID{cookies: true, ckyI: cky[0], ckyR: cky[1]}, nil
	}
	pairs, err := s.parseAddrPair(h, noun, args)
	if err != nil {
		return nil, err
	}
	return &p1ID{pairs: pairs}, nil
}

// parseAddrPair resolves "local remote" into every address combination.
func (s *session) parseAddrPair(h *engine.Host, noun string, args []string) ([]addrPair, error) {
	if len(args) < 2 {
		return nil, invalidID(noun)
	}
	var side [2][]netip.Addr
	for i := range side {
		side[i] = s.lookupName(h, args[i])
		if len(side[i]) == 0 {
			s.message("Unknown address %s.", args[i])
			return nil, invalidID(noun)
		}
	}
	var pairs []addrPair
	for _, l := range side[0] {
		for _, r := range side[1] {
			pairs = append(pairs, addrPair{l, r})
		}
	}
	return pairs, nil
}

func (s *session) ruleOp(op, noun string, args []string) error {
	if len(args) == 0 {
		return &bailError{what: "not enough identification info"}
	}
	label := args[0]
	if len(label) > 255 {
		return invalidID(noun)
	}
	if op == "del" {
		return s.reportGetDel(op, noun, s.door("IKE_SVC_DEL_RULE", func(h *engine.Host) error {
			return h.Policies().DeletePhase1(label)
		}))
	}
	return s.reportGetDel(op, noun, s.doorRead("IKE_SVC_GET_RULE", func(h *engine.Host) error {
		p, err := h.Policies().Phase1ByLabel(label)
		if err != nil {
			return err
		}
		return writeRule(s.out, p)
	}))
}

func (s *session) parsePSKID(h *engine.Host, noun string, args []string) (*pskID, error) {
	if lt, ok := preshared.IdentKind(args[0]); ok {
		if len(args) < 4 {
			return nil, invalidID(noun)
		}
		rt, ok := preshared.IdentKind(args[2])
		if !ok {
			s.message("unknown identity type %s.", args[2])
			return nil, invalidID(noun)
		}
		return &pskID{idents: true, ltype: lt, lid: args[1], rtype: rt, rid: args[3]}, nil
	}
	pairs, err := s.parseAddrPair(h, noun, args)
	if err != nil {
		return nil, err
	}
	return &pskID{pairs: pairs}, nil
}

func (s *session) pskOp(op, noun string, args []string) error {
	if len(args) == 0 {
		return &bailError{what: "not enough identification info"}
	}
	var id *pskID
	if err := s.resolving(func(h *engine.Host) (err error) { id, err = s.parsePSKID(h, noun, args); return err }); err != nil {
		return err
	}
	svc := "IKE_SVC_GET_PS"
	if op == "del" {
		svc = "IKE_SVC_DEL_PS"
	}
	if id.idents {
		return s.reportGetDel(op, noun, s.getDelDoor(op, svc, func(h *engine.Host) error {
			return s.pskApply(h, op, func(k *engine.PresharedKey) bool {
				return preshared.MatchIdents(k, id.ltype, id.lid, id.rtype, id.rid)
			})
		}))
	}
	for _, pr := range id.pairs {
		err := s.reportGetDel(op, noun, s.getDelDoor(op, svc, func(h *engine.Host) error {
			if pr.local.Is4() != pr.remote.Is4() {
				return daemonErr(ikeErrIDInvalid)
			}
			return s.pskApply(h, op, func(k *engine.PresharedKey) bool {
				return preshared.MatchAddrs(k, pr.local, pr.remote)
			})
		}))
		if err != nil {
			return err
		}
	}
	return nil
}

// pskApply prints or deletes the first key match selects; preshared keys
// need privilege modkeys, and their bytes show only at keymat.
func (s *session) pskApply(h *engine.Host, op string, match func(*engine.PresharedKey) bool) error {
	d, err := h.Daemons().IKE()
	if err != nil {
		return err
	}
	if d.Priv < engine.PrivModKeys {
		return daemonErr(ikeErrNoPriv)
	}
	errFound := errors.New("found")
	var ref engine.PSKRef
	var found *engine.PresharedKey
	err = h.Keys().Scan(func(r engine.PSKRef, k *engine.PresharedKey) error {
		if match(k) {
			ref, found = r, k
			return errFound
		}
		return nil
	})
	if err != nil && !errors.Is(err, errFound) {
		return err
	}
	if found == nil {
		return daemonErr(ikeErrNoObj)
	}
	if op == "del" {
		return h.Keys().Delete(ref)
	}
	return s.writePreshared(s.out, h, found, d.Priv >= engine.PrivKeymat)
}
