//go:build !linux || !(amd64 || arm64)

package ikedb

import "os"

// unnamedFile makes a 0600 file in the temporary directory, removed as
// soon as it is made.
func unnamedFile() (*os.File, error) { return removedFile() }
