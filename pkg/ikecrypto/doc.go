// Package ikecrypto is the cryptography of the emulated IKEv1 engine:
// Diffie-Hellman groups (RFC 2409, 3526, 5114, 5903), cookies and nonces,
// the HMAC PRFs, and the RFC 2409 phase 1 key derivation, so that both ends
// of a simulated SA print the same, real keying material.
//
// Every random byte is read from the io.Reader the caller passes, never
// from crypto/rand behind its back, so a lab seeded with
// "ikemu lab init --seed N" replays identically. The big-integer MODP
// arithmetic is not constant-time; that is acceptable for an emulator whose
// keys protect no traffic.
package ikecrypto
