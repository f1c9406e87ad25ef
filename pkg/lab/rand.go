package lab

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"io"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/store"
)

// Seed makes a lab's randomness reproducible: cookies, nonces and
// Diffie-Hellman keys then come from a stream keyed by the seed, so a
// fixture negotiates the same keys on every run. Never use a seeded lab
// for real keys: anyone who knows the seed knows every key.
type Seed struct {
	Set   bool   `json:"set"`
	Value int64  `json:"value"`
	Draws uint64 `json:"draws"` // 32-byte blocks handed out so far
}

const seedKey = "seed"

// seededReader is SHA-256 in counter mode over the seed: deterministic,
// and it never repeats a block within a lab.
type seededReader struct {
	seed  int64
	block uint64
	buf   []byte
}

func (r *seededReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(r.buf) == 0 {
			var in [32]byte
			copy(in[:16], "ikemu lab seed\x00\x00")
			binary.BigEndian.PutUint64(in[16:], uint64(r.seed))
			binary.BigEndian.PutUint64(in[24:], r.block)
			sum := sha256.Sum256(in[:])
			r.buf = sum[:]
			r.block++
		}
		c := copy(p[n:], r.buf)
		r.buf = r.buf[c:]
		n += c
	}
	return n, nil
}

// Checkpoint marks where the stream is; calling the function it returns
// puts the stream back there, so that a negotiation that ends before
// the point where it used to draw leaves the stream as it found it.
func (r *seededReader) Checkpoint() func() {
	block, buf := r.block, r.buf
	return func() { r.block, r.buf = block, buf }
}

// txRand returns the randomness of a transaction and a function that
// records how much of a seeded stream it used.
func txRand(st *store.Tx) (io.Reader, func() error, error) {
	s, err := getSeed(st)
	return txRandOf(st, s, err)
}

func getSeed(st *store.Tx) (Seed, error) {
	var s Seed
	_, err := getMeta(st, seedKey, &s)
	return s, err
}

func txRandOf(st *store.Tx, s Seed, err error) (io.Reader, func() error, error) {
	if err != nil {
		return nil, nil, err
	}
	if !s.Set {
		return rand.Reader, func() error { return nil }, nil
	}
	r := &seededReader{seed: s.Value, block: s.Draws}
	save := func() error {
		s.Draws = r.block
		return putMeta(st, seedKey, s)
	}
	return r, save, nil
}

// SetSeed makes the lab's randomness deterministic from now on.
func SetSeed(tx *engine.Tx, v int64) error {
	return putMeta(tx.Store(), seedKey, Seed{Set: true, Value: v})
}
