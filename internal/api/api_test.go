package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/fc"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		src    string
		err    error
		status int
		typ    string
		retry  bool
	}{
		{"domain 400 keeps its field", apperr.Invalid("identity.name", "name is required"), 400, apperr.KindInvalid, false},
		{"Stripe 404", fmt.Errorf("retrieving account fca_1: %w", fc.ErrNotFound), 404, apperr.KindNotFound, false},
		{"Stripe 429 after retries", &fc.Error{Status: 429, Type: "rate_limit_error", Retryable: true, RetryAfter: 3 * time.Second}, 429, apperr.KindRateLimited, true},
		{"Stripe 5xx after retries", &fc.Error{Status: 503, Type: "api_error", Retryable: true}, 503, apperr.KindUnavailable, true},
		{"Stripe timeout", &fc.Error{Type: "timeout", Retryable: true}, 503, apperr.KindUnavailable, true},
		{"Stripe refused", &fc.Error{Status: 400, Type: "invalid_request_error"}, http.StatusBadGateway, "upstream_error", false},
		{"no Stripe slot within the wait deadline", &fc.Error{Type: fc.TypeBudget, Retryable: true, RetryAfter: 2 * time.Second}, 503, apperr.KindUnavailable, true},
		{"request deadline passed", fmt.Errorf("verifying: %w", context.DeadlineExceeded), 503, apperr.KindUnavailable, true},
		{"anything else is an opaque 500", errors.New("boom: secret detail"), 500, apperr.KindInternal, false},
	}
	for _, tt := range tests {
		status, body, retry := classify(tt.err)
		if status != tt.status || body.Type != tt.typ || (retry > 0) != tt.retry {
			t.Errorf("%s: %d %s retry %v", tt.src, status, body.Type, retry)
		}
		if strings.Contains(body.Message, "secret detail") {
			t.Errorf("%s: internal detail leaked to the client", tt.src)
		}
	}
}

func TestSafeTextDropsStripeMessages(t *testing.T) {
	err := fmt.Errorf("creating customer: %w", &fc.Error{Op: "creating customer", Status: 400, Type: "invalid_request_error", Err: errors.New("Invalid email address: jane@example.com")})
	if s := safeText(err); strings.Contains(s, "jane@example.com") || !strings.Contains(s, "invalid_request_error") {
		t.Fatalf("safeText = %q", s)
	}
}
