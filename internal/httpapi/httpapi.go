// Package httpapi is the HTTP side of the feature services: it registers
// their gin routes, decodes requests and renders answers through the one
// error adapter (internal/api). The services themselves (session, verdict,
// webhooks) know nothing of HTTP; internal/server mounts these routes.
package httpapi

import (
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/ownercheck/ownercheck/internal/api"
	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/session"
	"github.com/ownercheck/ownercheck/internal/verdict"
	"github.com/ownercheck/ownercheck/internal/webhooks"
)

// Sessions registers POST /sessions on an authenticated /v1 group.
func Sessions(r gin.IRoutes, s *session.Service) {
	r.POST("/sessions", api.Adapt(func(c *gin.Context) error {
		var req session.Request
		if err := api.Decode(c, &req); err != nil {
			return err
		}
		key := c.GetHeader("Idempotency-Key")
		if len(key) > 200 {
			return apperr.Invalid("Idempotency-Key", "Idempotency-Key is longer than 200 bytes")
		}
		out, err := s.Create(c.Request.Context(), req, key)
		if err != nil {
			return err
		}
		c.JSON(http.StatusCreated, out)
		return nil
	}))
}

// Verdicts registers POST /verdicts on an authenticated /v1 group.
func Verdicts(r gin.IRoutes, s *verdict.Service) {
	r.POST("/verdicts", api.Adapt(func(c *gin.Context) error {
		var req verdict.Request
		if err := api.Decode(c, &req); err != nil {
			return err
		}
		if err := req.Validate(); err != nil {
			return err
		}
		opt := verdict.Options{SkipCacheRead: req.Fresh}
		var v verdict.Verdict
		var err error
		if req.Session != "" {
			v, err = s.VerifySession(c.Request.Context(), req.Session, *req.Identity, opt)
		} else {
			v, err = s.Verify(c.Request.Context(), req.Accounts, *req.Identity, opt, verdict.Binding{Customer: req.Customer, Param: "accounts"})
		}
		if err != nil {
			return err
		}
		if v.Status == verdict.StatusPending {
			api.SetRetryAfter(c, v.RetryAfter)
			renderVerdict(c, http.StatusAccepted, &v)
			return nil
		}
		renderVerdict(c, http.StatusOK, &v)
		return nil
	}))
}

// verdictBufs recycles response buffers (a verdict is a few KB).
var verdictBufs = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledBuf keeps a rare huge response's buffer out of the pool.
const maxPooledBuf = 64 << 10

// renderVerdict writes v as c.JSON would, through Verdict.AppendJSON (no
// reflection) into a pooled buffer.
func renderVerdict(c *gin.Context, status int, v *verdict.Verdict) {
	bp := verdictBufs.Get().(*[]byte)
	b, ok := v.AppendJSON((*bp)[:0])
	if !ok {
		c.JSON(status, v) // json.Marshal's own error, as before
		return
	}
	c.Data(status, "application/json; charset=utf-8", b)
	if cap(b) <= maxPooledBuf {
		*bp = b
		verdictBufs.Put(bp)
	}
}

// Webhooks registers POST /webhooks/stripe. It is authenticated by the
// Stripe signature, not by an API key (Stripe cannot send one).
func Webhooks(r gin.IRoutes, s *webhooks.Service) {
	r.POST("/webhooks/stripe", api.Adapt(func(c *gin.Context) error {
		payload, err := api.ReadBody(c)
		if err != nil {
			return err
		}
		out, err := s.Handle(c.Request.Context(), payload, c.GetHeader("Stripe-Signature"))
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, out)
		return nil
	}))
}
