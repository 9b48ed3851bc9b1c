package fc

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/stripe/stripe-go/v79"
)

// SessionFilters are a session's filters: the accounts a person may link.
type SessionFilters struct {
	Countries            []string // ISO codes, e.g. US
	AccountSubcategories []string // checking, savings, mortgage, line_of_credit, credit_card
}

// DefaultSessionFilters: US checking and savings accounts, the deposit
// accounts an onboarding flow pays out to or debits; a credit card or a
// mortgage has owners too, but proves nothing about where money goes.
var DefaultSessionFilters = SessionFilters{Countries: []string{"US"}, AccountSubcategories: []string{"checking", "savings"}}

// accountSubcategories are Stripe's values of filters[account_subcategories]
// at API version 2024-06-20.
var accountSubcategories = []string{
	string(stripe.FinancialConnectionsSessionFiltersAccountSubcategoryChecking),
	string(stripe.FinancialConnectionsSessionFiltersAccountSubcategoryCreditCard),
	string(stripe.FinancialConnectionsSessionFiltersAccountSubcategoryLineOfCredit),
	string(stripe.FinancialConnectionsSessionFiltersAccountSubcategoryMortgage),
	string(stripe.FinancialConnectionsSessionFiltersAccountSubcategorySavings),
}

// ParseAccountSubcategories reads a comma-separated list (a config value).
func ParseAccountSubcategories(s string) ([]string, error) {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	f := SessionFilters{Countries: DefaultSessionFilters.Countries, AccountSubcategories: out}
	return out, f.Validate()
}

// Validate refuses what Stripe would refuse, at start-up rather than on
// every session.
func (f SessionFilters) Validate() error {
	if len(f.Countries) == 0 {
		return fmt.Errorf("session filters: at least one country")
	}
	for _, c := range f.Countries {
		if len(c) != 2 || strings.ToUpper(c) != c {
			return fmt.Errorf("session filters: country %q is not a two-letter ISO code", c)
		}
	}
	if len(f.AccountSubcategories) == 0 {
		return fmt.Errorf("session filters: at least one account subcategory (%s)", strings.Join(accountSubcategories, ", "))
	}
	for _, s := range f.AccountSubcategories {
		if !slices.Contains(accountSubcategories, s) {
			return fmt.Errorf("session filters: account subcategory %q is not one of %s", s, strings.Join(accountSubcategories, ", "))
		}
	}
	return nil
}

// Disconnecter is implemented by clients that can end access to an
// account (Stripe recommends it once the data is no longer needed). It is
// apart from Client so fakes of Client need not implement it.
type Disconnecter interface {
	// Disconnect disconnects the account; ErrNotFound when there is none.
	// Disconnecting a disconnected account succeeds.
	Disconnect(ctx context.Context, accountID string) error
}

var _ Disconnecter = (*Stripe)(nil)

// Disconnect is POST /v1/financial_connections/accounts/{id}/disconnect.
func (s *Stripe) Disconnect(ctx context.Context, accountID string) error {
	params := &stripe.FinancialConnectionsAccountDisconnectParams{}
	ctx, hint := withHint(ctx, "disconnect_account")
	params.Context = ctx
	if _, err := s.api.FinancialConnectionsAccounts.Disconnect(accountID, params); err != nil {
		return wrap("disconnecting account "+accountID, err, hint)
	}
	return nil
}
