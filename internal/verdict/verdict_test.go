package verdict

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/fc/fctest"
	"github.com/ownercheck/ownercheck/internal/identity"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/testutil/redistest"
)

type staticRules struct{ m *match.Matcher }

func (r *staticRules) Current() *match.Matcher { return r.m }

// Owners as the bank returns them, and what the default rules decide for
// jane (checked by TestOwnerFixtures so the other tests can rely on them).
var (
	now  = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	jane = identity.Identity{Type: identity.Individual, Name: "Jane Doe", Email: "jane@example.com",
		Address: &identity.Address{Line1: "123 Main St", Line2: "Apt 4", City: "Springfield", State: "IL", PostalCode: "62704"}}
	janeOwner   = identity.Owner{Name: "JANE A DOE", RawAddress: "123 MAIN ST APT 4, SPRINGFIELD, IL 62704"} // pass
	reviewOwner = identity.Owner{Name: "J DOE", RawAddress: "123 MAIN ST APT 4, SPRINGFIELD, IL 62704"}      // review
	otherOwner  = identity.Owner{Name: "JANET DOE", RawAddress: "123 MAIN ST APT 4, SPRINGFIELD, IL 62704"}  // fail
	janePII     = []string{"JANE", "Jane", "DOE", "Doe", "MAIN", "Main", "Springfield", "SPRINGFIELD", "jane@example.com", "62704"}
)

// world is a fake Stripe whose accounts a test changes. Every account
// starts active, with a fresh successful refresh and jane as owner.
type world struct {
	mu          sync.Mutex
	accounts    map[string]*fc.Account
	owners      map[string][]identity.Owner
	getCalls    atomic.Int64
	listCalls   atomic.Int64
	refreshes   atomic.Int64
	listOwners  func(ctx context.Context) error // optional hook run inside ListOwners
	onRead      func()                          // optional hook run at the start of GetAccount and GetSession
	getErr      error
	sessionAccs []string
	sessionGets atomic.Int64
	// inline makes reads return the owners inline (an expanded
	// ownership), as Stripe does; without it the service lists them.
	inline bool
}

// stripeCalls counts every call the fake answered.
func (w *world) stripeCalls() int64 {
	return w.getCalls.Load() + w.listCalls.Load() + w.refreshes.Load() + w.sessionGets.Load()
}

// read copies an account as Stripe returns it. Callers hold mu.
func (w *world) read(id string) *fc.Account {
	c := *w.accounts[id]
	if w.inline && c.OwnershipID != "" {
		c.Owners, c.OwnersInline, c.OwnersComplete = w.owners[id], true, true
	}
	return &c
}

func newWorld(ids ...string) *world {
	if len(ids) == 0 {
		ids = []string{"fca_1"}
	}
	w := &world{accounts: map[string]*fc.Account{}, owners: map[string][]identity.Owner{}, sessionAccs: ids}
	for _, id := range ids {
		w.accounts[id] = &fc.Account{ID: id, Status: fc.AccountActive, OwnershipID: "fcaowns_" + id,
			Permissions: []string{"ownership"}, Holder: fc.AccountHolder{Type: "customer", Customer: "cus_jane"},
			Refresh: &fc.Refresh{Status: fc.RefreshSucceeded, LastAttemptedAt: now.Add(-time.Hour), NextAvailableAt: now.Add(-time.Minute)}}
		w.owners[id] = []identity.Owner{janeOwner}
	}
	return w
}

// change edits an account under the lock.
func (w *world) change(id string, f func(a *fc.Account)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	f(w.accounts[id])
}

func (w *world) setOwners(id string, o ...identity.Owner) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.owners[id] = o
}

func (w *world) fake() *fctest.Fake {
	return &fctest.Fake{
		GetAccountFn: func(_ context.Context, id string) (*fc.Account, error) {
			w.getCalls.Add(1)
			if w.onRead != nil {
				w.onRead()
			}
			w.mu.Lock()
			defer w.mu.Unlock()
			if w.getErr != nil {
				return nil, w.getErr
			}
			if _, ok := w.accounts[id]; !ok {
				return nil, fmt.Errorf("retrieving account %s: %w", id, fc.ErrNotFound)
			}
			return w.read(id), nil
		},
		RefreshOwnershipFn: func(_ context.Context, id string) (*fc.Account, error) {
			w.refreshes.Add(1)
			w.mu.Lock()
			defer w.mu.Unlock()
			w.accounts[id].Refresh = &fc.Refresh{Status: fc.RefreshPending, LastAttemptedAt: now}
			return w.read(id), nil
		},
		ListOwnersFn: func(ctx context.Context, acct, own string) ([]identity.Owner, error) {
			w.listCalls.Add(1)
			if w.listOwners != nil {
				if err := w.listOwners(ctx); err != nil {
					return nil, err
				}
			}
			w.mu.Lock()
			defer w.mu.Unlock()
			return w.owners[acct], nil
		},
		GetSessionFn: func(_ context.Context, id string) (*fc.Session, error) {
			w.sessionGets.Add(1)
			if w.onRead != nil {
				w.onRead()
			}
			w.mu.Lock()
			defer w.mu.Unlock()
			sess := &fc.Session{ID: id, Accounts: w.sessionAccs, Holder: fc.AccountHolder{Type: "customer", Customer: "cus_jane"}}
			for _, a := range w.sessionAccs {
				sess.AccountData = append(sess.AccountData, w.read(a))
			}
			return sess, nil
		},
	}
}

func newService(t *testing.T, w *world, c cache.Cache, tweak ...func(*Config)) (*Service, *staticRules) {
	t.Helper()
	m, err := match.Default()
	if err != nil {
		t.Fatal(err)
	}
	rules := &staticRules{m: m}
	cfg := Config{FC: w.fake(), Rules: rules, Cache: c, Secret: []byte("test"), Now: func() time.Time { return now }}
	for _, f := range tweak {
		f(&cfg)
	}
	return New(cfg), rules
}

// record stores an account's current state as a webhook would.
func record(t *testing.T, s *Service, w *world, id string, at time.Time) {
	t.Helper()
	w.mu.Lock()
	a := w.read(id)
	w.mu.Unlock()
	if err := s.RecordAccount(context.Background(), a, at); err != nil {
		t.Fatal(err)
	}
}

func TestOwnerFixtures(t *testing.T) {
	m, err := match.Default()
	if err != nil {
		t.Fatal(err)
	}
	for want, o := range map[string]identity.Owner{match.Pass: janeOwner, match.Review: reviewOwner, match.Fail: otherOwner} {
		if got := m.Evaluate(jane, []identity.Owner{o}).Decision; got != want {
			t.Errorf("fixture %q decides %s, tests assume %s", o.Name, got, want)
		}
	}
}

func TestDecidedThenCached(t *testing.T) {
	w := newWorld()
	s, _ := newService(t, w, cache.NewMemory())
	ctx := context.Background()
	v, err := s.VerifyAccount(ctx, "fca_1", jane, Options{})
	if err != nil || v.Status != StatusDecided || v.Decision != match.Pass || v.Result == nil || v.Cached || v.Previous != "" {
		t.Fatalf("first: %+v %v", v, err)
	}
	if !v.RefreshedAt.Equal(now.Add(-time.Hour)) {
		t.Fatalf("refreshed_at %v", v.RefreshedAt)
	}
	v, err = s.VerifyAccount(ctx, "fca_1", jane, Options{})
	if err != nil || !v.Cached || v.Decision != match.Pass || v.Previous != match.Pass || w.listCalls.Load() != 1 {
		t.Fatalf("second: %+v %v (list calls %d)", v, err, w.listCalls.Load())
	}
	// Another identity is another entry.
	other := jane
	other.Name = "Janet Doe"
	if v, _ = s.VerifyAccount(ctx, "fca_1", other, Options{}); v.Cached || v.Decision != match.Fail {
		t.Fatalf("another identity: %+v", v)
	}
	// A new ownership (after a refresh, told by a webhook) is never
	// served the old verdict.
	w.change("fca_1", func(a *fc.Account) { a.OwnershipID = "fcaowns_2" })
	record(t, s, w, "fca_1", now.Add(time.Minute))
	if v, _ = s.VerifyAccount(ctx, "fca_1", jane, Options{}); v.Cached {
		t.Fatal("new ownership served from cache")
	}
	if v, _ = s.VerifyAccount(ctx, "fca_1", jane, Options{}); !v.Cached {
		t.Fatal("new ownership's verdict was not cached")
	}
	before := w.listCalls.Load()
	// SkipCacheRead computes again but still stores.
	if v, _ = s.VerifyAccount(ctx, "fca_1", jane, Options{SkipCacheRead: true}); v.Cached || w.listCalls.Load() != before+1 {
		t.Fatalf("fresh read served from cache: %+v", v)
	}
}

// Previous is the decision before this evaluation (batch re-verification
// reports flips).
func TestPreviousDecision(t *testing.T) {
	w := newWorld()
	s, _ := newService(t, w, cache.NewMemory())
	ctx := context.Background()
	fresh := Options{SkipCacheRead: true}
	if v, _ := s.VerifyAccount(ctx, "fca_1", jane, fresh); v.Previous != "" || v.Decision != match.Pass {
		t.Fatalf("first: %+v", v)
	}
	w.setOwners("fca_1", otherOwner)
	if v, _ := s.VerifyAccount(ctx, "fca_1", jane, fresh); v.Previous != match.Pass || v.Decision != match.Fail {
		t.Fatalf("after the owner changed: previous %q decision %q", v.Previous, v.Decision)
	}
	if v, _ := s.VerifyAccount(ctx, "fca_1", jane, fresh); v.Previous != match.Fail {
		t.Fatalf("third: previous %q", v.Previous)
	}
	// A new snapshot makes the cached verdict miss, not the history.
	w.change("fca_1", func(a *fc.Account) { a.OwnershipID = "fcaowns_new" })
	record(t, s, w, "fca_1", now.Add(time.Minute))
	if v, _ := s.VerifyAccount(ctx, "fca_1", jane, Options{}); v.Previous != match.Fail || v.Cached {
		t.Fatalf("after a new snapshot: previous %q cached %v", v.Previous, v.Cached)
	}
}

func TestRuleChangeMisses(t *testing.T) {
	w := newWorld()
	s, rules := newService(t, w, cache.NewMemory())
	ctx := context.Background()
	s.VerifyAccount(ctx, "fca_1", jane, Options{})
	dir := t.TempDir()
	for _, f := range []string{"policy.yaml", "names.yaml", "nicknames.yaml"} {
		copyFile(t, "../../rules/"+f, dir+"/"+f, f == "policy.yaml")
	}
	m2, err := match.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m2.Digest() == rules.m.Digest() {
		t.Fatal("changed rules have the same digest")
	}
	rules.m = m2
	v, _ := s.VerifyAccount(ctx, "fca_1", jane, Options{})
	if v.Cached || v.Digest != m2.Digest() || w.listCalls.Load() != 2 {
		t.Fatalf("a rule change served a cached verdict: %+v", v)
	}
}

func TestRefreshStates(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		src     string
		set     func(a *fc.Account)
		owners  []identity.Owner
		opt     Options
		status  string
		reason  string
		refresh bool
	}{
		{"pending: 202", func(a *fc.Account) { a.Refresh = &fc.Refresh{Status: fc.RefreshPending} }, nil, Options{}, StatusPending, "refresh_pending", false},
		{"pending even when batch may refresh", func(a *fc.Account) { a.Refresh = &fc.Refresh{Status: fc.RefreshPending} }, nil, Options{Refresh: RefreshIfAllowed}, StatusPending, "refresh_pending", false},
		{"never refreshed: start one", func(a *fc.Account) { a.Refresh, a.OwnershipID = nil, "" }, nil, Options{}, StatusPending, "refresh_started", true},
		{"never refreshed, --no-refresh", func(a *fc.Account) { a.Refresh, a.OwnershipID = nil, "" }, nil, Options{Refresh: RefreshNever}, StatusUnverifiable, "never_refreshed", false},
		{"stale: start one", func(a *fc.Account) { a.Refresh.LastAttemptedAt = now.Add(-60 * 24 * time.Hour) }, nil, Options{}, StatusPending, "refresh_started", true},
		{"stale but not allowed yet: decide", func(a *fc.Account) {
			a.Refresh.LastAttemptedAt = now.Add(-60 * 24 * time.Hour)
			a.Refresh.NextAvailableAt = now.Add(time.Hour)
		}, nil, Options{}, StatusDecided, "", false},
		{"stale, --no-refresh: decide", func(a *fc.Account) { a.Refresh.LastAttemptedAt = now.Add(-60 * 24 * time.Hour) }, nil, Options{Refresh: RefreshNever}, StatusDecided, "", false},
		{"fresh: decide without refreshing", func(a *fc.Account) {}, nil, Options{}, StatusDecided, "", false},
		{"batch refreshes when allowed", func(a *fc.Account) {}, nil, Options{Refresh: RefreshIfAllowed}, StatusPending, "refresh_started", true},
		{"batch decides when not allowed yet", func(a *fc.Account) { a.Refresh.NextAvailableAt = now.Add(time.Minute) }, nil, Options{Refresh: RefreshIfAllowed}, StatusDecided, "", false},
		{"failed, --no-refresh", func(a *fc.Account) { a.Refresh.Status = fc.RefreshFailed }, nil, Options{Refresh: RefreshNever}, StatusUnverifiable, "refresh_failed", false},
		{"failed, allowed: retried once", func(a *fc.Account) { a.Refresh.Status = fc.RefreshFailed }, nil, Options{}, StatusPending, "refresh_started", true},
		{"failed, not allowed yet", func(a *fc.Account) {
			a.Refresh.Status, a.Refresh.NextAvailableAt = fc.RefreshFailed, now.Add(time.Hour)
		}, nil, Options{}, StatusUnverifiable, "refresh_failed", false},
		{"inactive, fresh data: decided on it", func(a *fc.Account) { a.Status = fc.AccountInactive }, nil, Options{}, StatusDecided, "", false},
		{"inactive, stale data", func(a *fc.Account) {
			a.Status, a.Refresh.LastAttemptedAt = fc.AccountInactive, now.Add(-60*24*time.Hour)
		}, nil, Options{}, StatusUnverifiable, "account_inactive", false},
		{"no ownership permission: no refresh", func(a *fc.Account) { a.Permissions, a.Refresh, a.OwnershipID = []string{"balances"}, nil, "" }, nil, Options{}, StatusUnverifiable, "no_ownership_permission", false},
		{"disconnected", func(a *fc.Account) { a.Status = fc.AccountDisconnected }, nil, Options{}, StatusUnverifiable, "account_disconnected", false},
		{"no ownership", func(a *fc.Account) { a.OwnershipID = "" }, nil, Options{}, StatusUnverifiable, "no_ownership", false},
		{"bank returned no owners", func(a *fc.Account) {}, []identity.Owner{}, Options{}, StatusUnverifiable, "no_owners", false},
	}
	for _, tt := range tests {
		w := newWorld()
		w.change("fca_1", tt.set)
		if tt.owners != nil {
			w.setOwners("fca_1", tt.owners...)
		}
		s, _ := newService(t, w, cache.NewMemory())
		v, err := s.VerifyAccount(ctx, "fca_1", jane, tt.opt)
		if err != nil || v.Status != tt.status || v.Reason != tt.reason || (w.refreshes.Load() > 0) != tt.refresh {
			t.Errorf("%s: got %s/%s refreshes %d err %v", tt.src, v.Status, v.Reason, w.refreshes.Load(), err)
		}
		switch v.Status {
		case StatusPending:
			if v.RetryAfter != 2*time.Second || v.Result != nil || v.Decision != "" {
				t.Errorf("%s: pending with Retry-After %v, result %+v, decision %q", tt.src, v.RetryAfter, v.Result, v.Decision)
			}
		case StatusUnverifiable:
			if v.Decision != match.Unverifiable || v.Result == nil || v.Result.Decision != match.Unverifiable || v.Cached {
				t.Errorf("%s: unverifiable as %+v", tt.src, v)
			}
		case StatusDecided:
			if v.Decision != match.Pass {
				t.Errorf("%s: decided %q", tt.src, v.Decision)
			}
		}
	}
}

// The overall verdict: pending while any account is pending, else the
// worst decision; unverifiable counts as review unless all are.
func TestVerifyOverall(t *testing.T) {
	pending := func(w *world, id string) {
		w.change(id, func(a *fc.Account) {
			a.Refresh.Status, a.Refresh.LastAttemptedAt = fc.RefreshPending, now.Add(-time.Second)
		})
	}
	unverifiable := func(w *world, id string) { w.change(id, func(a *fc.Account) { a.Status = fc.AccountDisconnected }) }
	owners := func(o identity.Owner) func(w *world, id string) {
		return func(w *world, id string) { w.setOwners(id, o) }
	}
	pass, review, fail := owners(janeOwner), owners(reviewOwner), owners(otherOwner)
	tests := []struct {
		src      string
		accounts []func(w *world, id string)
		status   string
		decision string
	}{
		{"one passing account", []func(*world, string){pass}, StatusDecided, match.Pass},
		{"all pass", []func(*world, string){pass, pass}, StatusDecided, match.Pass},
		{"fail beats review and pass", []func(*world, string){pass, fail, review}, StatusDecided, match.Fail},
		{"review beats pass", []func(*world, string){review, pass}, StatusDecided, match.Review},
		{"unverifiable counts as review", []func(*world, string){pass, unverifiable}, StatusDecided, match.Review},
		{"unverifiable does not soften a fail", []func(*world, string){unverifiable, fail}, StatusDecided, match.Fail},
		{"all unverifiable", []func(*world, string){unverifiable, unverifiable}, StatusDecided, match.Unverifiable},
		{"any pending: pending", []func(*world, string){fail, pending, pass}, StatusPending, ""},
	}
	for _, tt := range tests {
		var ids []string
		for i := range tt.accounts {
			ids = append(ids, "fca_"+string(rune('a'+i)))
		}
		w := newWorld(ids...)
		for i, set := range tt.accounts {
			set(w, ids[i])
		}
		s, _ := newService(t, w, cache.NewMemory())
		v, err := s.VerifySession(context.Background(), "fcsess_1", jane, Options{})
		if err != nil || v.Status != tt.status || v.Decision != tt.decision || len(v.Accounts) != len(ids) || v.Ruleset == "" || v.Digest == "" {
			t.Errorf("%s: %s/%s (%d accounts) err %v", tt.src, v.Status, v.Decision, len(v.Accounts), err)
		}
		for i, av := range v.Accounts {
			if av.Account != ids[i] {
				t.Errorf("%s: accounts[%d] is %s, want %s (request order)", tt.src, i, av.Account, ids[i])
			}
		}
		if tt.status == StatusPending && (v.RetryAfter != 2*time.Second || v.RetryAfterSeconds != 2) {
			t.Errorf("%s: pending with Retry-After %v / %ds", tt.src, v.RetryAfter, v.RetryAfterSeconds)
		}
	}
}

func TestVerifyErrors(t *testing.T) {
	ctx := context.Background()
	w := newWorld()
	w.sessionAccs = nil
	s, _ := newService(t, w, cache.NewMemory())
	if _, err := s.VerifySession(ctx, "fcsess_1", jane, Options{}); apperr.KindOf(err) != apperr.KindConflict {
		t.Errorf("session without accounts: %v", err)
	} else if e, _ := apperr.As(err); e.Param != "session" {
		t.Errorf("session without accounts names %q", e.Param)
	}
	if _, err := s.Verify(ctx, nil, jane, Options{}, Binding{}); apperr.KindOf(err) != apperr.KindInvalid {
		t.Errorf("no accounts: %v", err)
	}
	if _, err := s.VerifyAccount(ctx, "fca_missing", jane, Options{}); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("missing account: %v, want not found", err)
	}
	// A Stripe failure reaches the caller wrapped, with its *fc.Error.
	w.getErr = &fc.Error{Op: "retrieving account fca_1", Status: 503, Type: "api_error", Retryable: true, RetryAfter: time.Second, Err: errors.New("boom")}
	_, err := s.VerifyAccount(ctx, "fca_1", jane, Options{})
	var fe *fc.Error
	if !errors.As(err, &fe) || fe.Status != 503 || !strings.HasPrefix(err.Error(), "reading account fca_1: ") {
		t.Errorf("stripe failure: %v", err)
	}
}

// Concurrent identical requests make one set of Stripe calls: one
// ListOwners, and for a stale account one refresh (Stripe refuses a second
// while the first is pending).
func TestSingleflight(t *testing.T) {
	for _, stale := range []bool{false, true} {
		w := newWorld()
		if stale {
			w.change("fca_1", func(a *fc.Account) { a.Refresh.LastAttemptedAt = now.Add(-60 * 24 * time.Hour) })
		}
		w.listOwners = func(context.Context) error {
			time.Sleep(5 * time.Millisecond) // let concurrent callers pile up (not asserted on)
			return nil
		}
		s, _ := newService(t, w, cache.NewMemory())
		var wg sync.WaitGroup
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, err := s.VerifyAccount(context.Background(), "fca_1", jane, Options{})
				if err != nil || (!stale && v.Decision != match.Pass) || (stale && v.Status != StatusPending) {
					t.Errorf("stale=%v: %+v %v", stale, v, err)
				}
			}()
		}
		wg.Wait()
		if n := w.listCalls.Load(); !stale && n != 1 {
			t.Errorf("%d ListOwners calls for 20 identical requests", n)
		}
		if n := w.refreshes.Load(); stale && n != 1 {
			t.Errorf("%d refreshes for 20 identical requests", n)
		}
	}
}

// A caller that goes away stops waiting, but the shared work (which other
// callers may be waiting on) finishes and is cached.
func TestCallerCancelDoesNotAbortSharedWork(t *testing.T) {
	w := newWorld()
	entered, release := make(chan struct{}), make(chan struct{})
	var sawCancel atomic.Bool
	w.listOwners = func(ctx context.Context) error {
		close(entered)
		<-release
		sawCancel.Store(ctx.Err() != nil)
		return ctx.Err()
	}
	s, _ := newService(t, w, cache.NewMemory())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := s.VerifyAccount(ctx, "fca_1", jane, Options{})
		done <- err
	}()
	<-entered
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller got %v", err)
	}
	w.listOwners = nil
	close(release)
	// The flight's result lands in the cache. Wait for it there: asking at
	// once could miss the cache just before the flight ends and, finding
	// no flight, start a second one.
	fp := jane.Fingerprint()
	key := s.keysFor("fca_1", hex.EncodeToString(fp[:]), s.cfg.Rules.Current().Digest())[1]
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		if b, ok, _ := s.cfg.Cache.Get(context.Background(), key); ok && len(b) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the shared work never cached its verdict")
		}
	}
	v, err := s.VerifyAccount(context.Background(), "fca_1", jane, Options{})
	if err != nil || v.Decision != match.Pass || w.listCalls.Load() != 1 {
		t.Fatalf("%+v %v (list calls %d)", v, err, w.listCalls.Load())
	}
	if sawCancel.Load() {
		t.Fatal("shared work saw the caller's cancellation")
	}
}

// The shared work keeps the deadline of the request that started it: a
// Stripe call that never answers ends with that deadline, not later, even
// after that caller went away.
func TestSharedWorkEndsByTheDeadline(t *testing.T) {
	w := newWorld()
	entered, ended := make(chan struct{}), make(chan error, 1)
	w.listOwners = func(ctx context.Context) error {
		close(entered)
		<-ctx.Done() // Stripe never answers
		ended <- ctx.Err()
		return ctx.Err()
	}
	s, _ := newService(t, w, cache.NewMemory())
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	cctx, leave := context.WithCancel(ctx)
	go s.VerifyAccount(cctx, "fca_1", jane, Options{})
	<-entered
	leave() // the caller goes away; its deadline still bounds the work
	select {
	case err := <-ended:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("the shared work ended with %v, want the deadline", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the shared work outlived its request's deadline")
	}
}

// Redis down: slower, never wrong or an error; logged without PII and counted.
func TestRedisDown(t *testing.T) {
	mr := miniredis.RunT(t)
	r, _ := cache.NewRedis("redis://" + mr.Addr())
	defer r.Close()
	mr.Close()
	w := newWorld()
	var logs bytes.Buffer
	reg := prometheus.NewRegistry()
	s, _ := newService(t, w, r, func(c *Config) {
		c.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
		c.Registerer = reg
		c.CacheCooldown = time.Hour // the second request finds the breaker open
	})
	for range 2 {
		v, err := s.VerifyAccount(context.Background(), "fca_1", jane, Options{})
		if err != nil || v.Decision != match.Pass || v.Cached {
			t.Fatalf("%+v %v", v, err)
		}
	}
	if s.CacheHealth(context.Background()) == nil {
		t.Fatal("health says a closed Redis is fine")
	}
	if n := counterValue(t, reg, "ownercheck_cache_errors_total", "op", "get"); n != 2 {
		t.Errorf("ownercheck_cache_errors_total{op=get} = %v, want 2", n)
	}
	if n := counterValue(t, reg, "ownercheck_verdict_cache_total", "outcome", "error"); n != 2 {
		t.Errorf("ownercheck_verdict_cache_total{outcome=error} = %v, want 2", n)
	}
	// Logged once: the failure that opened the breaker, not each skipped call.
	if n := strings.Count(logs.String(), "\n"); n != 1 || !strings.Contains(logs.String(), `"account":"fca_1"`) {
		t.Errorf("%d log lines, want the one failure that opened the breaker: %s", n, logs.String())
	}
	for _, pii := range janePII {
		if strings.Contains(logs.String(), pii) {
			t.Errorf("log holds %q: %s", pii, logs.String())
		}
	}
}

// Redis holds no PII: not in keys, not in values.
func TestNoPIIInRedis(t *testing.T) {
	url := redistest.URL(t)
	r, err := cache.NewRedis(url)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	w := newWorld()
	s, _ := newService(t, w, r, func(c *Config) { c.Secret = []byte(t.Name() + time.Now().String()) })
	for _, o := range []Options{{}, {}, {SkipCacheRead: true}} {
		if _, err := s.VerifyAccount(context.Background(), "fca_1", jane, o); err != nil {
			t.Fatal(err)
		}
	}
	keys := dumpRedis(t, url)
	if len(keys) < 3 { // verdict, account index, last decision
		t.Fatalf("too little cached: %v", keys)
	}
	// An HMAC's hex (keys, a value's tags) and a HyperLogLog's registers
	// can spell digits such as a ZIP code by chance: they are left out.
	hexRE := regexp.MustCompile(`[0-9a-f]{32,}`)
	for k, v := range keys {
		if !strings.HasPrefix(k, "oc:v1:") && !strings.HasPrefix(k, "ownercheck") {
			continue // another test's data on a shared server
		}
		if strings.HasPrefix(v, "HYLL") {
			v = ""
		}
		k, v = hexRE.ReplaceAllString(k, "<hmac>"), hexRE.ReplaceAllString(v, "<hmac>")
		for _, pii := range append(janePII, "fca_1", "fcaowns_", "cus_jane") {
			if strings.Contains(k, pii) || strings.Contains(v, pii) {
				t.Errorf("Redis entry %q=%q holds %q", k, v, pii)
			}
		}
	}
}

// The JSON shape the API serves: the result flattened, decision once.
func TestAccountVerdictJSON(t *testing.T) {
	w := newWorld()
	s, _ := newService(t, w, cache.NewMemory())
	v, err := s.VerifyAccount(context.Background(), "fca_1", jane, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	var got map[string]any
	json.Unmarshal(b, &got)
	for _, k := range []string{"account", "status", "decision", "scores", "flags", "reasons", "rule", "ruleset", "digest", "refreshed_at", "cached"} {
		if _, ok := got[k]; !ok {
			t.Errorf("decided verdict JSON lacks %q: %s", k, b)
		}
	}
	if got["decision"] != match.Pass {
		t.Errorf("decision %v", got["decision"])
	}
	b, _ = json.Marshal(AccountVerdict{Account: "fca_1", Status: StatusPending, Reason: "refresh_pending", RetryAfter: time.Second})
	if string(b) != `{"account":"fca_1","status":"pending","reason":"refresh_pending","cached":false}` {
		t.Errorf("pending verdict JSON %s", b)
	}
}

// Redis back after an outage: a ping (readyz, the cache-up metric) closes
// the breaker and verdicts are cached again.
func TestRedisComesBack(t *testing.T) {
	mr := miniredis.RunT(t)
	r, _ := cache.NewRedis("redis://" + mr.Addr())
	defer r.Close()
	w := newWorld()
	s, _ := newService(t, w, r, func(c *Config) { c.CacheCooldown = time.Hour })
	ctx := context.Background()
	mr.SetError("LOADING Redis is loading the dataset in memory")
	if v, err := s.VerifyAccount(ctx, "fca_1", jane, Options{}); err != nil || v.Decision != match.Pass {
		t.Fatalf("during the outage: %+v %v", v, err)
	}
	mr.SetError("")
	if err := s.CacheHealth(ctx); err != nil {
		t.Fatal(err)
	}
	s.VerifyAccount(ctx, "fca_1", jane, Options{})
	if v, _ := s.VerifyAccount(ctx, "fca_1", jane, Options{}); !v.Cached || w.listCalls.Load() != 2 {
		t.Fatalf("after the outage: cached %v, %d ListOwners calls", v.Cached, w.listCalls.Load())
	}
}

// A panic in the work (a bug, a fake Stripe exploding) is raised on the
// caller's goroutine, where gin's recovery turns it into a 500; left on
// the singleflight or errgroup goroutine it would kill the process.
func TestPanicReachesCaller(t *testing.T) {
	w := newWorld("fca_1", "fca_2")
	f := w.fake()
	get := f.GetAccountFn
	f.GetAccountFn = func(ctx context.Context, id string) (*fc.Account, error) {
		if id == "fca_2" {
			panic("fake Stripe exploded")
		}
		return get(ctx, id)
	}
	s, _ := newService(t, w, cache.NewMemory(), func(c *Config) { c.FC = f })
	caught := func(call func()) (msg string) {
		defer func() { msg = fmt.Sprint(recover()) }()
		call()
		return ""
	}
	for name, call := range map[string]func(){
		"VerifyAccount": func() { s.VerifyAccount(context.Background(), "fca_2", jane, Options{}) },
		"Verify":        func() { s.Verify(context.Background(), []string{"fca_1", "fca_2"}, jane, Options{}, Binding{}) },
	} {
		if msg := caught(call); !strings.Contains(msg, "fake Stripe exploded") || !strings.Contains(msg, "TestPanicReachesCaller") {
			t.Errorf("%s: recovered %q, want the panic with its original stack", name, msg)
		}
	}
	if v, err := s.VerifyAccount(context.Background(), "fca_1", jane, Options{}); err != nil || v.Decision != match.Pass {
		t.Fatalf("after a panic: %+v %v", v, err)
	}
}
