package getopt

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

// FuzzGetopt: Next never panics, ends within one call per input byte,
// returns only letters of optstring (or an error), and the options with
// the operands rebuild the command line word for word, in order.
func FuzzGetopt(f *testing.F) {
	f.Add(false, "hnp", "-np\x00get\x00stats")
	f.Add(true, "cdf:p:", "-cdfFILE\x00-p\x00keymat\x00--\x00x")
	f.Add(false, "pgdxocrFse:t:n:i:y:l:k:f:R:A:D:h:C:", "-gr\x00-tIKETunnel\x00-n")
	f.Add(true, "ag:s:", "--help\x00-\x00-g")
	f.Fuzz(func(t *testing.T, solaris bool, optstring, argv string) {
		args := strings.Split(argv, "\x00")
		d := POSIX
		if solaris {
			d = Solaris
		}
		got := rebuild(t, New(d, optstring, args), optstring, len(argv)+len(args)+1)
		if !slices.Equal(got, args) {
			t.Fatalf("rebuilt %q from %q", got, args)
		}
	})
}

// rebuild reassembles the words Next read, using Index to tell an
// attached argument from a separate one and a cluster's end.
func rebuild(t *testing.T, p *Parser, optstring string, limit int) []string {
	var words []string
	for range limit {
		before := p.Index()
		c, arg, err := p.Next()
		if err == io.EOF {
			if p.Index() == len(words)+1 {
				words = append(words, "--")
			}
			return append(words, p.Args()...)
		}
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("error %v is no *Error", err)
		}
		if err == nil && (c == ':' || strings.IndexByte(optstring, c) < 0) {
			t.Fatalf("option %q is not in %q", c, optstring)
		}
		if before == len(words) {
			words = append(words, "-")
		}
		if e != nil && e.Long != "" {
			words[before] += "-" + e.Long
			continue
		}
		words[before] += string([]byte{c})
		switch p.Index() - before {
		case 1:
			words[before] += arg
		case 2:
			words = append(words, arg)
		}
	}
	t.Fatalf("no end after %d calls", limit)
	return nil
}
