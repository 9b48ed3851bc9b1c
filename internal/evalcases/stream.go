package evalcases

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"runtime"
	"sync"
)

// Streaming: cases are read, decoded and evaluated a batch at a time on
// every core, and handed back in input order, so memory stays flat however
// many cases the files hold (only ids are remembered, as 64-bit hashes, to
// refuse duplicates).

// batchSize is the number of lines a worker takes at once: large enough to
// keep channel traffic negligible, small enough that the batches in flight
// (two per worker) stay a few megabytes.
const batchSize = 256

// maxErrors bounds the bad lines reported in full; the rest are counted.
const maxErrors = 100

// Stdin is the file name that reads the cases from standard input.
const Stdin = "-"

// item is one non-blank line: its bytes until decoded, then its case and
// result, or the error that refused it.
type item[T any] struct {
	line int
	data []byte
	c    Case
	v    T
	err  error
}

type batch[T any] struct {
	file  int
	items []item[T]
	done  chan struct{}
}

// Each reads the files in order, decodes every case and calls eval on it
// concurrently (eval must be safe for concurrent use), then calls emit with
// each case and its result in input order. A bad line or a duplicate id is
// skipped and reported in the returned error (file:line each); an error
// from emit, or ctx ending, stops the run.
func Each[T any](ctx context.Context, paths []string, eval func(*Case) T, emit func(*Case, T) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *batch[T], workers)
	ordered := make(chan *batch[T], 2*workers)
	readErr := make(chan error, 1)
	go func() {
		defer close(ordered)
		defer close(work)
		readErr <- readBatches(ctx, paths, work, ordered)
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				evalBatch(b, paths[b.file], eval)
			}
		}()
	}
	defer wg.Wait()

	errs := newErrorList()
	seen := newIDSet()
	var emitErr error
	for b := range ordered {
		<-b.done
		if emitErr != nil {
			continue // drain so the reader and workers finish
		}
		for i := range b.items {
			it := &b.items[i]
			if it.err != nil {
				errs.add(it.err)
				continue
			}
			if first, dup := seen.add(it.c.ID, b.file, it.line); dup {
				errs.add(fmt.Errorf("%s:%d: duplicate id %q (first at %s:%d)", paths[b.file], it.line, it.c.ID, paths[first.file], first.line))
				continue
			}
			if emitErr = emit(&it.c, it.v); emitErr != nil {
				cancel()
				break
			}
		}
	}
	if emitErr != nil {
		return emitErr
	}
	if err := <-readErr; err != nil {
		errs.add(err)
	}
	return errs.err()
}

func evalBatch[T any](b *batch[T], name string, eval func(*Case) T) {
	defer close(b.done)
	for i := range b.items {
		it := &b.items[i]
		it.c, it.err = decodeCase(it.data, name, it.line)
		it.data = nil
		if it.err == nil {
			it.v = eval(&it.c)
		}
	}
}

// readBatches splits the files into batches, handing each to a worker and,
// in order, to the emitter.
func readBatches[T any](ctx context.Context, paths []string, work, ordered chan<- *batch[T]) error {
	var errs []error
	for fi, p := range paths {
		b := &batch[T]{file: fi, done: make(chan struct{})}
		send := func() error {
			if len(b.items) == 0 {
				return nil
			}
			select {
			case ordered <- b:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case work <- b:
			case <-ctx.Done():
				// The emitter holds b and waits for it: release it empty.
				b.items = nil
				close(b.done)
				return ctx.Err()
			}
			b = &batch[T]{file: fi, done: make(chan struct{})}
			return nil
		}
		err := withFile(p, func(r io.Reader) error {
			return scanLines(r, func(line int, data []byte) error {
				b.items = append(b.items, item[T]{line: line, data: append([]byte(nil), data...)})
				if len(b.items) < batchSize {
					return nil
				}
				return send()
			})
		})
		if err == nil {
			err = send()
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p, err))
		}
	}
	return errors.Join(errs...)
}

func withFile(p string, fn func(io.Reader) error) error {
	if p == Stdin {
		return fn(os.Stdin)
	}
	f, err := os.Open(p)
	if err != nil {
		return unwrapPath(err)
	}
	defer f.Close()
	return fn(f)
}

// unwrapPath drops the *PathError wrapper: callers already name the file.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// idSet remembers ids by 64-bit hash with the place they first appeared:
// a million ids take some 30 MB instead of their strings. Two different ids
// collide with probability about n²/2^65 (3e-8 for a million).
type idSet struct {
	seed  maphash.Seed
	first map[uint64]place
}

type place struct {
	file int32
	line int32
}

func newIDSet() *idSet { return &idSet{seed: maphash.MakeSeed(), first: map[uint64]place{}} }

func (s *idSet) add(id string, file, line int) (place, bool) {
	h := maphash.String(s.seed, id)
	if p, ok := s.first[h]; ok {
		return p, true
	}
	s.first[h] = place{file: int32(file), line: int32(line)}
	return place{}, false
}

// errorList keeps the first maxErrors errors and counts the rest.
type errorList struct {
	errs []error
	more int
}

func newErrorList() *errorList { return &errorList{} }

func (l *errorList) add(err error) {
	if len(l.errs) < maxErrors {
		l.errs = append(l.errs, err)
		return
	}
	l.more++
}

func (l *errorList) err() error {
	if l.more > 0 {
		return errors.Join(append(l.errs, fmt.Errorf("... and %d more", l.more))...)
	}
	return errors.Join(l.errs...)
}
