package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stripe/stripe-go/v79/webhook"

	"github.com/ownercheck/ownercheck/fixtures"
	"github.com/ownercheck/ownercheck/internal/config"
	"github.com/ownercheck/ownercheck/internal/identity"
	"github.com/ownercheck/ownercheck/internal/testutil/redistest"
	"github.com/ownercheck/ownercheck/internal/webhooks"
)

const apiKey = "e2e-key-0001"

// The identity of the README walk-through; the "good" sandbox bank's owner
// matches it (fixtures/sandbox/README.md).
const janeJSON = `{"type":"individual","name":"Jane Doe","address":{"line1":"123 Main St","line2":"Apt 4","city":"Springfield","state":"IL","postal_code":"62704"},"email":"jane.doe@example.com","phone":"(217) 555-0100"}`

// syncBuffer collects the app's log lines (written from many goroutines).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// redisDB points a Redis URL at another database so this test's keys can
// be inspected apart from other packages' tests sharing the server.
func redisDB(t *testing.T, raw string, db int) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = fmt.Sprintf("/%d", db)
	return u.String()
}

type client struct {
	t    *testing.T
	base string
	http *http.Client
}

type reply struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (r reply) errParam() string {
	e, _ := r.body["error"].(map[string]any)
	s, _ := e["param"].(string)
	return s
}

func (r reply) errType() string {
	e, _ := r.body["error"].(map[string]any)
	s, _ := e["type"].(string)
	return s
}

func (r reply) account(i int) map[string]any {
	a, _ := r.body["accounts"].([]any)
	if i >= len(a) {
		return nil
	}
	m, _ := a[i].(map[string]any)
	return m
}

func (c *client) do(method, path, contentType string, body io.Reader, headers ...string) reply {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	checkResponse(c.t, req, resp, b)
	out := reply{status: resp.StatusCode, header: resp.Header, raw: string(b)}
	_ = json.Unmarshal(b, &out.body)
	return out
}

func (c *client) post(path, body string, headers ...string) reply {
	c.t.Helper()
	return c.do("POST", path, "application/json", strings.NewReader(body), headers...)
}

func (c *client) authed(path, body string, headers ...string) reply {
	c.t.Helper()
	return c.post(path, body, append([]string{"Authorization", "Bearer " + apiKey}, headers...)...)
}

// link plays the person on the sandbox's link page.
func (c *client) link(session, institution string) []string {
	c.t.Helper()
	r := c.do("POST", "/sandbox/link/"+session, "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"institution": {institution}}.Encode()), "Accept", "application/json")
	if r.status != 200 {
		c.t.Fatalf("linking %s: %d %s", institution, r.status, r.raw)
	}
	var ids []string
	for _, a := range r.body["accounts"].([]any) {
		ids = append(ids, a.(string))
	}
	return ids
}

// decide polls POST /v1/verdicts while it answers 202, as a client would.
func (c *client) decide(body string) (first, last reply) {
	c.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for i := 0; ; i++ {
		r := c.authed("/v1/verdicts", body)
		if i == 0 {
			first = r
		}
		if r.status != http.StatusAccepted {
			return first, r
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("still pending after 15s: %s", r.raw)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestEndToEnd runs the whole program as `ownercheck serve` does: the real
// HTTP server on 127.0.0.1:0, stripe-go talking to the in-process sandbox
// over HTTP, a real redis-server, signed webhooks. It walks the README's
// flow and checks what issue 3 lists; the last subtest checks that none of
// the logs written during the run carry PII.
func TestEndToEnd(t *testing.T) {
	redisURL := redisDB(t, redistest.URL(t), 13)
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.Addr = "127.0.0.1:0"
	cfg.APIKeys = []string{apiKey}
	cfg.RedisURL = redisURL
	cfg.CacheSecret = "e2e-cache-secret-0123456789abcdef0123"
	cfg.SandboxPending = 300 * time.Millisecond
	cfg.BodyLimit = 8 << 10
	cfg.LogLevel = -8 // everything, debug included: the PII check must see it all
	// Logged as serve logs (through a BufferedLog, access lines written
	// without slog), so the PII check below also reads those.
	logs := &syncBuffer{}
	logOut := newBufferedLog(logs, 10*time.Millisecond)
	t.Cleanup(func() { logOut.Close() })
	a := start(t, cfg, logOut)
	c := &client{t: t, base: "http://" + a.Addr(), http: &http.Client{Timeout: 20 * time.Second}}

	rdb := redis.NewClient(mustParseRedis(t, redisURL))
	defer rdb.Close()
	if err := rdb.FlushDB(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}

	var sessionID, customerID, account string

	t.Run("health and readiness", func(t *testing.T) {
		if r := c.do("GET", "/healthz", "", nil); r.status != 200 || r.body["status"] != "ok" {
			t.Errorf("healthz: %d %s", r.status, r.raw)
		}
		if r := c.do("GET", "/readyz", "", nil); r.status != 200 || r.raw != `{"status":"ready"}` {
			t.Errorf("public readyz says ready and nothing else (issue 9 item 4): %d %s", r.status, r.raw)
		}
		r := c.do("GET", "/readyz", "", nil, "Authorization", "Bearer "+apiKey)
		cache, _ := r.body["cache"].(map[string]any)
		if r.status != 200 || cache["backend"] != "redis" || cache["ok"] != true {
			t.Errorf("readyz: %d %s", r.status, r.raw)
		}
	})

	t.Run("auth failures", func(t *testing.T) {
		body := `{"customer":{"email":"jane.doe@example.com","name":"Jane Doe"}}`
		for _, hdr := range [][]string{nil, {"Authorization", "Bearer sandbox-key"}, {"Authorization", "Bearer " + apiKey + "x"}, {"Authorization", apiKey}} {
			if r := c.post("/v1/sessions", body, hdr...); r.status != 401 || r.errType() != "unauthorized" {
				t.Errorf("%v: %d %s", hdr, r.status, r.raw)
			}
		}
		if r := c.post("/v1/verdicts", `{}`); r.status != 401 {
			t.Errorf("verdicts without a key: %d", r.status)
		}
		if r := c.post("/admin/reload", ``); r.status != 401 {
			t.Errorf("reload without a key: %d", r.status)
		}
	})

	t.Run("bad bodies", func(t *testing.T) {
		cases := []struct{ path, body, param string }{
			{"/v1/sessions", `{"customer":`, "body"},
			{"/v1/sessions", `{"customer":{"email":"not-an-email"}}`, "customer.email"},
			{"/v1/sessions", `{"customer":"cus_1","retrun_url":"https://x"}`, "retrun_url"},
			{"/v1/verdicts", `{"accounts":["fca_1"],"identity":{"type":"individual","name":"J","address":{"postal_code":62704}}}`, "identity.address.postal_code"},
			{"/v1/verdicts", `{"session":"sess_1","identity":{"type":"individual","name":"J"}}`, "session"},
			{"/v1/verdicts", `[]`, "body"},
		}
		for _, tc := range cases {
			if r := c.authed(tc.path, tc.body); r.status != 400 || r.errType() != "invalid_request" || r.errParam() != tc.param {
				t.Errorf("%s %s: %d %s, want 400 naming %q", tc.path, tc.body, r.status, r.raw, tc.param)
			}
		}
		// Issue 10: an unknown session is a 404 naming it, not a 400.
		if r := c.authed("/v1/verdicts", `{"session":"fcsess_nope","identity":{"type":"individual","name":"J"}}`); r.status != 404 || r.errType() != "not_found" || r.errParam() != "session" {
			t.Errorf("unknown session: %d %s, want 404 naming session", r.status, r.raw)
		}
		big := `{"accounts":["fca_1"],"identity":{"type":"individual","name":"` + strings.Repeat("x", 9000) + `"}}`
		if r := c.authed("/v1/verdicts", big); r.status != 413 || r.errType() != "too_large" {
			t.Errorf("over the body limit: %d %s", r.status, r.raw)
		}
		// Without Content-Length (chunked) too.
		r := c.do("POST", "/v1/verdicts", "application/json", io.MultiReader(strings.NewReader(big)), "Authorization", "Bearer "+apiKey)
		if r.status != 413 {
			t.Errorf("chunked over the body limit: %d %s", r.status, r.raw)
		}
	})

	t.Run("create session", func(t *testing.T) {
		r := c.authed("/v1/sessions", `{"customer":{"email":"jane.doe@example.com","name":"Jane Doe"},"return_url":"https://onboarding.example.com/bank/done"}`,
			"Idempotency-Key", "e2e-session-1")
		if r.status != 201 {
			t.Fatalf("%d %s", r.status, r.raw)
		}
		sessionID, _ = r.body["session"].(string)
		customerID, _ = r.body["customer"].(string)
		secret, _ := r.body["client_secret"].(string)
		if !strings.HasPrefix(sessionID, "fcsess_") || !strings.HasPrefix(secret, sessionID) || r.body["publishable_key"] != "pk_test_sandbox" || r.body["livemode"] != false {
			t.Fatalf("session answer: %s", r.raw)
		}
		// An existing customer gets another session.
		if r := c.authed("/v1/sessions", `{"customer":"`+customerID+`"}`); r.status != 201 || r.body["session"] == sessionID {
			t.Errorf("existing customer: %d %s", r.status, r.raw)
		}
		if r := c.authed("/v1/sessions", `{"customer":"cus_doesnotexist"}`); r.status != 400 || r.errParam() != "customer" {
			t.Errorf("unknown customer: %d %s", r.status, r.raw)
		}
	})
	if sessionID == "" {
		t.Fatal("no session; cannot go on")
	}
	verdictBody := `{"session":"` + sessionID + `","identity":` + janeJSON + `}`

	t.Run("verdict before linking", func(t *testing.T) {
		if r := c.authed("/v1/verdicts", verdictBody); r.status != 409 || r.errParam() != "session" {
			t.Errorf("%d %s", r.status, r.raw)
		}
	})

	t.Run("link, pending, decided", func(t *testing.T) {
		ids := c.link(sessionID, "good")
		if len(ids) != 1 {
			t.Fatalf("linked %v", ids)
		}
		account = ids[0]
		first, last := c.decide(verdictBody)
		if first.status != 202 || first.body["status"] != "pending" {
			t.Errorf("first answer while the refresh runs: %d %s", first.status, first.raw)
		}
		if ra := first.header.Get("Retry-After"); ra == "" || strings.Trim(ra, "0123456789") != "" {
			t.Errorf("202 needs a Retry-After in seconds, got %q", ra)
		}
		if last.status != 200 || last.body["status"] != "decided" || last.body["decision"] != "pass" {
			t.Fatalf("decided: %d %s", last.status, last.raw)
		}
		acct := last.account(0)
		if acct["account"] != account || acct["decision"] != "pass" || acct["cached"] != false || acct["refreshed_at"] == nil || acct["scores"] == nil {
			t.Errorf("account verdict: %v", acct)
		}
		if last.body["ruleset"] == "" || !strings.HasPrefix(fmt.Sprint(last.body["digest"]), "sha256:") {
			t.Errorf("ruleset and digest: %s", last.raw)
		}
	})
	if account == "" {
		t.Fatal("no account; cannot go on")
	}

	t.Run("repeat is cached", func(t *testing.T) {
		r := c.authed("/v1/verdicts", verdictBody)
		if r.status != 200 || r.account(0)["cached"] != true || r.account(0)["decision"] != "pass" {
			t.Errorf("%d %s", r.status, r.raw)
		}
		// The same account named directly, with the customer who linked
		// it, shares the cache entry and costs no Stripe call.
		before := a.Sandbox.Stats().Requests
		r = c.authed("/v1/verdicts", `{"customer":"`+customerID+`","accounts":["`+account+`"],"identity":`+janeJSON+`}`)
		if r.status != 200 || r.account(0)["cached"] != true {
			t.Errorf("by account id: %d %s", r.status, r.raw)
		}
		if n := a.Sandbox.Stats().Requests - before; n != 0 {
			t.Errorf("a cached verdict by account id made %d Stripe requests", n)
		}
	})

	t.Run("accounts are bound to their customer", func(t *testing.T) {
		for _, tc := range []struct{ body, param string }{
			{`{"accounts":["` + account + `"],"identity":` + janeJSON + `}`, "customer"},
			{`{"customer":"cus_someoneelse","accounts":["` + account + `"],"identity":` + janeJSON + `}`, "accounts"},
			{`{"customer":"cus_1","accounts":["fca_gen_1"],"identity":` + janeJSON + `}`, "accounts"},
		} {
			if r := c.authed("/v1/verdicts", tc.body); r.status != 400 || r.errParam() != tc.param {
				t.Errorf("%s: %d %s, want 400 naming %s", tc.body, r.status, r.raw, tc.param)
			}
		}
	})

	t.Run("redis holds no PII", func(t *testing.T) {
		scanRedis(t, rdb, piiTerms(t), account)
	})

	var eventPayload []byte
	t.Run("webhook updates the snapshot", func(t *testing.T) {
		// The account as Stripe would send it in a .disconnected event.
		acct := c.do("GET", "/sandbox/v1/financial_connections/accounts/"+account, "", nil, "Authorization", "Bearer sk_test_e2e")
		if acct.status != 200 {
			t.Fatalf("sandbox account: %d %s", acct.status, acct.raw)
		}
		acct.body["status"] = "disconnected"
		eventPayload, _ = json.Marshal(map[string]any{
			"id": "evt_e2e_1", "object": "event", "api_version": webhooks.APIVersion, "created": time.Now().Unix(),
			"type": webhooks.Disconnected, "data": map[string]any{"object": acct.body},
		})
		r := c.do("POST", "/v1/webhooks/stripe", "application/json", bytes.NewReader(eventPayload), "Stripe-Signature", sign(eventPayload, a.Config.StripeWebhookSecret, time.Now()))
		if r.status != 200 || r.body["status"] != "applied" {
			t.Fatalf("webhook: %d %s", r.status, r.raw)
		}
		before := a.Sandbox.Stats().Requests
		byAccount := `{"customer":"` + customerID + `","accounts":["` + account + `"],"identity":` + janeJSON + `}`
		r = c.authed("/v1/verdicts", byAccount)
		if r.status != 200 || r.account(0)["reason"] != "account_disconnected" || r.account(0)["cached"] != false {
			t.Errorf("after the event the verdict follows it: %d %s", r.status, r.raw)
		}
		if n := a.Sandbox.Stats().Requests - before; n != 0 {
			t.Errorf("answering from the event's snapshot made %d Stripe requests", n)
		}
	})

	t.Run("webhook failures", func(t *testing.T) {
		secret := a.Config.StripeWebhookSecret
		replay := c.do("POST", "/v1/webhooks/stripe", "application/json", bytes.NewReader(eventPayload), "Stripe-Signature", sign(eventPayload, secret, time.Now()))
		if replay.status != 200 || replay.body["status"] != "duplicate" {
			t.Errorf("replayed event id: %d %s", replay.status, replay.raw)
		}
		cases := []struct {
			name, sig string
			param     string
		}{
			{"bad signature", sign(eventPayload, "whsec_wrong", time.Now()), "Stripe-Signature"},
			{"stale timestamp", sign(eventPayload, secret, time.Now().Add(-6*time.Minute)), "Stripe-Signature"},
			{"no signature", "", "Stripe-Signature"},
			{"signed an hour ahead (issue 9 item 6)", sign(eventPayload, secret, time.Now().Add(time.Hour)), "Stripe-Signature"},
		}
		for _, tc := range cases {
			var hdr []string
			if tc.sig != "" {
				hdr = []string{"Stripe-Signature", tc.sig}
			}
			if r := c.do("POST", "/v1/webhooks/stripe", "application/json", bytes.NewReader(eventPayload), hdr...); r.status != 400 || r.errParam() != tc.param {
				t.Errorf("%s: %d %s", tc.name, r.status, r.raw)
			}
		}
		other, _ := json.Marshal(map[string]any{"id": "evt_e2e_2", "object": "event", "api_version": "2022-11-15", "type": webhooks.Disconnected,
			"data": map[string]any{"object": map[string]any{"id": account}}})
		// Issue 9 item 6: any API version is accepted; only its type and
		// data.object.id are used.
		if r := c.do("POST", "/v1/webhooks/stripe", "application/json", bytes.NewReader(other), "Stripe-Signature", sign(other, secret, time.Now())); r.status != 200 || r.body["status"] != "applied" {
			t.Errorf("another API version: %d %s", r.status, r.raw)
		}
		for name, over := range map[string]map[string]any{"empty id": {"id": ""}, "live event, test key": {"id": "evt_e2e_4", "livemode": true}} {
			m := map[string]any{"object": "event", "api_version": webhooks.APIVersion, "type": webhooks.Disconnected, "livemode": false,
				"data": map[string]any{"object": map[string]any{"id": account}}}
			for k, v := range over {
				m[k] = v
			}
			ev, _ := json.Marshal(m)
			if r := c.do("POST", "/v1/webhooks/stripe", "application/json", bytes.NewReader(ev), "Stripe-Signature", sign(ev, secret, time.Now())); r.status != 400 {
				t.Errorf("%s: %d %s", name, r.status, r.raw)
			}
		}
		unknown, _ := json.Marshal(map[string]any{"id": "evt_e2e_3", "object": "event", "api_version": webhooks.APIVersion, "type": "payment_intent.succeeded",
			"data": map[string]any{"object": map[string]any{"id": "pi_1"}}})
		if r := c.do("POST", "/v1/webhooks/stripe", "application/json", bytes.NewReader(unknown), "Stripe-Signature", sign(unknown, secret, time.Now())); r.status != 200 || r.body["status"] != "ignored" {
			t.Errorf("unknown type: %d %s", r.status, r.raw)
		}
	})

	t.Run("sandbox webhooks reach the service", func(t *testing.T) {
		r := c.authed("/v1/sessions", `{"customer":"`+customerID+`"}`)
		if r.status != 201 {
			t.Fatalf("%d %s", r.status, r.raw)
		}
		sess := r.body["session"].(string)
		ids := c.link(sess, "disconnected")
		// The sandbox signs a financial_connections.account.disconnected
		// event with the configured secret and posts it to the service.
		waitFor(t, "the sandbox's disconnected event to be applied", func() bool {
			return strings.Contains(logs.String(), `"type":"financial_connections.account.disconnected","account":"`+ids[0]+`"`)
		})
		_, last := c.decide(`{"session":"` + sess + `","identity":` + janeJSON + `}`)
		if last.status != 200 || last.body["decision"] != "unverifiable" || last.account(0)["reason"] != "account_disconnected" {
			t.Errorf("disconnected account: %d %s", last.status, last.raw)
		}
		if strings.Contains(logs.String(), "sandbox webhook refused") {
			t.Error("the service refused a sandbox webhook")
		}
	})

	t.Run("near miss fails", func(t *testing.T) {
		r := c.authed("/v1/sessions", `{"customer":"`+customerID+`"}`)
		if r.status != 201 {
			t.Fatalf("%d %s", r.status, r.raw)
		}
		sess := r.body["session"].(string)
		c.link(sess, "near_miss") // JANET DOE at Jane's address: a family member
		_, last := c.decide(`{"session":"` + sess + `","identity":` + janeJSON + `}`)
		if last.status != 200 || last.body["decision"] != "fail" {
			t.Errorf("near miss: %d %s", last.status, last.raw)
		}
	})

	t.Run("inactive account decided on its fresh ownership", func(t *testing.T) {
		r := c.authed("/v1/sessions", `{"customer":"`+customerID+`"}`)
		if r.status != 201 {
			t.Fatalf("%d %s", r.status, r.raw)
		}
		sess := r.body["session"].(string)
		c.link(sess, "inactive")
		_, last := c.decide(`{"session":"` + sess + `","identity":` + janeJSON + `}`)
		if last.status != 200 || last.body["decision"] != "pass" || last.account(0)["account_status"] != "inactive" {
			t.Errorf("inactive account: %d %s", last.status, last.raw)
		}
	})

	t.Run("rules reload by SIGHUP and by API", func(t *testing.T) {
		if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the SIGHUP reload", func() bool {
			return strings.Contains(logs.String(), `"msg":"rules reloaded","trigger":"sighup"`)
		})
		if r := c.authed("/admin/reload", ``); r.status != 200 || r.body["status"] != "reloaded" {
			t.Errorf("admin reload: %d %s", r.status, r.raw)
		}
	})

	t.Run("metrics", func(t *testing.T) {
		m := c.do("GET", "/metrics", "", nil).raw
		for _, want := range []string{
			`ownercheck_http_requests_total{method="POST",route="/v1/verdicts",status="202"}`,
			`ownercheck_http_requests_total{method="POST",route="/v1/verdicts",status="200"}`,
			`ownercheck_http_requests_total{method="POST",route="/v1/sessions",status="401"}`,
			`ownercheck_http_requests_total{method="POST",route="/v1/webhooks/stripe",status="200"}`,
			`ownercheck_cache_up{backend="redis"} 1`,
			`ownercheck_verdict_cache_total{outcome="hit"}`,
			// Issue 10: decisions by decision and deciding rule.
			`ownercheck_verdicts_total{decision="pass",rule="corroborated_by_address"}`,
			`ownercheck_verdicts_total{decision="fail",rule=`,
			`ownercheck_stripe_requests_total{status="200"}`,
			`ownercheck_rules_reloads_total{result="ok",trigger="sighup"} 1`,
		} {
			if !strings.Contains(m, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		if strings.Contains(m, "fcsess_") || strings.Contains(m, "fca_") || strings.Contains(m, "cus_") {
			t.Error("metric labels carry ids")
		}
	})

	t.Run("logs carry no PII", func(t *testing.T) {
		if err := logOut.Flush(); err != nil {
			t.Fatal(err)
		}
		out := logs.String()
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) < 40 || !strings.Contains(out, `"route":"/v1/verdicts"`) || !strings.Contains(out, "SANDBOX MODE") {
			t.Fatalf("the run logged too little to judge (%d lines)", len(lines))
		}
		terms := piiTerms(t)
		answered := 0
		for _, line := range lines {
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Errorf("not a JSON log line: %q", line)
				continue
			}
			if rec["msg"] == "request" && rec["route"] == "/v1/verdicts" && rec["status"] == float64(200) {
				answered++
				if rec["api_key_id"] == nil {
					t.Errorf("access line of an answered verdict without its key id: %s", line)
				}
			}
			delete(rec, "time")
			delete(rec, "request_id") // random hex could spell a ZIP
			if term := findPII(strings.Join(stringsIn(rec), "\n"), terms); term != "" {
				t.Errorf("log line holds %q: %s", term, line)
			}
		}
		if answered == 0 {
			t.Error("no access line of an answered verdict")
		}
	})
}

func sign(payload []byte, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: at}).Header
}

func mustParseRedis(t *testing.T, u string) *redis.Options {
	o, err := redis.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// piiTerms are the names, addresses, emails and phones this run handles:
// the identity sent and every sandbox owner, whole and by distinctive word.
func piiTerms(t *testing.T) []*regexp.Regexp {
	var insts []struct {
		Accounts []struct {
			Owners []identity.Owner `json:"owners"`
		} `json:"accounts"`
	}
	if err := json.Unmarshal(fixtures.SandboxInstitutions, &insts); err != nil {
		t.Fatal(err)
	}
	words := map[string]bool{"springfield": true, "portland": true, "hawthorne": true, "dayton": true, "industrial": true,
		"62704": true, "97214": true, "45402": true, "main st": true, "main street": true, "5550100": true, "555-0100": true, "555 0100": true}
	var id identity.Identity
	if err := json.Unmarshal([]byte(janeJSON), &id); err != nil {
		t.Fatal(err)
	}
	whole := []string{id.Name, id.Email, id.Phone, id.Address.Line1}
	for _, inst := range insts {
		for _, a := range inst.Accounts {
			for _, o := range a.Owners {
				whole = append(whole, o.Name, o.Email, o.Phone, o.RawAddress)
				for _, w := range strings.Fields(o.Name) {
					if w = strings.Trim(w, "."); len(w) >= 3 && w != "AND" && !strings.Contains(w, ".") {
						words[strings.ToLower(w)] = true
					}
				}
			}
		}
	}
	for _, w := range whole {
		if w != "" {
			words[strings.ToLower(w)] = true
		}
	}
	var out []*regexp.Regexp
	for w := range words {
		out = append(out, regexp.MustCompile(`(?i)\b`+regexp.QuoteMeta(w)+`\b`))
	}
	return out
}

// scanRedis checks that every key in rdb's database is an HMAC (or the
// Stripe budget's hash) and that no value holds a PII term or a Stripe id.
func scanRedis(t *testing.T, rdb *redis.Client, terms []*regexp.Regexp, ids ...string) {
	t.Helper()
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) == 0 {
		t.Fatal("nothing was cached in Redis")
	}
	// Cache keys are HMACs (a reuse signal's daily HyperLogLog adds the
	// day, its merge of the window's older days "w" and the day); the
	// Stripe budget's are a hash of the Stripe key (redis_rate adds
	// "rate:").
	keyRE := regexp.MustCompile(`^oc:v1:[0-9a-f]{64}(:[dw][0-9]+)?$|^(rate:)?oc:stripe-budget:[0-9a-f]{24}(:batch|:slow)?$`)
	for _, k := range keys {
		m := keyRE.FindStringSubmatch(k)
		if m == nil {
			t.Errorf("key %q is not an HMAC", k)
		}
		var val string
		switch rdb.Type(ctx, k).Val() {
		case "string":
			val = rdb.Get(ctx, k).Val()
		case "set":
			val = strings.Join(rdb.SMembers(ctx, k).Val(), " ")
		}
		if m != nil && m[1] != "" && !strings.HasPrefix(val, "HYLL") {
			t.Errorf("day key %q is not a HyperLogLog", k)
		}
		if term := findPII(val, terms); term != "" {
			t.Errorf("value of %s holds %q: %s", k, term, val)
		}
		for _, id := range ids {
			if id != "" && strings.Contains(val, id) {
				t.Errorf("value of %s names %s", k, id)
			}
		}
	}
}

func findPII(s string, terms []*regexp.Regexp) string {
	for _, re := range terms {
		if m := re.FindString(s); m != "" {
			return m
		}
	}
	return ""
}

// stringsIn lists every string (keys and values) in a decoded JSON value.
func stringsIn(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case map[string]any:
		var out []string
		for k, x := range v {
			out = append(out, k)
			out = append(out, stringsIn(x)...)
		}
		return out
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, stringsIn(x)...)
		}
		return out
	}
	return nil
}
