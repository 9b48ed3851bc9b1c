package config

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Bounds of the values an operator sets. Each refusal below is one line
// that says what to change; the README's security section lists them.
const (
	// MaxBodyLimit: a verdict request is a few KB (20 account ids and an
	// identity of bounded fields); a Stripe event with a whole account is
	// tens of KB. A megabyte is generous, gigabytes are memory an
	// anonymous webhook caller could make every replica allocate.
	MaxBodyLimit = 1 << 20
	// MaxRPSLive and MaxRPSTest are Stripe's per-account rate limits
	// (requests per second, shared by everything using the key): a
	// client-side limit above them only turns pacing into 429s.
	MaxRPSLive = 100
	MaxRPSTest = 25
	// MinCacheSecret is the HMAC key's least length: 32 characters (of hex,
	// 128 bits; of anything else, more) make the cache keys of names and
	// account ids unguessable.
	MinCacheSecret = 32
	// minWebhookSecret is the least length after "whsec_": Stripe's
	// secrets carry 32 (dashboard) or 64 (CLI) characters.
	minWebhookSecret = 24
	// MaxKeyConcurrency: a cap above this is no cap on a 2-core replica.
	MaxKeyConcurrency = 1024
	// MaxSnapshotTTL: the snapshot TTL is how long a lost webhook (a
	// disconnection, a new owner) goes unnoticed by cached verdicts.
	MaxSnapshotTTL = 24 * time.Hour
	// MaxNearCache: the near cache's age bounds how long a replica that
	// missed an invalidation message serves what another process changed.
	MaxNearCache = 10 * time.Second
)

// unsafe lists what must not start: configurations that work but expose
// the service, its callers' data or the Stripe account.
func (c *Config) unsafe() []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.Sandbox() {
		if !c.SandboxPublic && !loopback(c.Addr) {
			add("OWNERCHECK_ADDR %q is not a loopback address: the sandbox's API key is published in the README; set OWNERCHECK_SANDBOX_PUBLIC=true to expose it anyway", c.Addr)
		}
	} else {
		errs = append(errs, c.unsafeStripe()...)
	}
	for _, s := range WebhookSecrets(c.StripeWebhookSecret) {
		if err := checkWebhookSecret(s); err != nil {
			errs = append(errs, err)
		}
	}
	if len(WebhookSecrets(c.StripeWebhookSecret)) > 2 {
		add("STRIPE_WEBHOOK_SECRET: at most two secrets (the old and the new one while it rolls)")
	}
	if len(c.CacheSecret) < MinCacheSecret {
		add("OWNERCHECK_CACHE_SECRET must have at least %d characters: it keys the HMACs of cached account ids", MinCacheSecret)
	}
	if c.BodyLimit > MaxBodyLimit {
		add("OWNERCHECK_BODY_LIMIT must be at most %d bytes: every request (webhooks too, unauthenticated) may allocate it", MaxBodyLimit)
	}
	if c.KeyConcurrency < 1 || c.KeyConcurrency > MaxKeyConcurrency {
		add("OWNERCHECK_KEY_CONCURRENCY must be between 1 and %d: it bounds what one API key can cost everyone else", MaxKeyConcurrency)
	}
	if c.SnapshotTTL > MaxSnapshotTTL {
		add("OWNERCHECK_SNAPSHOT_TTL must be at most %s: a lost webhook goes unnoticed by cached verdicts that long", "24h")
	}
	if c.NearCache > MaxNearCache {
		add("OWNERCHECK_NEAR_CACHE must be at most %s: a replica that missed an invalidation serves a changed verdict that long", MaxNearCache)
	}
	if math.IsNaN(c.StripeRPS) {
		// NaN passes every comparison above and below: the limiter would
		// not pace at all.
		add("STRIPE_RPS must be a number of requests per second, not NaN")
	}
	if lim := c.maxRPS(); c.StripeRPS > float64(lim) {
		add("STRIPE_RPS must be at most %d for this key's mode (Stripe's own limit); more only turns pacing into 429s", lim)
	}
	errs = append(errs, c.reusedSecrets()...)
	return errs
}

// reusedSecrets refuses an API key that is also another secret or the
// publishable key: API keys sit in callers' back ends and their logs, and
// the publishable key is handed to every browser with each session (an
// open API). One line per secret reused.
func (c *Config) reusedSecrets() []error {
	others := []struct{ name, value string }{
		{"STRIPE_PUBLISHABLE_KEY", c.StripePublishableKey},
		{"STRIPE_SECRET_KEY", c.StripeSecretKey},
		{"OWNERCHECK_CACHE_SECRET", c.CacheSecret},
	}
	for _, s := range WebhookSecrets(c.StripeWebhookSecret) {
		others = append(others, struct{ name, value string }{"STRIPE_WEBHOOK_SECRET", s})
	}
	var errs []error
	for _, o := range others {
		if o.value != "" && slices.Contains(c.APIKeys, o.value) {
			errs = append(errs, fmt.Errorf("OWNERCHECK_API_KEYS must not reuse %s: an API key must be a secret of its own", o.name))
		}
	}
	return errs
}

func (c *Config) unsafeStripe() []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	for _, k := range c.APIKeys {
		if k == SandboxAPIKey {
			add("OWNERCHECK_API_KEYS must not contain %q with Stripe: it is the sandbox's published key", SandboxAPIKey)
		}
	}
	mode := keyMode(c.StripeSecretKey)
	if mode == "" && (strings.HasPrefix(c.StripeSecretKey, "sk_") || strings.HasPrefix(c.StripeSecretKey, "rk_")) {
		// Other prefixes are refused by Finish already.
		add("STRIPE_SECRET_KEY must start with sk_test_, sk_live_, rk_test_ or rk_live_: its mode decides the publishable key and the rate limit")
	}
	if c.StripePublishableKey == "" {
		add("STRIPE_PUBLISHABLE_KEY is required with Stripe: the front end needs it to open the session")
	} else if mode != "" && !strings.HasPrefix(c.StripePublishableKey, "pk_"+mode+"_") {
		add("STRIPE_PUBLISHABLE_KEY must be a pk_%s_ key to match STRIPE_SECRET_KEY's mode", mode)
	}
	if mode == "live" && c.StripeAPIBase != "" {
		if u, err := url.Parse(c.StripeAPIBase); err == nil && u.Scheme != "https" {
			add("STRIPE_API_BASE must be https:// with a live key: the key is sent with every request")
		}
	}
	return errs
}

// keyMode is "test" or "live" for a secret or restricted key, else "".
func keyMode(key string) string {
	for _, mode := range []string{"test", "live"} {
		if strings.HasPrefix(key, "sk_"+mode+"_") || strings.HasPrefix(key, "rk_"+mode+"_") {
			return mode
		}
	}
	return ""
}

// Livemode reports whether the Stripe key is a live key (false in the
// sandbox): webhook events must carry the same livemode.
func (c *Config) Livemode() bool { return keyMode(c.StripeSecretKey) == "live" }

func (c *Config) maxRPS() int {
	if c.Livemode() {
		return MaxRPSLive
	}
	return MaxRPSTest
}

// WebhookSecrets splits STRIPE_WEBHOOK_SECRET: one secret, or two
// comma-separated while the endpoint's secret rolls (Stripe signs with
// both then).
func WebhookSecrets(s string) []string { return splitKeys(s) }

func checkWebhookSecret(s string) error {
	rest, ok := strings.CutPrefix(s, "whsec_")
	if !ok || len(rest) < minWebhookSecret {
		return errors.New("STRIPE_WEBHOOK_SECRET must be a whsec_… signing secret as Stripe shows it (at least 24 characters after whsec_)")
	}
	for _, r := range rest {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || r == '+' || r == '/' || r == '=') {
			return errors.New("STRIPE_WEBHOOK_SECRET holds characters no Stripe signing secret has")
		}
	}
	return nil
}

// loopback reports whether addr's host only accepts local connections.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return true // reported by Finish's address check
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
