package signals

import (
	"context"
	"sync"
	"time"

	"github.com/ownercheck/ownercheck/internal/match"
)

// Memory counts exactly, in this process only (no Redis configured: the
// sandbox, one process). It keeps at most maxKeys day sets of at most
// maxMembers each; past that it forgets expired days, then everything.
type Memory struct {
	mu   sync.Mutex
	sets map[string]*daySet
}

type daySet struct {
	members map[string]struct{}
	expires time.Time
}

const (
	maxKeys    = 100_000
	maxMembers = 1_000 // a count saturates here; no rule needs more
)

// NewMemory is an empty in-process store.
func NewMemory() *Memory { return &Memory{sets: map[string]*daySet{}} }

// Observe adds and counts every observation.
func (m *Memory) Observe(_ context.Context, obs []Observation, now time.Time) ([]match.Signals, error) {
	d := day(now)
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]match.Signals, len(obs))
	for i, o := range obs {
		m.add(dayKey(o.AccountKey, d), o.Identity, now)
		m.add(dayKey(o.IdentityKey, d), o.Account, now)
		out[i] = match.Signals{
			IdentitiesPerAccount1d: m.count(now, dayKey(o.AccountKey, d)), IdentitiesPerAccount30d: m.count(now, windowKeys(o.AccountKey, d)...),
			AccountsPerIdentity1d: m.count(now, dayKey(o.IdentityKey, d)), AccountsPerIdentity30d: m.count(now, windowKeys(o.IdentityKey, d)...),
			Available: true,
		}
	}
	return out, nil
}

func (m *Memory) add(key, member string, now time.Time) {
	s := m.sets[key]
	if s == nil || !now.Before(s.expires) {
		if len(m.sets) >= maxKeys {
			m.makeRoom(now)
		}
		s = &daySet{members: map[string]struct{}{}}
		m.sets[key] = s
	}
	s.expires = now.Add(keep)
	if len(s.members) < maxMembers {
		s.members[member] = struct{}{}
	}
}

// count is the size of the union of the live sets of keys.
func (m *Memory) count(now time.Time, keys ...string) int {
	union := map[string]struct{}{}
	for _, k := range keys {
		if s := m.sets[k]; s != nil && now.Before(s.expires) {
			for mem := range s.members {
				union[mem] = struct{}{}
			}
		}
	}
	return len(union)
}

func (m *Memory) makeRoom(now time.Time) {
	for k, s := range m.sets {
		if !now.Before(s.expires) {
			delete(m.sets, k)
		}
	}
	if len(m.sets) >= maxKeys {
		clear(m.sets)
	}
}
