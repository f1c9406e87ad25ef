package ipsecconf

// The names a default system resolves (getprotobyname, getservbyname).
var (
	protocols = map[string]int{"ip": 0, "icmp": 1, "igmp": 2, "tcp": 6, "udp": 17, "ipv6": 41,
		"esp": 50, "ah": 51, "ipv6-icmp": 58, "sctp": 132}
	services = map[string]int{"ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53,
		"http": 80, "www": 80, "ntp": 123, "https": 443, "isakmp": 500}
	icmpTypes = map[string]int{"unreach": 3, "echo": 8, "echorep": 0, "squench": 4, "redir": 5,
		"timex": 11, "paramprob": 12, "timest": 13, "timestrep": 14, "inforeq": 15, "inforep": 16,
		"maskreq": 17, "maskrep": 18, "unreach6": 1, "pkttoobig6": 2, "timex6": 3, "paramprob6": 4,
		"echo6": 128, "echorep6": 129, "router-sol6": 133, "router-ad6": 134, "neigh-sol6": 135,
		"neigh-ad6": 136, "redir6": 137}
	icmpCodes = map[string]int{"net-unr": 0, "host-unr": 1, "proto-unr": 2, "port-unr": 3,
		"needfrag": 4, "srcfail": 5, "net-unk": 6, "host-unk": 7, "isolate": 8, "net-prohib": 9,
		"host-prohib": 10, "net-tos": 11, "host-tos": 12, "filter-prohib": 13, "host-preced": 14,
		"cutoff-preced": 15, "no-route6": 0, "adm-prohib6": 1, "addr-unr6": 3, "port-unr6": 4,
		"hop-limex6": 0, "frag-re-timex6": 1, "err-head6": 0, "unrec-head6": 1, "unreq-opt6": 2}
)

// protocolName and serviceName are the reverse lookups a listing
// without -n makes.
func protocolName(n int) (string, bool) {
	for k, v := range protocols {
		if v == n && k != "ip" && k != "ipv6" {
			return k, true
		}
	}
	return "", false
}

func serviceName(port int) (string, bool) {
	names := map[int]string{21: "ftp", 22: "ssh", 23: "telnet", 25: "smtp", 53: "domain",
		80: "http", 123: "ntp", 443: "https", 500: "isakmp"}
	s, ok := names[port]
	return s, ok
}
