package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const twoCases = `{"id":"t-1","identity":{"type":"individual","name":"Robert Smith","address":{"line1":"12 Oak St","city":"Austin","state":"TX","postal_code":"78701"}},"owners":[{"name":"BOB SMITH","raw_address":"12 OAK STREET AUSTIN TX 78701"}],"expect":"pass"}

{"id":"t-2","identity":{"type":"individual","name":"Robert Smith"},"owners":[{"name":"MARY SMITH"}],"expect":"pass","note":"deliberately mislabeled: a different given name fails"}
`

func runCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := newRootCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err = cmd.Execute()
	return out.String(), errOut.String(), err
}

func writeCases(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "cases.jsonl")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The --json output is a contract other tools rely on (issue 2): exactly one
// object per case on stdout with these keys, summary on stderr.
func TestEvalJSONContract(t *testing.T) {
	p := writeCases(t, twoCases)
	stdout, stderr, err := runCmd(t, "eval", "--json", p)
	if err != nil {
		t.Fatalf("eval: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines on stdout, got %d:\n%s", len(lines), stdout)
	}
	for i, l := range lines {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal([]byte(l), &obj); err != nil {
			t.Fatalf("line %d not JSON: %v", i+1, err)
		}
		var keys []string
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if want := []string{"decision", "expect", "flags", "id", "owner", "reasons", "rule", "scores"}; !slices.Equal(keys, want) {
			t.Errorf("line %d keys %v, want %v", i+1, keys, want)
		}
		var scores map[string]*int
		json.Unmarshal(obj["scores"], &scores)
		for _, f := range []string{"name", "address", "email", "phone"} {
			if _, ok := scores[f]; !ok {
				t.Errorf("line %d: scores lacks %s", i+1, f)
			}
		}
		if i == 1 && scores["address"] != nil {
			t.Errorf("case without addresses has an address score: %s", obj["scores"])
		}
	}
	if !strings.Contains(stderr, "cases as expected") {
		t.Errorf("summary not on stderr: %q", stderr)
	}
}

func TestEvalStrict(t *testing.T) {
	p := writeCases(t, twoCases)
	stdout, _, err := runCmd(t, "eval", p)
	if err != nil {
		t.Fatalf("eval without --strict must exit 0 when it ran: %v", err)
	}
	if !strings.Contains(stdout, "MISS t-2") || !strings.Contains(stdout, "1/2 cases as expected") {
		t.Errorf("human output lacks the miss or the matrix:\n%s", stdout)
	}
	_, _, err = runCmd(t, "eval", "--strict", p)
	if ec, ok := err.(exitCode); !ok || ec != 1 {
		t.Fatalf("eval --strict with a miss: err %v, want exit 1", err)
	}
}

func TestEvalBadCaseNamesLine(t *testing.T) {
	p := writeCases(t, twoCases+`{"id":"t-3","identity":{"type":"person","name":"X"},"owners":[],"expect":"pass"}`+"\n")
	_, _, err := runCmd(t, "eval", p)
	if err == nil || !strings.Contains(err.Error(), p+":4:") || !strings.Contains(err.Error(), "identity.type") {
		t.Fatalf("error %v does not name file:line and field", err)
	}
}

func TestExplain(t *testing.T) {
	p := writeCases(t, twoCases)
	stdout, _, err := runCmd(t, "explain", p, "--id", "t-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"decision pass", "ROBERT", ">>>", "nickname_match"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("explain output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestRulesLintAndDiff(t *testing.T) {
	repoRules := filepath.Join("..", "..", "rules")
	if out, _, err := runCmd(t, "rules", "lint", repoRules); err != nil || !strings.Contains(out, "ok") {
		t.Fatalf("lint of repo rules: %v %s", err, out)
	}
	// A stricter copy: fail every case whose name is below 99.
	strict := t.TempDir()
	for _, f := range []string{"policy.yaml", "names.yaml", "nicknames.yaml"} {
		b, err := os.ReadFile(filepath.Join(repoRules, f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "policy.yaml" {
			b = []byte(strings.Replace(string(b), "rules:\n", "rules:\n  - name: exact_only\n    when: name.score < 99\n    decision: fail\n    reason: test\n", 1))
		}
		os.WriteFile(filepath.Join(strict, f), b, 0o644)
	}
	p := writeCases(t, twoCases)
	stdout, stderr, err := runCmd(t, "rules", "diff", repoRules, strict, p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "t-1") || !strings.Contains(stdout, "pass -> fail") || strings.Contains(stdout, "t-2") {
		t.Errorf("diff output wrong:\n%s", stdout)
	}
	if !strings.Contains(stderr, "1 of 2 cases change decision") {
		t.Errorf("diff summary wrong: %s", stderr)
	}
	os.WriteFile(filepath.Join(strict, "policy.yaml"), []byte("version: x\nrules: [\n"), 0o644)
	_, errOut, err := runCmd(t, "rules", "lint", strict)
	if ec, ok := err.(exitCode); !ok || ec != 1 || !strings.Contains(errOut, "policy.yaml:") {
		t.Fatalf("lint of broken rules: err %v, stderr %q", err, errOut)
	}
}

// strictRules copies the repository rules with a rule in front that fails
// every name below 99, keeping the version unless bump is set.
func strictRules(t *testing.T, bump bool) string {
	t.Helper()
	repoRules := filepath.Join("..", "..", "rules")
	dir := t.TempDir()
	for _, f := range []string{"policy.yaml", "names.yaml", "nicknames.yaml"} {
		b, err := os.ReadFile(filepath.Join(repoRules, f))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if f == "policy.yaml" {
			s = strings.Replace(s, "rules:\n", "rules:\n  - name: exact_only\n    when: name.score < 99\n    decision: fail\n    reason: test <b>markup</b>\n", 1)
			if bump {
				s = strings.Replace(s, `version: "`, `version: "bumped-`, 1)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, f), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRulesDiffVersionWarningAndStrict(t *testing.T) {
	repoRules := filepath.Join("..", "..", "rules")
	p := writeCases(t, twoCases)
	_, stderr, err := runCmd(t, "rules", "diff", repoRules, strictRules(t, false), p)
	if err != nil || !strings.Contains(stderr, "warning: the rule files differ") || !strings.Contains(stderr, "change version") {
		t.Fatalf("same version, changed rules: err %v, stderr %q", err, stderr)
	}
	_, stderr, err = runCmd(t, "rules", "diff", "--strict", repoRules, strictRules(t, true), p)
	if ec, ok := err.(exitCode); !ok || ec != 1 {
		t.Fatalf("diff --strict with a change: err %v, want exit 1", err)
	}
	if strings.Contains(stderr, "warning:") {
		t.Errorf("bumped version still warned: %q", stderr)
	}
	if _, _, err := runCmd(t, "rules", "diff", "--strict", repoRules, repoRules, p); err != nil {
		t.Fatalf("diff --strict without changes: %v", err)
	}
}

func TestExplainSeveralFiles(t *testing.T) {
	a := writeCases(t, twoCases)
	b := writeCases(t, `{"id":"t-9","identity":{"type":"individual","name":"Ann Lee"},"owners":[{"name":"ANN LEE"}],"expect":"pass"}`+"\n")
	stdout, _, err := runCmd(t, "explain", a, b, "--id", "t-9")
	if err != nil || !strings.Contains(stdout, "case t-9 ("+b+":1)") {
		t.Fatalf("explain across files: %v\n%s", err, stdout)
	}
	_, _, err = runCmd(t, "explain", a, b, "--id", "nope")
	if err == nil || !strings.Contains(err.Error(), `no case with id "nope"`) {
		t.Fatalf("missing id: %v", err)
	}
}

// Output keeps input order though cases are evaluated on several workers.
func TestEvalKeepsInputOrder(t *testing.T) {
	var sb strings.Builder
	var want []string
	for i := range 2000 {
		id := fmt.Sprintf("o-%04d", i)
		want = append(want, id)
		fmt.Fprintf(&sb, `{"id":%q,"identity":{"type":"individual","name":"Ann Lee"},"owners":[{"name":"ANN LEE"}],"expect":"pass"}`+"\n", id)
	}
	stdout, _, err := runCmd(t, "eval", "--json", writeCases(t, sb.String()))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var o struct{ ID string }
		if err := json.Unmarshal([]byte(l), &o); err != nil {
			t.Fatal(err)
		}
		got = append(got, o.ID)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("output order differs from input (%d lines)", len(got))
	}
}

// A case whose account has no owners can be labeled unverifiable; the matrix
// then shows that row.
func TestEvalExpectUnverifiable(t *testing.T) {
	p := writeCases(t, `{"id":"u-1","identity":{"type":"individual","name":"Ann Lee"},"owners":[],"expect":"unverifiable","note":"no ownership data"}`+"\n")
	stdout, _, err := runCmd(t, "eval", "--strict", p)
	if err != nil {
		t.Fatalf("eval --strict: %v\n%s", err, stdout)
	}
	if !strings.Contains(stdout, "ok   u-1") || !regexp.MustCompile(`(?m)^unverifiable\s+0\s+0\s+0\s+1$`).MatchString(stdout) {
		t.Errorf("unverifiable case not counted as a hit:\n%s", stdout)
	}
}

// A case may set the reuse signals: eval decides with them (the default
// account_reused rule sends the pass to review), explain shows them, and a
// bad count is refused with file:line.
func TestEvalAndExplainWithSignals(t *testing.T) {
	reused := strings.Replace(strings.SplitN(twoCases, "\n", 2)[0], `"expect":"pass"}`,
		`"expect":"review","signals":{"identities_per_account_1d":1,"identities_per_account_30d":2,"accounts_per_identity_1d":1,"accounts_per_identity_30d":1}}`, 1)
	p := writeCases(t, reused+"\n")
	stdout, _, err := runCmd(t, "eval", "--strict", "--json", p)
	if err != nil {
		t.Fatalf("eval: %v\n%s", err, stdout)
	}
	if !strings.Contains(stdout, `"rule":"account_reused"`) || !strings.Contains(stdout, `"decision":"review"`) {
		t.Errorf("eval with signals: %s", stdout)
	}
	stdout, _, err = runCmd(t, "explain", p, "--id", "t-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"signals (set by the case)", "identities_per_account 1d 1  30d 2", "available true", "by rule account_reused"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("explain output lacks %q:\n%s", want, stdout)
		}
	}
	bad := writeCases(t, strings.Replace(reused, `"identities_per_account_1d":1`, `"identities_per_account_1d":-1`, 1)+"\n")
	if _, _, err := runCmd(t, "eval", bad); err == nil || !strings.Contains(err.Error(), bad+":1:") || !strings.Contains(err.Error(), "signals") {
		t.Errorf("negative count: %v", err)
	}
	typo := writeCases(t, strings.Replace(reused, `"identities_per_account_1d"`, `"identities_per_acount_1d"`, 1)+"\n")
	if _, _, err := runCmd(t, "eval", typo); err == nil || !strings.Contains(err.Error(), typo+":1:") {
		t.Errorf("misspelt signal: %v", err)
	}
}
