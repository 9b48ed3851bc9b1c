package match

import (
	"github.com/ownercheck/ownercheck/internal/address"
	"github.com/ownercheck/ownercheck/internal/identity"
	"github.com/ownercheck/ownercheck/internal/names"
)

// Explanation is one evaluation in full, for analysts (`ownercheck explain`).
// It holds normalized PII and is never logged or cached.
type Explanation struct {
	Result   Result              `json:"result"`
	Identity IdentityExplanation `json:"identity"`
	Owners   []OwnerExplanation  `json:"owners"`
	// Signals are the reuse counts the policy saw (every owner sees the
	// same).
	Signals Signals `json:"signals"`
}

// IdentityExplanation is the identity as the matcher normalized it.
type IdentityExplanation struct {
	Type    string          `json:"type"`
	Name    string          `json:"name"`
	DBA     string          `json:"dba,omitempty"`
	Address *address.Parsed `json:"address,omitempty"`
	Email   string          `json:"email,omitempty"`
	Phone   string          `json:"phone,omitempty"`
}

// OwnerExplanation is one owner's comparison and how the policy ran on it.
type OwnerExplanation struct {
	Index    int             `json:"index"`
	Decision string          `json:"decision"`
	Rule     string          `json:"rule"`
	Env      Env             `json:"env"`
	Name     *names.Result   `json:"name,omitempty"`
	Address  *address.Parsed `json:"address,omitempty"`
	AddrCmp  *address.Result `json:"address_comparison,omitempty"`
	Email    string          `json:"email,omitempty"`
	Phone    string          `json:"phone,omitempty"`
	Rules    []RuleTrace     `json:"rules"`
}

// RuleTrace is one policy rule evaluated against an owner.
type RuleTrace struct {
	Name     string `json:"name"`
	When     string `json:"when"`
	Decision string `json:"decision"`
	Matched  bool   `json:"matched"`
	Fired    bool   `json:"fired"` // the first matching rule: the one that decided
}

// Explain evaluates like Evaluate and also returns every intermediate step.
func (m *Matcher) Explain(id identity.Identity, owners []identity.Owner) Explanation {
	return m.ExplainWith(id, owners, Signals{})
}

// ExplainWith is Explain with the account's reuse signals.
func (m *Matcher) ExplainWith(id identity.Identity, owners []identity.Owner, sig Signals) Explanation {
	ex := Explanation{Signals: sig}
	p := m.prepare(id)
	ex.Identity = IdentityExplanation{Type: id.Type, Name: names.Normalize(id.Name), DBA: names.Normalize(id.DBA), Email: p.email, Phone: p.phone}
	if p.hasAddr {
		a := p.address
		ex.Identity.Address = &a
	}
	ex.Result = m.evaluate(&p, owners, sig, func(i int, o identity.Owner, e ownerEval) {
		oe := OwnerExplanation{Index: i, Decision: e.decision, Rule: "default", Env: e.env, Email: e.email, Phone: e.phone}
		if e.rule >= 0 {
			oe.Rule = m.rules[e.rule].Name
		}
		if e.env.Name.Present {
			n := e.name
			oe.Name = &n
		}
		if o.RawAddress != "" {
			a := e.parsed
			oe.Address = &a
		}
		if e.env.Address.Present {
			c := e.address
			oe.AddrCmp = &c
		}
		for j, r := range m.rules {
			matched := m.runRule(j, &e.env)
			oe.Rules = append(oe.Rules, RuleTrace{Name: r.Name, When: r.When, Decision: r.Decision, Matched: matched, Fired: j == e.rule})
		}
		ex.Owners = append(ex.Owners, oe)
	})
	return ex
}

func (m *Matcher) runRule(i int, env *Env) bool {
	out, err := runProgram(m.rules[i].program, env)
	if err != nil {
		return false
	}
	ok, _ := out.(bool)
	return ok
}
