package webhooks

import (
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ownercheck/ownercheck/internal/api"
	"github.com/ownercheck/ownercheck/internal/apperr"
)

// Routes registers POST /webhooks/stripe. It is authenticated by the Stripe
// signature, not by an API key (Stripe cannot send one).
func Routes(r gin.IRoutes, s *Service) {
	r.POST("/webhooks/stripe", api.Adapt(func(c *gin.Context) error {
		payload, err := io.ReadAll(c.Request.Body)
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return &apperr.Error{Kind: apperr.KindTooLarge, Message: "the event is larger than the body limit"}
			}
			return apperr.Invalid("body", "could not read the body")
		}
		out, err := s.Handle(c.Request.Context(), payload, c.GetHeader("Stripe-Signature"))
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, out)
		return nil
	}))
}
