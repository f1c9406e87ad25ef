package interop

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ikemu/ikemu/pkg/isakmp"
	"github.com/ikemu/ikemu/pkg/wire"
)

// corpusEnv names a directory (pkg/isakmp/testdata/fuzz/FuzzDecode) where
// the interop tests write the messages they receive from charon, as Go
// fuzz seed files: IKEMU_INTEROP_CORPUS=$PWD/pkg/isakmp/testdata/fuzz/FuzzDecode.
const corpusEnv = "IKEMU_INTEROP_CORPUS"

// recording passes messages to an initiator and keeps what it was given.
type recording struct {
	wire.Initiator
	got [][]byte
}

func (r *recording) Handle(msg []byte) ([]byte, bool, error) {
	r.got = append(r.got, append([]byte(nil), msg...))
	return r.Initiator.Handle(msg)
}

// saveCorpus writes the recorded messages when corpusEnv is set.
func (r *recording) saveCorpus(tag string) error {
	dir := os.Getenv(corpusEnv)
	if dir == "" {
		return nil
	}
	for i, m := range r.got {
		h, _ := isakmp.DecodeHeader(m)
		name := filepath.Join(dir, fmt.Sprintf("charon-%s-%d-exchange-%d", tag, i+1, uint8(h.Exchange)))
		if err := os.WriteFile(name, fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", m), 0o644); err != nil {
			return err
		}
	}
	return nil
}
