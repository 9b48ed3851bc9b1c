package signals

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ownercheck/ownercheck/internal/match"
)

// Redis counts with HyperLogLogs, shared by every process on the Redis.
type Redis struct {
	c redis.Cmdable
	// added remembers the pairs this process added to today's sets, so a
	// hot cached verdict only counts (4 PFCOUNTs) instead of adding again
	// (PFADD and EXPIRE would not change anything).
	added addedToday
	// counts memoizes the PFCOUNT commands of each key for today (31
	// arguments built once, not on every verdict).
	counts countArgs
}

// NewRedis counts on c.
func NewRedis(c redis.Cmdable) *Redis { return &Redis{c: c} }

// Observe adds and counts every observation in one round trip (a pipeline
// of PFADD, EXPIRE and PFCOUNT).
func (r *Redis) Observe(ctx context.Context, obs []Observation, now time.Time) ([]match.Signals, error) {
	_, sigs, err := r.MGetObserve(ctx, nil, obs, now)
	return sigs, err
}

// MGetObserve is Observe with an MGET of keys in the same round trip (a
// cached verdict's read and its signals): missing keys are nil.
func (r *Redis) MGetObserve(ctx context.Context, keys []string, obs []Observation, now time.Time) ([][]byte, []match.Signals, error) {
	d := day(now)
	pipe := r.c.Pipeline()
	var mget *redis.SliceCmd
	if len(keys) > 0 {
		mget = pipe.MGet(ctx, keys...)
	}
	counts := make([][4]*redis.Cmd, len(obs))
	for i, o := range obs {
		ak, ik := dayKey(o.AccountKey, d), dayKey(o.IdentityKey, d)
		if !r.added.has(d, o) {
			pipe.PFAdd(ctx, ak, o.Identity)
			pipe.Expire(ctx, ak, keep)
			pipe.PFAdd(ctx, ik, o.Account)
			pipe.Expire(ctx, ik, keep)
		}
		a1, a30 := r.counts.get(o.AccountKey, d)
		i1, i30 := r.counts.get(o.IdentityKey, d)
		counts[i] = [4]*redis.Cmd{pipe.Do(ctx, a1...), pipe.Do(ctx, a30...), pipe.Do(ctx, i1...), pipe.Do(ctx, i30...)}
	}
	_, err := pipe.Exec(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("counting reuse signals: %w", err)
	}
	for _, o := range obs {
		r.added.add(d, o)
	}
	var vals [][]byte
	if mget != nil {
		vals = make([][]byte, len(keys))
		for i, v := range mget.Val() {
			if s, ok := v.(string); ok {
				vals[i] = []byte(s)
			}
		}
	}
	out := make([]match.Signals, len(obs))
	for i, c := range counts {
		var n [4]int64
		for j, cmd := range c {
			if n[j], err = cmd.Int64(); err != nil {
				return nil, nil, fmt.Errorf("counting reuse signals: %w", err)
			}
		}
		out[i] = match.Signals{
			IdentitiesPerAccount1d: int(n[0]), IdentitiesPerAccount30d: int(n[1]),
			AccountsPerIdentity1d: int(n[2]), AccountsPerIdentity30d: int(n[3]),
			Available: true,
		}
	}
	return vals, out, nil
}

// addedToday is a bounded set of the observations added on one day.
type addedToday struct {
	mu  sync.RWMutex
	day int64
	m   map[Observation]struct{}
}

// maxAdded bounds addedToday: a few MB of the hottest pairs.
const maxAdded = 16384

func (a *addedToday) has(d int64, o Observation) bool {
	a.mu.RLock()
	defer a.mu.RUnlock()
	_, ok := a.m[o]
	return ok && a.day == d
}

func (a *addedToday) add(d int64, o Observation) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.day != d || a.m == nil || len(a.m) >= maxAdded {
		a.day, a.m = d, map[Observation]struct{}{}
	}
	a.m[o] = struct{}{}
}

// countArgs memoizes, per key and day, the PFCOUNT commands of the day and
// of the window; bounded, forgotten when the day changes.
type countArgs struct {
	mu  sync.RWMutex
	day int64
	m   map[string][2][]any
}

func (c *countArgs) get(key string, d int64) (day, window []any) {
	c.mu.RLock()
	v, ok := c.m[key]
	same := c.day == d
	c.mu.RUnlock()
	if ok && same {
		return v[0], v[1]
	}
	day = []any{"pfcount", dayKey(key, d)}
	window = []any{"pfcount"}
	for _, k := range windowKeys(key, d) {
		window = append(window, k)
	}
	c.mu.Lock()
	if c.day != d || c.m == nil || len(c.m) >= maxAdded {
		c.day, c.m = d, map[string][2][]any{}
	}
	c.m[key] = [2][]any{day, window}
	c.mu.Unlock()
	return day, window
}
