package sandbox

import (
	"encoding/json"
	"io/fs"
	"sort"
	"strings"
	"testing"

	"github.com/ownercheck/ownercheck/fixtures"
	"github.com/ownercheck/ownercheck/internal/identity"
	"github.com/ownercheck/ownercheck/internal/match"
)

// Each sandbox institution gets, under the repo's rules, the decision
// fixtures/sandbox/README.md documents for it (the "expect" of each
// account, per identity of identities.json): the walk-through and the
// service's tests rely on these.
func TestInstitutionsGetTheirDocumentedDecisions(t *testing.T) {
	m, err := match.Default()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := fs.ReadFile(fixtures.Sandbox, "sandbox/identities.json")
	if err != nil {
		t.Fatal(err)
	}
	var ids map[string]identity.Identity
	if err := json.Unmarshal(raw, &ids); err != nil {
		t.Fatal(err)
	}
	for name, id := range ids {
		if err := id.Validate(name); err != nil {
			t.Fatalf("identity %s: %v", name, err)
		}
	}
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, inst := range e.Institutions() {
		for i, acct := range inst.Accounts {
			keys := make([]string, 0, len(acct.Expect))
			for k := range acct.Expect {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, who := range keys {
				want := acct.Expect[who]
				id, ok := ids[who]
				if !ok {
					t.Errorf("%s[%d]: no identity %q in identities.json", inst.ID, i, who)
					continue
				}
				got := m.Evaluate(id, acct.Owners)
				checked++
				if got.Decision != want {
					t.Errorf("%s[%d] for %s: %s (rule %s: %s), documented %s", inst.ID, i, who, got.Decision, got.Rule, strings.Join(got.Reasons, "; "), want)
				}
			}
		}
	}
	if checked < 15 {
		t.Fatalf("only %d documented decisions checked", checked)
	}
}

// The README's table lists every institution.
func TestReadmeListsEveryInstitution(t *testing.T) {
	readme, err := fs.ReadFile(fixtures.Sandbox, "sandbox/README.md")
	if err != nil {
		t.Fatal(err)
	}
	e, _ := New(Config{})
	for _, inst := range e.Institutions() {
		if !strings.Contains(string(readme), "| `"+inst.ID+"` |") {
			t.Errorf("README.md has no row for %s", inst.ID)
		}
	}
}

// `ownercheck sandbox --gen-input` rows get the decision GeneratedRow
// documents under the repo's rules, and every outcome occurs in a short
// run (a demo of 10 rows shows all four).
func TestGeneratedRowsMixEveryOutcome(t *testing.T) {
	m, err := match.Default()
	if err != nil {
		t.Fatal(err)
	}
	e, _ := New(Config{})
	seen := map[string]int{}
	for n := 0; n < 400; n++ {
		account, id, want := GeneratedRow(n)
		if err := id.Validate("identity"); err != nil {
			t.Fatalf("row %d: %v", n, err)
		}
		e.mu.Lock()
		a := e.account(account)
		e.mu.Unlock()
		if a == nil {
			t.Fatalf("row %d: no account %s", n, account)
		}
		got := "unverifiable"
		if a.Status == "active" {
			got = m.Evaluate(id, a.owners).Decision
		}
		if got != want {
			t.Errorf("row %d (%s): %s, documented %s", n, account, got, want)
		}
		if n < 10 {
			seen[got]++
		}
	}
	if len(seen) != 4 {
		t.Errorf("the first 10 rows give %v; want pass, review, fail and unverifiable", seen)
	}
}
