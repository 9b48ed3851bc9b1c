package match

import "github.com/ownercheck/ownercheck/internal/identity"

// Evaluation is an evaluation before the policy saw the reuse signals:
// every owner's comparison (scores and facts, no owner data), so it can be
// cached and decided again when the signals change, without the owners.
type Evaluation struct {
	Owners []Env `json:"owners"`
	// Best is the owner that counts when the signals are zero (-1 when
	// there are no owners): the owner the identity matched, whose reuse
	// is counted.
	Best int `json:"best"`
}

// Compare compares the identity with every owner, without signals.
func (m *Matcher) Compare(id identity.Identity, owners []identity.Owner) Evaluation {
	p := m.prepare(id)
	ev := Evaluation{Owners: make([]Env, len(owners)), Best: -1}
	var best ownerEval
	for i, o := range owners {
		e := m.compare(&p, o, i, len(owners), Signals{})
		ev.Owners[i] = e.env
		if ev.Best < 0 || better(&e, &best) {
			best, ev.Best = e, i
		}
	}
	return ev
}

// Decide runs the policy on a comparison with the account's signals: the
// same Result Evaluate gives for the owners with these signals.
func (m *Matcher) Decide(ev Evaluation, sig Signals) Result {
	if len(ev.Owners) == 0 {
		return m.evaluate(nil, nil, sig, nil)
	}
	var best ownerEval
	bestIndex := -1
	for i := range ev.Owners {
		e := ownerEval{env: ev.Owners[i]}
		e.env.Signals = sig
		e.decision, e.rule = m.decide(&e.env)
		if bestIndex < 0 || better(&e, &best) {
			best, bestIndex = e, i
		}
	}
	return m.result(&best, bestIndex)
}
