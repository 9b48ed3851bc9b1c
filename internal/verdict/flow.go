package verdict

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/identity"
	"github.com/ownercheck/ownercheck/internal/match"
)

// Binding is whose accounts a verdict may read: every account's
// account_holder must be this customer, else nothing is decided and the
// error names Param. The zero Binding checks nothing (batch
// re-verification of the operator's own list).
type Binding struct {
	Customer string // cus_…
	Param    string // the request field blamed on a mismatch (default "accounts")
}

// VerifySession verifies the accounts linked to a session: one Stripe call
// (the session with its accounts and their ownership expanded), whoever
// else asks the same at the same time. Every account must belong to the
// session's customer.
func (s *Service) VerifySession(ctx context.Context, sessionID string, id identity.Identity, opt Options) (Verdict, error) {
	m := s.cfg.Rules.Current()
	fp := id.Fingerprint()
	fpHex := hex.EncodeToString(fp[:])
	v, err := s.shared(ctx, s.flightKey("session", []string{sessionID}, fpHex, m, opt, ""), func(ctx context.Context) (Verdict, error) {
		observed := s.cfg.Now()
		sess, read, err := s.readSession(ctx, sessionID)
		if err != nil {
			return Verdict{}, err
		}
		bind := Binding{Customer: sess.Holder.Customer, Param: "session"}
		return s.run(ctx, m, s.load(ctx, m, sess.Accounts, fpHex, opt), read, observed, id, fpHex, opt, bind)
	})
	s.count(v, err)
	return v, err
}

// readSession retrieves a session (accounts and ownership expanded) and
// refuses one that cannot be verified: no accounts yet, more than a
// verdict takes, no customer. read holds the accounts as retrieved, by
// position.
func (s *Service) readSession(ctx context.Context, sessionID string) (sess *fc.Session, read []*fc.Account, err error) {
	sess, err = s.cfg.FC.GetSession(ctx, sessionID)
	if err != nil {
		if errors.Is(err, fc.ErrNotFound) {
			return nil, nil, &apperr.Error{Kind: apperr.KindNotFound, Param: "session", Message: "no such session", Err: err}
		}
		return nil, nil, fmt.Errorf("reading session %s: %w", sessionID, err)
	}
	switch {
	case len(sess.Accounts) == 0:
		// 409 rather than 400: the request is right, the user has not
		// finished linking yet (the e2e test pins this).
		return nil, nil, &apperr.Error{Kind: apperr.KindConflict, Param: "session", Message: "the session has no linked accounts yet"}
	case len(sess.Accounts) > s.cfg.MaxAccounts:
		return nil, nil, apperr.Invalidf("session", "the session has more than %d linked accounts; verify them in groups with accounts", s.cfg.MaxAccounts)
	case sess.Holder.Type != "customer" || sess.Holder.Customer == "":
		return nil, nil, apperr.Invalid("session", "the session has no customer account holder")
	}
	read = make([]*fc.Account, len(sess.Accounts))
	for i, a := range sess.AccountData {
		if i < len(read) && a.ID == sess.Accounts[i] {
			read[i] = a
		}
	}
	return sess, read, nil
}

// Verify verifies accounts: pending while any is pending, else the worst
// decision (fail > review > pass; unverifiable counts as review unless all
// are unverifiable). All accounts are judged by the same rules. Concurrent
// identical calls share one computation.
func (s *Service) Verify(ctx context.Context, accountIDs []string, id identity.Identity, opt Options, bind Binding) (Verdict, error) {
	switch {
	case len(accountIDs) == 0:
		return Verdict{}, apperr.Invalid("accounts", "no accounts to verify")
	case len(accountIDs) > s.cfg.MaxAccounts:
		return Verdict{}, apperr.Invalidf("accounts", "at most %d accounts per request", s.cfg.MaxAccounts)
	}
	m := s.cfg.Rules.Current()
	fp := id.Fingerprint()
	fpHex := hex.EncodeToString(fp[:])
	// Most verdicts are answered from the cache alone: no flight, no
	// goroutine, one Redis round trip.
	v, states, err := s.fromCache(ctx, m, accountIDs, id, fpHex, opt, bind)
	if states == nil || err != nil {
		s.count(v, err)
		return v, err
	}
	// The flight's leader goes on with what it loaded.
	v, err = s.shared(ctx, s.flightKey("accounts", accountIDs, fpHex, m, opt, bind.Customer), func(ctx context.Context) (Verdict, error) {
		return s.run(ctx, m, states, nil, time.Time{}, id, fpHex, opt, bind)
	})
	s.count(v, err)
	return v, err
}

// errNeedsStripe stops a cache-only attempt: the answer needs Stripe.
var errNeedsStripe = errors.New("the verdict needs Stripe")

// fromCache answers when every account has a usable snapshot and needs no
// Stripe call (a cached verdict of the current snapshot, a pending
// refresh, an unverifiable state). When it cannot, it returns what it
// loaded, having changed nothing, for the Stripe path to go on with.
func (s *Service) fromCache(ctx context.Context, m *match.Matcher, ids []string, id identity.Identity, fpHex string, opt Options, bind Binding) (Verdict, []*state, error) {
	states := s.load(ctx, m, ids, fpHex, opt)
	for _, st := range states {
		if st.snap.Status == "" {
			return Verdict{}, states, nil
		}
	}
	if err := s.checkBinding(states, bind); err != nil {
		return Verdict{}, nil, err
	}
	v := Verdict{ID: newVerdictID(), Status: StatusDecided, Ruleset: m.Version(), Digest: m.Digest(), Accounts: make([]AccountVerdict, len(states))}
	for i, st := range states {
		av, err := s.decide(ctx, m, st, id, fpHex, opt, true)
		if err != nil {
			return Verdict{}, states, nil
		}
		v.Accounts[i] = av
	}
	s.applySignals(ctx, m, states, &v, fpHex)
	v.summarize()
	return v, nil, nil
}

// VerifyAccount verifies one account, unbound (batch re-verification).
func (s *Service) VerifyAccount(ctx context.Context, accountID string, id identity.Identity, opt Options) (AccountVerdict, error) {
	return s.VerifyAccountOf(ctx, accountID, Binding{}, id, opt)
}

// VerifyAccountOf is VerifyAccount bound to a customer (a batch row that
// names one): an account that is not the customer's, or that Stripe does
// not know, is refused as on the API.
func (s *Service) VerifyAccountOf(ctx context.Context, accountID string, bind Binding, id identity.Identity, opt Options) (AccountVerdict, error) {
	v, err := s.Verify(ctx, []string{accountID}, id, opt, bind)
	if err != nil {
		return AccountVerdict{}, err
	}
	return v.Accounts[0], nil
}

// flightKey identifies identical requests; it stays in memory and never
// reaches Redis or a log.
func (s *Service) flightKey(kind string, ids []string, fpHex string, m *match.Matcher, opt Options, customer string) string {
	return strings.Join([]string{kind, strings.Join(ids, ","), fpHex, m.Digest(),
		strconv.Itoa(int(opt.Refresh)), strconv.FormatBool(opt.SkipCacheRead), customer}, "\x00")
}

// shared runs work once for concurrent identical calls. The shared work
// must not fail every waiter when the caller that started it goes away, so
// it runs without that caller's cancellation, but with its deadline (the
// request's, OWNERCHECK_REQUEST_TIMEOUT): identical requests arrive with
// about the same one, and work past it would answer nobody. What it
// finishes meanwhile is cached for the retry. Each waiter still stops
// waiting when its own context ends.
func (s *Service) shared(ctx context.Context, key string, work func(ctx context.Context) (Verdict, error)) (Verdict, error) {
	if err := ctx.Err(); err != nil {
		return Verdict{}, err
	}
	ch := s.group.DoChan(key, func() (_ any, err error) {
		defer recoverInto(&err)
		wctx, cancel := detach(ctx)
		defer cancel()
		return work(wctx)
	})
	select {
	case <-ctx.Done():
		return Verdict{}, ctx.Err()
	case r := <-ch:
		rethrow(r.Err)
		if r.Err != nil {
			return Verdict{}, r.Err
		}
		v := r.Val.(Verdict)
		if r.Shared {
			v = v.clone()
		}
		return v, nil
	}
}

// detach is ctx without its cancellation, keeping its deadline and values.
func detach(ctx context.Context) (context.Context, context.CancelFunc) {
	d, ok := ctx.Deadline()
	if !ok {
		return context.WithoutCancel(ctx), func() {}
	}
	return context.WithDeadline(context.WithoutCancel(ctx), d)
}

// clone gives a caller of shared work its own accounts and results.
func (v Verdict) clone() Verdict {
	v.Accounts = append([]AccountVerdict(nil), v.Accounts...)
	for i := range v.Accounts {
		if r := v.Accounts[i].Result; r != nil {
			c := *r
			v.Accounts[i].Result = &c
		}
	}
	return v
}

// panicked carries a panic out of a goroutine doing shared or parallel
// work. Left alone there it would kill the process; carried back, it is
// raised again on the caller's goroutine (where gin's recovery answers
// 500), with the stack of the original panic.
type panicked struct {
	value any
	stack []byte
}

func (p *panicked) Error() string { return fmt.Sprintf("panic: %v\n\n%s", p.value, p.stack) }

// recoverInto turns a panic of the deferring goroutine into *err.
func recoverInto(err *error) {
	if v := recover(); v != nil {
		if p, ok := v.(*panicked); ok { // already carried once
			*err = p
			return
		}
		*err = &panicked{value: v, stack: debug.Stack()}
	}
}

// rethrow raises a carried panic again.
func rethrow(err error) {
	var p *panicked
	if errors.As(err, &p) {
		panic(p)
	}
}

// state is one account during a verdict.
type state struct {
	id   string
	snap snapshot
	// acct is the account as read from Stripe during this verdict (owners
	// inline), nil when the snapshot came from the cache.
	acct    *fc.Account
	verdict []byte // the cached verdict value, nil when none; read-only (may share the Redis reply's string)
	last    string // the last decision for this account and identity
	// pend is set when the account is decided up to its reuse signals
	// (see applySignals).
	pend *pending
	// verdictKey is the cached verdict's key; identityKey the identity's
	// reuse key; pre the signals counted with the cache read, under the
	// subject an earlier verdict for verdictKey had.
	verdictKey, identityKey string
	pre                     *counted
}

// keysFor are the cache keys one verdict reads for an account, in one
// round trip for all accounts: snapshot, verdict, last decision.
func (s *Service) keysFor(accountID, fpHex, digest string) [3]string {
	return s.verdictKeysFor(accountID, fpHex, digest).keys
}

func (s *Service) computeKeys(accountID, fpHex, digest string) [3]string {
	return [3]string{s.snapshotKey(accountID), s.keys.Key("verdict", accountID, fpHex, digest), s.keys.Key("last", accountID, fpHex)}
}

// run goes on from what load read from the cache: Stripe only for
// accounts without a usable snapshot, the binding checked, then every
// account decided. read holds accounts already read from Stripe (session
// path) at observed.
func (s *Service) run(ctx context.Context, m *match.Matcher, states []*state, read []*fc.Account, observed time.Time, id identity.Identity, fpHex string, opt Options, bind Binding) (Verdict, error) {
	now := s.cfg.Now()
	for i, st := range states {
		if read != nil && read[i] != nil {
			st.acct, st.snap = read[i], s.record(ctx, read[i], observed)
		}
	}
	if err := s.readStripe(ctx, states, now, bind.Customer != ""); err != nil {
		return Verdict{}, err
	}
	if err := s.checkBinding(states, bind); err != nil {
		return Verdict{}, err
	}
	v := Verdict{ID: newVerdictID(), Status: StatusDecided, Ruleset: m.Version(), Digest: m.Digest(), Accounts: make([]AccountVerdict, len(states))}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.cfg.Parallel)
	for i, st := range states {
		g.Go(func() (err error) {
			defer recoverInto(&err)
			v.Accounts[i], err = s.decide(gctx, m, st, id, fpHex, opt, false)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return Verdict{}, err
	}
	s.applySignals(ctx, m, states, &v, fpHex)
	v.summarize()
	return v, nil
}

// load reads every account's snapshot, cached verdict and last decision in
// one round trip. A snapshot is unusable when the caller asked to skip the
// cache, or when it shows a refresh pending for longer than PendingRecheck
// (the webhook that would have ended it may be lost).
func (s *Service) load(ctx context.Context, m *match.Matcher, ids []string, fpHex string, opt Options) []*state {
	states := make([]*state, len(ids))
	keys := make([]string, 0, 3*len(ids))
	for i, a := range ids {
		k := s.verdictKeysFor(a, fpHex, m.Digest())
		states[i] = &state{id: a, verdictKey: k.keys[1], identityKey: k.identity}
		keys = append(keys, k.keys[:]...)
	}
	vals, err := s.read(ctx, states, keys)
	if err != nil {
		s.cacheError("get", ids[0], err)
		return states
	}
	recheck := s.cfg.Now().Add(-s.cfg.PendingRecheck).UnixMilli()
	for i, st := range states {
		snapVal, verdictVal, lastVal := vals[3*i], vals[3*i+1], vals[3*i+2]
		st.verdict, st.last = verdictVal, string(lastVal)
		sn, ok := s.snapshots.get(snapVal, decodeSnapshot)
		if ok && !opt.SkipCacheRead && !(sn.Refresh == fc.RefreshPending && sn.Observed < recheck) {
			st.snap = sn
		}
	}
	return states
}

// readStripe reads the accounts that have neither a usable snapshot nor a
// read of this verdict (ownership expanded: one call each, concurrently).
// For a bound verdict an account Stripe does not know is left without a
// snapshot, so checkBinding refuses it exactly as another customer's
// account: a 404 there would tell any caller which fca_ ids exist.
func (s *Service) readStripe(ctx context.Context, states []*state, now time.Time, bound bool) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.cfg.Parallel)
	for _, st := range states {
		if st.acct != nil || st.snap.Status != "" {
			continue
		}
		g.Go(func() (err error) {
			defer recoverInto(&err)
			if err = s.readAccount(gctx, st); bound && errors.Is(err, fc.ErrNotFound) {
				return nil
			}
			return err
		})
	}
	return g.Wait()
}

// readAccount reads one account from Stripe and records its snapshot.
func (s *Service) readAccount(ctx context.Context, st *state) error {
	observed := s.cfg.Now()
	a, err := s.cfg.FC.GetAccount(ctx, st.id)
	if err != nil {
		if errors.Is(err, fc.ErrNotFound) {
			return &apperr.Error{Kind: apperr.KindNotFound, Param: "accounts", Message: "no such account " + st.id, Err: err}
		}
		return fmt.Errorf("reading account %s: %w", st.id, err)
	}
	st.acct, st.snap = a, s.record(ctx, a, observed)
	return nil
}

// checkBinding refuses the whole verdict when an account is not the
// bound customer's: nothing is refreshed, evaluated or cached.
func (s *Service) checkBinding(states []*state, bind Binding) error {
	if bind.Customer == "" {
		return nil
	}
	param := bind.Param
	if param == "" {
		param = "accounts"
	}
	want, _ := s.customerTags.get([]byte(bind.Customer), func(b []byte) (string, bool) { return s.tag("customer", string(b)), true })
	for i, st := range states {
		if st.snap.HolderType != "customer" || st.snap.HolderTag != want {
			return apperr.Invalidf(param, "account %d (%s) is not linked by the customer this verdict is for", i, st.id)
		}
	}
	return nil
}

// summarize sets the overall status and decision from the accounts'.
func (v *Verdict) summarize() {
	worst, unverifiable := "", 0
	for _, av := range v.Accounts {
		d := av.Decision
		switch av.Status {
		case StatusPending:
			v.Status = StatusPending
			v.RetryAfter = max(v.RetryAfter, av.RetryAfter)
			continue
		case StatusUnverifiable:
			unverifiable++
			d = match.Review
		}
		if worst == "" || decisionRank[d] > decisionRank[worst] {
			worst = d
		}
	}
	switch {
	case v.Status == StatusPending:
		v.RetryAfterSeconds = int((v.RetryAfter + time.Second - 1) / time.Second)
	case unverifiable == len(v.Accounts):
		v.Decision = match.Unverifiable
	default:
		v.Decision = worst
	}
}

// decisionRank orders decisions for the overall verdict; unverifiable
// accounts are ranked as review (see Verify).
var decisionRank = map[string]int{match.Pass: 0, match.Review: 1, match.Fail: 2}

// decide answers one account from its snapshot: unverifiable, pending (a
// refresh running or started now) or decided. cacheOnly makes it return
// errNeedsStripe, having changed nothing, where it would call Stripe.
func (s *Service) decide(ctx context.Context, m *match.Matcher, st *state, id identity.Identity, fpHex string, opt Options, cacheOnly bool) (AccountVerdict, error) {
	out := AccountVerdict{Account: st.id, Previous: st.last}
	st.pend = nil
	sn := &st.snap
	now := s.cfg.Now()
	unverifiable := func(reason, text string) (AccountVerdict, error) {
		out.Status, out.Reason, out.Decision = StatusUnverifiable, reason, match.Unverifiable
		out.Result = &match.Result{Decision: match.Unverifiable, Owner: -1, Flags: map[string]bool{}, Reasons: []string{text}, Rule: reason, Ruleset: m.Version(), Digest: m.Digest()}
		return out, nil
	}
	switch {
	case sn.Status == fc.AccountDisconnected:
		return unverifiable("account_disconnected", "the account was disconnected by its owner")
	case !sn.has("ownership"):
		return unverifiable("no_ownership_permission", "the account was linked without the ownership permission")
	case sn.Refresh == fc.RefreshPending:
		return s.pending(out, sn, "refresh_pending", now), nil
	case sn.Status == fc.AccountInactive:
		// No refresh is possible; the earlier data stays readable.
		if sn.Refresh != fc.RefreshSucceeded || sn.Ownership == "" || now.Sub(sn.lastAttempted()) > s.cfg.StaleAfter {
			return unverifiable("account_inactive", "the account is inactive and has no fresh ownership data: it cannot be refreshed")
		}
		out.AccountStatus = fc.AccountInactive
	case cacheOnly && (s.wantsRefresh(sn, opt, now) || sn.Refresh == fc.RefreshFailed && opt.Refresh != RefreshNever) && !now.Before(sn.nextAt()):
		return AccountVerdict{}, errNeedsStripe
	case s.wantsRefresh(sn, opt, now) && !now.Before(sn.nextAt()),
		// One retry of a failed refresh, fleet-wide, per day.
		sn.Refresh == fc.RefreshFailed && opt.Refresh != RefreshNever && !now.Before(sn.nextAt()) && s.firstRetry(ctx, st.id):
		av, err := s.startRefresh(ctx, out, st, now)
		if refused(err) {
			// Said, so that a refresh Stripe always refuses (a request of
			// ours gone wrong) does not go unseen behind the answers.
			var fe *fc.Error
			errors.As(err, &fe)
			s.cfg.Logger.Warn("ownership refresh refused by Stripe; deciding on the account as read again", "account", st.id, "status", fe.Status, "code", fe.Code)
			return s.decideAsStripeHasIt(ctx, m, st, id, fpHex, opt)
		}
		return av, err
	}
	switch {
	case sn.Refresh == "":
		return unverifiable("never_refreshed", "the account's ownership has never been retrieved")
	case sn.Refresh == fc.RefreshFailed:
		return unverifiable("refresh_failed", "the bank could not provide ownership data")
	case sn.Ownership == "":
		return unverifiable("no_ownership", "the account has no ownership data")
	}
	out.RefreshedAt = sn.lastAttempted()
	return s.evaluate(ctx, m, st, out, id, fpHex, opt, cacheOnly)
}

// wantsRefresh applies the refresh policy to an active, non-pending
// account.
func (s *Service) wantsRefresh(sn *snapshot, opt Options, now time.Time) bool {
	switch opt.Refresh {
	case RefreshNever:
		return false
	case RefreshIfAllowed:
		return true
	}
	return sn.Refresh == "" || (sn.Refresh == fc.RefreshSucceeded && now.Sub(sn.lastAttempted()) > s.cfg.StaleAfter)
}

// pending answers 202: Retry-After grows with the time the refresh has
// been pending (PendingRetry, then 2.5x after 10s, 5x after a minute), so
// polls of a slow bank thin out.
func (s *Service) pending(out AccountVerdict, sn *snapshot, reason string, now time.Time) AccountVerdict {
	wait := s.cfg.PendingRetry
	if la := sn.lastAttempted(); !la.IsZero() {
		switch d := now.Sub(la); {
		case d >= time.Minute:
			wait = 5 * wait
		case d >= 10*time.Second:
			wait = wait * 5 / 2
		}
	}
	out.Status, out.Reason, out.RetryAfter = StatusPending, reason, wait
	return out
}

// startRefresh starts an ownership refresh unless another process of the
// fleet just did (a short lock on the account's HMAC; never waited for).
// The refresh response becomes the snapshot.
func (s *Service) startRefresh(ctx context.Context, out AccountVerdict, st *state, now time.Time) (AccountVerdict, error) {
	got, err := s.cfg.Cache.SetNX(ctx, s.keys.Key("refresh-lock", st.id), s.cfg.RefreshLock)
	if err != nil {
		// Without the cache two replicas may both refresh: Stripe answers
		// the second with the pending refresh.
		s.cacheError("lock", st.id, err)
		got = true
	}
	if !got {
		return s.pending(out, &st.snap, "refresh_in_progress", now), nil
	}
	a, err := s.cfg.FC.RefreshOwnership(ctx, st.id)
	if err != nil {
		return AccountVerdict{}, fmt.Errorf("refreshing ownership of %s: %w", st.id, err)
	}
	sn := s.record(ctx, a, now)
	return s.pending(out, &sn, "refresh_started", now), nil
}

// refused reports Stripe refusing a refresh it was asked for (a plain
// 400): the account is not as the snapshot says (deactivated, its refresh
// not available yet by Stripe's clock), not a request of ours gone wrong.
func refused(err error) bool {
	var fe *fc.Error
	return errors.As(err, &fe) && !fe.Retryable && fe.Status == http.StatusBadRequest && fe.Type == fc.TypeInvalidRequestError
}

// decideAsStripeHasIt reads the account again after a refused refresh and
// decides on it without refreshing: a snapshot that was behind Stripe (a
// lost or late event) costs a read, not a 502.
func (s *Service) decideAsStripeHasIt(ctx context.Context, m *match.Matcher, st *state, id identity.Identity, fpHex string, opt Options) (AccountVerdict, error) {
	if err := s.readAccount(ctx, st); err != nil {
		return AccountVerdict{}, err
	}
	opt.Refresh = RefreshNever
	return s.decide(ctx, m, st, id, fpHex, opt, false)
}

// firstRetryWindow is how long a retried failed refresh is remembered: a
// failure is retried at most once in it.
const firstRetryWindow = 24 * time.Hour

// firstRetry reports whether this is the fleet's first retry of the
// account's failed refresh within firstRetryWindow.
func (s *Service) firstRetry(ctx context.Context, accountID string) bool {
	ok, err := s.cfg.Cache.SetNX(ctx, s.keys.Key("refresh-retry", accountID), firstRetryWindow)
	if err != nil {
		// Unknown: do not retry (a down cache would retry every request).
		s.cacheError("lock", accountID, err)
		return false
	}
	return ok
}

// evaluate answers from the cached verdict when it was computed from the
// current snapshot (no Stripe call); otherwise it gets the owners (inline
// from this verdict's read, or one read now) and evaluates them.
func (s *Service) evaluate(ctx context.Context, m *match.Matcher, st *state, out AccountVerdict, id identity.Identity, fpHex string, opt Options, cacheOnly bool) (AccountVerdict, error) {
	tag := st.snap.verdictTag()
	if !opt.SkipCacheRead && st.verdict != nil {
		cv, ok := s.verdicts.get(st.verdict, decodeVerdict)
		switch {
		case !ok:
			s.cacheError("decode", st.id, errors.New("cached verdict does not decode"))
		case cv.Tag == tag:
			s.cacheOutcomes.WithLabelValues("hit").Inc()
			st.pend = &pending{eval: cv.Eval, subject: cv.Subject, tag: tag, cached: &cv, shadow: cv.Shadow}
			out.Status, out.Cached = StatusDecided, true
			return out, nil
		}
	}
	if cacheOnly {
		return AccountVerdict{}, errNeedsStripe
	}
	s.cacheOutcomes.WithLabelValues("miss").Inc()
	if st.acct == nil || st.acct.OwnershipID == "" || s.tag("ownership", st.acct.OwnershipID) != st.snap.Ownership {
		// The snapshot came from the cache: read the account (owners
		// inline) and decide on what Stripe says now.
		if err := s.readAccount(ctx, st); err != nil {
			return AccountVerdict{}, err
		}
		st.verdict = nil
		return s.decide(ctx, m, st, id, fpHex, opt, false)
	}
	owners, err := s.owners(ctx, st.acct)
	if err != nil {
		return AccountVerdict{}, err
	}
	ev := m.Compare(id, owners)
	if ev.Best < 0 {
		// Not cached: the next request asks the bank's data again.
		out.Status, out.Reason, out.Decision = StatusUnverifiable, "no_owners", match.Unverifiable
		out.Result = &match.Result{Decision: match.Unverifiable, Owner: -1, Flags: map[string]bool{}, Reasons: []string{"the bank returned no owners for the account"}, Rule: "no_owners", Ruleset: m.Version(), Digest: m.Digest()}
		return out, nil
	}
	st.pend = &pending{eval: &ev, subject: s.subjectOf(st.acct, owners, &ev, id), tag: tag, shadow: s.shadowCompare(m, id, owners)}
	out.Status = StatusDecided
	return out, nil
}

// owners are the account's owners: inline when they all came with the
// read, else listed (more than a page of owners).
func (s *Service) owners(ctx context.Context, a *fc.Account) ([]identity.Owner, error) {
	if a.OwnersInline && a.OwnersComplete {
		return a.Owners, nil
	}
	owners, err := s.cfg.FC.ListOwners(ctx, a.ID, a.OwnershipID)
	if err != nil {
		return nil, fmt.Errorf("listing owners of %s: %w", a.ID, err)
	}
	return owners, nil
}

// store caches a verdict (with the snapshot tag, comparison and signals it
// was computed from) and the last decision.
func (s *Service) store(ctx context.Context, st *state, fpHex, digest string, cv cachedVerdict) {
	res := cv.Result
	keys := s.keysFor(st.id, fpHex, digest)
	b, err := json.Marshal(cv)
	if err == nil {
		err = s.cfg.Cache.Set(ctx, keys[1], b, s.cfg.TTL)
	}
	if err != nil {
		s.cacheError("set", st.id, err)
	}
	if err := s.cfg.Cache.Set(ctx, keys[2], []byte(res.Decision), s.cfg.HistoryTTL); err != nil {
		s.cacheError("set_last", st.id, err)
	}
}

// cacheError notes a cache failure: the request goes on without the cache.
// Only the account id and the error are logged, never identity data (keys
// and values are not logged either). Calls the breaker skipped are counted
// but not logged: the failure that opened it was.
func (s *Service) cacheError(op, account string, err error) {
	if op == "get" {
		s.cacheOutcomes.WithLabelValues("error").Inc()
	}
	s.cacheErrors.WithLabelValues(op).Inc()
	if errors.Is(err, cache.ErrUnavailable) {
		return
	}
	s.cfg.Logger.Warn("verdict cache unavailable; computing without it", "op", op, "account", account, "error", err.Error())
}

// CacheHealth reports whether the cache answers.
func (s *Service) CacheHealth(ctx context.Context) error { return s.cfg.Cache.Ping(ctx) }
