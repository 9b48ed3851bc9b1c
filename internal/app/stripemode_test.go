package app

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// stripeMock starts stripe-mock (tools/go.mod) on a free loopback port and
// returns its HTTP base URL. Outside CI a missing go tool skips; in CI it
// fails, like redistest.
func stripeMock(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") != "" || os.Getenv("OWNERCHECK_REQUIRE_REDIS") != "" {
			t.Fatal("the go command is needed to run stripe-mock")
		}
		t.Skip("go command not found; stripe-mock unavailable")
	}
	free := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return l.Addr().String()
	}
	httpAddr, httpsAddr := free(), free()
	// `go tool -n` builds stripe-mock if needed and prints its path; running
	// the binary itself (not via `go tool`) means Kill stops stripe-mock and
	// leaves no orphan behind.
	out, err := exec.Command(goBin, "tool", "-n", "-modfile="+filepath.Join("..", "..", "tools", "go.mod"), "stripe-mock").Output()
	if err != nil {
		t.Fatalf("locating stripe-mock (tools/go.mod): %v", err)
	}
	cmd := exec.Command(strings.TrimSpace(string(out)), "-http-addr", httpAddr, "-https-addr", httpsAddr)
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting stripe-mock: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	deadline := time.Now().Add(60 * time.Second) // the first run builds it
	for {
		c, err := net.DialTimeout("tcp", httpAddr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return "http://" + httpAddr
		}
		if time.Now().After(deadline) {
			t.Fatalf("stripe-mock did not start on %s: %v", httpAddr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// With STRIPE_SECRET_KEY and STRIPE_API_BASE the same wiring talks to a
// Stripe API (here stripe-mock, which validates each request against
// Stripe's OpenAPI spec): no sandbox is mounted and sessions are created
// through it.
func TestStripeModeAgainstStripeMock(t *testing.T) {
	base := stripeMock(t)
	cfg := baseConfig(t)
	cfg.StripeSecretKey = "sk_test_123"
	cfg.StripePublishableKey = "pk_test_123"
	cfg.StripeAPIBase = base
	cfg.StripeWebhookSecret = "whsec_mock"
	logs := &syncBuffer{}
	a := start(t, cfg, logs)
	if a.Sandbox != nil {
		t.Fatal("a Stripe key must not run the sandbox")
	}
	c := &client{t: t, base: "http://" + a.Addr(), http: &http.Client{Timeout: 20 * time.Second}}
	r := c.authed("/v1/sessions", `{"customer":{"email":"jane.doe@example.com","name":"Jane Doe"},"return_url":"https://onboarding.example.com/done"}`, "Idempotency-Key", "mock-1")
	if r.status != 201 || !strings.HasPrefix(r.body["session"].(string), "fcsess_") || r.body["publishable_key"] != "pk_test_123" {
		t.Fatalf("session through stripe-mock: %d %s", r.status, r.raw)
	}
	if r := c.do("POST", "/sandbox/link/fcsess_1", "", nil); r.status != 404 {
		t.Errorf("no sandbox in Stripe mode: %d", r.status)
	}
	if strings.Contains(logs.String(), "SANDBOX MODE") || !strings.Contains(logs.String(), `"msg":"Stripe mode"`) {
		t.Error("the startup log must say Stripe mode, not sandbox")
	}
}
