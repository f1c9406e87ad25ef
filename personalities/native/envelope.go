package native

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// schemaVersion names the shape of every machine-readable view; a change
// that breaks a reader gets a new one. Each kind's item schema is
// schema/ikemu.v1/KIND.schema.json in the repository.
const schemaVersion = "ikemu.v1"

// itemWriter streams one kind's items in the chosen format:
//
//	json   {"schema":"ikemu.v1","kind":K,"items":[
//	       ITEM,
//	       ITEM
//	       ]}
//	jsonl  one ITEM a line, nothing around them
//	text   a line (or lines) per item, as each view renders it
//
// Items are written as they come, so a listing of any size needs memory
// for one item only.
type itemWriter struct {
	w      *bufio.Writer
	format string
	kind   string
	n      int
}

func newItemWriter(w io.Writer, format, kind string) *itemWriter {
	return &itemWriter{w: bufio.NewWriter(w), format: format, kind: kind}
}

// Item writes one item; text renders it for -o text.
func (iw *itemWriter) Item(v any, text func(io.Writer)) error {
	switch iw.format {
	case "text":
		text(iw.w)
	case "jsonl":
		if err := iw.writeJSON(v); err != nil {
			return err
		}
		iw.w.WriteByte('\n')
	default:
		if iw.n == 0 {
			iw.header()
		} else {
			iw.w.WriteString(",\n")
		}
		if err := iw.writeJSON(v); err != nil {
			return err
		}
	}
	iw.n++
	return nil
}

func (iw *itemWriter) header() {
	fmt.Fprintf(iw.w, "{\"schema\":%q,\"kind\":%q,\"items\":[\n", schemaVersion, iw.kind)
}

func (iw *itemWriter) writeJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%s item: %w", iw.kind, err)
	}
	_, err = iw.w.Write(b)
	return err
}

// Close ends the envelope and flushes.
func (iw *itemWriter) Close() error {
	if iw.format == "json" {
		if iw.n == 0 {
			iw.header()
		} else {
			iw.w.WriteByte('\n')
		}
		iw.w.WriteString("]}\n")
	}
	return iw.w.Flush()
}

// Abort flushes the items written so far, leaving the envelope open.
func (iw *itemWriter) Abort() { iw.w.Flush() }

// writeEnvelope writes a whole (small) list in the envelope: the views
// that predate ikemu show, such as host list -o json.
func writeEnvelope[T any](w io.Writer, kind string, items []T) error {
	iw := newItemWriter(w, "json", kind)
	for _, it := range items {
		if err := iw.Item(it, nil); err != nil {
			return err
		}
	}
	return iw.Close()
}
