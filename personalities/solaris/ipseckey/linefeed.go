package ipseckey

import (
	"bufio"

	"github.com/ikemu/ikemu/personalities/solaris"
)

// lineRead is one logical line of interactive input, as
// solaris.ReadLogicalLine returns it.
type lineRead struct {
	line         string
	eof, tooLong bool
	err          error
}

// maxPending is how many lines typed during a monitor wait for the
// prompt; past it the rest stays unread until the monitor stops.
const maxPending = 64

// lineFeed reads interactive input a line ahead on a goroutine of its
// own, so a monitor sees the input end while the lines typed meanwhile
// wait for the prompt, as a terminal keeps them while the vendor's
// monitor runs.
type lineFeed struct {
	ch      chan lineRead
	pending []lineRead
}

func newLineFeed(r *bufio.Reader) *lineFeed {
	f := &lineFeed{ch: make(chan lineRead)}
	go func() {
		for {
			line, eof, tooLong, err := solaris.ReadLogicalLine(r)
			f.ch <- lineRead{line: line, eof: eof, tooLong: tooLong, err: err}
			if eof || err != nil {
				return
			}
		}
	}()
	return f
}

// next is the next line: one kept while a monitor ran, else the next read.
func (f *lineFeed) next() lineRead {
	if len(f.pending) > 0 {
		l := f.pending[0]
		f.pending = f.pending[1:]
		return l
	}
	return <-f.ch
}

// ready is the channel a monitor takes lines from: nil, which is never
// ready, without a feed, once the input ended, or with maxPending lines
// kept.
func (f *lineFeed) ready() <-chan lineRead {
	if f == nil || f.ended() || len(f.pending) >= maxPending {
		return nil
	}
	return f.ch
}

// keep holds a line read while a monitor runs.
func (f *lineFeed) keep(l lineRead) { f.pending = append(f.pending, l) }

// ended reports whether the input's end is among the kept lines.
func (f *lineFeed) ended() bool {
	if f == nil || len(f.pending) == 0 {
		return false
	}
	last := f.pending[len(f.pending)-1]
	return last.eof || last.err != nil
}
