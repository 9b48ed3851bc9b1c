package verdict

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/identity"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/names"
	"github.com/ownercheck/ownercheck/internal/signals"
)

// subject is what a decided account counts reuse against, as HMACs made
// while the owners were in hand (a cached verdict has no owners).
type subject struct {
	// Account fingerprints the bank account behind the fca_ id.
	Account string `json:"account"`
	// Owner is the key of the set of identities that matched the same
	// owner of that bank account. Counting per owner, not per account,
	// keeps a joint account's owners apart: two identities that each
	// match a different owner are not reuse, two that match the same
	// owner are. The owner is named by its normalized name rather than
	// its index, which another link of the account may order differently;
	// within a joint owner string by the identity's name (subjectOf).
	Owner string `json:"owner"`
}

// pending is an account decided up to its reuse signals: the comparison,
// the subject, the snapshot tag, and the cached verdict when it came from
// the cache.
type pending struct {
	eval    *match.Evaluation
	subject subject
	tag     string
	cached  *cachedVerdict
	shadow  *shadowComparison // the shadow rules' own comparison, when they compare differently
}

// subjectOf fingerprints the bank account: an HMAC over the institution
// name, last4 and the sorted normalized owner names (the same real account
// linked by two customers gets two fca_ ids but the same fingerprint).
// Without last4 the fca_ id stands in, so that accounts that cannot be
// told apart are not counted as one.
func (s *Service) subjectOf(a *fc.Account, owners []identity.Owner, ev *match.Evaluation, id identity.Identity) subject {
	list := make([]string, len(owners))
	for i, o := range owners {
		list[i] = names.Normalize(o.Name)
	}
	matched := list[ev.Best]
	if ev.Owners[ev.Best].Name.JointOwner {
		// One owner string naming several people (JOHN DOE AND JANE
		// DOE): the person is the identity's name within it.
		matched += "\x1f" + personOf(id)
	}
	slices.Sort(list)
	last4 := a.Last4
	if last4 == "" {
		last4 = a.ID
	}
	acct := s.keys.Key("bank-account", a.Institution, last4, strings.Join(list, "\x1f"))
	return subject{Account: acct, Owner: s.keys.Key("bank-owner", acct, matched)}
}

// personOf names the identity's person within a joint owner string: the
// first and last words of a person's normalized name (a middle name or
// initial does not make another person), a company's whole name.
func personOf(id identity.Identity) string {
	w := strings.Fields(names.Normalize(id.Name))
	if id.Type == identity.Company || len(w) < 3 {
		return strings.Join(w, " ")
	}
	return w[0] + " " + w[len(w)-1]
}

// applySignals counts every account decided up to its signals (one Redis
// round trip for all of them) and decides it with them. A cached verdict
// computed with the same signals is answered as it is; any other is
// decided again from its comparison and cached with the new signals, so a
// decision never comes from a verdict computed with other signal values.
// Re-adding a pair already counted (a cache hit, a batch re-check) leaves
// the counts as they are.
func (s *Service) applySignals(ctx context.Context, m *match.Matcher, states []*state, v *Verdict, fpHex string) {
	var obs []signals.Observation
	var idx []int
	sigs := make([]match.Signals, len(states))
	for i, st := range states {
		switch {
		case st.pend == nil:
			continue
		case st.pre != nil && st.pre.subject == st.pend.subject:
			sigs[i] = st.pre.sig
			continue
		}
		obs = append(obs, observation(st.pend.subject, st.identityKey))
		idx = append(idx, i)
	}
	if len(obs) > 0 {
		for j, sig := range s.observe(ctx, states[idx[0]].id, obs) {
			sigs[idx[j]] = sig
		}
	}
	for i, st := range states {
		if st.pend == nil {
			continue
		}
		p, sig := st.pend, sigs[i]
		s.subjects.put(st.verdictKey, p.subject)
		var res match.Result
		if p.cached != nil && p.cached.Signals == sig {
			// A copy: the memo's Result is shared (and read-only).
			res = *p.cached.Result
		} else {
			res = m.Decide(*p.eval, sig)
			if sig.Available {
				s.store(ctx, states[i], fpHex, m.Digest(), cachedVerdict{Tag: p.tag, Result: &res, Signals: sig, Eval: p.eval, Subject: p.subject, Shadow: p.shadow})
			}
		}
		av := &v.Accounts[i]
		av.Decision, av.Result, av.Signals = res.Decision, &res, &sig
		s.runShadow(ctx, m, v.ID, st.id, p, sig, res)
	}
}

// observe counts; when the store fails (or the cache is marked down) the
// signals are zero and not available, and the verdict goes on: the rules
// can test signals.available.
func (s *Service) observe(ctx context.Context, account string, obs []signals.Observation) []match.Signals {
	var sigs []match.Signals
	err := s.breaker.Do(ctx, "signals", func() error {
		var err error
		sigs, err = s.cfg.Signals.Observe(ctx, obs, s.cfg.Now())
		return err
	})
	if err != nil || len(sigs) != len(obs) {
		if err != nil {
			s.cacheError("signals", account, err)
		}
		return make([]match.Signals, len(obs))
	}
	return sigs
}

func observation(sub subject, identityKey string) signals.Observation {
	return signals.Observation{AccountKey: sub.Owner, Identity: identityKey, IdentityKey: identityKey, Account: sub.Account}
}

// counted are signals counted with the cache read, for a guessed subject.
type counted struct {
	subject subject
	sig     match.Signals
}

// loadObserver is a signals store on the cache's own Redis: it counts in
// the round trip that reads the cache.
type loadObserver interface {
	MGetObserve(ctx context.Context, keys []string, obs []signals.Observation, now time.Time) ([][]byte, []match.Signals, error)
	Recent(obs []signals.Observation, now time.Time) ([]match.Signals, bool)
}

// read is load's MGET. When every account's subject is known from an
// earlier verdict for the same key (a hot cached verdict), the signals are
// counted in the same round trip; applySignals checks the guess against the
// subject the verdict turns out to have, and counts again only when it
// differs (the owners changed). A wrong guess only re-adds the identity to
// a set it was already in: counts do not move.
func (s *Service) read(ctx context.Context, states []*state, keys []string) ([][]byte, error) {
	if s.combined == nil {
		return s.cfg.Cache.MGet(ctx, keys...)
	}
	guess := make([]subject, len(states))
	obs := make([]signals.Observation, len(states))
	for i, st := range states {
		sub, ok := s.subjects.get(st.verdictKey)
		if !ok {
			return s.cfg.Cache.MGet(ctx, keys...)
		}
		guess[i], obs[i] = sub, observation(sub, st.identityKey)
	}
	var vals [][]byte
	sigs, recent := s.combined.Recent(obs, s.cfg.Now())
	var err error
	if recent {
		vals, err = s.cfg.Cache.MGet(ctx, keys...)
	} else {
		err = s.breaker.Do(ctx, "mget", func() error {
			var err error
			vals, sigs, err = s.combined.MGetObserve(ctx, keys, obs, s.cfg.Now())
			return err
		})
	}
	if err != nil {
		return nil, err
	}
	for i, st := range states {
		st.pre = &counted{subject: guess[i], sig: sigs[i]}
	}
	return vals, nil
}

// subjectMemo remembers each verdict key's subject in this process, bounded
// like memo.
type subjectMemo struct {
	mu sync.RWMutex
	m  map[string]subject
}

func (c *subjectMemo) get(key string) (subject, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	sub, ok := c.m[key]
	return sub, ok
}

func (c *subjectMemo) put(key string, sub subject) {
	if old, ok := c.get(key); ok && old == sub {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= 4*memoEntries {
		c.m = map[string]subject{}
	}
	c.m[key] = sub
}
