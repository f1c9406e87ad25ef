package store

import (
	"encoding/binary"
	"fmt"
)

// Every value the store keeps (rows, records, index entries, row counts,
// meta values) ends in a CRC-32C of where it is: the names of the buckets
// above it, its key and its bytes. A flipped bit in the value or the key,
// a key or value bbolt reads from the wrong offset, or a record found in
// another table's bucket fails the sum, and the read reports a
// DamagedError instead of decoding it. bbolt itself checksums only its
// meta pages.

// sumSize is the length of the trailing checksum.
const sumSize = 4

// pathSum is the running checksum of a bucket's path: every record of the
// bucket starts its own checksum from it.
type pathSum uint32

// child is the path sum of the bucket (or record) name under p.
func (p pathSum) child(name []byte) pathSum {
	// One update over length and name where the name is short (a row
	// key is 8 bytes): the sum is the same, and a scan pays the update's
	// fixed cost once per row instead of twice.
	var n [binary.MaxVarintLen64 + shortName]byte
	l := binary.PutUvarint(n[:], uint64(len(name)))
	if len(name) <= shortName {
		return pathSum(crc32c(uint32(p), n[:l+copy(n[l:], name)]))
	}
	c := crc32c(uint32(p), n[:l])
	return pathSum(crc32c(c, name))
}

// shortName is the longest name child sums in one update.
const shortName = 32

func (p pathSum) record(key, payload []byte) uint32 {
	// A short record is summed in one update too (an index entry, a
	// small row): the same sum, one call of crc32c where a scan makes
	// one per entry.
	if len(key) <= shortName && len(payload) <= shortPayload {
		var n [binary.MaxVarintLen64 + shortName + shortPayload]byte
		l := binary.PutUvarint(n[:], uint64(len(key)))
		l += copy(n[l:], key)
		l += copy(n[l:], payload)
		return crc32c(uint32(p), n[:l])
	}
	return crc32c(uint32(p.child(key)), payload)
}

// shortPayload is the longest payload record sums with its key.
const shortPayload = 96

// seal appends the record's checksum to a copy of payload.
func (p pathSum) seal(key, payload []byte) []byte {
	out := make([]byte, len(payload), len(payload)+sumSize)
	copy(out, payload)
	return binary.BigEndian.AppendUint32(out, p.record(key, payload))
}

// unseal returns the payload of a sealed value, and false when its
// checksum does not hold.
func (p pathSum) unseal(key, v []byte) ([]byte, bool) {
	if len(v) < sumSize {
		return nil, false
	}
	payload := v[:len(v)-sumSize]
	return payload, binary.BigEndian.Uint32(v[len(payload):]) == p.record(key, payload)
}

// where names a place in the file for damage reports: the bucket path in
// readable form, and the location of the file.
type where struct {
	file string
	path string // "host sol, table p1sa"
	// seen is the transaction's first damage, nil outside a transaction.
	seen *damageSeen
}

// damageSeen keeps the first damage a transaction met. The transaction
// fails with it even if a caller swallowed the error (a lookup that
// reads "not found" on failure): damage is never read as an answer.
type damageSeen struct{ err error }

func (w where) under(label string) where {
	if w.path == "" {
		return where{w.file, label, w.seen}
	}
	return where{w.file, w.path + ", " + label, w.seen}
}

func (w where) damaged(format string, args ...any) error {
	why := fmt.Sprintf(format, args...)
	if w.path != "" {
		why = w.path + ": " + why
	}
	err := &DamagedError{Path: w.file, Why: why}
	if w.seen != nil && w.seen.err == nil {
		w.seen.err = err
	}
	return err
}

func (w where) badSum(key []byte) error {
	return w.damaged("record %s fails its checksum", printable(string(key)))
}

// printable renders a key for a message: text as it is, binary keys (row
// numbers) as a number or hex, at most 40 bytes of either.
func printable(s string) string {
	if len(s) == 8 && s[0] == 0 {
		return fmt.Sprint(binary.BigEndian.Uint64([]byte(s)))
	}
	for _, r := range s {
		if r < 0x20 || r > 0x7e {
			if len(s) > 20 {
				s = s[:20]
			}
			return fmt.Sprintf("%x", s)
		}
	}
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return s
}
