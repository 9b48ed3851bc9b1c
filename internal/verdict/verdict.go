// Package verdict answers "does this identity own these accounts?": it
// keeps each account's state (a snapshot, written from every Stripe read
// and webhook), refreshes ownership when stale, evaluates the owners with
// the current rules and caches the result under a keyed hash. A verdict
// already decided against an account's current snapshot costs no Stripe
// call; any other costs at most one per account (one per session).
package verdict

import (
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"

	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/signals"
)

// Account verdict statuses.
const (
	StatusDecided      = "decided"
	StatusPending      = "pending"
	StatusUnverifiable = "unverifiable"
)

// RefreshPolicy says when VerifyAccount starts an ownership refresh.
type RefreshPolicy int

const (
	// RefreshIfStale refreshes never-refreshed data and data older than
	// StaleAfter (the service's default).
	RefreshIfStale RefreshPolicy = iota
	// RefreshIfAllowed refreshes whenever next_refresh_available_at allows
	// (batch re-verification).
	RefreshIfAllowed
	// RefreshNever uses the current data (polling a pending refresh,
	// --no-refresh).
	RefreshNever
)

// Options tune one verification.
type Options struct {
	Refresh       RefreshPolicy
	SkipCacheRead bool
}

// Rules is where the current matcher comes from (*match.Store).
type Rules interface{ Current() *match.Matcher }

// Config wires a Service.
type Config struct {
	FC           fc.Client
	Rules        Rules
	Cache        cache.Cache
	Secret       []byte        // HMAC key of cache keys
	TTL          time.Duration // verdict cache TTL (default 24h)
	StaleAfter   time.Duration // refresh ownership older than this (default 30 days)
	PendingRetry time.Duration // first Retry-After while a refresh is pending (default 2s; grows 2.5x after 10s, 5x after 60s)
	// SnapshotTTL bounds how long an account's stored state is trusted
	// without a webhook replacing it (default 1h): the worst-case
	// staleness of a verdict when a webhook is lost.
	SnapshotTTL time.Duration
	// PendingRecheck is how long a pending snapshot is answered from
	// the cache before Stripe is asked again (default 15s), so a lost
	// refreshed_ownership webhook delays a verdict, never blocks it.
	PendingRecheck time.Duration
	// RefreshLock is the TTL of the cross-replica lock that lets one
	// process start an account's refresh (default 5s: shorter than a
	// refresh, which the snapshot then shows pending).
	RefreshLock time.Duration
	// MaxAccounts caps the accounts of one verdict (default 20).
	MaxAccounts int
	// HistoryTTL is how long the last decision per account and identity is
	// kept for Previous (default 400 days: longer than any re-verification
	// cycle, short enough that abandoned entries leave Redis).
	HistoryTTL time.Duration
	// CacheCooldown is how long the cache is left alone after it failed
	// (default 2s): a down or hung Redis then costs one timeout per
	// cooldown, not several per verdict. Cache is wrapped in a
	// cache.Breaker with it unless it is one already.
	CacheCooldown time.Duration
	// Parallel bounds how many accounts of one Verify are read at once
	// (default 4; the Stripe client's limiter paces them anyway).
	Parallel   int
	Logger     *slog.Logger
	Now        func() time.Time
	Registerer prometheus.Registerer // optional
	// Shadow, when set, decides every decided account again with a
	// second ruleset after the answer is computed (never changing it).
	Shadow ShadowRules
	// Signals counts account and identity reuse (default: signals.For
	// the Cache: Redis's when it is Redis, else this process's memory).
	Signals signals.Store
}

// Service verifies accounts.
type Service struct {
	cfg           Config
	keys          cache.Keyer
	group         singleflight.Group
	cacheOutcomes *prometheus.CounterVec
	cacheErrors   *prometheus.CounterVec
	shadowSkipped prometheus.Counter
	decisions     *prometheus.CounterVec // ownercheck_verdicts_total{decision,rule}
	snapshots     *memo[snapshot]
	verdicts      *memo[cachedVerdict]
	customerTags  *memo[string] // the HMAC tag of each bound customer (an HMAC per request otherwise)
	breaker       *cache.Breaker
	combined      loadObserver // nil unless signals live on the cache's Redis
	subjects      subjectMemo
	keyMemo       keyMemo
}

// New builds a Service.
func New(cfg Config) *Service {
	if cfg.TTL <= 0 {
		cfg.TTL = 24 * time.Hour
	}
	if cfg.StaleAfter <= 0 {
		cfg.StaleAfter = 30 * 24 * time.Hour
	}
	if cfg.PendingRetry <= 0 {
		cfg.PendingRetry = 2 * time.Second
	}
	if cfg.SnapshotTTL <= 0 {
		cfg.SnapshotTTL = time.Hour
	}
	if cfg.PendingRecheck <= 0 {
		cfg.PendingRecheck = 15 * time.Second
	}
	if cfg.RefreshLock <= 0 {
		cfg.RefreshLock = 5 * time.Second
	}
	if cfg.MaxAccounts <= 0 {
		cfg.MaxAccounts = 20
	}
	if cfg.HistoryTTL <= 0 {
		cfg.HistoryTTL = 400 * 24 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	var combined loadObserver
	if cfg.Signals == nil {
		cfg.Signals = signals.For(cfg.Cache)
		// Counts on the cache's own Redis: read with the cache.
		combined, _ = cfg.Signals.(loadObserver)
	}
	if _, ok := cfg.Cache.(*cache.Breaker); !ok {
		cfg.Cache = cache.NewBreaker(cfg.Cache, cfg.CacheCooldown)
	}
	if cfg.Parallel <= 0 {
		cfg.Parallel = 4
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{cfg: cfg, keys: cache.NewKeyer(cfg.Secret), snapshots: newMemo[snapshot](memoEntries), verdicts: newMemo[cachedVerdict](memoEntries),
		customerTags: newMemo[string](memoEntries),
		breaker:      cfg.Cache.(*cache.Breaker), combined: combined}
	s.cacheOutcomes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ownercheck_verdict_cache_total", Help: "Verdict cache lookups by outcome (hit, miss, error).",
	}, []string{"outcome"})
	s.cacheErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ownercheck_cache_errors_total", Help: "Cache operations that failed or were skipped while the cache was marked down (the verdict was computed without it), by operation.",
	}, []string{"op"})
	s.shadowSkipped = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "ownercheck_shadow_skipped_total", Help: "Cached account verdicts the shadow rules could not decide: they compare owners differently and the verdict was cached without their comparison.",
	})
	s.decisions = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ownercheck_verdicts_total", Help: "Account verdicts answered (cached or not) by decision and deciding rule (a rule name of rules/policy.yaml, or the reason an account is unverifiable).",
	}, []string{"decision", "rule"})
	if cfg.Registerer != nil {
		cfg.Registerer.MustRegister(s.cacheOutcomes, s.cacheErrors, s.decisions, s.shadowSkipped)
	}
	return s
}

// count adds an answered verdict's accounts to ownercheck_verdicts_total
// (pending accounts have no decision yet and are not counted).
func (s *Service) count(v Verdict, err error) {
	if err != nil {
		return
	}
	for i := range v.Accounts {
		if av := &v.Accounts[i]; av.Decision != "" && av.Result != nil {
			s.decisions.WithLabelValues(av.Decision, av.Rule).Inc()
		}
	}
}

// AccountVerdict is one account's answer. The embedded match.Result (nil
// while pending) carries scores, flags, reasons, rule, ruleset and digest
// (flattened in JSON); it holds no raw owner data.
type AccountVerdict struct {
	Account string `json:"account"`
	Status  string `json:"status"` // decided | pending | unverifiable
	// Decision is Result.Decision, "" while pending. It shadows the
	// embedded field in JSON, which carries the same value.
	Decision string `json:"decision,omitempty"`
	Reason   string `json:"reason,omitempty"` // why pending or unverifiable
	*match.Result
	RefreshedAt time.Time `json:"refreshed_at,omitzero"` // when the ownership data was retrieved
	// AccountStatus is "inactive" when the account was decided on the
	// ownership refreshed before it became inactive (Stripe keeps that
	// data readable; it cannot be refreshed).
	AccountStatus string `json:"account_status,omitempty"`
	Cached        bool   `json:"cached"`
	Previous      string `json:"previous_decision,omitempty"` // last decision for this account and identity before this one
	// Signals are the reuse counts the decision saw (decided accounts).
	Signals    *match.Signals `json:"signals,omitempty"`
	RetryAfter time.Duration  `json:"-"`
}

// Verdict is the answer for several accounts.
type Verdict struct {
	// ID names this answer in logs (shadow disagreements); "vrd_" and
	// random hex, no data.
	ID                string           `json:"id"`
	Status            string           `json:"status"` // decided | pending
	Decision          string           `json:"decision,omitempty"`
	Accounts          []AccountVerdict `json:"accounts"`
	RetryAfterSeconds int              `json:"retry_after_seconds,omitempty"`
	Ruleset           string           `json:"ruleset"`
	Digest            string           `json:"digest"`
	RetryAfter        time.Duration    `json:"-"`
}
