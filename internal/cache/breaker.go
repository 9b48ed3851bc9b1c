package cache

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// ErrUnavailable is what a Breaker answers, without asking the backend,
// while it is open.
var ErrUnavailable = errors.New("cache unavailable: failing fast after a recent error")

// Breaker fails fast for a cooldown after a backend error. A Redis that
// is down or hangs then costs one timeout per cooldown rather than one per
// call (a verdict makes several), so requests stay fast while verdicts are
// computed without the cache. Ping always reaches the backend, so readyz
// and the cache-up metric tell the truth, and a successful Ping closes the
// breaker early.
type Breaker struct {
	c        Cache
	cooldown time.Duration
	// openUntil is when calls reach the backend again (Unix nanoseconds;
	// 0 = closed). After it passes, the next failure opens it again.
	openUntil atomic.Int64
	now       func() time.Time
}

// NewBreaker wraps c; cooldown <= 0 means 2s.
func NewBreaker(c Cache, cooldown time.Duration) *Breaker {
	if cooldown <= 0 {
		cooldown = 2 * time.Second
	}
	return &Breaker{c: c, cooldown: cooldown, now: time.Now}
}

// Open reports whether calls currently fail fast.
func (b *Breaker) Open() bool { return b.now().UnixNano() < b.openUntil.Load() }

// pass runs op unless the breaker is open, and opens it when op fails for
// a reason other than the caller giving up.
func (b *Breaker) pass(ctx context.Context, name string, op func() error) error {
	if b.Open() {
		return fmt.Errorf("%s: %w", name, ErrUnavailable)
	}
	err := op()
	if err != nil && ctx.Err() == nil {
		b.openUntil.Store(b.now().Add(b.cooldown).UnixNano())
	}
	return err
}

func (b *Breaker) Get(ctx context.Context, key string) (val []byte, ok bool, err error) {
	err = b.pass(ctx, "get", func() error {
		var err error
		val, ok, err = b.c.Get(ctx, key)
		return err
	})
	return val, ok, err
}

func (b *Breaker) Set(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	return b.pass(ctx, "set", func() error { return b.c.Set(ctx, key, val, ttl) })
}

func (b *Breaker) Del(ctx context.Context, keys ...string) error {
	return b.pass(ctx, "del", func() error { return b.c.Del(ctx, keys...) })
}

func (b *Breaker) MGet(ctx context.Context, keys ...string) (vals [][]byte, err error) {
	err = b.pass(ctx, "mget", func() error {
		var err error
		vals, err = b.c.MGet(ctx, keys...)
		return err
	})
	return vals, err
}

func (b *Breaker) SetIfNewer(ctx context.Context, key string, version []int64, val []byte, ttl time.Duration) (wrote bool, err error) {
	err = b.pass(ctx, "set if newer", func() error {
		var err error
		wrote, err = b.c.SetIfNewer(ctx, key, version, val, ttl)
		return err
	})
	return wrote, err
}

func (b *Breaker) SetNX(ctx context.Context, key string, ttl time.Duration) (set bool, err error) {
	err = b.pass(ctx, "setnx", func() error {
		var err error
		set, err = b.c.SetNX(ctx, key, ttl)
		return err
	})
	return set, err
}

// Ping always asks the backend: success closes the breaker, failure
// opens it.
func (b *Breaker) Ping(ctx context.Context) error {
	err := b.c.Ping(ctx)
	switch {
	case err == nil:
		b.openUntil.Store(0)
	case ctx.Err() == nil:
		b.openUntil.Store(b.now().Add(b.cooldown).UnixNano())
	}
	return err
}

var _ Cache = (*Breaker)(nil)

// Do runs op (another operation on the breaker's backend, e.g. a pipeline
// of commands Cache does not have) under the breaker: skipped with
// ErrUnavailable while open, opening it when op fails.
func (b *Breaker) Do(ctx context.Context, name string, op func() error) error {
	return b.pass(ctx, name, op)
}
