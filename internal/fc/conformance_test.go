package fc

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/ownercheck/ownercheck/internal/testutil/stripemock"
)

// Every call the service and the batch job make, against Stripe's spec.
func TestConformanceWithStripeMock(t *testing.T) {
	if testing.Short() && os.Getenv("OWNERCHECK_REQUIRE_REDIS") == "" {
		t.Skip("starts stripe-mock") // never skipped in CI (tools/test sets OWNERCHECK_REQUIRE_REDIS)
	}
	base := stripemock.URL(t)
	c, err := NewStripe(StripeConfig{SecretKey: "sk_test_123", APIBase: base, RPS: 100})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cus, err := c.CreateCustomer(ctx, CreateCustomerParams{Email: "jane@example.com", Name: "Jane Doe", IdempotencyKey: "k1"})
	if err != nil || !strings.HasPrefix(cus, "cus_") {
		t.Fatalf("CreateCustomer: %q %v", cus, err)
	}
	if err := c.CheckCustomer(ctx, cus); err != nil {
		t.Fatalf("CheckCustomer: %v", err)
	}
	sess, err := c.CreateSession(ctx, CreateSessionParams{Customer: cus, ReturnURL: "https://example.com/done", IdempotencyKey: "k2"})
	if err != nil || !strings.HasPrefix(sess.ID, "fcsess_") || sess.ClientSecret == "" {
		t.Fatalf("CreateSession: %+v %v", sess, err)
	}
	if _, err := c.GetSession(ctx, sess.ID); err != nil {
		t.Fatalf("GetSession: %v", err)
	}
	// Only taken when a session's embedded list has more: run it here.
	if _, err := c.sessionAccounts(ctx, sess.ID); err != nil {
		t.Fatalf("listing session accounts: %v", err)
	}
	acct, err := c.GetAccount(ctx, "fca_123")
	if err != nil || !strings.HasPrefix(acct.ID, "fca_") || acct.Refresh == nil || acct.Refresh.Status == "" {
		t.Fatalf("GetAccount: %+v %v", acct, err)
	}
	if _, err := c.RefreshOwnership(ctx, acct.ID); err != nil {
		t.Fatalf("RefreshOwnership: %v", err)
	}
	owners, err := c.ListOwners(ctx, acct.ID, "fcaowns_123")
	if err != nil || len(owners) == 0 || owners[0].Name == "" || owners[0].RawAddress == "" {
		t.Fatalf("ListOwners: %+v %v", owners, err)
	}
}

// The control: stripe-mock does reject what Stripe's spec forbids, so the
// test above passing means the requests were validated, not waved through.
func TestConformanceControlRejectsBadParams(t *testing.T) {
	if testing.Short() && os.Getenv("OWNERCHECK_REQUIRE_REDIS") == "" {
		t.Skip("starts stripe-mock")
	}
	base := stripemock.URL(t)
	for _, body := range []string{
		"account_holder[type]=customer&account_holder[customer]=cus_1&permissions[0]=everything",                    // not an enum value
		"account_holder[type]=customer&account_holder[customer]=cus_1&permissions[0]=ownership&ownership_only=true", // unknown param
	} {
		req, _ := http.NewRequest(http.MethodPost, base+"/v1/financial_connections/sessions", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer sk_test_123")
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("stripe-mock answered %d to %q; want 400", resp.StatusCode, body)
		}
	}
}
