package fc

import (
	"strings"
	"testing"
)

// Issue 9 item 8: "fcsess_ followed by anything" reached the logs.
func TestValidID(t *testing.T) {
	cases := []struct {
		prefix, id string
		ok         bool
	}{
		{PrefixSession, "fcsess_1MwVK82eZvKYlo2C", true},
		{PrefixAccount, "fca_1MwVK82eZvKYlo2Cjw3LjAZk", true},
		{PrefixAccount, "fca_gen_7_owners3", true}, // the sandbox's generated accounts
		{PrefixCustomer, "cus_NffrFeUfNV2Hib", true},
		{PrefixOwnership, "fcaowns_1MwVK82eZvKYlo2C", true},
		{PrefixAccount, "1MwVK82eZvKYlo2C", false}, // no prefix
		{PrefixAccount, "fca_" + strings.Repeat("a", MaxIDLength-4), true},
		{PrefixAccount, "fca_" + strings.Repeat("a", MaxIDLength-3), false},
		{PrefixAccount, "fca_", false},
		{PrefixSession, "fcsess_x\n{\"level\":\"ERROR\"}", false},
		{PrefixSession, "fcsess_../../v1/customers", false},
		{PrefixSession, "fcsess_jane doe", false},
		{PrefixSession, "fcsess_jane@example.com", false},
		{PrefixSession, "fcsess_é", false},
		{PrefixAccount, "FCA_1", false},
		{PrefixAccount, "acct_1", false},
		{PrefixCustomer, "cus_1%2F", false},
	}
	for _, tc := range cases {
		if got := ValidID(tc.prefix, tc.id); got != tc.ok {
			t.Errorf("ValidID(%q, %.40q) = %v", tc.prefix, tc.id, got)
		}
	}
	if err := CheckID("accounts", "accounts[1]", PrefixAccount, "fca_x y"); err == nil || !strings.Contains(err.Error(), "accounts[1]") || !strings.Contains(err.Error(), "(accounts)") {
		t.Errorf("CheckID: %v", err)
	}
}
