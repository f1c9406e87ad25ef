package main

import (
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/ikemu/ikemu/pkg/proc"
	"github.com/ikemu/ikemu/pkg/store"
	"github.com/ikemu/ikemu/pkg/token/tokentest"
)

// TestMain makes the test binary answer to every multicall name, so the
// transcripts exec the real command lines.
func TestMain(m *testing.M) {
	cmds := map[string]func(){
		"ikemu": func() { os.Exit(run(append([]string{"ikemu"}, os.Args[1:]...), proc.FromOS())) },
	}
	for _, name := range toolNames() {
		cmds[name] = func() { os.Exit(run(append([]string{name}, os.Args[1:]...), proc.FromOS())) }
	}
	cmds["p11import"] = func() { os.Exit(p11Import()) }
	testscript.Main(m, cmds)
}

// TestScripts runs the transcripts under testdata/script: each pins one
// vendor behaviour, byte for byte.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("..", "..", "testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       os.Getenv("IKEMU_UPDATE_SCRIPTS") == "1",
		Setup: func(e *testscript.Env) error {
			e.Setenv("IKEMU_LAB", filepath.Join(e.WorkDir, "lab"))
			e.Setenv("HOME", e.WorkDir)
			e.Setenv("TZ", "UTC")
			e.Setenv("IKEMU_LOCK_TIMEOUT", "5s")
			// The README's walk-throughs use the files of examples/ as
			// they are: the transcripts copy them from here.
			examples, err := filepath.Abs(filepath.Join("..", "..", "examples"))
			if err != nil {
				return err
			}
			e.Setenv("EXAMPLES", examples)
			e.Values[bgKey{}] = bgProcs{}
			return setRuntimeDir(e)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"perm":     checkPerm,
			"cmpnoeol": cmpNoEOL,
			"softhsm":  softHSMToken,
			"certgen":  certGen,
			"flipbit":  flipBit,
			"holdlab":  holdLab,
			// background commands with a held standard input (background_test.go)
			"bgstart":   bgStart,
			"bgwaitout": bgWaitOut,
			"bgwrite":   bgWrite,
			"bgclose":   bgClose,
			"bgsignal":  bgSignal,
			"bgwait":    bgWait,
			"cmppid":    cmpPID,
		},
		Condition: softHSMCondition,
	})
}

// setRuntimeDir gives the script its own XDG_RUNTIME_DIR on tmpfs, where
// token logins keep their PINs, removed when the script ends. Without
// tmpfs it points into $WORK, which a login refuses as not in memory.
func setRuntimeDir(e *testscript.Env) error {
	dir, err := tokentest.NewRuntimeDir()
	if err != nil {
		dir = filepath.Join(e.WorkDir, "run")
		e.Setenv("XDG_RUNTIME_DIR", dir)
		return os.Mkdir(dir, 0o700)
	}
	e.Defer(func() { os.RemoveAll(dir) })
	e.Setenv("XDG_RUNTIME_DIR", dir)
	return nil
}

// checkPerm asserts a file's permission bits: perm PATH 0600.
func checkPerm(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: perm PATH MODE")
	}
	want, err := strconv.ParseUint(args[1], 8, 32)
	ts.Check(err)
	fi, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	got := fi.Mode().Perm()
	if (uint64(got) == want) == neg {
		ts.Fatalf("%s has mode %#o; want %s%#o", args[0], got, map[bool]string{true: "not ", false: ""}[neg], want)
	}
	fmt.Fprintf(ts.Stdout(), "")
}

// cmpNoEOL compares stdout or stderr with a file whose last newline is not
// part of the expected text: txtar files always end in a newline, but an
// interactive session's output ends with the bare prompt.
func cmpNoEOL(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: cmpnoeol stdout|stderr FILE")
	}
	got := ts.ReadFile(args[0])
	want := strings.TrimSuffix(ts.ReadFile(args[1]), "\n")
	if got != want {
		ts.Fatalf("%s differs from %s:\ngot:  %q\nwant: %q", args[0], args[1], got, want)
	}
}

// flipBit damages a file as a failing disk would: flipbit FILE TEXT
// flips the lowest bit of the first byte of TEXT's first occurrence;
// flipbit FILE -x HEX does so for bytes given in hex (a binary record's
// length-prefixed field, which no other record holds). With -a first,
// every occurrence: bbolt's freed pages keep stale copies, which may
// come before the live one.
func flipBit(ts *testscript.TestScript, neg bool, args []string) {
	all := len(args) > 0 && args[0] == "-a"
	if all {
		args = args[1:]
	}
	if neg || (len(args) != 2 && !(len(args) == 3 && args[1] == "-x")) {
		ts.Fatalf("usage: flipbit [-a] FILE TEXT | flipbit [-a] FILE -x HEX")
	}
	text := args[len(args)-1]
	if len(args) == 3 {
		raw, err := hex.DecodeString(text)
		ts.Check(err)
		text = string(raw)
	}
	path := ts.MkAbs(args[0])
	b, err := os.ReadFile(path)
	ts.Check(err)
	skip := 0
	if len(args) == 3 {
		skip = 1 // past the length: flip inside the field itself
	}
	n := 0
	for from := 0; ; {
		i := strings.Index(string(b[from:]), text)
		if i < 0 {
			break
		}
		b[from+i+skip] ^= 1
		n++
		if from += i + len(text); !all {
			break
		}
	}
	if n == 0 {
		ts.Fatalf("%s does not hold %q", args[0], text)
	}
	ts.Check(os.WriteFile(path, b, 0o600))
}

// holdLab opens the lab file read-write and keeps its lock until the
// script ends, as a long command would: holdlab DIR.
func holdLab(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg {
		ts.Fatalf("usage: holdlab DIR")
	}
	db, err := store.Open(filepath.Join(ts.MkAbs(args[0]), "lab.db"), time.Second, false)
	ts.Check(err)
	ts.Defer(func() { db.Close() })
}
