// Package cache stores verdicts: Redis in production, memory in the
// sandbox and tests. Keys are keyed hashes (HMAC) so Redis never holds an
// account id, a name or an address in a key; values are what the caller
// serializes (verdicts without raw owner data).
package cache

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"sync"
	"time"
	"unsafe"

	"github.com/redis/go-redis/v9"
)

// Cache is what the verdict service needs of a store.
type Cache interface {
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Set(ctx context.Context, key string, val []byte, ttl time.Duration) error
	Del(ctx context.Context, keys ...string) error
	// MGet reads several keys in one round trip; a missing key is nil.
	// The values may share the client's memory (see ReadOnlyBytes): read
	// them, never write to them.
	MGet(ctx context.Context, keys ...string) ([][]byte, error)
	// SetIfNewer stores val under key unless the stored value has a
	// version at least as new (versions compare element by element, see
	// Versioned), in one atomic step; it reports whether it wrote.
	SetIfNewer(ctx context.Context, key string, version []int64, val []byte, ttl time.Duration) (bool, error)
	// SetNX sets key when absent and reports whether it did (dedupe).
	SetNX(ctx context.Context, key string, ttl time.Duration) (bool, error)
	Ping(ctx context.Context) error
}

// Keyer derives cache keys: "oc:v1:" + hex(HMAC-SHA256(secret, parts)).
type Keyer struct {
	Secret []byte
	pool   *sync.Pool // of keyed HMACs (NewKeyer); nil: one per Key
}

// NewKeyer is a Keyer that reuses its HMAC states: keys are derived on
// every request, several per verdict.
func NewKeyer(secret []byte) Keyer {
	return Keyer{Secret: secret, pool: &sync.Pool{New: func() any { return hmac.New(sha256.New, secret) }}}
}

// Key hashes the parts (joined with NUL, which no part contains).
func (k Keyer) Key(parts ...string) string {
	var m hash.Hash
	if k.pool != nil {
		m = k.pool.Get().(hash.Hash)
		m.Reset()
		defer k.pool.Put(m)
	} else {
		m = hmac.New(sha256.New, k.Secret)
	}
	for i, p := range parts {
		if i > 0 {
			m.Write([]byte{0})
		}
		m.Write([]byte(p))
	}
	return "oc:v1:" + hex.EncodeToString(m.Sum(nil))
}

// Redis is a Cache on Redis with short timeouts: a slow Redis must make a
// request slower by milliseconds, not seconds.
type Redis struct {
	c    *redis.Client
	near *near // nil unless EnableNear
}

// ioTimeout bounds each Redis dial, read and write: a cache that does not
// answer within it is treated as down for that call.
const ioTimeout = 200 * time.Millisecond

// NewRedis connects lazily to url (redis://…).
func NewRedis(url string) (*Redis, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("parsing REDIS_URL: %w", err)
	}
	opt.DialTimeout = ioTimeout
	opt.ReadTimeout = ioTimeout
	opt.WriteTimeout = ioTimeout
	// One retry (a pooled connection may be stale after a Redis restart),
	// one dial per attempt and short backoffs: go-redis's defaults (5 dials
	// 100ms apart per attempt) would make every call to a down Redis cost
	// about a second, and a verdict makes several.
	opt.MaxRetries = 1
	opt.MaxRetryBackoff = 50 * time.Millisecond
	opt.DialerRetries = 1
	return &Redis{c: redis.NewClient(opt)}, nil
}

// Client is the go-redis client, for other users of the same Redis (the
// fleet's Stripe limiter) so a process dials Redis once.
func (r *Redis) Client() *redis.Client { return r.c }

// EnableNear makes MGet keep what it reads in this process for at most
// maxAge, dropped as soon as any process on the Redis writes the key (see
// near). maxAge <= 0 leaves it off. Call once, before use.
func (r *Redis) EnableNear(maxAge time.Duration) {
	if maxAge > 0 {
		r.near = newNear(r.c, maxAge)
	}
}

// NearInUse reports whether MGet currently keeps and serves near copies
// (EnableNear, and subscribed to InvalidationChannel).
func (r *Redis) NearInUse() bool { return r.near != nil && r.near.up.Load() }

// Close releases the connection pool.
func (r *Redis) Close() error {
	if r.near != nil {
		r.near.close()
	}
	return r.c.Close()
}

// writing runs write, a pipeline that changes keys, and publishes the keys
// on InvalidationChannel in the same round trip, so every process drops
// its near copies (batch jobs publish too, whether or not they keep any).
// This process drops its own around the write (dropAround). Only the write's
// errors count: a refused PUBLISH (a Redis user without channel
// permissions) is a lost message, which the near copies' age bounds.
func (r *Redis) writing(ctx context.Context, keys []string, write func(p redis.Pipeliner)) error {
	defer r.near.dropAround(keys...)()
	p := r.c.Pipeline()
	write(p)
	n := p.Len()
	for _, k := range keys {
		p.Publish(ctx, InvalidationChannel, k)
	}
	cmds, err := p.Exec(ctx) // every queued command, each with its error
	if err == nil {
		return nil
	}
	for _, c := range cmds[:n] {
		if err := c.Err(); err != nil {
			return err
		}
	}
	return nil
}

func (r *Redis) Get(ctx context.Context, key string) ([]byte, bool, error) {
	b, err := r.c.Get(ctx, key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return b, true, nil
}

func (r *Redis) Set(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	return r.writing(ctx, []string{key}, func(p redis.Pipeliner) { p.Set(ctx, key, val, ttl) })
}

func (r *Redis) Del(ctx context.Context, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	return r.writing(ctx, keys, func(p redis.Pipeliner) { p.Del(ctx, keys...) })
}

// MGet answers from the near copies when they hold every key (EnableNear),
// else from Redis, keeping what it read.
func (r *Redis) MGet(ctx context.Context, keys ...string) ([][]byte, error) {
	var gen uint64
	var readAt time.Time
	if r.near != nil {
		if vals, ok := r.near.get(keys); ok {
			return vals, nil
		}
		gen, readAt = r.near.gen.Load(), r.near.now()
	}
	vals, err := r.c.MGet(ctx, keys...).Result()
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(vals))
	for i, v := range vals {
		if s, ok := v.(string); ok {
			out[i] = ReadOnlyBytes(s)
		}
	}
	if r.near != nil {
		r.near.put(keys, out, gen, readAt)
	}
	return out, nil
}

// ReadOnlyBytes is s's bytes without a copy: a cached verdict is a few KB
// that go-redis has just allocated as a string, and the verdict service
// only reads (decodes, looks up) the values. They must never be written to.
func ReadOnlyBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// setIfNewer compares the version prefix of the stored value with the new
// one (see Versioned) and writes only a strictly newer value, in one step:
// a verdict's older read of an account cannot overwrite what a webhook
// stored meanwhile.
var setIfNewer = redis.NewScript(`
local function parse(s)
  local v = {}
  local head = string.match(s, "^v([%d,]+)|")
  if not head then return nil end
  for n in string.gmatch(head, "%d+") do v[#v+1] = tonumber(n) end
  return v
end
local cur = redis.call("GET", KEYS[1])
if cur then
  local a, b = parse(cur), parse(ARGV[1])
  if a and b then
    local newer = false
    for i = 1, math.max(#a, #b) do
      local x, y = a[i] or 0, b[i] or 0
      if y ~= x then newer = y > x break end
    end
    if not newer then return 0 end
  end
end
redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
redis.pcall("PUBLISH", ARGV[3], KEYS[1])
return 1
`)

// SetIfNewer publishes key on InvalidationChannel when it writes (from the
// script, in the same step; a refused PUBLISH does not fail the write, as
// in writing).
func (r *Redis) SetIfNewer(ctx context.Context, key string, version []int64, val []byte, ttl time.Duration) (bool, error) {
	defer r.near.dropAround(key)()
	n, err := setIfNewer.Run(ctx, r.c, []string{key}, Versioned(version, val), max(ttl.Milliseconds(), 1), InvalidationChannel).Int()
	return n == 1, err
}

func (r *Redis) SetNX(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	return r.c.SetNX(ctx, key, "1", ttl).Result()
}

func (r *Redis) Ping(ctx context.Context) error { return r.c.Ping(ctx).Err() }

// Memory is an in-process Cache (sandbox mode, tests, a batch run without
// Redis). Expired entries are dropped when next touched; past a bound on
// the number of values, expired ones are swept and then arbitrary ones
// evicted, so a long run cannot grow it without limit. A
// cache may forget: the caller then computes again.
type Memory struct {
	mu         sync.Mutex
	vals       map[string]entry
	maxEntries int
	now        func() time.Time
}

// DefaultMemoryEntries bounds a Memory from NewMemory: about 100 MB of
// verdicts at the most.
const DefaultMemoryEntries = 200_000

type entry struct {
	val     []byte
	expires time.Time
}

// NewMemory returns an empty in-memory cache holding at most
// DefaultMemoryEntries values.
func NewMemory() *Memory { return NewMemoryLimit(DefaultMemoryEntries) }

// NewMemoryLimit returns an empty in-memory cache holding at most max
// values (max <= 0: DefaultMemoryEntries).
func NewMemoryLimit(max int) *Memory {
	if max <= 0 {
		max = DefaultMemoryEntries
	}
	return &Memory{vals: map[string]entry{}, maxEntries: max, now: time.Now}
}

// makeRoom is called before a new value key is added: at the bound it
// sweeps expired values, then evicts arbitrary ones (Go's map order) until
// a tenth of the room is free, so sweeps stay rare.
func (m *Memory) makeRoom() {
	if len(m.vals) < m.maxEntries {
		return
	}
	for k, e := range m.vals {
		if m.expired(e.expires) {
			delete(m.vals, k)
		}
	}
	for k := range m.vals {
		if len(m.vals) < m.maxEntries-m.maxEntries/10 {
			break
		}
		delete(m.vals, k)
	}
}

func (m *Memory) Get(_ context.Context, key string) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.vals[key]
	if !ok || m.expired(e.expires) {
		delete(m.vals, key)
		return nil, false, nil
	}
	return append([]byte(nil), e.val...), true, nil
}

func (m *Memory) Set(_ context.Context, key string, val []byte, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.vals[key]; !ok {
		m.makeRoom()
	}
	m.vals[key] = entry{val: append([]byte(nil), val...), expires: m.expiry(ttl)}
	return nil
}

func (m *Memory) expiry(ttl time.Duration) time.Time {
	if ttl <= 0 {
		return time.Time{}
	}
	return m.now().Add(ttl)
}

func (m *Memory) expired(at time.Time) bool {
	return !at.IsZero() && !m.now().Before(at)
}

func (m *Memory) Del(_ context.Context, keys ...string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range keys {
		delete(m.vals, k)
	}
	return nil
}

func (m *Memory) MGet(ctx context.Context, keys ...string) ([][]byte, error) {
	out := make([][]byte, len(keys))
	for i, k := range keys {
		out[i], _, _ = m.Get(ctx, k)
	}
	return out, nil
}

func (m *Memory) SetIfNewer(_ context.Context, key string, version []int64, val []byte, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.vals[key]
	if ok && !m.expired(e.expires) {
		if cur, _, ok := ParseVersioned(e.val); ok && compareVersions(version, cur) <= 0 {
			return false, nil
		}
	}
	if !ok {
		m.makeRoom()
	}
	m.vals[key] = entry{val: Versioned(version, val), expires: m.expiry(ttl)}
	return true, nil
}

func (m *Memory) SetNX(_ context.Context, key string, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.vals[key]
	if ok && !m.expired(e.expires) {
		return false, nil
	}
	if !ok {
		m.makeRoom()
	}
	m.vals[key] = entry{val: []byte("1"), expires: m.expiry(ttl)}
	return true, nil
}

func (m *Memory) Ping(context.Context) error { return nil }

var (
	_ Cache = (*Redis)(nil)
	_ Cache = (*Memory)(nil)
)
