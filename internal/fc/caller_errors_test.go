package fc

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
)

// Issue 9, "Errors callers can act on": the wrapped error keeps Stripe's
// param so the HTTP layer can name the caller's field, and a reused
// Idempotency-Key is never retryable.
func TestWrapKeepsParamAndIdempotencyIsFinal(t *testing.T) {
	cases := []struct {
		typ, code, param string
		status           int
	}{
		{"idempotency_error", "", "", 400},
		{"invalid_request_error", "email_invalid", "email", 400},
		{"invalid_request_error", "url_invalid", "return_url", 400},
	}
	for _, tc := range cases {
		t.Run(tc.typ+tc.code, func(t *testing.T) {
			c, st := newClient(t, StripeConfig{MaxRetries: 2}, func(_ int, _ *http.Request, w http.ResponseWriter) {
				w.WriteHeader(tc.status)
				_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"type": tc.typ, "code": tc.code, "param": tc.param, "message": "Invalid email address: jane@example.com"}})
			})
			_, err := c.CreateCustomer(context.Background(), CreateCustomerParams{Email: "jane@example", IdempotencyKey: "k"})
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v", err)
			}
			if fe.Param != tc.param || fe.Type != tc.typ || fe.Code != tc.code || fe.Retryable || fe.RetryAfter != 0 {
				t.Errorf("got %+v", fe)
			}
			if n := len(st.requests()); n != 1 {
				t.Errorf("%d requests: the caller's mistake is not retried", n)
			}
		})
	}
}
