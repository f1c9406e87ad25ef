package solaris

import "io"

// Help texts of ikeadm, exactly as the vendor prints them.

const generalHelp = "Valid commands and objects:\n" +
	"\tget   debug|priv|stats|p1|rule|preshared|defaults [identifier]\n" +
	"\tset   priv level\n" +
	"\tset   debug level [filename]\n" +
	"\tadd   rule|preshared {definition}|filename\n" +
	"\tdel   p1|rule|preshared identifier\n" +
	"\tdump  p1|rule|preshared|certcache|groups|encralgs|authalgs\n" +
	"\tflush p1|certcache\n" +
	"\tread  rule|preshared [filename]\n" +
	"\twrite rule|preshared filename\n" +
	"\ttoken <login|logout> <PKCS#11 Token Object>\n" +
	"\thelp  [get|set|add|del|dump|flush|read|write|token|help]\n" +
	"\texit  exit the program\n" +
	"\tquit  exit the program\n"

const idLines = "\tp1\t\ta phase 1 SA, identified by\n" +
	"\t\t\t  local_ip remote_ip OR\n" +
	"\t\t\t  init_cookie resp_cookie\n" +
	"\trule\t\ta phase 1 rule, identified by its label\n" +
	"\tpreshared\ta preshared key, identified by\n" +
	"\t\t\t  local_ip remote_ip OR\n" +
	"\t\t\t  local_id remote_id\n"

var helpTexts = map[string]string{
	"get": "This command gets information from in.iked.\n\n" +
		"Objects that may be retrieved include:\n" +
		"\tdebug\t\tthe current debug level\n" +
		"\tpriv\t\tthe current privilege level\n" +
		"\tstats\t\tcurrent usage statistics\n" +
		idLines + "\n",
	"del": "This command deletes an item from in.iked's tables.\n\n" +
		"Objects that may be deleted include:\n" +
		idLines + "\n",
	"set": "This command sets values in in.iked.\n\n" +
		"Objects that may be set include:\n" +
		"\tdebug\t\tchange the debug level\n" +
		"\tpriv\t\tchange the privilege level (may only be lowered)\n\n",
	"add": "This command adds items to in.iked's tables.\n\n" +
		"Objects that may be set include:\n" +
		"\trule\t\ta phase 1 policy rule\n" +
		"\tpreshared\ta preshared key\n\n" +
		"Objects may be entered on the command-line, as a\n" +
		"series of keywords and tokens contained in curly\n" +
		"braces ('{', '}'); or the name of a file containing\n" +
		"the object definition may be provided.\n\n" +
		"For security purposes, preshared keys may only be\n" +
		"entered on the command-line if ikeadm is running in\n" +
		"interactive mode.\n\n",
	"dump": "This command dumps one of in.iked's tables.\n\n" +
		"Tables that may be dumped include:\n" +
		"\tp1\t\tall phase 1 SAs\n" +
		"\trule\t\tall phase 1 rules\n" +
		"\tpreshared\tall preshared keys\n" +
		"\tcertcache\tall cached certificates\n" +
		"\tgroups\t\tall implemented Diffie-Hellman groups\n" +
		"\tencralgs\tall encryption algorithms for IKE\n" +
		"\tauthalgs\tall authentication algorithms IKE\n\n",
	"flush": "This command clears one of in.iked's tables.\n\n" +
		"Tables that may be flushed include:\n" +
		"\tp1\t\tall phase 1 SAs\n" +
		"\tcertcache\tall cached certificates\n\n",
	"read": "This command reads a new configuration file into\n" +
		"in.iked, discarding the old configuration info.\n\n" +
		"Sets of data that may be read include:\n" +
		"\trule\t\tall phase 1 rules\n" +
		"\tpreshared\tall preshared keys\n\n" +
		"A filename may be provided to specify a source file\n" +
		"other than the default.\n\n",
	"write": "This command writes in.iked's current configuration\n" +
		"out to a config file.\n\n" +
		"Sets of data that may be written include:\n" +
		"\trule\t\tall phase 1 rules\n" +
		"\tpreshared\tall preshared keys\n\n" +
		"A filename must be provided to specify the file to\n" +
		"which the information should be written.\n\n",
	"token": "This command logs IKE into and out of PKCS#11 tokens.\n\n" +
		"Commands include:\n" +
		"\tlogin <PKCS#11 Token Object>\tlog into token\n" +
		"\tlogout <PKCS#11 Token Object>\tlog out of token\n\n" +
		"The PKCS#11 Token Object name must be enclosed in quotation marks.\n\n",
	"help": "This command provides information about commands.\n\n" +
		"The 'help' command alone provides a list of valid\n" +
		"commands, along with the valid objects for each.\n" +
		"'help' followed by a valid command name provides\n" +
		"further information about that command.\n\n",
}

func printHelp(w io.Writer, topic string) {
	if topic == "" {
		io.WriteString(w, generalHelp)
		return
	}
	io.WriteString(w, helpTexts[topic])
}
