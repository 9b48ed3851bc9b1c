package server

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
)

// shadowRoutes serves GET /admin/shadow (API key): the shadow rules'
// disagreements with the live rules since they were loaded.
func (s *Server) shadowRoutes(r *gin.Engine) {
	r.GET("/admin/shadow", s.requireAPIKey, func(c *gin.Context) {
		if s.d.Shadow == nil {
			c.JSON(http.StatusOK, gin.H{"loaded": false, "configured": false})
			return
		}
		c.JSON(http.StatusOK, s.d.Shadow.Summary())
	})
}

// reloadShadow reloads the shadow rules with the live ones. Its failure
// is logged and reported by /admin/shadow and readyz; it never fails the
// live reload.
func (s *Server) reloadShadow(ctx context.Context, trigger string) {
	if s.d.Shadow == nil {
		return
	}
	if err := s.d.Shadow.Reload(); err != nil {
		s.metrics.reloads.WithLabelValues(trigger+"_shadow", "error").Inc()
		s.d.Logger.ErrorContext(ctx, "shadow rules reload failed; live verdicts are unaffected", "trigger", trigger, "error", err.Error())
		return
	}
	s.metrics.reloads.WithLabelValues(trigger+"_shadow", "ok").Inc()
	if m := s.d.Shadow.Current(); m != nil {
		s.d.Logger.InfoContext(ctx, "shadow rules reloaded", "trigger", trigger, "ruleset", m.Version(), "digest", m.Digest())
	}
}

// shadowReadiness are readyz's shadow details, for callers with an API key
// only (they name a rules directory and its errors). A broken shadow file
// never makes the service unready.
func (s *Server) shadowReadiness(c *gin.Context) (gin.H, bool) {
	if s.d.Shadow == nil {
		return nil, false
	}
	if _, authed := s.authenticate(c); !authed {
		return nil, false
	}
	out := gin.H{"loaded": false}
	if m := s.d.Shadow.Current(); m != nil {
		out = gin.H{"loaded": true, "version": m.Version(), "digest": m.Digest()}
	}
	if err := s.d.Shadow.LastError(); err != nil {
		out["error"] = err.Error()
	}
	return out, true
}
