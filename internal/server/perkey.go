package server

import (
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/ownercheck/ownercheck/internal/api"
	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/caller"
)

// keyGauge counts each caller's requests in flight. It holds only callers
// with a request running, so its size is bounded by the configured keys.
type keyGauge struct {
	mu sync.Mutex
	n  map[string]int
}

// acquire takes a slot for id unless it already holds limit.
func (g *keyGauge) acquire(id string, limit int) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.n == nil {
		g.n = map[string]int{}
	}
	if g.n[id] >= limit {
		return false
	}
	g.n[id]++
	return true
}

func (g *keyGauge) release(id string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.n[id]--; g.n[id] <= 0 {
		delete(g.n, id)
	}
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
