// Package webhooks receives Stripe's signed Financial Connections events
// and stores the account state they carry (data.object) as the account's
// snapshot, which the next verdict uses without asking Stripe.
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
	"github.com/ownercheck/ownercheck/internal/fc"
)

// Event types that change what ownercheck knows about an account.
const (
	RefreshedOwnership = "financial_connections.account.refreshed_ownership"
	Disconnected       = "financial_connections.account.disconnected"
	Deactivated        = "financial_connections.account.deactivated"
	Reactivated        = "financial_connections.account.reactivated"
	Created            = "financial_connections.account.created"
)

// Snapshots stores account states (*verdict.Service is one).
type Snapshots interface {
	// RecordAccount stores the account's state unless a newer one is
	// stored (events arrive out of order).
	RecordAccount(ctx context.Context, a *fc.Account, observed time.Time) error
	// MarkStale records that the account changed, as observed then, into
	// a state this build cannot read: the next verdict reads Stripe, and
	// no state older than that is stored. seen holds the fields that
	// order states (Status, Refresh) when they read (see orderOf), else
	// it is nil.
	MarkStale(ctx context.Context, accountID string, seen *fc.Account, observed time.Time) error
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

// storeRetry is the Retry-After of an event that could not be stored
// (Stripe retries on its own schedule; other senders read it).
const storeRetry = 5 * time.Second

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
	Livemode  bool
	Now       func() time.Time // default time.Now
	Snapshots Snapshots
	Dedupe    Deduper // nil: no dedupe (applying an event twice is harmless)
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
	return s.apply(ctx, v.Event, v.FullObject)
}

// apply stores the state an event carries. pinnedShape says whether
// data.object has the shape of the pinned API version; when it does not,
// the account's snapshot is marked stale instead, so the next verdict
// reads it from Stripe.
func (s *Service) apply(ctx context.Context, ev *stripe.Event, pinnedShape bool) (*Outcome, error) {
	out := &Outcome{Event: ev.ID, Type: string(ev.Type)}
	switch string(ev.Type) {
	case RefreshedOwnership, Disconnected, Deactivated, Reactivated, Created:
	default:
		out.Status = "ignored"
		return out, nil
	}
	if ev.Account != "" {
		// An event of a connected account (a Connect endpoint receives
		// them): its objects are another Stripe account's, which this key
		// neither reads nor verifies.
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
			// it twice is harmless (an older state never replaces a newer).
			s.Logger.WarnContext(ctx, "webhook dedupe unavailable; applying the event anyway", "event", ev.ID, "error", err.Error())
		}
	}
	if err := s.store(ctx, ev, obj.ID, pinnedShape); err != nil {
		if s.Dedupe != nil {
			// Forget the id so Stripe's retry (we answer 5xx) is applied.
			_ = s.Dedupe.Del(context.WithoutCancel(ctx), key)
		}
		// The store (Redis) is away: a retryable 503, so Stripe delivers
		// the event again, rather than a 500 that says the service is
		// broken or a 200 that would lose it.
		return nil, &apperr.Error{Kind: apperr.KindUnavailable, RetryAfter: storeRetry,
			Message: "the event could not be stored now; retry later", Err: fmt.Errorf("applying %s to %s: %w", ev.ID, obj.ID, err)}
	}
	if s.Logger != nil {
		s.Logger.InfoContext(ctx, "webhook applied", "event", ev.ID, "type", string(ev.Type), "account", obj.ID)
	}
	out.Status = "applied"
	return out, nil
}

// store writes the snapshot from data.object, observed at the end of the
// second the event was created in (created has whole seconds: a read that
// began within that second may predate the change, and must not win).
// An object it cannot read marks the snapshot stale rather than dropping
// it: a dropped snapshot would let an older event retried later become
// the account's state.
func (s *Service) store(ctx context.Context, ev *stripe.Event, accountID string, pinnedShape bool) error {
	observed := time.Unix(ev.Created, 0).Add(time.Second - time.Millisecond)
	if pinnedShape {
		if a, err := fc.AccountFromJSON(ev.Data.Raw); err == nil && a.Status != "" {
			return s.Snapshots.RecordAccount(ctx, a, observed)
		}
	}
	return s.Snapshots.MarkStale(ctx, accountID, orderOf(ev.Data.Raw), observed)
}

func (s *Service) dedupeKey(eventID string) string {
	if s.Key != nil {
		return s.Key(eventID)
	}
	return "oc:evt:" + eventID
}
