package interop

import (
	"fmt"
	"os"
	"testing"
)

// binDir holds the ikemu the tests build, for the whole test binary.
var binDir string

func TestMain(m *testing.M) {
	d, err := os.MkdirTemp("", "ikemu-interop-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	binDir = d
	code := m.Run()
	os.RemoveAll(d)
	os.Exit(code)
}
