package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v79/webhook"

	"github.com/ownercheck/ownercheck/internal/config"
	"github.com/ownercheck/ownercheck/internal/testutil/redistest"
)

// syncBuffer collects the service's logs for the PII check.
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

type client struct {
	t    *testing.T
	base string
	key  string
}

func (c *client) do(method, path, key string, body any, headers ...string) (int, http.Header, map[string]any) {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, resp.Header, out
}

const (
	apiKey   = "e2e-key"
	whSecret = "whsec_e2e"
)

var janeIdentity = map[string]any{"type": "individual", "name": "Jane Doe", "email": "jane.doe@example.com", "phone": "217-555-0100",
	"address": map[string]any{"line1": "123 Main St", "line2": "Apt 4", "city": "Springfield", "state": "IL", "postal_code": "62704"}}

// TestEndToEnd starts the whole program on 127.0.0.1:0 in sandbox mode with
// a real Redis and drives it through HTTP and stripe-go, as the README's
// walk-through does.
func TestEndToEnd(t *testing.T) {
	logs := &syncBuffer{}
	cfg, err := config.FromEnv(func(k string) string {
		return map[string]string{"OWNERCHECK_ADDR": "127.0.0.1:0", "OWNERCHECK_API_KEYS": apiKey, "REDIS_URL": redistest.URL(t),
			"STRIPE_WEBHOOK_SECRET": whSecret, "OWNERCHECK_SANDBOX_PENDING": "300ms", "OWNERCHECK_BODY_LIMIT": "4096",
			"OWNERCHECK_CACHE_SECRET": fmt.Sprint(time.Now().UnixNano()), "OWNERCHECK_LOG_LEVEL": "debug"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(cfg, logs)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		a.Close()
	})
	c := &client{t: t, base: "http://" + a.Addr()}

	t.Run("auth", func(t *testing.T) {
		for _, key := range []string{"", "wrong"} {
			if st, _, body := c.do("POST", "/v1/verdicts", key, map[string]any{}); st != 401 || body["error"] == nil {
				t.Errorf("key %q: %d %v", key, st, body)
			}
		}
		if st, _, _ := c.do("POST", "/admin/reload", "", nil); st != 401 {
			t.Errorf("admin reload without key: %d", st)
		}
		if st, _, _ := c.do("GET", "/healthz", "", nil); st != 200 {
			t.Errorf("healthz: %d", st)
		}
	})

	t.Run("bad bodies name the field", func(t *testing.T) {
		tests := []struct {
			body   any
			status int
			param  string
		}{
			{`{"session": 12}`, 400, "session"},
			{`{"session": "fcsess_1", "identity": {"type": "person", "name": "x"}}`, 400, "identity.type"},
			{`{"session": "fcsess_1", "identity": {"type": "individual", "name": "x", "address": {"postal_code": 5}}}`, 400, "identity.address.postal_code"},
			{`{"session": "fcsess_1", "identity": {"type": "individual", "name": "x", "email": "nope"}}`, 400, "identity.email"},
			{`{"accounts": ["acct_1"], "identity": {"type": "individual", "name": "x"}}`, 400, "accounts"},
			{`{"session": "fcsess_1"}`, 400, "identity"},
			{`{"session": "fcsess_1", "identiti": {}}`, 400, "identiti"},
			{`{not json`, 400, "body"},
			{`{"session": "fcsess_1", "identity": {"type": "individual", "name": "` + strings.Repeat("x", 5000) + `"}}`, 413, ""},
		}
		for _, tt := range tests {
			st, _, body := c.do("POST", "/v1/verdicts", apiKey, tt.body)
			e, _ := body["error"].(map[string]any)
			if st != tt.status || (tt.param != "" && e["param"] != tt.param) {
				t.Errorf("%.60v: got %d %v, want %d param %q", tt.body, st, body, tt.status, tt.param)
			}
		}
		if st, _, body := c.do("POST", "/v1/verdicts", apiKey, map[string]any{"session": "fcsess_nope", "identity": janeIdentity}); st != 400 {
			t.Errorf("unknown session: %d %v", st, body)
		}
	})

	var sessionID string
	t.Run("session", func(t *testing.T) {
		st, _, body := c.do("POST", "/v1/sessions", apiKey, map[string]any{"customer": map[string]any{"email": "jane.doe@example.com", "name": "Jane Doe"}}, "Idempotency-Key", "onboarding-42")
		if st != 201 || body["client_secret"] == "" || body["publishable_key"] != "pk_test_sandbox" {
			t.Fatalf("%d %v", st, body)
		}
		sessionID = body["session"].(string)
		if st, _, body := c.do("POST", "/v1/sessions", apiKey, map[string]any{"customer": "cus_missing"}); st != 400 || body["error"].(map[string]any)["param"] != "customer" {
			t.Errorf("unknown customer: %d %v", st, body)
		}
		// Before linking: 409, nothing to verify yet.
		if st, _, _ := c.do("POST", "/v1/verdicts", apiKey, map[string]any{"session": sessionID, "identity": janeIdentity}); st != 409 {
			t.Errorf("verdict before linking: %d", st)
		}
		resp, err := http.PostForm(c.base+"/sandbox/link/"+sessionID, map[string][]string{"institution": {"good"}})
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("link: %v %v", resp, err)
		}
		resp.Body.Close()
	})

	verdict := func() (int, http.Header, map[string]any) {
		return c.do("POST", "/v1/verdicts", apiKey, map[string]any{"session": sessionID, "identity": janeIdentity})
	}
	account := func(body map[string]any) map[string]any {
		return body["accounts"].([]any)[0].(map[string]any)
	}
	waitDecided := func() map[string]any {
		t.Helper()
		for i := 0; i < 50; i++ {
			st, h, body := verdict()
			if st == 200 {
				return body
			}
			if st != 202 || h.Get("Retry-After") == "" || body["status"] != "pending" {
				t.Fatalf("while pending: %d %v %v", st, h, body)
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatal("never decided")
		return nil
	}

	t.Run("pending then decided then cached", func(t *testing.T) {
		st, h, body := verdict()
		if st != 202 || h.Get("Retry-After") == "" || body["status"] != "pending" {
			t.Fatalf("first verdict: %d %v", st, body)
		}
		body = waitDecided()
		acct := account(body)
		if body["decision"] != "pass" || acct["cached"] != false || acct["ruleset"] == "" || acct["refreshed_at"] == nil {
			t.Fatalf("decided: %v", body)
		}
		time.Sleep(200 * time.Millisecond) // let the sandbox's refreshed_ownership webhook land
		_, _, body = verdict()
		_, _, body = verdict()
		if acct := account(body); acct["cached"] != true || acct["previous_decision"] != "pass" {
			t.Fatalf("repeat not cached: %v", body)
		}
	})

	t.Run("webhooks", func(t *testing.T) {
		acctID := account(func() map[string]any { _, _, b := verdict(); return b }())["account"].(string)
		send := func(payload []byte, header string) (int, map[string]any) {
			st, _, body := c.do("POST", "/v1/webhooks/stripe", "", string(payload), "Stripe-Signature", header)
			return st, body
		}
		event := func(id, typ, version string) []byte {
			b, _ := json.Marshal(map[string]any{"id": id, "object": "event", "api_version": version, "type": typ,
				"data": map[string]any{"object": map[string]any{"id": acctID, "object": "financial_connections.account"}}})
			return b
		}
		sign := func(p []byte, at time.Time, secret string) string {
			return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: p, Secret: secret, Timestamp: at}).Header
		}
		ev := event("evt_e2e_1", "financial_connections.account.refreshed_ownership", "2024-06-20")
		if st, _ := send(ev, sign(ev, time.Now(), "whsec_other")); st != 400 {
			t.Errorf("bad signature: %d", st)
		}
		if st, _ := send(ev, sign(ev, time.Now().Add(-10*time.Minute), whSecret)); st != 400 {
			t.Errorf("stale timestamp: %d", st)
		}
		old := event("evt_e2e_2", "financial_connections.account.refreshed_ownership", "2020-08-27")
		if st, body := send(old, sign(old, time.Now(), whSecret)); st != 400 || body["error"].(map[string]any)["param"] != "api_version" {
			t.Errorf("wrong API version: %d %v", st, body)
		}
		unknown := event("evt_e2e_3", "customer.created", "2024-06-20")
		if st, body := send(unknown, sign(unknown, time.Now(), whSecret)); st != 200 || body["status"] != "ignored" {
			t.Errorf("unknown type: %d %v", st, body)
		}
		if st, body := send(ev, sign(ev, time.Now(), whSecret)); st != 200 || body["status"] != "applied" {
			t.Errorf("valid event: %d %v", st, body)
		}
		if _, _, body := verdict(); account(body)["cached"] != false {
			t.Errorf("webhook did not invalidate: %v", body)
		}
		if st, body := send(ev, sign(ev, time.Now(), whSecret)); st != 200 || body["status"] != "duplicate" {
			t.Errorf("replayed event: %d %v", st, body)
		}
		// A disconnection (sent by the sandbox itself) makes it unverifiable.
		if err := a.Sandbox.Disconnect(acctID); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		if _, _, body := verdict(); body["decision"] != "unverifiable" || account(body)["reason"] != "account_disconnected" {
			t.Errorf("after disconnect: %v", body)
		}
	})

	t.Run("near miss and readyz and metrics", func(t *testing.T) {
		_, _, body := c.do("POST", "/v1/sessions", apiKey, map[string]any{"customer": map[string]any{"email": "x@example.com"}})
		sid := body["session"].(string)
		resp, _ := http.PostForm(c.base+"/sandbox/link/"+sid, map[string][]string{"institution": {"near_miss"}})
		resp.Body.Close()
		sessionID = sid
		if body := waitDecided(); body["decision"] != "fail" {
			t.Errorf("near miss: %v", body)
		}
		st, _, body := c.do("GET", "/readyz", "", nil)
		if st != 200 || body["cache"].(map[string]any)["ok"] != true {
			t.Errorf("readyz: %d %v", st, body)
		}
		resp, err := http.Get(c.base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		m, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range []string{`route="/v1/verdicts"`, `ownercheck_cache_up 1`, `ownercheck_verdict_cache_total{outcome="hit"}`} {
			if !strings.Contains(string(m), want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		if strings.Contains(string(m), "fcsess_") || strings.Contains(string(m), "fca_") {
			t.Error("metrics carry ids in labels")
		}
	})

	// Logs carry no names, addresses, emails or phones (standards: PII).
	t.Run("no PII in logs", func(t *testing.T) {
		out := logs.String()
		if !strings.Contains(out, `"request_id"`) || !strings.Contains(out, "SANDBOX MODE") {
			t.Fatalf("logs look empty: %.300s", out)
		}
		for _, pii := range []string{"Jane", "JANE", "Doe", "DOE", "JANET", "Main St", "MAIN ST", "Springfield", "SPRINGFIELD", "62704", "jane.doe@example.com", "217-555", "555-0100", "2175550100", "x@example.com"} {
			if strings.Contains(out, pii) {
				i := strings.Index(out, pii)
				t.Errorf("logs contain %q: …%s…", pii, out[max(0, i-120):min(len(out), i+60)])
			}
		}
	})
}
