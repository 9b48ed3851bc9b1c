package app

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/testutil/rulestest"
)

// stricter sends "name and address agree" to review instead of pass.
func stricter(policy string) string {
	policy = strings.Replace(policy, `version: "`, `version: "shadow-`, 1)
	return strings.Replace(policy, "    decision: pass\n    reason: name and address agree", "    decision: review\n    reason: name and address agree", 1)
}

// TestShadowRulesEndToEnd: a stricter shadow ruleset disagrees with the
// live rules on a pass; the disagreement is counted (metric and
// /admin/shadow, cache hits included) and logged without PII while the
// live answer stays pass; a broken shadow file is reported in /readyz
// behind the key and live verdicts go on.
func TestShadowRulesEndToEnd(t *testing.T) {
	dir := rulestest.Copy(t, "policy.yaml", stricter)
	cfg := baseConfig(t)
	cfg.ShadowRulesDir = dir
	logs := &syncBuffer{}
	a := start(t, cfg, logs)
	c := &client{t: t, base: "http://" + a.Addr(), http: &http.Client{Timeout: 20 * time.Second}}
	auth := []string{"Authorization", "Bearer " + apiKey}

	var body string
	t.Run("disagreement counted and logged, live unchanged", func(t *testing.T) {
		c.t = t
		s := c.authed("/v1/sessions", `{"customer":{"email":"shadow@example.com","name":"Customer"}}`)
		session, _ := s.body["session"].(string)
		c.link(session, "good")
		body = `{"session":"` + session + `","identity":` + janeJSON + `}`
		_, r := c.decide(body)
		again := c.authed("/v1/verdicts", body)
		for _, v := range []reply{r, again} {
			if v.status != 200 || v.body["decision"] != "pass" || v.account(0)["rule"] != "corroborated_by_address" {
				t.Fatalf("live verdict changed: %d %s", v.status, v.raw)
			}
		}
		if again.account(0)["cached"] != true {
			t.Errorf("the repeat was not cached: %s", again.raw)
		}
		sum := c.do("GET", "/admin/shadow", "", nil, auth...)
		if sum.status != 200 || sum.body["loaded"] != true || sum.body["disagreements"] != float64(2) || sum.body["verdicts"] != float64(2) {
			t.Fatalf("summary: %d %s", sum.status, sum.raw)
		}
		if !strings.Contains(sum.raw, `"live":"pass","shadow":"review"`) || !strings.Contains(sum.raw, `"live":"corroborated_by_address","shadow":"corroborated_by_address"`) {
			t.Errorf("summary pairs: %s", sum.raw)
		}
		if r := c.do("GET", "/admin/shadow", "", nil); r.status != 401 {
			t.Errorf("/admin/shadow without a key: %d", r.status)
		}
		metrics := c.do("GET", "/metrics", "", nil)
		if !strings.Contains(metrics.raw, `ownercheck_shadow_verdicts_total{live="pass",shadow="review"} 2`) {
			t.Errorf("metric missing:\n%s", grepLines(metrics.raw, "shadow"))
		}
		id, _ := again.body["id"].(string)
		var line string
		for _, l := range strings.Split(logs.String(), "\n") {
			if strings.Contains(l, "shadow rules disagree") && strings.Contains(l, id) {
				line = l
			}
		}
		if !strings.HasPrefix(id, "vrd_") || line == "" {
			t.Fatalf("no disagreement logged for verdict %q:\n%s", id, grepLines(logs.String(), "shadow"))
		}
		for _, want := range []string{`"live_decision":"pass"`, `"shadow_decision":"review"`, `"shadow_ruleset":"shadow-`, `"live_ruleset":"`} {
			if !strings.Contains(line, want) {
				t.Errorf("log line lacks %s: %s", want, line)
			}
		}
		if term := findPII(line, piiTerms(t)); term != "" {
			t.Errorf("log line holds %q: %s", term, line)
		}
	})

	t.Run("broken shadow file: readyz behind the key, live goes on", func(t *testing.T) {
		c.t = t
		if err := os.WriteFile(filepath.Join(dir, "policy.yaml"), []byte("version: \"x\"\nrules:\n  - name: bad\n    when: name.scor > 1\n    decision: pass\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if r := c.authed("/admin/reload", ``); r.status != 200 {
			t.Fatalf("live reload failed because of the shadow file: %d %s", r.status, r.raw)
		}
		r := c.do("GET", "/readyz", "", nil, auth...)
		sh, _ := r.body["shadow"].(map[string]any)
		if r.status != 200 || !strings.Contains(fmtAny(sh["error"]), "policy.yaml:4:") {
			t.Errorf("readyz with a key: %d %s", r.status, r.raw)
		}
		if r := c.do("GET", "/readyz", "", nil); r.status != 200 || r.body["shadow"] != nil {
			t.Errorf("readyz without a key shows the shadow: %s", r.raw)
		}
		if v := c.authed("/v1/verdicts", strings.Replace(body, `"identity"`, `"fresh":true,"identity"`, 1)); v.status != 200 || v.body["decision"] != "pass" {
			t.Errorf("live verdict with a broken shadow file: %d %s", v.status, v.raw)
		}
	})

	t.Run("broken at start: live serves", func(t *testing.T) {
		cfg := baseConfig(t)
		cfg.ShadowRulesDir = filepath.Join(t.TempDir(), "missing")
		b := start(t, cfg, &syncBuffer{})
		r := (&client{t: t, base: "http://" + b.Addr(), http: &http.Client{Timeout: 5 * time.Second}}).do("GET", "/readyz", "", nil, auth...)
		sh, _ := r.body["shadow"].(map[string]any)
		if r.status != 200 || sh["loaded"] != false || sh["error"] == nil {
			t.Errorf("readyz: %d %s", r.status, r.raw)
		}
	})
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func fmtAny(v any) string {
	s, _ := v.(string)
	return s
}
