package tun

import (
	"fmt"
	"strconv"

	"github.com/ikemu/ikemu/personalities/aix/filt"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/proc"
)

const chtunUsage = "Usage: chtun -t tunnel_ID -v 4|6 [-s src_host_IP_address] [-d dst_host_IP_address] [-m pkt_mode] [-f fw_address [-x dst_mask]] [-e src_esp_algo] [-a src_ah_algo] [-p src_policy] [-E dst_esp_algo] [-A dst_ah_algo] [-P dst_policy] [-l lifetime] [-k src_esp_key] [-h src_ah_key] [-K dst_esp_key] [-H dst_ah_key] [-n src_esp_spi] [-u src_ah_spi] [-N dst_esp_spi] [-U dst_ah_spi] [-b src_enc_mac_algo] [-c src_enc_mac_key] [-B dst_enc_mac_algo] [-C dst_enc_mac_key]\n"

const chtunOpts = "t:s:d:v:m:f:x:e:a:p:E:A:P:k:h:K:H:n:u:N:U:b:c:B:C:l:z:y:"

// Chtun is chtun: it changes the fields its flags name in an existing
// tunnel definition, the others keeping their values, and moves the
// tunnel's auto-generated filter rules with its ends [C: IBM's chtun].
// A key whose algorithm changes and is not given is generated anew.
func Chtun(args []string, p *proc.Proc) int {
	q, err := parseTunnelFlags(args, chtunOpts)
	if err != nil {
		return usageOr(p, "chtun", err, chtunUsage)
	}
	id, err := strconv.ParseUint(q.flags['t'], 10, 32)
	if err != nil || id == 0 {
		return usageOr(p, "chtun", errUsage, chtunUsage)
	}
	rc := filt.Update(p, "chtun", func(h *engine.Host) error {
		list, err := h.ManualTunnels().List(q.version)
		if err != nil {
			return err
		}
		for i, t := range list {
			if t.ID != uint32(id) {
				continue
			}
			if list[i], err = q.build(t); err != nil {
				return err
			}
			if err := h.ManualTunnels().Replace(q.version, list); err != nil {
				return err
			}
			return filt.UpdateTunnelRules(h, q.version, t.ID, list[i].Src, list[i].Dst)
		}
		return filt.Refuse("Tunnel %d for IPv%d does not exist.", id, q.version) // [I]
	})
	if rc == 0 {
		fmt.Fprintf(p.Stdout, "Tunnel %d for IPv%d has been changed successfully.\n", id, q.version) // [R]
	}
	return rc
}
