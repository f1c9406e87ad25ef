package native

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// LinkCmd manages the multicall symlinks.
type LinkCmd struct {
	Install LinkInstallCmd `cmd:"" help:"Create symlinks to ikemu in DIR: ikemu itself and every vendor tool; says what it made and whether DIR is on PATH."`
}

// LinkInstallCmd is "ikemu link install DIR".
type LinkInstallCmd struct {
	Dir string `arg:"" help:"Directory to put the symlinks in (created if missing)."`
}

// linkOutcome is what installLink did with one name.
type linkOutcome string

const (
	linkMade     linkOutcome = "made"
	linkKept     linkOutcome = "kept"
	linkReplaced linkOutcome = "replaced"
	linkIsSelf   linkOutcome = "binary"
)

// Run creates the links; it is idempotent and refuses to replace anything
// that is not a symlink to an ikemu binary. Each name gets one line, then
// one line says whether the shell will find the tools.
func (c *LinkInstallCmd) Run(e *env) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("locate ikemu: %w", err)
	}
	if self, err = filepath.EvalSymlinks(self); err != nil {
		return fmt.Errorf("locate ikemu: %w", err)
	}
	dir := e.p.Path(c.Dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, name := range append([]string{"ikemu"}, e.Tools...) {
		path := filepath.Join(dir, name)
		outcome, err := installLink(path, self)
		if err != nil {
			return err
		}
		reportLink(e.p.Stdout, outcome, filepath.Join(c.Dir, name), self)
	}
	if onPath(dir, e.p.Getenv("PATH")) {
		fmt.Fprintf(e.p.Stdout, "%s is on PATH\n", c.Dir)
		return nil
	}
	abs, _ := filepath.Abs(dir)
	fmt.Fprintf(e.p.Stdout, "%s is not on PATH; add it with: export PATH=\"%s:$PATH\"\n", c.Dir, abs)
	return nil
}

func reportLink(w io.Writer, outcome linkOutcome, name, target string) {
	switch outcome {
	case linkIsSelf:
		fmt.Fprintf(w, "kept     %s (the ikemu binary itself)\n", name)
	case linkKept:
		fmt.Fprintf(w, "kept     %s -> %s\n", name, target)
	default:
		fmt.Fprintf(w, "%-8s %s -> %s\n", outcome, name, target)
	}
}

func installLink(path, target string) (linkOutcome, error) {
	if same, _ := sameFile(path, target); same {
		if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() {
			return linkIsSelf, nil
		}
	}
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return linkMade, os.Symlink(target, path)
	case err != nil:
		return "", err
	case fi.Mode()&fs.ModeSymlink == 0:
		return "", fmt.Errorf("refusing to replace %s: not a symlink made by ikemu", path)
	}
	old, err := os.Readlink(path)
	if err != nil {
		return "", err
	}
	if old == target {
		return linkKept, nil
	}
	if filepath.Base(old) != "ikemu" {
		return "", fmt.Errorf("refusing to replace %s: it links to %s, not to ikemu", path, old)
	}
	if err := os.Remove(path); err != nil {
		return "", err
	}
	return linkReplaced, os.Symlink(target, path)
}

func sameFile(a, b string) (bool, error) {
	fa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(fa, fb), nil
}

// onPath tells whether dir is one of PATH's directories, comparing the
// directories themselves so that a symlinked or relative spelling counts.
func onPath(dir, path string) bool {
	for _, p := range filepath.SplitList(path) {
		if p == "" {
			continue
		}
		if same, _ := sameFile(p, dir); same {
			return true
		}
	}
	return false
}
