package server

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/fc"
)

// Issue 9 item 2: one request with a made-up method (1 MB in the report)
// added its method verbatim to every scrape. Methods map to a fixed set.
func TestMetricsMethodLabelIsBounded(t *testing.T) {
	h := newHarness(t, opts{})
	made := strings.Repeat("X", 4096)
	for _, m := range []string{made, "FROB", "get", "PROPFIND"} {
		do(h.h, m, "/v1/verdicts", "")
	}
	do(h.h, "POST", "/v1/verdicts", `{}`)
	m := do(h.h, "GET", "/metrics", "").raw
	for _, bad := range []string{"FROB", "XXXX", "PROPFIND", `method="get"`} {
		if strings.Contains(m, bad) {
			t.Errorf("a raw method reached /metrics: %s", bad)
		}
	}
	if !strings.Contains(m, `ownercheck_http_requests_total{method="OTHER",route="unmatched",status="405"} 4`) {
		t.Errorf("made-up methods are counted as OTHER:\n%s", grepLines(m, "ownercheck_http_requests_total"))
	}
	if !strings.Contains(m, `ownercheck_http_requests_total{method="POST",route="/v1/verdicts",status="401"} 1`) {
		t.Errorf("known methods keep their name:\n%s", grepLines(m, "ownercheck_http_requests_total"))
	}
	if strings.Contains(h.logs.String(), "FROB") {
		t.Error("a raw method reached the access log")
	}
}

// From the attack session after issue 9: the 405 body repeated the
// request's method verbatim (up to the header limit, 16 KB of it) while
// logs and metrics already refused to. No response repeats it either.
func TestMethodNotAllowedDoesNotEchoTheMethod(t *testing.T) {
	h := newHarness(t, opts{})
	made := strings.Repeat("X", 4096) + "FROB"
	r := do(h.h, made, "/v1/verdicts", "")
	if r.status != 405 || r.errType() != "method_not_allowed" {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	if strings.Contains(r.raw, "FROB") || len(r.raw) > 300 {
		t.Errorf("the 405 body repeats the method: %.120s…", r.raw)
	}
	if allow := r.header.Get("Allow"); allow != "POST" {
		t.Errorf("Allow %q, want POST", allow)
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// Issue 9 item 7: "Accounts" silently overrode "accounts", duplicate keys
// were merged and a name of NULs got a decision. Each is a 400 naming the
// field, on every JSON route.
func TestStrictJSON(t *testing.T) {
	h := newHarness(t, opts{})
	auth := []string{"Authorization", "Bearer " + key}
	cases := []struct {
		name, path, body, param string
	}{
		{"case-insensitive key", "/v1/verdicts", `{"accounts":["fca_ready"],"Accounts":["fca_pending"],"identity":` + jane + `}`, "Accounts"},
		{"duplicate key", "/v1/verdicts", `{"accounts":["fca_pending"],"accounts":["fca_ready"],"identity":` + jane + `}`, "accounts"},
		{"name of NULs", "/v1/verdicts", `{"accounts":["fca_ready"],"identity":{"type":"individual","name":"\u0000\u0000\u0000"}}`, "identity.name"},
		{"control char in an address", "/v1/verdicts", `{"accounts":["fca_ready"],"identity":{"type":"individual","name":"Jane Doe","address":{"city":"Spring\u001bfield"}}}`, "identity.address.city"},
		{"nested case variant", "/v1/verdicts", `{"accounts":["fca_ready"],"identity":{"type":"individual","Name":"Jane Doe"}}`, "identity.Name"},
		{"session customer object", "/v1/sessions", `{"customer":{"Email":"jane@example.com"}}`, "customer.Email"},
		{"session duplicate", "/v1/sessions", `{"customer":"cus_1","customer":"cus_2"}`, "customer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := do(h.h, "POST", tc.path, tc.body, auth...)
			if r.status != 400 || r.errParam() != tc.param {
				t.Fatalf("got %d %s, want 400 naming %q", r.status, r.raw, tc.param)
			}
		})
	}
}

// Issue 9 item 8: ids are checked against Stripe's shape before use, so
// "fcsess_" followed by anything never reaches Stripe or the logs.
func TestStripeIDsAreValidated(t *testing.T) {
	h := newHarness(t, opts{})
	auth := []string{"Authorization", "Bearer " + key}
	marker := "INJECTED-" + strings.Repeat("z", 10)
	cases := []struct{ path, body, param string }{
		{"/v1/verdicts", `{"session":"fcsess_` + marker + ` x","identity":` + jane + `}`, "session"},
		{"/v1/verdicts", `{"session":"fcsess_` + strings.Repeat("a", 300) + `","identity":` + jane + `}`, "session"},
		{"/v1/verdicts", `{"customer":"cus_jane","accounts":["fca_ready","fca_../` + marker + `"],"identity":` + jane + `}`, "accounts"},
		{"/v1/sessions", `{"customer":"cus_` + marker + `/x"}`, "customer"},
	}
	for _, tc := range cases {
		r := do(h.h, "POST", tc.path, tc.body, auth...)
		if r.status != 400 || r.errParam() != tc.param {
			t.Errorf("%s: got %d %s, want 400 naming %q", tc.body[:30], r.status, r.raw, tc.param)
		}
	}
	if strings.Contains(h.logs.String(), marker) {
		t.Errorf("a malformed id reached the logs:\n%s", h.logs)
	}
}

// Issue 9 item 5 through the HTTP layer: the auth middleware puts the
// caller in the context, so the same Idempotency-Key from two API keys
// reaches Stripe as two keys.
func TestIdempotencyKeyPerAPIKey(t *testing.T) {
	var seen []string
	f := fakeStripe()
	f.CheckCustomerFn = func(context.Context, string) error { return nil }
	f.CreateSessionFn = func(_ context.Context, p fc.CreateSessionParams) (*fc.Session, error) {
		seen = append(seen, p.IdempotencyKey)
		return &fc.Session{ID: "fcsess_1", ClientSecret: "fcsess_1_secret_x"}, nil
	}
	h := newHarnessWith(t, opts{}, f)
	for _, k := range []string{key, "other-key-0002", key} {
		r := do(h.h, "POST", "/v1/sessions", `{"customer":"cus_1"}`, "Authorization", "Bearer "+k, "Idempotency-Key", "same")
		if r.status != 201 {
			t.Fatalf("%d %s", r.status, r.raw)
		}
	}
	if len(seen) != 3 || seen[0] == seen[1] || seen[0] != seen[2] || seen[0] == "" {
		t.Errorf("Stripe idempotency keys by caller: %q", seen)
	}
}

// Issue 9 item 4: /readyz showed the Redis host:port of a dial error,
// rule-file paths and names to anyone. Without a key it says ready or not;
// the key, or the admin address, shows the details.
func TestReadyzDetailsNeedAKey(t *testing.T) {
	h := newHarness(t, opts{cache: &failingCache{cache.NewMemory()}})
	r := do(h.h, "GET", "/readyz", "")
	if r.status != 200 || r.body["status"] != "ready" || len(r.body) != 1 {
		t.Errorf("public readyz: %d %s", r.status, r.raw)
	}
	for _, leak := range []string{"6379", "127.0.0.1", "digest", "version", "memory"} {
		if strings.Contains(r.raw, leak) {
			t.Errorf("public readyz shows %q: %s", leak, r.raw)
		}
	}
	if r := do(h.h, "GET", "/readyz", "", "Authorization", "Bearer wrong-key-9999"); len(r.body) != 1 {
		t.Errorf("a wrong key sees details: %s", r.raw)
	}
	r = do(h.h, "GET", "/readyz", "", "Authorization", "Bearer "+key)
	if c, _ := r.body["cache"].(map[string]any); r.status != 200 || c["error"] == nil || r.body["rules"] == nil {
		t.Errorf("readyz with a key: %d %s", r.status, r.raw)
	}
	admin := newHarness(t, opts{cache: &failingCache{cache.NewMemory()}, separateAdmin: true})
	if r := do(admin.srv.AdminHandler(), "GET", "/readyz", ""); r.body["cache"] == nil || r.body["rules"] == nil {
		t.Errorf("admin readyz shows details: %s", r.raw)
	}
	if r := do(admin.h, "GET", "/readyz", ""); len(r.body) != 1 {
		t.Errorf("the API address stays terse with an admin address: %s", r.raw)
	}
}

// Issue 9, "Errors callers can act on", through POST /v1/sessions.
func TestSessionStripeErrorsCallersCanActOn(t *testing.T) {
	cases := []struct {
		name   string
		err    *fc.Error
		status int
		param  string
	}{
		{"reused Idempotency-Key", &fc.Error{Op: "creating session", Status: 400, Type: "idempotency_error"}, 409, "Idempotency-Key"},
		{"email_invalid", &fc.Error{Op: "creating customer", Status: 400, Type: "invalid_request_error", Code: "email_invalid", Param: "email"}, 400, "customer.email"},
		{"bad return_url", &fc.Error{Op: "creating session", Status: 400, Type: "invalid_request_error", Code: "url_invalid", Param: "return_url"}, 400, "return_url"},
		{"Stripe's own fault stays 502", &fc.Error{Op: "creating session", Status: 400, Type: "invalid_request_error", Code: "parameter_unknown", Param: "prefetch"}, 502, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := fakeStripe()
			f.CreateCustomerFn = func(context.Context, fc.CreateCustomerParams) (string, error) { return "", tc.err }
			h := newHarnessWith(t, opts{}, f)
			r := do(h.h, "POST", "/v1/sessions", `{"customer":{"email":"jane.doe@example.com"}}`, "Authorization", "Bearer "+key, "Idempotency-Key", "k1")
			if r.status != tc.status || r.errParam() != tc.param || r.header.Get("Retry-After") != "" {
				t.Fatalf("got %d %s, want %d naming %q", r.status, r.raw, tc.status, tc.param)
			}
		})
	}
}

// Issue 9 item 9: one caller's 20-account requests raised another caller's
// latency from 10–100 ms to 2 s. Each API key has at most KeyConcurrency
// requests in flight; the next is a 429 with Retry-After, and other keys
// are not affected.
func TestPerKeyConcurrency(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 10)
	f := fakeStripe()
	ready := f.GetAccountFn
	f.GetAccountFn = func(ctx context.Context, id string) (*fc.Account, error) {
		if strings.HasPrefix(id, "fca_slow") {
			entered <- struct{}{}
			<-release
			id = "fca_ready"
		}
		return ready(ctx, id)
	}
	h := newHarnessWith(t, opts{keyConcurrency: 2}, f)
	// Two accounts: the verdict service merges identical requests.
	slow := func(i int) string {
		return `{"customer":"cus_jane","accounts":["fca_slow` + strconv.Itoa(i) + `"],"identity":` + jane + `}`
	}
	fast := `{"customer":"cus_jane","accounts":["fca_ready"],"identity":` + jane + `}`
	done := make(chan resp, 2)
	for i := range 2 {
		go func() { done <- do(h.h, "POST", "/v1/verdicts", slow(i), "Authorization", "Bearer "+key) }()
	}
	for range 2 {
		select {
		case <-entered:
		case <-time.After(10 * time.Second):
			t.Fatal("the slow requests never reached Stripe")
		}
	}
	r := do(h.h, "POST", "/v1/verdicts", fast, "Authorization", "Bearer "+key)
	if r.status != 429 || r.errType() != "rate_limited" || r.header.Get("Retry-After") != "1" {
		t.Errorf("third request of a key at its cap: %d %v %s", r.status, r.header, r.raw)
	}
	if r := do(h.h, "POST", "/v1/verdicts", fast, "Authorization", "Bearer other-key-0002"); r.status != 200 {
		t.Errorf("another key is not limited: %d %s", r.status, r.raw)
	}
	close(release)
	for range 2 {
		if r := <-done; r.status != 200 {
			t.Errorf("requests under the cap: %d %s", r.status, r.raw)
		}
	}
	if r := do(h.h, "POST", "/v1/verdicts", fast, "Authorization", "Bearer "+key); r.status != 200 {
		t.Errorf("slots are released: %d %s", r.status, r.raw)
	}
	if m := do(h.h, "GET", "/metrics", "").raw; !strings.Contains(m, "ownercheck_key_limited_total 1") {
		t.Error("refusals are counted")
	}
	if n := h.srv.inFlight.inFlight(); n != 0 {
		t.Errorf("%d requests still counted in flight after all ended", n)
	}
}
