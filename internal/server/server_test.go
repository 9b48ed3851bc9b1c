package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/fc/fctest"
	"github.com/ownercheck/ownercheck/internal/identity"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/session"
	"github.com/ownercheck/ownercheck/internal/verdict"
	"github.com/ownercheck/ownercheck/internal/webhooks"
)

const key = "test-key-0001"

// syncBuffer collects log lines from concurrent handlers.
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

// failingCache is a cache.Cache whose every call fails, like a Redis that is down.
type failingCache struct{ *cache.Memory }

var errDown = errors.New("dial tcp 127.0.0.1:6379: connection refused")

func (*failingCache) Ping(context.Context) error { return errDown }
func (*failingCache) Get(context.Context, string) ([]byte, bool, error) {
	return nil, false, errDown
}
func (*failingCache) Set(context.Context, string, []byte, time.Duration) error { return errDown }

// accounts the fake Stripe knows: fca_ready has ownership, fca_pending is refreshing.
// janeHolder is the customer who linked the fake's accounts.
var janeHolder = fc.AccountHolder{Type: "customer", Customer: "cus_jane"}

func fakeStripe() *fctest.Fake {
	now := time.Now()
	return &fctest.Fake{
		GetAccountFn: func(_ context.Context, id string) (*fc.Account, error) {
			switch id {
			case "fca_ready":
				return &fc.Account{ID: id, Status: fc.AccountActive, OwnershipID: "fcaowns_1", Permissions: []string{"ownership"}, Holder: janeHolder,
					Refresh: &fc.Refresh{Status: fc.RefreshSucceeded, LastAttemptedAt: now.Add(-time.Hour), NextAvailableAt: now.Add(time.Hour)}}, nil
			case "fca_pending":
				return &fc.Account{ID: id, Status: fc.AccountActive, Permissions: []string{"ownership"}, Holder: janeHolder, Refresh: &fc.Refresh{Status: fc.RefreshPending, LastAttemptedAt: now}}, nil
			case "fca_limited":
				return nil, &fc.Error{Op: "retrieving account " + id, Status: 429, Type: "rate_limit_error", Retryable: true, RetryAfter: 4 * time.Second}
			case "fca_panic":
				panic("fake Stripe exploded")
			}
			return nil, &fc.Error{Op: "retrieving account " + id, Status: 404, Err: fc.ErrNotFound}
		},
		ListOwnersFn: func(context.Context, string, string) ([]identity.Owner, error) {
			return []identity.Owner{{Name: "JANE A DOE", Email: "jane.doe@example.com", RawAddress: "123 MAIN ST APT 4, SPRINGFIELD, IL 62704"}}, nil
		},
	}
}

type harness struct {
	srv   *Server
	h     http.Handler
	logs  *syncBuffer
	rules *match.Store
}

type opts struct {
	cache          cache.Cache
	rulesDir       string
	separateAdmin  bool
	bodyLimit      int64
	keyConcurrency int
	fc             *fctest.Fake // default fakeStripe()
	// requestTimeout and writeTimeout go to Deps (0: none).
	requestTimeout, writeTimeout time.Duration
}

func newHarness(t *testing.T, o opts) *harness {
	t.Helper()
	f := o.fc
	if f == nil {
		f = fakeStripe()
	}
	return newHarnessWith(t, o, f)
}

func newHarnessWith(t *testing.T, o opts, f *fctest.Fake) *harness {
	t.Helper()
	rules, err := match.NewStore(o.rulesDir)
	if err != nil {
		t.Fatal(err)
	}
	if o.cache == nil {
		o.cache = cache.NewMemory()
	}
	if o.bodyLimit == 0 {
		o.bodyLimit = 4096
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	reg := prometheus.NewRegistry()
	v := verdict.New(verdict.Config{FC: f, Rules: rules, Cache: o.cache, Secret: []byte("s"), Logger: log, Registerer: reg})
	srv := New(Deps{
		Logger: log, APIKeys: []string{"other-key-0002", key}, BodyLimit: o.bodyLimit,
		Sessions: &session.Service{FC: f, PublishableKey: "pk_test_x"}, Verdicts: v,
		Webhooks: &webhooks.Service{Secret: "whsec_x", Snapshots: v, Dedupe: o.cache},
		Rules:    rules, Registry: reg, CacheKind: "memory", SeparateAdmin: o.separateAdmin, KeyConcurrency: o.keyConcurrency,
		RequestTimeout: o.requestTimeout, WriteTimeout: o.writeTimeout,
	})
	return &harness{srv: srv, h: srv.Handler(), logs: logs, rules: rules}
}

type resp struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (r resp) errParam() string {
	e, _ := r.body["error"].(map[string]any)
	p, _ := e["param"].(string)
	return p
}

func (r resp) errType() string {
	e, _ := r.body["error"].(map[string]any)
	p, _ := e["type"].(string)
	return p
}

func do(h http.Handler, method, path, body string, headers ...string) resp {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	out := resp{status: w.Code, header: w.Header(), raw: w.Body.String()}
	_ = json.Unmarshal(w.Body.Bytes(), &out.body)
	return out
}

const jane = `{"type":"individual","name":"Jane Doe","address":{"line1":"123 Main St","line2":"Apt 4","city":"Springfield","state":"IL","postal_code":"62704"}}`

func TestAuth(t *testing.T) {
	h := newHarness(t, opts{}).h
	body := `{"customer":"cus_jane","accounts":["fca_ready"],"identity":` + jane + `}`
	cases := []struct {
		name, auth string
		want       int
	}{
		{"no header", "", 401},
		{"wrong key", "Bearer wrong-key-9999", 401},
		{"key as basic auth", "Basic " + key, 401},
		{"empty bearer", "Bearer ", 401},
		{"key without scheme", key, 401},
		{"prefix of a key", "Bearer " + key[:len(key)-1], 401},
		{"valid key", "Bearer " + key, 200},
		{"second valid key", "Bearer other-key-0002", 200},
		{"scheme is case-insensitive (RFC 9110)", "bearer " + key, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var hdr []string
			if tc.auth != "" {
				hdr = []string{"Authorization", tc.auth}
			}
			r := do(h, "POST", "/v1/verdicts", body, hdr...)
			if r.status != tc.want {
				t.Fatalf("status %d %s", r.status, r.raw)
			}
			if tc.want == 401 && (r.errType() != "unauthorized" || !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer")) {
				t.Errorf("401 shape: %s %v", r.raw, r.header)
			}
		})
	}
	// Every /v1 route but the webhook (signed by Stripe) and /admin/reload need the key.
	for _, path := range []string{"/v1/sessions", "/v1/verdicts", "/admin/reload"} {
		if r := do(h, "POST", path, `{}`); r.status != 401 {
			t.Errorf("%s without a key: %d", path, r.status)
		}
	}
	if r := do(h, "POST", "/v1/webhooks/stripe", `{}`); r.status != 400 || r.errParam() != "Stripe-Signature" {
		t.Errorf("the webhook is authenticated by its signature, not a key: %d %s", r.status, r.raw)
	}
}

func TestRequestID(t *testing.T) {
	h := newHarness(t, opts{})
	r := do(h.h, "GET", "/healthz", "")
	if !regexp.MustCompile(`^[0-9a-f]{24}$`).MatchString(r.header.Get("X-Request-Id")) {
		t.Errorf("generated id %q", r.header.Get("X-Request-Id"))
	}
	if r := do(h.h, "GET", "/healthz", "", "X-Request-Id", "onboarding-7f3a.1"); r.header.Get("X-Request-Id") != "onboarding-7f3a.1" {
		t.Errorf("a sane caller id is kept, got %q", r.header.Get("X-Request-Id"))
	}
	// An id that could inject into logs (or carry data) is replaced.
	for _, bad := range []string{"a b", strings.Repeat("x", 65), "jane@example.com", `"}{"level":"ERROR`} {
		if got := do(h.h, "GET", "/healthz", "", "X-Request-Id", bad).header.Get("X-Request-Id"); got == bad || got == "" {
			t.Errorf("id %q kept as %q", bad, got)
		}
	}
	// The id is on the access log line.
	do(h.h, "POST", "/v1/verdicts", `{}`, "X-Request-Id", "trace-me-42", "Authorization", "Bearer "+key)
	var found bool
	for _, line := range strings.Split(h.logs.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == "request" && rec["request_id"] == "trace-me-42" {
			found = rec["route"] == "/v1/verdicts" && rec["status"] == float64(400) && rec["api_key_id"] != nil
		}
	}
	if !found {
		t.Errorf("no access log line with the request id, route, status and key id:\n%s", h.logs)
	}
}

func TestBodyLimit(t *testing.T) {
	h := newHarness(t, opts{bodyLimit: 256}).h
	big := `{"customer":"cus_jane","accounts":["fca_ready"],"identity":{"type":"individual","name":"` + strings.Repeat("A", 400) + `"}}`
	// Declared length over the limit: refused before reading.
	if r := do(h, "POST", "/v1/verdicts", big, "Authorization", "Bearer "+key); r.status != 413 || r.errType() != "too_large" {
		t.Errorf("declared: %d %s", r.status, r.raw)
	}
	// Chunked (no Content-Length): refused while decoding.
	req := httptest.NewRequest("POST", "/v1/verdicts", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	req.Header.Set("Authorization", "Bearer "+key)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 413 {
		t.Errorf("chunked: %d %s", w.Code, w.Body)
	}
	// The webhook too.
	req = httptest.NewRequest("POST", "/v1/webhooks/stripe", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	w = httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 413 {
		t.Errorf("webhook chunked: %d %s", w.Code, w.Body)
	}
}

// The verdict controller: pending → 202 + Retry-After, decided → 200,
// bad bodies → 400 naming the field (issue 3, POST /v1/verdicts).
func TestVerdicts(t *testing.T) {
	h := newHarness(t, opts{}).h
	auth := []string{"Authorization", "Bearer " + key}
	r := do(h, "POST", "/v1/verdicts", `{"customer":"cus_jane","accounts":["fca_pending"],"identity":`+jane+`}`, auth...)
	if r.status != 202 || r.body["status"] != "pending" || r.header.Get("Retry-After") == "" {
		t.Errorf("pending: %d %v %s", r.status, r.header, r.raw)
	}
	r = do(h, "POST", "/v1/verdicts", `{"customer":"cus_jane","accounts":["fca_ready"],"identity":`+jane+`}`, auth...)
	if r.status != 200 || r.body["status"] != "decided" || r.body["decision"] != "pass" {
		t.Fatalf("decided: %d %s", r.status, r.raw)
	}
	accts, _ := r.body["accounts"].([]any)
	if len(accts) != 1 || accts[0].(map[string]any)["cached"] != false {
		t.Errorf("first answer is computed: %s", r.raw)
	}
	r = do(h, "POST", "/v1/verdicts", `{"customer":"cus_jane","accounts":["fca_ready"],"identity":`+jane+`}`, auth...)
	if accts, _ := r.body["accounts"].([]any); len(accts) != 1 || accts[0].(map[string]any)["cached"] != true {
		t.Errorf("repeat is cached: %s", r.raw)
	}

	bad := []struct {
		name, body string
		status     int
		param      string
	}{
		{"postal code as a number", `{"customer":"cus_jane","accounts":["fca_ready"],"identity":{"type":"individual","name":"J","address":{"postal_code":62704}}}`, 400, "identity.address.postal_code"},
		{"no identity", `{"customer":"cus_jane","accounts":["fca_ready"]}`, 400, "identity"},
		{"identity type", `{"customer":"cus_jane","accounts":["fca_ready"],"identity":{"type":"person","name":"J"}}`, 400, "identity.type"},
		{"identity email", `{"customer":"cus_jane","accounts":["fca_ready"],"identity":{"type":"individual","name":"J","email":"nope"}}`, 400, "identity.email"},
		{"neither session nor accounts", `{"identity":` + jane + `}`, 400, "session"},
		{"both", `{"session":"fcsess_1","accounts":["fca_ready"],"identity":` + jane + `}`, 400, "accounts"},
		{"account of another kind", `{"customer":"cus_jane","accounts":["acct_1"],"identity":` + jane + `}`, 400, "accounts"},
		{"accounts not a list", `{"accounts":"fca_ready","identity":` + jane + `}`, 400, "accounts"},
		{"unknown field", `{"customer":"cus_jane","accounts":["fca_ready"],"identity":` + jane + `,"debug":true}`, 400, "debug"},
		{"malformed", `{"customer":"cus_jane","accounts":[`, 400, "body"},
		// An unknown account is refused as another customer's is: a 404 would tell which ids exist.
		{"unknown account", `{"customer":"cus_jane","accounts":["fca_nope"],"identity":` + jane + `}`, 400, "accounts"},
		{"Stripe rate limit", `{"customer":"cus_jane","accounts":["fca_limited"],"identity":` + jane + `}`, 429, ""},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			r := do(h, "POST", "/v1/verdicts", tc.body, auth...)
			if r.status != tc.status || r.errParam() != tc.param {
				t.Fatalf("got %d %s, want %d naming %q", r.status, r.raw, tc.status, tc.param)
			}
			if tc.status == 429 && r.header.Get("Retry-After") != "4" {
				t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
			}
		})
	}
}

func TestErrorsShapeAndLogging(t *testing.T) {
	h := newHarness(t, opts{})
	if r := do(h.h, "GET", "/v1/nothing/jane-doe", ""); r.status != 404 || r.errType() != "not_found" {
		t.Errorf("404: %d %s", r.status, r.raw)
	}
	if r := do(h.h, "GET", "/v1/verdicts", ""); r.status != 405 {
		t.Errorf("405: %d %s", r.status, r.raw)
	}
	// A panic is a 500 in the one shape, logged with its stack.
	r := do(h.h, "POST", "/v1/verdicts", `{"customer":"cus_jane","accounts":["fca_panic"],"identity":`+jane+`}`, "Authorization", "Bearer "+key)
	if r.status != 500 || r.errType() != "internal" {
		t.Errorf("panic: %d %s", r.status, r.raw)
	}
	logs := h.logs.String()
	if !strings.Contains(logs, `"msg":"panic serving request"`) {
		t.Errorf("panic not logged:\n%s", logs)
	}
	// The error line carries the request's id, like its access line.
	if id := r.header.Get("X-Request-Id"); id == "" || !strings.Contains(logs, `"request_id":"`+id+`","route":"/v1/verdicts","panic"`) {
		t.Errorf("panic log without the request id %q:\n%s", id, logs)
	}
	// 4xx are the client's problem and are not logged as errors; 5xx are.
	if n := strings.Count(logs, `"level":"ERROR"`); n != 1 {
		t.Errorf("want exactly the panic logged at ERROR, got %d:\n%s", n, logs)
	}
}

func TestMetricsUseRouteTemplates(t *testing.T) {
	h := newHarness(t, opts{})
	do(h.h, "POST", "/v1/verdicts", `{}`)
	do(h.h, "GET", "/v1/accounts/jane-doe-123-main-st", "")
	do(h.h, "POST", "/v1/verdicts", `{"customer":"cus_jane","accounts":["fca_ready"],"identity":`+jane+`}`, "Authorization", "Bearer "+key)
	m := do(h.h, "GET", "/metrics", "").raw
	for _, want := range []string{
		`ownercheck_http_requests_total{method="POST",route="/v1/verdicts",status="401"} 1`,
		`ownercheck_http_requests_total{method="POST",route="/v1/verdicts",status="200"} 1`,
		`ownercheck_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`ownercheck_http_request_duration_seconds_count{method="POST",route="/v1/verdicts"} 2`,
		`ownercheck_cache_up{backend="memory"} 1`,
		`ownercheck_verdict_cache_total{outcome="miss"} 1`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(m, "jane") {
		t.Error("a raw path leaked into a metric label")
	}
}

func TestSeparateAdmin(t *testing.T) {
	h := newHarness(t, opts{separateAdmin: true})
	if r := do(h.h, "GET", "/metrics", ""); r.status != 404 {
		t.Errorf("/metrics on the API with an admin address: %d", r.status)
	}
	admin := h.srv.AdminHandler()
	if r := do(admin, "GET", "/metrics", ""); r.status != 200 || !strings.Contains(r.raw, "ownercheck_cache_up") {
		t.Errorf("admin /metrics: %d", r.status)
	}
	if r := do(admin, "GET", "/readyz", ""); r.status != 200 {
		t.Errorf("admin /readyz: %d", r.status)
	}
	if r := do(admin, "POST", "/v1/verdicts", `{}`); r.status != 404 {
		t.Errorf("the admin listener serves no API: %d", r.status)
	}
	if newHarness(t, opts{}).srv.AdminHandler() != nil {
		t.Error("no admin handler without SeparateAdmin")
	}
}

// Issue 3: "Redis down or slow: compute without the cache, never 5xx;
// readyz and a metric say so."
func TestCacheDownIsReportedNotFatal(t *testing.T) {
	h := newHarness(t, opts{cache: &failingCache{cache.NewMemory()}})
	r := do(h.h, "GET", "/readyz", "", "Authorization", "Bearer "+key) // details need the key (issue 9 item 4)
	c, _ := r.body["cache"].(map[string]any)
	if r.status != 200 || c["ok"] != false || c["error"] == nil {
		t.Errorf("readyz: %d %s", r.status, r.raw)
	}
	if r := do(h.h, "POST", "/v1/verdicts", `{"customer":"cus_jane","accounts":["fca_ready"],"identity":`+jane+`}`, "Authorization", "Bearer "+key); r.status != 200 || r.body["decision"] != "pass" {
		t.Errorf("verdict with the cache down: %d %s", r.status, r.raw)
	}
	m := do(h.h, "GET", "/metrics", "").raw
	if !strings.Contains(m, `ownercheck_cache_up{backend="memory"} 0`) {
		t.Error("cache_up must be 0")
	}
}

// Rules reload: a bad file keeps the old rules serving and reports the
// error (issue 3); the next good file is picked up.
func TestAdminReload(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"policy.yaml", "names.yaml", "nicknames.yaml"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "rules", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, opts{rulesDir: dir})
	auth := []string{"Authorization", "Bearer " + key}
	before := h.rules.Current().Digest()
	good, _ := os.ReadFile(filepath.Join(dir, "policy.yaml"))

	if err := os.WriteFile(filepath.Join(dir, "policy.yaml"), append(good, []byte("\n  - name: broken\n    when: name.scroe > 3\n    decision: pass\n    reason: typo\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	r := do(h.h, "POST", "/admin/reload", "", auth...)
	if r.status != 400 || r.errParam() != "rules" || !strings.Contains(r.raw, "policy.yaml") {
		t.Fatalf("bad reload: %d %s", r.status, r.raw)
	}
	if h.rules.Current().Digest() != before {
		t.Fatal("a bad file must keep the old rules")
	}
	ready := do(h.h, "GET", "/readyz", "", auth...)
	if rules, _ := ready.body["rules"].(map[string]any); ready.status != 200 || rules["last_reload_error"] == nil {
		t.Errorf("readyz reports the failed reload: %s", ready.raw)
	}
	if r := do(h.h, "POST", "/v1/verdicts", `{"customer":"cus_jane","accounts":["fca_ready"],"identity":`+jane+`}`, auth...); r.status != 200 || r.body["digest"] != before {
		t.Errorf("old rules still serve: %d %s", r.status, r.raw)
	}

	changed := bytes.Replace(good, []byte(`version: "`), []byte(`version: "reloaded-`), 1)
	if err := os.WriteFile(filepath.Join(dir, "policy.yaml"), changed, 0o644); err != nil {
		t.Fatal(err)
	}
	r = do(h.h, "POST", "/admin/reload", "", auth...)
	if r.status != 200 || !strings.HasPrefix(r.body["ruleset"].(string), "reloaded-") || r.body["digest"] == before {
		t.Fatalf("good reload: %d %s", r.status, r.raw)
	}
	if rules, _ := do(h.h, "GET", "/readyz", "", auth...).body["rules"].(map[string]any); rules["last_reload_error"] != nil {
		t.Error("a good reload clears the error")
	}
	m := do(h.h, "GET", "/metrics", "").raw
	for _, want := range []string{`ownercheck_rules_reloads_total{result="error",trigger="api"} 1`, `ownercheck_rules_reloads_total{result="ok",trigger="api"} 1`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
