package ikev1

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"fmt"

	"github.com/ikemu/ikemu/pkg/ikealg"
	"github.com/ikemu/ikemu/pkg/ikecrypto"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// newBlock is the block cipher of an IKE SA's encryption key.
func newBlock(c ikealg.Cipher, key []byte) (cipher.Block, error) {
	switch c {
	case ikealg.CipherDES:
		return des.NewCipher(key)
	case ikealg.Cipher3DES:
		return des.NewTripleDESCipher(key)
	case ikealg.CipherAES:
		return aes.NewCipher(key)
	case ikealg.CipherBlowfish:
		return newBlowfish(key)
	}
	return nil, fmt.Errorf("ikev1: cipher %d not supported", int(c))
}

// ivChain is the CBC state of one exchange: the IV of the next message
// either way (RFC 2409 appendix B).
type ivChain struct {
	block cipher.Block
	iv    []byte
	// The CBC modes, made on first use and moved to each message's IV
	// after: an exchange seals and opens several messages.
	enc, dec cipher.BlockMode
}

// ivSetter is what the standard library's CBC modes offer to start
// again from another IV.
type ivSetter interface{ SetIV([]byte) }

// mode returns *m set to iv, made by newMode when there is none or it
// cannot be reset.
func mode(m *cipher.BlockMode, iv []byte, newMode func() cipher.BlockMode) cipher.BlockMode {
	if s, ok := (*m).(ivSetter); ok {
		s.SetIV(iv)
		return *m
	}
	*m = newMode()
	return *m
}

// seal pads the payload chain body (zeros, the last byte the padding
// length, RFC 2409 section 5.3), encrypts it and moves the IV on to its
// last block.
func (c *ivChain) seal(body []byte) []byte {
	bs := c.block.BlockSize()
	pad := bs - len(body)%bs
	out := make([]byte, len(body)+pad)
	copy(out, body)
	out[len(out)-1] = byte(pad - 1)
	mode(&c.enc, c.iv, func() cipher.BlockMode { return cipher.NewCBCEncrypter(c.block, c.iv) }).CryptBlocks(out, out)
	c.iv = append(c.iv[:0], out[len(out)-bs:]...)
	return out
}

// open decrypts a ciphertext body; the IV moves on only when the caller
// commits (a message that fails its checks must not move the chain).
func (c *ivChain) open(ct []byte) (plain, next []byte, err error) {
	bs := c.block.BlockSize()
	if len(ct) == 0 || len(ct)%bs != 0 {
		return nil, nil, fmt.Errorf("ikev1: encrypted body of %d bytes is not a multiple of the %d-byte block", len(ct), bs)
	}
	plain = make([]byte, len(ct))
	mode(&c.dec, c.iv, func() cipher.BlockMode { return cipher.NewCBCDecrypter(c.block, c.iv) }).CryptBlocks(plain, ct)
	return plain, append([]byte(nil), ct[len(ct)-bs:]...), nil
}

// phase2IV is the first IV of a phase 2 or informational exchange:
// hash(last phase 1 block | M-ID), truncated to the block size.
func phase2IV(prf ikecrypto.PRF, last []byte, mid uint32, bs int) []byte {
	m := []byte{byte(mid >> 24), byte(mid >> 16), byte(mid >> 8), byte(mid)}
	return prf.Digest(last, m)[:bs]
}

// sealMessage encrypts payloads under h with the chain and returns the
// datagram.
func sealMessage(h isakmp.Header, c *ivChain, body []byte, first isakmp.PayloadType) ([]byte, error) {
	h.Flags |= isakmp.FlagEncryption
	h.NextPayload = first
	return isakmp.EncodeWithBody(h, c.seal(body))
}

// openMessage decrypts and decodes the body of an encrypted message. It
// returns the plaintext too, for the hashes computed over it, and the
// IV that follows when the message is accepted.
func openMessage(h isakmp.Header, msg []byte, c *ivChain) ([]isakmp.Payload, []byte, []byte, error) {
	plain, next, err := c.open(msg[isakmp.HeaderLen:h.Length])
	if err != nil {
		return nil, nil, nil, undecryptable{err}
	}
	ps, err := isakmp.DecodePayloads(h.NextPayload, plain)
	if err != nil {
		return nil, nil, nil, undecryptable{err}
	}
	return ps, plain, next, nil
}

// chainEnd is where the payload chain that starts at body[0] with type
// first ends; body has been decoded, so every length is sound.
func chainEnd(first isakmp.PayloadType, body []byte) int {
	pos := 0
	for t := first; t != isakmp.PayloadNone && pos+4 <= len(body); {
		t = isakmp.PayloadType(body[pos])
		pos += int(body[pos+2])<<8 | int(body[pos+3])
	}
	return pos
}
