package verdict

import (
	"strings"

	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/identity"
)

// Request is the body of POST /v1/verdicts: a session or accounts, and
// the identity the user submitted.
type Request struct {
	Session  string   `json:"session,omitempty"`
	Accounts []string `json:"accounts,omitempty"`
	// Customer is whose accounts Accounts are (required with accounts):
	// every account's account_holder must be this customer.
	Customer string             `json:"customer,omitempty"`
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
	case r.Session != "" && !strings.HasPrefix(r.Session, "fcsess_"):
		return apperr.Invalid("session", `session must be a Financial Connections session id ("fcsess_…")`)
	case len(r.Accounts) > maxAccounts:
		return apperr.Invalidf("accounts", "at most %d accounts per request", maxAccounts)
	case r.Session != "" && r.Customer != "":
		return apperr.Invalid("customer", "customer goes with accounts; a session names its customer")
	case len(r.Accounts) > 0 && r.Customer == "":
		return apperr.Invalid("customer", `customer is required with accounts: the Stripe customer ("cus_…") that linked them`)
	case r.Customer != "" && !validCustomer(r.Customer):
		return apperr.Invalid("customer", `customer must be a Stripe customer id ("cus_…")`)
	}
	for i, a := range r.Accounts {
		if !strings.HasPrefix(a, "fca_") || len(a) > 255 {
			return apperr.Invalidf("accounts", "accounts[%d] must be a Financial Connections account id (\"fca_…\")", i)
		}
	}
	if r.Identity == nil {
		return apperr.Invalid("identity", "identity is required")
	}
	return r.Identity.Validate("identity")
}

// validCustomer checks a customer id's shape: "cus_" and letters or
// digits (Stripe's ids; the sandbox's too).
func validCustomer(id string) bool {
	rest, ok := strings.CutPrefix(id, "cus_")
	if !ok || rest == "" || len(id) > 255 {
		return false
	}
	for _, r := range rest {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}
