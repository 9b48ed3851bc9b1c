// Package signals counts account and identity reuse over rolling windows:
// how many distinct identities were verified against one owner of one bank
// account, and how many distinct bank accounts one identity was verified
// against. Keys and members are HMACs made by the caller; this package
// sees no PII. Redis keeps one HyperLogLog per key and UTC day (PFADD into
// today's, PFCOUNT over the window's union), so re-adding a pair the same
// day or later in the window does not change a count, and memory stays a
// few hundred bytes per key and day.
package signals

import (
	"context"
	"strconv"
	"time"

	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/match"
)

// Window is the long window; the short one is the current day.
const Window = 30

// keep is how long a day's key lives: the window, plus a day so the oldest
// day of the window is still there on its last day.
const keep = (Window + 1) * 24 * time.Hour

// Observation is one decided account verdict: Identity (an HMAC tag of
// the identity) is added to the set of AccountKey (the bank account and
// the owner the identity matched), and Account (an HMAC tag of the bank
// account) to the set of IdentityKey. Keys are cache keys ("oc:v1:<hmac>").
type Observation struct {
	AccountKey  string
	Identity    string
	IdentityKey string
	Account     string
}

// Store records observations and returns the counts after them, in the
// observations' order.
type Store interface {
	Observe(ctx context.Context, obs []Observation, now time.Time) ([]match.Signals, error)
}

// day is the UTC day number of t.
func day(t time.Time) int64 { return t.Unix() / 86400 }

// dayKey is key's set for one day.
func dayKey(key string, d int64) string { return key + ":d" + strconv.FormatInt(d, 10) }

// windowKeys are key's sets of the Window days ending with d.
func windowKeys(key string, d int64) []string {
	out := make([]string, Window)
	for i := range out {
		out[i] = dayKey(key, d-int64(i))
	}
	return out
}

// For is the store that goes with a cache: Redis's HyperLogLogs when the
// cache is Redis (shared by the fleet), else in memory.
func For(c cache.Cache) Store {
	if r, ok := c.(*cache.Redis); ok {
		return NewRedis(r.Client())
	}
	return NewMemory()
}
