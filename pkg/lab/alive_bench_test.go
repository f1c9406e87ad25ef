package lab

import "testing"

// BenchmarkAlive is what a served host's daemon PID costs each
// transaction that shows one: a look at /proc.
func BenchmarkAlive(b *testing.B) {
	me, err := ThisProcess()
	if err != nil {
		b.Skip(err)
	}
	var k kernelProcesses
	for b.Loop() {
		if !k.Alive(me) {
			b.Fatal("not alive")
		}
	}
}
