package match

import (
	"strings"
	"testing"
)

// Rule errors speak the rule files' language: no Go type names, and the
// nearest field or threshold for a misspelling, still at file:line:col
// (issue 10, "The analyst").
func TestConditionErrorsSuggest(t *testing.T) {
	tests := []struct {
		when string
		want string
	}{
		{"name.scor > 3", "name has no field scor (did you mean name.score?)"},
		{"address.postal_cod_conflict", "address has no field postal_cod_conflict (did you mean address.postal_code_conflict?)"},
		{"phone.mach", "phone has no field mach (did you mean phone.match?)"},
		{"email.mach", "email has no field mach (did you mean email.match?)"},
		{"owner.cnt > 1", "owner has no field cnt (did you mean owner.count?)"},
		{"nme.score > 3", "unknown name nme (did you mean name?)"},
		{"typo", "unknown name typo (did you mean name.typo?)"},
		{"name.score > thresholds.strong_nme", "did you mean thresholds.strong_name?"},
		{"name.zzzzzzzz", "name has no field zzzzzzzz"},
		{"identity", "expected bool, but got identity"},
	}
	for _, tt := range tests {
		t.Run(tt.when, func(t *testing.T) {
			dir := copyRules(t, policyFile, func(s string) string {
				return strings.Replace(s, "when: name.suffix_conflict", "when: "+tt.when, 1)
			})
			_, err := Load(dir)
			if err == nil {
				t.Fatal("loaded")
			}
			msg := err.Error()
			if !position.MatchString(strings.Split(msg, "\n")[0]) {
				t.Errorf("not file:line:col: %q", msg)
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q lacks %q", msg, tt.want)
			}
			if strings.Contains(msg, "match.") || strings.Contains(msg, "Env") {
				t.Errorf("error shows a Go type: %q", msg)
			}
			if strings.Contains(tt.want, "zzzz") && strings.Contains(msg, "did you mean") {
				t.Errorf("suggested a far name: %q", msg)
			}
		})
	}
}
