package reverify

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/fc"
)

// Issue 7: the job classifies errors through the same apperr.Classify as
// the HTTP layer, by cause and kind, not by decoding a 400's param.
func TestClassifyByCauseNotParam(t *testing.T) {
	missing := apperr.Invalidf("accounts", "no such account fca_1").WithCause(fmt.Errorf("retrieving account fca_1: %w", fc.ErrNotFound))
	if got := classify(missing); got.Type != "invalid_request_error" || got.Code != "resource_missing" {
		t.Errorf("Stripe 404 behind verdict's 400: %+v", got)
	}
	other := apperr.Invalid("accounts", "give session or accounts, not both")
	if got := classify(other); got.Type != apperr.KindInvalid || got.Code != "" {
		t.Errorf("a 400 on accounts without a Stripe 404 is not resource_missing: %+v", got)
	}
	budget := fmt.Errorf("reading account fca_1: %w", &fc.Error{Type: fc.TypeBudget, Retryable: true, RetryAfter: 3 * time.Second, Err: &fc.BudgetError{RetryAfter: 3 * time.Second}})
	if ok, after := retryable(budget); !ok || after != 3*time.Second {
		t.Errorf("no Stripe slot in time must be retried later: %v %v", ok, after)
	}
	if ok, _ := retryable(&fc.Error{Status: 400, Type: "invalid_request_error"}); ok {
		t.Error("Stripe refusing the request is not retryable")
	}
	if ok, _ := retryable(errors.New("boom")); ok {
		t.Error("an internal error is not retryable")
	}
}
