package engine

import (
	"fmt"
	"net/netip"
	"time"
)

// Every table and record the engine keeps, each with its one codec. A
// new table is declared here, with its codec: JSON for small tables, a
// binary record for one a listing reads by the hundred thousand
// (sacodec.go). Each descriptor is a function, so nothing here can be
// changed at run time.

// Tables of a host bucket.
// Policies are binary records (policycodec.go): a listing of every
// definition decodes them by the hundred thousand.
func phase1Policies() table[Phase1Policy] {
	return table[Phase1Policy]{policyTable, phase1PolicyCodec{}}
}
func phase2Policies() table[Phase2Policy] {
	return table[Phase2Policy]{phase2Table, phase2PolicyCodec{}}
}
func presharedKeys() table[PresharedKey] {
	return table[PresharedKey]{pskTable, jsonCodec[PresharedKey]{}}
}
func phase1SAs() table[Phase1SA] { return table[Phase1SA]{p1saTable, saCodec{}} }
func phase2SAs() table[Phase2SA] { return table[Phase2SA]{p2saTable, jsonCodec[Phase2SA]{}} }
func tunnelEntries() table[TunnelEntry] {
	return table[TunnelEntry]{tunnelEntryTable, jsonCodec[TunnelEntry]{}}
}
func ipsecRules() table[IPsecRule] {
	return table[IPsecRule]{ipsecPolicyTable, jsonCodec[IPsecRule]{}}
}
func wireStates() table[WireState]  { return table[WireState]{wireSATable, jsonCodec[WireState]{}} }
func manualSARows() table[ManualSA] { return table[ManualSA]{manualSATable, jsonCodec[ManualSA]{}} }

// sadbEvents is the bounded SADB event table (sadb.go), and
// sadbStateRecord its bookkeeping (a binary record: read on every event).
func sadbEvents() table[SADBEvent] { return table[SADBEvent]{sadbEventTable, jsonCodec[SADBEvent]{}} }
func sadbStateRecord() record[sadbState] {
	return record[sadbState]{sadbStateKey, sadbStateCodec{}}
}

// tunnelNames is a tunnel number table (tunnum1, tunnum2): each row the
// name of the definition numbered by its key.
func tunnelNames(name string) table[string] { return table[string]{name, textCodec{}} }

// vendorDefinitions is one kind of a personality's definitions.
func vendorDefinitions(name string) table[vendorDef] { return table[vendorDef]{name, vendorCodec{}} }

// Records of a host bucket.
func hostInfoRecord() record[HostInfo] { return record[HostInfo]{infoKey, jsonCodec[HostInfo]{}} }
func globalRecord() record[GlobalConfig] {
	return record[GlobalConfig]{globalKey, jsonCodec[GlobalConfig]{}}
}
func statsRecord() record[Stats] { return record[Stats]{statsKey, jsonCodec[Stats]{}} }
func syslogRecord() record[SyslogConfig] {
	return record[SyslogConfig]{syslogKey, jsonCodec[SyslogConfig]{}}
}
func certCacheRecord() record[certCacheRow] {
	return record[certCacheRow]{certCacheKey, jsonCodec[certCacheRow]{}}
}
func subsystemsRecord() record[map[string]Subsystem] {
	return record[map[string]Subsystem]{subsysKey, jsonCodec[map[string]Subsystem]{}}
}
func servingRecord() record[ServingProcess] {
	return record[ServingProcess]{servingKey, jsonCodec[ServingProcess]{}}
}

// The service manager's and device database's records (services.go).
func servicesRecord() record[map[string]Service] {
	return record[map[string]Service]{servicesKey, jsonCodec[map[string]Service]{}}
}
func devicesRecord() record[map[string]Device] {
	return record[map[string]Device]{devicesKey, jsonCodec[map[string]Device]{}}
}
func bootedRecord() record[time.Time] { return record[time.Time]{bootedKey, jsonCodec[time.Time]{}} }

// AIX's filter tables and manual tunnel tables, one record per IP
// version (filters.go, manualtunnel.go).
func filterRecord(version int) record[FilterTable] {
	return record[FilterTable]{filterKey(version), jsonCodec[FilterTable]{}}
}
func manualTunnelRecord(version int) record[manualTunnelTable] {
	return record[manualTunnelTable]{manualTunnelKey(version), jsonCodec[manualTunnelTable]{}}
}

// daemonRecord is read as a daemonRow, which catches what older labs
// kept in it (daemonrow.go), and written as the Daemon.
func daemonRecord() record[daemonRow] { return record[daemonRow]{daemonKey, jsonCodec[daemonRow]{}} }
func daemonWrite() record[Daemon]     { return record[Daemon]{daemonKey, jsonCodec[Daemon]{}} }

// counterRecord is one of a host's counters (kmc_max, tunnel_next_p1).
func counterRecord(key string) record[uint32] { return record[uint32]{key, jsonCodec[uint32]{}} }

// indexRecord is an IPsec policy head's next rule index.
func indexRecord(key string) record[uint64] { return record[uint64]{key, jsonCodec[uint64]{}} }

// flagRecord is a yes/no fact about a host (ipsecconf's policy file exists).
func flagRecord(key string) record[bool] { return record[bool]{key, jsonCodec[bool]{}} }

// kindsRecord lists a personality's definition kinds.
func kindsRecord(key string) record[[]string] { return record[[]string]{key, jsonCodec[[]string]{}} }

// Records of the lab's meta bucket.
func peersRecord() record[map[netip.Addr]PeerBehavior] {
	return record[map[netip.Addr]PeerBehavior]{peersKey, jsonCodec[map[netip.Addr]PeerBehavior]{}}
}

// wirePortsRecord holds the UDP ports of wire peers (wirepeer.go).
func wirePortsRecord() record[map[netip.Addr]uint16] {
	return record[map[netip.Addr]uint16]{wirePortsKey, jsonCodec[map[netip.Addr]uint16]{}}
}

// phase1PolicyCodec and phase2PolicyCodec are the binary policy records;
// they still read the JSON rows of labs written before them.
type phase1PolicyCodec struct{}

func (phase1PolicyCodec) encode(p *Phase1Policy) ([]byte, error) { return p.marshalBinary(), nil }
func (phase1PolicyCodec) decode(raw []byte) (*Phase1Policy, error) {
	p, err := unmarshalPhase1Policy(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDamaged, err)
	}
	return p, nil
}

type phase2PolicyCodec struct{}

func (phase2PolicyCodec) encode(p *Phase2Policy) ([]byte, error) { return p.marshalBinary(), nil }
func (phase2PolicyCodec) decode(raw []byte) (*Phase2Policy, error) {
	p, err := unmarshalPhase2Policy(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDamaged, err)
	}
	return p, nil
}

// textCodec keeps a string as its bytes.
type textCodec struct{}

func (textCodec) encode(s *string) ([]byte, error) { return []byte(*s), nil }
func (textCodec) decode(raw []byte) (*string, error) {
	s := string(raw)
	return &s, nil
}
