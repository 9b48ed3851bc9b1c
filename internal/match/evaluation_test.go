package match_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/ownercheck/ownercheck/internal/match"
)

// A cached Evaluation (JSON round trip) decided with signals gives what
// EvaluateWith gives on the owners: the service can decide a cached verdict
// again when the signals change, without the owners. Cases: every labeled
// case in fixtures/cases, with and without reuse.
func TestDecideMatchesEvaluate(t *testing.T) {
	m, err := match.Default()
	if err != nil {
		t.Fatal(err)
	}
	cases := labeledCases(t)
	reused := match.Signals{IdentitiesPerAccount1d: 2, IdentitiesPerAccount30d: 3, AccountsPerIdentity1d: 1, AccountsPerIdentity30d: 1, Available: true}
	changed := 0
	for _, c := range cases {
		ev := m.Compare(c.Identity, c.Owners)
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		var back match.Evaluation
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		for _, sig := range []match.Signals{{}, reused} {
			want := m.EvaluateWith(c.Identity, c.Owners, sig)
			if got := m.Decide(back, sig); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s (%s:%d) signals %+v:\nDecide   %+v\nEvaluate %+v", c.ID, c.File, c.Line, sig, got, want)
			}
		}
		if m.EvaluateWith(c.Identity, c.Owners, reused).Decision != m.Evaluate(c.Identity, c.Owners).Decision {
			changed++
		}
	}
	// The default reuse rule sends passes to review: some cases must change.
	if changed == 0 {
		t.Error("reuse signals changed no decision under the default rules")
	}
}
