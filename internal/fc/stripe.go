package fc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v79"
	"github.com/stripe/stripe-go/v79/client"

	"github.com/ownercheck/ownercheck/internal/identity"
)

// StripeConfig configures the Stripe client.
type StripeConfig struct {
	SecretKey string
	APIBase   string  // default https://api.stripe.com; a sandbox or stripe-mock URL otherwise
	RPS       float64 // client-side limit shared by every caller of this client (default 20)
	Burst     int     // of the default local limiter (default 1: even pacing)
	// Limiter replaces the local limiter at RPS (e.g. the fleet's Shared).
	Limiter Limiter
	// Priority of this client's calls (WithPriority overrides it per call).
	Priority Priority
	// MaxWait bounds a wait for a slot of the default local limiter
	// (default 5s); past it a call fails with a retryable budget error.
	MaxWait time.Duration
	// MaxRetries of 429s, 5xx and timeouts (ours: stripe-go's own retries
	// are off because they skip rate-limit 429s).
	MaxRetries int
	Timeout    time.Duration // per attempt (default 10s)
	// MaxBackoff caps one wait between attempts (default 8s).
	MaxBackoff time.Duration
	// RateLimitWait is the least wait after a 429, whatever its
	// Retry-After says (default 1s; tests lower it).
	RateLimitWait time.Duration
	HTTPClient    *http.Client
	// Observe, when set, is told about every attempt (for metrics).
	Observe func(status int, d time.Duration)
	// ObserveOp is Observe with the operation's name (create_customer,
	// get_customer, create_session, get_session, list_session_accounts,
	// get_account, refresh_ownership, list_owners, disconnect_account): a fixed set, fit for a
	// metric label.
	ObserveOp func(op string, status int, d time.Duration)
	// SessionFilters restrict the accounts a person can link in a session
	// (Stripe's filters); nil means DefaultSessionFilters.
	SessionFilters *SessionFilters
	// Logger gets one warning per retry (operation, status, attempt, delay;
	// never ids or owner data). Default: discard.
	Logger *slog.Logger
}

// Stripe is the fc.Client for Stripe's API (or the sandbox, or stripe-mock).
type Stripe struct {
	api     *client.API
	rt      *transport
	filters SessionFilters
}

var _ Client = (*Stripe)(nil)

// NewStripe builds the client.
func NewStripe(cfg StripeConfig) (*Stripe, error) {
	if cfg.SecretKey == "" {
		return nil, errors.New("stripe: a secret key is required")
	}
	if cfg.RPS <= 0 {
		cfg.RPS = 20
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 8 * time.Second
	}
	base := http.DefaultTransport
	if cfg.HTTPClient != nil && cfg.HTTPClient.Transport != nil {
		base = cfg.HTTPClient.Transport
	}
	rt := newTransport(base, cfg)
	bc := &stripe.BackendConfig{
		HTTPClient:        &http.Client{Transport: rt},
		MaxNetworkRetries: stripe.Int64(0),
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull},
	}
	if cfg.APIBase != "" {
		bc.URL = stripe.String(strings.TrimRight(cfg.APIBase, "/"))
	}
	api := client.New(cfg.SecretKey, stripe.NewBackendsWithConfig(bc))
	filters := DefaultSessionFilters
	if cfg.SessionFilters != nil {
		filters = *cfg.SessionFilters
	}
	if err := filters.Validate(); err != nil {
		return nil, err
	}
	return &Stripe{api: api, rt: rt, filters: filters}, nil
}

// Stats are the client's request counts (for the batch job's report).
func (s *Stripe) Stats() TransportStats { return s.rt.stats() }

func (s *Stripe) CreateCustomer(ctx context.Context, p CreateCustomerParams) (string, error) {
	params := &stripe.CustomerParams{Email: stripe.String(p.Email)}
	if p.Name != "" {
		params.Name = stripe.String(p.Name)
	}
	ctx, hint := withHint(ctx, "create_customer")
	params.Context = ctx
	if p.IdempotencyKey != "" {
		params.SetIdempotencyKey(p.IdempotencyKey)
	}
	c, err := s.api.Customers.New(params)
	if err != nil {
		return "", wrap("creating customer", err, hint)
	}
	return c.ID, nil
}

func (s *Stripe) CheckCustomer(ctx context.Context, id string) error {
	params := &stripe.CustomerParams{}
	ctx, hint := withHint(ctx, "get_customer")
	params.Context = ctx
	c, err := s.api.Customers.Get(id, params)
	if err != nil {
		return wrap("retrieving customer "+id, err, hint)
	}
	if c.Deleted {
		return fmt.Errorf("customer %s is deleted: %w", id, ErrNotFound)
	}
	return nil
}

func (s *Stripe) CreateSession(ctx context.Context, p CreateSessionParams) (*Session, error) {
	params := &stripe.FinancialConnectionsSessionParams{
		AccountHolder: &stripe.FinancialConnectionsSessionAccountHolderParams{
			Type:     stripe.String("customer"),
			Customer: stripe.String(p.Customer),
		},
		Permissions: []*string{stripe.String("ownership")},
		Prefetch:    []*string{stripe.String("ownership")},
		Filters: &stripe.FinancialConnectionsSessionFiltersParams{
			Countries:            stripe.StringSlice(s.filters.Countries),
			AccountSubcategories: stripe.StringSlice(s.filters.AccountSubcategories),
		},
	}
	if p.ReturnURL != "" {
		params.ReturnURL = stripe.String(p.ReturnURL)
	}
	ctx, hint := withHint(ctx, "create_session")
	params.Context = ctx
	if p.IdempotencyKey != "" {
		params.SetIdempotencyKey(p.IdempotencyKey)
	}
	sess, err := s.api.FinancialConnectionsSessions.New(params)
	if err != nil {
		return nil, wrap("creating session for "+p.Customer, err, hint)
	}
	return toSession(sess), nil
}

func (s *Stripe) GetSession(ctx context.Context, id string) (*Session, error) {
	params := &stripe.FinancialConnectionsSessionParams{}
	params.AddExpand("accounts.data.ownership")
	ctx, hint := withHint(ctx, "get_session")
	params.Context = ctx
	sess, err := s.api.FinancialConnectionsSessions.Get(id, params)
	if err != nil {
		return nil, wrap("retrieving session "+id, err, hint)
	}
	out := toSession(sess)
	for _, a := range out.AccountData {
		a.ServedAt = servedAt(sess.LastResponse)
	}
	if sess.Accounts != nil && sess.Accounts.HasMore {
		// The session embeds only the first page of its accounts.
		if out.AccountData, err = s.sessionAccounts(ctx, id); err != nil {
			return nil, err
		}
		out.Accounts = out.Accounts[:0]
		for _, a := range out.AccountData {
			out.Accounts = append(out.Accounts, a.ID)
		}
	}
	return out, nil
}

// sessionAccounts lists every account linked in a session, ownership
// expanded. It stops after MaxSessionAccounts+1: the caller refuses more.
func (s *Stripe) sessionAccounts(ctx context.Context, sessionID string) ([]*Account, error) {
	params := &stripe.FinancialConnectionsAccountListParams{Session: stripe.String(sessionID)}
	params.AddExpand("data.ownership")
	ctx, hint := withHint(ctx, "list_session_accounts")
	params.Context = ctx
	params.Limit = stripe.Int64(MaxSessionAccounts + 1)
	it := s.api.FinancialConnectionsAccounts.List(params)
	var out []*Account
	for it.Next() {
		a := toAccount(it.FinancialConnectionsAccount())
		a.ServedAt = servedAt(it.FinancialConnectionsAccountList().LastResponse)
		out = append(out, a)
		if len(out) > MaxSessionAccounts {
			break
		}
	}
	if err := it.Err(); err != nil {
		return nil, wrap("listing accounts of session "+sessionID, err, hint)
	}
	return out, nil
}

// MaxSessionAccounts is the most accounts of a session read (one page of
// at most 100, Stripe's limit).
// The verdict service refuses sessions with more (they cost more than one
// page of owners each).
const MaxSessionAccounts = 50

func toSession(sess *stripe.FinancialConnectionsSession) *Session {
	out := &Session{ID: sess.ID, ClientSecret: sess.ClientSecret, Livemode: sess.Livemode}
	if h := sess.AccountHolder; h != nil {
		out.Holder.Type = string(h.Type)
		if h.Customer != nil {
			out.Holder.Customer = h.Customer.ID
		}
	}
	if sess.Accounts != nil {
		for _, a := range sess.Accounts.Data {
			out.Accounts = append(out.Accounts, a.ID)
			out.AccountData = append(out.AccountData, toAccount(a))
		}
	}
	return out
}

func (s *Stripe) GetAccount(ctx context.Context, id string) (*Account, error) {
	params := &stripe.FinancialConnectionsAccountParams{}
	params.AddExpand("ownership")
	ctx, hint := withHint(ctx, "get_account")
	params.Context = ctx
	a, err := s.api.FinancialConnectionsAccounts.GetByID(id, params)
	if err != nil {
		return nil, wrap("retrieving account "+id, err, hint)
	}
	out := toAccount(a)
	out.ServedAt = servedAt(a.LastResponse)
	return out, nil
}

// servedAt is the Date of Stripe's response (zero when absent): the time
// of a read on Stripe's clock, which orders it against events (their
// created) whatever this host's clock says.
func servedAt(r *stripe.APIResponse) time.Time {
	if r == nil {
		return time.Time{}
	}
	t, err := http.ParseTime(r.Header.Get("Date"))
	if err != nil {
		return time.Time{}
	}
	return t
}

func (s *Stripe) RefreshOwnership(ctx context.Context, id string) (*Account, error) {
	params := &stripe.FinancialConnectionsAccountRefreshParams{Features: []*string{stripe.String("ownership")}}
	params.AddExpand("ownership")
	ctx, hint := withHint(ctx, "refresh_ownership")
	params.Context = ctx
	a, err := s.api.FinancialConnectionsAccounts.Refresh(id, params)
	if err != nil {
		return nil, wrap("refreshing ownership of "+id, err, hint)
	}
	out := toAccount(a)
	out.ServedAt = servedAt(a.LastResponse)
	return out, nil
}

func toAccount(a *stripe.FinancialConnectionsAccount) *Account {
	out := &Account{ID: a.ID, Status: string(a.Status), Livemode: a.Livemode, Institution: a.InstitutionName, Last4: a.Last4}
	if a.Ownership != nil {
		out.OwnershipID = a.Ownership.ID
		if l := a.Ownership.Owners; l != nil {
			out.OwnersInline, out.OwnersComplete = true, !l.HasMore
			for _, o := range l.Data {
				out.Owners = append(out.Owners, identity.Owner{Name: o.Name, Email: o.Email, Phone: o.Phone, RawAddress: o.RawAddress})
				if out.OwnershipID == "" {
					// Each owner names its ownership too (stripe-mock
					// expands ownership without its id).
					out.OwnershipID = o.Ownership
				}
			}
		}
	}
	if h := a.AccountHolder; h != nil {
		out.Holder.Type = string(h.Type)
		if h.Customer != nil {
			out.Holder.Customer = h.Customer.ID
		}
	}
	for _, p := range a.Permissions {
		out.Permissions = append(out.Permissions, string(p))
	}
	if r := a.OwnershipRefresh; r != nil {
		out.Refresh = &Refresh{Status: string(r.Status), LastAttemptedAt: unix(r.LastAttemptedAt)}
		// next_refresh_available_at is null (0) while pending: only a
		// finished refresh has a meaningful value.
		if r.Status != RefreshPending {
			out.Refresh.NextAvailableAt = unix(r.NextRefreshAvailableAt)
		}
	}
	return out
}

// AccountFromJSON decodes an account object as Stripe sends it (a
// webhook's data.object, API version 2024-06-20).
func AccountFromJSON(raw []byte) (*Account, error) {
	var a stripe.FinancialConnectionsAccount
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, fmt.Errorf("decoding a Financial Connections account: %w", err)
	}
	if !strings.HasPrefix(a.ID, "fca_") {
		return nil, errors.New("decoding a Financial Connections account: no fca_ id")
	}
	return toAccount(&a), nil
}

func unix(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

func (s *Stripe) ListOwners(ctx context.Context, accountID, ownershipID string) ([]identity.Owner, error) {
	// The ownership id comes from Stripe or from a webhook's data.object:
	// check its shape before it lands in a URL or a log line.
	if !ValidID(PrefixAccount, accountID) || !ValidID(PrefixOwnership, ownershipID) {
		return nil, fmt.Errorf("listing owners: malformed account or ownership id")
	}
	params := &stripe.FinancialConnectionsAccountListOwnersParams{Account: stripe.String(accountID), Ownership: stripe.String(ownershipID)}
	ctx, hint := withHint(ctx, "list_owners")
	params.Context = ctx
	params.Limit = stripe.Int64(100)
	it := s.api.FinancialConnectionsAccounts.ListOwners(params)
	var owners []identity.Owner
	for it.Next() {
		o := it.FinancialConnectionsAccountOwner()
		owners = append(owners, identity.Owner{Name: o.Name, Email: o.Email, Phone: o.Phone, RawAddress: o.RawAddress})
		if len(owners) > maxListed {
			// An account has a handful of owners. Cutting the list short
			// could drop the owner who matches, so refuse instead.
			return nil, fmt.Errorf("listing owners of %s: more than %d", accountID, maxListed)
		}
	}
	if err := it.Err(); err != nil {
		return nil, wrap(fmt.Sprintf("listing owners of %s", accountID), err, hint)
	}
	return owners, nil
}

// TypeBudget is Error.Type when no request slot of the Stripe budget came
// within the wait deadline (nothing was sent to Stripe).
const TypeBudget = "budget_exhausted"

// maxListed bounds the work of one listing (owners, session accounts).
const maxListed = 1000

// Stripe error types ownercheck tells apart (Stripe's error object, "type").
const (
	TypeIdempotencyError    = "idempotency_error"
	TypeInvalidRequestError = "invalid_request_error"
)

// wrap turns a stripe-go error into ErrNotFound or an *Error.
func wrap(op string, err error, hint *retryHint) error {
	var se *stripe.Error
	if errors.As(err, &se) {
		if se.HTTPStatusCode == http.StatusNotFound || se.Code == stripe.ErrorCodeResourceMissing {
			return fmt.Errorf("%s: %w", op, ErrNotFound)
		}
		e := &Error{Op: op, Status: se.HTTPStatusCode, Type: string(se.Type), Code: string(se.Code), Param: se.Param, Err: errors.New(se.Msg)}
		switch {
		case e.Type == TypeIdempotencyError:
			// The same key with another request: the caller's mistake, and
			// repeating it gets the same answer.
			e.Retryable = false
		case hint.attempts > 0:
			// The transport judged the last answer (status and
			// Stripe-Should-Retry): the caller may retry what it would have.
			e.Retryable = hint.retryable
		default:
			e.Retryable = se.HTTPStatusCode == http.StatusTooManyRequests || se.HTTPStatusCode >= 500 || se.HTTPStatusCode == http.StatusConflict
		}
		if e.Retryable {
			e.RetryAfter = hint.retryAfter
		}
		if e.Retryable && e.RetryAfter == 0 {
			e.RetryAfter = 2 * time.Second
		}
		return e
	}
	var be *BudgetError
	if errors.As(err, &be) {
		return &Error{Op: op, Type: TypeBudget, Retryable: true, RetryAfter: be.RetryAfter, Err: err}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
		return &Error{Op: op, Type: "timeout", Retryable: true, RetryAfter: 2 * time.Second, Err: err}
	}
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return &Error{Op: op, Type: "api_connection_error", Retryable: true, RetryAfter: 2 * time.Second, Err: err}
}
