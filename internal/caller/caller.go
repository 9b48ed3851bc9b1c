// Package caller carries who is calling (an API key's id, never the key)
// in a request's context, so domain services can namespace what callers
// could otherwise share: Stripe idempotency keys, per-caller limits.
package caller

import "context"

type ctxKey struct{}

// With returns ctx carrying the caller's id.
func With(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// ID is the caller's id in ctx, "" when none was set.
func ID(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// Slot is a request's context that takes the caller's id once it is known:
// a server makes one context per request (for its deadline) and names the
// caller later without a second context and a second copy of the request.
type Slot struct {
	context.Context
	id string
}

// NewSlot returns parent with an empty slot for the caller's id.
func NewSlot(parent context.Context) *Slot { return &Slot{Context: parent} }

// Set names the caller. It must run before the context reaches another
// goroutine (authentication, before the handler), and only once.
func (s *Slot) Set(id string) { s.id = id }

// Value answers the caller's id once set, and asks the parent otherwise.
func (s *Slot) Value(key any) any {
	if _, ok := key.(ctxKey); ok && s.id != "" {
		return s.id
	}
	return s.Context.Value(key)
}
