package session

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ownercheck/ownercheck/internal/api"
	"github.com/ownercheck/ownercheck/internal/apperr"
)

// Routes registers POST /sessions on an authenticated /v1 group.
func Routes(r gin.IRoutes, s *Service) {
	r.POST("/sessions", api.Adapt(func(c *gin.Context) error {
		var req Request
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
