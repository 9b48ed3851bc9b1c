package match_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/ownercheck/ownercheck/internal/evalcases"
	"github.com/ownercheck/ownercheck/internal/match"
)

var update = flag.Bool("update", false, "rewrite testdata/algorithm_golden.json")

const refreshCmd = "go test ./internal/match -run TestAlgorithmGolden -update"

// golden is the evaluation of every labeled case under the embedded rules,
// with the algorithm version and rule files it was computed by.
type golden struct {
	AlgorithmVersion string              `json:"algorithm_version"`
	RulesDigest      string              `json:"rules_digest"`
	Outcomes         []evalcases.Outcome `json:"outcomes"`
}

// TestAlgorithmGolden fails when scoring output changes while
// match.AlgorithmVersion stays the same: cached verdicts of the old code
// would then be served under the new code's digest.
func TestAlgorithmGolden(t *testing.T) {
	m, err := match.Default()
	if err != nil {
		t.Fatal(err)
	}
	cases := labeledCases(t)
	got := golden{AlgorithmVersion: match.AlgorithmVersion, RulesDigest: m.RulesDigest()}
	for i := range cases {
		got.Outcomes = append(got.Outcomes, evalcases.Evaluate(m, &cases[i]))
	}
	gotJSON, err := json.MarshalIndent(got, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "algorithm_golden.json")
	if *update {
		if err := os.WriteFile(path, append(gotJSON, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: create it with `%s`", err, refreshCmd)
	}
	var want golden
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("%s: %v; refresh it with `%s`", path, err, refreshCmd)
	}
	wantJSON, _ := json.MarshalIndent(want, "", " ")
	if bytes.Equal(gotJSON, wantJSON) {
		return
	}
	switch {
	case want.AlgorithmVersion == match.AlgorithmVersion && want.RulesDigest == m.RulesDigest():
		t.Fatalf("evaluation output changed but match.AlgorithmVersion is still %q: change it (cached verdicts of the old code would be served otherwise), then run `%s`; first difference: %s",
			match.AlgorithmVersion, refreshCmd, firstDiff(want.Outcomes, got.Outcomes))
	default:
		t.Fatalf("%s was made for algorithm %q and rules %s (now %q, %s): run `%s`",
			path, want.AlgorithmVersion, want.RulesDigest, match.AlgorithmVersion, m.RulesDigest(), refreshCmd)
	}
}

func firstDiff(want, got []evalcases.Outcome) string {
	for i := range min(len(want), len(got)) {
		w, _ := json.Marshal(want[i])
		g, _ := json.Marshal(got[i])
		if !bytes.Equal(w, g) {
			return "case " + got[i].ID + ": was " + string(w) + ", now " + string(g)
		}
	}
	return "the number of cases changed"
}

// The digest of a verdict changes with the algorithm version, not only
// with the rule files.
func TestAlgorithmVersionChangesDigest(t *testing.T) {
	m, err := match.Default()
	if err != nil {
		t.Fatal(err)
	}
	if m.Digest() != match.VerdictDigest(m.RulesDigest(), match.AlgorithmVersion) {
		t.Fatalf("Digest %s does not combine the rules digest with AlgorithmVersion", m.Digest())
	}
	if other := match.VerdictDigest(m.RulesDigest(), match.AlgorithmVersion+"-next"); other == m.Digest() {
		t.Fatalf("a new algorithm version keeps digest %s", other)
	}
	if m.Digest() == m.RulesDigest() {
		t.Fatal("the verdict digest is the rules digest alone")
	}
}
