package verdict

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ownercheck/ownercheck/internal/api"
	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/identity"
)

// Request is the body of POST /v1/verdicts: a session or accounts, and
// the identity the user submitted.
type Request struct {
	Session  string             `json:"session,omitempty"`
	Accounts []string           `json:"accounts,omitempty"`
	Identity *identity.Identity `json:"identity"`
	// Fresh skips the cache read (the result is still cached).
	Fresh bool `json:"fresh,omitempty"`
}

const maxAccounts = 20

// Validate names the offending field.
func (r *Request) Validate() error {
	switch {
	case r.Session == "" && len(r.Accounts) == 0:
		return apperr.Invalid("session", "session or accounts is required")
	case r.Session != "" && len(r.Accounts) > 0:
		return apperr.Invalid("accounts", "give session or accounts, not both")
	case r.Session != "":
		if err := fc.CheckID("session", "", fc.PrefixSession, r.Session); err != nil {
			return err
		}
	case len(r.Accounts) > maxAccounts:
		return apperr.Invalidf("accounts", "at most %d accounts per request", maxAccounts)
	}
	for i, a := range r.Accounts {
		if err := fc.CheckID("accounts", fmt.Sprintf("accounts[%d]", i), fc.PrefixAccount, a); err != nil {
			return err
		}
	}
	if r.Identity == nil {
		return apperr.Invalid("identity", "identity is required")
	}
	return r.Identity.Validate("identity")
}

// Routes registers POST /verdicts on an authenticated /v1 group.
func Routes(r gin.IRoutes, s *Service) {
	r.POST("/verdicts", api.Adapt(func(c *gin.Context) error {
		var req Request
		if err := api.Decode(c, &req); err != nil {
			return err
		}
		if err := req.Validate(); err != nil {
			return err
		}
		opt := Options{SkipCacheRead: req.Fresh}
		var v Verdict
		var err error
		if req.Session != "" {
			v, err = s.VerifySession(c.Request.Context(), req.Session, *req.Identity, opt)
		} else {
			v, err = s.Verify(c.Request.Context(), req.Accounts, *req.Identity, opt)
		}
		if err != nil {
			return err
		}
		if v.Status == StatusPending {
			api.SetRetryAfter(c, v.RetryAfter)
			c.JSON(http.StatusAccepted, v)
			return nil
		}
		c.JSON(http.StatusOK, v)
		return nil
	}))
}
