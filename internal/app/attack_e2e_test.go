package app

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/ownercheck/ownercheck/internal/config"
	"github.com/ownercheck/ownercheck/internal/testutil/redistest"
	"github.com/ownercheck/ownercheck/internal/webhooks"
)

// attackConfig is the program's configuration for the hostile review's
// end-to-end checks, on the Redis at url.
func attackConfig(t *testing.T, url string) config.Config {
	cfg := baseConfig(t)
	cfg.RedisURL = url
	cfg.CacheSecret = "attack-cache-secret-0123456789abcdef"
	cfg.SandboxPending = 100 * time.Millisecond
	return cfg
}

// attackApp is the whole program on :0 with cfg, and a client of it.
func attackApp(t *testing.T, cfg config.Config) (*App, *client) {
	t.Helper()
	a := start(t, cfg, &syncBuffer{})
	return a, &client{t: t, base: "http://" + a.Addr(), http: &http.Client{Timeout: 20 * time.Second}}
}

// janePasses links a good sandbox account for a new customer and decides
// Jane's verdict on it (a pass); it returns that verdict's body and the
// account.
func (c *client) janePasses() (body, account string) {
	c.t.Helper()
	r := c.authed("/v1/sessions", `{"customer":{"email":"jane.doe@example.com","name":"Jane Doe"}}`)
	if r.status != 201 {
		c.t.Fatalf("session: %d %s", r.status, r.raw)
	}
	account = c.link(r.body["session"].(string), "good")[0]
	body = `{"customer":"` + r.body["customer"].(string) + `","accounts":["` + account + `"],"identity":` + janeJSON + `}`
	if _, last := c.decide(body); last.status != 200 || last.body["decision"] != "pass" {
		c.t.Fatalf("first verdict: %d %s", last.status, last.raw)
	}
	return body, account
}

// A caller naming accounts with a customer learns nothing about accounts
// that are not that customer's: an account id Stripe does not know and an
// account of another customer get the same answer (status, type, param,
// message but for the id), else the answer is an oracle of which fca_ ids
// exist.
func TestAccountsOfOthersAndUnknownAccountsLookAlike(t *testing.T) {
	_, c := attackApp(t, attackConfig(t, redisDB(t, redistest.URL(t), 12)))
	r := c.authed("/v1/sessions", `{"customer":{"email":"jane.doe@example.com","name":"Jane Doe"}}`)
	if r.status != 201 {
		t.Fatalf("session: %d %s", r.status, r.raw)
	}
	mine := c.link(r.body["session"].(string), "good")[0]
	customer := r.body["customer"].(string)
	// Another customer's account, once read from Stripe and once answered
	// from its cached snapshot.
	r = c.authed("/v1/sessions", `{"customer":{"email":"mallory@example.com","name":"Mallory"}}`)
	theirs := c.link(r.body["session"].(string), "good")[0]
	ask := func(acct string) reply {
		return c.authed("/v1/verdicts", `{"customer":"`+customer+`","accounts":["`+mine+`","`+acct+`"],"identity":`+janeJSON+`}`)
	}
	ids := regexp.MustCompile(`fca_[A-Za-z0-9_]+`)
	shape := func(r reply) string { return ids.ReplaceAllString(r.raw, "fca_X") }
	other := ask(theirs)
	cachedOther := ask(theirs)
	unknown := ask("fca_doesnotexist0")
	if other.status != 400 || other.errParam() != "accounts" {
		t.Fatalf("another customer's account: %d %s, want 400 naming accounts", other.status, other.raw)
	}
	for name, r := range map[string]reply{"cached snapshot of another customer's account": cachedOther, "unknown account": unknown} {
		if r.status != other.status || shape(r) != shape(other) {
			t.Errorf("%s: %d %s\nwant the same answer as another customer's account: %d %s", name, r.status, r.raw, other.status, other.raw)
		}
	}
}

// Redis going away and coming back, with near copies on: verdicts keep
// answering (never a 5xx); a webhook that cannot be stored is refused
// with a retryable 503 and Retry-After in the one error shape (Stripe
// retries it; a 200 would lose the event, a 500 says the service is
// broken); once Redis is back, the event's retry is applied and the next
// verdict follows it, not the copy of the verdict from before.
func TestRedisDownAndUpEndToEnd(t *testing.T) {
	m := miniredis.RunT(t)
	cfg := attackConfig(t, "redis://"+m.Addr()+"/0")
	a, c := attackApp(t, cfg)
	body, account := c.janePasses()
	disconnect := func(id string) reply {
		acct := c.do("GET", "/sandbox/v1/financial_connections/accounts/"+account, "", nil, "Authorization", "Bearer sk_test_e2e")
		acct.body["status"] = "disconnected"
		ev, _ := json.Marshal(map[string]any{"id": id, "object": "event", "api_version": webhooks.APIVersion, "created": time.Now().Unix(),
			"type": webhooks.Disconnected, "data": map[string]any{"object": acct.body}})
		return c.do("POST", "/v1/webhooks/stripe", "application/json", bytes.NewReader(ev), "Stripe-Signature", sign(ev, a.Config.StripeWebhookSecret, time.Now()))
	}

	m.Close()
	if r := c.authed("/v1/verdicts", body); r.status != 200 || r.body["decision"] != "pass" {
		t.Errorf("verdict with Redis down: %d %s", r.status, r.raw)
	}
	r := disconnect("evt_attack_down")
	if r.status != 503 || r.errType() != "unavailable" || r.header.Get("Retry-After") == "" {
		t.Errorf("webhook with Redis down: %d %s (Retry-After %q), want a retryable 503", r.status, r.raw, r.header.Get("Retry-After"))
	}

	if err := m.Restart(); err != nil {
		t.Fatal(err)
	}
	// Back: the answer is the cached one again (the cache's breaker and
	// the near copies' subscription recover by themselves).
	waitFor(t, "verdicts from the cache again", func() bool {
		r := c.authed("/v1/verdicts", body)
		if r.status >= 500 {
			t.Fatalf("verdict while Redis comes back: %d %s", r.status, r.raw)
		}
		return r.account(0)["cached"] == true
	})
	// Stripe's retry of the refused event.
	var applied reply
	waitFor(t, "the retried event to be applied", func() bool {
		applied = disconnect("evt_attack_down")
		return applied.status == 200
	})
	if applied.body["status"] != "applied" {
		t.Errorf("retried event: %s", applied.raw)
	}
	if r := c.authed("/v1/verdicts", body); r.status != 200 || r.account(0)["reason"] != "account_disconnected" {
		t.Errorf("after the event: %d %s", r.status, r.raw)
	}
}

// Two serve replicas on one Redis (the second in Stripe mode against the
// first's sandbox): a verdict the second answers from its near copies
// follows an event the first applied at once, through the invalidation
// channel, not after the near copies' age (set to 10s here) or the next
// read of the reuse counts.
func TestReplicasNearCopiesFollowEachOthersEvents(t *testing.T) {
	cfg := attackConfig(t, redisDB(t, redistest.URL(t), 11))
	cfg.NearCache = 10 * time.Second
	cfg.StripeWebhookSecret = "whsec_attack0123456789abcdefABCDEF01"
	a, c1 := attackApp(t, cfg)
	cfg2 := cfg
	cfg2.StripeSecretKey, cfg2.StripePublishableKey, cfg2.StripeAPIBase = "sk_test_sandbox", "pk_test_sandbox", "http://"+a.Addr()+"/sandbox"
	b := start(t, cfg2, &syncBuffer{})
	c2 := &client{t: t, base: "http://" + b.Addr(), http: c1.http}

	body, account := c1.janePasses()
	// The second replica answers from the cache, then from its copies.
	waitFor(t, "the second replica's near copies", func() bool {
		return strings.Contains(c2.do("GET", "/metrics", "", nil).raw, "ownercheck_cache_near_in_use 1")
	})
	for range 3 {
		if r := c2.authed("/v1/verdicts", body); r.status != 200 || r.account(0)["cached"] != true {
			t.Fatalf("second replica: %d %s", r.status, r.raw)
		}
	}
	acct := c1.do("GET", "/sandbox/v1/financial_connections/accounts/"+account, "", nil, "Authorization", "Bearer sk_test_sandbox")
	acct.body["status"] = "disconnected"
	ev, _ := json.Marshal(map[string]any{"id": "evt_attack_replicas", "object": "event", "api_version": webhooks.APIVersion, "created": time.Now().Unix(),
		"type": webhooks.Disconnected, "data": map[string]any{"object": acct.body}})
	if r := c1.do("POST", "/v1/webhooks/stripe", "application/json", bytes.NewReader(ev), "Stripe-Signature", sign(ev, cfg.StripeWebhookSecret, time.Now())); r.status != 200 {
		t.Fatalf("webhook on the first replica: %d %s", r.status, r.raw)
	}
	start := time.Now()
	for {
		r := c2.authed("/v1/verdicts", body)
		if r.account(0)["reason"] == "account_disconnected" {
			break
		}
		// Without the invalidation the copy would answer until the
		// reuse counts are read again (1s after the last) or its 10s age.
		if time.Since(start) > 500*time.Millisecond {
			t.Fatalf("the second replica still answers %s %v after the first applied the event", r.body["decision"], r.account(0)["reason"])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A Redis that accepts connections and never answers (a partition, a
// stuck server): verdicts are slower, never a 5xx, and each one is
// answered well within the request deadline (every cache call, the near
// copies' subscription and the Stripe budget give up after their own
// short timeouts).
func TestHungRedisEndToEnd(t *testing.T) {
	_, c := attackApp(t, attackConfig(t, "redis://"+redistest.Hung(t)+"/0"))
	body, _ := c.janePasses()
	for i := range 5 {
		start := time.Now()
		r := c.authed("/v1/verdicts", body)
		if r.status != 200 || r.body["decision"] != "pass" {
			t.Errorf("verdict %d with Redis hanging: %d %s", i, r.status, r.raw)
		}
		if el := time.Since(start); el > 3*time.Second {
			t.Errorf("verdict %d with Redis hanging took %v", i, el)
		}
	}
}
