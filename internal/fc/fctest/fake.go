// Package fctest has a fake fc.Client for tests: each method calls the
// function field of the same name, which a test sets as it needs.
package fctest

import (
	"context"
	"errors"

	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/identity"
)

// Fake is an fc.Client whose methods are function fields.
type Fake struct {
	CreateCustomerFn   func(ctx context.Context, p fc.CreateCustomerParams) (string, error)
	CheckCustomerFn    func(ctx context.Context, id string) error
	CreateSessionFn    func(ctx context.Context, p fc.CreateSessionParams) (*fc.Session, error)
	GetSessionFn       func(ctx context.Context, id string) (*fc.Session, error)
	GetAccountFn       func(ctx context.Context, id string) (*fc.Account, error)
	RefreshOwnershipFn func(ctx context.Context, id string) (*fc.Account, error)
	ListOwnersFn       func(ctx context.Context, accountID, ownershipID string) ([]identity.Owner, error)
}

var _ fc.Client = (*Fake)(nil)

var errUnset = errors.New("fctest: method not set")

func (f *Fake) CreateCustomer(ctx context.Context, p fc.CreateCustomerParams) (string, error) {
	if f.CreateCustomerFn == nil {
		return "", errUnset
	}
	return f.CreateCustomerFn(ctx, p)
}

func (f *Fake) CheckCustomer(ctx context.Context, id string) error {
	if f.CheckCustomerFn == nil {
		return errUnset
	}
	return f.CheckCustomerFn(ctx, id)
}

func (f *Fake) CreateSession(ctx context.Context, p fc.CreateSessionParams) (*fc.Session, error) {
	if f.CreateSessionFn == nil {
		return nil, errUnset
	}
	return f.CreateSessionFn(ctx, p)
}

func (f *Fake) GetSession(ctx context.Context, id string) (*fc.Session, error) {
	if f.GetSessionFn == nil {
		return nil, errUnset
	}
	return f.GetSessionFn(ctx, id)
}

func (f *Fake) GetAccount(ctx context.Context, id string) (*fc.Account, error) {
	if f.GetAccountFn == nil {
		return nil, errUnset
	}
	return f.GetAccountFn(ctx, id)
}

func (f *Fake) RefreshOwnership(ctx context.Context, id string) (*fc.Account, error) {
	if f.RefreshOwnershipFn == nil {
		return nil, errUnset
	}
	return f.RefreshOwnershipFn(ctx, id)
}

func (f *Fake) ListOwners(ctx context.Context, accountID, ownershipID string) ([]identity.Owner, error) {
	if f.ListOwnersFn == nil {
		return nil, errUnset
	}
	return f.ListOwnersFn(ctx, accountID, ownershipID)
}
