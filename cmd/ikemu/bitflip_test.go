package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ikemu/ikemu/pkg/proc"
)

// damageLine is the one line every tool prints for a damaged lab file.
var damageLine = regexp.MustCompile(`(?m)^[a-z.]+: lab database \S+ is damaged \(.+\); it was left untouched: ikemu lab salvage NEWDIR copies what holds, or move it aside to start a new lab there\n\z`)

// labReads are the read-only commands of the damage suite, each as
// (host, argv).
var labReads = [][2]string{
	{"sol", "ikeadm dump p1"}, {"sol", "ikeadm dump rule"}, {"sol", "ikeadm -p dump preshared"},
	{"sol", "ikeadm get stats"}, {"aix", "ike cmd=list"}, {"aix", "ike cmd=list db"},
	{"aix", "ikedb -g"}, {"aix", "lssrc -g ike"}, {"sol", "ike cmd=list db"}, {"", "ikemu host list"},
}

type toolRun struct {
	out  string
	code int
}

// runReads runs labReads on the lab in dir.
func runReads(t *testing.T, dir string) []toolRun {
	t.Helper()
	env := map[string]string{"IKEMU_LAB": dir, "HOME": dir, "TZ": "UTC", "XDG_RUNTIME_DIR": dir, "IKEMU_LOCK_TIMEOUT": "1s"}
	var runs []toolRun
	for _, r := range labReads {
		var out bytes.Buffer
		getenv := func(k string) string {
			if k == "IKEMU_HOST" {
				return r[0]
			}
			return env[k]
		}
		p := &proc.Proc{Stdin: bytes.NewReader(nil), Stdout: &out, Stderr: &out, Getenv: getenv, UID: os.Geteuid(), Dir: dir}
		code := run(strings.Fields(r[1]), p)
		runs = append(runs, toolRun{out.String(), code})
	}
	return runs
}

// migratedLab is testdata/lab-v1 migrated to the current schema, in a
// directory of its own.
func migratedLab(t *testing.T) (dir string, db []byte) {
	t.Helper()
	orig, err := os.ReadFile(filepath.Join("..", "..", "testdata", "lab-v1", "lab.db"))
	if err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(t.TempDir(), "lab")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "lab.db")
	if err := os.WriteFile(path, orig, 0o600); err != nil {
		t.Fatal(err)
	}
	runReads(t, dir) // the first open migrates
	db, err = os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return dir, db
}

// dataPageSpans lists, for each branch or leaf page of a bbolt file, the
// bytes in use: the header, the element headers and the keys and values
// they point at.
func dataPageSpans(db []byte) [][2]int {
	const pageSize = 4096 // what bbolt picks on this platform; the meta says
	if ps := int(binary.LittleEndian.Uint32(db[16+8:])); ps != pageSize {
		panic(fmt.Sprintf("page size %d", ps))
	}
	var spans [][2]int
	for off := 2 * pageSize; off+pageSize <= len(db); off += pageSize {
		flags := binary.LittleEndian.Uint16(db[off+8:])
		count := int(binary.LittleEndian.Uint16(db[off+10:]))
		elem := 16 // leaf: flags, pos, ksize, vsize
		if flags == 0x01 {
			elem = 16 // branch: pos, ksize, pgid
		} else if flags != 0x02 {
			continue
		}
		end := 16 + count*elem
		for i := range count {
			e := off + 16 + i*elem
			var pos, size int
			if flags == 0x02 {
				pos = int(binary.LittleEndian.Uint32(db[e+4:]))
				size = int(binary.LittleEndian.Uint32(db[e+8:])) + int(binary.LittleEndian.Uint32(db[e+12:]))
			} else {
				pos = int(binary.LittleEndian.Uint32(db[e:]))
				size = int(binary.LittleEndian.Uint32(db[e+4:]))
			}
			end = max(end, 16+i*elem+pos+size)
		}
		spans = append(spans, [2]int{off, off + min(end, pageSize)})
	}
	return spans
}

// TestBitFlipsInDataPages flips one bit at a time at many offsets of the
// data pages of a lab holding both personalities' state, and runs every
// read-only tool: each gives the damage line with a non-zero exit, or
// exactly the sound file's output, and leaves the file as it found it.
func TestBitFlipsInDataPages(t *testing.T) {
	dir, sound := migratedLab(t)
	want := runReads(t, dir)
	for i, w := range want {
		if w.code != 0 {
			t.Fatalf("sound lab: %s: exit %d: %s", labReads[i][1], w.code, w.out)
		}
	}
	spans := dataPageSpans(sound)
	if len(spans) == 0 {
		t.Fatal("no data pages")
	}
	rng := rand.New(rand.NewPCG(12, 1))
	flips := 1000
	if testing.Short() {
		flips = 40
	}
	path := filepath.Join(dir, "lab.db")
	for n := range flips {
		sp := spans[n%len(spans)]
		off := sp[0] + rng.IntN(sp[1]-sp[0])
		bit := rng.IntN(8)
		bad := bytes.Clone(sound)
		bad[off] ^= 1 << bit
		if err := os.WriteFile(path, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		got := runReads(t, dir)
		for i, g := range got {
			switch {
			case g.code == 0 && g == want[i]:
			case g.code != 0 && damageLine.MatchString(g.out):
			default:
				if p := os.Getenv("IKEMU_KEEP_FLIPPED"); p != "" {
					_ = os.WriteFile(p, bad, 0o600)
				}
				t.Errorf("bit %d of byte %d (page %d): %s %s: exit %d:\n%s\nwant the damage line or (exit 0):\n%s",
					bit, off, off/4096, labReads[i][0], labReads[i][1], g.code, g.out, want[i].out)
			}
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(after, bad) {
			t.Fatalf("bit %d of byte %d: the damaged file changed", bit, off)
		}
	}
}
