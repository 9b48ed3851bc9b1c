package config

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func envOf(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

// The defaults are the ones the README and issue 3 promise
// ("default 127.0.0.1:8080", in-memory cache without REDIS_URL, ...).
func TestDefaults(t *testing.T) {
	c, err := FromEnv(envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Finish(); err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.AdminAddr != "" || c.RedisURL != "" || c.RulesDir != "" {
		t.Errorf("addr/admin/redis/rules defaults: %q %q %q %q", c.Addr, c.AdminAddr, c.RedisURL, c.RulesDir)
	}
	if !c.Sandbox() {
		t.Error("no STRIPE_SECRET_KEY must mean sandbox mode")
	}
	if !slices.Equal(c.APIKeys, []string{SandboxAPIKey}) {
		t.Errorf("sandbox API keys = %v", c.APIKeys)
	}
	if len(c.Notes) == 0 || !strings.Contains(c.Notes[0], SandboxAPIKey) {
		t.Errorf("the defaulted sandbox key must be announced, notes = %q", c.Notes)
	}
	if !strings.HasPrefix(c.StripeWebhookSecret, "whsec_") || c.StripePublishableKey != "pk_test_sandbox" {
		t.Errorf("sandbox Stripe defaults: %q %q", c.StripeWebhookSecret, c.StripePublishableKey)
	}
	if c.StripeRPS != 20 || c.BodyLimit != 65536 || c.CacheTTL != 24*time.Hour || c.StaleAfter != 720*time.Hour {
		t.Errorf("numeric defaults: %v %v %v %v", c.StripeRPS, c.BodyLimit, c.CacheTTL, c.StaleAfter)
	}
	if len(c.CacheSecret) < 32 {
		t.Errorf("a random cache secret is generated, got %q", c.CacheSecret)
	}
	again := c
	if err := again.Finish(); err != nil || again.CacheSecret != c.CacheSecret || len(again.Notes) != len(c.Notes) {
		t.Errorf("Finish must be idempotent: %v", err)
	}
}

func TestFinish(t *testing.T) {
	stripe := map[string]string{"STRIPE_SECRET_KEY": "sk_test_123", "STRIPE_PUBLISHABLE_KEY": "pk_test_123", "STRIPE_WEBHOOK_SECRET": testWebhookSecret, "OWNERCHECK_API_KEYS": "key-one-123, key-two-456 ,"}
	with := func(extra map[string]string) map[string]string { return envWith(stripe, extra) }
	cases := []struct {
		name    string
		env     map[string]string
		wantErr string // substring; "" = valid
	}{
		// Brief: "in Stripe mode refuse to start without keys".
		{"stripe mode without API keys", with(map[string]string{"OWNERCHECK_API_KEYS": "-"}), "OWNERCHECK_API_KEYS is required"},
		{"stripe mode with blank API keys", with(map[string]string{"OWNERCHECK_API_KEYS": " , "}), "OWNERCHECK_API_KEYS is required"},
		{"stripe mode without webhook secret", with(map[string]string{"STRIPE_WEBHOOK_SECRET": "-"}), "STRIPE_WEBHOOK_SECRET is required"},
		{"publishable key given as secret key", with(map[string]string{"STRIPE_SECRET_KEY": "pk_test_1"}), "STRIPE_SECRET_KEY must be"},
		{"stripe mode complete", stripe, ""},
		{"stripe-mock base", with(map[string]string{"STRIPE_API_BASE": "http://localhost:12111"}), ""},
		{"base without scheme", with(map[string]string{"STRIPE_API_BASE": "localhost:12111"}), "STRIPE_API_BASE"},
		{"short API key", with(map[string]string{"OWNERCHECK_API_KEYS": "abc"}), "at least 8"},
		{"bad addr", map[string]string{"OWNERCHECK_ADDR": "8080"}, "OWNERCHECK_ADDR"},
		{"bad admin addr", map[string]string{"OWNERCHECK_ADMIN_ADDR": "metrics"}, "OWNERCHECK_ADMIN_ADDR"},
		{"redis url of another scheme", map[string]string{"REDIS_URL": "http://x:6379"}, "REDIS_URL"},
		{"zero rps", map[string]string{"STRIPE_RPS": "0"}, "STRIPE_RPS must be positive"},
		{"negative body limit", map[string]string{"OWNERCHECK_BODY_LIMIT": "-1"}, "OWNERCHECK_BODY_LIMIT must be positive"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := FromEnv(envOf(tc.env))
			if err != nil {
				t.Fatalf("FromEnv: %v", err)
			}
			err = c.Finish()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want it to mention %q", err, tc.wantErr)
			}
		})
	}
	c, _ := FromEnv(envOf(stripe))
	if err := c.Finish(); err != nil || !slices.Equal(c.APIKeys, []string{"key-one-123", "key-two-456"}) {
		t.Errorf("API keys are a trimmed comma list: %v %v", c.APIKeys, err)
	}
}

func TestFromEnvReportsEveryBadValue(t *testing.T) {
	_, err := FromEnv(envOf(map[string]string{"STRIPE_RPS": "fast", "OWNERCHECK_CACHE_TTL": "1 day", "OWNERCHECK_LOG_LEVEL": "loud"}))
	if err == nil {
		t.Fatal("want errors")
	}
	for _, name := range []string{"STRIPE_RPS", "OWNERCHECK_CACHE_TTL", "OWNERCHECK_LOG_LEVEL"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
}

func TestFlagsOverrideEnvironmentOnlyWhenGiven(t *testing.T) {
	env := envOf(map[string]string{"OWNERCHECK_ADDR": "0.0.0.0:9000", "OWNERCHECK_RULES_DIR": "/etc/rules", "OWNERCHECK_LOG_LEVEL": "warn"})
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	f := BindFlags(fs)
	if err := fs.Parse([]string{"--addr", "127.0.0.1:0", "--log-level", "debug"}); err != nil {
		t.Fatal(err)
	}
	c, err := Load(env, f)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:0" || c.LogLevel.String() != "DEBUG" {
		t.Errorf("given flags must win: addr %q level %v", c.Addr, c.LogLevel)
	}
	if c.RulesDir != "/etc/rules" {
		t.Errorf("an absent flag must keep the environment: rules %q", c.RulesDir)
	}
}

// The package doc's table is what the README shows; it must list exactly
// the variables FromEnv reads and the flags BindFlags registers.
func TestDocTableIsComplete(t *testing.T) {
	src, err := os.ReadFile("config.go")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?m)^// \| ([A-Z_]+) \| ([^|]*)\|`)
	documented := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(src), -1) {
		documented[m[1]] = strings.TrimSpace(m[2])
	}
	read := map[string]bool{}
	if _, err := FromEnv(func(k string) string { read[k] = true; return "" }); err != nil {
		t.Fatal(err)
	}
	for k := range read {
		if _, ok := documented[k]; !ok {
			t.Errorf("FromEnv reads %s but the doc table does not list it", k)
		}
	}
	for k := range documented {
		if !read[k] {
			t.Errorf("the doc table lists %s but FromEnv does not read it", k)
		}
	}
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	BindFlags(fs)
	var tableFlags []string
	for _, f := range documented {
		if f != "" {
			tableFlags = append(tableFlags, strings.TrimPrefix(f, "--"))
		}
	}
	var flags []string
	fs.VisitAll(func(f *pflag.Flag) { flags = append(flags, f.Name) })
	slices.Sort(tableFlags)
	slices.Sort(flags)
	if !slices.Equal(tableFlags, flags) {
		t.Errorf("flags in the doc table %v != registered flags %v", tableFlags, flags)
	}
}

// Sessions' account subcategories: checking and savings unless set; a
// value Stripe does not know is refused at start-up, named.
func TestAccountSubcategories(t *testing.T) {
	c, err := FromEnv(envOf(nil))
	if err != nil || !slices.Equal(c.AccountSubcategories, []string{"checking", "savings"}) {
		t.Errorf("default: %v %v", c.AccountSubcategories, err)
	}
	c, err = FromEnv(envOf(map[string]string{"OWNERCHECK_ACCOUNT_SUBCATEGORIES": "checking"}))
	if err != nil || !slices.Equal(c.AccountSubcategories, []string{"checking"}) {
		t.Errorf("checking only: %v %v", c.AccountSubcategories, err)
	}
	if _, err := FromEnv(envOf(map[string]string{"OWNERCHECK_ACCOUNT_SUBCATEGORIES": "checking,brokerage"})); err == nil ||
		!strings.Contains(err.Error(), "OWNERCHECK_ACCOUNT_SUBCATEGORIES") || !strings.Contains(err.Error(), "brokerage") {
		t.Errorf("unknown subcategory: %v", err)
	}
}

// envWith is base with extra's variables set ("-" removes one), for
// tables of environments.
func envWith(base, extra map[string]string) map[string]string {
	m := map[string]string{}
	for k, v := range base {
		m[k] = v
	}
	for k, v := range extra {
		if v == "-" {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	return m
}
