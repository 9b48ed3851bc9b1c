package fc

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Priority orders the demand on the Stripe budget: interactive verdicts
// (someone is waiting) come before batch work.
type Priority int

const (
	Interactive Priority = iota
	Batch
)

func (p Priority) String() string {
	if p == Batch {
		return "batch"
	}
	return "interactive"
}

// Limiter paces Stripe requests. Pacing is even (one request per 1/RPS):
// bursts are what trip a server-side limiter running at the same rate.
type Limiter interface {
	// Wait blocks until one request may be sent. It gives up with a
	// *BudgetError when no slot comes before the limiter's own deadline
	// or the context's, whichever is sooner.
	Wait(ctx context.Context, p Priority) error
	// SlowDown is told about a Stripe 429: the key's real limit may be
	// lower than ours (other users share the Stripe account), so requests
	// go at 3/4 of the rate for max(after, 2s).
	SlowDown(after time.Duration)
}

// BudgetError says no Stripe request slot came in time: retry later.
type BudgetError struct {
	RetryAfter time.Duration
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("no Stripe request slot within the wait deadline (retry in %s)", e.RetryAfter.Round(time.Millisecond))
}

// slowFactor and minSlowDown: after a 429, 3/4 of the rate for at least 2s.
const (
	slowFactor  = 0.75
	minSlowDown = 2 * time.Second
)

type priorityKey struct{}

// WithPriority marks the calls made with ctx (overriding the client's
// default priority).
func WithPriority(ctx context.Context, p Priority) context.Context {
	return context.WithValue(ctx, priorityKey{}, p)
}

func priorityOf(ctx context.Context, def Priority) Priority {
	if p, ok := ctx.Value(priorityKey{}).(Priority); ok {
		return p
	}
	return def
}

// waitDeadline is the earlier of now+max and ctx's deadline.
func waitDeadline(ctx context.Context, maxWait time.Duration) time.Time {
	d := time.Now().Add(maxWait)
	if cd, ok := ctx.Deadline(); ok && cd.Before(d) {
		return cd
	}
	return d
}

// sleepCtx sleeps d unless ctx ends first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Local is a Limiter for one process (golang.org/x/time/rate). Waiters
// are served in arrival order; a wait that would end after the deadline is
// refused at once, without holding a slot.
type Local struct {
	rps     float64
	lim     *rate.Limiter
	maxWait time.Duration

	mu        sync.Mutex
	slowUntil time.Time
}

// NewLocal paces rps requests per second with the given burst (1: even
// pacing); maxWait bounds one Wait (<= 0: 5s).
func NewLocal(rps float64, burst int, maxWait time.Duration) *Local {
	if maxWait <= 0 {
		maxWait = DefaultMaxWait
	}
	return &Local{rps: rps, lim: rate.NewLimiter(rate.Limit(rps), max(burst, 1)), maxWait: maxWait}
}

// DefaultMaxWait bounds a wait for a Stripe slot when not configured.
const DefaultMaxWait = 5 * time.Second

// Limit is the current rate (lower while slowed down).
func (l *Local) Limit() float64 {
	l.restore()
	return float64(l.lim.Limit())
}

func (l *Local) SlowDown(after time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.slowUntil = time.Now().Add(max(after, minSlowDown))
	l.lim.SetLimit(rate.Limit(l.rps * slowFactor))
}

func (l *Local) restore() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.slowUntil.IsZero() && time.Now().After(l.slowUntil) {
		l.slowUntil = time.Time{}
		l.lim.SetLimit(rate.Limit(l.rps))
	}
}

func (l *Local) Wait(ctx context.Context, _ Priority) error {
	return l.waitUntil(ctx, waitDeadline(ctx, l.maxWait))
}

func (l *Local) waitUntil(ctx context.Context, deadline time.Time) error {
	l.restore()
	now := time.Now()
	r := l.lim.ReserveN(now, 1)
	if !r.OK() {
		return &BudgetError{RetryAfter: time.Second}
	}
	d := r.DelayFrom(now)
	if now.Add(d).After(deadline) {
		r.CancelAt(now)
		return &BudgetError{RetryAfter: max(d, time.Second)}
	}
	if err := sleepCtx(ctx, d); err != nil {
		r.Cancel()
		return err
	}
	return nil
}

var _ Limiter = (*Local)(nil)
