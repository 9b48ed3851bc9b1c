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
	"strconv"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"golang.org/x/sync/errgroup"

	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/config"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/sandbox"
	"github.com/ownercheck/ownercheck/internal/server"
	"github.com/ownercheck/ownercheck/internal/session"
	"github.com/ownercheck/ownercheck/internal/webhooks"
)

// App is the service, built and bound but not yet serving.
type App struct {
	Log     *slog.Logger
	Rules   *match.Store
	Sandbox *sandbox.Emulator // nil with a Stripe key
	Config  config.Config     // finished: sandbox defaults applied
	Server  *server.Server

	ln, adminLn   net.Listener // adminLn nil without OWNERCHECK_ADMIN_ADDR
	srv, adminSrv *http.Server
	closers       []io.Closer
	stripeBase    string // where stripe-go sends requests ("" = Stripe)
}

// New builds the service and binds its listeners (so ":0" is resolved and
// Addr is known before Run). Logs are JSON lines on logOut (a BufferedLog
// is written to in batches, see NewBufferedLog).
func New(cfg config.Config, logOut io.Writer) (a *App, err error) {
	if err := finish(&cfg); err != nil {
		return nil, err
	}
	log := newLogger(logOut, cfg.LogLevel)
	cache.RouteRedisLogs(log)
	rules, err := match.NewStore(cfg.RulesDir)
	if err != nil {
		return nil, fmt.Errorf("loading rules:\n%w", err)
	}
	a = &App{Log: log, Rules: rules, Config: cfg}
	defer func() {
		if err != nil {
			a.Close()
			a = nil
		}
	}()
	if a.ln, err = net.Listen("tcp", cfg.Addr); err != nil {
		return a, fmt.Errorf("listening on %s: %w", cfg.Addr, err)
	}
	a.closers = append(a.closers, a.ln)
	if cfg.AdminAddr != "" {
		if a.adminLn, err = net.Listen("tcp", cfg.AdminAddr); err != nil {
			return a, fmt.Errorf("listening on %s (admin): %w", cfg.AdminAddr, err)
		}
		a.closers = append(a.closers, a.adminLn)
	}

	stripeKey, apiBase := cfg.StripeSecretKey, cfg.StripeAPIBase
	if cfg.Sandbox() {
		// The service calls its own listener, so stripe-go, its retries and
		// its limiter run exactly as they do against Stripe.
		self := "http://" + dialable(a.ln.Addr())
		a.Sandbox, err = sandbox.New(sandbox.Config{WebhookURL: self + "/v1/webhooks/stripe", WebhookSecret: config.WebhookSecrets(cfg.StripeWebhookSecret)[0],
			PendingFor: cfg.SandboxPending, Logger: log.With("component", "sandbox")})
		if err != nil {
			return a, fmt.Errorf("starting the sandbox: %w", err)
		}
		stripeKey, apiBase = "sk_test_sandbox", self+"/sandbox"
	}
	a.stripeBase = apiBase

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if b, ok := logOut.(*BufferedLog); ok {
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "ownercheck_log_lines_dropped_total",
			Help: "Log lines dropped because the log output did not keep up (see BufferedLog)."},
			func() float64 { return float64(b.Dropped()) }))
	}
	var pendingRetry, pendingRecheck time.Duration // verdict's defaults against Stripe
	if cfg.Sandbox() {
		// Tell clients to come back about when the sandbox's refresh ends.
		pendingRetry = min(max(cfg.SandboxPending, time.Second), 2*time.Second)
		pendingRecheck = 2 * pendingRetry
	}
	shadowRules := newShadow(cfg, log, reg)
	c, err := buildCore(cfg, rules, coreOptions{stripeKey: stripeKey, apiBase: apiBase, priority: fc.Interactive,
		pendingRetry: pendingRetry, pendingRecheck: pendingRecheck, log: log, reg: reg, shadow: shadowRules.verdictShadow(), near: cfg.NearCache})
	if err != nil {
		return a, err
	}
	a.closers = append(a.closers, closerFunc(c.close))
	store, cacheKind, client, verdicts := c.cache, c.cacheKind, c.fc, c.verdicts
	keys := cache.Keyer{Secret: []byte(cfg.CacheSecret)}
	deps := server.Deps{
		Logger: log, APIKeys: cfg.APIKeys, BodyLimit: cfg.BodyLimit,
		Sessions: &session.Service{FC: client, PublishableKey: cfg.StripePublishableKey},
		Verdicts: verdicts,
		Webhooks: &webhooks.Service{Secrets: config.WebhookSecrets(cfg.StripeWebhookSecret), Livemode: cfg.Livemode(), Snapshots: verdicts, Dedupe: store,
			Key: func(id string) string { return keys.Key("event", id) }, Logger: log.With("component", "webhooks")},
		Rules: rules, Shadow: shadowRules.rules, Registry: reg, CacheKind: cacheKind,
		SeparateAdmin:  a.adminLn != nil,
		RequestTimeout: cfg.Fleet.RequestTimeout, WriteTimeout: cfg.Fleet.WriteTimeout(),
	}
	deps.KeyConcurrency = cfg.KeyConcurrency
	if b, ok := logOut.(*BufferedLog); ok {
		deps.AccessLog = b // the writer of log's INFO lines (newLogger)
	}
	if a.Sandbox != nil {
		deps.Sandbox = a.Sandbox
	}
	a.Server = server.New(deps)
	a.srv = newHTTPServer(a.Server.Handler(), log, cfg.Fleet.WriteTimeout())
	if a.adminLn != nil {
		a.adminSrv = newHTTPServer(a.Server.AdminHandler(), log, cfg.Fleet.WriteTimeout())
	}
	return a, nil
}

// MaxHeaderBytes bounds a request's header block (431 above it). The API's
// headers are a key, a request id, an Idempotency-Key and a few Stripe
// signatures: 16 KiB leaves room for proxies and is far below net/http's
// 1 MB default, which a client could fill on every request.
const MaxHeaderBytes = 16 << 10

// newHTTPServer: the write timeout is longer than a request's deadline
// (which bounds every Stripe wait and retry; see server.Deps.RequestTimeout),
// so a request is always answered by its handler, never closed unanswered.
func newHTTPServer(h http.Handler, log *slog.Logger, writeTimeout time.Duration) *http.Server {
	return &http.Server{Handler: h, MaxHeaderBytes: MaxHeaderBytes, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: writeTimeout, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
}

// dialable turns a listen address into one this process can dial: an
// unspecified host (0.0.0.0, ::) becomes loopback.
func dialable(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return addr.String()
	}
	if tcp.IP.To4() != nil {
		return net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
	}
	return net.JoinHostPort("::1", strconv.Itoa(tcp.Port))
}

// Addr is the address the API listens on.
func (a *App) Addr() string { return a.ln.Addr().String() }

// AdminAddr is the admin listener's address, "" without one.
func (a *App) AdminAddr() string {
	if a.adminLn == nil {
		return ""
	}
	return a.adminLn.Addr().String()
}

// Run serves until ctx ends, then shuts down gracefully (in-flight
// requests get 10s). SIGHUP reloads the rules; a bad file keeps the old
// rules serving.
func (a *App) Run(ctx context.Context) error {
	cur := a.Rules.Current()
	for _, note := range a.Config.Notes {
		a.Log.Warn(note)
	}
	if a.Sandbox != nil {
		a.Log.Warn("SANDBOX MODE: STRIPE_SECRET_KEY is not set, so Stripe is emulated offline and no real bank data is used; link test banks at /sandbox/link/{session}",
			"addr", a.Addr(), "stripe_api_base", a.stripeBase)
	} else {
		a.Log.Info("Stripe mode", "stripe_api_base", orDefault(a.stripeBase, "https://api.stripe.com"))
	}
	cacheBackend := "memory"
	if a.Config.RedisURL != "" {
		cacheBackend = "redis"
	}
	a.Log.Info("ownercheck serving", "addr", a.Addr(), "admin_addr", a.AdminAddr(), "ruleset", cur.Version(), "digest", cur.Digest(),
		"sandbox", a.Sandbox != nil, "cache", cacheBackend)

	g, gctx := errgroup.WithContext(ctx)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	g.Go(func() error {
		for {
			select {
			case <-gctx.Done():
				return nil
			case <-hup:
				_ = a.Server.ReloadRules(gctx, "sighup") // logged and counted by ReloadRules
			}
		}
	})
	serve := func(srv *http.Server, ln net.Listener) {
		g.Go(func() error {
			if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("serving on %s: %w", ln.Addr(), err)
			}
			return nil
		})
		g.Go(func() error {
			<-gctx.Done()
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return srv.Shutdown(sctx)
		})
	}
	serve(a.srv, a.ln)
	if a.adminSrv != nil {
		serve(a.adminSrv, a.adminLn)
	}
	err := g.Wait()
	a.Log.Info("ownercheck stopped")
	return err
}

// Close releases what New opened (listeners, the Redis client).
func (a *App) Close() error {
	var errs []error
	for i := len(a.closers) - 1; i >= 0; i-- {
		if err := a.closers[i].Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	a.closers = nil
	return errors.Join(errs...)
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// sessionFilters are the sessions' filters: the configured subcategories
// (default checking and savings) of US accounts.
func sessionFilters(cfg config.Config) *fc.SessionFilters {
	f := fc.DefaultSessionFilters
	if len(cfg.AccountSubcategories) > 0 {
		f.AccountSubcategories = cfg.AccountSubcategories
	}
	return &f
}
