package verdict

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/identity"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/signals"
)

// sameBank gives accounts the institution and last4 of one real bank
// account, as two customers linking it would see it.
func sameBank(w *world, ids ...string) {
	for _, id := range ids {
		w.change(id, func(a *fc.Account) { a.Institution, a.Last4 = "First Platypus Bank", "6789" })
	}
}

func verifyFor(t *testing.T, s *Service, id string, who identity.Identity, customer string) AccountVerdict {
	t.Helper()
	v, err := s.Verify(context.Background(), []string{id}, who, Options{}, Binding{Customer: customer})
	if err != nil {
		t.Fatal(err)
	}
	return v.Accounts[0]
}

func wantReuse(t *testing.T, av AccountVerdict, decision, rule string, perAccount int) {
	t.Helper()
	if av.Decision != decision || av.Rule != rule || av.Signals == nil || av.Signals.IdentitiesPerAccount30d != perAccount || !av.Signals.Available {
		t.Fatalf("got %s by %s with signals %+v, want %s by %s with %d identities per account", av.Decision, av.Rule, av.Signals, decision, rule, perAccount)
	}
}

// The same bank account linked by a second customer and verified for a
// second identity (same owner name, other email and phone) goes to review;
// the first identity's cached verdict is then decided again with the new
// counts, still without a Stripe call; repeating a verdict never inflates
// the counts.
func TestReuseAcrossCustomers(t *testing.T) {
	for name, newCache := range caches(t) {
		t.Run(name, func(t *testing.T) {
			w := newWorld("fca_1", "fca_2")
			w.inline = true
			sameBank(w, "fca_1", "fca_2")
			w.change("fca_2", func(a *fc.Account) { a.Holder.Customer = "cus_other" })
			s, _ := newService(t, w, newCache(), uniqueSecret)
			second := jane
			second.Email, second.Phone = "someone.else@example.net", "+13125550199"

			wantReuse(t, verifyFor(t, s, "fca_1", jane, "cus_jane"), match.Pass, "corroborated_by_address", 1)
			wantReuse(t, verifyFor(t, s, "fca_1", jane, "cus_jane"), match.Pass, "corroborated_by_address", 1)
			av := verifyFor(t, s, "fca_2", second, "cus_other")
			wantReuse(t, av, match.Review, "account_reused", 2)
			calls := w.stripeCalls()
			again := verifyFor(t, s, "fca_1", jane, "cus_jane")
			wantReuse(t, again, match.Review, "account_reused", 2)
			if !again.Cached || w.stripeCalls() != calls {
				t.Errorf("the first identity's verdict was not answered from the cache (cached=%v, %d more Stripe calls)", again.Cached, w.stripeCalls()-calls)
			}
			if again.Signals.AccountsPerIdentity30d != 1 {
				t.Errorf("accounts per identity = %d, want 1 (one bank account behind both ids)", again.Signals.AccountsPerIdentity30d)
			}
		})
	}
}

// Two identities that each match a different owner of a joint account
// are not reuse.
func TestJointOwnersAreNotReuse(t *testing.T) {
	for name, newCache := range caches(t) {
		t.Run(name, func(t *testing.T) {
			w := newWorld("fca_1")
			w.inline = true
			sameBank(w, "fca_1")
			john := jane
			john.Name, john.Email = "John Smith", "john@example.com"
			w.setOwners("fca_1", janeOwner, identity.Owner{Name: "JOHN SMITH", RawAddress: janeOwner.RawAddress})
			s, _ := newService(t, w, newCache(), uniqueSecret)
			wantReuse(t, verifyFor(t, s, "fca_1", jane, "cus_jane"), match.Pass, "corroborated_by_address", 1)
			wantReuse(t, verifyFor(t, s, "fca_1", john, "cus_jane"), match.Pass, "corroborated_by_address", 1)
			wantReuse(t, verifyFor(t, s, "fca_1", jane, "cus_jane"), match.Pass, "corroborated_by_address", 1)
		})
	}
}

// fakeSignals is a signals.Store whose Observe a test sets.
type fakeSignals struct {
	observe func([]signals.Observation) ([]match.Signals, error)
}

func (f fakeSignals) Observe(_ context.Context, obs []signals.Observation, _ time.Time) ([]match.Signals, error) {
	return f.observe(obs)
}

// When the counts cannot be read the verdict is still decided, with the
// signals marked unavailable (zero), and not cached with them: the next
// verdict counts again.
func TestSignalsDownStillDecides(t *testing.T) {
	w := newWorld("fca_1")
	w.inline = true
	down := true
	s, _ := newService(t, w, cache.NewMemory(), func(c *Config) {
		c.Signals = fakeSignals{observe: func(obs []signals.Observation) ([]match.Signals, error) {
			if down {
				return nil, errors.New("connection refused")
			}
			return make([]match.Signals, len(obs)), nil
		}}
	})
	av := verifyFor(t, s, "fca_1", jane, "cus_jane")
	if av.Decision != match.Pass || av.Signals == nil || av.Signals.Available {
		t.Fatalf("got %s with %+v, want pass with unavailable signals", av.Decision, av.Signals)
	}
	down = false
	calls := w.stripeCalls()
	av = verifyFor(t, s, "fca_1", jane, "cus_jane")
	if av.Cached || w.stripeCalls() == calls {
		t.Error("a verdict decided without signals was cached")
	}
}

// A joint owner string (one owner naming two people) verified for each of
// them is not reuse; a third identity under one of the names is.
func TestJointOwnerStringIsNotReuse(t *testing.T) {
	w := newWorld("fca_1")
	w.inline = true
	sameBank(w, "fca_1")
	w.setOwners("fca_1", identity.Owner{Name: "JOHN DOE AND JANE DOE", RawAddress: janeOwner.RawAddress})
	s, _ := newService(t, w, cache.NewMemory())
	john := jane
	john.Name, john.Email = "John Doe", "john@example.com"
	first := verifyFor(t, s, "fca_1", jane, "cus_jane")
	if first.Decision != match.Pass {
		t.Fatalf("jane on the joint string: %s by %s", first.Decision, first.Rule)
	}
	wantReuse(t, verifyFor(t, s, "fca_1", john, "cus_jane"), first.Decision, first.Rule, 1)
	other := jane
	other.Name, other.Email = "Jane Q Doe", "not.jane@example.org"
	wantReuse(t, verifyFor(t, s, "fca_1", other, "cus_jane"), match.Review, "account_reused", 2)
}
