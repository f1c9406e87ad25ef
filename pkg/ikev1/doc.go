// Package ikev1 runs IKEv1 (RFC 2409) exchanges as two parties that meet
// only through encoded messages: an Initiator and a Responder for Main
// Mode and Aggressive Mode (preshared keys, RSA signatures), Quick Mode
// with or without PFS, and Informational exchanges (Delete, Notify).
//
// The package sits between the codec (pkg/isakmp, bytes only) and its
// users (the engine's in-process transport, the UDP transport). It holds
// no storage and knows no vendor: what an end may accept and what it
// authenticates with it asks through interfaces its owner implements
// ([Authenticator], [ResponderPolicy], [Entropy]). Each end computes only
// from what it received plus what those interfaces give it.
//
// Every exchange is a value with the same shape, which suits a function
// call as well as a datagram socket with retransmission:
//
//	msg, err := init.Start()              // the first message to send
//	reply, done, err := resp.Handle(msg)  // nil reply: nothing to send
//
// Handle is fed each received datagram and returns the datagram to send
// back (nil when there is none), whether the exchange has ended, and an
// error. A *Failure error means the exchange ended: either this end
// refused (its reply, if any, is the notify to send) or the peer's notify
// arrived. Other errors are local faults (a broken random source, an
// owner's callback failing) and also end the exchange. A Handle call that
// returns a *Failure with Notify zero and Dropped set was given a message
// it ignores (garbage, a replay): the exchange goes on.
//
// Encryption follows RFC 2409 appendix B: the first encrypted phase 1
// message uses hash(g^xi | g^xr) as its IV, each further message the last
// ciphertext block of the one before; a phase 2 or informational exchange
// starts from hash(last phase 1 block | M-ID) and chains within its own
// message ID. Main Mode messages 5 and 6, all of Quick Mode and every
// informational exchange after phase 1 are encrypted. Aggressive Mode is
// sent in the clear (its third message is accepted either way).
//
// Cookies are [8]byte in wire order throughout.
package ikev1
