package fc

import (
	"bufio"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startStripeMock runs stripe-mock (the Go tool in tools/go.mod). It is
// stateless, so it proves the wire format of each call (every request is
// validated against Stripe's OpenAPI spec), not the flow. It binds port 0
// and reports the port it got: a port picked beforehand could be taken by
// another process (another test's stripe-mock) in between.
func startStripeMock(t *testing.T) string {
	t.Helper()
	modfile, _ := filepath.Abs("../../tools/go.mod")
	bin := filepath.Join(t.TempDir(), "stripe-mock")
	build := exec.Command("go", "build", "-modfile="+modfile, "-o", bin, "github.com/stripe/stripe-mock")
	build.Dir = filepath.Dir(modfile)
	if out, err := build.CombinedOutput(); err != nil {
		if os.Getenv("OWNERCHECK_REQUIRE_REDIS") != "" {
			t.Fatalf("building stripe-mock: %v\n%s", err, out)
		}
		t.Skipf("stripe-mock unavailable here (the test command builds it): %v", err)
	}
	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout // it logs to either, depending on the version
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "Listening for HTTP at address: "); ok {
				addr <- a
			}
		}
		close(addr)
	}()
	select {
	case a, ok := <-addr:
		if !ok {
			t.Fatal("stripe-mock exited before listening")
		}
		return "http://" + strings.TrimSpace(a)
	case <-time.After(30 * time.Second):
		t.Fatal("stripe-mock did not start")
	}
	return ""
}

// Every call the service and the batch job make, against Stripe's spec.
func TestConformanceWithStripeMock(t *testing.T) {
	if testing.Short() && os.Getenv("OWNERCHECK_REQUIRE_REDIS") == "" {
		t.Skip("starts stripe-mock") // never skipped in CI (tools/test sets OWNERCHECK_REQUIRE_REDIS)
	}
	base := startStripeMock(t)
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
	base := startStripeMock(t)
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
