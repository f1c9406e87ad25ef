package engine

import "time"

// Selectors are identity selectors of one side of a policy: includes, and
// excludes (stored without the leading '!').
type Selectors struct {
	Include []string `json:"include,omitempty"`
	Exclude []string `json:"exclude,omitempty"`
}

// Transform is one phase 1 proposal transform, in preference order.
type Transform struct {
	Auth         AuthMethod `json:"auth"`
	Cipher       Cipher     `json:"cipher"`
	KeyMin       int        `json:"key_min,omitempty"` // bits; 0 = fixed by cipher
	KeyMax       int        `json:"key_max,omitempty"`
	Hash         Hash       `json:"hash"`
	Group        int        `json:"group"`
	LifetimeSecs uint32     `json:"lifetime_secs"`
	LifetimeKB   uint32     `json:"lifetime_kb,omitempty"`
}

// Phase1Policy is a phase 1 policy: a Solaris ike.config rule, or an AIX
// IKETunnel with its IKEProtection. Lifetimes are the effective
// (sanity-checked) values.
type Phase1Policy struct {
	Label          string       `json:"label"`
	KMCookie       uint32       `json:"kmc"`
	Mode           ExchangeMode `json:"mode"`
	LocalIDType    IDKind       `json:"local_id_type"`
	LocalAddrs     []AddrRange  `json:"local_addrs"`
	RemoteAddrs    []AddrRange  `json:"remote_addrs"`
	LocalIDs       Selectors    `json:"local_ids"`
	RemoteIDs      Selectors    `json:"remote_ids"`
	P1NonceLen     uint32       `json:"p1_nonce_len"`
	P2NonceLen     uint32       `json:"p2_nonce_len"`
	P2PFS          int          `json:"p2_pfs"`
	P2LifetimeSecs uint32       `json:"p2_lifetime_secs"`
	P2SoftSecs     uint32       `json:"p2_softlife_secs"`
	P2IdleSecs     uint32       `json:"p2_idletime_secs"`
	P2LifetimeKB   uint32       `json:"p2_lifetime_kb"`
	P2SoftKB       uint32       `json:"p2_softlife_kb"`
	Transforms     []Transform  `json:"transforms"`
	// Origin names the personality that defined the policy ("solaris",
	// "aix"), so a personality can tell its own definitions from the
	// other's where its vendor would.
	Origin string `json:"origin,omitempty"`
}

// ConfigDefaults are the global values recorded from the last
// configuration load; zero means "not set", so the hard default applies.
// get defaults compares them with the hard defaults.
type ConfigDefaults struct {
	P1LifetimeSecs uint32 `json:"p1_lifetime_secs,omitempty"`
	P1NonceLen     uint32 `json:"p1_nonce_len,omitempty"`
	P2LifetimeSecs uint32 `json:"p2_lifetime_secs,omitempty"`
	P2SoftSecs     uint32 `json:"p2_softlife_secs,omitempty"`
	P2IdleSecs     uint32 `json:"p2_idletime_secs,omitempty"`
	P2LifetimeKB   uint32 `json:"p2_lifetime_kb,omitempty"`
	P2SoftKB       uint32 `json:"p2_softlife_kb,omitempty"`
	P2NonceLen     uint32 `json:"p2_nonce_len,omitempty"`
	P2PFS          uint32 `json:"p2_pfs,omitempty"`
	MaxCerts       uint32 `json:"max_certs,omitempty"`
	NATTPort       uint32 `json:"nat_t_port,omitempty"`
	// The system values are learned from the kernel's ACQUIRE messages.
	SysP2LifetimeSecs  uint32 `json:"sys_p2_lifetime_secs,omitempty"`
	SysP2SoftSecs      uint32 `json:"sys_p2_softlife_secs,omitempty"`
	SysP2LifetimeBytes uint32 `json:"sys_p2_lifetime_bytes,omitempty"`
	SysP2SoftBytes     uint32 `json:"sys_p2_softlife_bytes,omitempty"`
}

// GlobalConfig is what a configuration file holds besides its policies.
type GlobalConfig struct {
	Recorded    ConfigDefaults `json:"recorded"`
	CertRoot    []string       `json:"cert_root,omitempty"`
	CertTrust   []string       `json:"cert_trust,omitempty"`
	CertReq     []string       `json:"cert_request,omitempty"`
	PKCS11Path  string         `json:"pkcs11_path,omitempty"`
	IgnoreCRLs  bool           `json:"ignore_crls,omitempty"`
	UseHTTP     bool           `json:"use_http,omitempty"`
	LDAPServer  string         `json:"ldap_server,omitempty"`
	Proxy       string         `json:"proxy,omitempty"`
	Socks       string         `json:"socks,omitempty"`
	ExpireTimer uint32         `json:"expire_timer,omitempty"`
	RetryLimit  uint32         `json:"retry_limit,omitempty"`
	// RetryTimerInit and RetryTimerMax are retry_timer_init and
	// retry_timer_max (0: not given, in.iked's 0.5 s and 30 s).
	RetryTimerInit time.Duration `json:"retry_timer_init,omitempty"`
	RetryTimerMax  time.Duration `json:"retry_timer_max,omitempty"`
}
