package names

import (
	"strings"
	"testing"
)

// Issue 8: a firm filed as SURNAME, GIVEN, LAW OFFICES OF.
func TestUninvert(t *testing.T) {
	tests := []struct{ src, owner, identity, want string }{
		{"heading first when the identity reads so", "SMITH, JOHN A, LAW OFFICES OF", "LAW OFFICES OF MARY JONES", "LAW OFFICES OF JOHN A SMITH"},
		{"name first when the identity has no OF", "SMITH, JOHN, LAW OFFICES OF", "JOHN SMITH LAW OFFICES", "JOHN SMITH LAW OFFICES"},
		{"one name before the heading", "SMITH AND JONES, LAW OFFICE OF", "LAW OFFICE OF SMITH AND JONES", "LAW OFFICE OF SMITH AND JONES"},
		{"no heading: unchanged", "SMITH, JOHN, ESQ", "LAW OFFICES OF JOHN SMITH", "SMITH , JOHN , ESQ"},
		{"OF with nothing after the comma: unchanged", "SMITH , OF", "X OF Y", "SMITH , OF"},
	}
	for _, tt := range tests {
		got := strings.Join(uninvert(tokens(tt.owner), [][]string{tokens(tt.identity)}), " ")
		if got != tt.want {
			t.Errorf("%s: uninvert(%q) = %q, want %q", tt.src, tt.owner, got, tt.want)
		}
	}
}
