package interop

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// chunkHead is charon's dump of a named chunk at level 4:
// "<time> <thread>[IKE] SKEYID => 32 bytes @ 0x7f..." followed by
// "<time> <thread>[IKE]    0: 40 E2 25 ... ascii" lines of 16 bytes;
// the Quick Mode keys come the same way under [CHD].
var (
	chunkHead = regexp.MustCompile(`\[(?:IKE|CHD)\] (.+) => (\d+) bytes @ 0x[0-9a-f]+$`)
	chunkLine = regexp.MustCompile(`\[(?:IKE|CHD)\] +(\d+): ((?:[0-9A-F]{2} ){1,16})`)
)

// LoggedChunks returns every chunk charon dumped under name, in log order.
func LoggedChunks(log, name string) [][]byte {
	var out [][]byte
	sc := bufio.NewScanner(strings.NewReader(log))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	var cur []byte
	want := -1
	for sc.Scan() {
		line := sc.Text()
		if want > 0 {
			if m := chunkLine.FindStringSubmatch(line); m != nil {
				b, err := hex.DecodeString(strings.ReplaceAll(strings.TrimSpace(m[2]), " ", ""))
				if err == nil {
					cur = append(cur, b...)
				}
				if len(cur) >= want {
					out = append(out, cur[:want])
					want = -1
				}
				continue
			}
			want = -1
		}
		if m := chunkHead.FindStringSubmatch(line); m != nil && m[1] == name {
			n, err := strconv.Atoi(m[2])
			if err != nil || n == 0 {
				continue
			}
			cur, want = nil, n
		}
	}
	return out
}

// Phase1Keys are the IKEv1 keys charon logs for one IKE SA.
type Phase1Keys struct {
	SKEYID, SKEYIDd, SKEYIDa, SKEYIDe, Ka []byte
}

// LoggedPhase1Keys returns the keys of the last IKE SA charon derived.
func LoggedPhase1Keys(log string) (Phase1Keys, error) {
	last := func(name string) []byte {
		c := LoggedChunks(log, name)
		if len(c) == 0 {
			return nil
		}
		return c[len(c)-1]
	}
	k := Phase1Keys{
		SKEYID:  last("SKEYID"),
		SKEYIDd: last("SKEYID_d"),
		SKEYIDa: last("SKEYID_a"),
		SKEYIDe: last("SKEYID_e"),
		Ka:      last("encryption key Ka"),
	}
	if k.SKEYID == nil || k.SKEYIDd == nil {
		return k, errNoKeys
	}
	return k, nil
}

// ikeSALine is swanctl --list-sas's first line of an IKE SA:
// "lab: #1, ESTABLISHED, IKEv1, 74f53b28e6a688c6_i* 3e6e141894aef75d_r".
var ikeSALine = regexp.MustCompile(`^(\S+): #(\d+), (\S+), IKEv1, ([0-9a-f]{16})_i\*? ([0-9a-f]{16})_r`)

// IKESA is one IKE SA as swanctl lists it; the SPIs are the ISAKMP
// cookies in wire byte order.
type IKESA struct {
	Name, State      string
	InitSPI, RespSPI string
}

// ListedIKESAs parses swanctl --list-sas.
func ListedIKESAs(out string) []IKESA {
	var sas []IKESA
	for _, line := range strings.Split(out, "\n") {
		if m := ikeSALine.FindStringSubmatch(line); m != nil {
			sas = append(sas, IKESA{Name: m[1], State: m[3], InitSPI: m[4], RespSPI: m[5]})
		}
	}
	return sas
}

func (s IKESA) String() string {
	return fmt.Sprintf("%s %s %s_i %s_r", s.Name, s.State, s.InitSPI, s.RespSPI)
}
