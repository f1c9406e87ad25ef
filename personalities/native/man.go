package native

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/alecthomas/kong"
)

// ManCmd is "ikemu man DIR": ikemu.1 from the kong model, and for every
// multicall name a page in section 8 that says what ikemu does under
// that name and points at the vendor's own page, which stays the
// reference for the tool's behaviour.
type ManCmd struct {
	Dir string `arg:"" help:"Directory to write the pages into (created if missing)."`
}

func (c *ManCmd) Run(e *env) error {
	dir := e.p.Path(c.Dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("man pages: %w", err)
	}
	pages := map[string]string{"ikemu.1": ikemuPage(e.parser.Model, e.Tools)}
	for _, t := range e.Tools {
		pages[t+".8"] = vendorPage(t)
	}
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(pages[name]), 0o644); err != nil {
			return fmt.Errorf("man pages: %w", err)
		}
		fmt.Fprintln(e.p.Stdout, path)
	}
	return nil
}

// vendorTool is what a vendor page says of one multicall name.
type vendorTool struct {
	vendor, purpose, reference string
}

// vendorTools are the vendors' names for their tools and where their own
// manuals live.
var vendorTools = map[string]vendorTool{
	"ikeadm":    {"Solaris", "manipulate Internet Key Exchange (IKE) parameters and state", "ikeadm(8) in the Oracle Solaris 11.4 reference manual, https://docs.oracle.com/cd/E88353_01/html/E72487/ikeadm-8.html, and in illumos, https://illumos.org/man/8/ikeadm"},
	"in.iked":   {"Solaris", "daemon for the Internet Key Exchange (IKE)", "in.iked(8), https://docs.oracle.com/cd/E88353_01/html/E72487/in.iked-8.html and https://illumos.org/man/8/in.iked"},
	"ipsecconf": {"Solaris", "configure system-wide IPsec policy", "ipsecconf(8), https://docs.oracle.com/cd/E88353_01/html/E72487/ipsecconf-8.html and https://illumos.org/man/8/ipsecconf"},
	"ike":       {"AIX", "start, stop and monitor IP Security dynamic tunnels that use IKE", "the ike command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=i-ike-command"},
	"ikedb":     {"AIX", "retrieve, update, delete, import and export the IKE database", "the ikedb command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=i-ikedb-command"},
	"startsrc":  {"AIX", "start a subsystem or group of subsystems (emulated for the ike group)", "the startsrc command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=s-startsrc-command"},
	"stopsrc":   {"AIX", "stop a subsystem or group of subsystems (emulated for the ike group)", "the stopsrc command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=s-stopsrc-command"},
	"lssrc":     {"AIX", "show the status of a subsystem or group of subsystems (emulated for the ike group)", "the lssrc command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=l-lssrc-command"},
	"ipseckey":  {"Solaris", "manually manipulate IPsec security associations", "ipseckey(8), https://docs.oracle.com/cd/E88353_01/html/E72487/ipseckey-8.html and https://illumos.org/man/8/ipseckey"},
	"chfilt":    {"AIX", "change a filter rule (emulated)", "the chfilt command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=c-chfilt-command"},
	"chtun":     {"AIX", "change a tunnel definition (emulated)", "the chtun command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=c-chtun-command"},
	"expfilt":   {"AIX", "export filter rules to a file (emulated)", "the expfilt command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=e-expfilt-command"},
	"exptun":    {"AIX", "export tunnel definitions to a file (emulated)", "the exptun command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=e-exptun-command"},
	"genfilt":   {"AIX", "add a filter rule (emulated)", "the genfilt command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=g-genfilt-command"},
	"gentun":    {"AIX", "create a tunnel definition (emulated)", "the gentun command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=g-gentun-command"},
	"impfilt":   {"AIX", "import filter rules from a file (emulated)", "the impfilt command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=i-impfilt-command"},
	"imptun":    {"AIX", "import tunnel definitions from a file (emulated)", "the imptun command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=i-imptun-command"},
	"ipsecstat": {"AIX", "list the status of the IP Security devices and algorithms (emulated)", "the ipsecstat command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=i-ipsecstat-command"},
	"lsfilt":    {"AIX", "list filter rules (emulated)", "the lsfilt command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=l-lsfilt-command"},
	"lstun":     {"AIX", "list tunnel definitions (emulated)", "the lstun command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=l-lstun-command"},
	"mkfilt":    {"AIX", "activate or deactivate filter rules (emulated)", "the mkfilt command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=m-mkfilt-command"},
	"mktun":     {"AIX", "activate tunnel definitions (emulated)", "the mktun command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=m-mktun-command"},
	"mvfilt":    {"AIX", "move a filter rule (emulated)", "the mvfilt command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=m-mvfilt-command"},
	"rmfilt":    {"AIX", "remove filter rules (emulated)", "the rmfilt command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=r-rmfilt-command"},
	"rmtun":     {"AIX", "remove tunnel definitions (emulated)", "the rmtun command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=r-rmtun-command"},
	"svcadm":    {"Solaris", "manipulate service instances (emulated for the IPsec services)", "svcadm(8), https://docs.oracle.com/cd/E88353_01/html/E72487/svcadm-8.html and https://illumos.org/man/8/svcadm"},
	"svcs":      {"Solaris", "report service status (emulated for the IPsec services)", "svcs(1), https://docs.oracle.com/cd/E88353_01/html/E72487/svcs-1.html and https://illumos.org/man/1/svcs"},
	"lsdev":     {"AIX", "display devices in the system and their characteristics (emulated for the ipsec devices)", "the lsdev command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=l-lsdev-command"},
	"mkdev":     {"AIX", "add a device to the system (emulated for the ipsec devices)", "the mkdev command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=m-mkdev-command"},
	"rmdev":     {"AIX", "remove a device from the system (emulated for the ipsec devices)", "the rmdev command in the AIX 7.3 commands reference, https://www.ibm.com/docs/en/aix/7.3?topic=r-rmdev-command"},
}

func vendorPage(name string) string {
	t, ok := vendorTools[name]
	if !ok {
		t = vendorTool{"the vendor's", "a vendor tool emulated by ikemu", "the vendor's own manual page"}
	}
	var b strings.Builder
	fmt.Fprintf(&b, ".TH %s 8 \"\" \"ikemu\" \"System Administration Commands\"\n", roff(strings.ToUpper(name)))
	fmt.Fprintf(&b, ".SH NAME\n%s \\- %s (ikemu)\n", roff(name), roff(t.purpose))
	fmt.Fprintf(&b, ".SH SYNOPSIS\n.B %s\n[\\fIthe vendor's arguments\\fR]\n.br\n.B ikemu %s\n[\\fIthe vendor's arguments\\fR]\n", roff(name), roff(name))
	fmt.Fprintf(&b, ".SH DESCRIPTION\nCalled as\n.BR %s ,\n", roff(name))
	fmt.Fprintf(&b, "ikemu behaves as %s's tool of that name: the same arguments, the same output byte for byte and the same exit statuses, on the current host of the ikemu lab (\\fBIKEMU_HOST\\fR, default \\fBlocal\\fR).\nThe vendor tools take no flags of ikemu's own.\n", roff(t.vendor))
	fmt.Fprintf(&b, ".PP\nThe reference for every argument and message is the vendor's page:\n%s.\n", roff(t.reference))
	b.WriteString(".SH SEE ALSO\n.BR ikemu (1)\n")
	return b.String()
}

func ikemuPage(app *kong.Application, tools []string) string {
	tree := newCommandTree(app.Node)
	var b strings.Builder
	b.WriteString(".TH IKEMU 1 \"\" \"ikemu\" \"User Commands\"\n")
	b.WriteString(".SH NAME\nikemu \\- emulated Solaris and AIX IKE administration\n")
	b.WriteString(".SH SYNOPSIS\n.B ikemu\n.I command\n[\\fIflags\\fR]\n.br\n.B ikemu\n.I tool\n[\\fIthe vendor's arguments\\fR]\n")
	fmt.Fprintf(&b, ".SH DESCRIPTION\n%s\n", roff(app.Help))
	b.WriteString(".SH COMMANDS\n")
	for _, e := range tree[1:] {
		if len(e.Children) > 0 {
			continue
		}
		fmt.Fprintf(&b, ".SS %s\n%s\n", roff(commandSynopsis(e)), roff(e.Help))
		for _, a := range e.Args {
			fmt.Fprintf(&b, ".TP\n.I %s\n%s\n", roff(strings.ToUpper(a.Name)), roff(a.Help))
		}
		for _, f := range e.Flags {
			if f.Name == "help" || f.Name == "version" {
				continue
			}
			fmt.Fprintf(&b, ".TP\n.B %s\n%s\n", roff(flagSynopsis(f)), roff(flagHelp(f)))
		}
	}
	b.WriteString(".SH ENVIRONMENT\n")
	for _, v := range [][2]string{
		{"IKEMU_LAB", "The lab directory; else $XDG_STATE_HOME/ikemu/lab, else ~/.local/state/ikemu/lab."},
		{"IKEMU_HOST", "The host a command acts on (default local)."},
		{"IKEMU_LOCK_TIMEOUT", "How long to wait for a lab another command holds (default 10s)."},
		{"IKEMU_PKCS11_MODULE", "The PKCS#11 module of hosts that have none of their own."},
		{"XDG_RUNTIME_DIR", "Where token logins keep their PINs (memory-backed only)."},
	} {
		fmt.Fprintf(&b, ".TP\n.B %s\n%s\n", v[0], roff(v[1]))
	}
	b.WriteString(".SH EXIT STATUS\n0 on success, 1 on an error (one line on standard error), 3 from \\fBikemu daemon status\\fR when the daemon is stopped. The vendor tools exit as the vendors' do.\n")
	b.WriteString(".SH SEE ALSO\n")
	var refs []string
	for _, t := range tools {
		refs = append(refs, ".BR "+roff(t)+" (8)")
	}
	b.WriteString(strings.Join(refs, " ,\n") + "\n")
	return b.String()
}

func commandSynopsis(e commandEntry) string {
	parts := append([]string{"ikemu"}, e.Path...)
	for _, a := range e.Args {
		arg := strings.ToUpper(a.Name)
		if !a.Required {
			arg = "[" + arg + "]"
		}
		parts = append(parts, arg)
	}
	return strings.Join(parts, " ")
}

func flagSynopsis(f *kong.Flag) string {
	s := "--" + f.Name
	if f.Short != 0 {
		s = "-" + string(f.Short) + ", " + s
	}
	if !f.IsBool() {
		s += " " + f.FormatPlaceHolder()
	}
	return s
}

func flagHelp(f *kong.Flag) string {
	h := f.Help
	if f.Required {
		h += " Required."
	}
	if f.HasDefault && f.Default != "" {
		h += " Default: " + f.Default + "."
	}
	return h
}

// roff escapes text for a man page: backslashes and hyphens, and a line
// that would start with a control character.
func roff(s string) string {
	s = strings.NewReplacer(`\`, `\e`, "-", `\-`).Replace(s)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}
