package filt

import (
	"fmt"
	"io"
	"testing"
)

// BenchmarkListing renders tables of 100 and 10000 rules in both forms:
// the time per rule should stay flat (linear in the table).
func BenchmarkListing(b *testing.B) {
	for _, n := range []int{100, 10000} {
		t := initialTable(4)
		q, _ := parseGenfilt([]string{"-v", "4", "-aP", "-s", "10.0.0.2", "-m", "255.255.255.255", "-c", "tcp", "-O", "eq", "-P", "22", "-D", "ssh"})
		for range n {
			t.Rules = append(t.Rules, q.rule)
		}
		b.Run(fmt.Sprintf("O/%d", n), func(b *testing.B) {
			for b.Loop() {
				tableListing(4, t, nil).writeColon(io.Discard)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/rule")
		})
		b.Run(fmt.Sprintf("long/%d", n), func(b *testing.B) {
			for b.Loop() {
				tableListing(4, t, nil).writeLong(io.Discard, "filter rules")
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/rule")
		})
	}
}
