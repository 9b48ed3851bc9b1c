package verdict

import (
	"fmt"

	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/fc"
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

// Validate names the offending field. Ids are checked against Stripe's
// shape before anything else uses them (or logs them).
func (r *Request) Validate() error {
	switch {
	case r.Session == "" && len(r.Accounts) == 0:
		return apperr.Invalid("session", "session or accounts is required")
	case r.Session != "" && len(r.Accounts) > 0:
		return apperr.Invalid("accounts", "give session or accounts, not both")
	case r.Session != "" && r.Customer != "":
		return apperr.Invalid("customer", "customer goes with accounts; a session names its customer")
	case len(r.Accounts) > maxAccounts:
		return apperr.Invalidf("accounts", "at most %d accounts per request", maxAccounts)
	case len(r.Accounts) > 0 && r.Customer == "":
		return apperr.Invalid("customer", `customer is required with accounts: the Stripe customer ("cus_…") that linked them`)
	}
	if r.Session != "" {
		if err := fc.CheckID("session", "", fc.PrefixSession, r.Session); err != nil {
			return err
		}
	}
	if r.Customer != "" {
		if err := fc.CheckID("customer", "", fc.PrefixCustomer, r.Customer); err != nil {
			return err
		}
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
