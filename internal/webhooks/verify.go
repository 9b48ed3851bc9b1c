package webhooks

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v79"
	"github.com/stripe/stripe-go/v79/webhook"

	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/fc"
)

// DefaultFutureSkew is how far ahead of our clock a signature's timestamp
// may be: Stripe's and our clocks differ by seconds, and an event stamped
// later than that stays replayable for as long as it is "in the future"
// plus the tolerance (an hour, or ten years).
const DefaultFutureSkew = time.Minute

// Verified is an event that passed verify.
type Verified struct {
	Event *stripe.Event
	// Account is data.object.id when it is a Financial Connections account
	// (fca_…, of Stripe's id shape); "" otherwise.
	Account string
	// FullObject says data.object has the shape of the pinned API version
	// (APIVersion), so all of it may be read. Events of other versions are
	// accepted (the endpoint's version can be changed in the dashboard
	// before a deploy, and Stripe re-sends with the endpoint's version),
	// but then only data.object.id and the type are trusted.
	FullObject bool
}

// secrets are the signing secrets in use: two while a secret rolls.
func (s *Service) secrets() []string {
	var out []string
	for _, sec := range append(append([]string(nil), s.Secrets...), s.Secret) {
		if sec = strings.TrimSpace(sec); sec != "" {
			out = append(out, sec)
		}
	}
	return out
}

// verify checks everything about an event that does not depend on what is
// stored: the signature (any v1 signature, under any of the secrets), the
// timestamp within the tolerance in the past and DefaultFutureSkew in the
// future, the event id's shape, livemode against the key's, and the
// account id. Errors are 400s naming the part at fault (Stripe retries
// them and alerts the account owner: the endpoint is misconfigured).
func (s *Service) verify(payload []byte, signature string) (Verified, error) {
	secrets := s.secrets()
	if len(secrets) == 0 {
		// An empty secret would accept events signed with an empty key.
		return Verified{}, &apperr.Error{Kind: apperr.KindUnavailable, Message: "webhooks are not configured (STRIPE_WEBHOOK_SECRET)"}
	}
	tol := s.Tolerance
	if tol == 0 {
		tol = webhook.DefaultTolerance
	}
	var ev stripe.Event
	var err error
	for _, secret := range secrets {
		// The API version is judged below (FullObject), not by stripe-go.
		ev, err = webhook.ConstructEventWithOptions(payload, signature, secret, webhook.ConstructEventOptions{Tolerance: tol, IgnoreAPIVersionMismatch: true})
		if !errors.Is(err, webhook.ErrNoValidSignature) {
			break
		}
	}
	switch {
	case errors.Is(err, webhook.ErrTooOld):
		return Verified{}, apperr.Invalidf("Stripe-Signature", "the signature timestamp is older than the %s tolerance (a replay, or a clock off)", tol)
	case errors.Is(err, webhook.ErrNotSigned):
		return Verified{}, apperr.Invalid("Stripe-Signature", "the Stripe-Signature header is missing")
	case err != nil && (errors.Is(err, webhook.ErrNoValidSignature) || errors.Is(err, webhook.ErrInvalidHeader)):
		return Verified{}, apperr.Invalid("Stripe-Signature", "the signature does not verify")
	case err != nil:
		return Verified{}, apperr.Invalid("body", "the body is not a Stripe event")
	}
	skew := s.FutureSkew
	if skew == 0 {
		skew = DefaultFutureSkew
	}
	if at, ok := signedAt(signature); !ok || at.After(s.now().Add(skew)) {
		return Verified{}, apperr.Invalidf("Stripe-Signature", "the signature timestamp is more than %s in the future (a clock off, or an event made to outlive the tolerance)", skew)
	}
	if !fc.ValidID("evt_", ev.ID) {
		return Verified{}, apperr.Invalid("id", `the event id must be a Stripe event id ("evt_…")`)
	}
	if ev.Livemode != s.Livemode {
		return Verified{}, apperr.Invalidf("livemode", "the event's livemode is %t but the Stripe key's is %t: the endpoint belongs to the other mode", ev.Livemode, s.Livemode)
	}
	v := Verified{Event: &ev, FullObject: ev.APIVersion == APIVersion}
	if ev.Data != nil {
		var obj struct {
			ID     string `json:"id"`
			Object string `json:"object"`
		}
		if json.Unmarshal(ev.Data.Raw, &obj) == nil && fc.ValidID(fc.PrefixAccount, obj.ID) {
			v.Account = obj.ID
		}
	}
	switch string(ev.Type) {
	case RefreshedOwnership, Disconnected, Deactivated, Reactivated:
		if v.Account == "" {
			return Verified{}, apperr.Invalid("data.object.id", `the event names no Financial Connections account ("fca_…")`)
		}
	}
	return v, nil
}

// signedAt is the signature header's t= (the last one, as stripe-go reads
// it): it is part of what is signed, so once the signature verifies it
// can be trusted.
func signedAt(header string) (time.Time, bool) {
	var at time.Time
	ok := false
	for _, pair := range strings.Split(header, ",") {
		k, v, found := strings.Cut(pair, "=")
		if !found || k != "t" {
			continue
		}
		sec, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		at, ok = time.Unix(sec, 0), true
	}
	return at, ok
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
