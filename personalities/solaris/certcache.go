package solaris

import (
	"fmt"
	"io"

	"github.com/ikemu/ikemu/pkg/engine"
)

// dumpCertCache prints the daemon's certificate cache (dump certcache).
// It is a write request: the daemon keeps the cache it loads for its
// first dump, as in.iked keeps the one it loaded at start.
func (s *session) dumpCertCache(w io.Writer) error {
	return s.door("IKE_SVC_DUMP_CERTCACHE", func(h *engine.Host) error {
		certs, err := h.Certs().Cache()
		if err != nil {
			return err
		}
		for _, c := range certs {
			writeCertEntry(w, c)
		}
		return nil
	})
}

// writeCertEntry prints one cache entry as ikeadm's print_certcache does;
// the daemon reports a self-signed certificate's issuer as "Self-signed".
func writeCertEntry(w io.Writer, c engine.CachedCert) {
	subject, issuer := certName(c.Cert.RawSubject), certName(c.Cert.RawIssuer)
	if subject == issuer {
		issuer = "Self-signed"
	}
	fmt.Fprintf(w, "\nCERTIFICATE CACHE ID: %d\n", c.ID)
	fmt.Fprintf(w, "\tSubject Name: <%s>\n", subject)
	fmt.Fprintf(w, "\t Issuer Name: <%s>\n", issuer)
	if c.Trusted {
		io.WriteString(w, "\t\t[trusted certificate]\n")
	}
	switch c.Linkage {
	case engine.CertOffWire:
		io.WriteString(w, "\t\t[Public certificate only]\n\t\t[Obtained via certificate payload]\n")
	case engine.CertNoKey:
		io.WriteString(w, "\t\t[Public certificate only]\n")
	case engine.CertKeyLocked:
		io.WriteString(w, "\t\t[Private key linked but locked]\n")
	case engine.CertKeyAvailable:
		io.WriteString(w, "\t\t[Private key available]\n")
	}
}

// certName is a DN as the daemon prints it, or ikeadm's stand-in.
func certName(der []byte) string {
	if n := engine.FormatDN(der); n != "" {
		return n
	}
	return "Name unavailable"
}

// flushCertCache is flush certcache: the cache is dropped and reloaded,
// so certificates added to or removed from the host since show up.
func (s *session) flushCertCache() error {
	return s.door("IKE_SVC_FLUSH_CERTCACHE", func(h *engine.Host) error { return h.Certs().FlushCache() })
}
