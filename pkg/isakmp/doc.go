// Package isakmp encodes and decodes ISAKMP messages: the header and
// payloads of RFC 2408, the IPsec domain of interpretation of RFC 2407 and
// the attribute values IKEv1 (RFC 2409) puts in them.
//
// The package is bytes only. It knows layouts, lengths and value spaces; it
// knows nothing about keys, exchanges or peers. The engine owns the state
// machines, the cryptography and the choice of what to send: it encrypts
// and decrypts message bodies (with the IV chaining of RFC 2409 appendix B)
// and computes the hashes and signatures that travel in HASH and SIG
// payloads.
//
// Two paths exist because an encrypted body cannot be parsed before the
// engine decrypts it:
//
//   - Plaintext: [Decode] takes a whole datagram and [Message.Encode]
//     produces one. The header length must equal the datagram length and
//     the payload chain must end exactly at the end of the datagram.
//   - Encrypted: [DecodeHeader] reads the header, the engine decrypts the
//     body, and [DecodePayloads] parses the decrypted bytes given the
//     header's next payload type. Bytes after the last payload are the
//     padding of RFC 2409 section 5.3 and are accepted only here. On the
//     way out [EncodePayloads] produces the body to encrypt and
//     [EncodeWithBody] puts a header in front of the ciphertext.
//
// Decoding is strict and never panics: every length field is checked
// against the bytes that are there, reserved fields must be zero, counts
// must match, and allocation follows the bytes actually present, never a
// length or count claimed by the input. Decoded byte fields alias one copy
// of the input, never the caller's buffer. A message that decodes encodes
// back to the same bytes, so the engine may recompute hashes over
// re-encoded payloads.
//
// Errors are typed so the engine can choose the notify to send and the
// counter to bump: [*MalformedError] (PAYLOAD-MALFORMED, wrapping
// [ErrTruncated], [ErrLength], [ErrReserved], [ErrTrailing] or [ErrCount]),
// [*PayloadError] (INVALID-PAYLOAD-TYPE) and [*UnsupportedError] (version,
// flags, DOI, situation, attributes). [NotifyFor] maps any of them to its
// notify message type.
//
// Unknown payload types are an error, not an opaque payload: RFC 2408
// section 5.2 wants the receiver to report them with INVALID-PAYLOAD-TYPE,
// and an engine that silently skipped one could never send that notify.
// [RawPayload] exists for sending payloads this package does not model.
package isakmp
