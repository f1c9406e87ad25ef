package engine

// Algorithms of phase 2 that phase 1 does not use, numbered as the SADB
// numbers them (the engine's Cipher and Hash are SADB numbers).
const (
	CipherAESGCM  Cipher = 20 // AES-GCM with a 16-byte ICV (SADB_X_EALG_AES_GCM_ICV16)
	CipherAESGMAC Cipher = 23 // AES-GMAC, integrity only (SADB_X_EALG_NULL_AES_GMAC)
	HashAESXCBC   Hash   = 9  // AES-XCBC-MAC-96 (SADB_X_AALG_AES_XCBC_MAC)
)

// Selector is one side of a phase 2 policy: the traffic it covers.
type Selector struct {
	// Kind says how the side was written: a host (IDIPv4, IDIPv6), a
	// subnet (IDIPv4Prefix, IDIPv6Prefix) or a range (IDIPv4Range,
	// IDIPv6Range). A group's members are hosts.
	Kind IDKind `json:"kind"`
	// Addrs are the addresses covered: one range, or one per member of
	// Group. A subnet is the range from its first to its last address.
	Addrs []AddrRange `json:"addrs"`
	// Group names the vendor group the addresses came from, if any.
	Group    string `json:"group,omitempty"`
	Port     int    `json:"port,omitempty"`     // 0: any port
	Protocol int    `json:"protocol,omitempty"` // IP protocol number; 0: any
}

// IPsecTransform is one protocol (ESP or AH) of a phase 2 proposal.
type IPsecTransform struct {
	// Cipher is ESP's encryption (CipherNone for ESP with null
	// encryption); AH has none.
	Cipher  Cipher `json:"cipher"`
	KeyBits int    `json:"key_bits,omitempty"` // 0: the cipher's default length
	// Auth is the integrity algorithm; HashNone for ciphers that bring
	// their own (AES-GCM, AES-GMAC).
	Auth         Hash   `json:"auth"`
	Transport    bool   `json:"transport,omitempty"` // transport mode; tunnel mode otherwise
	LifetimeSecs uint32 `json:"lifetime_secs"`
	LifetimeKB   uint32 `json:"lifetime_kb,omitempty"` // 0: no size limit
}

// Proposal is one phase 2 proposal: ESP, AH or both, applied together.
type Proposal struct {
	ESP *IPsecTransform `json:"esp,omitempty"`
	AH  *IPsecTransform `json:"ah,omitempty"`
}

// Phase2Policy is a phase 2 (quick mode) policy: the traffic between two
// selectors that is protected, with which proposals, negotiated under
// which phase 1 policy. An AIX IPSecTunnel with its IPSecProtection and
// proposals is one.
type Phase2Policy struct {
	Name      string     `json:"name"`
	Phase1    string     `json:"phase1"` // label of the phase 1 policy it runs under
	Local     Selector   `json:"local"`
	Remote    Selector   `json:"remote"`
	Proposals []Proposal `json:"proposals"` // in order of preference
	PFSGroup  int        `json:"pfs_group,omitempty"`
	// KeyOverlapSecs is how long before expiry the keys are refreshed.
	KeyOverlapSecs uint32 `json:"key_overlap_secs,omitempty"`
	AutoStart      bool   `json:"autostart,omitempty"`
	// Origin names the personality that defined the policy, as in
	// Phase1Policy.
	Origin string `json:"origin,omitempty"`
}
