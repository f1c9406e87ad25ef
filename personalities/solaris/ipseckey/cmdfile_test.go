package ipseckey

import (
	"bufio"
	"strings"
	"testing"
)

// TestEntryReader: do_interactive's reading of a command file: lines
// counted one by one, continuations joined with their newlines kept,
// a line that fills fgets's buffer and a joined entry past the command
// buffer both end the file.
func TestEntryReader(t *testing.T) {
	read := func(text string) []fileEntry {
		er := &entryReader{r: bufio.NewReader(strings.NewReader(text))}
		var got []fileEntry
		for {
			e, err := er.next()
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, e)
			if e.eof || e.fatal != "" {
				return got
			}
		}
	}
	got := read("# c\nflush \\\nah\ndump")
	if len(got) != 3 || got[1].text != "flush  \nah\n" || got[1].lineno != 3 || got[2].text != "dump" || !got[2].eof {
		t.Errorf("%+v", got)
	}
	long := strings.Repeat("x", ibufSize-2) + "\n"
	if got := read("flush\n" + long); got[len(got)-1].fatal != "Line 2 too big." {
		t.Errorf("%+v", got)
	}
	half := strings.Repeat("y", 3000) + "\\\n"
	if got := read(half + half); got[len(got)-1].fatal != "Command buffer overrun." {
		t.Errorf("%+v", got)
	}
	if got := read("flush \\\n"); len(got) != 1 || got[0].text != "" || !got[0].eof {
		t.Errorf("%+v", got)
	}
}
