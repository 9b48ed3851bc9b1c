// Package webhooks receives Stripe's signed Financial Connections events
// and drops (or refreshes) what is cached for the account they name.
package webhooks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/stripe/stripe-go/v79"
	"github.com/stripe/stripe-go/v79/webhook"

	"github.com/ownercheck/ownercheck/internal/apperr"
)

// Event types that change what ownercheck knows about an account.
const (
	RefreshedOwnership = "financial_connections.account.refreshed_ownership"
	Disconnected       = "financial_connections.account.disconnected"
	Deactivated        = "financial_connections.account.deactivated"
	Reactivated        = "financial_connections.account.reactivated"
)

// Invalidator forgets the cached verdicts of an account.
type Invalidator interface {
	InvalidateAccount(ctx context.Context, accountID string) error
}

// Deduper remembers event ids: SetNX is false when the id was seen.
type Deduper interface {
	SetNX(ctx context.Context, key string, ttl time.Duration) (bool, error)
}

// Service verifies and applies events.
type Service struct {
	Secret      string
	Tolerance   time.Duration // default 300s, Stripe's
	Invalidator Invalidator
	Dedupe      Deduper
	Logger      *slog.Logger
}

// Outcome says what was done with an event (the 200 body).
type Outcome struct {
	Event  string `json:"event"`
	Type   string `json:"type"`
	Status string `json:"status"` // applied | duplicate | ignored
}

// Handle verifies the Stripe-Signature header over the raw payload and
// applies the event. Signature problems, a stale timestamp and another API
// version are 400s (Stripe retries those, which is right: the endpoint's
// configuration is wrong); duplicates and unknown types are acknowledged.
func (s *Service) Handle(ctx context.Context, payload []byte, signature string) (*Outcome, error) {
	tol := s.Tolerance
	if tol == 0 {
		tol = 300 * time.Second
	}
	// The API version is checked here rather than by stripe-go so that the
	// error says which version was received.
	ev, err := webhook.ConstructEventWithOptions(payload, signature, s.Secret, webhook.ConstructEventOptions{Tolerance: tol, IgnoreAPIVersionMismatch: true})
	switch {
	case errors.Is(err, webhook.ErrTooOld):
		return nil, apperr.Invalid("Stripe-Signature", "the signature timestamp is outside the 300 s tolerance")
	case errors.Is(err, webhook.ErrNotSigned):
		return nil, apperr.Invalid("Stripe-Signature", "the Stripe-Signature header is missing")
	case err != nil && (errors.Is(err, webhook.ErrNoValidSignature) || errors.Is(err, webhook.ErrInvalidHeader)):
		return nil, apperr.Invalid("Stripe-Signature", "the signature does not verify")
	case err != nil:
		return nil, apperr.Invalid("body", "the body is not a Stripe event")
	}
	if ev.APIVersion != stripe.APIVersion {
		return nil, apperr.Invalidf("api_version", "events must use API version %s (got %q); set it on the webhook endpoint", stripe.APIVersion, ev.APIVersion)
	}
	out := &Outcome{Event: ev.ID, Type: string(ev.Type)}
	switch string(ev.Type) {
	case RefreshedOwnership, Disconnected, Deactivated, Reactivated:
	default:
		out.Status = "ignored"
		return out, nil
	}
	if s.Dedupe != nil {
		fresh, err := s.Dedupe.SetNX(ctx, "evt:"+ev.ID, 72*time.Hour)
		if err == nil && !fresh {
			out.Status = "duplicate"
			return out, nil
		}
		// A dedupe store that is down must not lose the event: applying an
		// invalidation twice is harmless.
	}
	var obj struct {
		ID     string `json:"id"`
		Object string `json:"object"`
	}
	if ev.Data == nil || json.Unmarshal(ev.Data.Raw, &obj) != nil || obj.ID == "" {
		return nil, apperr.Invalid("data.object.id", "the event names no account")
	}
	if err := s.Invalidator.InvalidateAccount(ctx, obj.ID); err != nil {
		return nil, fmt.Errorf("invalidating %s after %s: %w", obj.ID, ev.ID, err)
	}
	if s.Logger != nil {
		s.Logger.InfoContext(ctx, "webhook applied", "event", ev.ID, "type", string(ev.Type), "account", obj.ID)
	}
	out.Status = "applied"
	return out, nil
}
