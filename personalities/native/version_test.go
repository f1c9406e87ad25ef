package native

import (
	"runtime/debug"
	"testing"
)

func TestFormatVersion(t *testing.T) {
	cases := []struct {
		bi   debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}}, "ikemu devel go1.26.0 linux/amd64"},
		{debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.2.0"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-12-01T23:00:00Z"}, {Key: "vcs.modified", Value: "true"},
		}}, "ikemu v1.2.0 (commit 0123456789ab, 2026-12-01T23:00:00Z, modified) go1.26.0 linux/amd64"},
	}
	for _, c := range cases {
		if got := formatVersion(&c.bi, "linux/amd64"); got != c.want {
			t.Errorf("formatVersion = %q; want %q", got, c.want)
		}
	}
}
