package solaris

import "errors"

// ConfigErrorDetail returns the lines in.iked prints before its verdict
// when err is a configuration that failed to load at start (each line
// ends in a newline), so other front ends show the same detail.
func ConfigErrorDetail(err error) (string, bool) {
	var le *loadError
	if !errors.As(err, &le) {
		return "", false
	}
	return le.detail, true
}
