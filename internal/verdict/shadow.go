package verdict

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	"github.com/ownercheck/ownercheck/internal/identity"
	"github.com/ownercheck/ownercheck/internal/match"
)

// ShadowRules is a second ruleset run on live verdicts (*shadow.Rules).
type ShadowRules interface {
	// Current is the shadow matcher, nil when none is loaded.
	Current() *match.Matcher
	// Record counts (and logs, when they differ) one account decided by
	// both.
	Record(ctx context.Context, verdictID, account string, live *match.Result, shadowM *match.Matcher, shadow *match.Result)
}

// shadowComparison is the shadow rules' comparison of the owners, made
// while they were in hand and cached with the verdict (a cached verdict
// has no owners): Key is the CompareDigest it was made under.
type shadowComparison struct {
	Key  string            `json:"key"`
	Eval *match.Evaluation `json:"eval"`
}

func (s *Service) shadowMatcher() *match.Matcher {
	if s.cfg.Shadow == nil {
		return nil
	}
	return s.cfg.Shadow.Current()
}

// shadowCompare compares the owners with the shadow rules when they
// compare differently from the live ones; nil when the live comparison
// serves both (the usual case: only policy rules changed).
func (s *Service) shadowCompare(m *match.Matcher, id identity.Identity, owners []identity.Owner) *shadowComparison {
	sm := s.shadowMatcher()
	if sm == nil || sm.CompareDigest() == m.CompareDigest() {
		return nil
	}
	ev := sm.Compare(id, owners)
	return &shadowComparison{Key: sm.CompareDigest(), Eval: &ev}
}

// runShadow decides the account with the shadow rules after the live
// answer is final. It changes nothing in the answer; a panic in it is
// logged, not raised. A cached verdict whose comparison the shadow rules
// cannot use (they compare differently and it was cached before they were
// loaded) is skipped and counted.
func (s *Service) runShadow(ctx context.Context, m *match.Matcher, verdictID, account string, p *pending, sig match.Signals, live match.Result) {
	sm := s.shadowMatcher()
	if sm == nil {
		return
	}
	defer func() {
		if v := recover(); v != nil {
			s.cfg.Logger.Error("shadow rules panicked; the live verdict is unaffected", "verdict", verdictID, "panic", v)
		}
	}()
	ev := p.eval
	if sm.CompareDigest() != m.CompareDigest() {
		if p.shadow == nil || p.shadow.Key != sm.CompareDigest() {
			s.shadowSkipped.Inc()
			return
		}
		ev = p.shadow.Eval
	}
	res := sm.Decide(*ev, sig)
	s.cfg.Shadow.Record(ctx, verdictID, account, &live, sm, &res)
}

// newVerdictID is a random id for one answer.
func newVerdictID() string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return "vrd_" + hex.EncodeToString(b[:])
}
