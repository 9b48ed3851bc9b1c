// Package shadow runs a second ruleset on live verdicts without changing
// them: each decided account is decided again by the shadow rules, and
// where the decisions differ the disagreement is counted and logged with
// ids, decisions, rules and ruleset versions only (no PII).
package shadow

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ownercheck/ownercheck/internal/match"
)

// Rules is the shadow ruleset of a directory.
type Rules struct {
	dir     string
	log     *slog.Logger
	now     func() time.Time
	current atomic.Pointer[match.Matcher]
	total   *prometheus.CounterVec

	mu       sync.Mutex
	lastErr  error
	loadedAt time.Time
	sum      map[pair]*pairStats
}

type pair struct{ live, shadow string }

type pairStats struct {
	count int
	rules map[[2]string]int // live rule, shadow rule
}

// New loads the shadow rules in dir. A broken directory is not an error
// here: live verdicts go on and LastError (readyz) says why there is no
// shadow; a later reload may fix it.
func New(dir string, log *slog.Logger, reg prometheus.Registerer) *Rules {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Rules{dir: dir, log: log, now: time.Now}
	r.total = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ownercheck_shadow_verdicts_total", Help: "Decided account verdicts also decided by the shadow rules, by live and shadow decision.",
	}, []string{"live", "shadow"})
	if reg != nil {
		reg.MustRegister(r.total)
	}
	if err := r.Reload(); err != nil {
		log.Error("shadow rules not loaded; live verdicts are unaffected", "dir", dir, "error", err.Error())
	}
	return r
}

// Current is the shadow matcher, nil when none could be loaded.
func (r *Rules) Current() *match.Matcher {
	if r == nil {
		return nil
	}
	return r.current.Load()
}

// Reload re-reads the directory. On error the previous shadow rules (if
// any) keep running and the error is kept for readyz; on success the
// summary starts again (it describes one shadow ruleset).
func (r *Rules) Reload() error {
	m, err := match.Load(r.dir)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.lastErr = fmt.Errorf("shadow rules %s: %w", r.dir, err)
		return r.lastErr
	}
	if old := r.current.Load(); old == nil || old.Digest() != m.Digest() {
		r.sum, r.loadedAt = map[pair]*pairStats{}, r.now()
	}
	r.current.Store(m)
	r.lastErr = nil
	return nil
}

// LastError is the latest load's error, nil when it succeeded.
func (r *Rules) LastError() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastErr
}

// Record counts one account decided by both rulesets and logs a
// disagreement. shadowM is the matcher that made shadow (a reload may have
// swapped it since).
func (r *Rules) Record(ctx context.Context, verdictID, account string, live *match.Result, shadowM *match.Matcher, shadow *match.Result) {
	r.total.WithLabelValues(live.Decision, shadow.Decision).Inc()
	r.mu.Lock()
	if cur := r.current.Load(); cur != nil && cur.Digest() == shadowM.Digest() && r.sum != nil {
		p := pair{live.Decision, shadow.Decision}
		st := r.sum[p]
		if st == nil {
			st = &pairStats{rules: map[[2]string]int{}}
			r.sum[p] = st
		}
		st.count++
		if len(st.rules) < maxRulePairs {
			st.rules[[2]string{live.Rule, shadow.Rule}]++
		}
	}
	r.mu.Unlock()
	if live.Decision != shadow.Decision {
		r.log.InfoContext(ctx, "shadow rules disagree", "verdict", verdictID, "account", account,
			"live_decision", live.Decision, "live_rule", live.Rule, "live_ruleset", live.Ruleset,
			"shadow_decision", shadow.Decision, "shadow_rule", shadow.Rule, "shadow_ruleset", shadowM.Version())
	}
}

// maxRulePairs bounds the rule pairs kept per decision pair (rule names
// come from rule files, a bounded set, but two rulesets can differ a lot).
const maxRulePairs = 100

// Summary is GET /admin/shadow.
type Summary struct {
	Loaded        bool          `json:"loaded"`
	Ruleset       string        `json:"ruleset,omitempty"`
	Digest        string        `json:"digest,omitempty"`
	Since         time.Time     `json:"since,omitzero"`
	Verdicts      int           `json:"verdicts"`
	Disagreements int           `json:"disagreements"`
	Pairs         []PairSummary `json:"pairs"`
	Error         string        `json:"error,omitempty"`
}

// PairSummary counts one (live, shadow) decision pair and its rules.
type PairSummary struct {
	Live   string        `json:"live"`
	Shadow string        `json:"shadow"`
	Count  int           `json:"count"`
	Rules  []RuleSummary `json:"rules"`
}

// RuleSummary counts one (live rule, shadow rule) pair.
type RuleSummary struct {
	Live   string `json:"live"`
	Shadow string `json:"shadow"`
	Count  int    `json:"count"`
}

// Summary summarises the verdicts since the current shadow rules loaded.
func (r *Rules) Summary() Summary {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := Summary{Pairs: []PairSummary{}}
	if r.lastErr != nil {
		out.Error = r.lastErr.Error()
	}
	m := r.current.Load()
	if m == nil {
		return out
	}
	out.Loaded, out.Ruleset, out.Digest, out.Since = true, m.Version(), m.Digest(), r.loadedAt
	for p, st := range r.sum {
		ps := PairSummary{Live: p.live, Shadow: p.shadow, Count: st.count}
		for rp, n := range st.rules {
			ps.Rules = append(ps.Rules, RuleSummary{Live: rp[0], Shadow: rp[1], Count: n})
		}
		sortRules(ps.Rules)
		out.Pairs = append(out.Pairs, ps)
		out.Verdicts += st.count
		if p.live != p.shadow {
			out.Disagreements += st.count
		}
	}
	sortPairs(out.Pairs)
	return out
}
