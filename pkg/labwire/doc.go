// Package labwire puts the lab's hosts on the wire: it runs pkg/ikev1's
// exchanges for a lab host over pkg/wire's UDP transport, with a short
// read of the lab before an exchange and a short write after it, so the
// lab is never locked while a datagram is in flight and every command
// keeps working beside a running `ikemu serve`.
//
// Initiate is the initiator's side (ikemu acquire and ike cmd=activate
// toward a peer set to behave "wire"): the command itself runs the
// exchange, from the host's address and port, sharing the port with a
// running Server (see pkg/wire). Serve is `ikemu serve`: responders for
// every served host's addresses.
package labwire
