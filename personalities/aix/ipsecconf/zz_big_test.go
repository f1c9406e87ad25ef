package ipsecconf

import (
	"os"
	"testing"
	"time"
)

func TestBig(t *testing.T) {
	c, _ := os.ReadFile("/tmp/bigike")
	start := time.Now()
	convert(string(c), "", "192.0.2.1")
	t.Log(time.Since(start))
}
