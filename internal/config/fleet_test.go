package config

import (
	"strings"
	"testing"
	"time"
)

func TestCheckFleet(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	c, err := FromEnv(env(nil))
	if err != nil || c.CheckFleet() != nil {
		t.Fatalf("defaults: %v %v", err, c.CheckFleet())
	}
	if c.Fleet != (Fleet{Replicas: 3, BatchShare: 1, StripeWait: 5 * time.Second, RequestTimeout: 10 * time.Second}) {
		t.Errorf("defaults %+v", c.Fleet)
	}
	if c.Fleet.WriteTimeout() <= c.Fleet.RequestTimeout {
		t.Error("the write timeout must outlast the request deadline")
	}
	for _, tt := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"redis without a cache secret", map[string]string{"REDIS_URL": "redis://127.0.0.1:6379/0"}, "OWNERCHECK_CACHE_SECRET is required with REDIS_URL"},
		{"zero replicas", map[string]string{"OWNERCHECK_REPLICAS": "0"}, "OWNERCHECK_REPLICAS"},
		{"batch share above 1", map[string]string{"OWNERCHECK_BATCH_SHARE": "1.5"}, "OWNERCHECK_BATCH_SHARE"},
		{"batch share zero", map[string]string{"OWNERCHECK_BATCH_SHARE": "0"}, "OWNERCHECK_BATCH_SHARE"},
		{"wait longer than the request", map[string]string{"OWNERCHECK_STRIPE_WAIT": "20s"}, "shorter than OWNERCHECK_REQUEST_TIMEOUT"},
		{"request timeout too short", map[string]string{"OWNERCHECK_REQUEST_TIMEOUT": "10ms"}, "OWNERCHECK_REQUEST_TIMEOUT"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := FromEnv(env(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if err := c.CheckFleet(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	c, _ = FromEnv(env(map[string]string{"REDIS_URL": "redis://127.0.0.1:6379/0", "OWNERCHECK_CACHE_SECRET": "s3cret-shared-by-the-fleet"}))
	if err := c.CheckFleet(); err != nil {
		t.Errorf("redis with a secret: %v", err)
	}
}
