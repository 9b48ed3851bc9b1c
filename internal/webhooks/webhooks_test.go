package webhooks_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/httpapi"
	"github.com/ownercheck/ownercheck/internal/webhooks"
)

// The payload helpers live in helpers_test.go (package webhooks), shared
// with the internal tests of verification.
const secret = webhooks.TestSecret

var (
	event = webhooks.SampleEvent
	sign  = webhooks.SignPayload
)

// fakeSnapshots records stored accounts (and ones marked stale, as
// "stale:" + id); Err makes it fail.
type fakeSnapshots struct {
	mu       sync.Mutex
	calls    []string
	accounts []*fc.Account
	observed []time.Time
	Err      error
}

func (f *fakeSnapshots) RecordAccount(_ context.Context, a *fc.Account, observed time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, a.ID)
	f.accounts, f.observed = append(f.accounts, a), append(f.observed, observed)
	return f.Err
}

func (f *fakeSnapshots) MarkStale(_ context.Context, id string, _ *fc.Account, _ time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "stale:"+id)
	return f.Err
}

var _ webhooks.Snapshots = (*fakeSnapshots)(nil)

func newRouter(s *webhooks.Service) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	httpapi.Webhooks(r.Group("/v1"), s)
	return r
}

func post(r http.Handler, payload []byte, sig string) (int, map[string]any) {
	req := httptest.NewRequest(http.MethodPost, "/v1/webhooks/stripe", bytes.NewReader(payload))
	if sig != "" {
		req.Header.Set("Stripe-Signature", sig)
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	var body map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &body)
	return w.Code, body
}

// Each case is a behaviour issue 3 lists under "Webhooks: bad signature,
// stale timestamp, replayed event id, unknown type, wrong API version —
// each with its expected status."
func TestWebhookStatuses(t *testing.T) {
	now := time.Now()
	good := event("evt_1", webhooks.RefreshedOwnership, webhooks.APIVersion, "fca_1")
	cases := []struct {
		name       string
		payload    []byte
		sig        string
		wantStatus int
		wantParam  string // for 400s
		wantResult string // Outcome.Status for 200s
		wantCalls  int
	}{
		{"valid refreshed_ownership", good, sign(good, secret, now), 200, "", "applied", 1},
		{"bad signature (other secret)", good, sign(good, "whsec_other", now), 400, "Stripe-Signature", "", 0},
		{"tampered payload", bytes.Replace(good, []byte("fca_1"), []byte("fca_2"), 1), sign(good, secret, now), 400, "Stripe-Signature", "", 0},
		{"missing signature header", good, "", 400, "Stripe-Signature", "", 0},
		{"garbage signature header", good, "nonsense", 400, "Stripe-Signature", "", 0},
		{"stale timestamp (10 minutes, tolerance 300s)", good, sign(good, secret, now.Add(-10*time.Minute)), 400, "Stripe-Signature", "", 0},
		{"timestamp inside tolerance", event("evt_2", webhooks.Disconnected, webhooks.APIVersion, "fca_1"), sign(event("evt_2", webhooks.Disconnected, webhooks.APIVersion, "fca_1"), secret, now.Add(-4*time.Minute)), 200, "", "applied", 1},
		{"unknown type is acknowledged, ignored", event("evt_3", "customer.created", webhooks.APIVersion, "fca_1"), sign(event("evt_3", "customer.created", webhooks.APIVersion, "fca_1"), secret, now), 200, "", "ignored", 0},
		// An event of another API version is accepted, but only its id is
		// trusted: the snapshot is dropped (issue 9 item 6).
		{"another API version: accepted, only the id is used (issue 9 item 6)", event("evt_4", webhooks.RefreshedOwnership, "2023-10-16", "fca_1"), sign(event("evt_4", webhooks.RefreshedOwnership, "2023-10-16", "fca_1"), secret, now), 200, "", "applied", 1},
		{"signed but not an event", []byte(`{"hello":`), sign([]byte(`{"hello":`), secret, now), 400, "body", "", 0},
		{"event naming no account", event("evt_5", webhooks.Deactivated, webhooks.APIVersion, "cus_1"), sign(event("evt_5", webhooks.Deactivated, webhooks.APIVersion, "cus_1"), secret, now), 400, "data.object.id", "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv := &fakeSnapshots{}
			r := newRouter(&webhooks.Service{Secret: secret, Snapshots: inv, Dedupe: cache.NewMemory()})
			status, body := post(r, tc.payload, tc.sig)
			if status != tc.wantStatus {
				t.Fatalf("status = %d, want %d (body %v)", status, tc.wantStatus, body)
			}
			if tc.wantStatus == 400 {
				e, _ := body["error"].(map[string]any)
				if e["type"] != "invalid_request" || e["param"] != tc.wantParam {
					t.Errorf("error = %v, want invalid_request naming %q", e, tc.wantParam)
				}
			} else if body["status"] != tc.wantResult {
				t.Errorf("outcome = %v, want %q", body, tc.wantResult)
			}
			if len(inv.calls) != tc.wantCalls {
				t.Errorf("invalidations = %v, want %d", inv.calls, tc.wantCalls)
			}
		})
	}
}

func TestEveryAccountEventIsStored(t *testing.T) {
	for i, typ := range []string{webhooks.RefreshedOwnership, webhooks.Disconnected, webhooks.Deactivated, webhooks.Reactivated, webhooks.Created} {
		inv := &fakeSnapshots{}
		s := &webhooks.Service{Secret: secret, Snapshots: inv, Dedupe: cache.NewMemory()}
		acct := fmt.Sprintf("fca_%d", i)
		p := event(fmt.Sprintf("evt_%d", i), typ, webhooks.APIVersion, acct)
		out, err := s.Handle(context.Background(), p, sign(p, secret, time.Now()))
		if err != nil || out.Status != "applied" || len(inv.calls) != 1 || inv.calls[0] != acct {
			t.Errorf("%s: out %+v err %v calls %v", typ, out, err, inv.calls)
		}
	}
}

func TestReplayedEventIsAppliedOnce(t *testing.T) {
	inv := &fakeSnapshots{}
	var keys []string
	s := &webhooks.Service{Secret: secret, Snapshots: inv, Dedupe: cache.NewMemory(), Key: func(id string) string {
		k := cache.Keyer{Secret: []byte("k")}.Key("event", id)
		keys = append(keys, k)
		return k
	}}
	r := newRouter(s)
	p := event("evt_replay", webhooks.RefreshedOwnership, webhooks.APIVersion, "fca_9")
	// A replay within tolerance with a fresh signature (Stripe's own retry
	// re-signs) is still the same event id.
	for i, want := range []string{"applied", "duplicate", "duplicate"} {
		status, body := post(r, p, sign(p, secret, time.Now()))
		if status != 200 || body["status"] != want {
			t.Fatalf("delivery %d: %d %v, want 200 %s", i, status, body, want)
		}
	}
	if len(inv.calls) != 1 {
		t.Errorf("stored %d times, want once", len(inv.calls))
	}
	if !strings.HasPrefix(keys[0], "oc:v1:") || strings.Contains(keys[0], "evt_replay") {
		t.Errorf("the dedupe key comes from Key: %q", keys[0])
	}
}

// A failed invalidation answers a retryable 503 and forgets the event id,
// so Stripe's retry is applied instead of being dropped as a duplicate.
func TestFailedInvalidationIsRetryable(t *testing.T) {
	inv := &fakeSnapshots{Err: errors.New("redis: connection refused")}
	r := newRouter(&webhooks.Service{Secret: secret, Snapshots: inv, Dedupe: cache.NewMemory()})
	p := event("evt_retry", webhooks.Reactivated, webhooks.APIVersion, "fca_7")
	if status, body := post(r, p, sign(p, secret, time.Now())); status != 503 {
		t.Fatalf("status = %d %v, want 503", status, body)
	}
	inv.Err = nil
	if status, body := post(r, p, sign(p, secret, time.Now())); status != 200 || body["status"] != "applied" {
		t.Fatalf("retry: %d %v, want 200 applied", status, body)
	}
	if len(inv.calls) != 2 {
		t.Errorf("calls = %v", inv.calls)
	}
}

// A dedupe store that is down must not lose events.
func TestDedupeDownStillApplies(t *testing.T) {
	inv := &fakeSnapshots{}
	s := &webhooks.Service{Secret: secret, Snapshots: inv, Dedupe: brokenDeduper{}}
	p := event("evt_x", webhooks.Disconnected, webhooks.APIVersion, "fca_3")
	out, err := s.Handle(context.Background(), p, sign(p, secret, time.Now()))
	if err != nil || out.Status != "applied" || len(inv.calls) != 1 {
		t.Fatalf("out %+v err %v calls %v", out, err, inv.calls)
	}
}

type brokenDeduper struct{}

func (brokenDeduper) SetNX(context.Context, string, time.Duration) (bool, error) {
	return false, errors.New("dial tcp: connection refused")
}
func (brokenDeduper) Del(context.Context, ...string) error { return errors.New("down") }

func TestNoSecretRefusesEverything(t *testing.T) {
	p := event("evt_y", webhooks.Disconnected, webhooks.APIVersion, "fca_3")
	status, _ := post(newRouter(&webhooks.Service{Snapshots: &fakeSnapshots{}}), p, sign(p, "", time.Now()))
	if status != http.StatusServiceUnavailable {
		t.Fatalf("status = %d, want 503 when no secret is configured", status)
	}
}

// data.object becomes the snapshot: the account's state, observed at the
// end of the second the event was created in.
func TestEventObjectIsTheSnapshot(t *testing.T) {
	snaps := &fakeSnapshots{}
	s := &webhooks.Service{Secret: secret, Snapshots: snaps}
	created := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	p, _ := json.Marshal(map[string]any{
		"id": "evt_obj", "object": "event", "api_version": webhooks.APIVersion, "created": created.Unix(), "type": webhooks.RefreshedOwnership,
		"data": map[string]any{"object": map[string]any{"id": "fca_5", "object": "financial_connections.account", "status": "inactive",
			"permissions": []string{"ownership"}, "ownership": "fcaowns_5",
			"account_holder":    map[string]any{"type": "customer", "customer": "cus_5"},
			"ownership_refresh": map[string]any{"status": "succeeded", "last_attempted_at": created.Unix() - 5, "next_refresh_available_at": created.Unix() + 60}}},
	})
	if out, err := s.Handle(context.Background(), p, sign(p, secret, time.Now())); err != nil || out.Status != "applied" {
		t.Fatalf("out %+v err %v", out, err)
	}
	a := snaps.accounts[0]
	if a.ID != "fca_5" || a.Status != "inactive" || a.OwnershipID != "fcaowns_5" || a.Holder.Customer != "cus_5" ||
		a.Refresh == nil || a.Refresh.Status != "succeeded" || !a.HasPermission("ownership") {
		t.Fatalf("stored %+v", a)
	}
	if want := created.Add(999 * time.Millisecond); !snaps.observed[0].Equal(want) {
		t.Fatalf("observed %v, want %v", snaps.observed[0], want)
	}
}
