package ipseckey

import (
	"fmt"
	"strings"
)

// helpText is dohelp's list of commands.
const helpText = "Commands\n" +
	"--------\n" +
	"?, help  - Display this list\n" +
	"help <cmd> - Display help for command\n" +
	"help attr  - Display possible SA attributes\n" +
	"quit, exit - Exit the program\n" +
	"monitor - Monitor all PF_KEY reply messages.\n" +
	"pmonitor, passive_monitor - Monitor PF_KEY messages that\n" +
	"                            reply to all PF_KEY sockets.\n" +
	"\n" +
	"The following commands are of the form:\n" +
	"    <command> {SA type} {attribute value}*\n" +
	"\n" +
	"add (interactive only) - Add a new security association (SA)\n" +
	"update (interactive only) - Update an existing SA\n" +
	"update-pair (interactive only) - Update an existing SA pair\n" +
	"delete - Delete an SA\n" +
	"delete-pair - Delete an SA pair\n" +
	"get - Display an SA\n" +
	"flush - Delete all SAs\n" +
	"dump - Display all SAs\n" +
	"save - Saves all SAs to a file\n"

// commandHelp is dohelpcmd's text for each command.
var commandHelp = map[verb]string{
	verbUpdate:     "update\t - Update an existing SA\n",
	verbUpdatePair: "update-pair - Update an existing pair of SA's\n",
	verbAdd:        "add\t - Add a new security association (SA)\n",
	verbDelete:     "delete - Delete an SA\n",
	verbDeletePair: "delete-pair - Delete a pair of SA's\n",
	verbGet:        "get - Display an SA\n",
	verbFlush: "flush - Delete all SAs\n\nOptional arguments:\n" +
		"all        delete all SAs\n" +
		"esp        delete just ESP SAs\n" +
		"ah         delete just AH SAs\n" +
		"<number>   delete just SAs with type given by number\n\n",
	verbDump: "dump - Display all SAs\n\nOptional arguments:\n" +
		"all        display all SAs\n" +
		"esp        display just ESP SAs\n" +
		"ah         display just AH SAs\n" +
		"<number>   display just SAs with type given by number\n\n",
	verbMonitor: "monitor - Monitor all PF_KEY reply messages.\n",
	verbPMonitor: "pmonitor, passive_monitor - Monitor PF_KEY messages that\n" +
		"                            reply to all PF_KEY sockets.\n",
	verbQuit: "quit, exit - Exit the program\n",
	verbSave: "save\t    - Saves all SAs to a file\n",
	verbHelp: "help\t    - Display list of commands\n" +
		"help <cmd> - Display help for command\n" +
		"help attr  - Display possible SA attributes\n",
}

// help is dohelp: the list, or one command's help (help attr: the
// extension fields, three a row in columns of 15).
func help(args []string) string {
	if len(args) == 0 {
		return helpText
	}
	if args[0] == "attr" {
		var b strings.Builder
		b.WriteString("\nSA attributes:\n")
		for i, tok := range vendorTokens {
			if i%3 == 0 {
				b.WriteByte('\n')
			}
			fmt.Fprintf(&b, "    %-15.15s", tok)
		}
		b.WriteByte('\n')
		return b.String()
	}
	if text, ok := commandHelp[verbs[args[0]]]; ok {
		return text
	}
	return clip(args[0]) + ": Unknown command\n"
}
