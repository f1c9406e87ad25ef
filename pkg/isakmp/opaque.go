package isakmp

// The payloads whose body is one opaque field. The codec accepts any
// length, empty included; what a length means (a DH public value of the
// group's size, a nonce of 8 to 256 bytes) is the engine's to check.

// KE is the Key Exchange payload (RFC 2408 section 3.7).
type KE struct{ Data []byte }

// Nonce is the Nonce payload (RFC 2408 section 3.13).
type Nonce struct{ Data []byte }

// Hash is the Hash payload (RFC 2408 section 3.11).
type Hash struct{ Data []byte }

// Signature is the Signature payload (RFC 2408 section 3.12).
type Signature struct{ Data []byte }

// VendorID is the Vendor ID payload (RFC 2408 section 3.16).
type VendorID struct{ Data []byte }

// Type returns PayloadKE.
func (KE) Type() PayloadType { return PayloadKE }

// Type returns PayloadNonce.
func (Nonce) Type() PayloadType { return PayloadNonce }

// Type returns PayloadHash.
func (Hash) Type() PayloadType { return PayloadHash }

// Type returns PayloadSignature.
func (Signature) Type() PayloadType { return PayloadSignature }

// Type returns PayloadVendorID.
func (VendorID) Type() PayloadType { return PayloadVendorID }

func (p KE) appendBody(b []byte) ([]byte, error)        { return append(b, p.Data...), nil }
func (p Nonce) appendBody(b []byte) ([]byte, error)     { return append(b, p.Data...), nil }
func (p Hash) appendBody(b []byte) ([]byte, error)      { return append(b, p.Data...), nil }
func (p Signature) appendBody(b []byte) ([]byte, error) { return append(b, p.Data...), nil }
func (p VendorID) appendBody(b []byte) ([]byte, error)  { return append(b, p.Data...), nil }
