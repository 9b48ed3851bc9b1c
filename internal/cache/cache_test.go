package cache

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/ownercheck/ownercheck/internal/testutil/redistest"
)

// Both implementations behave the same; Redis is a real redis-server.
func TestCaches(t *testing.T) {
	r, err := NewRedis(redistest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	for name, c := range map[string]Cache{"redis": r, "memory": NewMemory()} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			k := Keyer{Secret: []byte(t.Name() + time.Now().String())}
			key, set := k.Key("a"), k.Key("set")
			if _, ok, err := c.Get(ctx, key); ok || err != nil {
				t.Fatalf("empty get: %v %v", ok, err)
			}
			if err := c.Set(ctx, key, []byte("v"), time.Minute); err != nil {
				t.Fatal(err)
			}
			if v, ok, err := c.Get(ctx, key); !ok || err != nil || string(v) != "v" {
				t.Fatalf("get %q %v %v", v, ok, err)
			}
			if err := c.AddToSet(ctx, set, key, time.Minute); err != nil {
				t.Fatal(err)
			}
			if m, err := c.Members(ctx, set); err != nil || !slices.Equal(m, []string{key}) {
				t.Fatalf("members %v %v", m, err)
			}
			if err := c.Del(ctx, key, set); err != nil {
				t.Fatal(err)
			}
			if _, ok, _ := c.Get(ctx, key); ok {
				t.Fatal("deleted key still there")
			}
			first, _ := c.SetNX(ctx, k.Key("evt"), time.Minute)
			second, _ := c.SetNX(ctx, k.Key("evt"), time.Minute)
			if !first || second {
				t.Fatalf("SetNX %v then %v", first, second)
			}
			if err := c.Ping(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestKeysAreHMACs(t *testing.T) {
	a := Keyer{Secret: []byte("one")}.Key("fca_123", "Jane Doe")
	b := Keyer{Secret: []byte("two")}.Key("fca_123", "Jane Doe")
	if a == b || strings.Contains(a, "fca_123") || strings.Contains(strings.ToLower(a), "jane") || len(a) != len("oc:v1:")+64 {
		t.Fatalf("keys %q %q", a, b)
	}
	k := Keyer{Secret: []byte("one")}
	if k.Key("ab", "c") == k.Key("a", "bc") {
		t.Fatal("part boundaries are not part of the key")
	}
}

// A Redis that goes away answers errors (the verdict service then computes
// without the cache).
func TestRedisDownFailsFast(t *testing.T) {
	mr := miniredis.RunT(t)
	r, err := NewRedis("redis://" + mr.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	mr.Close()
	if _, _, err = r.Get(context.Background(), "k"); err == nil {
		t.Fatal("no error from a closed Redis")
	}
	if err := r.Ping(context.Background()); err == nil {
		t.Fatal("ping of a closed Redis succeeded")
	}
}
