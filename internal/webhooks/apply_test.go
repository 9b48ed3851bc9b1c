package webhooks

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v79"

	"github.com/ownercheck/ownercheck/internal/fc"
)

// recording records what apply asked of the snapshots (a stale marker as
// "stale:" + id, with what was seen of its order and when).
type recording struct {
	calls    []string
	seen     []*fc.Account
	observed []time.Time
}

func (f *recording) RecordAccount(_ context.Context, a *fc.Account, _ time.Time) error {
	f.calls = append(f.calls, a.ID)
	return nil
}

func (f *recording) MarkStale(_ context.Context, id string, seen *fc.Account, observed time.Time) error {
	f.calls = append(f.calls, "stale:"+id)
	f.seen, f.observed = append(f.seen, seen), append(f.observed, observed)
	return nil
}

// An event whose data.object is not of the pinned API version's shape
// marks the snapshot stale (the next verdict reads Stripe) instead of
// storing it, with the order fields it could read and the event's time,
// like a stored state's: the end of the second it was created in.
func TestOtherShapeMarksTheSnapshotStale(t *testing.T) {
	created := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for name, pinned := range map[string]bool{"another API version": false, "pinned version, unreadable object": true} {
		snaps := &recording{}
		s := &Service{Secret: "whsec_test_secret", Snapshots: snaps}
		obj := map[string]any{"id": "fca_8", "object": "financial_connections.account", "status": "active",
			"ownership_refresh": map[string]any{"status": "succeeded", "last_attempted_at": created.Add(-time.Minute).Unix()}}
		if pinned {
			obj["permissions"] = "ownership" // not a list: stripe-go v79 cannot decode it
		}
		raw, _ := json.Marshal(map[string]any{
			"id": "evt_shape", "object": "event", "api_version": "2099-01-01", "created": created.Unix(), "type": RefreshedOwnership,
			"data": map[string]any{"object": obj},
		})
		var ev stripe.Event
		if err := json.Unmarshal(raw, &ev); err != nil {
			t.Fatal(err)
		}
		out, err := s.apply(context.Background(), &ev, pinned)
		if err != nil || out.Status != "applied" || len(snaps.calls) != 1 || snaps.calls[0] != "stale:fca_8" {
			t.Fatalf("%s: out %+v err %v calls %v", name, out, err, snaps.calls)
		}
		seen := snaps.seen[0]
		if seen == nil || seen.Status != "active" || seen.Refresh == nil || seen.Refresh.Status != "succeeded" || !seen.Refresh.LastAttemptedAt.Equal(created.Add(-time.Minute)) {
			t.Errorf("%s: seen %+v, want the status and the refresh attempt", name, seen)
		}
		if want := created.Add(999 * time.Millisecond); !snaps.observed[0].Equal(want) {
			t.Errorf("%s: observed %v, want %v", name, snaps.observed[0], want)
		}
	}
}

// orderOf reads a state's order only when every field of it reads: a
// missing or mistyped one leaves it to the caller to assume the newest.
func TestOrderOf(t *testing.T) {
	attempt := time.Date(2026, 11, 25, 11, 0, 0, 0, time.UTC)
	cases := []struct {
		name, obj   string
		want        bool
		wantRefresh bool
	}{
		{"never refreshed (null)", `{"status":"active","ownership_refresh":null}`, true, false},
		{"refreshed", `{"status":"disconnected","ownership_refresh":{"status":"pending","last_attempted_at":1795604400}}`, true, true},
		{"only the id (issue 9 e2e event)", `{"id":"fca_1"}`, false, false},
		{"no ownership_refresh key", `{"status":"active"}`, false, false},
		{"no status", `{"ownership_refresh":null}`, false, false},
		{"attempt as a string", `{"status":"active","ownership_refresh":{"status":"succeeded","last_attempted_at":"1795604400"}}`, false, false},
		{"refresh without an attempt", `{"status":"active","ownership_refresh":{"status":"succeeded"}}`, false, false},
		{"refresh as a list", `{"status":"active","ownership_refresh":[]}`, false, false},
		{"not an object", `"fca_1"`, false, false},
	}
	for _, tc := range cases {
		a := orderOf([]byte(tc.obj))
		if (a != nil) != tc.want {
			t.Errorf("%s: got %+v, want read %v", tc.name, a, tc.want)
			continue
		}
		if a != nil && (a.Refresh != nil) != tc.wantRefresh {
			t.Errorf("%s: refresh %+v, want %v", tc.name, a.Refresh, tc.wantRefresh)
		}
		if a != nil && a.Refresh != nil && !a.Refresh.LastAttemptedAt.Equal(attempt) {
			t.Errorf("%s: attempt %v, want %v", tc.name, a.Refresh.LastAttemptedAt, attempt)
		}
	}
}

// From the attack session after issue 9: a signed event from a connected
// account ("account": "acct_…", which a Connect endpoint receives) was
// stored as the snapshot of its fca_ id, although that account is another
// Stripe account's and this key cannot read it. Such events are
// acknowledged and ignored, for every account event type.
func TestConnectedAccountEventsAreIgnored(t *testing.T) {
	for _, typ := range []string{RefreshedOwnership, Disconnected, Deactivated, Reactivated, Created} {
		snaps := &recording{}
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
