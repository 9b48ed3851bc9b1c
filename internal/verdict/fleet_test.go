package verdict

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/testutil/redistest"
)

// caches are the backends the fleet tests run on: real Redis (the Lua
// script), the same with a serve replica's near copies, and memory.
func caches(t *testing.T) map[string]func() cache.Cache {
	url := redistest.URL(t)
	return map[string]func() cache.Cache{
		"redis":                  func() cache.Cache { return redisCache(t, url, 0) },
		"redis with near copies": func() cache.Cache { return redisCache(t, url, time.Minute) },
		"memory":                 func() cache.Cache { return cache.NewMemory() },
	}
}

// redisCache is a process's cache on url, keeping near copies for near (0:
// none), in use once subscribed.
func redisCache(t *testing.T, url string, near time.Duration) *cache.Redis {
	t.Helper()
	r, err := cache.NewRedis(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	r.EnableNear(near)
	for deadline := time.Now().Add(5 * time.Second); near > 0 && !r.NearInUse(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("near copies never in use")
		}
	}
	return r
}

// A replica answering a hot verdict from its near copies sees an event
// another replica recorded as soon as the invalidation arrives (the
// copies here would live a minute), still without a Stripe call.
func TestNearCopiesFollowOtherReplicasEvents(t *testing.T) {
	url := redistest.URL(t)
	w := newWorld()
	w.inline = true
	secret := []byte(t.Name() + time.Now().String())
	a, _ := newService(t, w, redisCache(t, url, time.Minute), func(c *Config) { c.Secret = secret })
	b, _ := newService(t, w, redisCache(t, url, time.Minute), func(c *Config) { c.Secret = secret })
	ctx := context.Background()
	for range 3 { // decided, then answered from the cache and the near copies
		if v, err := a.VerifyAccount(ctx, "fca_1", jane, Options{}); err != nil || v.Decision != match.Pass {
			t.Fatalf("before the event: %+v %v", v, err)
		}
	}
	w.change("fca_1", func(acc *fc.Account) { acc.Status = fc.AccountDisconnected })
	record(t, b, w, "fca_1", now.Add(time.Second))
	before := w.stripeCalls()
	var v AccountVerdict
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		var err error
		if v, err = a.VerifyAccount(ctx, "fca_1", jane, Options{}); err != nil {
			t.Fatal(err)
		}
		if v.Reason == "account_disconnected" {
			break
		}
	}
	if v.Reason != "account_disconnected" {
		t.Fatalf("replica a still answers %+v a second after replica b recorded the disconnection", v)
	}
	if n := w.stripeCalls() - before; n != 0 {
		t.Fatalf("the verdicts after the event made %d Stripe calls", n)
	}
}

// uniqueSecret keeps tests on a shared Redis apart.
func uniqueSecret(c *Config) { c.Secret = []byte(time.Now().String()) }

// A verdict costs one Stripe call (owners inline); the same verdict again
// costs none.
func TestCacheHitMakesNoStripeCall(t *testing.T) {
	for name, newCache := range caches(t) {
		t.Run(name, func(t *testing.T) {
			w := newWorld()
			w.inline = true
			s, _ := newService(t, w, newCache(), uniqueSecret)
			ctx := context.Background()
			bind := Binding{Customer: "cus_jane"}
			v, err := s.Verify(ctx, []string{"fca_1"}, jane, Options{}, bind)
			if err != nil || v.Decision != match.Pass || v.Accounts[0].Cached {
				t.Fatalf("first: %+v %v", v, err)
			}
			if n := w.stripeCalls(); n != 1 {
				t.Fatalf("first verdict made %d Stripe calls, want 1 (the account, owners expanded)", n)
			}
			for range 3 {
				v, err = s.Verify(ctx, []string{"fca_1"}, jane, Options{}, bind)
				if err != nil || v.Decision != match.Pass || !v.Accounts[0].Cached {
					t.Fatalf("repeat: %+v %v", v, err)
				}
			}
			if n := w.stripeCalls(); n != 1 {
				t.Fatalf("cached verdicts made %d Stripe calls in all, want the first one only", n)
			}
		})
	}
}

// A session verdict is one Stripe call (accounts and owners expanded),
// shared by concurrent identical requests.
func TestSessionVerdictIsOneSharedCall(t *testing.T) {
	w := newWorld("fca_a", "fca_b", "fca_c")
	w.inline = true
	release := make(chan struct{})
	w.onRead = func() { <-release }
	s, _ := newService(t, w, cache.NewMemory())
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := s.VerifySession(context.Background(), "fcsess_1", jane, Options{})
			if err != nil || v.Decision != match.Pass || len(v.Accounts) != 3 {
				t.Errorf("%+v %v", v, err)
			}
		}()
	}
	time.Sleep(50 * time.Millisecond) // let the requests pile up on the flight
	close(release)
	wg.Wait()
	if n := w.stripeCalls(); n != 1 {
		t.Fatalf("50 identical session verdicts made %d Stripe calls, want 1", n)
	}
}

// A webhook's account state is the snapshot the next verdict uses, with
// no Stripe call.
func TestWebhookSnapshotIsUsed(t *testing.T) {
	for name, newCache := range caches(t) {
		t.Run(name, func(t *testing.T) {
			w := newWorld()
			w.inline = true
			s, _ := newService(t, w, newCache(), uniqueSecret)
			ctx := context.Background()
			if v, _ := s.VerifyAccount(ctx, "fca_1", jane, Options{}); v.Decision != match.Pass {
				t.Fatalf("first: %+v", v)
			}
			w.change("fca_1", func(a *fc.Account) { a.Status = fc.AccountDisconnected })
			record(t, s, w, "fca_1", now.Add(time.Second))
			before := w.stripeCalls()
			v, err := s.VerifyAccount(ctx, "fca_1", jane, Options{})
			if err != nil || v.Reason != "account_disconnected" {
				t.Fatalf("after the disconnected event: %+v %v", v, err)
			}
			if n := w.stripeCalls() - before; n != 0 {
				t.Fatalf("the verdict after the event made %d Stripe calls", n)
			}
		})
	}
}

// Events and reads arrive out of order: a state seen earlier never
// replaces one seen later (same refresh pending after finished; an older
// refresh after a newer one).
func TestOlderSnapshotNeverOverwrites(t *testing.T) {
	for name, newCache := range caches(t) {
		t.Run(name, func(t *testing.T) {
			w := newWorld()
			s, _ := newService(t, w, newCache(), uniqueSecret)
			ctx := context.Background()
			attempt := now.Add(-time.Minute)
			finished := &fc.Account{ID: "fca_1", Status: fc.AccountActive, Permissions: []string{"ownership"}, OwnershipID: "fcaowns_new",
				Holder:  fc.AccountHolder{Type: "customer", Customer: "cus_jane"},
				Refresh: &fc.Refresh{Status: fc.RefreshSucceeded, LastAttemptedAt: attempt, NextAvailableAt: now}}
			stillPending := *finished
			stillPending.OwnershipID, stillPending.Refresh = "fcaowns_1", &fc.Refresh{Status: fc.RefreshPending, LastAttemptedAt: attempt}
			older := *finished
			older.Refresh = &fc.Refresh{Status: fc.RefreshSucceeded, LastAttemptedAt: attempt.Add(-time.Hour)}
			for _, step := range []struct {
				a  *fc.Account
				at time.Time
			}{{finished, now.Add(-10 * time.Second)}, {&stillPending, now}, {&older, now.Add(time.Second)}} {
				if err := s.RecordAccount(ctx, step.a, step.at); err != nil {
					t.Fatal(err)
				}
			}
			vals, err := s.cfg.Cache.MGet(ctx, s.snapshotKey("fca_1"))
			if err != nil {
				t.Fatal(err)
			}
			sn, ok := decodeSnapshot(vals[0])
			if !ok || sn.Refresh != fc.RefreshSucceeded || sn.Ownership != s.tag("ownership", "fcaowns_new") || sn.LastAttempted != attempt.Unix() {
				t.Fatalf("stored snapshot %+v (ok %v), want the finished refresh", sn, ok)
			}
		})
	}
}

// Without the webhook, a changed account is noticed when the snapshot's
// TTL ends: the worst-case staleness.
func TestMissedWebhookBoundedBySnapshotTTL(t *testing.T) {
	mr := miniredis.RunT(t)
	r, err := cache.NewRedis("redis://" + mr.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	w := newWorld()
	w.inline = true
	s, _ := newService(t, w, r, func(c *Config) { c.SnapshotTTL = 10 * time.Minute })
	ctx := context.Background()
	s.VerifyAccount(ctx, "fca_1", jane, Options{})
	w.change("fca_1", func(a *fc.Account) { a.Status = fc.AccountDisconnected }) // the event is lost
	mr.FastForward(9 * time.Minute)
	if v, _ := s.VerifyAccount(ctx, "fca_1", jane, Options{}); v.Decision != match.Pass || !v.Cached {
		t.Fatalf("within the snapshot TTL: %+v", v)
	}
	mr.FastForward(2 * time.Minute)
	if v, _ := s.VerifyAccount(ctx, "fca_1", jane, Options{}); v.Reason != "account_disconnected" {
		t.Fatalf("after the snapshot TTL the verdict still ignores the disconnection: %+v", v)
	}
}

// Two services (two replicas) on one Redis that both find an account
// stale start one refresh; the other answers 202 from the lock.
func TestTwoReplicasStartOneRefresh(t *testing.T) {
	url := redistest.URL(t)
	w := newWorld()
	w.inline = true
	w.change("fca_1", func(a *fc.Account) { a.Refresh.LastAttemptedAt = now.Add(-60 * 24 * time.Hour) })
	var arrived sync.WaitGroup
	arrived.Add(2)
	w.onRead = func() { arrived.Done(); arrived.Wait() } // both read before either refreshes
	secret := []byte(t.Name() + time.Now().String())
	var replicas []*Service
	for range 2 {
		r, err := cache.NewRedis(url)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		s, _ := newService(t, w, r, func(c *Config) { c.Secret = secret })
		replicas = append(replicas, s)
	}
	var wg sync.WaitGroup
	reasons := make([]string, 2)
	for i, s := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := s.VerifyAccount(context.Background(), "fca_1", jane, Options{})
			if err != nil || v.Status != StatusPending {
				t.Errorf("replica %d: %+v %v", i, v, err)
			}
			reasons[i] = v.Reason
		}()
	}
	wg.Wait()
	if n := w.refreshes.Load(); n != 1 {
		t.Fatalf("two replicas started %d refreshes (reasons %v)", n, reasons)
	}
}

// An account of another customer refuses the whole verdict: 4xx naming
// accounts, nothing refreshed, decided or cached.
func TestBindingFailureDecidesNothing(t *testing.T) {
	w := newWorld("fca_a", "fca_b")
	w.change("fca_a", func(a *fc.Account) { a.Refresh.LastAttemptedAt = now.Add(-60 * 24 * time.Hour) }) // would refresh
	w.change("fca_b", func(a *fc.Account) { a.Holder.Customer = "cus_mallory" })
	s, _ := newService(t, w, cache.NewMemory())
	ctx := context.Background()
	_, err := s.Verify(ctx, []string{"fca_a", "fca_b"}, jane, Options{}, Binding{Customer: "cus_jane", Param: "accounts"})
	if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindInvalid || e.Param != "accounts" {
		t.Fatalf("err %v, want 400 naming accounts", err)
	}
	if w.refreshes.Load() != 0 || w.listCalls.Load() != 0 {
		t.Fatalf("refreshes %d, owner lists %d: something was decided", w.refreshes.Load(), w.listCalls.Load())
	}
	// Nothing was cached: the unbound batch path computes afresh, with no
	// previous decision.
	if v, _ := s.VerifyAccount(ctx, "fca_b", jane, Options{}); v.Cached || v.Previous != "" {
		t.Fatalf("the refused verdict left a decision: %+v", v)
	}
	// An account holder that is not a customer is refused too.
	w.change("fca_a", func(a *fc.Account) { a.Holder = fc.AccountHolder{Type: "account"} })
	if _, err := s.Verify(ctx, []string{"fca_a"}, jane, Options{SkipCacheRead: true}, Binding{Customer: "cus_jane"}); apperr.KindOf(err) != apperr.KindInvalid {
		t.Fatalf("holder of type account: %v", err)
	}
}

// A session's accounts must be its customer's.
func TestSessionBinding(t *testing.T) {
	w := newWorld("fca_a", "fca_b")
	w.change("fca_b", func(a *fc.Account) { a.Holder.Customer = "cus_mallory" })
	s, _ := newService(t, w, cache.NewMemory())
	_, err := s.VerifySession(context.Background(), "fcsess_1", jane, Options{})
	if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindInvalid || e.Param != "session" {
		t.Fatalf("err %v, want 400 naming session", err)
	}
}

// Sessions with more accounts than a verdict takes are refused, naming
// the session, before anything else is read.
func TestSessionAccountCap(t *testing.T) {
	var ids []string
	for i := range 21 {
		ids = append(ids, "fca_"+string(rune('a'+i)))
	}
	w := newWorld(ids...)
	s, _ := newService(t, w, cache.NewMemory())
	_, err := s.VerifySession(context.Background(), "fcsess_1", jane, Options{})
	if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindInvalid || e.Param != "session" {
		t.Fatalf("err %v, want 400 naming session", err)
	}
	if _, err := s.Verify(context.Background(), ids, jane, Options{}, Binding{}); apperr.KindOf(err) != apperr.KindInvalid {
		t.Fatalf("21 accounts: %v", err)
	}
}

// Polls of a pending refresh are answered from the snapshot until
// PendingRecheck, with a Retry-After that grows with the time pending.
func TestPendingPollsUseTheSnapshot(t *testing.T) {
	for _, tc := range []struct {
		pendingFor time.Duration
		retry      time.Duration
	}{{time.Second, 2 * time.Second}, {30 * time.Second, 5 * time.Second}, {5 * time.Minute, 10 * time.Second}} {
		w := newWorld()
		w.change("fca_1", func(a *fc.Account) {
			a.Refresh = &fc.Refresh{Status: fc.RefreshPending, LastAttemptedAt: now.Add(-tc.pendingFor)}
		})
		clock := now
		s, _ := newService(t, w, cache.NewMemory(), func(c *Config) { c.Now = func() time.Time { return clock } })
		for i := range 3 {
			v, err := s.VerifyAccount(context.Background(), "fca_1", jane, Options{})
			if err != nil || v.Status != StatusPending || v.RetryAfter != tc.retry {
				t.Fatalf("pending %v, poll %d: %+v %v, want Retry-After %v", tc.pendingFor, i, v, err, tc.retry)
			}
		}
		if n := w.getCalls.Load(); n != 1 {
			t.Fatalf("3 polls read Stripe %d times, want once", n)
		}
		clock = now.Add(16 * time.Second) // past PendingRecheck: a lost webhook does not block
		s.VerifyAccount(context.Background(), "fca_1", jane, Options{})
		if n := w.getCalls.Load(); n != 2 {
			t.Fatalf("after PendingRecheck Stripe was read %d times in all, want 2", n)
		}
	}
}

// A failed refresh is retried once across the fleet, then unverifiable.
func TestFailedRefreshRetriedOnce(t *testing.T) {
	w := newWorld()
	w.change("fca_1", func(a *fc.Account) { a.Refresh.Status = fc.RefreshFailed })
	s, _ := newService(t, w, cache.NewMemory())
	ctx := context.Background()
	if v, _ := s.VerifyAccount(ctx, "fca_1", jane, Options{}); v.Reason != "refresh_started" {
		t.Fatalf("first: %+v", v)
	}
	// The retry fails too (the bank still cannot answer).
	w.change("fca_1", func(a *fc.Account) {
		a.Refresh = &fc.Refresh{Status: fc.RefreshFailed, LastAttemptedAt: now, NextAvailableAt: now}
	})
	record(t, s, w, "fca_1", now.Add(time.Second))
	if v, _ := s.VerifyAccount(ctx, "fca_1", jane, Options{}); v.Reason != "refresh_failed" || w.refreshes.Load() != 1 {
		t.Fatalf("after the retry failed: %+v (refreshes %d)", v, w.refreshes.Load())
	}
}

// From the attack session after issue 9: Stripe retries a failed webhook
// delivery for three days, in no order. Once an account's snapshot had
// expired, a late retry of an old event stored the old state again, for a
// whole new TTL, and verdicts cached against it were served with no Stripe
// call although the ownership had changed since. A state is trusted for
// SnapshotTTL from when it was true, not from when it arrived: an event
// older than that stores nothing.
func TestLateOldEventDoesNotRollBack(t *testing.T) {
	for name, newCache := range caches(t) {
		t.Run(name, func(t *testing.T) {
			w := newWorld()
			w.inline = true
			s, _ := newService(t, w, newCache(), uniqueSecret, func(c *Config) { c.SnapshotTTL = 10 * time.Minute })
			ctx := context.Background()
			w.mu.Lock()
			old := *w.read("fca_1")
			w.mu.Unlock()
			if v, _ := s.VerifyAccount(ctx, "fca_1", jane, Options{}); v.Decision != match.Pass {
				t.Fatalf("first: %+v", v)
			}
			// The ownership is refreshed with another owner; the snapshot of
			// that has expired by now (dropped here).
			w.change("fca_1", func(a *fc.Account) {
				a.OwnershipID = "fcaowns_new"
				a.Refresh = &fc.Refresh{Status: fc.RefreshSucceeded, LastAttemptedAt: now.Add(-5 * time.Minute), NextAvailableAt: now}
			})
			w.setOwners("fca_1", otherOwner)
			if err := s.cfg.Cache.Del(ctx, s.snapshotKey("fca_1")); err != nil {
				t.Fatal(err)
			}
			// The retry of an event from before the refresh, created 11
			// minutes ago.
			if err := s.RecordAccount(ctx, &old, now.Add(-11*time.Minute)); err != nil {
				t.Fatal(err)
			}
			v, err := s.VerifyAccount(ctx, "fca_1", jane, Options{})
			if err != nil || v.Cached || v.Decision != match.Fail {
				t.Fatalf("after a late old event: %+v %v, want the new owner read from Stripe (fail)", v, err)
			}
		})
	}
}
