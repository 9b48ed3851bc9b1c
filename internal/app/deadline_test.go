package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/sandbox"
)

// Issue 7 item 5: a verdict that cannot get a Stripe request slot within
// OWNERCHECK_STRIPE_WAIT is answered 503 with Retry-After in the one error
// shape, promptly, and the access log records the 503 that was sent.
// The budget is one request per 50s, so the second Stripe call of the
// first verdicts (owners after the account) cannot get a slot.
func TestStripeWaitPastDeadlineAnswers503(t *testing.T) {
	cfg := baseConfig(t)
	cfg.StripeRPS = 0.02
	cfg.Fleet.StripeWait = 500 * time.Millisecond
	cfg.Fleet.RequestTimeout = 3 * time.Second
	logs := &syncBuffer{}
	a := start(t, cfg, logs)
	c := &client{t: t, base: "http://" + a.Addr(), http: &http.Client{Timeout: 20 * time.Second}}

	var got reply
	for n := range 3 {
		id, _ := json.Marshal(sandbox.GeneratedIdentity(n))
		t0 := time.Now()
		got = c.authed("/v1/verdicts", fmt.Sprintf(`{"customer":%q,"accounts":["fca_gen_%d"],"identity":%s}`, sandbox.GeneratedCustomer(n), n, id))
		if el := time.Since(t0); el > cfg.Fleet.RequestTimeout {
			t.Fatalf("answered after %v, past the request deadline", el)
		}
		if got.status == http.StatusServiceUnavailable {
			break
		}
	}
	if got.status != http.StatusServiceUnavailable {
		t.Fatalf("no 503 with a budget of one request per 50s: %d %s", got.status, got.raw)
	}
	e, _ := got.body["error"].(map[string]any)
	if msg, _ := e["message"].(string); e["type"] != "unavailable" || !strings.Contains(msg, "budget") {
		t.Errorf("error shape: %s", got.raw)
	}
	if s, err := strconv.Atoi(got.header.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("Retry-After %q", got.header.Get("Retry-After"))
	}
	waitFor(t, "the access log line", func() bool {
		return strings.Contains(logs.String(), `"route":"/v1/verdicts","status":503`)
	})
}
