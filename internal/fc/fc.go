// Package fc is ownercheck's Stripe Financial Connections layer: the few
// calls the service and the batch job make, behind an interface, with
// rate limiting and retries of rate-limit 429s, 5xx and timeouts.
package fc

import (
	"context"
	"errors"
	"fmt"
	"time"

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
	Refresh     *Refresh
	Permissions []string
}

// Session is a created Financial Connections session.
type Session struct {
	ID           string
	ClientSecret string
	Livemode     bool
	Accounts     []string // linked account ids (on Retrieve)
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
	GetSession(ctx context.Context, id string) (*Session, error)
	GetAccount(ctx context.Context, id string) (*Account, error)
	// RefreshOwnership starts an ownership refresh (features=[ownership]).
	RefreshOwnership(ctx context.Context, id string) (*Account, error)
	// ListOwners pages through all owners of the ownership.
	ListOwners(ctx context.Context, accountID, ownershipID string) ([]identity.Owner, error)
}

// ErrNotFound is returned (wrapped) when Stripe answers 404 / resource_missing.
var ErrNotFound = errors.New("not found")

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
