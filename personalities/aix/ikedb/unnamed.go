package ikedb

import "os"

// removedFile makes a 0600 file in the temporary directory and removes
// its name at once: nothing is left behind, whatever happens next.
func removedFile() (*os.File, error) {
	f, err := os.CreateTemp("", "ikedb-*")
	if err != nil {
		return nil, err
	}
	os.Remove(f.Name())
	return f, nil
}
