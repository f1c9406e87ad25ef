package solaris

import (
	"bytes"
	"errors"
	"net/netip"
	"strings"
	"syscall"

	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/personalities/solaris/ikeconfig"
	"github.com/ikemu/ikemu/personalities/solaris/preshared"
	"github.com/ikemu/ikemu/pkg/boundedio"
	"github.com/ikemu/ikemu/pkg/engine"
)

func (s *session) addRule(args []string) error {
	if len(args) == 0 {
		return bailf("missing policy rule description or file name")
	}
	text, err := s.ruleSource(args)
	if err != nil {
		return err
	}
	err = s.door("IKE_SVC_NEW_RULE", func(h *engine.Host) error {
		f, err := s.parseConfig(h, text)
		if err != nil {
			return err
		}
		return h.Policies().AppendPhase1(f.Rules, f.Global)
	})
	if err == nil {
		s.message("Successfully created new policy rule.")
		return nil
	}
	if _, ok := daemonReply(err); !ok {
		return err
	}
	s.message("error creating new policy rule: %s", doorErrText(err, true))
	return nil
}

// ruleSource is the text the daemon parses for add rule: the named file,
// or the command-line words one per line, with the values of label,
// local_id and remote_id re-quoted as ikeadm does.
func (s *session) ruleSource(args []string) ([]byte, error) {
	if len(args) == 1 {
		b, err := boundedio.ReadFile(s.p.Path(args[0]), args[0], boundedio.FileLimit)
		if err != nil {
			return nil, userFileError("open source file", err)
		}
		return b, nil
	}
	if !strings.HasPrefix(args[0], "{") || !strings.HasSuffix(args[len(args)-1], "}") {
		return nil, bailf("improperly formatted policy rule")
	}
	var b bytes.Buffer
	quoteNext := false
	for _, a := range args {
		if quoteNext {
			a = `"` + strings.ReplaceAll(a, `"`, `\"`) + `"`
		}
		quoteNext = a == "label" || a == "local_id" || a == "remote_id"
		b.WriteString(a)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// parseConfig parses configuration text for the daemon. A failure reaches
// ikeadm only as EINVAL; the detail goes to the debug file.
func (s *session) parseConfig(h *engine.Host, text []byte) (*ikeconfig.File, error) {
	return s.parseConfigInto(h, text, nil)
}

// parseConfigInto is parseConfig with the rules put in batch, if given.
func (s *session) parseConfigInto(h *engine.Host, text []byte, batch *engine.Phase1Batch) (*ikeconfig.File, error) {
	f, err := parseIkeConfigInto(text, batch)
	if err != nil {
		logConfigError(h, err)
		return nil, sysErr(syscall.EINVAL, err.Error())
	}
	return f, nil
}

// logConfigError writes a parse failure to the debug file (categories op
// and config), so a user can learn why ikeadm said only Invalid argument.
func logConfigError(h *engine.Host, err error) {
	d, derr := h.Daemons().IKE()
	if derr != nil {
		return
	}
	cat := engine.DebugOp
	if d.Debug&cat == 0 {
		cat = engine.DebugConfig
	}
	daemonlog.Debug(h, cat, "%s", err.Error())
}

func (s *session) addPreshared(args []string) error {
	if len(args) == 0 {
		return bailf("missing preshared key description or file name")
	}
	var keys []engine.PresharedKey
	inline := len(args) > 1
	if inline {
		if !s.interactive {
			return &bailError{what: "Must be in interactive mode to add key info."}
		}
		k, err := s.parseInlinePSK(args)
		if err != nil {
			return err
		}
		keys = []engine.PresharedKey{k}
	}
	var text []byte
	if !inline {
		b, err := boundedio.ReadFile(s.p.Path(args[0]), args[0], boundedio.FileLimit)
		if err != nil {
			return userFileError("open source file", err)
		}
		text = b
	}
	err := s.door("IKE_SVC_NEW_PS", func(h *engine.Host) error {
		if err := requirePriv(h, engine.PrivModKeys); err != nil {
			return err
		}
		if !inline {
			res, err := s.parsePresharedText(h, text)
			if err != nil {
				return err
			}
			keys = res.Keys
			return h.Keys().Append(keys)
		}
		return appendInlineKey(h, keys[0])
	})
	if err == nil {
		s.message("Successfully created new preshared key.")
		return nil
	}
	if _, ok := daemonReply(err); !ok {
		return err
	}
	s.message("error creating new preshared key: %s", doorErrText(err, true))
	return nil
}

func (s *session) parseInlinePSK(args []string) (engine.PresharedKey, error) {
	var k engine.PresharedKey
	err := s.resolving(func(h *engine.Host) error {
		var err error
		k, err = preshared.ParseInline(args, s.resolver(h), s.nflag)
		return err
	})
	if err != nil {
		var ie *preshared.InlineError
		switch {
		case errors.Is(err, preshared.ErrMultipleAddrs):
			s.message("%s", preshared.ErrMultipleAddrs.Error())
		case errors.As(err, &ie) && ie.Notice != "":
			s.message("%s", ie.Notice)
		}
		return k, &bailError{what: "invalid preshared key definition"}
	}
	return k, nil
}

// appendInlineKey is in.iked's NEW_PS for a key typed at the prompt: it
// must have key bytes, and a duplicate identity is ignored.
func appendInlineKey(h *engine.Host, k engine.PresharedKey) error {
	if len(k.Key) == 0 {
		return daemonErr(ikeErrReqInvalid)
	}
	dup := false
	err := h.Keys().Scan(func(_ engine.PSKRef, old *engine.PresharedKey) error {
		if !k.LocalIDType.IsAddress() && sameIdentity(old, &k) {
			dup = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	if dup {
		return daemonErr(ikeErrDupIgnored)
	}
	return h.Keys().Append([]engine.PresharedKey{k})
}

// sameIdentity compares identity-typed keys exactly, types and strings.
// in.iked's comparison of address-typed keys never finds a duplicate,
// which is kept.
func sameIdentity(a, b *engine.PresharedKey) bool {
	return a.LocalIDType == b.LocalIDType && a.RemoteIDType == b.RemoteIDType &&
		a.LocalID == b.LocalID && a.RemoteID == b.RemoteID
}

func requirePriv(h *engine.Host, p engine.Privilege) error {
	d, err := h.Daemons().IKE()
	if err != nil {
		return err
	}
	if d.Priv < p {
		return daemonErr(ikeErrNoPriv)
	}
	return nil
}

// parsePresharedText parses an ike.preshared file for the daemon; a
// failure reaches ikeadm only as "Supplied data invalid".
func (s *session) parsePresharedText(h *engine.Host, text []byte) (*preshared.Result, error) {
	res, err := preshared.Parse(bytes.NewReader(text), s.resolver(h))
	if err != nil {
		logConfigError(h, err)
		return nil, &daemonError{code: ikeErrDataInvalid, detail: err.Error()}
	}
	for _, w := range res.Warnings {
		daemonlog.Debug(h, engine.DebugConfig, "%s", w)
	}
	return res, nil
}

// resolver adapts the host's name service for the preshared parsers.
func (s *session) resolver(h *engine.Host) preshared.Resolver {
	return func(name string) ([]netip.Addr, error) {
		addrs := s.lookupName(h, name)
		if len(addrs) == 0 {
			return nil, errors.New("unknown host " + name)
		}
		return addrs, nil
	}
}
