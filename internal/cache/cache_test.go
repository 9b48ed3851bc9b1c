package cache

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/ownercheck/ownercheck/internal/testutil/redistest"
)

// backend is one Cache under test; advance moves its clock (nil when the
// backend's clock cannot be moved, e.g. a real redis-server).
type backend struct {
	name    string
	cache   Cache
	advance func(time.Duration)
}

func backends(t *testing.T) []backend {
	t.Helper()
	real, err := NewRedis(redistest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { real.Close() })
	// The same cases through a replica's near copies: every read after a
	// write of this process must see the write.
	nearby, err := NewRedis(redistest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	nearby.EnableNear(time.Minute)
	t.Cleanup(func() { nearby.Close() })
	waitNearUp(t, nearby)

	mr := miniredis.RunT(t)
	mini, err := NewRedis("redis://" + mr.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mini.Close() })

	mem := NewMemory()
	var mu sync.Mutex
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	mem.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }

	return []backend{
		{"redis", real, nil},
		{"redis with near copies", nearby, nil},
		{"miniredis", mini, mr.FastForward},
		{"memory", mem, func(d time.Duration) { mu.Lock(); clock = clock.Add(d); mu.Unlock() }},
	}
}

// Every implementation passes the same cases; each case gets its own key
// space (a fresh Keyer secret) since the real Redis may be shared.
func TestCaches(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		src        string
		needsClock bool
		run        func(t *testing.T, c Cache, k Keyer, advance func(time.Duration))
	}{
		{"verdict lookups: miss, then hit after Set", false, func(t *testing.T, c Cache, k Keyer, _ func(time.Duration)) {
			key := k.Key("a")
			if v, ok, err := c.Get(ctx, key); ok || err != nil || v != nil {
				t.Fatalf("empty get: %q %v %v", v, ok, err)
			}
			if err := c.Set(ctx, key, []byte("v1"), time.Minute); err != nil {
				t.Fatal(err)
			}
			if err := c.Set(ctx, key, []byte("v2"), time.Minute); err != nil {
				t.Fatal(err)
			}
			if v, ok, err := c.Get(ctx, key); !ok || err != nil || string(v) != "v2" {
				t.Fatalf("get %q %v %v", v, ok, err)
			}
		}},
		{"one round trip: MGet answers nil for a missing key", false, func(t *testing.T, c Cache, k Keyer, _ func(time.Duration)) {
			a, b := k.Key("a"), k.Key("b")
			if err := c.Set(ctx, a, []byte("va"), time.Minute); err != nil {
				t.Fatal(err)
			}
			vals, err := c.MGet(ctx, a, b, a)
			if err != nil || len(vals) != 3 || string(vals[0]) != "va" || vals[1] != nil || string(vals[2]) != "va" {
				t.Fatalf("MGet %q %v", vals, err)
			}
			if err := c.Del(ctx, a); err != nil {
				t.Fatal(err)
			}
			if vals, _ := c.MGet(ctx, a); vals[0] != nil {
				t.Fatal("deleted key still there")
			}
			if err := c.Del(ctx); err != nil {
				t.Fatalf("Del of nothing: %v", err)
			}
		}},
		{"snapshots: an older version never overwrites a newer one", false, func(t *testing.T, c Cache, k Keyer, _ func(time.Duration)) {
			key := k.Key("snap")
			steps := []struct {
				version []int64
				val     string
				wrote   bool
				stored  string
			}{
				{[]int64{100, 1, 0, 5000}, "pending", true, "pending"},
				{[]int64{100, 2, 0, 4000}, "succeeded", true, "succeeded"},     // a finished refresh beats a later read of it pending
				{[]int64{100, 1, 0, 9000}, "pending-late", false, "succeeded"}, // out of order: older state
				{[]int64{100, 2, 0, 4000}, "same", false, "succeeded"},         // equal: kept
				{[]int64{100, 2, 1, 4500}, "disconnected", true, "disconnected"},
				{[]int64{99, 9, 9, 9999}, "older refresh", false, "disconnected"},
				{[]int64{101, 1, 0, 1}, "new refresh", true, "new refresh"},
				{[]int64{101, 1, 0, 1, 1}, "longer", true, "longer"}, // a missing element is 0
			}
			for i, st := range steps {
				wrote, err := c.SetIfNewer(ctx, key, st.version, []byte(st.val), time.Minute)
				if err != nil || wrote != st.wrote {
					t.Fatalf("step %d: wrote %v %v, want %v", i, wrote, err, st.wrote)
				}
				b, ok, _ := c.Get(ctx, key)
				_, val, parsed := ParseVersioned(b)
				if !ok || !parsed || string(val) != st.stored {
					t.Fatalf("step %d: stored %q", i, b)
				}
			}
			// A plain value (no version) is replaced.
			c.Set(ctx, key, []byte("legacy"), time.Minute)
			if wrote, err := c.SetIfNewer(ctx, key, []int64{1}, []byte("x"), time.Minute); !wrote || err != nil {
				t.Fatalf("unversioned value not replaced: %v %v", wrote, err)
			}
		}},
		{"webhook dedupe: SetNX once per event", false, func(t *testing.T, c Cache, k Keyer, _ func(time.Duration)) {
			first, err1 := c.SetNX(ctx, k.Key("evt"), time.Minute)
			second, err2 := c.SetNX(ctx, k.Key("evt"), time.Minute)
			if !first || second || err1 != nil || err2 != nil {
				t.Fatalf("SetNX %v/%v then %v/%v", first, err1, second, err2)
			}
		}},
		{"readyz: Ping", false, func(t *testing.T, c Cache, _ Keyer, _ func(time.Duration)) {
			if err := c.Ping(ctx); err != nil {
				t.Fatal(err)
			}
		}},
		{"TTL: values, snapshots and SetNX markers expire", true, func(t *testing.T, c Cache, k Keyer, advance func(time.Duration)) {
			key, snap, evt := k.Key("a"), k.Key("snap"), k.Key("evt")
			c.Set(ctx, key, []byte("v"), time.Minute)
			c.SetIfNewer(ctx, snap, []int64{5}, []byte("s"), time.Minute)
			c.SetNX(ctx, evt, time.Minute)
			advance(30 * time.Second)
			if _, ok, _ := c.Get(ctx, key); !ok {
				t.Fatal("expired before its TTL")
			}
			advance(31 * time.Second)
			if _, ok, _ := c.Get(ctx, key); ok {
				t.Fatal("value outlived its TTL")
			}
			if _, ok, _ := c.Get(ctx, snap); ok {
				t.Fatal("snapshot outlived its TTL")
			}
			if wrote, _ := c.SetIfNewer(ctx, snap, []int64{1}, []byte("older"), time.Minute); !wrote {
				t.Fatal("an expired snapshot still blocked an older version")
			}
			if again, _ := c.SetNX(ctx, evt, time.Minute); !again {
				t.Fatal("SetNX marker outlived its TTL")
			}
		}},
	}
	for _, b := range backends(t) {
		for i, tc := range cases {
			if tc.needsClock && b.advance == nil {
				continue // a real server's clock cannot move: TestRealRedisWritesCarryTheirTTL
			}
			t.Run(b.name+"/"+tc.src, func(t *testing.T) {
				k := Keyer{Secret: []byte(t.Name() + time.Now().String() + string(rune('a'+i)))}
				tc.run(t, b.cache, k, b.advance)
			})
		}
	}
}

func TestKeysAreHMACs(t *testing.T) {
	a := Keyer{Secret: []byte("one")}.Key("fca_123", "Jane Doe")
	b := Keyer{Secret: []byte("two")}.Key("fca_123", "Jane Doe")
	if a == b || strings.Contains(a, "fca_123") || strings.Contains(strings.ToLower(a), "jane") ||
		!strings.HasPrefix(a, "oc:v1:") || len(a) != len("oc:v1:")+64 {
		t.Fatalf("keys %q %q", a, b)
	}
	k := Keyer{Secret: []byte("one")}
	if k.Key("ab", "c") == k.Key("a", "bc") {
		t.Fatal("part boundaries are not part of the key")
	}
	if k.Key("fca_123", "Jane Doe") != a {
		t.Fatal("same secret and parts gave another key")
	}
}

// A Redis that goes away answers errors (the verdict service then computes
// without the cache) rather than hanging: the short I/O timeouts bound each
// call, and a hang would show as the test timing out.
func TestRedisDownReturnsErrors(t *testing.T) {
	mr := miniredis.RunT(t)
	r, err := NewRedis("redis://" + mr.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx := context.Background()
	if err := r.Ping(ctx); err != nil {
		t.Fatalf("ping before close: %v", err)
	}
	mr.Close()
	checks := map[string]error{"ping": r.Ping(ctx)}
	_, _, checks["get"] = r.Get(ctx, "k")
	checks["set"] = r.Set(ctx, "k", []byte("v"), time.Minute)
	checks["del"] = r.Del(ctx, "k")
	_, checks["mget"] = r.MGet(ctx, "k")
	_, checks["setIfNewer"] = r.SetIfNewer(ctx, "k", []int64{1}, []byte("v"), time.Minute)
	_, checks["setNX"] = r.SetNX(ctx, "k", time.Minute)
	for op, err := range checks {
		if err == nil {
			t.Errorf("%s on a closed Redis succeeded", op)
		}
	}
}

func TestNewRedisRejectsBadURL(t *testing.T) {
	if _, err := NewRedis("http://not-redis"); err == nil {
		t.Fatal("accepted a non-redis URL")
	}
}

// flaky is a Cache whose every call fails (or not) as the test says, and
// which counts the calls that reached it.
type flaky struct {
	Memory
	fail  bool
	calls int
}

func (f *flaky) err() error {
	f.calls++
	if f.fail {
		return errors.New("connection refused")
	}
	return nil
}

func (f *flaky) Get(ctx context.Context, k string) ([]byte, bool, error) {
	if err := f.err(); err != nil {
		return nil, false, err
	}
	return f.Memory.Get(ctx, k)
}

func (f *flaky) Set(ctx context.Context, k string, v []byte, ttl time.Duration) error {
	if err := f.err(); err != nil {
		return err
	}
	return f.Memory.Set(ctx, k, v, ttl)
}

func (f *flaky) Ping(context.Context) error { return f.err() }

// A down Redis costs one failed call per cooldown, not one per call; Ping
// always asks the backend and closes the breaker when it answers.
func TestBreaker(t *testing.T) {
	ctx := context.Background()
	backend := &flaky{Memory: *NewMemory(), fail: true}
	b := NewBreaker(backend, time.Second)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.now = func() time.Time { return clock }

	if _, _, err := b.Get(ctx, "k"); err == nil || errors.Is(err, ErrUnavailable) {
		t.Fatalf("first failure: %v, want the backend's error", err)
	}
	for range 3 {
		if _, _, err := b.Get(ctx, "k"); !errors.Is(err, ErrUnavailable) {
			t.Fatalf("while open: %v", err)
		}
		if err := b.Set(ctx, "k", []byte("v"), time.Minute); !errors.Is(err, ErrUnavailable) {
			t.Fatalf("while open: %v", err)
		}
	}
	if backend.calls != 1 || !b.Open() {
		t.Fatalf("open breaker let %d calls through", backend.calls)
	}
	// After the cooldown one call goes through; it fails, so it reopens.
	clock = clock.Add(time.Second)
	if _, _, err := b.Get(ctx, "k"); errors.Is(err, ErrUnavailable) || backend.calls != 2 || !b.Open() {
		t.Fatalf("after cooldown: %v, %d calls, open %v", err, backend.calls, b.Open())
	}
	// Ping reaches the backend even while open, and its success closes it.
	backend.fail = false
	if err := b.Ping(ctx); err != nil || backend.calls != 3 || b.Open() {
		t.Fatalf("ping: %v, %d calls, open %v", err, backend.calls, b.Open())
	}
	if err := b.Set(ctx, "k", []byte("v"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := b.Get(ctx, "k"); err != nil || !ok || string(v) != "v" {
		t.Fatalf("closed breaker get %q %v %v", v, ok, err)
	}
	// A caller giving up is not the backend failing.
	backend.fail = true
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	b.Get(cancelled, "k")
	if b.Open() {
		t.Fatal("a cancelled caller opened the breaker")
	}
}

// A Redis that accepts connections and never answers (hung, or a network
// black hole) gives errors within the I/O timeouts, and behind a Breaker
// only the first call waits for them.
func TestHungRedis(t *testing.T) {
	r, err := NewRedis("redis://" + redistest.Hung(t))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b := NewBreaker(r, time.Hour)
	ctx := context.Background()
	if _, _, err := b.Get(ctx, "k"); err == nil || errors.Is(err, ErrUnavailable) {
		t.Fatalf("hung Redis get: %v", err)
	}
	if _, _, err := b.Get(ctx, "k"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("second get did not fail fast: %v", err)
	}
}

// The memory cache forgets rather than grows: past its bound, expired
// entries go first, then arbitrary ones, and the newest value is kept.
func TestMemoryBound(t *testing.T) {
	ctx := context.Background()
	m := NewMemoryLimit(10)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m.now = func() time.Time { return clock }
	for i := range 5 {
		m.Set(ctx, fmt.Sprint("short", i), []byte("v"), time.Minute)
	}
	for i := range 5 {
		m.Set(ctx, fmt.Sprint("long", i), []byte("v"), time.Hour)
	}
	clock = clock.Add(2 * time.Minute)
	m.Set(ctx, "new", []byte("v"), time.Hour)
	for i := range 5 {
		if _, ok, _ := m.Get(ctx, fmt.Sprint("long", i)); !ok {
			t.Fatalf("long%d evicted while expired entries could go", i)
		}
	}
	for i := range 100 {
		m.Set(ctx, fmt.Sprint("more", i), []byte("v"), time.Hour)
		m.SetIfNewer(ctx, fmt.Sprint("snap", i), []int64{1}, []byte("x"), time.Hour)
		m.SetNX(ctx, fmt.Sprint("evt", i), time.Hour)
		if len(m.vals) > 10 {
			t.Fatalf("memory cache holds %d values; bound 10", len(m.vals))
		}
	}
	if _, ok, _ := m.Get(ctx, "evt99"); !ok {
		t.Fatal("the newest entry was evicted")
	}
}

// A Keyer that reuses its HMAC states derives the same keys as one that
// does not, call after call.
func TestPooledKeyerSameKeys(t *testing.T) {
	plain, pooled := Keyer{Secret: []byte("s3cret")}, NewKeyer([]byte("s3cret"))
	for i := range 5 {
		parts := []string{"verdict", "fca_1", fmt.Sprint(i)}
		if a, b := plain.Key(parts...), pooled.Key(parts...); a != b {
			t.Fatalf("call %d: %s vs %s", i, a, b)
		}
	}
	if NewKeyer([]byte("other")).Key("verdict") == pooled.Key("verdict") {
		t.Fatal("the secret does not change the key")
	}
}

// The TTL case above moves the clock of miniredis and of the memory cache;
// a real redis-server's cannot be moved, so here it is checked that every
// write carries its TTL (Redis's own expiry does the rest).
func TestRealRedisWritesCarryTheirTTL(t *testing.T) {
	ctx := context.Background()
	r, err := NewRedis(redistest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	k := Keyer{Secret: []byte(t.Name() + time.Now().String())}
	key, snap, evt := k.Key("a"), k.Key("snap"), k.Key("evt")
	if err := r.Set(ctx, key, []byte("v"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetIfNewer(ctx, snap, []int64{5}, []byte("s"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetNX(ctx, evt, time.Minute); err != nil {
		t.Fatal(err)
	}
	for name, k := range map[string]string{"value": key, "snapshot": snap, "SetNX marker": evt} {
		ttl, err := r.Client().PTTL(ctx, k).Result()
		if err != nil || ttl <= 0 || ttl > time.Minute {
			t.Errorf("%s: PTTL %v (%v), want within (0, 1m]", name, ttl, err)
		}
	}
}
