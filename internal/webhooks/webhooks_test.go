package webhooks

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
	"github.com/stripe/stripe-go/v79/webhook"

	"github.com/ownercheck/ownercheck/internal/cache"
)

const secret = "whsec_test_secret"

// fakeInvalidator records invalidated accounts; Err makes it fail.
type fakeInvalidator struct {
	mu    sync.Mutex
	calls []string
	Err   error
}

func (f *fakeInvalidator) InvalidateAccount(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, id)
	return f.Err
}

var _ Invalidator = (*fakeInvalidator)(nil)

// event is a Stripe event payload shaped like the ones Stripe sends for
// Financial Connections (docs: "Event object", data.object = the account).
func event(id, typ, version, account string) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": version, "created": time.Now().Unix(), "type": typ, "livemode": false,
		"data": map[string]any{"object": map[string]any{"id": account, "object": "financial_connections.account", "status": "active"}},
	})
	return b
}

func sign(payload []byte, key string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: key, Timestamp: at}).Header
}

func newRouter(s *Service) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	Routes(r.Group("/v1"), s)
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
	good := event("evt_1", RefreshedOwnership, APIVersion, "fca_1")
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
		{"timestamp inside tolerance", event("evt_2", Disconnected, APIVersion, "fca_1"), sign(event("evt_2", Disconnected, APIVersion, "fca_1"), secret, now.Add(-4*time.Minute)), 200, "", "applied", 1},
		{"unknown type is acknowledged, ignored", event("evt_3", "customer.created", APIVersion, "fca_1"), sign(event("evt_3", "customer.created", APIVersion, "fca_1"), secret, now), 200, "", "ignored", 0},
		{"another API version: accepted, only the id is used (issue 9 item 6)", event("evt_4", RefreshedOwnership, "2023-10-16", "fca_1"), sign(event("evt_4", RefreshedOwnership, "2023-10-16", "fca_1"), secret, now), 200, "", "applied", 1},
		{"signed but not an event", []byte(`{"hello":`), sign([]byte(`{"hello":`), secret, now), 400, "body", "", 0},
		{"event naming no account", event("evt_5", Deactivated, APIVersion, "cus_1"), sign(event("evt_5", Deactivated, APIVersion, "cus_1"), secret, now), 400, "data.object.id", "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv := &fakeInvalidator{}
			r := newRouter(&Service{Secret: secret, Invalidator: inv, Dedupe: cache.NewMemory()})
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

func TestEveryAccountEventInvalidates(t *testing.T) {
	for i, typ := range []string{RefreshedOwnership, Disconnected, Deactivated, Reactivated} {
		inv := &fakeInvalidator{}
		s := &Service{Secret: secret, Invalidator: inv, Dedupe: cache.NewMemory()}
		acct := fmt.Sprintf("fca_%d", i)
		p := event(fmt.Sprintf("evt_%d", i), typ, APIVersion, acct)
		out, err := s.Handle(context.Background(), p, sign(p, secret, time.Now()))
		if err != nil || out.Status != "applied" || len(inv.calls) != 1 || inv.calls[0] != acct {
			t.Errorf("%s: out %+v err %v calls %v", typ, out, err, inv.calls)
		}
	}
}

func TestReplayedEventIsAppliedOnce(t *testing.T) {
	inv := &fakeInvalidator{}
	var keys []string
	s := &Service{Secret: secret, Invalidator: inv, Dedupe: cache.NewMemory(), Key: func(id string) string {
		k := cache.Keyer{Secret: []byte("k")}.Key("event", id)
		keys = append(keys, k)
		return k
	}}
	r := newRouter(s)
	p := event("evt_replay", RefreshedOwnership, APIVersion, "fca_9")
	// A replay within tolerance with a fresh signature (Stripe's own retry
	// re-signs) is still the same event id.
	for i, want := range []string{"applied", "duplicate", "duplicate"} {
		status, body := post(r, p, sign(p, secret, time.Now()))
		if status != 200 || body["status"] != want {
			t.Fatalf("delivery %d: %d %v, want 200 %s", i, status, body, want)
		}
	}
	if len(inv.calls) != 1 {
		t.Errorf("invalidated %d times, want once", len(inv.calls))
	}
	if !strings.HasPrefix(keys[0], "oc:v1:") || strings.Contains(keys[0], "evt_replay") {
		t.Errorf("the dedupe key comes from Key: %q", keys[0])
	}
}

// A failed invalidation answers 5xx and forgets the event id, so Stripe's
// retry is applied instead of being dropped as a duplicate.
func TestFailedInvalidationIsRetryable(t *testing.T) {
	inv := &fakeInvalidator{Err: errors.New("redis: connection refused")}
	r := newRouter(&Service{Secret: secret, Invalidator: inv, Dedupe: cache.NewMemory()})
	p := event("evt_retry", Reactivated, APIVersion, "fca_7")
	if status, body := post(r, p, sign(p, secret, time.Now())); status != 500 {
		t.Fatalf("status = %d %v, want 500", status, body)
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
	inv := &fakeInvalidator{}
	s := &Service{Secret: secret, Invalidator: inv, Dedupe: brokenDeduper{}}
	p := event("evt_x", Disconnected, APIVersion, "fca_3")
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
	p := event("evt_y", Disconnected, APIVersion, "fca_3")
	status, _ := post(newRouter(&Service{Invalidator: &fakeInvalidator{}}), p, sign(p, "", time.Now()))
	if status != http.StatusServiceUnavailable {
		t.Fatalf("status = %d, want 503 when no secret is configured", status)
	}
}
