package server

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/ownercheck/ownercheck/internal/api"
	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/caller"
)

// keyGauge counts each caller's requests in flight, without a lock: a
// mutex taken twice by every request stalls all of them whenever the
// kernel preempts its holder. A caller id only exists for an accepted API
// key, so the counters are bounded by the configured keys.
type keyGauge struct {
	n sync.Map // caller id → *atomic.Int64
}

func (g *keyGauge) counter(id string) *atomic.Int64 {
	if c, ok := g.n.Load(id); ok {
		return c.(*atomic.Int64)
	}
	c, _ := g.n.LoadOrStore(id, new(atomic.Int64))
	return c.(*atomic.Int64)
}

// acquire takes a slot for id unless it already holds limit.
func (g *keyGauge) acquire(id string, limit int) bool {
	c := g.counter(id)
	if c.Add(1) > int64(limit) {
		c.Add(-1)
		return false
	}
	return true
}

func (g *keyGauge) release(id string) { g.counter(id).Add(-1) }

// inFlight is the number of requests running, all callers together.
func (g *keyGauge) inFlight() int64 {
	var n int64
	g.n.Range(func(_, c any) bool { n += c.(*atomic.Int64).Load(); return true })
	return n
}

func newKeyLimitedCounter(reg prometheus.Registerer) prometheus.Counter {
	c := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "ownercheck_key_limited_total", Help: "Requests refused (429) because their API key had OWNERCHECK_KEY_CONCURRENCY requests in flight.",
	})
	reg.MustRegister(c)
	return c
}

// keyLimitedRetry is the Retry-After of a caller over its cap: a verdict
// takes tens of milliseconds to a few seconds, so a second is about when
// a slot is free again.
const keyLimitedRetry = time.Second

// limitPerKey caps the requests each API key has in flight in this
// process (Deps.KeyConcurrency). Every caller shares one Stripe budget and
// one pool of workers: without a cap, one caller's burst of 20-account
// verdicts queues everyone else's behind it. A concurrency cap rather than
// a rate: it bounds cost whatever each request costs, and a well-behaved
// caller that waits for its answers never meets it. Runs after
// requireAPIKey (it needs the caller id).
func (s *Server) limitPerKey() gin.HandlerFunc {
	return func(c *gin.Context) {
		limit := s.d.KeyConcurrency
		id := caller.ID(c.Request.Context())
		if limit <= 0 || id == "" {
			c.Next()
			return
		}
		if !s.inFlight.acquire(id, limit) {
			s.keyLimited.Inc()
			api.RenderError(c, &apperr.Error{Kind: apperr.KindRateLimited, RetryAfter: keyLimitedRetry,
				Message: "this API key has too many requests in flight; retry after the others finish"})
			return
		}
		defer s.inFlight.release(id)
		c.Next()
	}
}
