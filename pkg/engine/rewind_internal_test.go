package engine

import (
	"testing"
	"time"
)

func TestRevivedBy(t *testing.T) {
	at := func(hhmm string) time.Time {
		v, err := time.Parse("15:04", hhmm)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	sa := &Phase1SA{Created: at("10:00"), Xform: Transform{LifetimeSecs: 3600}}
	forever := &Phase1SA{Created: at("10:00")}
	cases := []struct {
		name    string
		sa      *Phase1SA
		now, to string
		want    bool
	}{
		{"forward while live", sa, "10:30", "10:50", false},
		{"forward past expiry", sa, "10:30", "12:00", false},
		{"back inside its life", sa, "10:50", "10:10", false},
		{"back to its creation", sa, "10:50", "10:00", false},
		{"back before its creation", sa, "10:50", "09:59", true},
		{"back into its life after expiry", sa, "12:00", "10:30", true},
		{"back after expiry, still expired", sa, "12:00", "11:30", false},
		{"no lifetime, back inside", forever, "12:00", "10:30", false},
		{"no lifetime, back before", forever, "12:00", "09:00", true},
	}
	for _, c := range cases {
		if got := c.sa.revivedBy(at(c.now), at(c.to)); got != c.want {
			t.Errorf("%s: revivedBy(%s, %s) = %v, want %v", c.name, c.now, c.to, got, c.want)
		}
		p2 := &Phase2SA{Created: c.sa.Created, LifetimeSecs: c.sa.Xform.LifetimeSecs}
		if got := p2.revivedBy(at(c.now), at(c.to)); got != c.want {
			t.Errorf("%s (phase 2): revivedBy = %v, want %v", c.name, got, c.want)
		}
	}
}
