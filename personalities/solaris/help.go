package solaris

import "io"

// Help texts of ikeadm, exactly as the vendor prints them.

const idLines = "\tp1\t\ta phase 1 SA, identified by\n" +
	"\t\t\t  local_ip remote_ip OR\n" +
	"\t\t\t  init_cookie resp_cookie\n" +
	"\trule\t\ta phase 1 rule, identified by its label\n" +
	"\tpreshared\ta preshared key, identified by\n" +
	"\t\t\t  local_ip remote_ip OR\n" +
	"\t\t\t  local_id remote_id\n"

const (
	getHelp = "This command gets information from in.iked.\n\n" +
		"Objects that may be retrieved include:\n" +
		"\tdebug\t\tthe current debug level\n" +
		"\tpriv\t\tthe current privilege level\n" +
		"\tstats\t\tcurrent usage statistics\n" +
		idLines + "\n"
	delHelp = "This command deletes an item from in.iked's tables.\n\n" +
		"Objects that may be deleted include:\n" +
		idLines + "\n"
	setHelp = "This command sets values in in.iked.\n\n" +
		"Objects that may be set include:\n" +
		"\tdebug\t\tchange the debug level\n" +
		"\tpriv\t\tchange the privilege level (may only be lowered)\n\n"
	addHelp = "This command adds items to in.iked's tables.\n\n" +
		"Objects that may be set include:\n" +
		"\trule\t\ta phase 1 policy rule\n" +
		"\tpreshared\ta preshared key\n\n" +
		"Objects may be entered on the command-line, as a\n" +
		"series of keywords and tokens contained in curly\n" +
		"braces ('{', '}'); or the name of a file containing\n" +
		"the object definition may be provided.\n\n" +
		"For security purposes, preshared keys may only be\n" +
		"entered on the command-line if ikeadm is running in\n" +
		"interactive mode.\n\n"
	dumpHelp = "This command dumps one of in.iked's tables.\n\n" +
		"Tables that may be dumped include:\n" +
		"\tp1\t\tall phase 1 SAs\n" +
		"\trule\t\tall phase 1 rules\n" +
		"\tpreshared\tall preshared keys\n" +
		"\tcertcache\tall cached certificates\n" +
		"\tgroups\t\tall implemented Diffie-Hellman groups\n" +
		"\tencralgs\tall encryption algorithms for IKE\n" +
		"\tauthalgs\tall authentication algorithms IKE\n\n"
	flushHelp = "This command clears one of in.iked's tables.\n\n" +
		"Tables that may be flushed include:\n" +
		"\tp1\t\tall phase 1 SAs\n" +
		"\tcertcache\tall cached certificates\n\n"
	readHelp = "This command reads a new configuration file into\n" +
		"in.iked, discarding the old configuration info.\n\n" +
		"Sets of data that may be read include:\n" +
		"\trule\t\tall phase 1 rules\n" +
		"\tpreshared\tall preshared keys\n\n" +
		"A filename may be provided to specify a source file\n" +
		"other than the default.\n\n"
	writeHelp = "This command writes in.iked's current configuration\n" +
		"out to a config file.\n\n" +
		"Sets of data that may be written include:\n" +
		"\trule\t\tall phase 1 rules\n" +
		"\tpreshared\tall preshared keys\n\n" +
		"A filename must be provided to specify the file to\n" +
		"which the information should be written.\n\n"
	tokenHelp = "This command logs IKE into and out of PKCS#11 tokens.\n\n" +
		"Commands include:\n" +
		"\tlogin <PKCS#11 Token Object>\tlog into token\n" +
		"\tlogout <PKCS#11 Token Object>\tlog out of token\n\n" +
		"The PKCS#11 Token Object name must be enclosed in quotation marks.\n\n"
	helpHelp = "This command provides information about commands.\n\n" +
		"The 'help' command alone provides a list of valid\n" +
		"commands, along with the valid objects for each.\n" +
		"'help' followed by a valid command name provides\n" +
		"further information about that command.\n\n"
)

// generalHelp prints "help" alone: every listed command's synopsis.
func (s *session) generalHelp(t commandTable) {
	io.WriteString(s.out, "Valid commands and objects:\n")
	for _, c := range t {
		io.WriteString(s.out, c.synopsis)
	}
}

// help is the help command: the general help, or one command's.
func (s *session) help(t commandTable, args []string) error {
	if len(args) == 0 {
		s.generalHelp(t)
		return errHelpDone
	}
	c := t.lookup(args[0])
	if c == nil || c.help == "" {
		return unknownObject(args[0])
	}
	io.WriteString(s.out, c.help)
	return errHelpDone
}
