package fc

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/testutil/stripemock"
)

// Every call the service and the batch job make, against Stripe's spec
// (stripe-mock validates each request), with an account whose ownership
// was refreshed: the session embeds it, the owners list has its owner.
func TestConformanceWithStripeMock(t *testing.T) {
	if testing.Short() && os.Getenv("OWNERCHECK_REQUIRE_REDIS") == "" {
		t.Skip("starts stripe-mock") // never skipped in CI (tools/test sets OWNERCHECK_REQUIRE_REDIS)
	}
	now := time.Now()
	base := stripemock.Start(t, stripemock.Linked{Refresh: RefreshSucceeded, RefreshedAt: now.Add(-time.Hour), NextRefreshAt: now,
		Owner: map[string]any{"name": "Jane Doe", "raw_address": "123 Main St, Springfield, IL 62704"}}.Fixtures())
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
	// With filters (countries, account_subcategories): the spec validates them.
	sess, err := c.CreateSession(ctx, CreateSessionParams{Customer: cus, ReturnURL: "https://example.com/done", IdempotencyKey: "k2"})
	if err != nil || !strings.HasPrefix(sess.ID, "fcsess_") || sess.ClientSecret == "" {
		t.Fatalf("CreateSession: %+v %v", sess, err)
	}
	got, err := c.GetSession(ctx, sess.ID)
	if err != nil || len(got.Accounts) != 1 {
		t.Fatalf("GetSession: %+v %v", got, err)
	}
	// Only taken when a session's embedded list has more: run it here.
	if _, err := c.sessionAccounts(ctx, sess.ID); err != nil {
		t.Fatalf("listing session accounts: %v", err)
	}
	acct, err := c.GetAccount(ctx, got.Accounts[0])
	if err != nil || acct.Refresh == nil || acct.Refresh.Status != RefreshSucceeded || acct.OwnershipID == "" {
		t.Fatalf("GetAccount: %+v %v", acct, err)
	}
	if _, err := c.RefreshOwnership(ctx, acct.ID); err != nil {
		t.Fatalf("RefreshOwnership: %v", err)
	}
	owners, err := c.ListOwners(ctx, acct.ID, acct.OwnershipID)
	if err != nil || len(owners) != 1 || owners[0].Name != "Jane Doe" {
		t.Fatalf("ListOwners: %+v %v", owners, err)
	}
	if err := c.Disconnect(ctx, acct.ID); err != nil {
		t.Fatalf("Disconnect: %v", err)
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
