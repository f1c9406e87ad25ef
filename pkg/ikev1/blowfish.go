package ikev1

import (
	"crypto/cipher"
	"encoding/binary"
	"fmt"
)

// Blowfish (Schneier, 1993) for IKE's blowfish-cbc. The house takes no
// golang.org/x/crypto, and the cipher is small: its initial P-array and
// S-boxes are the fractional hexadecimal digits of pi (blowfishpi.go).

const (
	blowfishRounds = 16
	piWords        = 18 + 4*256
)

type blowfish struct {
	p [18]uint32
	s [4][256]uint32
}

func newBlowfish(key []byte) (cipher.Block, error) {
	if len(key) < 4 || len(key) > 56 {
		return nil, fmt.Errorf("ikev1: blowfish key of %d bytes", len(key))
	}
	c := &blowfish{}
	d := blowfishPi[:]
	copy(c.p[:], d[:18])
	for i := range c.s {
		copy(c.s[i][:], d[18+256*i:])
	}
	for i, j := 0, 0; i < 18; i++ {
		var w uint32
		for range 4 {
			w = w<<8 | uint32(key[j])
			j = (j + 1) % len(key)
		}
		c.p[i] ^= w
	}
	var l, r uint32
	for i := 0; i < 18; i += 2 {
		l, r = c.encrypt(l, r)
		c.p[i], c.p[i+1] = l, r
	}
	for i := range c.s {
		for j := 0; j < 256; j += 2 {
			l, r = c.encrypt(l, r)
			c.s[i][j], c.s[i][j+1] = l, r
		}
	}
	return c, nil
}

func (c *blowfish) f(x uint32) uint32 {
	return ((c.s[0][x>>24] + c.s[1][x>>16&0xff]) ^ c.s[2][x>>8&0xff]) + c.s[3][x&0xff]
}

func (c *blowfish) encrypt(l, r uint32) (uint32, uint32) {
	for i := range blowfishRounds {
		l ^= c.p[i]
		r ^= c.f(l)
		l, r = r, l
	}
	l, r = r, l
	return l ^ c.p[17], r ^ c.p[16]
}

func (c *blowfish) decrypt(l, r uint32) (uint32, uint32) {
	for i := 17; i > 1; i-- {
		l ^= c.p[i]
		r ^= c.f(l)
		l, r = r, l
	}
	l, r = r, l
	return l ^ c.p[0], r ^ c.p[1]
}

func (c *blowfish) BlockSize() int { return 8 }

func (c *blowfish) Encrypt(dst, src []byte) {
	l, r := c.encrypt(binary.BigEndian.Uint32(src), binary.BigEndian.Uint32(src[4:]))
	binary.BigEndian.PutUint32(dst, l)
	binary.BigEndian.PutUint32(dst[4:], r)
}

func (c *blowfish) Decrypt(dst, src []byte) {
	l, r := c.decrypt(binary.BigEndian.Uint32(src), binary.BigEndian.Uint32(src[4:]))
	binary.BigEndian.PutUint32(dst, l)
	binary.BigEndian.PutUint32(dst[4:], r)
}
