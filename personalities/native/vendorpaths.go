package native

import "path"

// vendorToolPaths are where each vendor installs the tools ikemu
// emulates: Solaris's ikeadm(1M), in.iked(1M), ipsecconf(1M),
// ipseckey(1M), svcadm(1M) and svcs(1) pages; AIX's command reference
// (the SRC commands in /usr/bin, the IP security, device and filter
// commands in /usr/sbin). A tool missing here goes to /usr/sbin, where
// both vendors keep their administration commands, so a new multicall
// name needs an entry only when it lives elsewhere.
var vendorToolPaths = map[string]string{
	// Solaris
	"ikeadm":    "/usr/sbin/ikeadm",
	"in.iked":   "/usr/lib/inet/in.iked",
	"ipsecconf": "/usr/sbin/ipsecconf",
	"ipseckey":  "/usr/sbin/ipseckey",
	"svcadm":    "/usr/sbin/svcadm",
	"svcs":      "/usr/bin/svcs",
	// AIX
	"ike":      "/usr/sbin/ike",
	"ikedb":    "/usr/sbin/ikedb",
	"startsrc": "/usr/bin/startsrc",
	"stopsrc":  "/usr/bin/stopsrc",
	"lssrc":    "/usr/bin/lssrc",
	"lsdev":    "/usr/sbin/lsdev",
	"mkdev":    "/usr/sbin/mkdev",
	"rmdev":    "/usr/sbin/rmdev",
}

// vendorToolPath is the vendor location of a multicall name.
func vendorToolPath(tool string) string {
	if p, ok := vendorToolPaths[tool]; ok {
		return p
	}
	return path.Join("/usr/sbin", tool)
}

// hostTreePaths are the vendor files and directories a host's tree
// provides at the same place on the emulated machine. /etc/hosts and
// /var/log are left out on purpose: binding them would take the real
// machine's name resolution and logs away from the command.
var hostTreePaths = []string{
	"etc/inet",         // Solaris: ike/config, secret/ike.preshared, ipsecinit.conf, ...
	"etc/isakmpd.conf", // AIX: the isakmpd log settings
	"etc/syslog.conf",  // AIX: where syslog puts the IKE daemons' lines
	"var/adm",          // AIX: ipsec.log
	"var/svc",          // Solaris: SMF's service logs
}
