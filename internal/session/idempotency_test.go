package session_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ownercheck/ownercheck/internal/caller"
	"github.com/ownercheck/ownercheck/internal/session"
)

// Issue 9 item 5: two API keys sending the same Idempotency-Key and body
// shared a session (the second got the first one's client_secret).
func TestIdempotencyKeysAreNamespacedPerCaller(t *testing.T) {
	create := func(callerID, key string) (customer, sess string) {
		rec := &recorder{}
		svc := &session.Service{FC: newFake(rec), PublishableKey: "pk_test_1"}
		ctx := caller.With(context.Background(), callerID)
		if _, err := svc.Create(ctx, session.Request{Customer: []byte(`{"email":"jane.doe@example.com"}`)}, key); err != nil {
			t.Fatal(err)
		}
		return rec.customer.IdempotencyKey, rec.session.IdempotencyKey
	}
	c1, s1 := create("caller-a", "order-1")
	c2, s2 := create("caller-b", "order-1")
	c1again, s1again := create("caller-a", "order-1")
	if s1 == s2 || c1 == c2 {
		t.Errorf("two callers share Stripe idempotency keys: %q %q", s1, s2)
	}
	if s1 != s1again || c1 != c1again {
		t.Errorf("a caller's retry must reach the same Stripe key: %q %q", s1, s1again)
	}
	if c1 == s1 {
		t.Error("customer and session keys must differ")
	}
	for _, k := range []string{c1, s1, s2} {
		if strings.Contains(k, "order-1") || strings.Contains(k, "caller-a") || len(k) > 255 {
			t.Errorf("the Stripe key carries neither the caller nor the client key verbatim and fits Stripe's 255: %q", k)
		}
	}
	// Separators cannot be forged: caller "a" + key "\x00b" is not caller "a\x00" + key "b"... nor "ab".
	if session.StripeIdempotencyKey("a", "bc", "session") == session.StripeIdempotencyKey("ab", "c", "session") {
		t.Error("caller and client key are not separated")
	}
	if session.StripeIdempotencyKey("a", "", "session") != "" {
		t.Error("no client key, no Stripe key")
	}
}
