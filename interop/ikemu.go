package interop

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// ikemuBuild builds cmd/ikemu once per test binary.
type ikemuBuild struct {
	once sync.Once
	path string
	err  error
}

var build ikemuBuild // the one build of this test process

// Ikemu returns the path of an ikemu built from this module.
func Ikemu(tmp string) (string, error) {
	build.once.Do(func() {
		goBin, err := exec.LookPath("go")
		if err != nil {
			goBin = "/usr/local/go/bin/go" // where scripts/test looks too
		}
		build.path = filepath.Join(tmp, "ikemu")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, goBin, "build", "-o", build.path, "github.com/ikemu/ikemu/cmd/ikemu").CombinedOutput()
		if err != nil {
			build.err = fmt.Errorf("go build: %w: %s", err, out)
		}
	})
	return build.path, build.err
}

// Lab is an ikemu lab directory driven through the ikemu binary.
type Lab struct {
	Bin, Dir string
	Host     string // $IKEMU_HOST
	// Globals are the lines before the rule of a Solaris host's
	// ike.config ("" means retry_limit 2 alone).
	Globals string
}

// Result is one ikemu run.
type Result struct {
	Stdout, Stderr string
	Code           int
}

// Run runs ikemu with args in namespace ns ("" for the test's own).
func (l *Lab) Run(ns string, args ...string) (Result, error) {
	return l.run(ns, 60*time.Second, args...)
}

func (l *Lab) run(ns string, limit time.Duration, args ...string) (Result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	name, argv := l.Bin, args
	if ns != "" {
		name, argv = "ip", append([]string{"netns", "exec", ns, l.Bin}, args...)
	}
	cmd := exec.CommandContext(ctx, name, argv...)
	cmd.Env = append(os.Environ(), "IKEMU_LAB="+l.Dir, "IKEMU_HOST="+l.Host)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	r := Result{Stdout: out.String(), Stderr: errb.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.Code = ee.ExitCode()
		err = nil
	}
	if ctx.Err() != nil {
		return r, fmt.Errorf("ikemu %v: no end within %v", args, limit)
	}
	return r, err
}

// WriteHostFile writes a file of the current host's tree (mode 0600).
func (l *Lab) WriteHostFile(rel, content string) error {
	p := filepath.Join(l.Dir, "hosts", l.Host, "root", rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(content), 0o600)
}

// StartTo starts a long-running ikemu (ikemu serve) in ns with its
// stderr to w; the caller waits for it.
func (l *Lab) StartTo(ns string, w *os.File, args ...string) (*exec.Cmd, error) {
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns, l.Bin}, args...)...)
	cmd.Env = append(os.Environ(), "IKEMU_LAB="+l.Dir, "IKEMU_HOST="+l.Host)
	cmd.Stderr = w
	return cmd, cmd.Start()
}
