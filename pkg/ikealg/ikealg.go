// Package ikealg numbers the IKE algorithms and authentication methods.
// It is a leaf package so that both the engine and the cryptography can
// name them without importing each other.
package ikealg

// AuthMethod is an IKE phase 1 authentication method (RFC 2409 numbers).
type AuthMethod int

const (
	AuthPreshared     AuthMethod = 1
	AuthDSSSig        AuthMethod = 2
	AuthRSASig        AuthMethod = 3
	AuthRSAEncrypt    AuthMethod = 4
	AuthRevRSAEncrypt AuthMethod = 5
)

// Cipher is an encryption algorithm, numbered as SADB ESP algorithms.
type Cipher int

const (
	CipherNone     Cipher = 0
	CipherDES      Cipher = 2
	Cipher3DES     Cipher = 3
	CipherBlowfish Cipher = 7
	CipherAES      Cipher = 12
)

// Hash is an authentication (hash) algorithm, numbered as SADB AH algorithms.
type Hash int

const (
	HashNone   Hash = 0
	HashMD5    Hash = 2
	HashSHA1   Hash = 3
	HashSHA256 Hash = 5
	HashSHA384 Hash = 6
	HashSHA512 Hash = 7
)
