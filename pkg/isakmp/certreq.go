package isakmp

// CertRequest is the Certificate Request payload (RFC 2408 section 3.10).
type CertRequest struct {
	Encoding CertEncoding
	// Authority is the acceptable certificate authority, for X.509 the
	// DER distinguished name of the CA; empty asks for any.
	Authority []byte
}

// Type returns PayloadCertRequest.
func (CertRequest) Type() PayloadType { return PayloadCertRequest }

func (c CertRequest) appendBody(b []byte) ([]byte, error) {
	return append(append(b, byte(c.Encoding)), c.Authority...), nil
}

func decodeCertRequest(b []byte, off int) (*CertRequest, error) {
	if len(b) < 1 {
		return nil, malformed(off, "certificate request payload", ErrTruncated)
	}
	return &CertRequest{Encoding: CertEncoding(b[0]), Authority: b[1:]}, nil
}
