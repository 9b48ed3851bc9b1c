// Package demo serves the onboarding demo page (sandbox mode, at
// /sandbox/demo): a dependency-free page that runs the calls an onboarding
// front end makes — POST /v1/sessions, the account-linking step, POST
// /v1/verdicts with the session id — and shows the verdict.
package demo

import (
	_ "embed"
	"net/http"
)

//go:embed index.html
var page []byte

// Handler serves the page. Its only script is inline; the one remote
// script it may load (Stripe.js, for a real Stripe key) is allowed by the
// content security policy, nothing else.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline' https://js.stripe.com; "+
			"frame-src https://js.stripe.com https://*.stripe.com; connect-src 'self' https://api.stripe.com; style-src 'unsafe-inline'")
		w.Write(page)
	})
}
