package engine

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/ikemu/ikemu/pkg/store"
)

// VendorStore keeps one personality's own definitions on a host, verbatim,
// next to the vendor-neutral objects derived from them. A vendor whose
// configuration holds more than the engine models (AIX's ikedb database
// must print back every attribute it was given) stores each definition
// here under its kind and name, as bytes only the personality interprets.
//
// Each kind is an ordered table of the host bucket: scans return
// definitions in the order they were first stored, replacing a definition
// keeps its place, and every scan streams one row at a time.
type VendorStore struct {
	h      *Host
	vendor string
}

// VendorStore opens the store of one personality ("aix").
func (h *Host) VendorStore(vendor string) *VendorStore {
	return &VendorStore{h: h, vendor: vendor}
}

// kindsKey records which kinds the vendor has tables for, so that Clear
// can drop them all without the personality listing them.
func (s *VendorStore) kindsKey() string { return "vendor/" + s.vendor }

func (s *VendorStore) tableName(kind string) string { return "vendor/" + s.vendor + "/" + kind }

// Has reports whether a definition of this kind and name is stored.
func (s *VendorStore) Has(kind, name string) bool {
	_, ok, err := s.h.b.Table(s.tableName(kind)).Lookup(name)
	return ok || err != nil
}

// Get returns a stored definition's bytes, or an ErrNotFound error. The
// bytes are a copy: they stay valid after the transaction.
func (s *VendorStore) Get(kind, name string) ([]byte, error) {
	defs := vendorDefinitions(s.tableName(kind))
	t := defs.of(s.h)
	seq, ok, err := t.Lookup(name)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errorf(ErrNotFound, "no %s %s named %q", s.vendor, kind, name)
	}
	def, err := defs.get(t, seq)
	if err != nil {
		return nil, err
	}
	if def == nil || def.name != name {
		return nil, errorf(ErrDamaged, "%s %s %q: corrupt row", s.vendor, kind, name)
	}
	return slices.Clone(def.data), nil
}

// Put stores a definition, replacing one of the same kind and name in
// place; replaced tells whether there was one. The name must not be empty.
func (s *VendorStore) Put(kind, name string, data []byte) (replaced bool, err error) {
	if name == "" {
		return false, errorf(ErrInvalid, "%s %s without a name", s.vendor, kind)
	}
	t, err := s.createTable(kind)
	if err != nil {
		return false, err
	}
	defs := vendorDefinitions(s.tableName(kind))
	def := &vendorDef{name: name, data: data}
	seq, ok, err := t.Lookup(name)
	if err != nil {
		return false, err
	}
	if ok {
		return true, defs.put(t, seq, def)
	}
	seq, err = defs.append(t, def)
	if err != nil {
		return false, fmt.Errorf("store %s %s %q: %w", s.vendor, kind, name, err)
	}
	return false, t.SetIndex(name, seq)
}

// VendorDef is one definition of a PutAll.
type VendorDef struct {
	Kind, Name string
	Data       []byte
}

// PutAll is Put of each definition in turn, its new names indexed
// together in name order at the end (store.Table.SetIndexes): a load of
// 100,000 definitions puts each name once, not into the middle of every
// name before it. replaced[i] tells whether defs[i] replaced one.
func (s *VendorStore) PutAll(defs []VendorDef) (replaced []bool, err error) {
	type pending struct {
		t     *store.Table
		added map[string]store.Seq
		index []store.IndexEntry
	}
	tables := map[string]*pending{}
	replaced = make([]bool, len(defs))
	for i, d := range defs {
		if d.Name == "" {
			return nil, errorf(ErrInvalid, "%s %s without a name", s.vendor, d.Kind)
		}
		p := tables[d.Kind]
		if p == nil {
			t, err := s.createTable(d.Kind)
			if err != nil {
				return nil, err
			}
			p = &pending{t: t, added: map[string]store.Seq{}}
			tables[d.Kind] = p
		}
		rows := vendorDefinitions(s.tableName(d.Kind))
		def := &vendorDef{name: d.Name, data: d.Data}
		seq, ok, err := p.t.Lookup(d.Name)
		if err != nil {
			return nil, err
		}
		if !ok {
			seq, ok = p.added[d.Name]
		}
		if ok {
			replaced[i] = true
			if err := rows.put(p.t, seq, def); err != nil {
				return nil, err
			}
			continue
		}
		if seq, err = rows.append(p.t, def); err != nil {
			return nil, fmt.Errorf("store %s %s %q: %w", s.vendor, d.Kind, d.Name, err)
		}
		p.added[d.Name] = seq
		p.index = append(p.index, store.IndexEntry{Name: d.Name, Seq: seq})
	}
	for _, p := range tables {
		if err := p.t.SetIndexes(p.index); err != nil {
			return nil, err
		}
	}
	return replaced, nil
}

// createTable opens a kind's table, creating it (and recording the kind)
// on first use.
func (s *VendorStore) createTable(kind string) (*store.Table, error) {
	if t := s.h.b.Table(s.tableName(kind)); t != nil {
		return t, nil
	}
	kinds, err := s.kinds()
	if err != nil {
		return nil, err
	}
	if !slices.Contains(kinds, kind) {
		kinds = append(kinds, kind)
		if err := kindsRecord(s.kindsKey()).put(s.h.b, &kinds); err != nil {
			return nil, err
		}
	}
	return s.h.b.CreateTable(s.tableName(kind))
}

func (s *VendorStore) kinds() ([]string, error) {
	var kinds []string
	if _, err := kindsRecord(s.kindsKey()).get(s.h.b, &kinds); err != nil {
		return nil, fmt.Errorf("%s definition kinds: %w", s.vendor, err)
	}
	return kinds, nil
}

// Delete removes one definition; ErrNotFound when there is none.
func (s *VendorStore) Delete(kind, name string) error {
	t := s.h.b.Table(s.tableName(kind))
	seq, ok, err := t.Lookup(name)
	if err != nil {
		return err
	}
	if !ok {
		return errorf(ErrNotFound, "no %s %s named %q", s.vendor, kind, name)
	}
	if err := t.DeleteRow(seq); err != nil {
		return err
	}
	return t.DeleteIndex(name)
}

// Scan calls fn with each definition of a kind, in store order. data is
// valid only during the call. fn must not change the store; collect what
// to change and change it after the scan.
func (s *VendorStore) Scan(kind string, fn func(name string, data []byte) error) error {
	// The codec's split, not its decode: ikedb -g streams every
	// definition, and a row costs no allocation beyond its name.
	return s.h.b.Table(s.tableName(kind)).Scan(func(_ store.Seq, row []byte) error {
		name, data, err := splitVendorRow(row)
		if err != nil {
			return err
		}
		return fn(name, data)
	})
}

// ScanBytes is Scan with the name as bytes, valid only during the call
// like data: a row costs no allocation at all.
func (s *VendorStore) ScanBytes(kind string, fn func(name, data []byte) error) error {
	return s.h.b.Table(s.tableName(kind)).Scan(func(_ store.Seq, row []byte) error {
		name, data, err := splitVendorRowBytes(row)
		if err != nil {
			return err
		}
		return fn(name, data)
	})
}

// Clear removes every definition of the vendor, of every kind.
func (s *VendorStore) Clear() error {
	kinds, err := s.kinds()
	if err != nil {
		return err
	}
	for _, k := range kinds {
		if err := s.h.b.DropTable(s.tableName(k)); err != nil {
			return fmt.Errorf("clear %s %s: %w", s.vendor, k, err)
		}
	}
	return s.h.b.Delete(s.kindsKey())
}

// vendorDef is one stored definition: its name and the personality's bytes.
type vendorDef struct {
	name string
	data []byte // in a scan, valid only during the call
}

// vendorCodec keeps a definition as its name, length-prefixed, then the
// bytes: the name comes back with each row of a scan without a second
// lookup, and a scan does not copy the bytes.
type vendorCodec struct{}

func (vendorCodec) encode(d *vendorDef) ([]byte, error) {
	row := make([]byte, 0, binary.MaxVarintLen64+len(d.name)+len(d.data))
	row = binary.AppendUvarint(row, uint64(len(d.name)))
	row = append(row, d.name...)
	return append(row, d.data...), nil
}

func (vendorCodec) decode(row []byte) (*vendorDef, error) {
	name, data, err := splitVendorRow(row)
	if err != nil {
		return nil, err
	}
	return &vendorDef{name: name, data: data}, nil
}

func splitVendorRow(row []byte) (name string, data []byte, err error) {
	nb, data, err := splitVendorRowBytes(row)
	return string(nb), data, err
}

func splitVendorRowBytes(row []byte) (name, data []byte, err error) {
	n, k := binary.Uvarint(row)
	if k <= 0 || uint64(len(row)-k) < n {
		return nil, nil, errorf(ErrDamaged, "corrupt definition row")
	}
	return row[k : k+int(n)], row[k+int(n):], nil
}
