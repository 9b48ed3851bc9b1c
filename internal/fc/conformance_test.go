package fc

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// freePort asks the kernel for a free loopback port.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startStripeMock runs stripe-mock (the Go tool in tools/go.mod). It is
// stateless, so it proves the wire format of each call (every request is
// validated against Stripe's OpenAPI spec), not the flow.
func startStripeMock(t *testing.T) string {
	t.Helper()
	modfile, _ := filepath.Abs("../../tools/go.mod")
	httpPort, httpsPort := freePort(t), freePort(t)
	bin := filepath.Join(t.TempDir(), "stripe-mock")
	build := exec.Command("go", "build", "-modfile="+modfile, "-o", bin, "github.com/stripe/stripe-mock")
	build.Dir = filepath.Dir(modfile)
	if out, err := build.CombinedOutput(); err != nil {
		if os.Getenv("OWNERCHECK_REQUIRE_REDIS") != "" {
			t.Fatalf("building stripe-mock: %v\n%s", err, out)
		}
		t.Skipf("stripe-mock unavailable here (the test command builds it): %v", err)
	}
	cmd := exec.Command(bin, "-http-addr", fmt.Sprintf("127.0.0.1:%d", httpPort), "-https-addr", fmt.Sprintf("127.0.0.1:%d", httpsPort))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := fmt.Sprintf("127.0.0.1:%d", httpPort)
	for i := 0; i < 200; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "http://" + addr
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("stripe-mock did not start")
	return ""
}

// Every call the service and the batch job make, against Stripe's spec.
func TestConformanceWithStripeMock(t *testing.T) {
	if testing.Short() {
		t.Skip("starts stripe-mock")
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
	acct, err := c.GetAccount(ctx, "fca_123")
	if err != nil || !strings.HasPrefix(acct.ID, "fca_") {
		t.Fatalf("GetAccount: %+v %v", acct, err)
	}
	if _, err := c.RefreshOwnership(ctx, acct.ID); err != nil {
		t.Fatalf("RefreshOwnership: %v", err)
	}
	if _, err := c.ListOwners(ctx, acct.ID, "fcaowns_123"); err != nil {
		t.Fatalf("ListOwners: %v", err)
	}
}
