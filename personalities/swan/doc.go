// Package swan writes a host's IKE definitions, whichever personality
// (Solaris or AIX) made them, as the configuration of the two Linux
// IKE daemons of the FreeS/WAN family: strongSwan's swanctl.conf and
// Libreswan's ipsec.conf with ipsec.secrets. It is an export-only
// personality: nothing reads these files back, so it lives beside the
// vendor personalities rather than in native, which holds no vendor
// formats. Both targets spell algorithms alike (aes128-sha1-modp2048),
// which is why they share this package.
package swan
