package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Fleet is how one process shares the Stripe key with the others (serve
// replicas and reverify jobs on one REDIS_URL).
// The variables are in the package's table (config.go).
type Fleet struct {
	Replicas       int
	BatchShare     float64
	StripeWait     time.Duration
	RequestTimeout time.Duration
}

// WriteMargin is how much longer the HTTP write timeout is than the
// request deadline: a handler that gives up at its deadline still has
// time to write its answer, so the status logged is the status sent.
const WriteMargin = 5 * time.Second

// WriteTimeout is the HTTP server's write timeout.
func (f Fleet) WriteTimeout() time.Duration { return f.RequestTimeout + WriteMargin }

// fleetFromEnv reads the Fleet variables.
func fleetFromEnv(getenv func(string) string, c *Config) []error {
	var errs []error
	parse := func(name, def string, set func(string) error) {
		if err := set(or(getenv(name), def)); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	f := &c.Fleet
	parse("OWNERCHECK_REPLICAS", "3", func(s string) (err error) { f.Replicas, err = strconv.Atoi(s); return })
	parse("OWNERCHECK_BATCH_SHARE", "1", func(s string) (err error) { f.BatchShare, err = strconv.ParseFloat(s, 64); return })
	parse("OWNERCHECK_STRIPE_WAIT", "5s", func(s string) (err error) { f.StripeWait, err = time.ParseDuration(s); return })
	parse("OWNERCHECK_REQUEST_TIMEOUT", "10s", func(s string) (err error) { f.RequestTimeout, err = time.ParseDuration(s); return })
	return errs
}

// CheckFleet refuses settings a fleet cannot run with, each with a
// one-line reason. Call it before Finish (which generates a per-process
// cache secret when none is set).
func (c *Config) CheckFleet() error {
	var errs []error
	if c.RedisURL != "" && c.CacheSecret == "" {
		errs = append(errs, errors.New("OWNERCHECK_CACHE_SECRET is required with REDIS_URL: every replica and batch job must derive the same cache keys"))
	}
	f := c.Fleet
	if f.Replicas < 1 || f.Replicas > 1000 {
		errs = append(errs, errors.New("OWNERCHECK_REPLICAS must be between 1 and 1000"))
	}
	if !(f.BatchShare > 0 && f.BatchShare <= 1) {
		errs = append(errs, errors.New("OWNERCHECK_BATCH_SHARE must be in (0, 1]"))
	}
	if f.StripeWait <= 0 || f.StripeWait > time.Minute {
		errs = append(errs, errors.New("OWNERCHECK_STRIPE_WAIT must be positive and at most 1m"))
	}
	if f.RequestTimeout < time.Second || f.RequestTimeout > 5*time.Minute {
		errs = append(errs, errors.New("OWNERCHECK_REQUEST_TIMEOUT must be between 1s and 5m"))
	}
	if f.StripeWait >= f.RequestTimeout && f.RequestTimeout > 0 {
		errs = append(errs, errors.New("OWNERCHECK_STRIPE_WAIT must be shorter than OWNERCHECK_REQUEST_TIMEOUT"))
	}
	return errors.Join(errs...)
}

// FinishBatch completes and checks the configuration of a batch job
// (reverify). It shares the service's Stripe, Redis and fleet settings, not
// its HTTP side: API keys, the webhook secret and the publishable key are
// not required.
func (c *Config) FinishBatch() error {
	errs := []error{c.CheckFleet()}
	if !c.Sandbox() && !strings.HasPrefix(c.StripeSecretKey, "sk_") && !strings.HasPrefix(c.StripeSecretKey, "rk_") {
		errs = append(errs, errors.New("STRIPE_SECRET_KEY must be a secret (sk_…) or restricted (rk_…) key"))
	}
	if c.StripeRPS <= 0 {
		errs = append(errs, errors.New("STRIPE_RPS must be positive"))
	}
	if c.CacheSecret == "" {
		c.CacheSecret = randomHex(32) // only without Redis (CheckFleet): the job's cache is its own
	}
	return errors.Join(errs...)
}
