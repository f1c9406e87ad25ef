//go:build !linux

package store

import bolt "go.etcd.io/bbolt"

// releaseMapped keeps the map's pages where madvise is not used.
func releaseMapped(*bolt.Tx) {}
