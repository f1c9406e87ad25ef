// Package wire carries ISAKMP messages over UDP for pkg/ikev1's state
// machines: a Link runs one exchange as initiator toward one peer, a
// Server answers every peer on a set of local addresses. It knows the
// header (cookies, message ID) and nothing else of the protocol: what a
// message means is the Exchange's business.
//
// Both bind with SO_REUSEPORT, so a command that initiates (ikemu
// acquire, ike cmd=activate) shares the host's port with a running
// `ikemu serve`: the Link's socket is connected to its peer, and Linux
// hands a connected socket the datagrams from that peer, the Server the
// rest.
package wire
