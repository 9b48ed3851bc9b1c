package verdict

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v79/webhook"

	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/webhooks"
)

// accountObject is a as a webhook's data.object carries it.
func accountObject(a *fc.Account) map[string]any {
	obj := map[string]any{"id": a.ID, "object": "financial_connections.account", "status": a.Status, "livemode": false,
		"permissions": a.Permissions, "account_holder": map[string]any{"type": a.Holder.Type, "customer": a.Holder.Customer}}
	if a.OwnershipID != "" {
		obj["ownership"] = a.OwnershipID
	}
	if r := a.Refresh; r != nil {
		obj["ownership_refresh"] = map[string]any{"status": r.Status, "last_attempted_at": r.LastAttemptedAt.Unix(), "next_refresh_available_at": r.NextAvailableAt.Unix()}
	}
	return obj
}

// deliver sends a signed event of version with data.object obj, created
// at created, to the webhook service, which stores what it carries in s.
func deliver(t *testing.T, s *Service, id, version string, created time.Time, obj map[string]any) {
	t.Helper()
	const secret = "whsec_stale_test"
	payload, err := json.Marshal(map[string]any{"id": id, "object": "event", "api_version": version, "created": created.Unix(),
		"type": webhooks.RefreshedOwnership, "livemode": false, "data": map[string]any{"object": obj}})
	if err != nil {
		t.Fatal(err)
	}
	sig := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: time.Now()}).Header
	out, err := (&webhooks.Service{Secret: secret, Snapshots: s}).Handle(context.Background(), payload, sig)
	if err != nil || out.Status != "applied" {
		t.Fatalf("delivering %s: %+v %v", id, out, err)
	}
}

// An event whose data.object this build cannot read in full (another API
// version, or a shape stripe-go v79 does not decode) says the account
// changed. An older event of the pinned version retried after it must not
// become the account's state: the next verdict reads Stripe (once), and
// that read, or a newer event, is the state from then on.
func TestLateOldEventAfterUnreadableOneIsNotUsed(t *testing.T) {
	unreadable := map[string]struct {
		object func(a *fc.Account) map[string]any
		// newAttempt: the newer event replaces the marker only with a
		// later refresh attempt (the marker's order is unknown, so it is
		// taken as the newest a state of its second can have).
		newAttempt bool
	}{
		// The order fields (status, ownership_refresh) still read.
		"another API version": {accountObject, false},
		// Nothing but the id reads (the shape of issue 9's e2e event).
		"only the id": {func(a *fc.Account) map[string]any { return map[string]any{"id": a.ID} }, true},
	}
	for name, newCache := range caches(t) {
		for shape, tc := range unreadable {
			t.Run(name+"/"+shape, func(t *testing.T) {
				var mu sync.Mutex
				clock := now
				w := newWorld()
				w.inline = true
				s, _ := newService(t, w, newCache(), uniqueSecret, func(c *Config) {
					c.SnapshotTTL = time.Hour
					c.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
				})
				ctx := context.Background()
				if v, _ := s.VerifyAccount(ctx, "fca_1", jane, Options{}); v.Decision != match.Pass {
					t.Fatalf("first: %+v", v)
				}
				w.mu.Lock()
				before := *w.read("fca_1")
				w.mu.Unlock()
				// The ownership is refreshed a minute later with another owner.
				w.change("fca_1", func(a *fc.Account) {
					a.OwnershipID = "fcaowns_new"
					a.Refresh = &fc.Refresh{Status: fc.RefreshSucceeded, LastAttemptedAt: now.Add(time.Minute), NextAvailableAt: now.Add(time.Hour)}
				})
				w.setOwners("fca_1", otherOwner)
				w.mu.Lock()
				after := *w.read("fca_1")
				w.mu.Unlock()
				mu.Lock()
				clock = now.Add(3 * time.Minute)
				mu.Unlock()
				// The event of the refresh arrives in a shape this build does
				// not read; then the retry of an event from before it.
				deliver(t, s, "evt_new", "2099-01-01", now.Add(2*time.Minute), tc.object(&after))
				deliver(t, s, "evt_old", webhooks.APIVersion, now.Add(30*time.Second), accountObject(&before))

				calls := w.stripeCalls()
				v, err := s.VerifyAccount(ctx, "fca_1", jane, Options{})
				if err != nil || v.Cached || v.Decision != match.Fail {
					t.Fatalf("after the late old event: %+v %v, want the new owner read from Stripe (fail)", v, err)
				}
				if n := w.stripeCalls() - calls; n != 1 {
					t.Fatalf("the verdict after the unreadable event made %d Stripe calls, want 1", n)
				}
				// A newer event of the pinned version is the state from now
				// on, as always.
				w.change("fca_1", func(a *fc.Account) {
					a.Status = fc.AccountDisconnected
					if tc.newAttempt {
						a.Refresh = &fc.Refresh{Status: fc.RefreshSucceeded, LastAttemptedAt: now.Add(150 * time.Second), NextAvailableAt: now.Add(time.Hour)}
					}
				})
				w.mu.Lock()
				disconnected := *w.read("fca_1")
				w.mu.Unlock()
				deliver(t, s, "evt_newer", webhooks.APIVersion, now.Add(3*time.Minute), accountObject(&disconnected))
				calls = w.stripeCalls()
				if v, err := s.VerifyAccount(ctx, "fca_1", jane, Options{}); err != nil || v.Reason != "account_disconnected" {
					t.Fatalf("after the newer event: %+v %v", v, err)
				}
				if n := w.stripeCalls() - calls; n != 0 {
					t.Fatalf("the verdict after the newer event made %d Stripe calls, want 0", n)
				}
			})
		}
	}
}

// When the order fields of the unreadable event still read, the Stripe
// read of the next verdict replaces the marker: the verdict after that
// makes no Stripe call.
func TestStripeReadReplacesTheStaleMarker(t *testing.T) {
	for name, newCache := range caches(t) {
		t.Run(name, func(t *testing.T) {
			var mu sync.Mutex
			clock := now
			w := newWorld()
			w.inline = true
			s, _ := newService(t, w, newCache(), uniqueSecret, func(c *Config) {
				c.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
			})
			ctx := context.Background()
			s.VerifyAccount(ctx, "fca_1", jane, Options{})
			w.change("fca_1", func(a *fc.Account) {
				a.Refresh = &fc.Refresh{Status: fc.RefreshSucceeded, LastAttemptedAt: now.Add(time.Minute), NextAvailableAt: now.Add(time.Hour)}
			})
			w.mu.Lock()
			after := *w.read("fca_1")
			w.mu.Unlock()
			deliver(t, s, "evt_new", "2099-01-01", now.Add(2*time.Minute), accountObject(&after))
			mu.Lock()
			clock = now.Add(3 * time.Minute)
			mu.Unlock()
			calls := w.stripeCalls()
			for i := range 2 {
				if v, err := s.VerifyAccount(ctx, "fca_1", jane, Options{}); err != nil || v.Decision != match.Pass {
					t.Fatalf("verdict %d: %+v %v", i, v, err)
				}
			}
			if n := w.stripeCalls() - calls; n != 1 {
				t.Fatalf("two verdicts after the unreadable event made %d Stripe calls, want 1", n)
			}
		})
	}
}
