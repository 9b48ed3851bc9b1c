package cache

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/testutil/redistest"
)

// nearPair is two processes on one Redis: a serve replica keeping near
// copies (with its own clock) and another process writing.
type nearPair struct {
	replica, other *Redis
	clock          *fakeClock
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newNearPair(t *testing.T, maxAge time.Duration) nearPair {
	t.Helper()
	url := redistest.URL(t)
	replica, err := NewRedis(url)
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{t: time.Now()}
	replica.EnableNear(maxAge)
	replica.near.now = clock.now
	other, err := NewRedis(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { replica.Close(); other.Close() })
	waitNearUp(t, replica)
	return nearPair{replica: replica, other: other, clock: clock}
}

// waitNearUp waits until r's near copies are in use (subscribed).
func waitNearUp(t *testing.T, r *Redis) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !r.NearInUse(); {
		if time.Now().After(deadline) {
			t.Fatal("the near cache never subscribed")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func mget(t *testing.T, r *Redis, keys ...string) string {
	t.Helper()
	vals, err := r.MGet(context.Background(), keys...)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%q", vals)
}

// eventually polls r until MGet(keys) gives want, for at most a second
// (the near copies here live a minute: only an invalidation explains it).
func eventually(t *testing.T, r *Redis, want string, keys ...string) {
	t.Helper()
	var got string
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if got = mget(t, r, keys...); got == want {
			return
		}
	}
	t.Fatalf("MGet %v = %s, want %s", keys, got, want)
}

// A repeated read is answered from the near copy (a write that bypasses
// the cache, and so publishes nothing, is not seen), and a write by
// another process through the cache ends the copy at once, whatever the
// write: Set, Del, SetIfNewer.
func TestNearDropsOtherProcessesWrites(t *testing.T) {
	ctx := context.Background()
	writes := []struct {
		name  string
		write func(r *Redis, key string) error
		want  string
	}{
		{"set", func(r *Redis, k string) error { return r.Set(ctx, k, []byte("new"), time.Minute) }, `["new" "b"]`},
		{"del", func(r *Redis, k string) error { return r.Del(ctx, k) }, `["" "b"]`},
		{"set if newer", func(r *Redis, k string) error {
			_, err := r.SetIfNewer(ctx, k, []int64{2}, []byte("new"), time.Minute)
			return err
		}, fmt.Sprintf("%q", [][]byte{Versioned([]int64{2}, []byte("new")), []byte("b")})},
	}
	for _, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			p := newNearPair(t, time.Minute)
			ka, kb := "oc:v1:test:near:"+w.name+":a", "oc:v1:test:near:"+w.name+":b"
			// Set up without publishing: a message still on its way would
			// drop the copy the test is about to make.
			for k, v := range map[string][]byte{ka: Versioned([]int64{1}, []byte("a")), kb: []byte("b")} {
				if err := p.other.Client().Set(ctx, k, v, time.Minute).Err(); err != nil {
					t.Fatal(err)
				}
			}
			first := mget(t, p.replica, ka, kb)
			if err := p.replica.Client().Set(ctx, ka, "unpublished", time.Minute).Err(); err != nil {
				t.Fatal(err)
			}
			if got := mget(t, p.replica, ka, kb); got != first {
				t.Fatalf("a repeated read went to Redis: %s, want the near copy %s", got, first)
			}
			if err := w.write(p.other, ka); err != nil {
				t.Fatal(err)
			}
			eventually(t, p.replica, w.want, ka, kb)
		})
	}
}

// A process reads its own writes at once: the write drops its near copy
// before returning, whatever the invalidation message does after.
func TestNearReadsOwnWrites(t *testing.T) {
	ctx := context.Background()
	p := newNearPair(t, time.Minute)
	k := "oc:v1:test:near:own"
	for i := range 200 {
		v := fmt.Sprint(i)
		if err := p.replica.Set(ctx, k, []byte(v), time.Minute); err != nil {
			t.Fatal(err)
		}
		if got := mget(t, p.replica, k); got != fmt.Sprintf("[%q]", v) {
			t.Fatalf("after writing %s: read %s", v, got)
		}
	}
}

// A copy older than maxAge is read again: the bound for a message lost
// while the subscription stayed up.
func TestNearMaxAge(t *testing.T) {
	ctx := context.Background()
	p := newNearPair(t, time.Second)
	k := "oc:v1:test:near:age"
	if err := p.other.Client().Set(ctx, k, "old", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	mget(t, p.replica, k)
	if err := p.other.Client().Set(ctx, k, "lost message", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	p.clock.add(999 * time.Millisecond)
	if got := mget(t, p.replica, k); got != `["old"]` {
		t.Fatalf("within maxAge: %s, want the near copy", got)
	}
	p.clock.add(time.Millisecond)
	if got := mget(t, p.replica, k); got != `["lost message"]` {
		t.Fatalf("at maxAge: %s, want Redis's value", got)
	}
}

// When the subscription drops, messages published meanwhile are lost: the
// replica forgets every copy, and serves none until it is subscribed
// again.
func TestNearForgetsWhenSubscriptionDrops(t *testing.T) {
	ctx := context.Background()
	p := newNearPair(t, time.Minute)
	k := "oc:v1:test:near:drop"
	if err := p.other.Client().Set(ctx, k, "old", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	mget(t, p.replica, k)
	if err := p.other.Client().Set(ctx, k, "written while unsubscribed", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	gen := p.replica.near.gen.Load()
	if err := p.other.Client().Do(ctx, "client", "kill", "type", "pubsub").Err(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); p.replica.near.gen.Load() == gen; time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the replica never noticed its subscription drop")
		}
	}
	if got := mget(t, p.replica, k); got != `["written while unsubscribed"]` {
		t.Fatalf("after the subscription dropped: %s", got)
	}
	waitNearUp(t, p.replica)
	// Back in use: copies are kept and dropped again.
	mget(t, p.replica, k)
	if err := p.other.Set(ctx, k, []byte("after"), time.Minute); err != nil {
		t.Fatal(err)
	}
	eventually(t, p.replica, `["after"]`, k)
}

// Reads racing writes never leave a copy older than the last write: once
// the writer stops, every reader sees its last value.
func TestNearRacingReadsKeepNoStaleCopy(t *testing.T) {
	ctx := context.Background()
	p := newNearPair(t, time.Minute)
	k := "oc:v1:test:near:race"
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					if _, err := p.replica.MGet(ctx, k); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	last := ""
	for i := range 300 {
		last = fmt.Sprint(i)
		w := p.other
		if i%3 == 0 {
			w = p.replica
		}
		if err := w.Set(ctx, k, []byte(last), time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	eventually(t, p.replica, fmt.Sprintf("[%q]", last), k)
	// And it stays so: the copy is the last value, not one a slow reader
	// stored after the last message.
	time.Sleep(50 * time.Millisecond)
	if got := mget(t, p.replica, k); got != fmt.Sprintf("[%q]", last) {
		t.Fatalf("after settling: %s, want %q", got, last)
	}
}

// A Redis user without channel permissions (Redis 7 gives new ACL users
// none: acl-pubsub-default resetchannels) still writes: a refused PUBLISH
// is a lost invalidation, bounded by the near copies' age, not a failed
// write (which would open the verdict service's breaker on every write).
func TestWritesSucceedWithoutPublishPermission(t *testing.T) {
	ctx := context.Background()
	u, err := url.Parse(redistest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	admin, err := NewRedis(u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	user := fmt.Sprintf("oc-nochannels-%d", time.Now().UnixNano())
	if err := admin.Client().Do(ctx, "acl", "setuser", user, "on", ">pw", "~oc:*", "+@all", "resetchannels").Err(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Client().Do(ctx, "acl", "deluser", user) })
	u.User = url.UserPassword(user, "pw")
	r, err := NewRedis(u.String())
	if err != nil {
		t.Fatal(err)
	}
	r.EnableNear(time.Minute)
	defer r.Close()
	k := "oc:v1:test:near:acl"
	if err := r.Set(ctx, k, []byte("a"), time.Minute); err != nil {
		t.Errorf("set: %v", err)
	}
	if wrote, err := r.SetIfNewer(ctx, k, []int64{1}, []byte("b"), time.Minute); err != nil || !wrote {
		t.Errorf("set if newer: wrote %v, %v", wrote, err)
	}
	if got := mget(t, r, k); got != fmt.Sprintf("[%q]", Versioned([]int64{1}, []byte("b"))) {
		t.Errorf("after the writes: %s", got)
	}
	if err := r.Del(ctx, k); err != nil {
		t.Errorf("del: %v", err)
	}
	if r.NearInUse() {
		t.Error("near copies in use without a subscription")
	}
}
