package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/fc"
)

// Issue 9, "Errors callers can act on": a reused Idempotency-Key and
// Stripe's refusals of the caller's own input were a 502 upstream_error,
// which retry logic treats as an outage. Shapes are Stripe's error objects
// (docs: error types and codes).
func TestStripeClientErrorsNameTheField(t *testing.T) {
	cases := []struct {
		name   string
		err    error
		status int
		typ    string
		param  string
	}{
		{"idempotency_error (400)", &fc.Error{Op: "creating session", Status: 400, Type: "idempotency_error"}, http.StatusConflict, apperr.KindConflict, "Idempotency-Key"},
		{"idempotency_error wrapped", fmt.Errorf("creating session for cus_1: %w", &fc.Error{Status: 400, Type: "idempotency_error"}), http.StatusConflict, apperr.KindConflict, "Idempotency-Key"},
		{"email_invalid", &fc.Error{Status: 400, Type: "invalid_request_error", Code: "email_invalid", Param: "email"}, 400, apperr.KindInvalid, "customer.email"},
		{"url_invalid return_url", &fc.Error{Status: 400, Type: "invalid_request_error", Code: "url_invalid", Param: "return_url"}, 400, apperr.KindInvalid, "return_url"},
		{"customer of the session", &fc.Error{Status: 400, Type: "invalid_request_error", Code: "parameter_invalid", Param: "account_holder[customer]"}, 400, apperr.KindInvalid, "customer"},
		{"a param we set ourselves stays 502", &fc.Error{Status: 400, Type: "invalid_request_error", Code: "parameter_invalid", Param: "permissions"}, http.StatusBadGateway, "upstream_error", ""},
		{"no param stays 502", &fc.Error{Status: 400, Type: "invalid_request_error", Code: "parameter_missing"}, http.StatusBadGateway, "upstream_error", ""},
		{"our Stripe key refused (401) stays 502", &fc.Error{Status: 401, Type: "invalid_request_error", Param: "email"}, http.StatusBadGateway, "upstream_error", ""},
		{"a retryable lock_timeout is not the caller's", &fc.Error{Status: 400, Type: "invalid_request_error", Code: "lock_timeout", Param: "email", Retryable: true}, http.StatusServiceUnavailable, apperr.KindUnavailable, ""},
		{"api_error stays 5xx", &fc.Error{Status: 500, Type: "api_error", Param: "email"}, http.StatusBadGateway, "upstream_error", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body, _ := classify(tc.err)
			if status != tc.status || body.Type != tc.typ || body.Param != tc.param {
				t.Fatalf("got %d %+v, want %d %s naming %q", status, body, tc.status, tc.typ, tc.param)
			}
			if strings.Contains(body.Message, "jane") {
				t.Errorf("Stripe's message (which can echo values) reached the client: %q", body.Message)
			}
		})
	}
}
