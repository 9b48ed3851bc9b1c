// Package match decides whether an account's owners are the identity a user
// submitted: it compares names (internal/names), addresses
// (internal/address), emails and phones per owner, runs the ordered policy
// from the rule files on each, and keeps the best owner.
package match

import (
	"sync"

	"github.com/expr-lang/expr/vm"

	"github.com/ownercheck/ownercheck/internal/address"
	"github.com/ownercheck/ownercheck/internal/identity"
	"github.com/ownercheck/ownercheck/internal/names"
)

// Matcher is a loaded, compiled ruleset. It is immutable and safe for
// concurrent use.
type Matcher struct {
	policy  Policy
	version string
	// digest covers the rule files and AlgorithmVersion; rulesDigest
	// only the rule files.
	digest      string
	rulesDigest string
	// compareDigest covers what a comparison (Evaluation) depends on:
	// names.yaml, nicknames.yaml, the weights and AlgorithmVersion.
	compareDigest string
	names         *names.Comparer
	rules         []compiledRule
}

// Version is the ruleset version from policy.yaml.
func (m *Matcher) Version() string { return m.version }

// Digest identifies how this matcher decides: the exact rule files loaded
// and the scoring code (AlgorithmVersion).
func (m *Matcher) Digest() string { return m.digest }

// CompareDigest identifies how owners are compared (dictionaries, weights,
// scoring code), not how the policy decides: matchers with the same one
// can decide each other's Evaluations.
func (m *Matcher) CompareDigest() string { return m.compareDigest }

// RulesDigest identifies the rule files alone.
func (m *Matcher) RulesDigest() string { return m.rulesDigest }

// Policy is the loaded policy (read-only).
func (m *Matcher) Policy() Policy { return m.policy }

// vmPool reuses expr VMs: a VM per condition run is the main allocation
// of an evaluation otherwise.
var vmPool = sync.Pool{New: func() any { return &vm.VM{} }}

func runProgram(p *vm.Program, env *Env) (any, error) {
	machine := vmPool.Get().(*vm.VM)
	defer vmPool.Put(machine)
	return machine.Run(p, env)
}

// preparedIdentity is the identity normalized once per evaluation.
type preparedIdentity struct {
	id      identity.Identity
	name    *names.Prepared
	address address.Parsed
	hasAddr bool
	email   string
	phone   string
}

func (m *Matcher) prepare(id identity.Identity) preparedIdentity {
	p := preparedIdentity{id: id, name: m.names.Prepare(id.Type, id.Name, id.DBA), email: normalizeEmail(id.Email), phone: normalizePhone(id.Phone)}
	if !id.Address.IsZero() {
		p.address = address.FromIdentity(*id.Address)
		p.hasAddr = true
	}
	return p
}

// ownerEval is one owner compared with the identity.
type ownerEval struct {
	env      Env
	name     names.Result
	address  address.Result
	parsed   address.Parsed
	email    string
	phone    string
	decision string
	rule     int // index of the deciding rule, -1 for the default
}

func (m *Matcher) compare(p *preparedIdentity, o identity.Owner, index, count int, sig Signals) ownerEval {
	var e ownerEval
	env := &e.env
	env.Signals = sig
	env.Owner = OwnerEnv{Count: count, Index: index}
	env.Identity = IdentityEnv{Company: p.id.Type == identity.Company, HasDBA: p.id.DBA != "", HasAddress: p.hasAddr}

	if o.Name != "" {
		e.name = p.name.Compare(o.Name)
		env.Name = NameEnv{Present: true, Score: e.name.Score, Facts: e.name.Facts}
	}
	if o.RawAddress != "" {
		if p.hasAddr {
			// The identity's city, state and ZIP choose among the readings
			// of a string without separators (ST LOUIS, FORT WORTH).
			e.parsed = address.ParseNear(o.RawAddress, p.address)
			e.address = address.Compare(p.address, e.parsed)
			env.Address = AddressEnv{Present: true, Score: e.address.Score, Facts: e.address.Facts}
		} else {
			e.parsed = address.Parse(o.RawAddress)
		}
	}
	e.email = normalizeEmail(o.Email)
	if p.email != "" && e.email != "" {
		s := emailScore(p.email, e.email)
		env.Email = ContactEnv{Present: true, Score: s, Match: s == 100}
	}
	e.phone = normalizePhone(o.Phone)
	if p.phone != "" && e.phone != "" {
		s := phoneScore(p.phone, e.phone)
		env.Phone = ContactEnv{Present: true, Score: s, Match: s == 100}
	}
	env.Score = m.overall(env)
	e.decision, e.rule = m.decide(env)
	return e
}

// overall is the weighted mean of the scores both sides have.
func (m *Matcher) overall(env *Env) int {
	w := m.policy.Weights
	var sum, total float64
	add := func(present bool, score int, weight float64) {
		if present {
			sum += float64(score) * weight
			total += weight
		}
	}
	add(env.Name.Present, env.Name.Score, w.Name)
	add(env.Address.Present, env.Address.Score, w.Address)
	add(env.Email.Present, env.Email.Score, w.Email)
	add(env.Phone.Present, env.Phone.Score, w.Phone)
	if total == 0 {
		return 0
	}
	return int(sum/total + 0.5)
}

// decider is a VM with an Env of its own: conditions get the Env as an
// interface, so handing them a pointer into the caller's ownerEval would
// move each whole comparison to the heap.
type decider struct {
	vm  vm.VM
	env Env
}

var deciderPool = sync.Pool{New: func() any { return new(decider) }}

// decide runs the ordered policy: the first rule whose condition holds.
func (m *Matcher) decide(env *Env) (string, int) {
	// One VM for the whole policy: a pool round trip per rule costs more
	// than most conditions.
	d := deciderPool.Get().(*decider)
	defer deciderPool.Put(d)
	d.env = *env
	for i := range m.rules {
		out, err := d.vm.Run(m.rules[i].program, &d.env)
		if err != nil {
			// Conditions are type-checked at load; a runtime error is a bug
			// in a condition (e.g. a nil access) and must not pass anyone.
			return Review, i
		}
		if ok, _ := out.(bool); ok {
			return m.rules[i].Decision, i
		}
	}
	return m.policy.Default.Decision, -1
}

var rank = map[string]int{Fail: 0, Review: 1, Pass: 2}

// better reports whether a beats b as the owner that counts: the better
// decision, then the better name, then the better overall score.
func better(a, b *ownerEval) bool {
	if rank[a.decision] != rank[b.decision] {
		return rank[a.decision] > rank[b.decision]
	}
	if a.env.Name.Score != b.env.Name.Score {
		return a.env.Name.Score > b.env.Name.Score
	}
	return a.env.Score > b.env.Score
}

// Evaluate compares the identity with every owner and decides on the best.
// With no owners the result is Unverifiable: there is nothing to compare.
func (m *Matcher) Evaluate(id identity.Identity, owners []identity.Owner) Result {
	return m.EvaluateWith(id, owners, Signals{})
}

// EvaluateWith is Evaluate with the account's reuse signals.
func (m *Matcher) EvaluateWith(id identity.Identity, owners []identity.Owner, sig Signals) Result {
	p := m.prepare(id)
	return m.evaluate(&p, owners, sig, nil)
}

// evaluate compares the prepared identity with each owner, showing each
// comparison to visit (explain) when set, and decides on the best owner.
func (m *Matcher) evaluate(p *preparedIdentity, owners []identity.Owner, sig Signals, visit func(i int, o identity.Owner, e ownerEval)) Result {
	if len(owners) == 0 {
		return Result{Decision: Unverifiable, Owner: -1, Flags: map[string]bool{}, Reasons: []string{"the account has no owners to compare"}, Rule: "no_owners", Ruleset: m.version, Digest: m.digest}
	}
	var best ownerEval
	bestIndex := -1
	for i, o := range owners {
		e := m.compare(p, o, i, len(owners), sig)
		if visit != nil {
			visit(i, o, e)
		}
		if bestIndex < 0 || better(&e, &best) {
			best, bestIndex = e, i
		}
	}
	return m.result(&best, bestIndex)
}

// flagsOf is the verdict's flags: the true facts of the comparisons both
// sides have. The names are gathered first so the map is sized once
// rather than grown while filled.
func flagsOf(env *Env) map[string]bool {
	var buf [32]string
	names := buf[:0]
	if env.Name.Present {
		names = appendFlags(names, &env.Name.Facts, nameFactFields)
	}
	if env.Address.Present {
		names = appendFlags(names, &env.Address.Facts, addressFactFields)
	}
	if env.Email.Present && env.Email.Match {
		names = append(names, "email_match")
	}
	if env.Phone.Present && env.Phone.Match {
		names = append(names, "phone_match")
	}
	flags := make(map[string]bool, len(names))
	for _, n := range names {
		flags[n] = true
	}
	return flags
}

func (m *Matcher) result(e *ownerEval, index int) Result {
	r := Result{
		Decision: e.decision,
		Owner:    index,
		Flags:    flagsOf(&e.env),
		Reasons:  make([]string, 0, usualReasons),
		Ruleset:  m.version,
		Digest:   m.digest,
	}
	env := &e.env
	if env.Name.Present {
		r.Scores.Name = intPtr(env.Name.Score)
		r.Reasons = append(r.Reasons, names.Reasons(env.Name.Facts)...)
	} else {
		r.Reasons = append(r.Reasons, "the owner has no name")
	}
	if env.Address.Present {
		r.Scores.Address = intPtr(env.Address.Score)
		r.Reasons = append(r.Reasons, address.Reasons(env.Address.Facts)...)
	}
	if env.Email.Present {
		r.Scores.Email = intPtr(env.Email.Score)
		if env.Email.Match {
			r.Reasons = append(r.Reasons, "email matches")
		} else {
			r.Reasons = append(r.Reasons, "email differs (neutral on its own)")
		}
	}
	if env.Phone.Present {
		r.Scores.Phone = intPtr(env.Phone.Score)
		if env.Phone.Match {
			r.Reasons = append(r.Reasons, "phone matches")
		} else {
			r.Reasons = append(r.Reasons, "phone differs (neutral on its own)")
		}
	}
	if e.rule >= 0 {
		rule := m.rules[e.rule]
		r.Rule = rule.Name
		r.Reasons = append(r.Reasons, e.decision+" by rule "+rule.Name+": "+rule.Reason)
	} else {
		r.Rule = "default"
		r.Reasons = append(r.Reasons, e.decision+" by default: "+m.policy.Default.Reason)
	}
	return r
}

// usualReasons is the capacity a verdict's reasons start with, so the
// list (name, address, contacts, the deciding rule) is not regrown while
// built; more only costs a regrowth.
const usualReasons = 12

func intPtr(v int) *int { return &v }
