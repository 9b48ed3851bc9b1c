package app

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

// Info lines wait for the next flush; a warning is written at once with
// everything before it; Close writes the rest.
func TestBufferedLog(t *testing.T) {
	var out syncBuffer
	b := newBufferedLog(&out, time.Hour) // no timed flush during the test
	log := newLogger(b, slog.LevelInfo).With("component", "test")
	log.Info("first")
	if s := out.String(); s != "" {
		t.Fatalf("an info line was written at once: %q", s)
	}
	log.Warn("second")
	if s := out.String(); !strings.Contains(s, `"msg":"first"`) || !strings.Contains(s, `"msg":"second"`) {
		t.Fatalf("after a warning: %q", s)
	}
	log.Info("third")
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, `"msg":"third"`) {
		t.Fatalf("after Close: %q", s)
	}
}
