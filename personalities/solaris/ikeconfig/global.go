package ikeconfig

// parseGlobal handles one global parameter. Rule elements are allowed here
// too: they set the defaults rules inherit.
func (p *parser) parseGlobal() error {
	if p.tok.kind != tKeyword {
		return p.fail(msgSyntax)
	}
	switch p.tok.kw {
	case kwCertRoot, kwCertTrust, kwCertRequest:
		return p.certParam()
	case kwIgnoreCRLs, kwUseHTTP, kwLabelAware:
		return p.flagParam()
	case kwSocks, kwProxy, kwLDAPServer, kwPKCS11Path:
		return p.textParam()
	case kwMaxCerts, kwNATTPort, kwExpireTimer, kwRetryLimit:
		return p.numberParam()
	case kwP1NonceLen, kwP2NonceLen, kwP1LifetimeSecs:
		return p.defaultParam()
	case kwRetryTimerInit, kwRetryTimerMax:
		return p.timerParam()
	}
	return p.ruleElem(&p.glob)
}

// certParam appends to one of the certificate lists. The selector is kept
// as written, '!' included.
func (p *parser) certParam() error {
	kw := p.tok.kw
	s, err := p.stringValue()
	if err != nil {
		return err
	}
	g := &p.file.Global
	switch kw {
	case kwCertRoot:
		g.CertRoot = append(g.CertRoot, s)
	case kwCertTrust:
		g.CertTrust = append(g.CertTrust, s)
	default:
		g.CertReq = append(g.CertReq, s)
	}
	return p.advance()
}

// flagParam handles the argument-less parameters; a repeat is only logged.
func (p *parser) flagParam() error {
	g := &p.file.Global
	switch p.tok.kw {
	case kwIgnoreCRLs:
		if g.IgnoreCRLs {
			p.warn(warnIgnoreCRLs)
		}
		g.IgnoreCRLs = true
	case kwUseHTTP:
		if g.UseHTTP {
			p.warn(warnUseHTTP)
		}
		g.UseHTTP = true
	}
	// label_aware only matters with Trusted Extensions; ignored, as on a
	// system without labels.
	return p.advance()
}

// textParam handles the string-valued network and library settings. The
// daemon keeps the first proxy and socks host (complaining about later
// ones) but the last LDAP server and PKCS#11 path.
func (p *parser) textParam() error {
	kw := p.tok.kw
	s, err := p.stringValue()
	if err != nil {
		return err
	}
	g := &p.file.Global
	switch kw {
	case kwSocks:
		p.keepFirst(&g.Socks, s, warnSocks)
	case kwProxy:
		p.keepFirst(&g.Proxy, s, warnProxy)
	case kwLDAPServer:
		g.LDAPServer = s
	default:
		if g.PKCS11Path != "" && g.PKCS11Path != s {
			p.warn(warnPKCS11)
		}
		g.PKCS11Path = s
	}
	return p.advance()
}

// keepFirst sets *dst unless already set, in which case it warns.
func (p *parser) keepFirst(dst *string, s, warning string) {
	if *dst != "" {
		p.warn(warning)
		return
	}
	*dst = s
}

// numberParam handles the plain numeric globals.
func (p *parser) numberParam() error {
	kw := p.tok.kw
	v, err := p.numberValue()
	if err != nil {
		return err
	}
	g := &p.file.Global
	switch kw {
	case kwMaxCerts:
		recordFirst(&g.Recorded.MaxCerts, v)
	case kwNATTPort:
		// The daemon only logs this and keeps the bad port; an emulator
		// has no use for port 0 or 70000.
		if v == 0 || v > 65535 {
			return p.fail(msgPort)
		}
		g.Recorded.NATTPort = v
	case kwExpireTimer:
		g.ExpireTimer = v
	default:
		g.RetryLimit = v
	}
	return p.advance()
}

// defaultParam handles the globals that become per-rule or per-transform
// defaults: the nonce lengths and the phase 1 lifetime.
func (p *parser) defaultParam() error {
	kw := p.tok.kw
	v, err := p.numberValue()
	if err != nil {
		return err
	}
	rec := &p.file.Global.Recorded
	switch kw {
	case kwP1NonceLen:
		p.glob.p1Nonce = v
		recordFirst(&rec.P1NonceLen, v)
	case kwP2NonceLen:
		p.glob.p2Nonce = v
		recordFirst(&rec.P2NonceLen, v)
	default:
		recordFirst(&rec.P1LifetimeSecs, v)
		p.p1Life = max(v, minP1Lifetime)
	}
	return p.advance()
}

// timerParam handles retry_timer_init and retry_timer_max.
func (p *parser) timerParam() error {
	kw := p.tok.kw
	d, err := p.parseTimer()
	if err != nil {
		return err
	}
	if kw == kwRetryTimerInit {
		p.file.RetryTimerInit = d
		p.file.Global.RetryTimerInit = d
	} else {
		p.file.RetryTimerMax = d
		p.file.Global.RetryTimerMax = d
	}
	return p.advance()
}

// recordFirst keeps the first non-zero value seen, which is how the daemon
// records values for "get defaults" (zero means not set).
func recordFirst(dst *uint32, v uint32) {
	if *dst == 0 {
		*dst = v
	}
}
