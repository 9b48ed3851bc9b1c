// Package config is ownercheck's one typed configuration, read from the
// environment and overridable by flags.
//
// | variable | default | meaning |
// |---|---|---|
// | OWNERCHECK_ADDR | 127.0.0.1:8080 | listen address of `serve` (flag --addr) |
// | OWNERCHECK_API_KEYS | (sandbox: sandbox-key) | comma-separated API keys for /v1 (Bearer); required with Stripe |
// | STRIPE_SECRET_KEY | (empty: sandbox mode) | Stripe secret key; empty runs the offline sandbox |
// | STRIPE_PUBLISHABLE_KEY | (sandbox: pk_test_sandbox) | returned to the front end with each session |
// | STRIPE_API_BASE | https://api.stripe.com | another Stripe endpoint (stripe-mock, a sandbox) |
// | STRIPE_WEBHOOK_SECRET | (sandbox: generated) | signing secret of the webhook endpoint; required with Stripe |
// | STRIPE_RPS | 20 | client-side limit of Stripe requests per second (test mode allows 25, live ~100) |
// | REDIS_URL | (empty: in-memory cache) | redis://host:port/db for the verdict cache |
// | OWNERCHECK_CACHE_SECRET | (random per process) | HMAC key of cache keys; set it so restarts and replicas share the cache |
// | OWNERCHECK_CACHE_TTL | 24h | verdict cache lifetime |
// | OWNERCHECK_STALE_AFTER | 720h | ownership older than this is refreshed before deciding |
// | OWNERCHECK_RULES_DIR | (embedded rules/) | rules directory; reloaded on SIGHUP and POST /admin/reload |
// | OWNERCHECK_BODY_LIMIT | 65536 | request body limit in bytes (413 above) |
// | OWNERCHECK_SANDBOX_PENDING | 2s | how long a sandbox ownership refresh stays pending |
// | OWNERCHECK_LOG_LEVEL | info | debug, info, warn, error |
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is the whole configuration of the service and the batch job.
type Config struct {
	Addr                 string
	APIKeys              []string
	StripeSecretKey      string
	StripePublishableKey string
	StripeAPIBase        string
	StripeWebhookSecret  string
	StripeRPS            float64
	RedisURL             string
	CacheSecret          string
	CacheTTL             time.Duration
	StaleAfter           time.Duration
	RulesDir             string
	BodyLimit            int64
	SandboxPending       time.Duration
	LogLevel             slog.Level
}

// Sandbox reports whether ownercheck runs offline (no Stripe key).
func (c *Config) Sandbox() bool { return c.StripeSecretKey == "" }

// FromEnv reads the environment (getenv is os.Getenv outside tests).
func FromEnv(getenv func(string) string) (Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	c := Config{
		Addr:                 or(getenv("OWNERCHECK_ADDR"), "127.0.0.1:8080"),
		StripeSecretKey:      getenv("STRIPE_SECRET_KEY"),
		StripePublishableKey: getenv("STRIPE_PUBLISHABLE_KEY"),
		StripeAPIBase:        getenv("STRIPE_API_BASE"),
		StripeWebhookSecret:  getenv("STRIPE_WEBHOOK_SECRET"),
		RedisURL:             getenv("REDIS_URL"),
		CacheSecret:          getenv("OWNERCHECK_CACHE_SECRET"),
		RulesDir:             getenv("OWNERCHECK_RULES_DIR"),
	}
	for _, k := range strings.Split(getenv("OWNERCHECK_API_KEYS"), ",") {
		if k = strings.TrimSpace(k); k != "" {
			c.APIKeys = append(c.APIKeys, k)
		}
	}
	var errs []error
	num := func(name, def string, parse func(string) error) {
		if err := parse(or(getenv(name), def)); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	dur := func(name, def string, dst *time.Duration) {
		num(name, def, func(s string) (err error) { *dst, err = time.ParseDuration(s); return })
	}
	num("STRIPE_RPS", "20", func(s string) (err error) { c.StripeRPS, err = strconv.ParseFloat(s, 64); return })
	num("OWNERCHECK_BODY_LIMIT", "65536", func(s string) (err error) { c.BodyLimit, err = strconv.ParseInt(s, 10, 64); return })
	dur("OWNERCHECK_CACHE_TTL", "24h", &c.CacheTTL)
	dur("OWNERCHECK_STALE_AFTER", "720h", &c.StaleAfter)
	dur("OWNERCHECK_SANDBOX_PENDING", "2s", &c.SandboxPending)
	num("OWNERCHECK_LOG_LEVEL", "info", func(s string) error { return c.LogLevel.UnmarshalText([]byte(s)) })
	return c, errors.Join(errs...)
}

// Finish applies the sandbox defaults and checks what Stripe mode requires.
func (c *Config) Finish() error {
	if c.Sandbox() {
		if len(c.APIKeys) == 0 {
			c.APIKeys = []string{"sandbox-key"}
		}
		c.StripePublishableKey = or(c.StripePublishableKey, "pk_test_sandbox")
		c.StripeWebhookSecret = or(c.StripeWebhookSecret, "whsec_sandbox_"+randomHex(8))
	} else {
		if len(c.APIKeys) == 0 {
			return errors.New("OWNERCHECK_API_KEYS is required when STRIPE_SECRET_KEY is set")
		}
		if c.StripeWebhookSecret == "" {
			return errors.New("STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set")
		}
	}
	if c.CacheSecret == "" {
		c.CacheSecret = randomHex(32)
	}
	if c.StripeRPS <= 0 || c.BodyLimit <= 0 {
		return errors.New("STRIPE_RPS and OWNERCHECK_BODY_LIMIT must be positive")
	}
	return nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
