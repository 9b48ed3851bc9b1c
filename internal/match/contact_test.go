package match

import "testing"

func TestEmail(t *testing.T) {
	tests := []struct {
		a, b string
		want int
		src  string
	}{
		{"Jane.Doe@Example.com", "jane.doe@example.com", 100, "case (issue 2)"},
		{"jane+bank@example.com", "jane@example.com", 100, "plus-tag (issue 2)"},
		{"j.a.n.e@gmail.com", "jane@googlemail.com", 100, "gmail ignores dots; googlemail alias"},
		{"j.ane@example.com", "jane@example.com", 0, "dots matter outside gmail"},
		{"jdoe@work.com", "jdoe@home.net", 60, "same local part, other domain: support, not proof"},
		{"a@x.com", "b@x.com", 0, "different mailbox"},
	}
	for _, tt := range tests {
		if got := emailScore(normalizeEmail(tt.a), normalizeEmail(tt.b)); got != tt.want {
			t.Errorf("%s: emailScore(%q, %q) = %d, want %d", tt.src, tt.a, tt.b, got, tt.want)
		}
	}
}

func TestPhone(t *testing.T) {
	tests := []struct {
		a, b string
		want int
		src  string
	}{
		{"+1 (415) 555-0134", "4155550134", 100, "formatting and +1 (issue 2)"},
		{"1-415-555-0134", "415.555.0134", 100, "leading 1"},
		{"001 415 555 0134", "4155550134", 100, "international prefix"},
		{"628-555-0134", "415-555-0134", 60, "other area code"},
		{"415-555-0135", "415-555-0134", 0, "other number"},
		{"12345", "12345", 0, "too short to compare"},
	}
	for _, tt := range tests {
		if got := phoneScore(normalizePhone(tt.a), normalizePhone(tt.b)); got != tt.want {
			t.Errorf("%s: phoneScore(%q, %q) = %d, want %d", tt.src, tt.a, tt.b, got, tt.want)
		}
	}
}
