// Package tun is AIX's manual IP security tunnel commands (gentun,
// lstun, mktun, rmtun) and ipsecstat, over the host's manual tunnel
// table in the engine, with IBM's texts.
package tun

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ikemu/ikemu/personalities/aix/filt"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/proc"
)

// algorithm is one installed IP security algorithm and its key length
// in bytes, as ipsecstat -A and -E list them [R].
type algorithm struct {
	name    string
	keyLen  int
	encrypt bool
}

var algorithms = []algorithm{
	{"HMAC_MD5", 16, false}, {"HMAC_SHA", 20, false}, {"HMAC_SHA256", 32, false},
	{"HMAC_SHA384", 48, false}, {"HMAC_SHA512", 64, false}, {"KEYED_MD5", 16, false},
	{"DES_CBC_8", 8, true}, {"DES_CBC_4", 8, true}, {"3DES_CBC", 24, true},
	{"AES_CBC_128", 16, true}, {"AES_CBC_192", 24, true}, {"AES_CBC_256", 32, true}, {"NULL", 0, true},
}

func lookup(name string, encrypt bool) (algorithm, bool) {
	for _, a := range algorithms {
		if strings.EqualFold(a.name, name) && a.encrypt == encrypt {
			return a, true
		}
	}
	return algorithm{}, false
}

// key checks a hex key for alg ("0x" allowed), or makes one when empty.
func key(alg algorithm, v string, flag byte) (string, error) {
	if v == "" {
		b := make([]byte, alg.keyLen)
		if _, err := rand.Read(b); err != nil {
			return "", fmt.Errorf("generate key: %w", err)
		}
		return "0x" + hex.EncodeToString(b), nil
	}
	h := strings.TrimPrefix(strings.TrimPrefix(v, "0x"), "0X")
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != alg.keyLen {
		// [I] never echo a key: name the flag and the length wanted.
		return "", filt.Refuse("Invalid key for -%c: %s takes %d hexadecimal bytes.", flag, alg.name, alg.keyLen)
	}
	return "0x" + strings.ToLower(h), nil
}

var errUsage = errors.New("usage")

// usageOr prints a refusal's line, or getopt's complaint (AIX's words)
// and the usage; exit 1.
func usageOr(p *proc.Proc, tool string, err error, text string) int {
	if msg, ok := filt.Refusal(err); ok {
		fmt.Fprintln(p.Stderr, msg)
		return 1
	}
	var ge *getopt.Error
	if errors.As(err, &ge) {
		if ge.Kind == getopt.MissingArgument {
			fmt.Fprintf(p.Stderr, "%s: Flag requires a parameter: %s\n", tool, ge.Option())
		} else {
			fmt.Fprintf(p.Stderr, "%s: Not a recognized flag: %s\n", tool, ge.Option())
		}
	}
	io.WriteString(p.Stderr, text)
	return 1
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80]
	}
	return s
}

// version is -v's value: 4 or 6, or 0 when absent and allowed.
func version(v string, optional bool) (int, error) {
	switch {
	case v == "4" || v == "6":
		return int(v[0] - '0'), nil
	case v == "" && optional:
		return 0, nil
	}
	return 0, errUsage
}

// idList parses a tunnel ID list: IDs separated by ',' and ranges with
// '-' (1,3,10,50-55) [C: IBM's mktun and rmtun]; "all" is nil.
func idList(s string) (map[uint32]bool, error) {
	if s == "all" {
		return nil, nil
	}
	ids := map[uint32]bool{}
	for _, f := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(f), "-")
		a, err1 := strconv.ParseUint(lo, 10, 32)
		b, err2 := a, error(nil)
		if isRange {
			b, err2 = strconv.ParseUint(hi, 10, 32)
		}
		if err1 != nil || err2 != nil || a < 1 || b < a || b-a > 65535 {
			return nil, filt.Refuse("Invalid tunnel ID list %q.", clip(s))
		}
		for i := a; i <= b; i++ {
			ids[uint32(i)] = true
		}
	}
	return ids, nil
}
