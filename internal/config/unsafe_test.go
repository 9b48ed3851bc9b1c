package config

import (
	"strings"
	"testing"
)

const testWebhookSecret = "whsec_0123456789abcdefABCDEF0123456789"

// Issue 9 item 3: each configuration below started on main. Every
// refusal is one line naming the variable.
func TestUnsafeConfigurationsRefuseToStart(t *testing.T) {
	live := map[string]string{"STRIPE_SECRET_KEY": "sk_live_123", "STRIPE_PUBLISHABLE_KEY": "pk_live_123",
		"STRIPE_WEBHOOK_SECRET": testWebhookSecret, "OWNERCHECK_API_KEYS": "key-one-123", "STRIPE_RPS": "50"}
	test := map[string]string{"STRIPE_SECRET_KEY": "sk_test_123", "STRIPE_PUBLISHABLE_KEY": "pk_test_123",
		"STRIPE_WEBHOOK_SECRET": testWebhookSecret, "OWNERCHECK_API_KEYS": "key-one-123"}
	with := envWith
	sandbox := map[string]string{}
	cases := []struct {
		name    string
		env     map[string]string
		wantErr string // "" = starts
	}{
		{"issue: sandbox on 0.0.0.0", with(sandbox, map[string]string{"OWNERCHECK_ADDR": "0.0.0.0:8080"}), "OWNERCHECK_SANDBOX_PUBLIC"},
		{"sandbox on all interfaces", with(sandbox, map[string]string{"OWNERCHECK_ADDR": ":8080"}), "OWNERCHECK_SANDBOX_PUBLIC"},
		{"sandbox on a LAN address", with(sandbox, map[string]string{"OWNERCHECK_ADDR": "192.168.1.5:8080"}), "OWNERCHECK_SANDBOX_PUBLIC"},
		{"sandbox on 0.0.0.0 with the explicit flag", with(sandbox, map[string]string{"OWNERCHECK_ADDR": "0.0.0.0:8080", "OWNERCHECK_SANDBOX_PUBLIC": "true"}), ""},
		{"sandbox on localhost", with(sandbox, map[string]string{"OWNERCHECK_ADDR": "localhost:8080"}), ""},
		{"sandbox on ::1", with(sandbox, map[string]string{"OWNERCHECK_ADDR": "[::1]:8080"}), ""},
		{"Stripe mode binds anywhere", with(test, map[string]string{"OWNERCHECK_ADDR": "0.0.0.0:8080"}), ""},
		{"issue: Stripe mode with the published key", with(test, map[string]string{"OWNERCHECK_API_KEYS": "sandbox-key"}), "sandbox's published key"},
		{"published key among others", with(test, map[string]string{"OWNERCHECK_API_KEYS": "key-one-123,sandbox-key"}), "sandbox's published key"},
		{"issue: 1-character webhook secret", with(test, map[string]string{"STRIPE_WEBHOOK_SECRET": "x"}), "STRIPE_WEBHOOK_SECRET must be a whsec_"},
		{"whsec_ too short", with(test, map[string]string{"STRIPE_WEBHOOK_SECRET": "whsec_abc"}), "STRIPE_WEBHOOK_SECRET must be a whsec_"},
		{"webhook secret with spaces", with(test, map[string]string{"STRIPE_WEBHOOK_SECRET": "whsec_0123456789 abcdefABCDEF0123456789"}), "STRIPE_WEBHOOK_SECRET holds"},
		{"two webhook secrets while rolling", with(test, map[string]string{"STRIPE_WEBHOOK_SECRET": testWebhookSecret + "," + testWebhookSecret + "X"}), ""},
		{"second of two secrets bad", with(test, map[string]string{"STRIPE_WEBHOOK_SECRET": testWebhookSecret + ",whsec_1"}), "STRIPE_WEBHOOK_SECRET must be a whsec_"},
		{"three webhook secrets", with(test, map[string]string{"STRIPE_WEBHOOK_SECRET": strings.Repeat(testWebhookSecret+",", 3)}), "at most two"},
		{"issue: sk_live_ with plain http", with(live, map[string]string{"STRIPE_API_BASE": "http://stripe.internal"}), "STRIPE_API_BASE must be https://"},
		{"sk_live_ with https base", with(live, map[string]string{"STRIPE_API_BASE": "https://stripe-proxy.internal"}), ""},
		{"sk_test_ with http (stripe-mock)", with(test, map[string]string{"STRIPE_API_BASE": "http://127.0.0.1:12111"}), ""},
		{"rk_live_ with plain http", with(live, map[string]string{"STRIPE_SECRET_KEY": "rk_live_1", "STRIPE_API_BASE": "http://x"}), "STRIPE_API_BASE must be https://"},
		{"issue: no publishable key", with(test, map[string]string{"STRIPE_PUBLISHABLE_KEY": "-"}), "STRIPE_PUBLISHABLE_KEY is required"},
		{"issue: live publishable key with a test secret", with(test, map[string]string{"STRIPE_PUBLISHABLE_KEY": "pk_live_1"}), "pk_test_"},
		{"test publishable key with a live secret", with(live, map[string]string{"STRIPE_PUBLISHABLE_KEY": "pk_test_1"}), "pk_live_"},
		{"secret key given as publishable", with(test, map[string]string{"STRIPE_PUBLISHABLE_KEY": "sk_test_123"}), "pk_test_"},
		{"restricted test key", with(test, map[string]string{"STRIPE_SECRET_KEY": "rk_test_1"}), ""},
		{"restricted live key with pk_live", with(live, map[string]string{"STRIPE_SECRET_KEY": "rk_live_1"}), ""},
		{"secret key of no mode", with(test, map[string]string{"STRIPE_SECRET_KEY": "sk_123"}), "sk_test_, sk_live_"},
		{"issue: 1-byte cache secret", with(test, map[string]string{"OWNERCHECK_CACHE_SECRET": "x"}), "OWNERCHECK_CACHE_SECRET must have at least 32"},
		{"cache secret of 32", with(test, map[string]string{"OWNERCHECK_CACHE_SECRET": strings.Repeat("k", 32)}), ""},
		{"sandbox 1-byte cache secret", with(sandbox, map[string]string{"OWNERCHECK_CACHE_SECRET": "x"}), "OWNERCHECK_CACHE_SECRET"},
		{"issue: 10 GB body limit", with(test, map[string]string{"OWNERCHECK_BODY_LIMIT": "10000000000"}), "OWNERCHECK_BODY_LIMIT must be at most"},
		{"1 MiB body limit", with(test, map[string]string{"OWNERCHECK_BODY_LIMIT": "1048576"}), ""},
		{"issue: STRIPE_RPS=1e9", with(live, map[string]string{"STRIPE_RPS": "1e9"}), "STRIPE_RPS must be at most 100"},
		{"live at Stripe's limit", with(live, map[string]string{"STRIPE_RPS": "100"}), ""},
		{"test above 25", with(test, map[string]string{"STRIPE_RPS": "26"}), "STRIPE_RPS must be at most 25"},
		{"sandbox above 25", with(sandbox, map[string]string{"STRIPE_RPS": "50"}), "STRIPE_RPS must be at most 25"},
		{"per-key concurrency 0", with(test, map[string]string{"OWNERCHECK_KEY_CONCURRENCY": "0"}), "OWNERCHECK_KEY_CONCURRENCY"},
		{"per-key concurrency unbounded", with(test, map[string]string{"OWNERCHECK_KEY_CONCURRENCY": "1000000"}), "OWNERCHECK_KEY_CONCURRENCY"},
		{"per-key concurrency 1", with(test, map[string]string{"OWNERCHECK_KEY_CONCURRENCY": "1"}), ""},
		// Attack session (issue 9 follow-up): these started. NaN passes every
		// "<= 0" and "> max" check and left Stripe unpaced (30 calls in 0.35 s).
		{"STRIPE_RPS=NaN", with(test, map[string]string{"STRIPE_RPS": "NaN"}), "STRIPE_RPS must be a number"},
		{"STRIPE_RPS=-Inf", with(test, map[string]string{"STRIPE_RPS": "-Inf"}), "STRIPE_RPS must be"},
		{"issue: the publishable key as API key", with(test, map[string]string{"OWNERCHECK_API_KEYS": "pk_test_123456", "STRIPE_PUBLISHABLE_KEY": "pk_test_123456"}), "OWNERCHECK_API_KEYS must not reuse STRIPE_PUBLISHABLE_KEY"},
		{"the Stripe secret key as API key", with(test, map[string]string{"OWNERCHECK_API_KEYS": "key-one-123,sk_test_123"}), "OWNERCHECK_API_KEYS must not reuse STRIPE_SECRET_KEY"},
		{"the webhook secret as API key", with(test, map[string]string{"OWNERCHECK_API_KEYS": testWebhookSecret}), "OWNERCHECK_API_KEYS must not reuse STRIPE_WEBHOOK_SECRET"},
		{"the cache secret as API key", with(test, map[string]string{"OWNERCHECK_API_KEYS": strings.Repeat("k", 32), "OWNERCHECK_CACHE_SECRET": strings.Repeat("k", 32)}), "OWNERCHECK_API_KEYS must not reuse OWNERCHECK_CACHE_SECRET"},
		// A lost webhook (a disconnection, a new owner) goes unnoticed for
		// the snapshot TTL: 100000h started.
		{"snapshot TTL of years", with(test, map[string]string{"OWNERCHECK_SNAPSHOT_TTL": "100000h"}), "OWNERCHECK_SNAPSHOT_TTL must be at most 24h"},
		{"snapshot TTL of a day", with(test, map[string]string{"OWNERCHECK_SNAPSHOT_TTL": "24h"}), ""},
		{"bad OWNERCHECK_SANDBOX_PUBLIC", with(sandbox, map[string]string{"OWNERCHECK_SANDBOX_PUBLIC": "sure"}), "OWNERCHECK_SANDBOX_PUBLIC"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := FromEnv(envOf(tc.env))
			if err == nil {
				err = c.Finish()
			}
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want it to mention %q", err, tc.wantErr)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if len(line) > 200 {
					t.Errorf("a refusal is one short line: %q", line)
				}
			}
		})
	}
}

func TestLivemode(t *testing.T) {
	for key, want := range map[string]bool{"sk_live_1": true, "rk_live_1": true, "sk_test_1": false, "": false} {
		if got := (&Config{StripeSecretKey: key}).Livemode(); got != want {
			t.Errorf("Livemode(%q) = %v", key, got)
		}
	}
}
