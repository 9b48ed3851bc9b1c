// Package config is ownercheck's one typed configuration: read from the
// environment, overridden by command-line flags, then completed (sandbox
// defaults) and checked by Finish.
//
// | variable | flag | default | meaning |
// |---|---|---|---|
// | OWNERCHECK_ADDR | --addr | 127.0.0.1:8080 | listen address of the API |
// | OWNERCHECK_ADMIN_ADDR | --admin-addr | (empty: /metrics on the API address) | separate listen address for /metrics, /healthz and /readyz |
// | OWNERCHECK_API_KEYS | | (sandbox: sandbox-key) | comma-separated API keys accepted as `Authorization: Bearer <key>` on /v1 and /admin; required with Stripe |
// | STRIPE_SECRET_KEY | | (empty: sandbox mode) | Stripe secret key; when empty the offline sandbox is served under /sandbox/ |
// | STRIPE_PUBLISHABLE_KEY | | (sandbox: pk_test_sandbox) | returned to the front end with each session; required with Stripe, of the secret key's mode |
// | STRIPE_API_BASE | | https://api.stripe.com | another Stripe endpoint, e.g. stripe-mock |
// | STRIPE_WEBHOOK_SECRET | | (sandbox: generated) | signing secret (whsec_…) of the webhook endpoint; required with Stripe; two comma-separated while a secret rolls |
// | STRIPE_RPS | | 20 | Stripe requests per second: the whole fleet's with REDIS_URL (one shared budget), this process's without; at most 25 with a test key (and in the sandbox), 100 live (Stripe's limits) |
// | OWNERCHECK_ACCOUNT_SUBCATEGORIES | | checking,savings | the accounts a person may link in a session (Stripe's filters[account_subcategories]; also checking, savings, mortgage, line_of_credit, credit_card) |
// | REDIS_URL | --redis-url | (empty: in-memory cache) | redis://[:password@]host:port/db of the verdict cache |
// | OWNERCHECK_CACHE_SECRET | | (random per process; required with REDIS_URL) | HMAC key of cache keys (at least 32 characters); the same for every replica and batch job |
// | OWNERCHECK_CACHE_TTL | | 24h | lifetime of a cached verdict |
// | OWNERCHECK_STALE_AFTER | | 720h | ownership data older than this is refreshed before deciding |
// | OWNERCHECK_SNAPSHOT_TTL | | 1h | how long an account's stored state (from Stripe reads and webhooks) answers verdicts without asking Stripe: the worst-case staleness when a webhook is lost (at most 24h) |
// | OWNERCHECK_NEAR_CACHE | | 1s | how long a serve replica answers a repeated cached verdict from its own memory without reading Redis; a write by any process on the Redis ends it at once (pub/sub), this bounds a lost message (0 turns it off; at most 10s) |
// | OWNERCHECK_RULES_DIR | --rules | (empty: embedded rules/) | rules directory; reloaded on SIGHUP and POST /admin/reload |
// | OWNERCHECK_SHADOW_RULES_DIR | --shadow-rules | (empty: none) | shadow rules directory: decided on every live verdict, never changing it; disagreements counted, logged, summarised at GET /admin/shadow; reloaded with the live rules |
// | OWNERCHECK_BODY_LIMIT | | 65536 | request body limit in bytes (413 above it; at most 1048576) |
// | OWNERCHECK_SANDBOX_PENDING | | 2s | how long a sandbox ownership refresh stays pending |
// | OWNERCHECK_LOG_LEVEL | --log-level | info | debug, info, warn or error (JSON logs on stderr) |
// | OWNERCHECK_REPLICAS | | 3 | processes sharing the Stripe key (serve replicas + batch jobs); with Redis unreachable each paces itself at STRIPE_RPS/OWNERCHECK_REPLICAS |
// | OWNERCHECK_BATCH_SHARE | | 1 | the most of STRIPE_RPS that batch jobs take together; interactive verdicts always come first |
// | OWNERCHECK_STRIPE_WAIT | | 5s | longest wait of a verdict for a Stripe request slot; past it the caller gets 503 with Retry-After |
// | OWNERCHECK_REQUEST_TIMEOUT | | 10s | deadline of one API request, Stripe waits and retries included; the HTTP write timeout is 5s longer |
// | OWNERCHECK_KEY_CONCURRENCY | | 8 | requests one API key may have in flight per process (429 + Retry-After above; 1–1024) |
// | OWNERCHECK_SANDBOX_PUBLIC | | false | let the sandbox listen on a non-loopback address (it publishes its API key and fake bank data) |
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/ownercheck/ownercheck/internal/fc"
)

// SandboxAPIKey is the API key accepted in sandbox mode when
// OWNERCHECK_API_KEYS is unset.
const SandboxAPIKey = "sandbox-key"

// Config is the whole configuration of the service.
type Config struct {
	Addr                 string
	AdminAddr            string // "" = /metrics served on Addr
	APIKeys              []string
	StripeSecretKey      string
	StripePublishableKey string
	StripeAPIBase        string
	StripeWebhookSecret  string
	StripeRPS            float64
	AccountSubcategories []string // sessions' filters[account_subcategories]
	RedisURL             string
	CacheSecret          string
	CacheTTL             time.Duration
	StaleAfter           time.Duration
	SnapshotTTL          time.Duration // how long an account's state is trusted without a webhook
	NearCache            time.Duration // how long a replica keeps what it read from Redis (0: off)
	RulesDir             string
	ShadowRulesDir       string
	BodyLimit            int64
	SandboxPending       time.Duration
	LogLevel             slog.Level
	Fleet                Fleet // see fleet.go
	// SandboxPublic allows the sandbox on a non-loopback address.
	SandboxPublic bool
	// KeyConcurrency caps one API key's requests in flight (per process).
	KeyConcurrency int

	// Notes are what Finish defaulted that an operator should hear about
	// (logged at startup by the app), e.g. the sandbox API key.
	Notes []string
}

// Sandbox reports whether ownercheck runs offline (no Stripe key).
func (c *Config) Sandbox() bool { return c.StripeSecretKey == "" }

// FromEnv reads the environment; getenv is os.Getenv when nil (tests pass
// their own). Every malformed value is reported, not just the first.
func FromEnv(getenv func(string) string) (Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	c := Config{
		Addr:                 or(getenv("OWNERCHECK_ADDR"), "127.0.0.1:8080"),
		AdminAddr:            getenv("OWNERCHECK_ADMIN_ADDR"),
		StripeSecretKey:      strings.TrimSpace(getenv("STRIPE_SECRET_KEY")),
		StripePublishableKey: strings.TrimSpace(getenv("STRIPE_PUBLISHABLE_KEY")),
		StripeAPIBase:        getenv("STRIPE_API_BASE"),
		StripeWebhookSecret:  strings.TrimSpace(getenv("STRIPE_WEBHOOK_SECRET")),
		RedisURL:             getenv("REDIS_URL"),
		CacheSecret:          getenv("OWNERCHECK_CACHE_SECRET"),
		RulesDir:             getenv("OWNERCHECK_RULES_DIR"),
		ShadowRulesDir:       getenv("OWNERCHECK_SHADOW_RULES_DIR"),
		APIKeys:              splitKeys(getenv("OWNERCHECK_API_KEYS")),
	}
	var errs []error
	parse := func(name, def string, set func(string) error) {
		if err := set(or(getenv(name), def)); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	duration := func(name, def string, dst *time.Duration) {
		parse(name, def, func(s string) (err error) { *dst, err = time.ParseDuration(s); return })
	}
	parse("STRIPE_RPS", "20", func(s string) (err error) { c.StripeRPS, err = strconv.ParseFloat(s, 64); return })
	parse("OWNERCHECK_ACCOUNT_SUBCATEGORIES", "checking,savings", func(s string) (err error) {
		c.AccountSubcategories, err = fc.ParseAccountSubcategories(s)
		return
	})
	parse("OWNERCHECK_BODY_LIMIT", "65536", func(s string) (err error) { c.BodyLimit, err = strconv.ParseInt(s, 10, 64); return })
	duration("OWNERCHECK_CACHE_TTL", "24h", &c.CacheTTL)
	duration("OWNERCHECK_STALE_AFTER", "720h", &c.StaleAfter)
	duration("OWNERCHECK_SNAPSHOT_TTL", "1h", &c.SnapshotTTL)
	duration("OWNERCHECK_NEAR_CACHE", "1s", &c.NearCache)
	duration("OWNERCHECK_SANDBOX_PENDING", "2s", &c.SandboxPending)
	parse("OWNERCHECK_LOG_LEVEL", "info", func(s string) error { return c.LogLevel.UnmarshalText([]byte(s)) })
	errs = append(errs, fleetFromEnv(getenv, &c)...)
	parse("OWNERCHECK_KEY_CONCURRENCY", "8", func(s string) (err error) { c.KeyConcurrency, err = strconv.Atoi(s); return })
	parse("OWNERCHECK_SANDBOX_PUBLIC", "false", func(s string) (err error) { c.SandboxPublic, err = strconv.ParseBool(s); return })
	return c, errors.Join(errs...)
}

func splitKeys(s string) []string {
	var keys []string
	for _, k := range strings.Split(s, ",") {
		if k = strings.TrimSpace(k); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// Flags are the command-line overrides of `ownercheck serve`.
type Flags struct {
	fs                                   *pflag.FlagSet
	addr, adminAddr, rules, redis, level string
	shadowRules                          string
}

// BindFlags registers the flags on fs. Their values apply only when given,
// so the environment stays the default and a flag always wins.
func BindFlags(fs *pflag.FlagSet) *Flags {
	f := &Flags{fs: fs}
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "listen address (env OWNERCHECK_ADDR)")
	fs.StringVar(&f.adminAddr, "admin-addr", "", "separate address for /metrics, /healthz, /readyz (env OWNERCHECK_ADMIN_ADDR; default: /metrics on --addr)")
	fs.StringVar(&f.rules, "rules", "", "rules directory (env OWNERCHECK_RULES_DIR; default: embedded rules)")
	fs.StringVar(&f.shadowRules, "shadow-rules", "", "shadow rules directory, run beside the live rules without changing verdicts (env OWNERCHECK_SHADOW_RULES_DIR)")
	fs.StringVar(&f.redis, "redis-url", "", "Redis URL of the verdict cache (env REDIS_URL; default: in-memory)")
	fs.StringVar(&f.level, "log-level", "info", "debug, info, warn or error (env OWNERCHECK_LOG_LEVEL)")
	return f
}

// Apply overrides c with the flags that were given.
func (f *Flags) Apply(c *Config) error {
	set := func(name string, dst *string, v string) {
		if f.fs.Changed(name) {
			*dst = v
		}
	}
	set("addr", &c.Addr, f.addr)
	set("admin-addr", &c.AdminAddr, f.adminAddr)
	set("rules", &c.RulesDir, f.rules)
	set("shadow-rules", &c.ShadowRulesDir, f.shadowRules)
	set("redis-url", &c.RedisURL, f.redis)
	if f.fs.Changed("log-level") {
		if err := c.LogLevel.UnmarshalText([]byte(f.level)); err != nil {
			return fmt.Errorf("--log-level: %w", err)
		}
	}
	return nil
}

// Load is FromEnv followed by the flags (fs may be nil).
func Load(getenv func(string) string, f *Flags) (Config, error) {
	c, err := FromEnv(getenv)
	if err != nil {
		return c, err
	}
	if f != nil {
		err = f.Apply(&c)
	}
	return c, err
}

// Finish applies the sandbox defaults and checks the configuration as a
// whole: Stripe mode refuses to start without API keys or a webhook
// secret, because an open API or unverifiable webhooks are never intended.
// It is idempotent.
func (c *Config) Finish() error {
	var errs []error
	if c.Sandbox() {
		if len(c.APIKeys) == 0 {
			c.APIKeys = []string{SandboxAPIKey}
			c.Notes = append(c.Notes, fmt.Sprintf("OWNERCHECK_API_KEYS is unset: the sandbox accepts the API key %q", SandboxAPIKey))
		}
		c.StripePublishableKey = or(c.StripePublishableKey, "pk_test_sandbox")
		if c.StripeWebhookSecret == "" {
			c.StripeWebhookSecret = "whsec_sandbox_" + randomHex(16)
		}
	} else {
		if len(c.APIKeys) == 0 {
			errs = append(errs, errors.New("OWNERCHECK_API_KEYS is required when STRIPE_SECRET_KEY is set"))
		}
		if c.StripeWebhookSecret == "" {
			errs = append(errs, errors.New("STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set"))
		}
		if !strings.HasPrefix(c.StripeSecretKey, "sk_") && !strings.HasPrefix(c.StripeSecretKey, "rk_") {
			errs = append(errs, errors.New("STRIPE_SECRET_KEY must be a secret (sk_…) or restricted (rk_…) key"))
		}
	}
	for _, k := range c.APIKeys {
		if len(k) < 8 && k != SandboxAPIKey {
			errs = append(errs, errors.New("OWNERCHECK_API_KEYS: every key must have at least 8 characters"))
			break
		}
	}
	if c.CacheSecret == "" {
		c.CacheSecret = randomHex(32)
		if c.RedisURL != "" {
			c.Notes = append(c.Notes, "OWNERCHECK_CACHE_SECRET is unset: cache keys are per process, so a restart starts with a cold cache")
		}
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("OWNERCHECK_ADDR %q: %w", c.Addr, err))
	}
	if c.AdminAddr != "" {
		if _, _, err := net.SplitHostPort(c.AdminAddr); err != nil {
			errs = append(errs, fmt.Errorf("OWNERCHECK_ADMIN_ADDR %q: %w", c.AdminAddr, err))
		}
	}
	if c.StripeAPIBase != "" {
		if u, err := url.Parse(c.StripeAPIBase); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("STRIPE_API_BASE %q must be an http(s) URL", c.StripeAPIBase))
		}
	}
	if c.RedisURL != "" {
		if u, err := url.Parse(c.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
			// Not echoed: the URL may carry a password.
			errs = append(errs, errors.New("REDIS_URL must be a redis:// or rediss:// URL"))
		}
	}
	if c.StripeRPS <= 0 {
		errs = append(errs, errors.New("STRIPE_RPS must be positive"))
	}
	if c.BodyLimit <= 0 {
		errs = append(errs, errors.New("OWNERCHECK_BODY_LIMIT must be positive"))
	}
	if c.CacheTTL <= 0 {
		errs = append(errs, errors.New("OWNERCHECK_CACHE_TTL must be positive"))
	}
	if c.StaleAfter <= 0 {
		errs = append(errs, errors.New("OWNERCHECK_STALE_AFTER must be positive"))
	}
	if c.SnapshotTTL <= 0 {
		errs = append(errs, errors.New("OWNERCHECK_SNAPSHOT_TTL must be positive (it bounds how stale a verdict is when a webhook is lost)"))
	}
	if c.NearCache < 0 {
		errs = append(errs, errors.New("OWNERCHECK_NEAR_CACHE must not be negative (0 turns it off)"))
	}
	if c.SandboxPending < 0 {
		errs = append(errs, errors.New("OWNERCHECK_SANDBOX_PENDING must not be negative"))
	}
	errs = append(errs, c.unsafe()...)
	return errors.Join(errs...)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails on supported platforms (Go 1.24+ crashes instead)
	return hex.EncodeToString(b)
}
