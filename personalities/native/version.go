package native

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// VersionCmd is "ikemu version".
type VersionCmd struct{}

func (c *VersionCmd) Run(e *env) error {
	fmt.Fprintln(e.p.Stdout, versionLine())
	return nil
}

// versionLine is ikemu's version as the Go toolchain stamped it into the
// binary: the module version (a tag, or a pseudo-version from the
// commit), the commit and its time, whether the tree was modified, and
// the toolchain and platform. Nothing is set by hand at release time.
func versionLine() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "ikemu (no build information) " + runtime.GOOS + "/" + runtime.GOARCH
	}
	return formatVersion(bi, runtime.GOOS+"/"+runtime.GOARCH)
}

func formatVersion(bi *debug.BuildInfo, platform string) string {
	version := bi.Main.Version
	if version == "" || version == "(devel)" {
		version = "devel"
	}
	var vcs []string
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		vcs = append(vcs, "commit "+rev[:min(12, len(rev))])
	}
	if t := settings["vcs.time"]; t != "" {
		vcs = append(vcs, t)
	}
	if settings["vcs.modified"] == "true" {
		vcs = append(vcs, "modified")
	}
	line := "ikemu " + version
	if len(vcs) > 0 {
		line += " (" + strings.Join(vcs, ", ") + ")"
	}
	return line + " " + bi.GoVersion + " " + platform
}
