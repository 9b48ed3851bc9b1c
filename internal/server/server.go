// Package server assembles the HTTP API: middleware (request ids, JSON
// access logs without PII, panic recovery, body limit, API-key auth, a
// deadline per /v1 request, metrics by route template), health and
// readiness, rule reloads, and the feature routes of internal/httpapi
// (sessions, verdicts, webhooks). Errors from every controller go through
// one adapter (internal/api) into one JSON shape.
package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ownercheck/ownercheck/internal/api"
	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/caller"
	"github.com/ownercheck/ownercheck/internal/demo"
	"github.com/ownercheck/ownercheck/internal/httpapi"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/session"
	"github.com/ownercheck/ownercheck/internal/shadow"
	"github.com/ownercheck/ownercheck/internal/verdict"
	"github.com/ownercheck/ownercheck/internal/webhooks"
)

// Deps is what the server needs; internal/app wires it.
type Deps struct {
	Logger *slog.Logger
	// AccessLog, when set, takes each request's INFO access line directly
	// (appendAccessLine), in the format of Logger's JSON handler on that
	// same writer; it must be safe for concurrent writes. Nil: through
	// Logger.
	AccessLog io.Writer
	APIKeys   []string
	BodyLimit int64
	Sessions  *session.Service
	Verdicts  *verdict.Service
	Webhooks  *webhooks.Service
	Rules     *match.Store
	Shadow    *shadow.Rules // optional: OWNERCHECK_SHADOW_RULES_DIR
	Registry  *prometheus.Registry
	CacheKind string       // "redis" or "memory", for readyz and the cache_up gauge
	Sandbox   http.Handler // mounted under /sandbox/ when set (sandbox mode)
	// RequestTimeout is the deadline of each /v1 request, enforced through
	// its context (every Stripe wait and retry ends by it); 0: none.
	// WriteTimeout is the HTTP server's: a request still running past it
	// cannot be answered, so it is logged and counted with status 0.
	RequestTimeout, WriteTimeout time.Duration
	// SeparateAdmin serves /metrics only on AdminHandler (OWNERCHECK_ADMIN_ADDR);
	// otherwise the API handler serves it too.
	SeparateAdmin bool
	// KeyConcurrency caps the requests one API key has in flight on /v1
	// (429 + Retry-After above it); 0 = no cap.
	KeyConcurrency int
}

// Server is the HTTP side of ownercheck.
type Server struct {
	d          Deps
	inFlight   keyGauge
	keyLimited prometheus.Counter
	keys       [][32]byte
	metrics    metrics
	api        *gin.Engine
	admin      *gin.Engine
}

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	reloads  *prometheus.CounterVec
	loadedAt prometheus.Gauge
}

// Context keys set by the middleware.
const keyIDKey = "ownercheck.api_key_id"

// New builds the server's handlers and registers its metrics on d.Registry.
func New(d Deps) *Server {
	gin.SetMode(gin.ReleaseMode)
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{d: d, keys: hashKeys(d.APIKeys)}
	s.metrics = metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ownercheck_http_requests_total", Help: "HTTP requests by method, route template and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ownercheck_http_request_duration_seconds", Help: "HTTP request latency by method and route template.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ownercheck_rules_reloads_total", Help: "Rule reloads by trigger (sighup, api) and result (ok, error).",
		}, []string{"trigger", "result"}),
		loadedAt: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "ownercheck_rules_loaded_timestamp_seconds", Help: "When the rules in service were loaded (start or last successful reload).",
		}),
	}
	d.Registry.MustRegister(s.metrics.requests, s.metrics.duration, s.metrics.reloads,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "ownercheck_cache_up", Help: "1 when the verdict cache (Redis, or memory) answers a ping; 0 means verdicts are computed without it.",
			ConstLabels: prometheus.Labels{"backend": d.CacheKind},
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			if d.Verdicts.CacheHealth(ctx) != nil {
				return 0
			}
			return 1
		}),
		s.metrics.loadedAt,
	)
	s.metrics.loadedAt.SetToCurrentTime()
	s.keyLimited = newKeyLimitedCounter(d.Registry)
	s.api = s.apiEngine()
	if d.SeparateAdmin {
		s.admin = s.adminEngine()
	}
	return s
}

// Handler is the API (and, without SeparateAdmin, /metrics).
func (s *Server) Handler() http.Handler { return s.api }

// AdminHandler serves /metrics, /healthz and /readyz for the admin
// address; nil unless Deps.SeparateAdmin.
func (s *Server) AdminHandler() http.Handler {
	if s.admin == nil {
		return nil
	}
	return s.admin
}

func (s *Server) newEngine() *gin.Engine {
	r := gin.New()
	r.ContextWithFallback = true
	r.HandleMethodNotAllowed = true
	r.Use(s.requestContext(), s.recovery(), bodyLimit(s.d.BodyLimit))
	r.NoRoute(func(c *gin.Context) { api.RenderError(c, apperr.NotFound("no such route")) })
	r.NoMethod(func(c *gin.Context) {
		// The method is not repeated: it is whatever the client sent (see
		// methodLabel); Allow lists the ones the route takes.
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, gin.H{"error": gin.H{"type": "method_not_allowed", "message": "this method is not allowed on this route (see Allow)"}})
	})
	return r
}

// probes registers /healthz and /readyz. On the API address /readyz says
// only ready or not unless the request carries an API key: its details
// (rule-file paths, a Redis host:port in a dial error) map the deployment
// for whoever asks. The admin address is private and always shows them.
func (s *Server) probes(r *gin.Engine, admin bool) {
	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	r.GET("/readyz", func(c *gin.Context) {
		_, authed := s.authenticate(c)
		s.readyz(c, admin || authed)
	})
}

// OpenAPI is the API's OpenAPI document, served at GET /openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte

func serveOpenAPI(c *gin.Context) { c.Data(http.StatusOK, "application/yaml", OpenAPI) }

func (s *Server) metricsRoute(r *gin.Engine) {
	r.GET("/metrics", gin.WrapH(promhttp.HandlerFor(s.d.Registry, promhttp.HandlerOpts{})))
}

func (s *Server) apiEngine() *gin.Engine {
	r := s.newEngine()
	s.probes(r, false)
	if !s.d.SeparateAdmin {
		s.metricsRoute(r)
	}
	r.GET("/openapi.yaml", serveOpenAPI)
	v1 := r.Group("/v1", s.deadline)
	httpapi.Webhooks(v1, s.d.Webhooks) // authenticated by Stripe's signature, not an API key
	authed := v1.Group("", s.requireAPIKey, s.limitPerKey())
	httpapi.Sessions(authed, s.d.Sessions)
	httpapi.Verdicts(authed, s.d.Verdicts)
	r.POST("/admin/reload", s.requireAPIKey, api.Adapt(func(c *gin.Context) error {
		if err := s.ReloadRules(c.Request.Context(), "api"); err != nil {
			// The file:line:col of a bad rule file is the useful part for
			// whoever edited it; rule files hold no PII.
			return apperr.Invalid("rules", err.Error())
		}
		cur := s.d.Rules.Current()
		c.JSON(http.StatusOK, gin.H{"status": "reloaded", "ruleset": cur.Version(), "digest": cur.Digest()})
		return nil
	}))
	s.shadowRoutes(r)
	if s.d.Sandbox != nil {
		// The demo page lives beside the emulator's pages (sandbox mode only).
		mux := http.NewServeMux()
		mux.Handle("/demo", demo.Handler())
		mux.Handle("/", s.d.Sandbox)
		r.Any("/sandbox/*path", gin.WrapH(http.StripPrefix("/sandbox", mux)))
	}
	return r
}

func (s *Server) adminEngine() *gin.Engine {
	r := s.newEngine()
	s.probes(r, true)
	s.metricsRoute(r)
	return r
}

// ReloadRules re-reads the rules; on error the previous rules keep
// serving, the error is logged and returned. trigger labels the metric
// ("sighup", "api").
func (s *Server) ReloadRules(ctx context.Context, trigger string) error {
	s.reloadShadow(ctx, trigger)
	if err := s.d.Rules.Reload(); err != nil {
		s.metrics.reloads.WithLabelValues(trigger, "error").Inc()
		s.d.Logger.ErrorContext(ctx, "rules reload failed; previous rules still serving", "trigger", trigger,
			"ruleset", s.d.Rules.Current().Version(), "error", err.Error())
		return err
	}
	s.metrics.reloads.WithLabelValues(trigger, "ok").Inc()
	s.metrics.loadedAt.SetToCurrentTime()
	cur := s.d.Rules.Current()
	s.d.Logger.InfoContext(ctx, "rules reloaded", "trigger", trigger, "ruleset", cur.Version(), "digest", cur.Digest())
	return nil
}

// readyz: ready when rules are loaded. Redis being down makes verdicts
// slower (computed without the cache), not wrong, so it is reported but
// does not make the service unready.
func (s *Server) readyz(c *gin.Context, details bool) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 500*time.Millisecond)
	defer cancel()
	cur := s.d.Rules.Current()
	if cur == nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unready"})
		return
	}
	if !details {
		c.JSON(http.StatusOK, gin.H{"status": "ready"})
		return
	}
	rules := gin.H{"loaded": true, "version": cur.Version(), "digest": cur.Digest()}
	if err := s.d.Rules.LastReloadError(); err != nil {
		rules["last_reload_error"] = err.Error()
	}
	cacheState := gin.H{"backend": s.d.CacheKind, "ok": true}
	if err := s.d.Verdicts.CacheHealth(ctx); err != nil {
		cacheState["ok"], cacheState["error"] = false, err.Error()
	}
	out := gin.H{"status": "ready", "rules": rules, "cache": cacheState}
	if sh, ok := s.shadowReadiness(c); ok {
		out["shadow"] = sh
	}
	c.JSON(http.StatusOK, out)
}

// requestContext gives each request an id (X-Request-Id, kept when the
// caller sends a sane one), a logger carrying it, an access log line and
// metrics labelled by route template. Only method, route template, status,
// timing and sizes are logged: paths, queries and bodies can hold PII.
func (s *Server) requestContext() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-Id")
		if !saneID(id) {
			id = newRequestID()
		}
		c.Header("X-Request-Id", id)
		c.Set(api.LoggerKey, &api.LazyLogger{Base: s.d.Logger, ID: id})
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched" // a bounded label, whatever the path was
		}
		status := c.Writer.Status()
		elapsed := time.Since(start)
		if s.d.WriteTimeout > 0 && elapsed >= s.d.WriteTimeout {
			status = 0 // the server's write deadline passed: nothing reached the client
		}
		method := methodLabel(c.Request.Method)
		s.metrics.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
		s.metrics.duration.WithLabelValues(method, route).Observe(elapsed.Seconds())
		level := slog.LevelInfo
		if route == "/healthz" || route == "/readyz" || route == "/metrics" || strings.HasPrefix(route, "/sandbox/") {
			level = slog.LevelDebug // probes, scrapes and the in-process sandbox's own traffic
		}
		ctx := c.Request.Context()
		if !s.d.Logger.Enabled(ctx, level) {
			return
		}
		e := accessEntry{id: id, method: method, route: route, status: status,
			durationMS: float64(elapsed.Microseconds()) / 1000,
			bytesIn:    max(c.Request.ContentLength, 0), bytesOut: max(c.Writer.Size(), 0), keyID: c.GetString(keyIDKey)}
		s.logAccess(ctx, level, &e)
	}
}

// logAccess writes a request's access line.
func (s *Server) logAccess(ctx context.Context, level slog.Level, e *accessEntry) {
	if s.d.AccessLog != nil && level == slog.LevelInfo && writeAccessLine(s.d.AccessLog, time.Now(), e) {
		return
	}
	s.d.Logger.LogAttrs(ctx, level, "request", e.attrs()...)
}

// deadline bounds a /v1 request through its context, so that a handler
// always answers (503 with Retry-After) before the write timeout.
func (s *Server) deadline(c *gin.Context) {
	if s.d.RequestTimeout <= 0 {
		c.Next()
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.d.RequestTimeout)
	defer cancel()
	// The slot lets requireAPIKey name the caller in this same context
	// (one context and one request copy per request, not two).
	c.Request = c.Request.WithContext(caller.NewSlot(ctx))
	c.Next()
}

// methodLabel maps the request method onto a fixed set: the method is
// whatever the client sent (any token, of any length), and a label or log
// field taken from it verbatim would let anyone grow every scrape.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func saneID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// recovery turns a panic into the one 500 shape and an error log with the
// stack (which holds code locations, not request data).
func (s *Server) recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				api.Logger(c, s.d.Logger).ErrorContext(c.Request.Context(), "panic serving request",
					"route", c.FullPath(), "panic", fmt.Sprintf("%T", v), "stack", string(debug.Stack()))
				// Written here rather than by api.RenderError, which would log
				// the same failure a second time.
				c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": gin.H{"type": apperr.KindInternal, "message": "internal error"}})
			}
		}()
		c.Next()
	}
}

// bodyLimit answers 413 at once when the declared length is over n, and
// caps the body otherwise (chunked bodies): the decoder then reports 413.
func bodyLimit(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > n {
			api.RenderError(c, &apperr.Error{Kind: apperr.KindTooLarge, Message: "the body is larger than " + strconv.FormatInt(n, 10) + " bytes"})
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		c.Next()
	}
}

// hashKeys keeps SHA-256 digests of the API keys: comparing digests in
// constant time hides both the keys' content and their lengths.
func hashKeys(keys []string) [][32]byte {
	out := make([][32]byte, 0, len(keys))
	for _, k := range keys {
		out = append(out, sha256.Sum256([]byte(k)))
	}
	return out
}

// requireAPIKey accepts "Authorization: Bearer <key>" for any configured
// key. Every key is compared (no early exit) so timing says nothing about
// which key nearly matched. The access log records a short digest of the
// key used, never the key.
func (s *Server) requireAPIKey(c *gin.Context) {
	got, ok := s.authenticate(c)
	if !ok {
		c.Header("WWW-Authenticate", `Bearer realm="ownercheck"`)
		api.RenderError(c, &apperr.Error{Kind: apperr.KindUnauthorized, Message: "a valid API key is required (Authorization: Bearer <key>)"})
		return
	}
	c.Set(keyIDKey, hex.EncodeToString(got[:4]))
	// The domain sees the caller as a digest of its key (128 bits: enough
	// that two keys never share a namespace), never the key itself.
	id := hex.EncodeToString(got[:16])
	if slot, ok := c.Request.Context().(*caller.Slot); ok && caller.ID(slot) == "" {
		slot.Set(id)
	} else {
		c.Request = c.Request.WithContext(caller.With(c.Request.Context(), id))
	}
	c.Next()
}

// authenticate returns the digest of the request's bearer token and
// whether it is one of the configured keys.
func (s *Server) authenticate(c *gin.Context) ([32]byte, bool) {
	token, ok := bearer(c.GetHeader("Authorization"))
	got := sha256.Sum256([]byte(token))
	matched := 0
	for _, k := range s.keys {
		matched |= subtle.ConstantTimeCompare(got[:], k[:])
	}
	return got, ok && matched == 1
}

// bearer extracts the token of a Bearer authorization (the scheme is
// case-insensitive, RFC 9110 §11.1).
func bearer(h string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}
