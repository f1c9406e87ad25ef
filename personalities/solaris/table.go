package solaris

// commandTable is ikeadm's grammar: every command word, the object words
// it takes and the handler of each pair, with the help texts and the
// names its messages use. Words are exact and case-sensitive, with no
// aliases (the man page's "rules" and "pls" are rejected). The order is
// that of the general help.
type commandTable []command

// command is one command word.
type command struct {
	name     string
	synopsis string   // its lines of the general help; empty: not listed
	help     string   // the text of "help NAME"; empty: not a help topic
	objects  []object // the object words it takes
	// direct runs a command that takes no object word (help, exit,
	// quit) on the rest of the line; t is the table, which help reads.
	direct func(s *session, t commandTable, args []string) error
}

// object is one object word of a command.
type object struct {
	name string
	// noun is what the command's messages call the object ("Could not
	// find requested phase 1 SA.", "Completed dump of policy rules").
	noun string
	// bare objects take no arguments: surplus ones print the command's
	// help instead.
	bare bool
	run  handler
}

// handler runs a command on an object; o is its row, for its names.
type handler func(s *session, o *object, args []string) error

// commands is ikeadm's table; nothing changes it. The help command gets
// it as an argument: a handler in it that named it would make an
// initialization cycle.
var commands = commandTable{
	{name: "get", help: getHelp,
		synopsis: "\tget   debug|priv|stats|p1|rule|preshared|defaults [identifier]\n",
		objects: []object{
			{name: "debug", bare: true, run: noArgs((*session).getDebug)},
			{name: "priv", bare: true, run: noArgs((*session).getPriv)},
			{name: "stats", bare: true, run: noArgs((*session).getStats)},
			{name: "p1", noun: "phase 1 SA", run: (*session).getP1},
			{name: "rule", noun: "policy rule", run: (*session).getRule},
			{name: "preshared", noun: "preshared key", run: (*session).getPreshared},
			{name: "defaults", bare: true, run: noArgs((*session).getDefaults)},
		}},
	{name: "set", help: setHelp,
		synopsis: "\tset   priv level\n" +
			"\tset   debug level [filename]\n",
		objects: []object{
			{name: "debug", run: withArgs((*session).setDebug)},
			{name: "priv", run: withArgs((*session).setPriv)},
		}},
	{name: "add", help: addHelp,
		synopsis: "\tadd   rule|preshared {definition}|filename\n",
		objects: []object{
			{name: "rule", run: withArgs((*session).addRule)},
			{name: "preshared", run: withArgs((*session).addPreshared)},
		}},
	{name: "del", help: delHelp,
		synopsis: "\tdel   p1|rule|preshared identifier\n",
		objects: []object{
			{name: "p1", noun: "phase 1 SA", run: (*session).delP1},
			{name: "rule", noun: "policy rule", run: (*session).delRule},
			{name: "preshared", noun: "preshared key", run: (*session).delPreshared},
		}},
	{name: "dump", help: dumpHelp,
		synopsis: "\tdump  p1|rule|preshared|certcache|groups|encralgs|authalgs\n",
		objects: []object{
			{name: "p1", noun: "phase 1 SA info", bare: true, run: dumping((*session).dumpP1)},
			{name: "rule", noun: "policy rules", bare: true, run: dumping((*session).dumpRules)},
			{name: "preshared", noun: "preshared keys", bare: true, run: dumping((*session).dumpPreshared)},
			{name: "certcache", noun: "certcache", bare: true, run: dumping((*session).dumpCertCache)},
			{name: "groups", noun: "groups", bare: true, run: dumping((*session).dumpGroups)},
			{name: "encralgs", noun: "encralgs", bare: true, run: dumping((*session).dumpEncrAlgs)},
			{name: "authalgs", noun: "authalgs", bare: true, run: dumping((*session).dumpAuthAlgs)},
		}},
	{name: "flush", help: flushHelp,
		synopsis: "\tflush p1|certcache\n",
		objects: []object{
			{name: "p1", bare: true, run: noArgs((*session).flushP1)},
			{name: "certcache", bare: true, run: noArgs((*session).flushCerts)},
		}},
	{name: "read", help: readHelp,
		synopsis: "\tread  rule|preshared [filename]\n",
		objects: []object{
			{name: "rule", noun: "policy rule", run: reading("IKE_SVC_READ_RULES", (*session).readRules)},
			{name: "preshared", noun: "preshared key", run: reading("IKE_SVC_READ_PS", (*session).readPreshared)},
		}},
	{name: "write", help: writeHelp,
		synopsis: "\twrite rule|preshared filename\n",
		objects: []object{
			{name: "rule", noun: "policy rule", run: writing("IKE_SVC_WRITE_RULES", saveRules)},
			{name: "preshared", noun: "preshared key", run: writing("IKE_SVC_WRITE_PS", savePreshared)},
		}},
	{name: "token", help: tokenHelp,
		synopsis: "\ttoken <login|logout> <PKCS#11 Token Object>\n",
		objects: []object{
			{name: "login", run: (*session).tokenLogin},
			{name: "logout", run: (*session).tokenLogout},
		}},
	{name: "help", help: helpHelp, direct: (*session).help,
		synopsis: "\thelp  [get|set|add|del|dump|flush|read|write|token|help]\n"},
	{name: "exit", direct: (*session).exit, synopsis: "\texit  exit the program\n"},
	{name: "quit", direct: (*session).exit, synopsis: "\tquit  exit the program\n"},
	// dbg is a debugging command the help does not mention.
	{name: "dbg", objects: []object{
		{name: "rbdump", run: noArgs((*session).rbdump)},
	}},
}

// lookup finds a command by its word, or nil.
func (t commandTable) lookup(name string) *command {
	for i := range t {
		if t[i].name == name {
			return &t[i]
		}
	}
	return nil
}

// object finds one of the command's objects by its word, or nil.
func (c *command) object(name string) *object {
	for i := range c.objects {
		if c.objects[i].name == name {
			return &c.objects[i]
		}
	}
	return nil
}

// noArgs adapts a handler that needs neither its names nor arguments.
func noArgs(f func(*session) error) handler {
	return func(s *session, _ *object, _ []string) error { return f(s) }
}

// withArgs adapts a handler that needs only its arguments.
func withArgs(f func(*session, []string) error) handler {
	return func(s *session, _ *object, args []string) error { return f(s, args) }
}
