package engine_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

type vendorRow struct{ name, data string }

func scanKind(t *testing.T, vs *engine.VendorStore, kind string) []vendorRow {
	t.Helper()
	var rows []vendorRow
	err := vs.Scan(kind, func(name string, data []byte) error {
		rows = append(rows, vendorRow{name, string(data)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestVendorStore(t *testing.T) {
	path := tempDB(t)
	withHost(t, path, func(h *engine.Host) error {
		vs := h.VendorStore("aix")
		for _, r := range []vendorRow{{"b", "1"}, {"a", "2"}, {"c.d e", "any name"}} {
			if replaced, err := vs.Put("Tunnel", r.name, []byte(r.data)); err != nil || replaced {
				t.Fatalf("Put %q: %v %v", r.name, replaced, err)
			}
		}
		if _, err := vs.Put("Tunnel", "", nil); !errors.Is(err, engine.ErrInvalid) {
			t.Errorf("Put without a name: %v", err)
		}
		_, err := vs.Put("Key", "k", []byte("secret"))
		return err
	})
	withHost(t, path, func(h *engine.Host) error {
		vs := h.VendorStore("aix")
		if replaced, err := vs.Put("Tunnel", "b", []byte("3")); err != nil || !replaced {
			t.Fatalf("replacing b: %v %v", replaced, err)
		}
		want := []vendorRow{{"b", "3"}, {"a", "2"}, {"c.d e", "any name"}}
		if got := scanKind(t, vs, "Tunnel"); !reflect.DeepEqual(got, want) {
			t.Errorf("scan: %v, want %v (replacing keeps the place)", got, want)
		}
		if data, err := vs.Get("Key", "k"); err != nil || string(data) != "secret" {
			t.Errorf("Get: %q %v", data, err)
		}
		if _, err := vs.Get("Key", "nope"); !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("Get of nothing: %v", err)
		}
		if err := vs.Delete("Tunnel", "a"); err != nil || vs.Has("Tunnel", "a") {
			t.Errorf("Delete: %v", err)
		}
		if err := vs.Delete("Tunnel", "a"); !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("second Delete: %v", err)
		}
		if other := scanKind(t, h.VendorStore("solaris"), "Tunnel"); other != nil {
			t.Errorf("another vendor sees %v", other)
		}
		if err := vs.Clear(); err != nil {
			return err
		}
		if vs.Has("Key", "k") || scanKind(t, vs, "Tunnel") != nil {
			t.Error("Clear left definitions")
		}
		_, err := vs.Put("Key", "k2", nil)
		return err
	})
}

// PutAll is Put of each definition in turn: a name given twice, or
// already stored, is replaced in place, and each name is found after.
func TestVendorStorePutAll(t *testing.T) {
	path := tempDB(t)
	withHost(t, path, func(h *engine.Host) error {
		_, err := h.VendorStore("aix").Put("Tunnel", "b", []byte("0"))
		return err
	})
	withHost(t, path, func(h *engine.Host) error {
		vs := h.VendorStore("aix")
		replaced, err := vs.PutAll([]engine.VendorDef{
			{"Tunnel", "z", []byte("1")}, {"Tunnel", "b", []byte("2")}, {"Key", "k", []byte("3")},
			{"Tunnel", "a", []byte("4")}, {"Tunnel", "z", []byte("5")}})
		if err != nil {
			return err
		}
		if want := []bool{false, true, false, false, true}; !reflect.DeepEqual(replaced, want) {
			t.Errorf("replaced %v, want %v", replaced, want)
		}
		want := []vendorRow{{"b", "2"}, {"z", "5"}, {"a", "4"}}
		if got := scanKind(t, vs, "Tunnel"); !reflect.DeepEqual(got, want) {
			t.Errorf("scan: %v, want %v", got, want)
		}
		for _, n := range []string{"a", "b", "z"} {
			if !vs.Has("Tunnel", n) {
				t.Errorf("%s not indexed", n)
			}
		}
		if _, err := vs.PutAll([]engine.VendorDef{{Kind: "Tunnel"}}); !errors.Is(err, engine.ErrInvalid) {
			t.Errorf("PutAll without a name: %v", err)
		}
		return nil
	})
}
