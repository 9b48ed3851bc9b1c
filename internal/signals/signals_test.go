package signals

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/testutil/redistest"
)

func stores(t *testing.T) map[string]Store {
	opt, err := redis.ParseURL(redistest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	return map[string]Store{"redis": NewRedis(c), "memory": NewMemory()}
}

// unique makes a key space of its own per run (the real Redis is shared).
func unique(t *testing.T) string {
	b := make([]byte, 8)
	rand.Read(b)
	return "oc:v1:test" + hex.EncodeToString(b)
}

// Counts are distinct members over the day and the 30-day window:
// re-adding a pair (a cached verdict, a batch re-check) changes nothing,
// another identity on the same account does, and days older than the
// window drop out.
func TestObserve(t *testing.T) {
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			ns := unique(t)
			acct, idA, idB := ns+"acct", ns+"idA", ns+"idB"
			day0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
			obs := func(id, member, account string, at time.Time) match.Signals {
				t.Helper()
				got, err := st.Observe(ctx, []Observation{{AccountKey: acct, Identity: member, IdentityKey: id, Account: account}}, at)
				if err != nil {
					t.Fatal(err)
				}
				return got[0]
			}
			want := func(got match.Signals, a1, a30, i1, i30 int) {
				t.Helper()
				w := match.Signals{IdentitiesPerAccount1d: a1, IdentitiesPerAccount30d: a30, AccountsPerIdentity1d: i1, AccountsPerIdentity30d: i30, Available: true}
				if got != w {
					t.Errorf("got %+v, want %+v", got, w)
				}
			}
			want(obs(idA, "A", "bank1", day0), 1, 1, 1, 1)
			want(obs(idA, "A", "bank1", day0), 1, 1, 1, 1)                   // same pair, same day
			want(obs(idA, "A", "bank1", day0.Add(48*time.Hour)), 1, 1, 1, 1) // same pair, later day
			want(obs(idB, "B", "bank1", day0.Add(49*time.Hour)), 2, 2, 1, 1) // reuse
			want(obs(idA, "A", "bank1", day0.Add(40*24*time.Hour)), 1, 1, 1, 1)
		})
	}
}
