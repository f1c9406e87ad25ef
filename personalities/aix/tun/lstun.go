package tun

import (
	"fmt"
	"io"

	"github.com/ikemu/ikemu/personalities/aix/filt"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/proc"
)

const lstunUsage = "Usage: lstun [-v 4|6] [-t tid_list] [-p manual] [-a] [-O]\n"

// colonHeader is lstun -O's first line: the field names IBM's mktun
// module documents for manual tunnels, 27 of them [C].
const colonHeader = "#tunnel|source|dest|policy|dpolicy|mask|fw|emode|tunlife|sspia|dspia|aalgo|daalgo|sakey|dakey|sspie|dspie|ealgo|dealgo|sekey|dekey|eaalgo|deaalgo|seakey|deakey|replay|header"

type lstunOptions struct {
	versions    []int
	ids         map[uint32]bool
	active, col bool
}

// Lstun is lstun: the manual tunnel definitions (-a: only the active
// ones), long or -O. The -O form carries the keys, so lstun is for the
// privileged, as on AIX.
func Lstun(args []string, p *proc.Proc) int {
	o, err := parseLstun(args)
	if err != nil {
		return usageOr(p, "lstun", err, lstunUsage)
	}
	return filt.Update(p, "lstun", func(h *engine.Host) error {
		for _, v := range o.versions {
			list, err := h.ManualTunnels().List(v)
			if err != nil {
				return err
			}
			o.write(p.Stdout, list)
		}
		return nil
	})
}

func parseLstun(args []string) (lstunOptions, error) {
	var o lstunOptions
	var v string
	g := getopt.New(getopt.POSIX, "v:t:p:aO", args)
	for {
		c, val, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return o, err
		}
		switch c {
		case 'v':
			v = val
		case 't':
			if o.ids, err = idList(val); err != nil {
				return o, err
			}
		case 'p':
			if val != "manual" {
				return o, filt.Refuse("Tunnel type %q is not supported: use manual.", clip(val)) // [I]
			}
		case 'a':
			o.active = true
		case 'O':
			o.col = true
		}
	}
	n, err := version(v, true)
	if err != nil || len(g.Args()) > 0 {
		return o, errUsage
	}
	o.versions = []int{4, 6}
	if n != 0 {
		o.versions = []int{n}
	}
	return o, nil
}

func (o lstunOptions) write(w io.Writer, list []engine.ManualTunnel) {
	var shown []engine.ManualTunnel
	for _, t := range list {
		if (o.ids == nil || o.ids[t.ID]) && (!o.active || t.Active) {
			shown = append(shown, t)
		}
	}
	if len(shown) == 0 {
		return
	}
	switch {
	case o.col && o.active:
		// [I] the kernel's view; IBM's mktun module reads the tunnel ID
		// as the second field of each line not starting with '#'.
		fmt.Fprintln(w, "#type tunnel source dest")
		for _, t := range shown {
			fmt.Fprintf(w, "manual %d %s %s\n", t.ID, t.Src, t.Dst)
		}
	case o.col:
		fmt.Fprintln(w, colonHeader)
		for _, t := range shown {
			writeColon(w, t)
		}
	default:
		for _, t := range shown {
			writeLong(w, t)
		}
	}
}

var policyText = map[string]string{"ea": "encr/auth", "ae": "auth/encr", "a": "auth only", "e": "encr only"}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

func emode(t engine.ManualTunnel) string {
	if t.Tunnel {
		return "Tunnel"
	}
	return "Transport"
}

// writeLong is lstun's default form, one labelled line per field and a
// blank line after each tunnel; keys are not shown [R].
func writeLong(w io.Writer, t engine.ManualTunnel) {
	status := "Inactive"
	if t.Active {
		status = "Active"
	}
	fw := ""
	if t.Firewall.IsValid() {
		fw = t.Firewall.String()
	}
	fmt.Fprintf(w, "Tunnel ID            : %d\n", t.ID)
	fmt.Fprintf(w, "IP Version           : IP Version %d\n", t.Version)
	fmt.Fprintf(w, "Source               : %s\n", t.Src)
	fmt.Fprintf(w, "Destination          : %s\n", t.Dst)
	fmt.Fprintf(w, "Policy               : %s\n", policyText[t.Out.Policy])
	fmt.Fprintf(w, "Tunnel Mode          : %s\n", emode(t))
	fmt.Fprintf(w, "Send AH Algo         : %s\n", t.Out.AHAlg)
	fmt.Fprintf(w, "Send ESP Algo        : %s\n", t.Out.ESPAlg)
	fmt.Fprintf(w, "Receive AH Algo      : %s\n", t.In.AHAlg)
	fmt.Fprintf(w, "Receive ESP Algo     : %s\n", t.In.ESPAlg)
	fmt.Fprintf(w, "Source AH SPI        : %d\n", t.Out.AHSPI)
	fmt.Fprintf(w, "Source ESP SPI       : %d\n", t.Out.ESPSPI)
	fmt.Fprintf(w, "Destination AH SPI   : %d\n", t.In.AHSPI)
	fmt.Fprintf(w, "Destination ESP SPI  : %d\n", t.In.ESPSPI)
	fmt.Fprintf(w, "Tunnel Life Time     : %d\n", t.Lifetime)
	fmt.Fprintf(w, "Status               : %s\n", status)
	fmt.Fprintf(w, "Target               : %s\n", orDash(fw))
	fmt.Fprintf(w, "Target Mask          : %s\n", orDash(t.DstMask))
	fmt.Fprintf(w, "Replay               : %s\n", yesNo(t.Replay))
	fmt.Fprintf(w, "New Header           : %s\n", yesNo(t.NewHeader))
	fmt.Fprintf(w, "Snd ENC-MAC Algo     : %s\n", orDash(t.Out.MACAlg))
	fmt.Fprintf(w, "Rcv ENC-MAC Algo     : %s\n\n", orDash(t.In.MACAlg))
}

// writeColon is one lstun -O line, the fields of colonHeader.
func writeColon(w io.Writer, t engine.ManualTunnel) {
	fw := ""
	if t.Firewall.IsValid() {
		fw = t.Firewall.String()
	}
	fmt.Fprintf(w, "%d|%s|%s|%s|%s|%s|%s|%s|%d|%d|%d|%s|%s|%s|%s|%d|%d|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n",
		t.ID, t.Src, t.Dst, policyText[t.Out.Policy], policyText[t.In.Policy], t.DstMask, fw, emode(t), t.Lifetime,
		t.Out.AHSPI, t.In.AHSPI, t.Out.AHAlg, t.In.AHAlg, t.Out.AHKey, t.In.AHKey,
		t.Out.ESPSPI, t.In.ESPSPI, t.Out.ESPAlg, t.In.ESPAlg, t.Out.ESPKey, t.In.ESPKey,
		t.Out.MACAlg, t.In.MACAlg, t.Out.MACKey, t.In.MACKey, ynText(t.Replay), ynText(t.NewHeader))
}
