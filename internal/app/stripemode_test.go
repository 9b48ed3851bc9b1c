package app

import (
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
