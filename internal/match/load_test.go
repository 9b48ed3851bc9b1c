package match

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ownercheck/ownercheck/internal/testutil/rulestest"
)

// copyRules writes the repository rules to a temp dir, applying edit to
// file, so each test starts from the rules that ship.
var copyRules = rulestest.Copy

func TestDefaultRulesLoad(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatalf("embedded rules do not load: %v", err)
	}
	if m.Version() == "" || !strings.HasPrefix(m.Digest(), "sha256:") {
		t.Fatalf("version %q digest %q", m.Version(), m.Digest())
	}
	if len(m.rules) != len(m.Policy().Rules) {
		t.Fatalf("compiled %d of %d rules", len(m.rules), len(m.Policy().Rules))
	}
}

var position = regexp.MustCompile(`^(.+):(\d+):(\d+): (.+)$`)

// Each broken rule file must be refused with file:line:col and a message
// naming the problem (issue 2: "Errors are refused with file:line:col").
func TestLoadErrorsArePlaced(t *testing.T) {
	tests := []struct {
		name, file, old, new string
		wantLine             int // 0: any line
		wantMsg              string
	}{
		{"misspelt field in a condition", policyFile, "when: name.suffix_conflict", "when: name.sufix_conflict", 0, "sufix_conflict"},
		{"unknown threshold", policyFile, "name.score < thresholds.partial_name\n", "name.score < thresholds.partal_name\n", 0, `unknown threshold "partal_name"`},
		{"condition not boolean", policyFile, "when: name.suffix_conflict", "when: name.score", 0, "bool"},
		{"bad decision", policyFile, "decision: fail\n    reason: JR/SR", "decision: reject\n    reason: JR/SR", 0, `decision must be one of pass, review, fail (got "reject")`},
		{"unknown key", policyFile, "  - name: weak_name\n", "  - name: weak_name\n    whn: true\n", 0, "unknown field"},
		{"yaml syntax", policyFile, "thresholds:\n", "thresholds: [\n", 0, ""},
		{"duplicate rule name", policyFile, "name: weak_name", "name: fiduciary_role", 0, "unique"},
		{"name bands out of order", policyFile, "partial_name: 60", "partial_name: 90", 0, "0 < partial_name < strong_name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyRules(t, tt.file, func(s string) string {
				if !strings.Contains(s, tt.old) {
					t.Fatalf("fixture text %q not in %s", tt.old, tt.file)
				}
				return strings.Replace(s, tt.old, tt.new, 1)
			})
			_, err := Load(dir)
			if err == nil {
				t.Fatal("broken rules loaded")
			}
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error %v is not a *LoadError", err)
			}
			first := strings.Split(err.Error(), "\n")[0]
			m := position.FindStringSubmatch(first)
			if m == nil {
				t.Fatalf("error %q is not file:line:col: message", first)
			}
			if m[1] != filepath.Join(dir, tt.file) {
				t.Errorf("file %q, want %q", m[1], filepath.Join(dir, tt.file))
			}
			if m[2] == "0" {
				t.Errorf("no line in %q", first)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tt.wantMsg)
			}
		})
	}
}

func TestLoadErrorLineOfCondition(t *testing.T) {
	dir := copyRules(t, policyFile, func(s string) string {
		return strings.Replace(s, "when: name.suffix_conflict", "when: name.suffix_conflict and adress.score > 1", 1)
	})
	_, err := Load(dir)
	if err == nil {
		t.Fatal("loaded")
	}
	src, _ := os.ReadFile(filepath.Join(dir, policyFile))
	wantLine := 0
	for i, l := range strings.Split(string(src), "\n") {
		if strings.Contains(l, "adress.score") {
			wantLine = i + 1
			col := strings.Index(l, "adress") + 1
			want := filepath.Join(dir, policyFile) + ":" + itoa(wantLine) + ":" + itoa(col) + ":"
			if !strings.HasPrefix(err.Error(), want) {
				t.Fatalf("error %q, want prefix %q (the column of the unknown name)", err, want)
			}
		}
	}
	if wantLine == 0 {
		t.Fatal("edit not applied")
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestMissingFile(t *testing.T) {
	dir := copyRules(t, "", nil)
	os.Remove(filepath.Join(dir, nicknamesFile))
	_, err := Load(dir)
	if err == nil || !strings.Contains(err.Error(), nicknamesFile) {
		t.Fatalf("error %v does not name the missing file", err)
	}
}

func TestDigestChangesWithAnyFile(t *testing.T) {
	a, err := Load(copyRules(t, "", nil))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load(copyRules(t, namesFile, func(s string) string { return s + "\n# a comment\n" }))
	if err != nil {
		t.Fatal(err)
	}
	if a.Digest() == b.Digest() {
		t.Fatal("editing names.yaml did not change the digest")
	}
	def, _ := Default()
	if def.Digest() != a.Digest() {
		t.Fatal("the same files gave another digest")
	}
}

// A reload with a broken file keeps the old rules serving (standards: "a bad
// rule reload keeps the old rules serving").
func TestStoreReloadKeepsOldRules(t *testing.T) {
	dir := copyRules(t, "", nil)
	s, err := NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	before := s.Current()
	p := filepath.Join(dir, policyFile)
	src, _ := os.ReadFile(p)
	os.WriteFile(p, []byte(strings.Replace(string(src), "name.suffix_conflict", "name.nope", 1)), 0o644)
	if err := s.Reload(); err == nil {
		t.Fatal("bad reload succeeded")
	}
	if s.Current() != before || s.LastReloadError() == nil {
		t.Fatal("bad reload replaced the rules or forgot its error")
	}
	os.WriteFile(p, []byte(strings.Replace(string(src), `version: "`, `version: "x`, 1)), 0o644)
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if s.Current() == before || !strings.HasPrefix(s.Current().Version(), "x") || s.LastReloadError() != nil {
		t.Fatal("good reload did not take effect")
	}
}

// Signals are type-checked like every other field: a misspelt one, or one
// compared with a string, is refused at load with file:line:col.
func TestSignalConditionsTypeChecked(t *testing.T) {
	for _, bad := range []string{"signals.identities_per_acount_30d > 1", `signals.accounts_per_identity_1d == "2"`} {
		dir := copyRules(t, policyFile, func(s string) string {
			return strings.Replace(s, "when: signals.identities_per_account_30d > 1", "when: "+bad, 1)
		})
		_, err := Load(dir)
		if err == nil || !regexp.MustCompile(regexp.QuoteMeta(filepath.Join(dir, policyFile))+`:\d+:\d+: rule "account_reused"`).MatchString(err.Error()) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// The name comparer's own bands follow policy.yaml's thresholds (issue 8:
// an analyst who edits them must not silently diverge from the code).
func TestNameBandsComeFromPolicy(t *testing.T) {
	const name, dba, owner = "Acme Widgets LLC", "Sunrise Bakery", "SUNRISE BAKRY" // a DBA with one typo: 92
	for _, tt := range []struct {
		strong  string
		wantDBA bool
	}{{"85", true}, {"95", false}} {
		dir := copyRules(t, policyFile, func(s string) string {
			return strings.Replace(s, "strong_name: 85", "strong_name: "+tt.strong, 1)
		})
		m, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		r := m.names.Compare("company", name, dba, owner)
		if r.Score <= 85 || r.Score >= 95 {
			t.Fatalf("score %d is not between the two bands tried", r.Score)
		}
		if r.Facts.DBAMatch != tt.wantDBA {
			t.Errorf("strong_name %s: dba_match %v, want %v (score %d)", tt.strong, r.Facts.DBAMatch, tt.wantDBA, r.Score)
		}
	}
}

// Entries of names.yaml that the name matcher refuses are placed at the
// entry itself (file:line:col), as policy errors are: an abbreviation of
// several words whose variant is not one word or already means something
// else, a series word of two words, an empty leading bank note.
func TestNamesErrorsArePlacedAtTheEntry(t *testing.T) {
	tests := []struct{ name, old, new, wantMsg string }{
		{"abbreviation of several words, variant of two", "high school: [hs]", "high school: [h s]", "must be a single word"},
		{"abbreviation of several words, variant taken", "credit union: [cu]", "credit union: [grp]", `already an abbreviation of "GROUP"`},
		{"abbreviation of several words, variant a legal form", "credit union: [cu]", "credit union: [co]", "already a legal form"},
		{"series word of two words", "series_words: [series,", "series_words: [sub fund,", "must be a single word"},
		{"empty leading note", "leading: [attn,", "leading: [' ',", "empty entry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyRules(t, namesFile, func(s string) string {
				if !strings.Contains(s, tt.old) {
					t.Fatalf("fixture text %q not in %s", tt.old, namesFile)
				}
				return strings.Replace(s, tt.old, tt.new, 1)
			})
			_, err := Load(dir)
			if err == nil {
				t.Fatal("broken rules loaded")
			}
			src, _ := os.ReadFile(filepath.Join(dir, namesFile))
			wantLine := 0
			for i, l := range strings.Split(string(src), "\n") {
				if strings.Contains(l, tt.new) {
					wantLine = i + 1
				}
			}
			m := position.FindStringSubmatch(strings.Split(err.Error(), "\n")[0])
			if m == nil || m[1] != filepath.Join(dir, namesFile) || m[2] != itoa(wantLine) || m[3] == "0" {
				t.Fatalf("error %q is not placed at %s:%d:col", err, namesFile, wantLine)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tt.wantMsg)
			}
		})
	}
}
