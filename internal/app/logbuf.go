package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// BufferedLog keeps log lines in memory and has one goroutine write them:
// every LogFlushInterval, when LogBufferSize fills, and at once after a
// warning or an error. A request only copies its line; it never waits for
// the output.
//
// Why not zap's BufferedWriteSyncer, used before: it writes while holding
// the lock every logging request takes, so a slow stderr (a full pipe to a
// log collector, a disk in writeback) stalled every request. Measured with
// tools/bench-cached and the log on a file: stalls of 87–421 ms of all 16
// connections, none with this writer. A line per write(2) instead (the
// plain slog setup, or zerolog's diode) costs about 5% of a cached
// verdict's CPU.
//
// Memory is bounded: while the output blocks, at most LogHoldLimit bytes of
// info lines are held and later ones are dropped, counted in
// ownercheck_log_lines_dropped_total and reported by a warning once the
// output moves again. Warnings and errors get twice that room. A process
// killed without Close loses what is held (up to LogFlushInterval of lines).
type BufferedLog struct {
	out   io.Writer
	every time.Duration

	mu  sync.Mutex
	buf []byte // lines waiting for the writer goroutine

	wmu      sync.Mutex // one write to out at a time; guards the two below
	spare    []byte     // the buffer out was last written from, reused
	reported int64      // droppedTotal when the last drop warning was written

	droppedTotal atomic.Int64
	kick         chan struct{}
	stop         chan struct{}
	done         chan struct{}
	closeOnce    sync.Once
}

// LogFlushInterval bounds how late an info line reaches the log.
const LogFlushInterval = 200 * time.Millisecond

// LogBufferSize is how much is gathered before the writer is woken early:
// a few hundred access lines, one write(2).
const LogBufferSize = 64 << 10

// LogHoldLimit bounds the memory held while the output does not move:
// about 10,000 access lines, several seconds of a busy replica.
const LogHoldLimit = 4 << 20

// NewBufferedLog writes to w from its own goroutine; Close writes the rest
// and stops it.
func NewBufferedLog(w io.Writer) *BufferedLog { return newBufferedLog(w, LogFlushInterval) }

func newBufferedLog(w io.Writer, every time.Duration) *BufferedLog {
	b := &BufferedLog{out: w, every: every, kick: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{})}
	go b.loop()
	return b
}

// Write holds an info line (or drops it past LogHoldLimit).
func (b *BufferedLog) Write(p []byte) (int, error) { return b.hold(p, LogHoldLimit), nil }

// urgent holds warnings and errors: more room, and the writer is woken.
type urgent struct{ b *BufferedLog }

func (u urgent) Write(p []byte) (int, error) {
	n := u.b.hold(p, 2*LogHoldLimit)
	u.b.wake()
	return n, nil
}

func (b *BufferedLog) hold(p []byte, limit int) int {
	b.mu.Lock()
	if len(b.buf)+len(p) > limit {
		b.mu.Unlock()
		b.droppedTotal.Add(1)
		return len(p)
	}
	b.buf = append(b.buf, p...)
	full := len(b.buf) >= LogBufferSize
	b.mu.Unlock()
	if full {
		b.wake()
	}
	return len(p)
}

func (b *BufferedLog) wake() {
	select {
	case b.kick <- struct{}{}:
	default: // a wake-up is already pending
	}
}

func (b *BufferedLog) loop() {
	defer close(b.done)
	t := time.NewTicker(b.every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-b.kick:
		case <-b.stop:
			_ = b.Flush()
			return
		}
		_ = b.Flush()
	}
}

// Flush writes what is held, and a warning if lines were dropped.
func (b *BufferedLog) Flush() error {
	b.wmu.Lock()
	defer b.wmu.Unlock()
	b.mu.Lock()
	out := b.buf
	b.buf = b.spare[:0]
	b.mu.Unlock()
	total := b.droppedTotal.Load()
	if dropped := total - b.reported; dropped > 0 {
		b.reported = total
		out = fmt.Appendf(out, `{"time":%q,"level":"WARN","msg":"log output too slow: lines dropped","dropped":%d}`+"\n",
			time.Now().Format(time.RFC3339Nano), dropped)
	}
	var err error
	if len(out) > 0 {
		_, err = b.out.Write(out)
	}
	if cap(out) <= 2*LogBufferSize { // keep a normal buffer, not one grown by a backlog
		b.spare = out
	} else {
		b.spare = nil
	}
	return err
}

// Dropped is how many lines were dropped since the start.
func (b *BufferedLog) Dropped() int64 { return b.droppedTotal.Load() }

// Close writes what is held and stops the writer goroutine.
func (b *BufferedLog) Close() error {
	b.closeOnce.Do(func() { close(b.stop) })
	<-b.done
	return nil
}

// byLevel sends warnings and errors to one handler and the rest to another;
// both format alike (see newLogger).
type byLevel struct{ info, warn slog.Handler }

func (h byLevel) Enabled(ctx context.Context, l slog.Level) bool { return h.info.Enabled(ctx, l) }

func (h byLevel) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelWarn {
		return h.warn.Handle(ctx, r)
	}
	return h.info.Handle(ctx, r)
}

func (h byLevel) WithAttrs(attrs []slog.Attr) slog.Handler {
	return byLevel{h.info.WithAttrs(attrs), h.warn.WithAttrs(attrs)}
}

func (h byLevel) WithGroup(name string) slog.Handler {
	return byLevel{h.info.WithGroup(name), h.warn.WithGroup(name)}
}

// newLogger logs JSON lines on out at level.
func newLogger(out io.Writer, level slog.Leveler) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewJSONHandler(out, opts)
	if b, ok := out.(*BufferedLog); ok {
		h = byLevel{info: h, warn: slog.NewJSONHandler(urgent{b}, opts)}
	}
	return slog.New(h)
}
