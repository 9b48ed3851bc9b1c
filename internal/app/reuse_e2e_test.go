package app

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ownercheck/ownercheck/internal/testutil/redistest"
)

// Identities of the reuse test: the walk-through's Jane, the same name at
// the same address with another email and phone (a second sign-up on the
// same bank account), and John, Jane's joint account holder.
const (
	secondJaneJSON = `{"type":"individual","name":"Jane Doe","address":{"line1":"123 Main St","line2":"Apt 4","city":"Springfield","state":"IL","postal_code":"62704"},"email":"j.doe.2@example.net","phone":"(312) 555-0199"}`
	thirdJaneJSON  = `{"type":"individual","name":"Jane Doe","address":{"line1":"123 Main St","line2":"Apt 4","city":"Springfield","state":"IL","postal_code":"62704"},"email":"jd3@example.org","phone":"(773) 555-0123"}`
	johnJSON       = `{"type":"individual","name":"John Doe","address":{"line1":"123 Main St","line2":"Apt 4","city":"Springfield","state":"IL","postal_code":"62704"},"email":"john.doe@example.com"}`
)

// verifyLinked plays a new customer through the sandbox: a session, the
// institution linked, the verdict polled until decided.
func (c *client) verifyLinked(customerEmail, institution, identityJSON string) (account string, r reply) {
	c.t.Helper()
	s := c.authed("/v1/sessions", `{"customer":{"email":"`+customerEmail+`","name":"Customer"}}`)
	if s.status != http.StatusCreated {
		c.t.Fatalf("session: %d %s", s.status, s.raw)
	}
	session, _ := s.body["session"].(string)
	ids := c.link(session, institution)
	_, r = c.decide(`{"session":"` + session + `","identity":` + identityJSON + `}`)
	if r.status != http.StatusOK {
		c.t.Fatalf("verdict: %d %s", r.status, r.raw)
	}
	return ids[0], r
}

func reuseCount(r reply, name string) float64 {
	sig, _ := r.account(0)["signals"].(map[string]any)
	v, _ := sig[name].(float64)
	return v
}

// TestReuseSignalsEndToEnd runs two app instances on one real Redis (each
// with its own in-process sandbox, which gives a test bank the same
// institution, last4 and owners whoever links it) and a restart: the reuse
// counts are shared and survive, a second identity on the same bank account
// goes to review with the reuse rule, a joint account verified for both of
// its owners does not, and Redis holds no PII.
func TestReuseSignalsEndToEnd(t *testing.T) {
	redisURL := redisDB(t, redistest.URL(t), 12)
	rdb := redis.NewClient(mustParseRedis(t, redisURL))
	defer rdb.Close()
	if err := rdb.FlushDB(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	newApp := func() (*App, *client) {
		cfg := baseConfig(t)
		cfg.RedisURL = redisURL
		cfg.CacheSecret = "reuse-e2e-secret-0123456789abcdef" // one fleet: one secret
		a, err := New(cfg, &syncBuffer{})
		if err != nil {
			t.Fatal(err)
		}
		return a, &client{t: t, base: "", http: &http.Client{Timeout: 20 * time.Second}}
	}
	run := func(a *App, c *client) func() {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- a.Run(ctx) }()
		c.base = "http://" + a.Addr()
		return func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
			a.Close()
		}
	}
	a1, c1 := newApp()
	stop1 := run(a1, c1)
	a2, c2 := newApp()
	stop2 := run(a2, c2)
	defer stop2()

	t.Run("second identity on the same bank goes to review", func(t *testing.T) {
		c1.t, c2.t = t, t
		first, r := c1.verifyLinked("first@example.com", "good", janeJSON)
		if r.body["decision"] != "pass" || reuseCount(r, "identities_per_account_30d") != 1 || reuseCount(r, "accounts_per_identity_30d") != 1 {
			t.Fatalf("first verdict: %s", r.raw)
		}
		second, r := c1.verifyLinked("second@example.com", "good", secondJaneJSON)
		if second == first {
			t.Fatalf("the second customer got the same account id %s", second)
		}
		acct := r.account(0)
		if r.body["decision"] != "review" || acct["rule"] != "account_reused" || reuseCount(r, "identities_per_account_30d") != 2 {
			t.Fatalf("second identity: %s", r.raw)
		}
		if !strings.Contains(strings.Join(stringsIn(acct["reasons"]), " "), "another identity") {
			t.Errorf("no reuse reason: %v", acct["reasons"])
		}
	})

	t.Run("the other instance shares the counts", func(t *testing.T) {
		c2.t = t
		_, r := c2.verifyLinked("third@example.com", "good", thirdJaneJSON)
		if r.body["decision"] != "review" || reuseCount(r, "identities_per_account_30d") != 3 {
			t.Fatalf("third identity on the other instance: %s", r.raw)
		}
	})

	t.Run("joint account verified for both owners is not reuse", func(t *testing.T) {
		c1.t, c2.t = t, t
		_, r := c1.verifyLinked("joint1@example.com", "joint", janeJSON)
		if r.body["decision"] != "pass" || reuseCount(r, "identities_per_account_30d") != 1 {
			t.Fatalf("jane on the joint account: %s", r.raw)
		}
		_, r = c2.verifyLinked("joint2@example.com", "joint", johnJSON)
		if r.body["decision"] != "pass" || reuseCount(r, "identities_per_account_30d") != 1 {
			t.Fatalf("john on the joint account: %s", r.raw)
		}
	})

	t.Run("counts survive a restart", func(t *testing.T) {
		stop1()
		a3, c3 := newApp()
		c3.t = t
		defer run(a3, c3)()
		// A known identity again, by yet another customer: counted once.
		_, r := c3.verifyLinked("fourth@example.com", "good", thirdJaneJSON)
		if r.body["decision"] != "review" || reuseCount(r, "identities_per_account_30d") != 3 {
			t.Fatalf("third identity again after a restart: %s", r.raw)
		}
	})

	t.Run("redis holds no PII", func(t *testing.T) {
		terms := piiTerms(t)
		for _, w := range []string{"j.doe.2@example.net", "jd3@example.org", "john.doe@example.com", "555-0199", "555-0123", "5550199", "5550123", "first@example.com", "second@example.com", "third@example.com", "fourth@example.com"} {
			terms = append(terms, regexp.MustCompile(`(?i)\b`+regexp.QuoteMeta(w)+`\b`))
		}
		scanRedis(t, rdb, terms)
	})
}
