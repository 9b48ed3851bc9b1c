package stripemock

import "time"

// Customer is the customer of the bundled fixtures: stripe-mock answers
// every customer creation with it, and Linked's session and account belong
// to it, as they would on Stripe.
const Customer = "cus_QXg1o8vcGmoR32"

// Linked is one account linked in a session, in a given state; Fixtures
// turns it into the stripe-mock fixtures of the session that embeds it,
// the account and its owner (2024-06-20 shapes).
type Linked struct {
	Status  string // active (default), inactive, disconnected
	Refresh string // ownership_refresh.status: "" (never refreshed), pending, succeeded, failed
	// RefreshedAt is last_attempted_at; NextRefreshAt is
	// next_refresh_available_at (null while pending).
	RefreshedAt, NextRefreshAt time.Time
	Owner                      map[string]any // name, email, phone, raw_address
}

const (
	accountID   = "fca_1Pgc76B7WZ01zgkWqlYVCIub"
	ownershipID = "fcaowns_1Pgc76B7WZ01zgkWuEXUc7bG"
)

// Fixtures are the replaced resources, for Start.
func (l Linked) Fixtures() map[string]any {
	status := l.Status
	if status == "" {
		status = "active"
	}
	holder := map[string]any{"type": "customer", "customer": Customer}
	account := map[string]any{
		"id": accountID, "object": "financial_connections.account", "livemode": false, "created": 1717000000,
		"account_holder": holder, "balance": nil, "balance_refresh": nil, "transaction_refresh": nil, "subscriptions": nil,
		"category": "cash", "subcategory": "checking", "display_name": "Checking", "institution_name": "StripeBank", "last4": "6789",
		"permissions": []string{"ownership"}, "supported_payment_method_types": []string{"us_bank_account"},
		"status": status, "ownership": nil, "ownership_refresh": nil,
	}
	if l.Refresh != "" {
		var next any
		if l.Refresh != "pending" {
			next = l.NextRefreshAt.Unix()
		}
		account["ownership_refresh"] = map[string]any{"status": l.Refresh, "last_attempted_at": l.RefreshedAt.Unix(), "next_refresh_available_at": next}
		if l.Refresh == "succeeded" || status != "active" {
			account["ownership"] = ownershipID
		}
	}
	owner := map[string]any{"id": "fcaown_1Pgc76B7WZ01zgkWIQ4dVcgH", "object": "financial_connections.account_owner",
		"ownership": ownershipID, "refreshed_at": l.RefreshedAt.Unix(), "name": "Jane Smith", "email": nil, "phone": nil, "raw_address": nil}
	for k, v := range l.Owner {
		owner[k] = v
	}
	session := map[string]any{
		"id": "fcsess_1Pgc76B7WZ01zgkWnYmFk7mZ", "object": "financial_connections.session", "livemode": false,
		"client_secret": "fcsess_1Pgc76B7WZ01zgkWnYmFk7mZ_secret_mock", "account_holder": holder,
		"accounts":    map[string]any{"object": "list", "data": []any{account}, "has_more": false, "url": "/v1/financial_connections/accounts"},
		"permissions": []string{"ownership"}, "prefetch": []string{"ownership"},
		"filters":    map[string]any{"countries": []string{"US"}, "account_subcategories": []string{"checking", "savings"}},
		"return_url": nil,
	}
	return map[string]any{
		"financial_connections.account":       account,
		"financial_connections.account_owner": owner,
		"financial_connections.session":       session,
	}
}
