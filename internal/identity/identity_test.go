package identity

import (
	"strings"
	"testing"

	"github.com/ownercheck/ownercheck/internal/apperr"
)

// Each bad identity names its field with the caller's JSON path (standards:
// "4xx with the offending field named").
func TestValidateNamesTheField(t *testing.T) {
	long := strings.Repeat("x", 300)
	tests := []struct {
		id    Identity
		param string
	}{
		{Identity{Name: "A"}, "identity.type"},
		{Identity{Type: "person", Name: "A"}, "identity.type"},
		{Identity{Type: Individual}, "identity.name"},
		{Identity{Type: Individual, Name: long}, "identity.name"},
		{Identity{Type: Individual, Name: "A", DBA: "B"}, "identity.dba"},
		{Identity{Type: Individual, Name: "A", Address: &Address{PostalCode: long}}, "identity.address.postal_code"},
		{Identity{Type: Individual, Name: "A", Email: "not-an-email"}, "identity.email"},
		{Identity{Type: Individual, Name: "A", Phone: "12"}, "identity.phone"},
	}
	for _, tt := range tests {
		err := tt.id.Validate("identity")
		e, ok := apperr.As(err)
		if !ok || e.Kind != apperr.KindInvalid || e.Param != tt.param {
			t.Errorf("%+v: err %v, want param %s", tt.id, err, tt.param)
		}
	}
	ok := Identity{Type: Company, Name: "Acme LLC", DBA: "Acme Widgets", Email: "ap@acme.example", Phone: "+1 (217) 555-0100",
		Address: &Address{Line1: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62704"}}
	if err := ok.Validate("identity"); err != nil {
		t.Fatalf("valid identity refused: %v", err)
	}
}

// From the attack session after issue 9: a wrong type came back in the
// message verbatim (60 KB of it, or a name put in the wrong field). No
// error message repeats what was submitted.
func TestValidateDoesNotEchoInput(t *testing.T) {
	secret := "Jane Doe jane.doe@example.com " + strings.Repeat("x", 150)
	for _, id := range []Identity{
		{Type: secret, Name: "A"},
		{Type: Individual, Name: "A", Email: secret},
		{Type: Individual, Name: "A", Phone: secret},
		{Type: Individual, Name: secret + strings.Repeat("y", 300)},
	} {
		err := id.Validate("identity")
		if err == nil {
			t.Fatalf("%+v accepted", id)
		}
		if strings.Contains(err.Error(), "Jane") || strings.Contains(err.Error(), "example.com") {
			t.Errorf("the error repeats the input: %q", err)
		}
	}
}

// The fingerprint ignores case and spacing (same person, same cache entry)
// but not content.
func TestFingerprint(t *testing.T) {
	a := Identity{Type: Individual, Name: "Jane  Doe", Email: "Jane@Example.com"}
	b := Identity{Type: Individual, Name: "JANE DOE", Email: "jane@example.com", Address: &Address{}}
	c := Identity{Type: Individual, Name: "Jane Doe", Email: "jane@example.com", Phone: "2175550100"}
	if a.Fingerprint() != b.Fingerprint() {
		t.Error("case, spacing or an empty address changed the fingerprint")
	}
	if a.Fingerprint() == c.Fingerprint() {
		t.Error("a phone did not change the fingerprint")
	}
}
