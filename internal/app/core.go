package app

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/config"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/sandbox"
	"github.com/ownercheck/ownercheck/internal/verdict"
)

// core is what serve and reverify share, built by one function: the
// Stripe client with its limiter (the fleet's budget with Redis), the
// cache, the verdict service.
type core struct {
	fc        *fc.Stripe
	cache     cache.Cache
	cacheKind string // "redis" or "memory"
	verdicts  *verdict.Service
	closers   []io.Closer
}

// coreOptions is what differs between the commands.
type coreOptions struct {
	stripeKey, apiBase string // after sandbox substitution
	priority           fc.Priority
	pendingRetry       time.Duration
	pendingRecheck     time.Duration // how long a pending snapshot is trusted before Stripe is read again
	log                *slog.Logger
	reg                prometheus.Registerer
	shadow             verdict.ShadowRules // serve's shadow rules; nil for batch jobs
	// near is how long the process keeps what it read from Redis (serve's
	// OWNERCHECK_NEAR_CACHE; 0 for batch jobs, which read each account once).
	near time.Duration
}

// buildCore wires the verdict service. cfg must have passed CheckFleet and
// Finish.
func buildCore(cfg config.Config, rules *match.Store, o coreOptions) (c *core, err error) {
	c = &core{cache: cache.NewMemory(), cacheKind: "memory"}
	var rdb *cache.Redis
	if cfg.RedisURL != "" {
		if rdb, err = cache.NewRedis(cfg.RedisURL); err != nil {
			return nil, err
		}
		rdb.EnableNear(o.near)
		if o.near > 0 {
			o.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "ownercheck_cache_near_in_use", Help: "1 while this replica answers repeated verdicts from its near copies (subscribed to the invalidation channel), 0 while every read goes to Redis.",
			}, func() float64 { return b2f(rdb.NearInUse()) }))
		}
		c.cache, c.cacheKind = rdb, "redis"
		c.closers = append(c.closers, rdb)
	}
	stripeCalls := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ownercheck_stripe_requests_total", Help: "Stripe API attempts by HTTP status (0 = transport error or timeout).",
	}, []string{"status"})
	stripeLatency := prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "ownercheck_stripe_request_duration_seconds", Help: "Latency of Stripe API attempts.",
		Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	})
	o.reg.MustRegister(stripeCalls, stripeLatency)
	sc := fc.StripeConfig{SecretKey: o.stripeKey, APIBase: o.apiBase, RPS: cfg.StripeRPS, Priority: o.priority,
		Limiter: newLimiter(cfg, o, rdb), SessionFilters: sessionFilters(cfg),
		Observe: func(status int, d time.Duration) {
			stripeCalls.WithLabelValues(strconv.Itoa(status)).Inc()
			stripeLatency.Observe(d.Seconds())
		}}
	if c.fc, err = fc.NewStripe(sc); err != nil {
		c.close()
		return nil, fmt.Errorf("building the Stripe client: %w", err)
	}
	c.verdicts = verdict.New(verdict.Config{FC: c.fc, Rules: rules, Cache: c.cache, Secret: []byte(cfg.CacheSecret),
		TTL: cfg.CacheTTL, StaleAfter: cfg.StaleAfter, SnapshotTTL: cfg.SnapshotTTL, PendingRetry: o.pendingRetry, PendingRecheck: o.pendingRecheck,
		Logger: o.log.With("component", "verdict"), Registerer: o.reg, Shadow: o.shadow})
	return c, nil
}

// newLimiter is the Stripe budget: with Redis, one for the whole fleet on
// the key (STRIPE_RPS in total); without, this process's (STRIPE_RPS).
func newLimiter(cfg config.Config, o coreOptions, rdb *cache.Redis) fc.Limiter {
	fallback := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "ownercheck_stripe_limiter_local",
		Help: "1 while Stripe requests are paced locally at STRIPE_RPS/OWNERCHECK_REPLICAS because the shared budget in Redis is unreachable.",
	})
	fallbacks := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "ownercheck_stripe_limiter_fallbacks_total", Help: "Times the Stripe limiter fell back from the shared budget to local pacing.",
	})
	o.reg.MustRegister(fallback, fallbacks)
	wait := cfg.Fleet.StripeWait
	if rdb == nil {
		if o.priority == fc.Batch {
			wait = time.Minute // nobody waits on a batch row
		}
		return fc.NewLocal(cfg.StripeRPS, 1, wait)
	}
	return fc.NewShared(fc.SharedConfig{Redis: rdb.Client(), StripeKey: o.stripeKey, RPS: cfg.StripeRPS,
		BatchShare: cfg.Fleet.BatchShare, Replicas: cfg.Fleet.Replicas, MaxWait: wait,
		OnFallback: func(local bool) {
			if local {
				fallback.Set(1)
				fallbacks.Inc()
				o.log.Warn("Stripe budget: Redis unreachable; pacing locally", "rps", cfg.StripeRPS/float64(cfg.Fleet.Replicas))
				return
			}
			fallback.Set(0)
			o.log.Info("Stripe budget: back on the shared budget in Redis", "rps", cfg.StripeRPS)
		}})
}

func (c *core) close() error {
	var errs []error
	for i := len(c.closers) - 1; i >= 0; i-- {
		if err := c.closers[i].Close(); err != nil && !errors.Is(err, net.ErrClosed) && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	}
	c.closers = nil
	return errors.Join(errs...)
}

// finish checks and completes cfg the same way for every command.
func finish(cfg *config.Config) error {
	if err := errors.Join(cfg.CheckFleet(), cfg.Finish()); err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	return nil
}

// Batch is the verdict service as reverify uses it.
type Batch struct {
	Verdicts *verdict.Service
	Config   config.Config // finished
	core     *core
}

// Stats are the Stripe client's request counts.
func (b *Batch) Stats() fc.TransportStats { return b.core.fc.Stats() }

// Close releases what NewBatch opened.
func (b *Batch) Close() error { return b.core.close() }

// NewBatch builds the verdict service for a batch job: the same wiring as
// serve, at batch priority on the Stripe budget. Without a Stripe key it
// starts the offline sandbox on a loopback port.
func NewBatch(cfg config.Config, log *slog.Logger) (*Batch, error) {
	if err := cfg.FinishBatch(); err != nil {
		return nil, fmt.Errorf("configuration:\n%w", err)
	}
	rules, err := match.NewStore(cfg.RulesDir)
	if err != nil {
		return nil, fmt.Errorf("loading rules:\n%w", err)
	}
	o := coreOptions{stripeKey: cfg.StripeSecretKey, apiBase: cfg.StripeAPIBase, priority: fc.Batch, log: log, reg: prometheus.NewRegistry()}
	var emuSrv *http.Server
	if cfg.Sandbox() {
		emu, err := sandbox.New(sandbox.Config{PendingFor: cfg.SandboxPending})
		if err != nil {
			return nil, err
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		emuSrv = &http.Server{Handler: emu}
		go emuSrv.Serve(ln)
		o.stripeKey, o.apiBase = "sk_test_sandbox", "http://"+ln.Addr().String()
		o.pendingRetry = cfg.SandboxPending // poll the in-process sandbox at its own pace
		log.Info("SANDBOX MODE: no STRIPE_SECRET_KEY, verifying against the offline sandbox (fca_gen_<n> accounts exist)")
	}
	c, err := buildCore(cfg, rules, o)
	if err != nil {
		if emuSrv != nil {
			emuSrv.Close()
		}
		return nil, err
	}
	if emuSrv != nil {
		c.closers = append([]io.Closer{emuSrv}, c.closers...)
	}
	return &Batch{Verdicts: c.verdicts, Config: cfg, core: c}, nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
