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
