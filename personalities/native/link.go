package native

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// LinkCmd manages the multicall symlinks.
type LinkCmd struct {
	Install LinkInstallCmd `cmd:"" help:"Create a symlink to ikemu in DIR for every vendor tool."`
}

// LinkInstallCmd is "ikemu link install DIR".
type LinkInstallCmd struct {
	Dir string `arg:"" help:"Directory to put the symlinks in (created if missing)."`
}

// Run creates the links; it is idempotent and refuses to replace anything
// that is not a symlink to an ikemu binary.
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
	for _, tool := range e.Tools {
		if err := installLink(filepath.Join(dir, tool), self); err != nil {
			return err
		}
	}
	return nil
}

func installLink(path, target string) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return os.Symlink(target, path)
	case err != nil:
		return err
	case fi.Mode()&fs.ModeSymlink == 0:
		return fmt.Errorf("refusing to replace %s: not a symlink made by ikemu", path)
	}
	old, err := os.Readlink(path)
	if err != nil {
		return err
	}
	if old == target {
		return nil
	}
	if filepath.Base(old) != "ikemu" {
		return fmt.Errorf("refusing to replace %s: it links to %s, not to ikemu", path, old)
	}
	if err := os.Remove(path); err != nil {
		return err
	}
	return os.Symlink(target, path)
}
