package solaris

import "slices"

// commandObjects is ikeadm's command/object table: exact, case-sensitive
// words, no aliases (the man page's "rules" and "pls" are rejected).
var commandObjects = map[string][]string{
	"get":   {"debug", "priv", "stats", "p1", "rule", "preshared", "defaults"},
	"set":   {"debug", "priv"},
	"token": {"login", "logout"},
	"add":   {"rule", "preshared"},
	"del":   {"p1", "rule", "preshared"},
	"dump":  {"p1", "rule", "preshared", "certcache", "groups", "encralgs", "authalgs"},
	"flush": {"p1", "certcache"},
	"read":  {"rule", "preshared"},
	"write": {"rule", "preshared"},
	"help":  {"get", "set", "add", "del", "dump", "flush", "read", "write", "token", "help"},
	"exit":  {},
	"quit":  {},
	"dbg":   {"rbdump"},
}

func knownObject(cmd, obj string) bool {
	return slices.Contains(commandObjects[cmd], obj)
}
