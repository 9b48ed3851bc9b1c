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
	return map[string]Store{"redis": NewRedis(redisClient(t)), "memory": NewMemory()}
}

// redisClient is a client of a real Redis, closed with the test.
func redisClient(t *testing.T) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(redistest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	return c
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

// The window's count reads a merge of the older days (rebuilt once a day
// per process): it must equal the distinct members over all thirty days,
// for a process that merged earlier in the day as for a fresh one, and a
// lost merge is rebuilt within mergeEvery.
func TestRedisWindowMerge(t *testing.T) {
	c := redisClient(t)
	ctx := context.Background()
	ns := unique(t)
	day0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	at := func(days int) time.Time { return day0.Add(time.Duration(days) * 24 * time.Hour) }
	observe := func(st *Redis, member string, when time.Time) match.Signals {
		t.Helper()
		got, err := st.Observe(ctx, []Observation{{AccountKey: ns + "acct", Identity: member, IdentityKey: ns + "id" + member, Account: "bank1"}}, when)
		if err != nil {
			t.Fatal(err)
		}
		return got[0]
	}
	long := NewRedis(c) // one process through the whole test
	for i, d := range []int{0, 5, 20, 28} {
		if got := observe(long, string(rune('A'+i)), at(d)); got.IdentitiesPerAccount30d != i+1 {
			t.Fatalf("day %d: 30d count %d, want %d", d, got.IdentitiesPerAccount30d, i+1)
		}
	}
	// Day 29: A (day 0) is the window's oldest day, in the merge.
	if got := observe(long, "C", at(29)); got.IdentitiesPerAccount30d != 4 {
		t.Errorf("day 29: 30d count %d, want 4", got.IdentitiesPerAccount30d)
	}
	// Yesterday's adds are read directly, not from the merge made earlier today.
	observe(NewRedis(c), "E", at(29).Add(-24*time.Hour))
	if got := observe(long, "C", at(29).Add(time.Minute)); got.IdentitiesPerAccount30d != 5 {
		t.Errorf("after an add to yesterday: 30d count %d, want 5", got.IdentitiesPerAccount30d)
	}
	// Day 30: day 0 (A's only day) left the window; a fresh process agrees.
	if got := observe(long, "B", at(30)); got.IdentitiesPerAccount30d != 4 {
		t.Errorf("day 30: 30d count %d, want 4", got.IdentitiesPerAccount30d)
	}
	if got := observe(NewRedis(c), "B", at(30)); got.IdentitiesPerAccount30d != 4 {
		t.Errorf("day 30, fresh process: 30d count %d, want 4", got.IdentitiesPerAccount30d)
	}
	// A lost merge is rebuilt after mergeEvery.
	if err := c.Del(ctx, mergedKey(ns+"acct", day(at(30)))).Err(); err != nil {
		t.Fatal(err)
	}
	if got := observe(long, "B", at(30).Add(mergeEvery)); got.IdentitiesPerAccount30d != 4 {
		t.Errorf("after losing the merge: 30d count %d, want 4", got.IdentitiesPerAccount30d)
	}
}

// A repeat of a pair this process added today is answered from its last
// counts for countFresh (no Redis command: Recent answers it), so it may
// miss what other processes added meanwhile; a new pair is always added
// and counted in Redis, and refreshes the counts.
func TestRepeatsUseRecentCounts(t *testing.T) {
	c := redisClient(t)
	ctx := context.Background()
	ns := unique(t)
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	ob := func(member string) Observation {
		return Observation{AccountKey: ns + "acct", Identity: member, IdentityKey: ns + "id" + member, Account: "bank1"}
	}
	count := func(st *Redis, member string, at time.Time) int {
		t.Helper()
		got, err := st.Observe(ctx, []Observation{ob(member)}, at)
		if err != nil {
			t.Fatal(err)
		}
		return got[0].IdentitiesPerAccount30d
	}
	this, other := NewRedis(c), NewRedis(c)
	if n := count(this, "A", t0); n != 1 {
		t.Fatalf("first pair: %d", n)
	}
	if n := count(other, "B", t0.Add(100*time.Millisecond)); n != 2 {
		t.Fatalf("the other process's pair: %d", n)
	}
	if _, ok := this.Recent([]Observation{ob("A")}, t0.Add(500*time.Millisecond)); !ok {
		t.Fatal("a repeat within countFresh is not answered from the recent counts")
	}
	if n := count(this, "A", t0.Add(500*time.Millisecond)); n != 1 {
		t.Errorf("a repeat within countFresh: %d, want the recent count 1", n)
	}
	if _, ok := this.Recent([]Observation{ob("A")}, t0.Add(countFresh)); ok {
		t.Error("a repeat at countFresh is still answered from the recent counts")
	}
	if n := count(this, "A", t0.Add(countFresh)); n != 2 {
		t.Errorf("a repeat at countFresh: %d, want Redis's 2", n)
	}
	if _, ok := this.Recent([]Observation{ob("C")}, t0.Add(countFresh)); ok {
		t.Error("a new pair is answered from the recent counts")
	}
	if n := count(this, "C", t0.Add(countFresh+time.Millisecond)); n != 3 {
		t.Errorf("a new pair: %d, want 3", n)
	}
}
