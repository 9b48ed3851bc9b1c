// Package app wires ownercheck's service from its configuration: the Stripe
// client (or the offline sandbox), the verdict cache, the rules, the HTTP
// server. cmd/ownercheck only calls New, Run and Close.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/config"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/sandbox"
	"github.com/ownercheck/ownercheck/internal/server"
	"github.com/ownercheck/ownercheck/internal/session"
	"github.com/ownercheck/ownercheck/internal/verdict"
	"github.com/ownercheck/ownercheck/internal/webhooks"
)

// App is the running service.
type App struct {
	Log     *slog.Logger
	Rules   *match.Store
	Sandbox *sandbox.Emulator // nil with a Stripe key
	Config  config.Config

	ln     net.Listener
	srv    *http.Server
	closer io.Closer
}

// New builds the service and binds its listener (so ":0" is resolved and
// Addr is known before Run).
func New(cfg config.Config, logOut io.Writer) (*App, error) {
	if err := cfg.Finish(); err != nil {
		return nil, err
	}
	log := slog.New(slog.NewJSONHandler(logOut, &slog.HandlerOptions{Level: cfg.LogLevel}))
	rules, err := match.NewStore(cfg.RulesDir)
	if err != nil {
		return nil, fmt.Errorf("loading rules:\n%w", err)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", cfg.Addr, err)
	}
	a := &App{Log: log, Rules: rules, Config: cfg, ln: ln}
	base := "http://" + ln.Addr().String()

	stripeKey, apiBase := cfg.StripeSecretKey, cfg.StripeAPIBase
	if cfg.Sandbox() {
		a.Sandbox, err = sandbox.New(sandbox.Config{WebhookURL: base + "/v1/webhooks/stripe", WebhookSecret: cfg.StripeWebhookSecret,
			PendingFor: cfg.SandboxPending, Logger: log})
		if err != nil {
			ln.Close()
			return nil, err
		}
		stripeKey, apiBase = "sk_test_sandbox", base+"/sandbox"
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	stripeCalls := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ownercheck_stripe_requests_total", Help: "Stripe API attempts by HTTP status (0 = transport error)."}, []string{"status"})
	reg.MustRegister(stripeCalls)
	client, err := fc.NewStripe(fc.StripeConfig{SecretKey: stripeKey, APIBase: apiBase, RPS: cfg.StripeRPS,
		Observe: func(status int, _ time.Duration) { stripeCalls.WithLabelValues(fmt.Sprint(status)).Inc() }})
	if err != nil {
		ln.Close()
		return nil, err
	}
	var store cache.Cache = cache.NewMemory()
	cacheKind := "memory"
	if cfg.RedisURL != "" {
		r, err := cache.NewRedis(cfg.RedisURL)
		if err != nil {
			ln.Close()
			return nil, err
		}
		store, cacheKind, a.closer = r, "redis", r
	}
	verdicts := verdict.New(verdict.Config{FC: client, Rules: rules, Cache: store, Secret: []byte(cfg.CacheSecret),
		TTL: cfg.CacheTTL, StaleAfter: cfg.StaleAfter, Logger: log, Registerer: reg})
	deps := server.Deps{
		Logger: log, APIKeys: cfg.APIKeys, BodyLimit: cfg.BodyLimit,
		Sessions: &session.Service{FC: client, PublishableKey: cfg.StripePublishableKey},
		Verdicts: verdicts,
		Webhooks: &webhooks.Service{Secret: cfg.StripeWebhookSecret, Invalidator: verdicts, Dedupe: store, Logger: log},
		Rules:    rules, Registry: reg, CacheKind: cacheKind,
	}
	if a.Sandbox != nil {
		deps.Sandbox = a.Sandbox
	}
	a.srv = &http.Server{Handler: server.New(deps), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second}
	return a, nil
}

// Addr is the address the service listens on.
func (a *App) Addr() string { return a.ln.Addr().String() }

// Run serves until ctx ends, then shuts down gracefully. SIGHUP reloads the
// rules; a bad file keeps the old rules serving.
func (a *App) Run(ctx context.Context) error {
	cur := a.Rules.Current()
	if a.Sandbox != nil {
		a.Log.Info("SANDBOX MODE: no STRIPE_SECRET_KEY, so Stripe is emulated offline; link test accounts at /sandbox/link/{session}",
			"addr", a.Addr(), "api_key", "see OWNERCHECK_API_KEYS (default sandbox-key)")
	}
	a.Log.Info("ownercheck serving", "addr", a.Addr(), "ruleset", cur.Version(), "digest", cur.Digest(), "sandbox", a.Sandbox != nil)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				if err := a.Rules.Reload(); err != nil {
					a.Log.Error("rules reload failed; previous rules still serving", "error", err.Error())
				} else {
					a.Log.Info("rules reloaded", "ruleset", a.Rules.Current().Version(), "digest", a.Rules.Current().Digest())
				}
			}
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- a.srv.Serve(a.ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Close releases what New opened.
func (a *App) Close() error {
	a.ln.Close()
	if a.closer != nil {
		return a.closer.Close()
	}
	return nil
}
