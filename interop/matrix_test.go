package interop

import (
	"bytes"
	"strings"
	"testing"
)

// TestSolarisToCharonMatrix: Main and Aggressive Mode, groups 2, 14 and
// 19 (ECP-256), 3DES/SHA-1 and AES-128/256 with SHA-1/SHA-256, each a
// phase 1 and a Quick Mode from a Solaris host to charon, on one pair of
// namespaces and one charon reloaded per case.
func TestSolarisToCharonMatrix(t *testing.T) {
	skipUnlessInterop(t)
	cases := []struct {
		name, xform, extra, charon string
		aggressive                 bool
	}{
		{"MM-3DES-SHA1-modp1024", "auth_method preshared oakley_group 2 auth_alg sha encr_alg 3des", "", "3des-sha1-modp1024", false},
		{"MM-AES128-SHA256-modp2048", "auth_method preshared oakley_group 14 auth_alg sha256 encr_alg aes", "", "aes128-sha256-modp2048", false},
		{"MM-AES256-SHA1-ecp256", "auth_method preshared oakley_group 19 auth_alg sha encr_alg aes(256..256)", "", "aes256-sha1-ecp256", false},
		{"AM-AES256-SHA256-modp2048", "auth_method preshared oakley_group 14 auth_alg sha256 encr_alg aes(256..256)", "p1_mode aggressive", "aes256-sha256-modp2048", true},
		{"AM-3DES-SHA1-ecp256", "auth_method preshared oakley_group 19 auth_alg sha encr_alg 3des", "p1_mode aggressive", "3des-sha1-ecp256", true},
	}
	const psk = "matrix secret"
	net, c := charonSide(t, func(l, r string) string {
		return pskConn(l, r, cases[0].charon, "aes128-sha1", psk, false)
	})
	l := solarisLab(t, net.A, net.B, cases[0].xform, psk)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if i > 0 {
				_, _ = c.Swanctl("--terminate", "--ike", "lab", "--timeout", "5")
				if err := c.Load(pskConn(net.B.Addr, net.A.Addr, tc.charon, "aes128-sha1", psk, tc.aggressive)); err != nil {
					t.Fatal(err)
				}
				configureSolaris(t, l, net.A, net.B, tc.xform, tc.extra, psk)
			}
			r, err := l.Run(net.A.NS, "acquire", "--from", net.A.Addr, "--to", net.B.Addr)
			if err != nil || r.Code != 0 || !strings.Contains(r.Stdout, "quick mode SA 1 created") {
				t.Fatalf("acquire: %v %+v\n%s", err, r, grepLog(c.Log(), "[IKE]", "[ENC]", "[CFG]"))
			}
			sas := dumpP1(t, l)
			if len(sas) != 1 {
				d, _ := l.Run("", "ikeadm", "dump", "p1")
				st, _ := l.Run("", "ikeadm", "get", "stats")
				t.Fatalf("dump p1 lists %d SAs after %q:\n%+v\n%+v", len(sas), r.Stdout, d, st)
			}
			out, _ := c.Swanctl("--list-sas")
			listed := ListedIKESAs(out)
			if len(listed) != 1 || listed[0].State != "ESTABLISHED" || listed[0].InitSPI != sas[0].CookieI || listed[0].RespSPI != sas[0].CookieR {
				t.Errorf("charon lists %v, ikeadm dump p1 cookies %s %s", listed, sas[0].CookieI, sas[0].CookieR)
			}
			k, err := LoggedPhase1Keys(c.Log())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(sas[0].Keys["SKEYID_d"], k.SKEYIDd) || !bytes.Equal(sas[0].Keys["Encryption key"], k.Ka) {
				t.Errorf("keys: ikeadm %x %x, charon %x %x", sas[0].Keys["SKEYID_d"], sas[0].Keys["Encryption key"], k.SKEYIDd, k.Ka)
			}
		})
	}
}
