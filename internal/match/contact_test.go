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
		{"none@none.com", "NONE@none.com", 0, "placeholder mailbox on both sides is not a match (adversarial probe, placeholder contact class)"},
		{"noemail@gmail.com", "noemail@gmail.com", 0, "placeholder local part at a real provider (adversarial probe)"},
		{"dana@mail.invalid", "dana@mail.invalid", 0, "reserved .invalid domain delivers nothing (RFC 2606)"},
		{"nonesuch@gmail.com", "nonesuch@gmail.com", 100, "a local part that only starts like a placeholder is a real mailbox"},
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
		{"000-000-0000", "0000000000", 0, "placeholder: one digit repeated (adversarial probe, placeholder contact class)"},
		{"(555) 555-5555", "555-555-5555", 0, "placeholder: one digit repeated"},
		{"123-456-7890", "+1 123 456 7890", 0, "placeholder: a run of digits"},
		{"987-654-3210", "9876543210", 0, "placeholder: a descending run"},
		{"512-000-0000", "5120000000", 0, "placeholder: subscriber number all zeros"},
		{"(512) 555-0100", "512 555 0100", 100, "an ordinary number still matches"},
		{"555-0100", "555 0100", 60, "a local number without area code is support, not a match (adversarial probe)"},
		{"+44 20 7946 0958", "020 7946 0958", 0, "a foreign number with and without its country code is left unmatched"},
		{"+44 20 7946 0958", "44 20 7946 0958", 100, "the same foreign number"},
	}
	for _, tt := range tests {
		if got := phoneScore(normalizePhone(tt.a), normalizePhone(tt.b)); got != tt.want {
			t.Errorf("%s: phoneScore(%q, %q) = %d, want %d", tt.src, tt.a, tt.b, got, tt.want)
		}
	}
}
