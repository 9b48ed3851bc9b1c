package signals

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/match"
)

// Redis counts with HyperLogLogs, shared by every process on the Redis.
type Redis struct {
	c redis.Cmdable
	// added remembers the pairs this process added to today's sets, so a
	// hot cached verdict only counts (4 PFCOUNTs) instead of adding again
	// (PFADD and EXPIRE would not change anything).
	added addedToday
	// counts memoizes the PFCOUNT commands of each key for today and keeps
	// the window's count to three keys (see countArgs).
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
// cached verdict's read and its signals): missing keys are nil. The values
// share go-redis's strings (cache.ReadOnlyBytes): read them, never write to them.
func (r *Redis) MGetObserve(ctx context.Context, keys []string, obs []Observation, now time.Time) ([][]byte, []match.Signals, error) {
	d := day(now)
	pipe := r.c.Pipeline()
	var mget *redis.SliceCmd
	if len(keys) > 0 {
		mget = pipe.MGet(ctx, keys...)
	}
	counts := make([][4]*redis.Cmd, len(obs))
	out := make([]match.Signals, len(obs))
	var merged []*countEntry
	for i, o := range obs {
		a, id := r.counts.get(o.AccountKey, d), r.counts.get(o.IdentityKey, d)
		added := r.added.has(d, o)
		if added && r.counts.recent(a, id, now, &out[i]) {
			continue
		}
		if !added {
			ak, ik := dayKey(o.AccountKey, d), dayKey(o.IdentityKey, d)
			pipe.PFAdd(ctx, ak, o.Identity)
			pipe.Expire(ctx, ak, keep)
			pipe.PFAdd(ctx, ik, o.Account)
			pipe.Expire(ctx, ik, keep)
		}
		for _, e := range [2]*countEntry{a, id} {
			if r.counts.needsMerge(e, now) {
				pipe.Do(ctx, e.merge...)
				pipe.Do(ctx, e.expire...)
				merged = append(merged, e)
			}
		}
		counts[i] = [4]*redis.Cmd{pipe.Do(ctx, a.day...), pipe.Do(ctx, a.window...), pipe.Do(ctx, id.day...), pipe.Do(ctx, id.window...)}
	}
	if pipe.Len() > 0 {
		if _, err := pipe.Exec(ctx); err != nil {
			return nil, nil, fmt.Errorf("counting reuse signals: %w", err)
		}
	}
	for _, o := range obs {
		r.added.add(d, o)
	}
	for _, e := range merged {
		r.counts.merged(e, now)
	}
	var vals [][]byte
	if mget != nil {
		vals = make([][]byte, len(keys))
		for i, v := range mget.Val() {
			if s, ok := v.(string); ok {
				vals[i] = cache.ReadOnlyBytes(s)
			}
		}
	}
	for i, c := range counts {
		if c[0] == nil { // answered by recent
			continue
		}
		var n [4]int64
		for j, cmd := range c {
			var err error
			if n[j], err = cmd.Int64(); err != nil {
				return nil, nil, fmt.Errorf("counting reuse signals: %w", err)
			}
		}
		out[i] = match.Signals{
			IdentitiesPerAccount1d: int(n[0]), IdentitiesPerAccount30d: int(n[1]),
			AccountsPerIdentity1d: int(n[2]), AccountsPerIdentity30d: int(n[3]),
			Available: true,
		}
		o := obs[i]
		r.counts.counted(r.counts.get(o.AccountKey, d), n[0], n[1], now)
		r.counts.counted(r.counts.get(o.IdentityKey, d), n[2], n[3], now)
	}
	return vals, out, nil
}

// Recent answers obs without Redis when every pair was added today by
// this process and its keys' counts are recent (see countFresh).
func (r *Redis) Recent(obs []Observation, now time.Time) ([]match.Signals, bool) {
	d := day(now)
	out := make([]match.Signals, len(obs))
	for i, o := range obs {
		if !r.added.has(d, o) || !r.counts.recent(r.counts.get(o.AccountKey, d), r.counts.get(o.IdentityKey, d), now, &out[i]) {
			return nil, false
		}
	}
	return out, true
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
// of the window, and when this process last rebuilt the key's merged
// older days; bounded, forgotten when the day changes.
//
// The window's count reads three HyperLogLogs, not thirty: today's,
// yesterday's, and one merge of the 28 days before (rebuilt by PFMERGE,
// in the same pipeline, the first time a process counts the key on a day
// and every mergeEvery after). PFCOUNT over thirty keys cost every cached
// verdict ~4 KB of key names each way and a 30-way merge on Redis's one
// thread. The merged days are complete (no replica adds to a day two days
// old unless its clock is more than a day off), so the count is the
// same as over the thirty day keys; re-merging every mergeEvery bounds
// the damage if the merged key is lost (eviction, a flushed Redis).
type countArgs struct {
	mu  sync.RWMutex
	day int64
	m   map[string]*countEntry
}

// mergeEvery is how often a process rebuilds a key's merge of older days.
const mergeEvery = 10 * time.Minute

type countEntry struct {
	day, window, merge, expire []any
	mergedAt                   time.Time // zero until a pipeline with the merge succeeded
	// The key's last counts (day, window) and when they were read.
	dayN, windowN int64
	countedAt     time.Time
}

// countFresh is how long a key's counts answer a pair this process has
// already added today without asking Redis again. Only a repeat (a cached
// verdict polled again) is answered so: a new pair is always added and
// counted in Redis, and its counts refresh the keys' entries. So a repeat
// misses at most the pairs other processes added in the last countFresh,
// which is nothing next to windows of a day and thirty days; in exchange
// a hot cached verdict costs Redis one MGET instead of MGET and four
// PFCOUNTs (one of them a three-key merge on Redis's one thread).
const countFresh = time.Second

// recent fills sig from a's and id's counts when both were read in the
// last countFresh before now.
func (c *countArgs) recent(a, id *countEntry, now time.Time, sig *match.Signals) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, e := range [2]*countEntry{a, id} {
		if e.countedAt.IsZero() || now.Before(e.countedAt) || now.Sub(e.countedAt) >= countFresh {
			return false
		}
	}
	*sig = match.Signals{
		IdentitiesPerAccount1d: int(a.dayN), IdentitiesPerAccount30d: int(a.windowN),
		AccountsPerIdentity1d: int(id.dayN), AccountsPerIdentity30d: int(id.windowN),
		Available: true,
	}
	return true
}

// counted records e's counts read at now.
func (c *countArgs) counted(e *countEntry, dayN, windowN int64, now time.Time) {
	c.mu.Lock()
	e.dayN, e.windowN, e.countedAt = dayN, windowN, now
	c.mu.Unlock()
}

// mergedKey is key's union of the days d-2 back to the window's start.
func mergedKey(key string, d int64) string { return key + ":w" + strconv.FormatInt(d, 10) }

// mergedKeep: the merge serves one day (two, for clocks a little apart).
const mergedKeep = 2 * 24 * time.Hour

func (c *countArgs) get(key string, d int64) *countEntry {
	c.mu.RLock()
	e, ok := c.m[key]
	same := c.day == d
	c.mu.RUnlock()
	if ok && same {
		return e
	}
	w := mergedKey(key, d)
	e = &countEntry{
		day:    []any{"pfcount", dayKey(key, d)},
		window: []any{"pfcount", w, dayKey(key, d-1), dayKey(key, d)},
		merge:  []any{"pfmerge", w},
		expire: []any{"expire", w, int64(mergedKeep / time.Second)},
	}
	for _, k := range windowKeys(key, d)[2:] {
		e.merge = append(e.merge, k)
	}
	c.mu.Lock()
	if c.day != d || c.m == nil || len(c.m) >= maxAdded {
		c.day, c.m = d, map[string]*countEntry{}
	}
	c.m[key] = e
	c.mu.Unlock()
	return e
}

// needsMerge says whether e's merged key is to be rebuilt at now.
func (c *countArgs) needsMerge(e *countEntry, now time.Time) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return e.mergedAt.IsZero() || now.Sub(e.mergedAt) >= mergeEvery
}

// merged records a successful rebuild of e's merged key.
func (c *countArgs) merged(e *countEntry, now time.Time) {
	c.mu.Lock()
	e.mergedAt = now
	c.mu.Unlock()
}
