// Package server assembles the HTTP API: middleware (request ids, JSON
// access logs without PII, body limit, API-key auth, metrics by route
// template), health and readiness, rule reloads, and the feature
// controllers.
package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ownercheck/ownercheck/internal/api"
	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/session"
	"github.com/ownercheck/ownercheck/internal/verdict"
	"github.com/ownercheck/ownercheck/internal/webhooks"
)

// Deps is what the server needs; cmd/ wires it.
type Deps struct {
	Logger    *slog.Logger
	APIKeys   []string
	BodyLimit int64
	Sessions  *session.Service
	Verdicts  *verdict.Service
	Webhooks  *webhooks.Service
	Rules     *match.Store
	Registry  *prometheus.Registry
	CacheKind string       // "redis" or "memory", for readyz
	Sandbox   http.Handler // mounted under /sandbox when set
}

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// New builds the HTTP handler.
func New(d Deps) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.ContextWithFallback = true
	m := metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ownercheck_http_requests_total", Help: "HTTP requests by method, route template and status."}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "ownercheck_http_request_duration_seconds", Help: "HTTP request latency by method and route template.", Buckets: prometheus.DefBuckets}, []string{"method", "route"}),
	}
	d.Registry.MustRegister(m.requests, m.duration, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "ownercheck_cache_up", Help: "1 when the verdict cache answers a ping.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		if d.Verdicts.CacheHealth(ctx) != nil {
			return 0
		}
		return 1
	}))
	r.Use(requestContext(d.Logger, m), gin.CustomRecovery(func(c *gin.Context, _ any) {
		api.RenderError(c, &apperr.Error{Kind: apperr.KindInternal, Message: "internal error"})
	}), bodyLimit(d.BodyLimit))

	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	r.GET("/readyz", func(c *gin.Context) { readyz(c, d) })
	r.GET("/metrics", gin.WrapH(promhttp.HandlerFor(d.Registry, promhttp.HandlerOpts{})))

	keys := hashKeys(d.APIKeys)
	v1 := r.Group("/v1")
	webhooks.Routes(v1, d.Webhooks) // authenticated by Stripe's signature
	authed := v1.Group("", requireAPIKey(keys))
	session.Routes(authed, d.Sessions)
	verdict.Routes(authed, d.Verdicts)
	r.POST("/admin/reload", requireAPIKey(keys), api.Adapt(func(c *gin.Context) error {
		if err := d.Rules.Reload(); err != nil {
			return apperr.Invalid("rules", err.Error())
		}
		cur := d.Rules.Current()
		c.JSON(http.StatusOK, gin.H{"status": "reloaded", "ruleset": cur.Version(), "digest": cur.Digest()})
		return nil
	}))
	if d.Sandbox != nil {
		sb := gin.WrapH(http.StripPrefix("/sandbox", d.Sandbox))
		r.Any("/sandbox/*path", sb)
	}
	r.NoRoute(func(c *gin.Context) {
		api.RenderError(c, apperr.NotFound("no such route"))
	})
	return r
}

func readyz(c *gin.Context, d Deps) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 500*time.Millisecond)
	defer cancel()
	cur := d.Rules.Current()
	rules := gin.H{"version": cur.Version(), "digest": cur.Digest()}
	if err := d.Rules.LastReloadError(); err != nil {
		rules["last_reload_error"] = err.Error()
	}
	cacheState := gin.H{"kind": d.CacheKind, "ok": true}
	if err := d.Verdicts.CacheHealth(ctx); err != nil {
		// Redis down means slower verdicts, not an unready service.
		cacheState["ok"], cacheState["error"] = false, err.Error()
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready", "rules": rules, "cache": cacheState})
}

// requestContext gives each request an id (X-Request-Id, kept when the
// caller sends a sane one), a logger carrying it, an access log line and
// metrics labelled by route template. Nothing from bodies or queries is
// logged: they hold PII.
func requestContext(log *slog.Logger, m metrics) gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-Id")
		if !saneID(id) {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Header("X-Request-Id", id)
		l := log.With("request_id", id)
		c.Set(api.LoggerKey, l)
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		status := c.Writer.Status()
		d := time.Since(start)
		m.requests.WithLabelValues(c.Request.Method, route, strconv.Itoa(status)).Inc()
		m.duration.WithLabelValues(c.Request.Method, route).Observe(d.Seconds())
		level := slog.LevelInfo
		if route == "/healthz" || route == "/readyz" || route == "/metrics" {
			level = slog.LevelDebug
		}
		l.Log(c.Request.Context(), level, "request", "method", c.Request.Method, "route", route, "status", status,
			"duration_ms", float64(d.Microseconds())/1000, "bytes", c.Writer.Size())
	}
}

func saneID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

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

// hashKeys keeps SHA-256 digests of the API keys so comparisons are
// constant-time and independent of key length.
func hashKeys(keys []string) [][32]byte {
	out := make([][32]byte, 0, len(keys))
	for _, k := range keys {
		out = append(out, sha256.Sum256([]byte(k)))
	}
	return out
}

func requireAPIKey(keys [][32]byte) gin.HandlerFunc {
	return func(c *gin.Context) {
		token, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
		got := sha256.Sum256([]byte(token))
		match := 0
		for _, k := range keys {
			match |= subtle.ConstantTimeCompare(got[:], k[:])
		}
		if !ok || token == "" || match != 1 {
			c.Header("WWW-Authenticate", `Bearer realm="ownercheck"`)
			api.RenderError(c, &apperr.Error{Kind: apperr.KindUnauthorized, Message: "a valid API key is required (Authorization: Bearer <key>)"})
			return
		}
		c.Next()
	}
}
