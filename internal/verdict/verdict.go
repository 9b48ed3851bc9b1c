// Package verdict answers "does this identity own these accounts?": it
// reads each account's ownership through the Stripe layer, refreshes it
// when stale, evaluates the owners with the current rules and caches the
// result under a keyed hash.
package verdict

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/singleflight"

	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/identity"
	"github.com/ownercheck/ownercheck/internal/match"
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
	PendingRetry time.Duration // Retry-After while a refresh is pending (default 2s)
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
}

// Service verifies accounts.
type Service struct {
	cfg           Config
	keys          cache.Keyer
	group         singleflight.Group
	cacheOutcomes *prometheus.CounterVec
	cacheErrors   *prometheus.CounterVec
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
	if cfg.HistoryTTL <= 0 {
		cfg.HistoryTTL = 400 * 24 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
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
	s := &Service{cfg: cfg, keys: cache.Keyer{Secret: cfg.Secret}}
	s.cacheOutcomes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ownercheck_verdict_cache_total", Help: "Verdict cache lookups by outcome (hit, miss, error).",
	}, []string{"outcome"})
	s.cacheErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ownercheck_cache_errors_total", Help: "Cache operations that failed or were skipped while the cache was marked down (the verdict was computed without it), by operation.",
	}, []string{"op"})
	if cfg.Registerer != nil {
		cfg.Registerer.MustRegister(s.cacheOutcomes, s.cacheErrors)
	}
	return s
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
	RefreshedAt time.Time     `json:"refreshed_at,omitzero"` // when the ownership data was retrieved
	Cached      bool          `json:"cached"`
	Previous    string        `json:"previous_decision,omitempty"` // last decision for this account and identity before this one
	RetryAfter  time.Duration `json:"-"`
}

// Verdict is the answer for several accounts.
type Verdict struct {
	Status            string           `json:"status"` // decided | pending
	Decision          string           `json:"decision,omitempty"`
	Accounts          []AccountVerdict `json:"accounts"`
	RetryAfterSeconds int              `json:"retry_after_seconds,omitempty"`
	Ruleset           string           `json:"ruleset"`
	Digest            string           `json:"digest"`
	RetryAfter        time.Duration    `json:"-"`
}

// VerifySession verifies the accounts linked to a session.
func (s *Service) VerifySession(ctx context.Context, sessionID string, id identity.Identity, opt Options) (Verdict, error) {
	sess, err := s.cfg.FC.GetSession(ctx, sessionID)
	if err != nil {
		if errors.Is(err, fc.ErrNotFound) {
			return Verdict{}, apperr.Invalid("session", "no such session").WithCause(err)
		}
		return Verdict{}, fmt.Errorf("reading session %s: %w", sessionID, err)
	}
	if len(sess.Accounts) == 0 {
		// 409 rather than 400: the request is right, the user has not
		// finished linking yet (the e2e test pins this).
		return Verdict{}, &apperr.Error{Kind: apperr.KindConflict, Param: "session", Message: "the session has no linked accounts yet"}
	}
	return s.Verify(ctx, sess.Accounts, id, opt)
}

// decisionRank orders decisions for the overall verdict; unverifiable
// accounts are ranked as review (see Verify).
var decisionRank = map[string]int{match.Pass: 0, match.Review: 1, match.Fail: 2}

// Verify verifies accounts: pending while any is pending, else the worst
// decision (fail > review > pass; unverifiable counts as review unless all
// are unverifiable). All accounts are judged by the same rules.
func (s *Service) Verify(ctx context.Context, accountIDs []string, id identity.Identity, opt Options) (Verdict, error) {
	if len(accountIDs) == 0 {
		return Verdict{}, apperr.Invalid("accounts", "no accounts to verify")
	}
	m := s.cfg.Rules.Current()
	v := Verdict{Status: StatusDecided, Ruleset: m.Version(), Digest: m.Digest(), Accounts: make([]AccountVerdict, len(accountIDs))}
	// Accounts are independent: read them concurrently (the answer keeps
	// the request's order). The first error stops the rest.
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.cfg.Parallel)
	for i, acct := range accountIDs {
		g.Go(func() (err error) {
			defer recoverInto(&err)
			v.Accounts[i], err = s.verifyAccount(gctx, m, acct, id, opt)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		rethrow(err)
		return Verdict{}, err
	}
	worst, unverifiable := "", 0
	for _, av := range v.Accounts {
		d := av.Decision
		switch av.Status {
		case StatusPending:
			v.Status = StatusPending
			v.RetryAfter = max(v.RetryAfter, av.RetryAfter)
			continue
		case StatusUnverifiable:
			unverifiable++
			d = match.Review
		}
		if worst == "" || decisionRank[d] > decisionRank[worst] {
			worst = d
		}
	}
	switch {
	case v.Status == StatusPending:
		v.RetryAfterSeconds = int((v.RetryAfter + time.Second - 1) / time.Second)
	case unverifiable == len(v.Accounts):
		v.Decision = match.Unverifiable
	default:
		v.Decision = worst
	}
	return v, nil
}

// VerifyAccount verifies one account. Concurrent identical calls (same
// account, identity, rules and options) share one set of Stripe calls.
func (s *Service) VerifyAccount(ctx context.Context, accountID string, id identity.Identity, opt Options) (AccountVerdict, error) {
	av, err := s.verifyAccount(ctx, s.cfg.Rules.Current(), accountID, id, opt)
	rethrow(err)
	return av, err
}

// panicked carries a panic out of a goroutine doing shared or parallel
// work. Left alone there it would kill the process; carried back, it is
// raised again on the caller's goroutine (where gin's recovery answers
// 500), with the stack of the original panic.
type panicked struct {
	value any
	stack []byte
}

func (p *panicked) Error() string { return fmt.Sprintf("panic: %v\n\n%s", p.value, p.stack) }

// recoverInto turns a panic of the deferring goroutine into *err.
func recoverInto(err *error) {
	if v := recover(); v != nil {
		if p, ok := v.(*panicked); ok { // already carried once
			*err = p
			return
		}
		*err = &panicked{value: v, stack: debug.Stack()}
	}
}

// rethrow raises a carried panic again.
func rethrow(err error) {
	var p *panicked
	if errors.As(err, &p) {
		panic(p)
	}
}

func (s *Service) verifyAccount(ctx context.Context, m *match.Matcher, accountID string, id identity.Identity, opt Options) (AccountVerdict, error) {
	if err := ctx.Err(); err != nil {
		return AccountVerdict{}, err
	}
	fp := id.Fingerprint()
	fpHex := hex.EncodeToString(fp[:])
	// The flight key stays in memory; it never reaches Redis or a log.
	flight := strings.Join([]string{accountID, fpHex, m.Digest(), strconv.Itoa(int(opt.Refresh)), strconv.FormatBool(opt.SkipCacheRead)}, "\x00")
	// The shared work must not fail every waiter when the caller that
	// started it goes away, so it runs without that caller's cancellation
	// (Stripe calls are bounded by their own timeouts); each waiter still
	// stops waiting when its own context ends.
	work := context.WithoutCancel(ctx)
	ch := s.group.DoChan(flight, func() (_ any, err error) {
		defer recoverInto(&err)
		return s.evaluate(work, m, accountID, id, fpHex, opt)
	})
	select {
	case <-ctx.Done():
		return AccountVerdict{}, ctx.Err()
	case r := <-ch:
		if r.Err != nil {
			return AccountVerdict{}, r.Err
		}
		av := r.Val.(AccountVerdict)
		if av.Result != nil && r.Shared {
			res := *av.Result // each caller gets its own Result
			av.Result = &res
		}
		return av, nil
	}
}

// evaluate reads the account, refreshes it or decides.
func (s *Service) evaluate(ctx context.Context, m *match.Matcher, accountID string, id identity.Identity, fpHex string, opt Options) (AccountVerdict, error) {
	acct, err := s.cfg.FC.GetAccount(ctx, accountID)
	if err != nil {
		if errors.Is(err, fc.ErrNotFound) {
			return AccountVerdict{}, apperr.Invalidf("accounts", "no such account %s", accountID).WithCause(err)
		}
		return AccountVerdict{}, fmt.Errorf("reading account %s: %w", accountID, err)
	}
	out := AccountVerdict{Account: acct.ID}
	unverifiable := func(reason, text string) (AccountVerdict, error) {
		out.Status, out.Reason, out.Decision = StatusUnverifiable, reason, match.Unverifiable
		out.Result = &match.Result{Decision: match.Unverifiable, Owner: -1, Flags: map[string]bool{}, Reasons: []string{text}, Rule: reason, Ruleset: m.Version(), Digest: m.Digest()}
		return out, nil
	}
	pending := func(reason string) (AccountVerdict, error) {
		out.Status, out.Reason, out.RetryAfter = StatusPending, reason, s.cfg.PendingRetry
		return out, nil
	}
	switch acct.Status {
	case fc.AccountInactive:
		return unverifiable("account_inactive", "the account is inactive: its ownership cannot be refreshed")
	case fc.AccountDisconnected:
		return unverifiable("account_disconnected", "the account was disconnected by its owner")
	}
	now := s.cfg.Now()
	r := acct.Refresh
	if r != nil && r.Status == fc.RefreshPending {
		return pending("refresh_pending")
	}
	if s.wantsRefresh(acct, opt, now) {
		if r == nil || !now.Before(r.NextAvailableAt) {
			if _, err := s.cfg.FC.RefreshOwnership(ctx, acct.ID); err != nil {
				return AccountVerdict{}, fmt.Errorf("refreshing ownership of %s: %w", acct.ID, err)
			}
			return pending("refresh_started")
		}
		// Not allowed yet: decide on the data we have, if any.
	}
	switch {
	case r == nil:
		return unverifiable("never_refreshed", "the account's ownership has never been retrieved")
	case r.Status == fc.RefreshFailed:
		return unverifiable("refresh_failed", "the bank could not provide ownership data")
	case acct.OwnershipID == "":
		return unverifiable("no_ownership", "the account has no ownership data")
	}
	out.RefreshedAt = r.LastAttemptedAt
	key := s.keys.Key("verdict", acct.ID, acct.OwnershipID, fpHex, m.Digest())
	lastKey := s.keys.Key("last", acct.ID, fpHex)

	if b, ok, err := s.cfg.Cache.Get(ctx, lastKey); err != nil {
		s.cacheError("get_last", acct.ID, err)
	} else if ok {
		out.Previous = string(b)
	}
	var res match.Result
	if !opt.SkipCacheRead {
		b, ok, err := s.cfg.Cache.Get(ctx, key)
		switch {
		case err != nil:
			s.cacheError("get", acct.ID, err)
		case !ok:
		case json.Unmarshal(b, &res) != nil:
			s.cacheError("decode", acct.ID, errors.New("cached verdict does not decode"))
		default:
			s.cacheOutcomes.WithLabelValues("hit").Inc()
			out.Status, out.Decision, out.Result, out.Cached = StatusDecided, res.Decision, &res, true
			return out, nil
		}
	}
	s.cacheOutcomes.WithLabelValues("miss").Inc()
	owners, err := s.cfg.FC.ListOwners(ctx, acct.ID, acct.OwnershipID)
	if err != nil {
		return AccountVerdict{}, fmt.Errorf("listing owners of %s: %w", acct.ID, err)
	}
	res = m.Evaluate(id, owners)
	if res.Decision == match.Unverifiable {
		// Not cached: the next request asks the bank's data again.
		return unverifiable("no_owners", "the bank returned no owners for the account")
	}
	b, err := json.Marshal(res)
	if err != nil {
		return AccountVerdict{}, fmt.Errorf("encoding the verdict of %s: %w", acct.ID, err)
	}
	if err := s.cfg.Cache.Set(ctx, key, b, s.cfg.TTL); err != nil {
		s.cacheError("set", acct.ID, err)
	} else if err := s.cfg.Cache.AddToSet(ctx, s.keys.Key("account", acct.ID), key, s.cfg.TTL); err != nil {
		s.cacheError("index", acct.ID, err)
	}
	if err := s.cfg.Cache.Set(ctx, lastKey, []byte(res.Decision), s.cfg.HistoryTTL); err != nil {
		s.cacheError("set_last", acct.ID, err)
	}
	out.Status, out.Decision, out.Result = StatusDecided, res.Decision, &res
	return out, nil
}

// wantsRefresh applies the refresh policy to a non-pending account.
func (s *Service) wantsRefresh(acct *fc.Account, opt Options, now time.Time) bool {
	r := acct.Refresh
	switch opt.Refresh {
	case RefreshNever:
		return false
	case RefreshIfAllowed:
		return true
	}
	return r == nil || (r.Status == fc.RefreshSucceeded && now.Sub(r.LastAttemptedAt) > s.cfg.StaleAfter)
}

// cacheError notes a cache failure: the request goes on without the cache.
// Only the account id and the error are logged, never identity data (keys
// and values are not logged either). Calls the breaker skipped are counted
// but not logged: the failure that opened it was.
func (s *Service) cacheError(op, account string, err error) {
	if op == "get" {
		s.cacheOutcomes.WithLabelValues("error").Inc()
	}
	s.cacheErrors.WithLabelValues(op).Inc()
	if errors.Is(err, cache.ErrUnavailable) {
		return
	}
	s.cfg.Logger.Warn("verdict cache unavailable; computing without it", "op", op, "account", account, "error", err.Error())
}

// InvalidateAccount forgets every cached verdict of an account (webhooks).
func (s *Service) InvalidateAccount(ctx context.Context, accountID string) error {
	set := s.keys.Key("account", accountID)
	keys, err := s.cfg.Cache.Members(ctx, set)
	if err != nil {
		return fmt.Errorf("listing cached verdicts of %s: %w", accountID, err)
	}
	if err := s.cfg.Cache.Del(ctx, append(keys, set)...); err != nil {
		return fmt.Errorf("deleting cached verdicts of %s: %w", accountID, err)
	}
	return nil
}

// CacheHealth reports whether the cache answers.
func (s *Service) CacheHealth(ctx context.Context) error { return s.cfg.Cache.Ping(ctx) }
