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
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Cache is what the verdict service needs of a store.
type Cache interface {
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Set(ctx context.Context, key string, val []byte, ttl time.Duration) error
	Del(ctx context.Context, keys ...string) error
	// AddToSet remembers member under set (an index for invalidation).
	AddToSet(ctx context.Context, set, member string, ttl time.Duration) error
	Members(ctx context.Context, set string) ([]string, error)
	// SetNX sets key when absent and reports whether it did (dedupe).
	SetNX(ctx context.Context, key string, ttl time.Duration) (bool, error)
	Ping(ctx context.Context) error
}

// Keyer derives cache keys: "oc:v1:" + hex(HMAC-SHA256(secret, parts)).
type Keyer struct{ Secret []byte }

// Key hashes the parts (joined with NUL, which no part contains).
func (k Keyer) Key(parts ...string) string {
	m := hmac.New(sha256.New, k.Secret)
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
type Redis struct{ c *redis.Client }

// NewRedis connects lazily to url (redis://…).
func NewRedis(url string) (*Redis, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("parsing REDIS_URL: %w", err)
	}
	opt.DialTimeout = 250 * time.Millisecond
	opt.ReadTimeout = 250 * time.Millisecond
	opt.WriteTimeout = 250 * time.Millisecond
	opt.MaxRetries = 1
	return &Redis{c: redis.NewClient(opt)}, nil
}

func (r *Redis) Close() error { return r.c.Close() }

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
	return r.c.Set(ctx, key, val, ttl).Err()
}

func (r *Redis) Del(ctx context.Context, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	return r.c.Del(ctx, keys...).Err()
}

func (r *Redis) AddToSet(ctx context.Context, set, member string, ttl time.Duration) error {
	pipe := r.c.TxPipeline()
	pipe.SAdd(ctx, set, member)
	pipe.Expire(ctx, set, ttl)
	_, err := pipe.Exec(ctx)
	return err
}

func (r *Redis) Members(ctx context.Context, set string) ([]string, error) {
	return r.c.SMembers(ctx, set).Result()
}

func (r *Redis) SetNX(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	return r.c.SetNX(ctx, key, "1", ttl).Result()
}

func (r *Redis) Ping(ctx context.Context) error { return r.c.Ping(ctx).Err() }

// Memory is an in-process Cache (sandbox mode, tests).
type Memory struct {
	mu   sync.Mutex
	vals map[string]entry
	sets map[string]map[string]bool
	now  func() time.Time
}

type entry struct {
	val     []byte
	expires time.Time
}

// NewMemory returns an empty in-memory cache.
func NewMemory() *Memory {
	return &Memory{vals: map[string]entry{}, sets: map[string]map[string]bool{}, now: time.Now}
}

func (m *Memory) Get(_ context.Context, key string) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.vals[key]
	if !ok || (!e.expires.IsZero() && m.now().After(e.expires)) {
		delete(m.vals, key)
		return nil, false, nil
	}
	return append([]byte(nil), e.val...), true, nil
}

func (m *Memory) Set(_ context.Context, key string, val []byte, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.vals[key] = entry{val: append([]byte(nil), val...), expires: m.expiry(ttl)}
	return nil
}

func (m *Memory) expiry(ttl time.Duration) time.Time {
	if ttl <= 0 {
		return time.Time{}
	}
	return m.now().Add(ttl)
}

func (m *Memory) Del(_ context.Context, keys ...string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range keys {
		delete(m.vals, k)
		delete(m.sets, k)
	}
	return nil
}

func (m *Memory) AddToSet(_ context.Context, set, member string, _ time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sets[set] == nil {
		m.sets[set] = map[string]bool{}
	}
	m.sets[set][member] = true
	return nil
}

func (m *Memory) Members(_ context.Context, set string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for k := range m.sets[set] {
		out = append(out, k)
	}
	return out, nil
}

func (m *Memory) SetNX(_ context.Context, key string, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.vals[key]; ok && (e.expires.IsZero() || m.now().Before(e.expires)) {
		return false, nil
	}
	m.vals[key] = entry{val: []byte("1"), expires: m.expiry(ttl)}
	return true, nil
}

func (m *Memory) Ping(context.Context) error { return nil }

var (
	_ Cache = (*Redis)(nil)
	_ Cache = (*Memory)(nil)
)
