package ipsecconf

import "strings"

// alg is one algorithm as the system's ipsecalgs table and the kernel
// know it: its SADB number, its names (the first is the one listings
// print) and its key lengths.
type alg struct {
	id                    int
	names                 []string
	minBits, maxBits, def int
	combined              bool // brings its own integrity (AES-GCM)
}

// The algorithms of a default Solaris 11 / illumos system
// (/etc/inet/ipsecalgs), with the kernel's key lengths.
var (
	encrAlgs = []alg{
		{id: 2, names: []string{"des-cbc", "des"}, minBits: 64, maxBits: 64, def: 64},
		{id: 3, names: []string{"3des-cbc", "3des"}, minBits: 192, maxBits: 192, def: 192},
		{id: 7, names: []string{"blowfish-cbc", "blowfish"}, minBits: 32, maxBits: 448, def: 128},
		{id: 11, names: []string{"null"}, minBits: 0, maxBits: 0, def: 0},
		{id: 12, names: []string{"aes-cbc", "aes"}, minBits: 128, maxBits: 256, def: 128},
		{id: 20, names: []string{"aes-gcm16", "aes-gcm"}, minBits: 128, maxBits: 256, def: 128, combined: true},
	}
	authAlgs = []alg{
		{id: 0, names: []string{"any"}},
		{id: 2, names: []string{"hmac-md5", "md5"}, minBits: 128, maxBits: 128, def: 128},
		{id: 3, names: []string{"hmac-sha1", "sha1", "sha"}, minBits: 160, maxBits: 160, def: 160},
		{id: 5, names: []string{"hmac-sha256", "sha256", "sha-256", "hmac-sha-256"}, minBits: 256, maxBits: 256, def: 256},
		{id: 6, names: []string{"hmac-sha384", "sha384", "sha-384", "hmac-sha-384"}, minBits: 384, maxBits: 384, def: 384},
		{id: 7, names: []string{"hmac-sha512", "sha512", "sha-512", "hmac-sha-512"}, minBits: 512, maxBits: 512, def: 512},
	}
)

// spdMaxBits is the SPD's "no upper bound".
const spdMaxBits = 0xffff

func algByName(table []alg, name string) (alg, bool) {
	for _, a := range table {
		for _, n := range a.names {
			if strings.EqualFold(n, name) {
				return a, true
			}
		}
	}
	return alg{}, false
}

func algByID(table []alg, id int) (alg, bool) {
	for _, a := range table {
		if a.id == id {
			return a, true
		}
	}
	return alg{}, false
}

// algName is how a listing names an algorithm: its first name, else its
// number.
func algName(table []alg, id int) string {
	if a, ok := algByID(table, id); ok {
		return a.names[0]
	}
	return itoa(id)
}
