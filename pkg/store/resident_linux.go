package store

import (
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// releaseMapped drops the pages of the database's map from the process's
// resident set. The map is a read-only view of the file (bbolt writes
// with pwrite), so a page touched again is read back from the page
// cache: a scan of 100,000 rows stays within its memory limit instead of
// keeping every page of the file it has passed resident.
func releaseMapped(tx *bolt.Tx) {
	info := tx.DB().Info()
	if info == nil || info.Data == 0 || tx.Size() <= 0 {
		return
	}
	// Advice only: a failure leaves the pages resident, as before.
	syscall.Syscall(syscall.SYS_MADVISE, info.Data, uintptr(tx.Size()), syscall.MADV_DONTNEED)
}
