package server

import (
	"bytes"
	"context"
	"log/slog"
	"math/rand/v2"
	"testing"
	"time"
)

// The access line written without slog is the line slog's JSON handler
// writes for the same record, over random values (times in several zones,
// durations from 0 to hours, strings that need escaping and fall back).
func TestAccessLineIsSlogsLine(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	zones := []*time.Location{time.UTC, time.FixedZone("", -5*3600), time.FixedZone("", 5*3600+1800)}
	chars := []byte("abcXYZ0189-_./: <>&")
	odd := []string{`"`, `\`, "\n", "\x01", "é", "\x7f"}
	str := func(n int) string {
		b := make([]byte, rng.IntN(n))
		for i := range b {
			b[i] = chars[rng.IntN(len(chars))]
		}
		s := string(b)
		if rng.IntN(20) == 0 {
			s += odd[rng.IntN(len(odd))]
		}
		return s
	}
	fellBack := 0
	for i := range 20000 {
		tm := time.Unix(rng.Int64N(4e9), rng.Int64N(1e9)).In(zones[rng.IntN(len(zones))])
		e := accessEntry{id: str(30), method: str(8), route: str(40), status: rng.IntN(600),
			durationMS: float64(rng.Int64N([]int64{1, 1000, 1e6, 1e10}[i%4])) / 1000,
			bytesIn:    rng.Int64N(1 << 40), bytesOut: rng.IntN(1 << 30)}
		if rng.IntN(2) == 0 {
			e.keyID = str(10)
		}
		var want bytes.Buffer
		r := slog.NewRecord(tm, slog.LevelInfo, "request", 0)
		r.AddAttrs(e.attrs()...)
		if err := slog.NewJSONHandler(&want, nil).Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		got, ok := appendAccessLine(nil, tm, &e)
		if !ok {
			if plainJSON(e.id) && plainJSON(e.method) && plainJSON(e.route) && plainJSON(e.keyID) {
				t.Fatalf("%+v: refused although every string is plain", e)
			}
			fellBack++
			continue
		}
		if string(got) != want.String() {
			t.Fatalf("%+v at %v:\n got %s\nwant %s", e, tm, got, want.String())
		}
	}
	if fellBack == 0 {
		t.Error("no entry needed escaping: the fallback went untested")
	}
}
