package verdict

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/fc"
)

// The snapshot says active with stale ownership, so a refresh is started;
// but the account was deactivated meanwhile (its event lost or late) and
// Stripe refuses the refresh (400, account inactive, as the sandbox
// does). That is Stripe's state, not ownercheck's mistake: the account is
// read again and decided on what Stripe says (here unverifiable: inactive
// with stale ownership), where it used to be a 502 to the caller.
func TestRefusedRefreshDecidesOnTheAccountAsStripeHasIt(t *testing.T) {
	var logs bytes.Buffer
	w := newWorld()
	w.change("fca_1", func(a *fc.Account) { a.Refresh.LastAttemptedAt = now.Add(-60 * 24 * time.Hour) })
	s, _ := newService(t, w, cache.NewMemory(), func(c *Config) {
		f := w.fake()
		f.RefreshOwnershipFn = func(_ context.Context, id string) (*fc.Account, error) {
			w.refreshes.Add(1)
			return nil, &fc.Error{Op: "refreshing ownership of " + id, Status: 400, Type: fc.TypeInvalidRequestError, Code: "financial_connections_account_inactive"}
		}
		c.FC = f
		c.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	})
	record(t, s, w, "fca_1", now.Add(-time.Minute)) // the state before the deactivation
	w.change("fca_1", func(a *fc.Account) { a.Status = fc.AccountInactive })
	v, err := s.VerifyAccount(context.Background(), "fca_1", jane, Options{})
	if err != nil || v.Reason != "account_inactive" {
		t.Fatalf("%+v %v, want unverifiable (account_inactive) from the account read again", v, err)
	}
	if w.refreshes.Load() != 1 || w.getCalls.Load() != 1 {
		t.Errorf("%d refreshes, %d reads; want 1 and 1", w.refreshes.Load(), w.getCalls.Load())
	}
	if !strings.Contains(logs.String(), `"msg":"ownership refresh refused by Stripe`) || !strings.Contains(logs.String(), "financial_connections_account_inactive") {
		t.Errorf("the refusal is not logged: %s", logs.String())
	}
}
