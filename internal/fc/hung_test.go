package fc

import (
	"context"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/testutil/redistest"
	"github.com/redis/go-redis/v9"
)

// When Redis hangs, the requests already queued for the process's Redis
// poller (the gate) must not each spend a Redis timeout in turn once the
// first has found Redis down: they fall back to the local share like
// every later request, rather than running out of their wait and failing
// with a 503 while the local budget has room.
func TestSharedQueuedWaitersFallBackTogetherWhenRedisHangs(t *testing.T) {
	// The client options of cache.NewRedis: 200ms I/O timeouts, one retry.
	rdb := redis.NewClient(&redis.Options{Addr: redistest.Hung(t), DialTimeout: 200 * time.Millisecond,
		ReadTimeout: 200 * time.Millisecond, WriteTimeout: 200 * time.Millisecond, MaxRetries: 1, DialerRetries: 1})
	t.Cleanup(func() { rdb.Close() })
	l := NewShared(SharedConfig{Redis: rdb, StripeKey: budgetName(t), RPS: 100, Replicas: 1, MaxWait: 2 * time.Second})
	const n = 20 // 0.2s of requests at the local 100/s
	errs := make(chan error, n)
	start := time.Now()
	for range n {
		go func() { errs <- l.Wait(context.Background(), Interactive) }()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Errorf("wait with Redis hanging: %v (after %v)", err, time.Since(start).Round(time.Millisecond))
		}
	}
	if !l.Local() {
		t.Error("not on the local fallback with Redis hanging")
	}
}
