package session_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/fc/fctest"
	"github.com/ownercheck/ownercheck/internal/httpapi"
	"github.com/ownercheck/ownercheck/internal/session"
)

// recorder is a fake Stripe that remembers what it was asked.
type recorder struct {
	customer fc.CreateCustomerParams
	checked  string
	session  fc.CreateSessionParams
}

func newFake(rec *recorder) *fctest.Fake {
	return &fctest.Fake{
		CheckCustomerFn: func(_ context.Context, id string) error {
			rec.checked = id
			if id == "cus_missing" {
				return &fc.Error{Op: "retrieving customer", Status: 404, Type: "invalid_request_error", Err: fc.ErrNotFound}
			}
			return nil
		},
		CreateCustomerFn: func(_ context.Context, p fc.CreateCustomerParams) (string, error) {
			rec.customer = p
			return "cus_new", nil
		},
		CreateSessionFn: func(_ context.Context, p fc.CreateSessionParams) (*fc.Session, error) {
			rec.session = p
			return &fc.Session{ID: "fcsess_1", ClientSecret: "fcsess_1_secret_x", Livemode: false}, nil
		},
	}
}

func serve(svc *session.Service, body, idemKey string) (int, http.Header, map[string]any) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	httpapi.Sessions(r.Group("/v1"), svc)
	req := httptest.NewRequest(http.MethodPost, "/v1/sessions", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if idemKey != "" {
		req.Header.Set("Idempotency-Key", idemKey)
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	var out map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &out)
	return w.Code, w.Header(), out
}

func TestCreateWithExistingCustomer(t *testing.T) {
	rec := &recorder{}
	svc := &session.Service{FC: newFake(rec), PublishableKey: "pk_test_1"}
	status, _, out := serve(svc, `{"customer":"cus_123","return_url":"https://app.example.com/onboarding/done"}`, "req-42")
	if status != http.StatusCreated {
		t.Fatalf("status %d %v", status, out)
	}
	want := map[string]any{"session": "fcsess_1", "client_secret": "fcsess_1_secret_x", "publishable_key": "pk_test_1", "livemode": false, "customer": "cus_123"}
	for k, v := range want {
		if out[k] != v {
			t.Errorf("%s = %v, want %v", k, out[k], v)
		}
	}
	if rec.checked != "cus_123" || rec.customer.Email != "" {
		t.Errorf("an existing customer is checked, not created: checked %q created %+v", rec.checked, rec.customer)
	}
	if rec.session.Customer != "cus_123" || rec.session.ReturnURL != "https://app.example.com/onboarding/done" {
		t.Errorf("session params %+v", rec.session)
	}
	// Issue 3: "An Idempotency-Key header is passed on to Stripe."
	if rec.session.IdempotencyKey != session.StripeIdempotencyKey("", "req-42", "session") {
		t.Errorf("idempotency key %q", rec.session.IdempotencyKey)
	}
}

func TestCreateWithNewCustomer(t *testing.T) {
	rec := &recorder{}
	svc := &session.Service{FC: newFake(rec), PublishableKey: "pk_test_1"}
	status, _, out := serve(svc, `{"customer":{"email":"jane.doe@example.com","name":"Jane Doe"},"identity":{"type":"individual","name":"Jane Doe"}}`, "req-7")
	if status != http.StatusCreated || out["customer"] != "cus_new" {
		t.Fatalf("status %d %v", status, out)
	}
	if rec.customer.Email != "jane.doe@example.com" || rec.customer.Name != "Jane Doe" || rec.customer.IdempotencyKey != session.StripeIdempotencyKey("", "req-7", "customer") {
		t.Errorf("customer params %+v", rec.customer)
	}
	if rec.session.Customer != "cus_new" || rec.session.IdempotencyKey != session.StripeIdempotencyKey("", "req-7", "session") {
		t.Errorf("session params %+v", rec.session)
	}
}

func TestCreateWithoutIdempotencyKeySendsNone(t *testing.T) {
	rec := &recorder{}
	if status, _, out := serve(&session.Service{FC: newFake(rec)}, `{"customer":"cus_1"}`, ""); status != 201 {
		t.Fatalf("%d %v", status, out)
	}
	if rec.session.IdempotencyKey != "" {
		t.Errorf("no client key must mean no Stripe key, got %q", rec.session.IdempotencyKey)
	}
}

// Each invalid body names the offending field (issue 3: "400 naming the bad field").
func TestCreateRejects(t *testing.T) {
	cases := []struct {
		name, body, idem, param string
	}{
		{"no customer", `{}`, "", "customer"},
		{"null customer", `{"customer":null}`, "", "customer"},
		{"customer id of another kind", `{"customer":"acct_1"}`, "", "customer"},
		{"unknown customer id", `{"customer":"cus_missing"}`, "", "customer"},
		{"customer as a number", `{"customer":42}`, "", "customer"},
		{"new customer without email", `{"customer":{"name":"Jane"}}`, "", "customer.email"},
		{"new customer with a bad email", `{"customer":{"email":"jane"}}`, "", "customer.email"},
		{"new customer with an unknown field", `{"customer":{"email":"a@b.co","phone":"1"}}`, "", "customer"},
		{"relative return_url", `{"customer":"cus_1","return_url":"/done"}`, "", "return_url"},
		{"javascript return_url", `{"customer":"cus_1","return_url":"javascript:alert(1)"}`, "", "return_url"},
		{"identity of unknown type", `{"customer":"cus_1","identity":{"type":"robot","name":"R2"}}`, "", "identity.type"},
		{"identity without a name", `{"customer":"cus_1","identity":{"type":"individual"}}`, "", "identity.name"},
		{"postal code as a number", `{"customer":"cus_1","identity":{"type":"individual","name":"Jane","address":{"postal_code":62704}}}`, "", "identity.address.postal_code"},
		{"unknown top-level field", `{"customer":"cus_1","prefetch":["balances"]}`, "", "prefetch"},
		{"malformed JSON", `{"customer":`, "", "body"},
		{"empty body", ``, "", "body"},
		{"two objects", `{"customer":"cus_1"}{}`, "", "body"},
		{"overlong Idempotency-Key", `{"customer":"cus_1"}`, strings.Repeat("k", 201), "Idempotency-Key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			status, _, out := serve(&session.Service{FC: newFake(rec)}, tc.body, tc.idem)
			e, _ := out["error"].(map[string]any)
			if status != 400 || e["type"] != "invalid_request" || e["param"] != tc.param {
				t.Fatalf("got %d %v, want 400 naming %q", status, out, tc.param)
			}
			if msg, _ := e["message"].(string); msg == "" {
				t.Error("the error needs a message")
			}
			if rec.session.Customer != "" {
				t.Error("no session may be created for an invalid request")
			}
		})
	}
}

// Stripe's failures after the fc layer's retries reach the client as
// retryable 429/503 with Retry-After, or as 502.
func TestStripeFailures(t *testing.T) {
	cases := []struct {
		name       string
		err        error
		wantStatus int
		wantRetry  string
	}{
		{"rate limited", &fc.Error{Op: "creating session", Status: 429, Type: "rate_limit_error", Retryable: true, RetryAfter: 3 * time.Second}, 429, "3"},
		{"Stripe down", &fc.Error{Op: "creating session", Status: 503, Type: "api_error", Retryable: true}, 503, "2"},
		{"timeout", &fc.Error{Op: "creating session", Type: "timeout", Retryable: true, RetryAfter: 1500 * time.Millisecond}, 503, "2"},
		{"Stripe refuses", &fc.Error{Op: "creating session", Status: 400, Type: "invalid_request_error", Code: "parameter_invalid"}, 502, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(&recorder{})
			f.CreateSessionFn = func(context.Context, fc.CreateSessionParams) (*fc.Session, error) { return nil, tc.err }
			status, h, out := serve(&session.Service{FC: f}, `{"customer":"cus_1"}`, "")
			if status != tc.wantStatus || h.Get("Retry-After") != tc.wantRetry {
				t.Fatalf("got %d Retry-After %q %v, want %d %q", status, h.Get("Retry-After"), out, tc.wantStatus, tc.wantRetry)
			}
			if _, ok := out["error"].(map[string]any); !ok {
				t.Errorf("not the error shape: %v", out)
			}
		})
	}
}
