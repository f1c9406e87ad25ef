package isakmp

import (
	"encoding/hex"
	"strings"
	"testing"
)

// unhex decodes hex written with spaces, newlines and "#" comments.
func unhex(tb testing.TB, s string) []byte {
	tb.Helper()
	var clean strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		clean.WriteString(strings.Join(strings.Fields(line), ""))
	}
	b, err := hex.DecodeString(clean.String())
	if err != nil {
		tb.Fatalf("bad test vector: %v", err)
	}
	return b
}

// mainMode1Hex is a Main Mode message 1 laid out per RFC 2408 figures 2-7
// with the field values of a published DrayTek router log ("How to analyse
// VPN IPsec logs", faq.draytek.com.au): an SA with one PROTO_ISAKMP
// proposal of four KEY_IKE transforms, then the RFC 3706 DPD and RFC 3947
// NAT-T vendor IDs. The log numbers proposals and transforms from 0; they
// are written here from 1, and the log's further vendor IDs are left out.
const mainMode1Hex = `
b9f00c1aa2e689db 0000000000000000  # cookies
01 10 02 00 00000000 000000d8      # next SA, 1.0, Identity Protection, flags, msgid, length 216
0d 00 0094 00000001 00000001       # SA: next VID, length 148, IPsec DOI, SIT_IDENTITY_ONLY
  00 00 0088 01 01 00 04           # proposal 1, PROTO_ISAKMP, no SPI, 4 transforms
    03 00 0020 01 01 0000          # transform 1 KEY_IKE
      800b0001 800c0384            # life type seconds, duration 900
      80010001 80020001 80030001 80040001 # DES, MD5, PSK, group 1
    03 00 0020 02 01 0000
      800b0001 800c0384 80010001 80020002 80030001 80040001 # DES, SHA
    03 00 0020 03 01 0000
      800b0001 800c0384 80010005 80020001 80030001 80040001 # 3DES, MD5
    00 00 0020 04 01 0000
      800b0001 800c0384 80010005 80020001 80030001 80040002 # 3DES, MD5, group 2
0d 00 0014 afcad71368a1f1c96b8696fc77570100 # VID: RFC 3706 DPD
00 00 0014 4a131c81070358455c5728f20e95452f # VID: RFC 3947 NAT-T
`

// quickMode1BodyHex is the decrypted body of a Quick Mode message 1 with
// the payloads and values of a published D-Link NetDefendOS ikesnoop trace
// (user manual, "Explanation of values"): HASH(1), SA with one ESP
// proposal, Ni, IDci 10.4.2.6 and IDcr 10.4.0.0/16. Its lengths agree with
// the trace's 156-byte packet: 28 + 128, no padding needed with AES.
// HASH and nonce data are placeholders.
const quickMode1BodyHex = `
01 00 0014 000102030405060708090a0b0c0d0e0f # HASH(1): next SA
0a 00 003c 00000001 00000001               # SA: next NONCE, IPsec DOI
  00 00 0030 01 03 04 01 afba2d15          # proposal 1, ESP, SPI, 1 transform
    00 00 0024 01 0c 0000                  # transform 1 ESP_AES
      80060080                             # key length 128
      80050001                             # HMAC-MD5
      80010001 80025460                    # seconds, 21600
      80010002 8002c350                    # kilobytes, 50000
      80040001                             # tunnel
05 00 0014 101112131415161718191a1b1c1d1e1f # NONCE: next ID
05 00 000c 01 00 0000 0a040206             # IDci ID_IPV4_ADDR 10.4.2.6
00 00 0010 04 00 0000 0a040000 ffff0000    # IDcr ID_IPV4_ADDR_SUBNET 10.4.0.0/16
`

// informationalDeleteHex is an Informational exchange deleting an ISAKMP
// SA (RFC 2408 section 3.15: SPI size 16, the two cookies), sent in the
// clear as a sender does before keys exist.
const informationalDeleteHex = `
0123456789abcdef fedcba9876543210
0c 10 05 00 11223344 00000038      # next D, Informational, length 56
00 00 001c 00000001 01 10 0001     # D: IPsec DOI, PROTO_ISAKMP, SPI size 16, 1 SPI
  0123456789abcdef fedcba9876543210
`

// notifyInvalidCookieHex is an Informational exchange with one notify
// INVALID-COOKIE (RFC 2408 section 3.14) naming the cookies as its SPI.
const notifyInvalidCookieHex = `
0123456789abcdef 0000000000000000
0b 10 05 00 00000000 0000003a      # next N, Informational, length 58
00 00 001e 00000001 01 10 0004     # N: IPsec DOI, PROTO_ISAKMP, SPI size 16, INVALID-COOKIE
  0123456789abcdef fedcba9876543210
  cafe                             # notification data
`
