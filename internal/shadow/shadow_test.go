package shadow

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/rules"
)

func writeRules(t *testing.T, dir, version string) {
	t.Helper()
	entries, _ := fs.ReadDir(rules.FS, ".")
	for _, e := range entries {
		b, _ := fs.ReadFile(rules.FS, e.Name())
		if e.Name() == "policy.yaml" {
			b = []byte(strings.Replace(string(b), `version: "`, `version: "`+version+`-`, 1))
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A bad reload keeps the shadow rules and their summary and reports the
// error; a reload with other rules starts a new summary; a record made by
// rules no longer current is counted in the metric but not summarised.
func TestReloadAndSummary(t *testing.T) {
	dir := t.TempDir()
	writeRules(t, dir, "a")
	r := New(dir, nil, nil)
	a := r.Current()
	if a == nil || r.LastError() != nil {
		t.Fatalf("not loaded: %v", r.LastError())
	}
	live := &match.Result{Decision: match.Pass, Rule: "x", Ruleset: "live"}
	r.Record(context.Background(), "vrd_1", "fca_1", live, a, &match.Result{Decision: match.Review, Rule: "y"})
	r.Record(context.Background(), "vrd_2", "fca_1", live, a, &match.Result{Decision: match.Pass, Rule: "x"})
	if s := r.Summary(); s.Verdicts != 2 || s.Disagreements != 1 || len(s.Pairs) != 2 {
		t.Fatalf("summary %+v", s)
	}
	os.WriteFile(filepath.Join(dir, "policy.yaml"), []byte("version: [\n"), 0o644)
	if err := r.Reload(); err == nil || r.Current() != a {
		t.Fatalf("bad reload: %v", err)
	}
	if s := r.Summary(); s.Verdicts != 2 || !strings.Contains(s.Error, "policy.yaml:") {
		t.Fatalf("summary after a bad reload %+v", s)
	}
	writeRules(t, dir, "b")
	if err := r.Reload(); err != nil || r.Current() == a {
		t.Fatalf("good reload: %v", err)
	}
	r.Record(context.Background(), "vrd_3", "fca_1", live, a, &match.Result{Decision: match.Fail})
	if s := r.Summary(); s.Verdicts != 0 || s.Error != "" || !strings.HasPrefix(s.Ruleset, "b-") {
		t.Fatalf("summary after a new ruleset %+v", s)
	}
}
