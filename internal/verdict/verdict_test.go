package verdict

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/fc/fctest"
	"github.com/ownercheck/ownercheck/internal/identity"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/testutil/redistest"
)

type staticRules struct{ m *match.Matcher }

func (r *staticRules) Current() *match.Matcher { return r.m }

var (
	now  = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	jane = identity.Identity{Type: identity.Individual, Name: "Jane Doe", Email: "jane@example.com",
		Address: &identity.Address{Line1: "123 Main St", Line2: "Apt 4", City: "Springfield", State: "IL", PostalCode: "62704"}}
	janeOwner = identity.Owner{Name: "JANE A DOE", RawAddress: "123 MAIN ST APT 4, SPRINGFIELD, IL 62704"}
)

// world is a fake Stripe with one account whose state a test changes.
type world struct {
	mu        sync.Mutex
	account   fc.Account
	owners    []identity.Owner
	listCalls atomic.Int64
	refreshes atomic.Int64
}

func newWorld() *world {
	return &world{account: fc.Account{ID: "fca_1", Status: fc.AccountActive, OwnershipID: "fcaowns_1",
		Refresh: &fc.Refresh{Status: fc.RefreshSucceeded, LastAttemptedAt: now.Add(-time.Hour), NextAvailableAt: now.Add(-time.Minute)}},
		owners: []identity.Owner{janeOwner}}
}

func (w *world) fake() *fctest.Fake {
	return &fctest.Fake{
		GetAccountFn: func(_ context.Context, id string) (*fc.Account, error) {
			w.mu.Lock()
			defer w.mu.Unlock()
			a := w.account
			return &a, nil
		},
		RefreshOwnershipFn: func(_ context.Context, id string) (*fc.Account, error) {
			w.refreshes.Add(1)
			w.mu.Lock()
			defer w.mu.Unlock()
			w.account.Refresh = &fc.Refresh{Status: fc.RefreshPending, LastAttemptedAt: now}
			a := w.account
			return &a, nil
		},
		ListOwnersFn: func(_ context.Context, acct, own string) ([]identity.Owner, error) {
			w.listCalls.Add(1)
			time.Sleep(5 * time.Millisecond) // let concurrent callers pile up
			return w.owners, nil
		},
		GetSessionFn: func(_ context.Context, id string) (*fc.Session, error) {
			return &fc.Session{ID: id, Accounts: []string{"fca_1"}}, nil
		},
	}
}

func newService(t *testing.T, w *world, c cache.Cache) (*Service, *staticRules) {
	t.Helper()
	m, err := match.Default()
	if err != nil {
		t.Fatal(err)
	}
	rules := &staticRules{m: m}
	return New(Config{FC: w.fake(), Rules: rules, Cache: c, Secret: []byte("test"), Now: func() time.Time { return now }}), rules
}

func TestDecidedThenCached(t *testing.T) {
	w := newWorld()
	s, _ := newService(t, w, cache.NewMemory())
	ctx := context.Background()
	v, err := s.VerifyAccount(ctx, "fca_1", jane, Options{})
	if err != nil || v.Status != StatusDecided || v.Decision() != match.Pass || v.Cached {
		t.Fatalf("first: %+v %v", v, err)
	}
	v, err = s.VerifyAccount(ctx, "fca_1", jane, Options{})
	if err != nil || !v.Cached || v.Decision() != match.Pass || v.Previous != match.Pass || w.listCalls.Load() != 1 {
		t.Fatalf("second: %+v %v (list calls %d)", v, err, w.listCalls.Load())
	}
	// A new ownership (after a refresh) is never served the old verdict.
	w.account.OwnershipID = "fcaowns_2"
	if v, _ = s.VerifyAccount(ctx, "fca_1", jane, Options{}); v.Cached {
		t.Fatal("new ownership served from cache")
	}
	// Invalidation drops it.
	if err := s.InvalidateAccount(ctx, "fca_1"); err != nil {
		t.Fatal(err)
	}
	if v, _ = s.VerifyAccount(ctx, "fca_1", jane, Options{}); v.Cached {
		t.Fatal("invalidated verdict served")
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
	rules.m = m2
	v, _ := s.VerifyAccount(ctx, "fca_1", jane, Options{})
	if v.Cached || v.Digest != m2.Digest() {
		t.Fatalf("a rule change served a cached verdict: %+v", v)
	}
}

func TestRefreshStates(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		src     string
		set     func(a *fc.Account)
		opt     Options
		status  string
		reason  string
		refresh bool
	}{
		{"pending: 202", func(a *fc.Account) { a.Refresh = &fc.Refresh{Status: fc.RefreshPending} }, Options{}, StatusPending, "refresh_pending", false},
		{"never refreshed: start one", func(a *fc.Account) { a.Refresh, a.OwnershipID = nil, "" }, Options{}, StatusPending, "refresh_started", true},
		{"stale: start one", func(a *fc.Account) { a.Refresh.LastAttemptedAt = now.Add(-60 * 24 * time.Hour) }, Options{}, StatusPending, "refresh_started", true},
		{"stale but not allowed yet: decide", func(a *fc.Account) {
			a.Refresh.LastAttemptedAt = now.Add(-60 * 24 * time.Hour)
			a.Refresh.NextAvailableAt = now.Add(time.Hour)
		}, Options{}, StatusDecided, "", false},
		{"batch refreshes when allowed", func(a *fc.Account) {}, Options{Refresh: RefreshIfAllowed}, StatusPending, "refresh_started", true},
		{"failed", func(a *fc.Account) { a.Refresh.Status = fc.RefreshFailed }, Options{Refresh: RefreshNever}, StatusUnverifiable, "refresh_failed", false},
		{"inactive", func(a *fc.Account) { a.Status = fc.AccountInactive }, Options{}, StatusUnverifiable, "account_inactive", false},
		{"disconnected", func(a *fc.Account) { a.Status = fc.AccountDisconnected }, Options{}, StatusUnverifiable, "account_disconnected", false},
		{"no ownership", func(a *fc.Account) { a.OwnershipID = "" }, Options{}, StatusUnverifiable, "no_ownership", false},
	}
	for _, tt := range tests {
		w := newWorld()
		tt.set(&w.account)
		s, _ := newService(t, w, cache.NewMemory())
		v, err := s.VerifyAccount(ctx, "fca_1", jane, tt.opt)
		if err != nil || v.Status != tt.status || v.Reason != tt.reason || (w.refreshes.Load() > 0) != tt.refresh {
			t.Errorf("%s: got %s/%s refreshes %d err %v", tt.src, v.Status, v.Reason, w.refreshes.Load(), err)
		}
		if tt.status == StatusPending && v.RetryAfter <= 0 {
			t.Errorf("%s: pending without Retry-After", tt.src)
		}
	}
}

// Concurrent identical requests make one set of Stripe calls.
func TestSingleflight(t *testing.T) {
	w := newWorld()
	s, _ := newService(t, w, cache.NewMemory())
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, err := s.VerifyAccount(context.Background(), "fca_1", jane, Options{}); err != nil || v.Decision() != match.Pass {
				t.Errorf("%+v %v", v, err)
			}
		}()
	}
	wg.Wait()
	if n := w.listCalls.Load(); n != 1 {
		t.Fatalf("%d ListOwners calls for 20 identical requests", n)
	}
}

// Redis down: slower, never wrong or an error.
func TestRedisDown(t *testing.T) {
	mr := miniredis.RunT(t)
	r, _ := cache.NewRedis("redis://" + mr.Addr())
	defer r.Close()
	mr.Close()
	w := newWorld()
	s, _ := newService(t, w, r)
	v, err := s.VerifyAccount(context.Background(), "fca_1", jane, Options{})
	if err != nil || v.Decision() != match.Pass || v.Cached {
		t.Fatalf("%+v %v", v, err)
	}
	if s.CacheHealth(context.Background()) == nil {
		t.Fatal("health says a closed Redis is fine")
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
	s, _ := newService(t, w, r)
	s.cfg.Secret = []byte(t.Name() + time.Now().String())
	s.keys = cache.Keyer{Secret: s.cfg.Secret}
	if _, err := s.VerifyAccount(context.Background(), "fca_1", jane, Options{}); err != nil {
		t.Fatal(err)
	}
	keys := dumpRedis(t, url)
	if len(keys) == 0 {
		t.Fatal("nothing cached")
	}
	for k, v := range keys {
		for _, pii := range []string{"JANE", "Jane", "DOE", "MAIN", "Springfield", "SPRINGFIELD", "jane@example.com", "62704", "fca_1"} {
			if strings.Contains(k, pii) || strings.Contains(v, pii) {
				t.Errorf("Redis entry %q=%q holds %q", k, v, pii)
			}
		}
	}
}

func TestVerifyOverall(t *testing.T) {
	w := newWorld()
	s, _ := newService(t, w, cache.NewMemory())
	v, err := s.VerifySession(context.Background(), "fcsess_1", jane, Options{})
	if err != nil || v.Status != StatusDecided || v.Decision != match.Pass || len(v.Accounts) != 1 || v.Ruleset == "" {
		t.Fatalf("%+v %v", v, err)
	}
}
