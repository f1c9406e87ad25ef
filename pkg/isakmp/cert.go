package isakmp

// CertEncoding is the Certificate Encoding of CERT and CERTREQ payloads
// (RFC 2408 section 3.9).
type CertEncoding uint8

const (
	CertPKCS7           CertEncoding = 1
	CertPGP             CertEncoding = 2
	CertDNSSignedKey    CertEncoding = 3
	CertX509Signature   CertEncoding = 4
	CertX509KeyExchange CertEncoding = 5
	CertKerberos        CertEncoding = 6
	CertCRL             CertEncoding = 7
	CertARL             CertEncoding = 8
	CertSPKI            CertEncoding = 9
	CertX509Attribute   CertEncoding = 10
)

// Cert is the Certificate payload (RFC 2408 section 3.9).
type Cert struct {
	Encoding CertEncoding
	Data     []byte
}

// Type returns PayloadCert.
func (Cert) Type() PayloadType { return PayloadCert }

func (c Cert) appendBody(b []byte) ([]byte, error) {
	return append(append(b, byte(c.Encoding)), c.Data...), nil
}

func decodeCert(b []byte, off int) (*Cert, error) {
	if len(b) < 1 {
		return nil, malformed(off, "certificate payload", ErrTruncated)
	}
	return &Cert{Encoding: CertEncoding(b[0]), Data: b[1:]}, nil
}
