// Package fc is ownercheck's Stripe Financial Connections layer: the few
// calls the service and the batch job make, behind an interface, with
// rate limiting and retries of rate-limit 429s, 5xx and timeouts.
package fc

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/identity"
)

// Refresh states of an account's ownership (ownership_refresh.status).
const (
	RefreshPending   = "pending"
	RefreshSucceeded = "succeeded"
	RefreshFailed    = "failed"
)

// Account states (status).
const (
	AccountActive       = "active"
	AccountInactive     = "inactive"
	AccountDisconnected = "disconnected"
)

// Refresh is an account's ownership_refresh; nil on Account when the
// ownership has never been refreshed.
type Refresh struct {
	Status          string
	LastAttemptedAt time.Time
	// NextAvailableAt is when another refresh may be requested; zero while
	// pending (Stripe sends 0 then), so decide on Status first.
	NextAvailableAt time.Time
}

// Account is what ownercheck needs of a Financial Connections account.
type Account struct {
	ID          string
	Status      string
	Livemode    bool
	OwnershipID string // fcaowns_…; empty when there is no ownership data
	// Institution and Last4 are institution_name and last4: with the
	// owners they fingerprint the bank account behind the fca_ id (the
	// same account linked by two customers has two ids).
	Institution string
	Last4       string
	Refresh     *Refresh
	Permissions []string
	// Holder is account_holder: whose account it is.
	Holder AccountHolder
	// Owners came inline with an expanded ownership (retrievals expand
	// it); OwnersInline says they did, OwnersComplete that they are all
	// of them (the inline list had no more pages).
	Owners         []identity.Owner
	OwnersInline   bool
	OwnersComplete bool
	// ServedAt is when Stripe answered the read (its Date header: Stripe's
	// clock, whole seconds); zero when unknown (a webhook's object).
	ServedAt time.Time
}

// AccountHolder is an account's (or a session's) account_holder.
type AccountHolder struct {
	Type     string // customer | account
	Customer string // cus_…, when Type is customer
}

// HasPermission reports whether the account granted p (e.g. "ownership").
func (a *Account) HasPermission(p string) bool {
	for _, q := range a.Permissions {
		if q == p {
			return true
		}
	}
	return false
}

// Session is a created Financial Connections session.
type Session struct {
	ID           string
	ClientSecret string
	Livemode     bool
	Accounts     []string // linked account ids (on Retrieve)
	// Holder is the session's account_holder.
	Holder AccountHolder
	// AccountData are the linked accounts as retrieved, with their
	// ownership expanded (on Retrieve; same order as Accounts).
	AccountData []*Account
}

// CreateSessionParams are the inputs of CreateSession.
type CreateSessionParams struct {
	Customer       string // cus_…
	ReturnURL      string
	IdempotencyKey string
}

// CreateCustomerParams are the inputs of CreateCustomer.
type CreateCustomerParams struct {
	Email          string
	Name           string
	IdempotencyKey string
}

// Client is the set of Stripe calls ownercheck makes.
type Client interface {
	CreateCustomer(ctx context.Context, p CreateCustomerParams) (id string, err error)
	// CheckCustomer returns ErrNotFound when the customer does not exist.
	CheckCustomer(ctx context.Context, id string) error
	// CreateSession creates an ownership-only session (permissions and
	// prefetch = [ownership], account_holder = the customer).
	CreateSession(ctx context.Context, p CreateSessionParams) (*Session, error)
	// GetSession retrieves a session with its accounts and their
	// ownership expanded (one call unless more accounts were linked than
	// a session embeds).
	GetSession(ctx context.Context, id string) (*Session, error)
	// GetAccount retrieves an account with its ownership expanded.
	GetAccount(ctx context.Context, id string) (*Account, error)
	// RefreshOwnership starts an ownership refresh (features=[ownership]).
	RefreshOwnership(ctx context.Context, id string) (*Account, error)
	// ListOwners pages through all owners of the ownership (needed only
	// when the inline owners were not complete).
	ListOwners(ctx context.Context, accountID, ownershipID string) ([]identity.Owner, error)
}

// ErrNotFound is returned (wrapped) when Stripe answers 404 / resource_missing.
var ErrNotFound error = notFound{}

type notFound struct{}

func (notFound) Error() string { return "not found" }

func (notFound) AppError() *apperr.Error {
	return &apperr.Error{Kind: apperr.KindNotFound, Message: "no such Stripe object (session, account or customer)"}
}

// Error is a Stripe failure after retries, carrying what a caller needs to
// decide and to tell its client.
type Error struct {
	Op     string // e.g. "retrieving account fca_123"
	Status int    // HTTP status, 0 for a transport error or timeout
	Type   string // Stripe error type, e.g. "rate_limit_error", "api_error", "timeout"
	Code   string // Stripe error code, if any
	// Param is the request parameter Stripe blames (its error's "param",
	// e.g. "email", "return_url"), if any.
	Param      string
	Retryable  bool
	RetryAfter time.Duration // hint for the caller's client
	Err        error
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: stripe %s (status %d, code %q): %v", e.Op, e.Type, e.Status, e.Code, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// AppError classifies the failure for callers (apperr.Classify): a retryable
// 429, a retryable outage or timeout (or no slot of our own budget), or
// Stripe refusing the request. Stripe's message is left out: it may echo
// request data.
func (e *Error) AppError() *apperr.Error {
	retry := e.RetryAfter
	if retry <= 0 {
		retry = 2 * time.Second
	}
	if e.Type == TypeIdempotencyError {
		// The caller reused its key with another body: theirs to fix.
		return &apperr.Error{Kind: apperr.KindConflict, Param: "Idempotency-Key",
			Message: "this Idempotency-Key was used with another request; send the same body or use a new key"}
	}
	if field, ok := e.callerField(); ok {
		// Stripe's message can echo the value; the code says enough.
		return &apperr.Error{Kind: apperr.KindInvalid, Param: field, Message: fmt.Sprintf("Stripe refused %s (%s)", field, cmp.Or(e.Code, e.Type))}
	}
	switch {
	case e.Type == TypeBudget:
		return &apperr.Error{Kind: apperr.KindUnavailable, Message: "the service's Stripe request budget is busy; retry later", RetryAfter: retry}
	case e.Status == http.StatusTooManyRequests:
		return &apperr.Error{Kind: apperr.KindRateLimited, Message: "Stripe is rate limiting requests; retry later", RetryAfter: retry}
	case e.Retryable:
		return &apperr.Error{Kind: apperr.KindUnavailable, Message: "Stripe is unavailable or timed out; retry later", RetryAfter: retry}
	}
	return &apperr.Error{Kind: apperr.KindUpstream, Message: fmt.Sprintf("Stripe rejected the request (%s)", e.Type)}
}

// stripeParamField maps the parameters Stripe can blame (its error's
// "param") onto the fields of our requests they come from: only there is
// Stripe's 400 the caller's to fix (email_invalid, url_invalid, …). A param
// ownercheck sets itself (permissions, features, …) stays a 502: it is our
// bug or Stripe's, and the caller can do nothing about it.
var stripeParamField = map[string]string{
	"email":                    "customer.email",
	"name":                     "customer.name",
	"return_url":               "return_url",
	"customer":                 "customer",
	"account_holder[customer]": "customer",
}

// callerField is the field of our request a Stripe refusal blames.
func (e *Error) callerField() (string, bool) {
	// 401/403 are about our Stripe key, 404 is handled as not found, 429
	// and 5xx are Stripe's: only a plain 400 can be the caller's input.
	if e.Retryable || e.Status != http.StatusBadRequest || e.Type != TypeInvalidRequestError {
		return "", false
	}
	field, ok := stripeParamField[e.Param]
	return field, ok
}
