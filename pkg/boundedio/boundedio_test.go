package boundedio

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// within fails the test when f takes longer than d: a read of /dev/zero
// that does not stop would otherwise hang the suite.
func within(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("still reading after %v", d)
	}
}

func TestReadFileDevZeroStopsAtTheLimit(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	within(t, 2*time.Second, func() {
		start := time.Now()
		_, err := ReadFile("/dev/zero", "/dev/zero", FileLimit)
		var big *TooLargeError
		if !errors.As(err, &big) || big.Name != "/dev/zero" || big.Limit != FileLimit {
			t.Errorf("err = %v; want a *TooLargeError for /dev/zero", err)
		}
		if got, want := err.Error(), "/dev/zero: file is larger than the 64 MiB limit"; got != want {
			t.Errorf("message %q; want %q", got, want)
		}
		t.Logf("/dev/zero at the 64 MiB limit: %v", time.Since(start))
	})
}

// TestReadAllMemoryStaysNearTheLimit: reading in chunks, an endless input
// costs the limit and one chunk, not the doubling of a growing buffer.
func TestReadAllMemoryStaysNearTheLimit(t *testing.T) {
	const limit = 8 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ReadAll(zeros{}, "zeros", limit)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v; want ErrTooLarge", err)
	}
	if got, most := after.TotalAlloc-before.TotalAlloc, uint64(limit+2*chunk); got > most {
		t.Errorf("allocated %d bytes reading past a %d-byte limit; want at most %d", got, limit, most)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestReadFileRegularOverLimitFailsBeforeReading(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big")
	if err := os.WriteFile(path, make([]byte, 1001), 0o600); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ReadFile(path, "big", 1000)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) || err.Error() != "big: file is larger than the 1000 bytes limit" {
		t.Fatalf("err = %v", err)
	}
	if after.TotalAlloc-before.TotalAlloc > 900 {
		t.Errorf("allocated %d bytes for a file refused by its size", after.TotalAlloc-before.TotalAlloc)
	}
}

func TestReadFileExactlyAtTheLimit(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 1, 999, 1000} {
		path := filepath.Join(dir, "f")
		want := strings.Repeat("x", n)
		if err := os.WriteFile(path, []byte(want), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFile(path, "f", 1000)
		if err != nil || string(got) != want {
			t.Errorf("%d bytes: got %d bytes, %v", n, len(got), err)
		}
		// The same through a pipe-like reader of unknown size.
		got, err = ReadAll(io.LimitReader(zeros{}, int64(n)), "r", 1000)
		if err != nil || len(got) != n {
			t.Errorf("%d bytes unsized: got %d bytes, %v", n, len(got), err)
		}
	}
	if _, err := ReadAll(io.LimitReader(zeros{}, 1001), "r", 1000); !errors.Is(err, ErrTooLarge) {
		t.Errorf("1001 bytes: err = %v", err)
	}
}

func TestReadAllLargeUnsizedInput(t *testing.T) {
	n := 3*chunk + 17
	got, err := ReadAll(strings.NewReader(strings.Repeat("ab", n/2)+"c"), "r", FileLimit)
	if err != nil || len(got) != n/2*2+1 || got[len(got)-1] != 'c' || got[chunk] != 'a' {
		t.Fatalf("got %d bytes, %v", len(got), err)
	}
}

func TestReadFileErrorsComeThrough(t *testing.T) {
	_, err := ReadFile(filepath.Join(t.TempDir(), "none"), "none", FileLimit)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v; want not-exist", err)
	}
	if !errors.Is(&TooLargeError{Name: "x", Limit: 1}, syscall.EFBIG) {
		t.Error("TooLargeError does not unwrap to EFBIG")
	}
}

func TestReaderStopsAfterTheLimit(t *testing.T) {
	within(t, 2*time.Second, func() {
		n, err := io.Copy(io.Discard, Reader(zeros{}, "standard input", 1<<20))
		if !errors.Is(err, ErrTooLarge) || n > 1<<20 {
			t.Errorf("copied %d bytes, err %v", n, err)
		}
	})
	got, err := io.ReadAll(Reader(strings.NewReader("12345"), "r", 5))
	if err != nil || string(got) != "12345" {
		t.Errorf("input at the limit: %q, %v", got, err)
	}
	if _, err := io.ReadAll(Reader(strings.NewReader("123456"), "r", 5)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("input over the limit: %v", err)
	}
}

func TestScannerLineLimit(t *testing.T) {
	within(t, 2*time.Second, func() {
		sc := Scanner(zeros{})
		for sc.Scan() {
		}
		err := LineError(sc.Err(), "/etc/x", 1)
		if err == nil || err.Error() != "/etc/x: line 1 is longer than the 1 MiB limit" {
			t.Errorf("err = %v", err)
		}
	})
	sc := Scanner(strings.NewReader(strings.Repeat("x", LineLimit) + "\nnext\n"))
	if !sc.Scan() || len(sc.Text()) != LineLimit || !sc.Scan() || sc.Text() != "next" {
		t.Errorf("a line at the limit: %v", sc.Err())
	}
}

func TestReadLine(t *testing.T) {
	r := bufio.NewReaderSize(strings.NewReader("abc\nabcd\nabcde\nxy"), 16)
	for _, want := range []string{"abc\n", "abcd\n"} {
		if got, err := ReadLine(r, 4); got != want || err != nil {
			t.Errorf("ReadLine = %q, %v; want %q", got, err, want)
		}
	}
	if _, err := ReadLine(r, 4); !errors.Is(err, bufio.ErrTooLong) {
		t.Errorf("five bytes at limit 4: %v", err)
	}
	within(t, 2*time.Second, func() {
		if _, err := ReadLine(bufio.NewReader(zeros{}), LineLimit); !errors.Is(err, bufio.ErrTooLong) {
			t.Errorf("/dev/zero line: %v", err)
		}
	})
	r = bufio.NewReader(strings.NewReader("last"))
	if got, err := ReadLine(r, 4); got != "last" || err != io.EOF {
		t.Errorf("last line = %q, %v", got, err)
	}
}

func TestQuote(t *testing.T) {
	if got := Quote("short"); got != "short" {
		t.Errorf("Quote(short) = %q", got)
	}
	long := strings.Repeat("é", 100) // two bytes each: 80 is a rune boundary
	if got := Quote(long); got != strings.Repeat("é", 40)+"..." {
		t.Errorf("Quote(long) = %q", got)
	}
	odd := "x" + long // 80 falls inside a rune
	if got := Quote(odd); got != "x"+strings.Repeat("é", 39)+"..." {
		t.Errorf("Quote(odd) = %q", got)
	}
	if got := Quote(strings.Repeat("a", 20<<20)); len(got) != TokenQuote+3 {
		t.Errorf("20 MB token quoted in %d bytes", len(got))
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{64 << 20: "64 MiB", 1 << 20: "1 MiB", 4096: "4 KiB", 1000: "1000 bytes"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q; want %q", n, got, want)
		}
	}
}
