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
	"time"

	"github.com/prometheus/client_golang/prometheus"
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
	Logger       *slog.Logger
	Now          func() time.Time
	Registerer   prometheus.Registerer
}

// Service verifies accounts.
type Service struct {
	cfg           Config
	keys          cache.Keyer
	group         singleflight.Group
	cacheOutcomes *prometheus.CounterVec
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
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{cfg: cfg, keys: cache.Keyer{Secret: cfg.Secret}}
	s.cacheOutcomes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ownercheck_verdict_cache_total", Help: "Verdict cache lookups by outcome (hit, miss, error).",
	}, []string{"outcome"})
	if cfg.Registerer != nil {
		cfg.Registerer.MustRegister(s.cacheOutcomes)
	}
	return s
}

// AccountVerdict is one account's answer. The embedded match.Result (nil
// while pending) carries decision, scores, flags, reasons, rule, ruleset
// and digest; it holds no raw owner data.
type AccountVerdict struct {
	Account string `json:"account"`
	Status  string `json:"status"`
	Reason  string `json:"reason,omitempty"` // why pending or unverifiable
	*match.Result
	RefreshedAt *time.Time    `json:"refreshed_at,omitempty"`
	Cached      bool          `json:"cached"`
	Previous    string        `json:"previous_decision,omitempty"`
	RetryAfter  time.Duration `json:"-"`
}

// Decision is the account's decision ("" while pending).
func (v AccountVerdict) Decision() string {
	if v.Result == nil {
		return ""
	}
	return v.Result.Decision
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
			return Verdict{}, apperr.Invalid("session", "no such session")
		}
		return Verdict{}, fmt.Errorf("reading session %s: %w", sessionID, err)
	}
	if len(sess.Accounts) == 0 {
		return Verdict{}, &apperr.Error{Kind: apperr.KindConflict, Param: "session", Message: "the session has no linked accounts yet"}
	}
	return s.Verify(ctx, sess.Accounts, id, opt)
}

// Verify verifies accounts: pending while any is pending, else the worst
// decision (fail > review > pass; unverifiable counts as review unless all
// are unverifiable).
func (s *Service) Verify(ctx context.Context, accountIDs []string, id identity.Identity, opt Options) (Verdict, error) {
	m := s.cfg.Rules.Current()
	v := Verdict{Status: StatusDecided, Ruleset: m.Version(), Digest: m.Digest()}
	rank := map[string]int{match.Pass: 0, match.Unverifiable: 1, match.Review: 1, match.Fail: 2}
	worst, unverifiable := "", 0
	for _, acct := range accountIDs {
		av, err := s.VerifyAccount(ctx, acct, id, opt)
		if err != nil {
			return Verdict{}, err
		}
		v.Accounts = append(v.Accounts, av)
		switch av.Status {
		case StatusPending:
			v.Status = StatusPending
			v.RetryAfter = max(v.RetryAfter, av.RetryAfter)
		case StatusUnverifiable:
			unverifiable++
		}
		d := av.Decision()
		if av.Status == StatusUnverifiable {
			d = match.Review
		}
		if d != "" && (worst == "" || rank[d] > rank[worst]) {
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

// VerifyAccount verifies one account.
func (s *Service) VerifyAccount(ctx context.Context, accountID string, id identity.Identity, opt Options) (AccountVerdict, error) {
	m := s.cfg.Rules.Current()
	acct, err := s.cfg.FC.GetAccount(ctx, accountID)
	if err != nil {
		if errors.Is(err, fc.ErrNotFound) {
			return AccountVerdict{}, apperr.Invalidf("accounts", "no such account %s", accountID)
		}
		return AccountVerdict{}, fmt.Errorf("reading account %s: %w", accountID, err)
	}
	out := AccountVerdict{Account: acct.ID}
	unverifiable := func(reason, text string) (AccountVerdict, error) {
		out.Status, out.Reason = StatusUnverifiable, reason
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
	refreshed := r.LastAttemptedAt
	out.RefreshedAt = &refreshed
	fp := id.Fingerprint()
	key := s.keys.Key("verdict", acct.ID, acct.OwnershipID, hex.EncodeToString(fp[:]), m.Digest())
	lastKey := s.keys.Key("last", acct.ID, hex.EncodeToString(fp[:]))

	type computed struct {
		result   match.Result
		cached   bool
		previous string
	}
	sfKey := key
	if opt.SkipCacheRead {
		sfKey += ":fresh"
	}
	v, err, _ := s.group.Do(sfKey, func() (any, error) {
		var c computed
		if !opt.SkipCacheRead {
			if b, ok, err := s.cfg.Cache.Get(ctx, key); err != nil {
				s.cacheError("get", acct.ID, err)
			} else if ok && json.Unmarshal(b, &c.result) == nil {
				s.cacheOutcomes.WithLabelValues("hit").Inc()
				c.cached = true
			}
		}
		if b, ok, err := s.cfg.Cache.Get(ctx, lastKey); err == nil && ok {
			c.previous = string(b)
		}
		if c.cached {
			return c, nil
		}
		s.cacheOutcomes.WithLabelValues("miss").Inc()
		owners, err := s.cfg.FC.ListOwners(ctx, acct.ID, acct.OwnershipID)
		if err != nil {
			return nil, fmt.Errorf("listing owners of %s: %w", acct.ID, err)
		}
		c.result = m.Evaluate(id, owners)
		if c.result.Decision != match.Unverifiable {
			b, _ := json.Marshal(c.result)
			if err := s.cfg.Cache.Set(ctx, key, b, s.cfg.TTL); err != nil {
				s.cacheError("set", acct.ID, err)
			} else if err := s.cfg.Cache.AddToSet(ctx, s.keys.Key("account", acct.ID), key, s.cfg.TTL); err != nil {
				s.cacheError("index", acct.ID, err)
			}
			if err := s.cfg.Cache.Set(ctx, lastKey, []byte(c.result.Decision), 0); err != nil {
				s.cacheError("set", acct.ID, err)
			}
		}
		return c, nil
	})
	if err != nil {
		return AccountVerdict{}, err
	}
	c := v.(computed)
	if c.result.Decision == match.Unverifiable {
		return unverifiable("no_owners", "the bank returned no owners for the account")
	}
	res := c.result
	out.Status, out.Result, out.Cached, out.Previous = StatusDecided, &res, c.cached, c.previous
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
// Only the account id and the error are logged, never identity data.
func (s *Service) cacheError(op, account string, err error) {
	s.cacheOutcomes.WithLabelValues("error").Inc()
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
