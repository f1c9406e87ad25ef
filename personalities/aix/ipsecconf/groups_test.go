package ipsecconf

import (
	"strconv"
	"testing"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
	"github.com/ikemu/ikemu/pkg/ikecrypto"
)

// Every group pkg/ikecrypto knows reads by its strongSwan dhN name either
// as itself, when AIX has it, or as a group AIX lacks, never as unknown.
func TestParseDHCoversKnownGroups(t *testing.T) {
	for _, n := range ikecrypto.KnownGroups() {
		tok := "dh" + strconv.Itoa(n)
		g, v := parseDH(tok)
		switch {
		case v == supportedAlg && g != vpnxml.DHGroup(n):
			t.Errorf("parseDH(%q) = group %d, want %d", tok, g, n)
		case v == unknownAlg:
			t.Errorf("parseDH(%q) is unknown", tok)
		}
	}
}
