// Package webhooks receives Stripe's signed Financial Connections events
// and drops (or refreshes) what is cached for the account they name.
package webhooks

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v79"

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

// Deduper remembers event ids (cache.Cache is one): SetNX is false when
// the key was set already; Del forgets an event that could not be applied
// so that Stripe's retry is.
type Deduper interface {
	SetNX(ctx context.Context, key string, ttl time.Duration) (bool, error)
	Del(ctx context.Context, keys ...string) error
}

// APIVersion is the event API version whose data.object is read in full:
// the one stripe-go v79 decodes. Events of other versions are accepted,
// but only their type and data.object.id are used (Verified.FullObject).
const APIVersion = stripe.APIVersion

// DedupeWindow is how long event ids are remembered; Stripe retries a
// failed delivery for up to three days.
const DedupeWindow = 72 * time.Hour

// Service verifies and applies events.
type Service struct {
	Secret string
	// Secrets are more signing secrets, e.g. the old and the new one
	// while the endpoint's secret rolls (Stripe then signs with both).
	Secrets   []string
	Tolerance time.Duration // default 300s, Stripe's
	// FutureSkew bounds how far ahead a signature's timestamp may be
	// (default DefaultFutureSkew).
	FutureSkew time.Duration
	// Livemode is the Stripe key's mode; events of the other are refused.
	Livemode    bool
	Now         func() time.Time // default time.Now
	Invalidator Invalidator
	Dedupe      Deduper // nil: no dedupe (applying an invalidation twice is harmless)
	// Key derives the dedupe key of an event id (an HMAC, like every cache
	// key); default "oc:evt:" + id.
	Key    func(eventID string) string
	Logger *slog.Logger
}

// Outcome says what was done with an event (the 200 body).
type Outcome struct {
	Event  string `json:"event"`
	Type   string `json:"type"`
	Status string `json:"status"` // applied | duplicate | ignored
}

// Handle verifies the event (verify) and applies it. Signature problems,
// a stale or future timestamp, a malformed id and the other mode are 400s
// (Stripe keeps retrying and alerts the account owner, which is right: the
// endpoint's configuration is wrong); duplicates and event types
// ownercheck does not use are acknowledged with a 200.
func (s *Service) Handle(ctx context.Context, payload []byte, signature string) (*Outcome, error) {
	v, err := s.verify(payload, signature)
	if err != nil {
		return nil, err
	}
	ev := v.Event
	out := &Outcome{Event: ev.ID, Type: string(ev.Type)}
	switch string(ev.Type) {
	case RefreshedOwnership, Disconnected, Deactivated, Reactivated:
	default:
		out.Status = "ignored"
		return out, nil
	}
	var obj struct {
		ID     string `json:"id"`
		Object string `json:"object"`
	}
	if ev.Data == nil || json.Unmarshal(ev.Data.Raw, &obj) != nil || !strings.HasPrefix(obj.ID, "fca_") {
		return nil, apperr.Invalid("data.object.id", "the event names no Financial Connections account")
	}
	key := s.dedupeKey(ev.ID)
	if s.Dedupe != nil {
		fresh, err := s.Dedupe.SetNX(ctx, key, DedupeWindow)
		if err == nil && !fresh {
			out.Status = "duplicate"
			return out, nil
		}
		if err != nil && s.Logger != nil {
			// A dedupe store that is down must not lose the event: applying
			// an invalidation twice is harmless.
			s.Logger.WarnContext(ctx, "webhook dedupe unavailable; applying the event anyway", "event", ev.ID, "error", err.Error())
		}
	}
	if err := s.Invalidator.InvalidateAccount(ctx, obj.ID); err != nil {
		if s.Dedupe != nil {
			// Forget the id so Stripe's retry (we answer 5xx) is applied.
			_ = s.Dedupe.Del(context.WithoutCancel(ctx), key)
		}
		return nil, fmt.Errorf("invalidating %s after %s: %w", obj.ID, ev.ID, err)
	}
	if s.Logger != nil {
		s.Logger.InfoContext(ctx, "webhook applied", "event", ev.ID, "type", string(ev.Type), "account", obj.ID)
	}
	out.Status = "applied"
	return out, nil
}

func (s *Service) dedupeKey(eventID string) string {
	if s.Key != nil {
		return s.Key(eventID)
	}
	return "oc:evt:" + eventID
}
