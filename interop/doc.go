// Package interop checks ikemu against a real IKEv1 peer, strongSwan's
// charon, over UDP between two network namespaces the tests create.
//
// The tests need root (namespaces, veth, port 500) and charon
// (/usr/lib/ipsec/charon with swanctl); without either they skip in one
// line. Nothing outside the namespaces is ever a target: the pair of
// namespaces holds the only addresses used (198.51.100.0/24, TEST-NET-2),
// and each charon runs in a private mount namespace with its own /run and a
// configuration under the test's temporary directory.
package interop
