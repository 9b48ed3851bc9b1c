package app

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/testutil/redistest"
)

// attackApp is the whole program on :0 with a real Redis (its own
// database), for the hostile review's end-to-end checks.
func attackApp(t *testing.T, db int) (*App, *client) {
	t.Helper()
	cfg := baseConfig(t)
	cfg.RedisURL = redisDB(t, redistest.URL(t), db)
	cfg.CacheSecret = "attack-cache-secret-0123456789abcdef"
	cfg.SandboxPending = 100 * time.Millisecond
	a := start(t, cfg, &syncBuffer{})
	return a, &client{t: t, base: "http://" + a.Addr(), http: &http.Client{Timeout: 20 * time.Second}}
}

// A caller naming accounts with a customer learns nothing about accounts
// that are not that customer's: an account id Stripe does not know and an
// account of another customer get the same answer (status, type, param,
// message but for the id), else the answer is an oracle of which fca_ ids
// exist.
func TestAccountsOfOthersAndUnknownAccountsLookAlike(t *testing.T) {
	_, c := attackApp(t, 12)
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
