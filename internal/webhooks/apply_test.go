package webhooks

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v79"

	"github.com/ownercheck/ownercheck/internal/fc"
)

// forgetting records what apply asked of the snapshots.
type forgetting struct{ calls []string }

func (f *forgetting) RecordAccount(_ context.Context, a *fc.Account, _ time.Time) error {
	f.calls = append(f.calls, a.ID)
	return nil
}

func (f *forgetting) ForgetAccount(_ context.Context, id string) error {
	f.calls = append(f.calls, "forget:"+id)
	return nil
}

// An event whose data.object is not of the pinned API version's shape
// drops the snapshot (the next verdict reads Stripe) instead of storing it.
func TestOtherShapeDropsTheSnapshot(t *testing.T) {
	snaps := &forgetting{}
	s := &Service{Secret: "whsec_test_secret", Snapshots: snaps}
	raw, _ := json.Marshal(map[string]any{
		"id": "evt_shape", "object": "event", "api_version": "2099-01-01", "created": time.Now().Unix(), "type": RefreshedOwnership,
		"data": map[string]any{"object": map[string]any{"id": "fca_8", "object": "financial_connections.account", "status": "active"}},
	})
	var ev stripe.Event
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	out, err := s.apply(context.Background(), &ev, false)
	if err != nil || out.Status != "applied" || len(snaps.calls) != 1 || snaps.calls[0] != "forget:fca_8" {
		t.Fatalf("out %+v err %v calls %v", out, err, snaps.calls)
	}
}

// From the attack session after issue 9: a signed event from a connected
// account ("account": "acct_…", which a Connect endpoint receives) was
// stored as the snapshot of its fca_ id, although that account is another
// Stripe account's and this key cannot read it. Such events are
// acknowledged and ignored, for every account event type.
func TestConnectedAccountEventsAreIgnored(t *testing.T) {
	for _, typ := range []string{RefreshedOwnership, Disconnected, Deactivated, Reactivated, Created} {
		snaps := &forgetting{}
		s := &Service{Secret: "whsec_test_secret", Snapshots: snaps}
		for _, version := range []string{APIVersion, "2099-01-01"} {
			raw, _ := json.Marshal(map[string]any{
				"id": "evt_connect", "object": "event", "api_version": version, "created": time.Now().Unix(), "type": typ,
				"account": "acct_1Other", "livemode": false,
				"data": map[string]any{"object": map[string]any{"id": "fca_9", "object": "financial_connections.account", "status": "active"}},
			})
			out, err := s.Handle(context.Background(), raw, sign(raw, secret, time.Now()))
			if err != nil || out.Status != "ignored" || len(snaps.calls) != 0 {
				t.Fatalf("%s %s: out %+v err %v calls %v", typ, version, out, err, snaps.calls)
			}
		}
	}
}
