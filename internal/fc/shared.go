package fc

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// SharedConfig configures a Shared limiter.
type SharedConfig struct {
	Redis *redis.Client
	// StripeKey names the budget: every process using the same Stripe key
	// and Redis shares one. Only a hash of it reaches Redis.
	StripeKey string
	RPS       float64 // the fleet's total for the key
	// BatchShare caps batch work at this fraction of RPS, all batch
	// processes together (0 or >= 1: no cap beyond what interactive
	// traffic leaves).
	BatchShare float64
	// Lead is how far ahead interactive requests may book slots (default
	// 1s); batch books only when no slot is booked ahead, so interactive
	// demand is always served first. See Shared.
	Lead time.Duration
	// Replicas is how many processes share the key: with Redis away each
	// falls back to a local limiter at RPS/Replicas (default 3).
	Replicas int
	// MaxWait bounds an interactive wait (default 5s); BatchMaxWait a
	// batch one (default 1m: nobody is waiting on a batch row).
	MaxWait, BatchMaxWait time.Duration
	// Cooldown is how long Redis is left alone after it failed (default
	// 1s): one probe per cooldown, local pacing in between.
	Cooldown time.Duration
	// OnFallback is told when the limiter leaves (true) or returns to
	// (false) the shared budget, for a metric.
	OnFallback func(local bool)
}

// Shared is the fleet's one Stripe budget: GCRA in Redis (redis_rate), on
// Redis's clock, so replica clock skew does not matter.
//
// Priority: a request books the next free slot of the key's schedule and
// sleeps until it, so requests stay evenly spaced across processes. An
// interactive request may book up to Lead ahead; a batch request only when
// no slot is booked ahead (the schedule has caught up with now). While
// interactive demand keeps slots booked, batch waits: it uses what the
// service leaves, and an interactive request waits at most one interval
// (1/RPS) behind batch.
//
// A Stripe 429 anywhere sets a slow-down key: every process then books at
// 3/4 of the rate until it expires. When Redis fails the process paces
// itself locally at RPS/Replicas and probes Redis once per Cooldown;
// coming back is burst-free because the shared schedule grants one slot
// at a time.
type Shared struct {
	cfg      SharedConfig
	rl       *redis_rate.Limiter
	key      string // GCRA key of the whole budget
	batchKey string // GCRA key of the batch share
	slowKey  string // set (with a TTL) while the fleet is slowed down
	local    *Local
	gates    [2]chan struct{} // one Redis poller per priority per process

	downUntil atomic.Int64 // unix nanos; Redis skipped until then
	isLocal   atomic.Bool
	probing   atomic.Bool // one caller asks Redis whether it is back

	mu        sync.Mutex
	slowUntil time.Time // cached view of slowKey
	slowRead  time.Time // when slowKey was last read
}

// NewShared builds the fleet limiter.
func NewShared(cfg SharedConfig) *Shared {
	if cfg.Lead <= 0 {
		cfg.Lead = time.Second
	}
	if cfg.Replicas <= 0 {
		cfg.Replicas = 3
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = DefaultMaxWait
	}
	if cfg.BatchMaxWait <= 0 {
		cfg.BatchMaxWait = time.Minute
	}
	if cfg.Cooldown <= 0 {
		cfg.Cooldown = time.Second
	}
	sum := sha256.Sum256([]byte("ownercheck stripe budget\x00" + cfg.StripeKey))
	name := "oc:stripe-budget:" + hex.EncodeToString(sum[:12])
	s := &Shared{cfg: cfg, rl: redis_rate.NewLimiter(cfg.Redis), key: name, batchKey: name + ":batch", slowKey: name + ":slow",
		local: NewLocal(cfg.RPS/float64(cfg.Replicas), 1, cfg.MaxWait)}
	for i := range s.gates {
		s.gates[i] = make(chan struct{}, 1)
	}
	return s
}

// Local reports whether the limiter is on its local fallback.
func (s *Shared) Local() bool { return s.isLocal.Load() }

func (s *Shared) maxWait(p Priority) time.Duration {
	if p == Batch {
		return s.cfg.BatchMaxWait
	}
	return s.cfg.MaxWait
}

// Wait books a slot of the shared schedule and sleeps until it.
func (s *Shared) Wait(ctx context.Context, p Priority) error {
	deadline := waitDeadline(ctx, s.maxWait(p))
	use, probe := s.useRedis()
	if !use {
		return s.local.waitUntil(ctx, deadline)
	}
	if probe {
		defer s.probing.Store(false)
	}
	gate := s.gates[p&1]
	if err := s.acquire(ctx, gate, deadline); err != nil {
		return err
	}
	if !probe && s.redisDown() {
		// Redis was found down while this request queued for the gate:
		// asking it again would cost every queued request a timeout in
		// turn, and the last ones their whole wait.
		<-gate
		return s.local.waitUntil(ctx, deadline)
	}
	slot, err := s.book(ctx, p, deadline)
	<-gate
	switch {
	case err == nil:
		return sleepCtx(ctx, slot)
	case errors.Is(err, errRedis):
		return s.local.waitUntil(ctx, deadline)
	}
	return err
}

var errRedis = errors.New("redis unavailable")

// acquire takes the process's gate for p (one Redis poller per priority:
// the others queue here in memory instead of polling Redis).
func (s *Shared) acquire(ctx context.Context, gate chan struct{}, deadline time.Time) error {
	select {
	case gate <- struct{}{}:
		return nil
	default:
	}
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case gate <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return &BudgetError{RetryAfter: time.Second}
	}
}

// book polls the schedule until it grants a slot; it returns how long to
// sleep until the slot.
func (s *Shared) book(ctx context.Context, p Priority, deadline time.Time) (time.Duration, error) {
	rps, err := s.rate(ctx)
	if err != nil {
		return 0, err
	}
	if p == Batch && s.cfg.BatchShare > 0 && s.cfg.BatchShare < 1 {
		if err := s.poll(ctx, s.batchKey, gcra(rps*s.cfg.BatchShare, 1), deadline); err != nil {
			return 0, err
		}
	}
	lim := gcra(rps, 1) // batch: only when no slot is booked ahead
	if p == Interactive {
		lim = gcra(rps, 1+int(math.Ceil(s.cfg.Lead.Seconds()*rps)))
	}
	for {
		res, err := s.allow(ctx, s.key, lim)
		if err != nil {
			return 0, err
		}
		if res.Allowed > 0 {
			// ResetAfter is the new schedule end; the booked slot is one
			// emission interval before it.
			slot := res.ResetAfter - interval(rps)
			if time.Now().Add(slot).After(deadline) {
				return 0, &BudgetError{RetryAfter: max(slot, time.Second)}
			}
			return slot, nil
		}
		if err := s.sleepFor(ctx, res.RetryAfter, deadline); err != nil {
			return 0, err
		}
	}
}

// poll waits until key grants one request under lim.
func (s *Shared) poll(ctx context.Context, key string, lim redis_rate.Limit, deadline time.Time) error {
	for {
		res, err := s.allow(ctx, key, lim)
		if err != nil {
			return err
		}
		if res.Allowed > 0 {
			return nil
		}
		if err := s.sleepFor(ctx, res.RetryAfter, deadline); err != nil {
			return err
		}
	}
}

// sleepFor sleeps before the next poll, or refuses when that is past the
// deadline.
func (s *Shared) sleepFor(ctx context.Context, d time.Duration, deadline time.Time) error {
	d = max(d, time.Millisecond)
	if time.Now().Add(d).After(deadline) {
		return &BudgetError{RetryAfter: max(d, time.Second)}
	}
	return sleepCtx(ctx, d)
}

func (s *Shared) allow(ctx context.Context, key string, lim redis_rate.Limit) (*redis_rate.Result, error) {
	res, err := s.rl.Allow(ctx, key, lim)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		s.markDown()
		return nil, errRedis
	}
	s.markUp()
	return res, nil
}

// gcra expresses a fractional rate in redis_rate's integer terms: rate per
// 1000s is rps*1000, so the emission interval is 1/rps.
func gcra(rps float64, burst int) redis_rate.Limit {
	return redis_rate.Limit{Rate: max(int(math.Round(rps*1000)), 1), Period: 1000 * time.Second, Burst: burst}
}

func interval(rps float64) time.Duration {
	return time.Duration(float64(time.Second) / rps)
}

// useRedis: no while Redis is known down; after the cooldown one caller
// probes it (probe) while the others stay local, so a Redis that hangs
// costs one timeout per cooldown, not one per waiting request.
func (s *Shared) useRedis() (use, probe bool) {
	if s.redisDown() {
		return false, false
	}
	if !s.isLocal.Load() {
		return true, false
	}
	if s.probing.CompareAndSwap(false, true) {
		return true, true
	}
	return false, false
}

func (s *Shared) redisDown() bool {
	return time.Now().UnixNano() < s.downUntil.Load()
}

func (s *Shared) markDown() {
	s.downUntil.Store(time.Now().Add(s.cfg.Cooldown).UnixNano())
	if !s.isLocal.Swap(true) && s.cfg.OnFallback != nil {
		s.cfg.OnFallback(true)
	}
}

func (s *Shared) markUp() {
	if s.isLocal.Swap(false) && s.cfg.OnFallback != nil {
		s.cfg.OnFallback(false)
	}
}

// slowRefresh is how often a process re-reads the fleet's slow-down key.
const slowRefresh = 250 * time.Millisecond

// rate is RPS, or 3/4 of it while the fleet is slowed down. A Redis that
// fails the slow-down key's read is marked down (errRedis) like one that
// fails a booking: a hung Redis costs one timeout, not two.
func (s *Shared) rate(ctx context.Context) (float64, error) {
	s.mu.Lock()
	stale := time.Since(s.slowRead) > slowRefresh
	if stale {
		s.slowRead = time.Now()
	}
	s.mu.Unlock()
	if stale {
		ttl, err := s.cfg.Redis.PTTL(ctx, s.slowKey).Result()
		switch {
		case err != nil && ctx.Err() != nil:
			return 0, ctx.Err()
		case err != nil:
			s.markDown()
			return 0, errRedis
		case ttl > 0:
			s.mu.Lock()
			s.slowUntil = time.Now().Add(ttl)
			s.mu.Unlock()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if time.Now().Before(s.slowUntil) {
		return s.cfg.RPS * slowFactor, nil
	}
	return s.cfg.RPS, nil
}

// SlowDown slows the whole fleet (and the local fallback).
func (s *Shared) SlowDown(after time.Duration) {
	d := max(after, minSlowDown)
	s.mu.Lock()
	s.slowUntil = time.Now().Add(d)
	s.mu.Unlock()
	s.local.SlowDown(after)
	if s.redisDown() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := s.cfg.Redis.Set(ctx, s.slowKey, "1", d).Err(); err != nil {
		s.markDown()
	}
}

var _ Limiter = (*Shared)(nil)
