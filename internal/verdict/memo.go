package verdict

import "sync"

// memo remembers what a cached value decoded to, keyed by its bytes: a hot
// verdict is read from Redis on every request (freshness comes from Redis),
// but decoded once. Decoded values are shared and must not be changed. The
// memo forgets everything when full, so it stays bounded.
type memo[T any] struct {
	mu  sync.RWMutex
	m   map[string]T
	max int
}

func newMemo[T any](max int) *memo[T] { return &memo[T]{m: map[string]T{}, max: max} }

// get returns decode(b), remembered when ok.
func (c *memo[T]) get(b []byte, decode func([]byte) (T, bool)) (T, bool) {
	c.mu.RLock()
	v, hit := c.m[string(b)]
	c.mu.RUnlock()
	if hit {
		return v, true
	}
	v, ok := decode(b)
	if !ok {
		return v, false
	}
	c.mu.Lock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[string(b)] = v
	c.mu.Unlock()
	return v, true
}

// memoEntries bounds each memo: a few MB of the hottest values.
const memoEntries = 4096
