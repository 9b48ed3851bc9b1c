package match_test

import (
	"path/filepath"
	"testing"

	"github.com/ownercheck/ownercheck/internal/evalcases"
)

// labeledCases reads every labeled case of fixtures/cases: the tests that
// check a property of the matcher on all of them.
func labeledCases(t *testing.T) []evalcases.Case {
	t.Helper()
	paths, err := filepath.Glob("../../fixtures/cases/*.jsonl")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no labeled cases found (%v)", err)
	}
	cases, err := evalcases.ReadFiles(paths)
	if err != nil || len(cases) == 0 {
		t.Fatalf("no labeled cases read (%v)", err)
	}
	return cases
}
