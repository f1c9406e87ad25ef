package engine

import (
	"net/netip"
	"reflect"
	"testing"
	"time"
)

// fillEvery sets every field reachable from v to a value that is not its
// zero, that the hand-written JSON writes rather than leaves to
// encoding/json: a field added to a row type and forgotten by its
// appendJSON then shows as a difference from encoding/json.
func fillEvery(t *testing.T, v reflect.Value) {
	t.Helper()
	switch v.Interface().(type) {
	case time.Time:
		v.Set(reflect.ValueOf(time.Date(2026, 12, 2, 5, 0, 0, 7, time.UTC)))
		return
	case netip.Addr:
		v.Set(reflect.ValueOf(netip.MustParseAddr("10.1.2.3")))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillEvery(t, v.Field(i))
			}
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillEvery(t, v.Elem())
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.Uint8 {
			t.Fatalf("a %s field: teach fillEvery its values", v.Type())
		}
		v.Set(reflect.ValueOf([]byte{1, 2}).Convert(v.Type()))
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(3)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(5)
	default:
		t.Fatalf("a %s field: teach fillEvery its values", v.Type())
	}
}

// TestJSONAppendWritesEveryField: with every field set, each row type's
// own JSON is still encoding/json's, so no field is missing from it.
func TestJSONAppendWritesEveryField(t *testing.T) {
	sa := new(Phase2SA)
	fillEvery(t, reflect.ValueOf(sa).Elem())
	if _, ok := sa.appendJSON(nil); !ok {
		t.Fatal("a filled Phase2SA is left to encoding/json")
	}
	checkAppend(t, sa)

	st := new(Stats)
	fillEvery(t, reflect.ValueOf(st).Elem())
	checkAppend(t, st)

	e := new(SADBEvent)
	ev := reflect.ValueOf(e).Elem()
	for i := range ev.NumField() {
		// A manual SA or an ACQUIRE is left to encoding/json by design.
		if name := ev.Type().Field(i).Name; name != "Manual" && name != "Acquire" {
			fillEvery(t, ev.Field(i))
		}
	}
	if _, ok := e.appendJSON(nil); !ok {
		t.Fatal("a filled SADBEvent is left to encoding/json")
	}
	checkAppend(t, e)
}
