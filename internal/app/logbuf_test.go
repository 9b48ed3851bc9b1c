package app

import (
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// Info lines wait for the next flush; a warning is written soon with
// everything before it; Close writes the rest.
func TestBufferedLog(t *testing.T) {
	var out syncBuffer
	b := newBufferedLog(&out, time.Hour) // no timed flush during the test
	log := newLogger(b, slog.LevelInfo).With("component", "test")
	log.Info("first")
	time.Sleep(20 * time.Millisecond)
	if s := out.String(); s != "" {
		t.Fatalf("an info line was written at once: %q", s)
	}
	log.Warn("second")
	waitFor(t, "the warning", func() bool { return strings.Contains(out.String(), `"msg":"second"`) })
	if s := out.String(); !strings.Contains(s, `"msg":"first"`) || !strings.Contains(s, `"component":"test"`) {
		t.Fatalf("after a warning: %q", s)
	}
	log.Info("third")
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, `"msg":"third"`) {
		t.Fatalf("after Close: %q", s)
	}
	if err := b.Close(); err != nil { // Close twice is harmless (deferred and explicit)
		t.Fatal(err)
	}
}

// stuckWriter blocks every write until released, as a full pipe does.
type stuckWriter struct {
	release chan struct{}
	syncBuffer
}

func (w *stuckWriter) Write(p []byte) (int, error) {
	<-w.release
	return w.syncBuffer.Write(p)
}

// A blocked output never blocks the logging goroutines: lines past the
// hold limit are dropped and counted, warnings keep their own room, and
// the drop is reported once the output moves.
func TestBufferedLogNeverWaitsForTheOutput(t *testing.T) {
	out := &stuckWriter{release: make(chan struct{})}
	b := newBufferedLog(out, time.Millisecond)
	log := newLogger(b, slog.LevelInfo)
	line := strings.Repeat("x", 1000)
	n := 3 * LogHoldLimit / len(line)

	logged := make(chan struct{})
	go func() {
		defer close(logged)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for range n / 4 {
					log.Info(line)
				}
			})
		}
		wg.Wait()
		log.Error("after the flood")
	}()
	select {
	case <-logged:
	case <-time.After(30 * time.Second):
		t.Fatal("logging waited for a blocked output")
	}
	if b.Dropped() == 0 {
		t.Fatalf("%d lines of %d bytes held with the output blocked, none dropped", n, len(line))
	}
	close(out.release)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.Contains(s, `"msg":"after the flood"`) {
		t.Error("the error logged while the output was blocked was lost")
	}
	if !strings.Contains(s, `"msg":"log output too slow: lines dropped"`) {
		t.Error("no warning says lines were dropped")
	}
	if len(s) > 3*LogHoldLimit {
		t.Errorf("%d bytes written: more than the hold limits allow", len(s))
	}
}
