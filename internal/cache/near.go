package cache

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// InvalidationChannel is where every process on a Redis announces the keys
// it writes (Set, Del, SetIfNewer), so the others drop their near copies.
// Messages are cache keys: HMACs, no PII.
const InvalidationChannel = "oc:v1:invalidate"

// near keeps the values this process read with MGet for at most maxAge,
// so a hot cached verdict is answered without a Redis round trip. It is
// only consulted while its subscription to InvalidationChannel is up:
//
//   - a write by this process drops the key here before and after it
//     reaches Redis (read-your-writes within the process);
//   - a write by another process reaches here as a message and drops the
//     key; a message lost without the subscription dropping is covered by
//     maxAge;
//   - a read that overlaps any drop is not kept (gen), so a value read
//     before a write cannot be stored after the write's message;
//   - when the subscription drops (Redis down, a reconnect) everything is
//     forgotten and reads go to Redis until it is back.
//
// Values share go-redis's strings (ReadOnlyBytes): callers only read them.
type near struct {
	maxAge time.Duration
	now    func() time.Time

	mu  sync.RWMutex
	m   map[string]nearValue
	gen atomic.Uint64 // bumped by every drop
	up  atomic.Bool   // subscribed: copies are kept and served

	ps     *redis.PubSub
	cancel context.CancelFunc
	done   chan struct{}
}

type nearValue struct {
	val    []byte
	readAt time.Time
}

// nearMaxEntries bounds the copies (up to a few KB each, so about 10 MB):
// past it they are all forgotten, like the verdict service's memos. A
// copy lives a second, so this is the number of keys read in one second
// that can be answered again: the polling of about 1,300 verdicts.
const nearMaxEntries = 4096

// newNear subscribes to InvalidationChannel on c and starts serving once
// subscribed.
func newNear(c *redis.Client, maxAge time.Duration) *near {
	ctx, cancel := context.WithCancel(context.Background())
	n := &near{maxAge: maxAge, now: time.Now, m: map[string]nearValue{}, cancel: cancel, done: make(chan struct{})}
	n.ps = c.Subscribe(ctx, InvalidationChannel)
	go n.listen(ctx)
	return n
}

// listen applies invalidations until ctx ends. go-redis re-dials and
// re-subscribes after an error; whatever was published meanwhile is lost,
// so everything is forgotten on every error and every (re)subscription.
func (n *near) listen(ctx context.Context) {
	defer close(n.done)
	for {
		msg, err := n.ps.Receive(ctx)
		if ctx.Err() != nil {
			n.up.Store(false)
			return
		}
		switch m := msg.(type) {
		case *redis.Message:
			n.drop(m.Payload)
		case *redis.Subscription:
			n.reset(m.Kind == "subscribe")
		default:
			if err != nil {
				n.reset(false)
				select { // do not spin while Redis is down
				case <-ctx.Done():
				case <-time.After(100 * time.Millisecond):
				}
			}
		}
	}
}

// reset forgets every copy; up says whether copies may be kept from now.
func (n *near) reset(up bool) {
	n.up.Store(false)
	n.gen.Add(1)
	n.mu.Lock()
	clear(n.m)
	n.mu.Unlock()
	n.up.Store(up)
}

// drop forgets keys.
func (n *near) drop(keys ...string) {
	n.gen.Add(1)
	n.mu.Lock()
	for _, k := range keys {
		delete(n.m, k)
	}
	n.mu.Unlock()
}

// dropAround drops keys now, before this process writes them, and again
// when the returned func runs, after the write: a read racing the write
// is not kept, and a copy made meanwhile ends. A nil near (copies off)
// does nothing.
func (n *near) dropAround(keys ...string) (after func()) {
	if n == nil {
		return func() {}
	}
	n.drop(keys...)
	return func() { n.drop(keys...) }
}

// get answers keys when every one has a fresh copy.
func (n *near) get(keys []string) ([][]byte, bool) {
	if !n.up.Load() {
		return nil, false
	}
	oldest := n.now().Add(-n.maxAge)
	out := make([][]byte, len(keys))
	n.mu.RLock()
	defer n.mu.RUnlock()
	for i, k := range keys {
		v, ok := n.m[k]
		if !ok || !v.readAt.After(oldest) { // served while younger than maxAge
			return nil, false
		}
		out[i] = v.val
	}
	return out, true
}

// put keeps vals, read at readAt, unless something was dropped since gen
// was taken (before the read).
func (n *near) put(keys []string, vals [][]byte, gen uint64, readAt time.Time) {
	if !n.up.Load() {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.gen.Load() != gen {
		return
	}
	if len(n.m)+len(keys) > nearMaxEntries {
		clear(n.m)
	}
	for i, k := range keys {
		n.m[k] = nearValue{val: vals[i], readAt: readAt}
	}
}

// close stops listening: closing the subscription ends a Receive that
// waits for a message (it does not watch ctx).
func (n *near) close() {
	n.cancel()
	n.ps.Close()
	<-n.done
}
