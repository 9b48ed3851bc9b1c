package app

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/config"
)

func baseConfig(t *testing.T) config.Config {
	t.Helper()
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.Addr = "127.0.0.1:0"
	cfg.APIKeys = []string{apiKey}
	cfg.SandboxPending = 200 * time.Millisecond
	return cfg
}

func start(t *testing.T, cfg config.Config, logs io.Writer) *App {
	t.Helper()
	a, err := New(cfg, logs)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		a.Close()
	})
	return a
}

// Brief: "in Stripe mode refuse to start without keys".
func TestStripeModeRefusesToStartWithoutAPIKeys(t *testing.T) {
	cfg := baseConfig(t)
	cfg.APIKeys = nil
	cfg.StripeSecretKey = "sk_test_123"
	cfg.StripeWebhookSecret = "whsec_1"
	if a, err := New(cfg, io.Discard); err == nil || !strings.Contains(err.Error(), "OWNERCHECK_API_KEYS") {
		if a != nil {
			a.Close()
		}
		t.Fatalf("err = %v", err)
	}
}

// Issue 7: with REDIS_URL and no OWNERCHECK_CACHE_SECRET, serve and
// reverify refuse to start with a one-line reason (replicas would derive
// different cache keys; reverify used a fixed key "unset").
func TestRedisWithoutCacheSecretRefusesToStart(t *testing.T) {
	cfg := baseConfig(t)
	cfg.RedisURL = "redis://127.0.0.1:1/0"
	a, err := New(cfg, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "OWNERCHECK_CACHE_SECRET is required with REDIS_URL") {
		if a != nil {
			a.Close()
		}
		t.Fatalf("serve: err = %v", err)
	}
	b, err := NewBatch(cfg, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "OWNERCHECK_CACHE_SECRET is required with REDIS_URL") {
		if b != nil {
			b.Close()
		}
		t.Fatalf("reverify: err = %v", err)
	}
}

// A batch job shares the Stripe, Redis and fleet settings, not serve's
// HTTP side: Stripe mode needs no API keys or webhook secret for it.
func TestBatchInStripeModeNeedsNoHTTPSettings(t *testing.T) {
	cfg := baseConfig(t)
	cfg.APIKeys = nil
	cfg.StripeSecretKey, cfg.StripeAPIBase = "sk_test_batch", "http://127.0.0.1:1"
	b, err := NewBatch(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	cfg.StripeSecretKey = "pk_test_wrong"
	if _, err := NewBatch(cfg, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "STRIPE_SECRET_KEY") {
		t.Errorf("a publishable key as the secret: %v", err)
	}
}

func TestListenFailureReleasesEverything(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg := baseConfig(t)
	cfg.AdminAddr = ln.Addr().String() // taken
	if _, err := New(cfg, io.Discard); err == nil || !strings.Contains(err.Error(), "admin") {
		t.Fatalf("err = %v", err)
	}
}

// Issue 3: "Redis down or slow: compute without the cache, never 5xx;
// readyz and a metric say so." Here the real go-redis client meets a port
// nobody listens on; metrics live on the separate admin address.
func TestRedisDownStillDecides(t *testing.T) {
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := dead.Addr().String()
	dead.Close()

	cfg := baseConfig(t)
	cfg.RedisURL = "redis://" + deadAddr + "/0"
	cfg.CacheSecret = "app-test-cache-secret-0123456789abcdef"
	cfg.AdminAddr = "127.0.0.1:0"
	a := start(t, cfg, io.Discard)
	c := &client{t: t, base: "http://" + a.Addr(), http: &http.Client{Timeout: 20 * time.Second}}
	admin := &client{t: t, base: "http://" + a.AdminAddr(), http: c.http}

	r := c.authed("/v1/sessions", `{"customer":{"email":"jane.doe@example.com"}}`)
	if r.status != 201 {
		t.Fatalf("session: %d %s", r.status, r.raw)
	}
	sess := r.body["session"].(string)
	c.link(sess, "good")
	_, last := c.decide(`{"session":"` + sess + `","identity":` + janeJSON + `}`)
	if last.status != 200 || last.body["decision"] != "pass" || last.account(0)["cached"] != false {
		t.Fatalf("verdict without Redis: %d %s", last.status, last.raw)
	}

	ready := admin.do("GET", "/readyz", "", nil)
	cache, _ := ready.body["cache"].(map[string]any)
	if ready.status != 200 || cache["backend"] != "redis" || cache["ok"] != false {
		t.Errorf("readyz: %d %s", ready.status, ready.raw)
	}
	m := admin.do("GET", "/metrics", "", nil).raw
	// The Stripe budget fell back to local pacing (STRIPE_RPS/OWNERCHECK_REPLICAS).
	for _, want := range []string{`ownercheck_cache_up{backend="redis"} 0`, `ownercheck_verdict_cache_total{outcome="error"}`,
		"ownercheck_stripe_limiter_local 1", "ownercheck_stripe_limiter_fallbacks_total 1"} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if r := c.do("GET", "/metrics", "", nil); r.status != 404 {
		t.Errorf("/metrics must be only on the admin address, API answered %d", r.status)
	}
}
