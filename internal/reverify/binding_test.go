package reverify

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/sandbox"
)

// A row that names a customer is bound to it, as the API's accounts form
// is: an account of another customer, or one Stripe does not know, is an
// error line (the same for both), never a verdict. Rows without a
// customer stay the operator's own, unbound list.
func TestRowCustomerBindsTheAccount(t *testing.T) {
	v, _ := setup(t, 0, 2000, nil)
	row := func(ref, account, customer string, n int) string {
		b, _ := json.Marshal(map[string]any{"ref": ref, "account": account, "customer": customer, "identity": sandbox.GeneratedIdentity(n)})
		return string(b)
	}
	cfg := quiet()
	cfg.NoRefresh = true
	cfg.Input = writeInput(t, "in.jsonl", []string{
		row("own", "fca_gen_1", sandbox.GeneratedCustomer(1), 1),
		row("other", "fca_gen_2", sandbox.GeneratedCustomer(1), 2),
		row("unknown", "fca_doesnotexist", sandbox.GeneratedCustomer(1), 3),
		genRow("unbound", "fca_gen_4", 4),
	})
	cfg.Output = filepath.Join(t.TempDir(), "out.jsonl")
	if _, err := Run(context.Background(), cfg, v); err != nil {
		t.Fatal(err)
	}
	out := readOutput(t, cfg.Output)
	for _, ref := range []string{"own", "unbound"} {
		if o := out[ref][0]; o.Status != "decided" || o.Error != nil {
			t.Errorf("%s: %+v %+v, want decided", ref, o, o.Error)
		}
	}
	other, unknown := out["other"][0], out["unknown"][0]
	if other.Status != StatusError || other.Error == nil || other.Error.Type != apperr.KindInvalid {
		t.Fatalf("another customer's account: %+v %+v, want an invalid_request error line", other, other.Error)
	}
	if unknown.Error == nil || unknown.Error.Type != other.Error.Type || unknown.Error.Code != other.Error.Code {
		t.Errorf("unknown account: %+v, want the error of another customer's account %+v", unknown.Error, other.Error)
	}
}
