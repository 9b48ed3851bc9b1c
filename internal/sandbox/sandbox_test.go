package sandbox

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/fc"
)

func start(t *testing.T, cfg Config, scfg fc.StripeConfig) (*Emulator, *fc.Stripe) {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	scfg.SecretKey, scfg.APIBase = "sk_test_sandbox", srv.URL
	if scfg.RPS == 0 {
		scfg.RPS = 1000
	}
	c, err := fc.NewStripe(scfg)
	if err != nil {
		t.Fatal(err)
	}
	return e, c
}

// The whole flow the service runs, through stripe-go: customer, session,
// link, pending refresh, succeeded refresh, owners.
func TestFlowThroughStripeGo(t *testing.T) {
	ctx := context.Background()
	e, c := start(t, Config{PendingFor: 50 * time.Millisecond}, fc.StripeConfig{})
	cus, err := c.CreateCustomer(ctx, fc.CreateCustomerParams{Email: "a@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckCustomer(ctx, cus); err != nil {
		t.Fatal(err)
	}
	if err := c.CheckCustomer(ctx, "cus_nope"); !errors.Is(err, fc.ErrNotFound) {
		t.Fatalf("unknown customer: %v", err)
	}
	sess, err := c.CreateSession(ctx, fc.CreateSessionParams{Customer: cus})
	if err != nil || sess.ClientSecret == "" {
		t.Fatalf("session %+v %v", sess, err)
	}
	ids, err := e.Link(sess.ID, "joint")
	if err != nil || len(ids) != 1 {
		t.Fatal(ids, err)
	}
	got, err := c.GetSession(ctx, sess.ID)
	if err != nil || len(got.Accounts) != 1 || got.Accounts[0] != ids[0] {
		t.Fatalf("session accounts %+v %v", got, err)
	}
	a, err := c.GetAccount(ctx, ids[0])
	if err != nil || a.Refresh == nil || a.Refresh.Status != fc.RefreshPending || a.OwnershipID != "" {
		t.Fatalf("fresh account %+v %v", a, err)
	}
	time.Sleep(80 * time.Millisecond)
	a, err = c.GetAccount(ctx, ids[0])
	if err != nil || a.Refresh.Status != fc.RefreshSucceeded || a.OwnershipID == "" || a.Refresh.NextAvailableAt.IsZero() {
		t.Fatalf("refreshed account %+v %v", a, err)
	}
	owners, err := c.ListOwners(ctx, a.ID, a.OwnershipID)
	if err != nil || len(owners) != 1 || owners[0].Name != "JOHN DOE AND JANE DOE" {
		t.Fatalf("owners %+v %v", owners, err)
	}
	a, err = c.RefreshOwnership(ctx, a.ID)
	if err != nil || a.Refresh.Status != fc.RefreshPending {
		t.Fatalf("refresh %+v %v", a, err)
	}
}

func TestGeneratedAccounts(t *testing.T) {
	ctx := context.Background()
	_, c := start(t, Config{PendingFor: 20 * time.Millisecond}, fc.StripeConfig{})
	a, err := c.GetAccount(ctx, "fca_gen_42")
	if err != nil || a.Refresh.Status != fc.RefreshSucceeded {
		t.Fatal(a, err)
	}
	owners, err := c.ListOwners(ctx, a.ID, a.OwnershipID)
	if err != nil || owners[0] != GeneratedOwner(42) {
		t.Fatal(owners, err)
	}
	a, err = c.RefreshOwnership(ctx, "fca_gen_7_pendingfail")
	if err != nil || a.Refresh.Status != fc.RefreshPending {
		t.Fatal(a, err)
	}
	time.Sleep(40 * time.Millisecond)
	a, _ = c.GetAccount(ctx, "fca_gen_7_pendingfail")
	if a.Refresh.Status != fc.RefreshFailed {
		t.Fatalf("pendingfail ended %s", a.Refresh.Status)
	}
	if _, err := c.GetAccount(ctx, "fca_nope"); !errors.Is(err, fc.ErrNotFound) {
		t.Fatalf("unknown account: %v", err)
	}
}

// Rate-limit 429s are retried by our transport (stripe-go would not), and
// a persistent 500 ends in a retryable *fc.Error.
func TestRetries(t *testing.T) {
	ctx := context.Background()
	var calls atomic.Int64
	_, c := start(t, Config{Fault: func(r *http.Request) *Fault {
		n := calls.Add(1)
		if r.URL.Path == "/v1/financial_connections/accounts/fca_gen_1" && n <= 2 {
			return &Fault{Status: 429, RetryAfter: 0}
		}
		if r.URL.Path == "/v1/financial_connections/accounts/fca_gen_2" {
			return &Fault{Status: 500}
		}
		return nil
	}}, fc.StripeConfig{MaxRetries: 3, MaxBackoff: 20 * time.Millisecond})
	if _, err := c.GetAccount(ctx, "fca_gen_1"); err != nil {
		t.Fatalf("429s not retried: %v", err)
	}
	if st := c.Stats(); st.RateLimited != 2 || st.Retries < 2 {
		t.Fatalf("stats %+v", st)
	}
	_, err := c.GetAccount(ctx, "fca_gen_2")
	var se *fc.Error
	if !errors.As(err, &se) || !se.Retryable || se.Status != 500 {
		t.Fatalf("persistent 500: %#v", err)
	}
}

// The sandbox enforces its rate limit like Stripe; the client's limiter
// keeps under it.
func TestRateLimit(t *testing.T) {
	ctx := context.Background()
	e, c := start(t, Config{RPS: 50}, fc.StripeConfig{RPS: 1000, MaxBackoff: 50 * time.Millisecond, MaxRetries: 10})
	for i := 0; i < 30; i++ {
		if _, err := c.GetAccount(ctx, "fca_gen_1"); err != nil {
			t.Fatal(err)
		}
	}
	if e.Stats().RateLimited == 0 {
		t.Fatal("a client 20x faster than the limit was never limited")
	}
}
