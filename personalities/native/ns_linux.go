//go:build linux

package native

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/ikemu/ikemu/pkg/proc"
)

// spawnInNamespace runs "ikemu ns-init -- argv" in a new mount namespace:
// as root a plain one, otherwise (or when root may not) inside a user
// namespace that maps the caller to root, as "unshare -r" does: the
// runbooks CMD runs were written for root, and overlay mounts in a user
// namespace need its root. It returns argv's status.
func spawnInNamespace(p *proc.Proc, labDir, host string, argv []string) (int, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, fmt.Errorf("exec: locate ikemu: %w", err)
	}
	uid, gid := os.Getuid(), os.Getgid()
	var attrs []*syscall.SysProcAttr
	if p.UID == 0 {
		attrs = append(attrs, &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNS})
	}
	attrs = append(attrs, &syscall.SysProcAttr{
		Cloneflags:  syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: uid, Size: 1}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: gid, Size: 1}},
	})
	env := append(os.Environ(), "IKEMU_LAB="+labDir, "IKEMU_HOST="+host)
	sigs := make(chan os.Signal, 4)
	// The terminal sends SIGINT and SIGQUIT to CMD as well; SIGTERM and
	// SIGHUP sent to ikemu alone are passed on.
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	var startErr error
	for _, attr := range attrs {
		cmd := &exec.Cmd{Path: self, Args: append([]string{"ikemu", "ns-init", "--"}, argv...),
			Env: env, Dir: p.Dir, Stdin: p.Stdin, Stdout: p.Stdout, Stderr: p.Stderr, SysProcAttr: attr}
		if startErr = cmd.Start(); startErr != nil {
			continue
		}
		return waitForwarding(cmd, sigs), nil
	}
	return 0, fmt.Errorf("exec: cannot make a private mount namespace: %s (%v)", whyNoNamespace(p.UID), startErr)
}

func whyNoNamespace(uid int) string {
	if uid == 0 {
		return "refused to root and to a user namespace"
	}
	return "not root, and this kernel refuses user namespaces to this user"
}

func waitForwarding(cmd *exec.Cmd, sigs chan os.Signal) int {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case s := <-sigs:
			if s == syscall.SIGTERM || s == syscall.SIGHUP {
				_ = cmd.Process.Signal(s)
			}
		case err := <-done:
			return exitStatus(cmd, err)
		}
	}
}

// exitStatus is CMD's exit status, 128+N when signal N ended it (as a
// shell reports it).
func exitStatus(cmd *exec.Cmd, err error) int {
	if cmd.ProcessState == nil {
		return 125 // never ran; err says why, ns-init did not
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return cmd.ProcessState.ExitCode()
}

// enterHost runs in the new namespace: it makes the mounts of plan and
// then replaces itself with argv. Nothing of it reaches the real
// machine's files: propagation is private, new entries land in tmpfs
// overlays.
func enterHost(p *proc.Proc, plan nsPlan, argv []string) error {
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("exec: make mounts private: %w", err)
	}
	if err := mountPlan(plan); err != nil {
		return err
	}
	// The working directory may be under an overlay: enter the new view.
	if p.Dir != "" {
		_ = os.Chdir(p.Dir)
	}
	env := withVendorPath(os.Environ())
	path, err := lookPathIn(argv[0], env)
	if err != nil {
		fmt.Fprintf(p.Stderr, "ikemu exec: %s: %s\n", argv[0], proc.Strerror(err))
		return statusError(127)
	}
	err = syscall.Exec(path, argv, env)
	fmt.Fprintf(p.Stderr, "ikemu exec: %s: %s\n", argv[0], proc.Strerror(err))
	return statusError(126)
}

// withVendorPath makes sure PATH has the vendor tool directories, as a
// Solaris or AIX root login does.
func withVendorPath(env []string) []string {
	cur := ""
	i := slices.IndexFunc(env, func(s string) bool { return strings.HasPrefix(s, "PATH=") })
	if i >= 0 {
		cur = strings.TrimPrefix(env[i], "PATH=")
	} else {
		env = append(env, "")
		i = len(env) - 1
	}
	dirs := filepath.SplitList(cur)
	for _, d := range []string{"/usr/sbin", "/usr/bin"} {
		if !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	env[i] = "PATH=" + strings.Join(slices.DeleteFunc(dirs, func(d string) bool { return d == "" }), ":")
	return env
}

func lookPathIn(name string, env []string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			for _, d := range filepath.SplitList(v) {
				f := filepath.Join(d, name)
				if fi, err := os.Stat(f); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
					return f, nil
				}
			}
		}
	}
	return "", fs.ErrNotExist
}

// mountPlan overlays (tmpfs upper) every existing directory that must
// gain an entry, then binds or links each entry into place.
func mountPlan(plan nsPlan) error {
	if strings.ContainsAny(plan.staging, ",:\\") {
		return fmt.Errorf("exec: the lab's path %s has a ',', ':' or '\\', which overlay mounts cannot take", plan.staging)
	}
	if err := syscall.Mount("ikemu", plan.staging, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, "mode=0700"); err != nil {
		return fmt.Errorf("exec: mount tmpfs on %s: %w", plan.staging, err)
	}
	var overlays []string
	for _, en := range plan.entries {
		dir, err := existingAncestor(filepath.Dir(en.Target))
		if err != nil {
			return err
		}
		if !slices.Contains(overlays, dir) {
			overlays = append(overlays, dir)
		}
	}
	slices.SortFunc(overlays, func(a, b string) int { return len(a) - len(b) })
	mounts, err := mountPoints()
	if err != nil {
		return err
	}
	for _, k := range plan.keep {
		if real, err := filepath.EvalSymlinks(k); err == nil {
			mounts = append(mounts, real)
		}
	}
	for i, dir := range overlays {
		if err := overlay(dir, filepath.Join(plan.staging, strconv.Itoa(i)), mounts); err != nil {
			return err
		}
	}
	for _, en := range plan.entries {
		if err := place(en); err != nil {
			return err
		}
	}
	if err := syscall.Unmount(plan.staging, syscall.MNT_DETACH); err != nil {
		return fmt.Errorf("exec: unmount %s: %w", plan.staging, err)
	}
	return nil
}

// existingAncestor is the real directory (symlinks resolved) of dir's
// nearest existing ancestor.
func existingAncestor(dir string) (string, error) {
	for {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return real, nil
		}
		if dir == "/" {
			return "", errors.New("exec: no root directory")
		}
		dir = filepath.Dir(dir)
	}
}

// overlay mounts an overlay over dir whose upper layer is in the
// staging tmpfs, and puts back what it would hide: the mounts under dir,
// and the paths to keep (mounts lists both).
func overlay(dir, stage string, mounts []string) error {
	upper, work, lower := filepath.Join(stage, "upper"), filepath.Join(stage, "work"), filepath.Join(stage, "lower")
	for _, d := range []string{upper, work, lower} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("exec: %w", err)
		}
	}
	if fi, err := os.Stat(dir); err == nil {
		_ = os.Chmod(upper, fi.Mode().Perm())
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && os.Getuid() == 0 {
			_ = os.Chown(upper, int(st.Uid), int(st.Gid))
		}
	}
	subs := topMountsUnder(dir, mounts)
	// The old view of dir, held by a descriptor: once the overlay is on,
	// no path reaches it (the staging tmpfs itself may be under dir).
	var old *os.File
	if len(subs) > 0 {
		if err := syscall.Mount(dir, lower, "", syscall.MS_BIND|syscall.MS_REC, ""); err != nil {
			return fmt.Errorf("exec: bind %s: %w", dir, err)
		}
		f, err := os.Open(lower)
		if err != nil {
			return fmt.Errorf("exec: %w", err)
		}
		defer f.Close()
		old = f
	}
	opts := "lowerdir=" + dir + ",upperdir=" + upper + ",workdir=" + work
	if err := syscall.Mount("overlay", dir, "overlay", 0, opts); err != nil {
		return fmt.Errorf("exec: overlay on %s: %w", dir, err)
	}
	for _, m := range subs {
		rel, _ := filepath.Rel(dir, m)
		src := fmt.Sprintf("/proc/self/fd/%d/%s", old.Fd(), rel)
		if err := syscall.Mount(src, m, "", syscall.MS_BIND|syscall.MS_REC, ""); err != nil {
			return fmt.Errorf("exec: put back %s: %w", m, err)
		}
	}
	return nil
}

// place puts one entry at its vendor path, inside an overlay.
func place(en nsEntry) error {
	target, err := inRealDirs(en.Target)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return fmt.Errorf("exec: %w", err)
	}
	fi, err := os.Stat(en.Source)
	if en.Link || err != nil {
		_ = os.RemoveAll(target)
		if err := os.Symlink(en.Source, target); err != nil {
			return fmt.Errorf("exec: %w", err)
		}
		return nil
	}
	if err := mountPointFor(target, fi.IsDir()); err != nil {
		return err
	}
	if err := syscall.Mount(en.Source, target, "", syscall.MS_BIND|syscall.MS_REC, ""); err != nil {
		return fmt.Errorf("exec: bind %s on %s: %w", en.Source, en.Target, err)
	}
	return nil
}

// inRealDirs resolves the existing part of path, as the overlays were
// put on resolved directories (/usr/sbin may be a link to /usr/bin).
func inRealDirs(path string) (string, error) {
	dir := filepath.Dir(path)
	rest := filepath.Base(path)
	for {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(real, rest), nil
		}
		if dir == "/" {
			return "", errors.New("exec: no root directory")
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = filepath.Dir(dir)
	}
}

func mountPointFor(target string, dir bool) error {
	fi, err := os.Lstat(target)
	if err == nil && fi.IsDir() == dir && fi.Mode()&fs.ModeSymlink == 0 {
		return nil
	}
	_ = os.RemoveAll(target)
	if dir {
		err = os.Mkdir(target, 0o755)
	} else {
		var f *os.File
		if f, err = os.OpenFile(target, os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			err = f.Close()
		}
	}
	if err != nil {
		return fmt.Errorf("exec: %w", err)
	}
	return nil
}

// mountPoints lists the mount points of this namespace
// (/proc/self/mountinfo, field 5, octal escapes undone).
func mountPoints() ([]string, error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, fmt.Errorf("exec: %w", err)
	}
	defer f.Close()
	var pts []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 4 {
			pts = append(pts, unescapeMountinfo(fields[4]))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("exec: read mountinfo: %w", err)
	}
	return pts, nil
}

func unescapeMountinfo(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// topMountsUnder are the mount points strictly under dir that are not
// under another of them (a recursive bind brings those along).
func topMountsUnder(dir string, mounts []string) []string {
	prefix := strings.TrimSuffix(dir, "/") + "/"
	var under []string
	for _, m := range mounts {
		if strings.HasPrefix(m, prefix) && !slices.Contains(under, m) {
			under = append(under, m)
		}
	}
	slices.Sort(under)
	var top []string
	for _, m := range under {
		if len(top) == 0 || !strings.HasPrefix(m, top[len(top)-1]+"/") {
			top = append(top, m)
		}
	}
	return top
}
