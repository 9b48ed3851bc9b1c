package verdict

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/rules"
)

// fakeShadow is a ShadowRules with function fields.
type fakeShadow struct {
	current func() *match.Matcher
	record  func(live, shadow *match.Result)
}

func (f fakeShadow) Current() *match.Matcher { return f.current() }
func (f fakeShadow) Record(_ context.Context, _, _ string, live *match.Result, _ *match.Matcher, shadow *match.Result) {
	f.record(live, shadow)
}

// loadEdited loads the repository rules with policy.yaml edited.
func loadEdited(t *testing.T, edit func(string) string) *match.Matcher {
	t.Helper()
	dir := t.TempDir()
	entries, _ := fs.ReadDir(rules.FS, ".")
	for _, e := range entries {
		b, _ := fs.ReadFile(rules.FS, e.Name())
		if e.Name() == "policy.yaml" {
			b = []byte(edit(string(b)))
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m, err := match.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Shadow rules that compare owners differently (other weights) are
// decided on their own comparison, made while the owners were in hand and
// cached with the verdict, so cache hits are shadowed too; a verdict cached
// before such shadow rules were loaded is skipped, not guessed. The live
// answer never changes.
func TestShadowOnCacheHits(t *testing.T) {
	w := newWorld("fca_1", "fca_2")
	w.inline = true
	// Weights change the overall score, so the comparison differs.
	sm := loadEdited(t, func(p string) string {
		p = strings.Replace(p, "  name: 0.55", "  name: 0.50", 1)
		return strings.Replace(p, "    decision: pass\n    reason: name and address agree", "    decision: review\n    reason: name and address agree", 1)
	})
	var on bool
	var got []string
	reg := prometheus.NewRegistry()
	s, _ := newService(t, w, cache.NewMemory(), func(c *Config) {
		c.Registerer = reg
		c.Shadow = fakeShadow{
			current: func() *match.Matcher {
				if on {
					return sm
				}
				return nil
			},
			record: func(live, shadow *match.Result) { got = append(got, live.Decision+">"+shadow.Decision) },
		}
	})
	def, _ := match.Default()
	if sm.CompareDigest() == def.CompareDigest() {
		t.Fatal("the edit did not change how owners are compared")
	}
	verifyFor(t, s, "fca_2", jane, "cus_jane") // cached before the shadow rules
	on = true
	for range 2 {
		if av := verifyFor(t, s, "fca_1", jane, "cus_jane"); av.Decision != match.Pass {
			t.Fatalf("live decision %s", av.Decision)
		}
	}
	if av := verifyFor(t, s, "fca_2", jane, "cus_jane"); !av.Cached || av.Decision != match.Pass {
		t.Fatalf("fca_2: %+v", av)
	}
	if strings.Join(got, ",") != "pass>review,pass>review" {
		t.Errorf("shadow records %v, want two (miss and hit of fca_1), none for fca_2", got)
	}
	if n := unlabelledValue(t, reg, "ownercheck_shadow_skipped_total"); n != 1 {
		t.Errorf("skipped %v, want 1", n)
	}
}
