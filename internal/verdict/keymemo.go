package verdict

import "sync"

// keyMemo remembers the cache keys of recent (account, identity, rules)
// triples: a hot cached verdict would otherwise compute four HMACs per
// request for the same keys. The keys are pure functions of the triple and
// the secret, so a remembered key is never stale. In memory only (the
// identity appears only as its fingerprint); forgotten when full, so it
// stays bounded.
type keyMemo struct {
	mu sync.RWMutex
	m  map[keyInputs]verdictKeys
}

type keyInputs struct{ account, fpHex, digest string }

// verdictKeys are an account's keys for one verdict (snapshot, verdict,
// last decision) and the identity's reuse key.
type verdictKeys struct {
	keys     [3]string
	identity string
}

func (c *keyMemo) get(in keyInputs, compute func() verdictKeys) verdictKeys {
	c.mu.RLock()
	v, ok := c.m[in]
	c.mu.RUnlock()
	if ok {
		return v
	}
	v = compute()
	c.mu.Lock()
	if c.m == nil || len(c.m) >= memoEntries {
		c.m = map[keyInputs]verdictKeys{}
	}
	c.m[in] = v
	c.mu.Unlock()
	return v
}

// verdictKeysFor are keysFor and the identity's reuse key, remembered.
func (s *Service) verdictKeysFor(accountID, fpHex, digest string) verdictKeys {
	return s.keyMemo.get(keyInputs{accountID, fpHex, digest}, func() verdictKeys {
		return verdictKeys{keys: s.computeKeys(accountID, fpHex, digest), identity: s.keys.Key("reuse-identity", fpHex)}
	})
}
