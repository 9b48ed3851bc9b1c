package app

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/testutil/stripemock"
)

// With STRIPE_SECRET_KEY and STRIPE_API_BASE the same wiring talks to a
// Stripe API (here stripe-mock, which validates each request against
// Stripe's OpenAPI spec): no sandbox is mounted and sessions are created
// through it.
func TestStripeModeAgainstStripeMock(t *testing.T) {
	base := stripemock.URL(t)
	cfg := baseConfig(t)
	cfg.StripeSecretKey = "sk_test_123"
	cfg.StripePublishableKey = "pk_test_123"
	cfg.StripeAPIBase = base
	cfg.StripeWebhookSecret = "whsec_mock0123456789abcdefABCDEF0123"
	logs := &syncBuffer{}
	a := start(t, cfg, logs)
	if a.Sandbox != nil {
		t.Fatal("a Stripe key must not run the sandbox")
	}
	c := &client{t: t, base: "http://" + a.Addr(), http: &http.Client{Timeout: 20 * time.Second}}
	r := c.authed("/v1/sessions", `{"customer":{"email":"jane.doe@example.com","name":"Jane Doe"},"return_url":"https://onboarding.example.com/done"}`, "Idempotency-Key", "mock-1")
	if r.status != 201 || !strings.HasPrefix(r.body["session"].(string), "fcsess_") || r.body["publishable_key"] != "pk_test_123" {
		t.Fatalf("session through stripe-mock: %d %s", r.status, r.raw)
	}
	if r := c.do("POST", "/sandbox/link/fcsess_1", "", nil); r.status != 404 {
		t.Errorf("no sandbox in Stripe mode: %d", r.status)
	}
	if strings.Contains(logs.String(), "SANDBOX MODE") || !strings.Contains(logs.String(), `"msg":"Stripe mode"`) {
		t.Error("the startup log must say Stripe mode, not sandbox")
	}
}

// The verdict paths in Stripe mode, each against stripe-mock holding a
// linked account in one state (its fixtures), every request validated
// against the spec: a fresh refresh is decided, a pending one answers 202,
// a stale one is refreshed (202), a failed one is retried once when
// Stripe allows (202), a disconnected or failed one is unverifiable.
// stripe-mock is stateless, so each path is one state.
func TestStripeModeVerdictPathsAgainstStripeMock(t *testing.T) {
	now := time.Now()
	jane := map[string]any{"name": "JANE A DOE", "email": "jane.doe@example.com", "phone": "+1 217 555 0100",
		"raw_address": "123 MAIN ST APT 4, SPRINGFIELD, IL 62704"}
	fresh, stale := now.Add(-time.Hour), now.Add(-60*24*time.Hour) // OWNERCHECK_STALE_AFTER is 720h
	for _, tc := range []struct {
		name           string
		linked         stripemock.Linked
		status         int
		verdict, state string // body status and decision (or reason when pending)
		reason         string // the account's reason
	}{
		{"decided", stripemock.Linked{Refresh: "succeeded", RefreshedAt: fresh, NextRefreshAt: now, Owner: jane}, 200, "decided", "pass", ""},
		{"pending", stripemock.Linked{Refresh: "pending", RefreshedAt: now, Owner: jane}, 202, "pending", "", "refresh_pending"},
		{"stale", stripemock.Linked{Refresh: "succeeded", RefreshedAt: stale, NextRefreshAt: stale.Add(time.Hour), Owner: jane}, 202, "pending", "", "refresh_started"},
		{"disconnected", stripemock.Linked{Status: "disconnected", Refresh: "succeeded", RefreshedAt: fresh, NextRefreshAt: now, Owner: jane}, 200, "decided", "unverifiable", "account_disconnected"},
		// A failed refresh is tried once more when Stripe allows it, and
		// unverifiable until then.
		{"refresh failed, retry allowed", stripemock.Linked{Refresh: "failed", RefreshedAt: fresh, NextRefreshAt: now, Owner: jane}, 202, "pending", "", "refresh_started"},
		{"refresh failed", stripemock.Linked{Refresh: "failed", RefreshedAt: fresh, NextRefreshAt: now.Add(time.Hour), Owner: jane}, 200, "decided", "unverifiable", "refresh_failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // independent: each its own stripe-mock and app
			cfg := baseConfig(t)
			cfg.StripeSecretKey = "sk_test_123"
			cfg.StripePublishableKey = "pk_test_123"
			cfg.StripeAPIBase = stripemock.Start(t, tc.linked.Fixtures())
			cfg.StripeWebhookSecret = "whsec_mock0123456789abcdefABCDEF0123"
			a := start(t, cfg, io.Discard)
			c := &client{t: t, base: "http://" + a.Addr(), http: &http.Client{Timeout: 20 * time.Second}}
			s := c.authed("/v1/sessions", `{"customer":{"email":"jane.doe@example.com","name":"Jane Doe"}}`)
			if s.status != 201 {
				t.Fatalf("session: %d %s", s.status, s.raw)
			}
			r := c.authed("/v1/verdicts", `{"session":"`+s.body["session"].(string)+`","identity":`+janeJSON+`}`)
			acct := r.account(0)
			if r.status != tc.status || r.body["status"] != tc.verdict || acct == nil {
				t.Fatalf("%d %s; want %d %s", r.status, r.raw, tc.status, tc.verdict)
			}
			if tc.state != "" && (r.body["decision"] != tc.state || acct["decision"] != tc.state) {
				t.Errorf("decision %v / %v, want %s: %s", r.body["decision"], acct["decision"], tc.state, r.raw)
			}
			if tc.reason != "" && acct["reason"] != tc.reason {
				t.Errorf("reason %v, want %s: %s", acct["reason"], tc.reason, r.raw)
			}
		})
	}
}
