package tokentest

import "os"

// SharedMemory is the tmpfs every Linux machine mounts, where tests make
// the memory-backed directories ikemu keeps token PINs in.
const SharedMemory = "/dev/shm"

// NewRuntimeDir makes a fresh directory (mode 0700) on SharedMemory to
// stand for a test's XDG_RUNTIME_DIR; the caller removes it.
func NewRuntimeDir() (string, error) { return os.MkdirTemp(SharedMemory, "ikemu-test-run-") }
