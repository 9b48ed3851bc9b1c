package fc

import (
	"strings"

	"github.com/ownercheck/ownercheck/internal/apperr"
)

// Prefixes of the Stripe ids ownercheck takes from callers and events.
const (
	PrefixSession   = "fcsess_"
	PrefixAccount   = "fca_"
	PrefixCustomer  = "cus_"
	PrefixOwnership = "fcaowns_"
)

// MaxIDLength is Stripe's documented upper bound for object ids.
const MaxIDLength = 255

// ValidID reports whether s has the shape of a Stripe id with prefix: the
// prefix, then only ASCII letters, digits and '_', at most MaxIDLength
// bytes. Ids end up in URLs, logs and error messages, so anything else
// (spaces, quotes, slashes, dots, control characters, megabytes) is refused
// before use. '_' is kept because the sandbox's generated accounts
// (fca_gen_<n>_owners<k>, fixtures/sandbox/README.md) use it; it is as
// harmless in a path or a log line as a letter.
func ValidID(prefix, s string) bool {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok || rest == "" || len(s) > MaxIDLength {
		return false
	}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
			return false
		}
	}
	return true
}

// CheckID is ValidID as a 400 naming field (what names the id in messages,
// e.g. "accounts[2]", defaults to field).
func CheckID(field, what, prefix, s string) error {
	if ValidID(prefix, s) {
		return nil
	}
	if what == "" {
		what = field
	}
	return apperr.Invalidf(field, "%s must be a Stripe id: %q followed by letters, digits or _, at most %d characters", what, prefix+"…", MaxIDLength)
}
