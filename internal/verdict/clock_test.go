package verdict

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/sandbox"
)

// Snapshots are ordered by when their state was true: an event's created
// (Stripe's clock) against a read's time. A replica whose clock runs 5s
// ahead of Stripe's read an account as active; Stripe then deactivated it
// (2s later, by Stripe's clock) and the event was stored before the read
// was. Timed by the replica's clock the read looked 2s newer than the
// event and replaced it: the account stayed active until the snapshot's
// TTL. Timed by Stripe's clock (the response's Date), the event wins.
func TestEventAfterAReadWinsWhateverTheReplicasClock(t *testing.T) {
	emu, err := sandbox.New(sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	const id = "fca_gen_7"
	var s *Service
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && accountPath(r) == id {
			// Served now (Stripe's clock); the deactivation at now+2s is
			// stored first.
			rec := httptest.NewRecorder()
			emu.ServeHTTP(rec, r.Clone(r.Context()))
			a, err := fc.AccountFromJSON(rec.Body.Bytes())
			if err != nil {
				t.Error(err)
			}
			a.Status = fc.AccountInactive
			if err := s.RecordAccount(r.Context(), a, time.Now().Add(2*time.Second)); err != nil {
				t.Error(err)
			}
		}
		emu.ServeHTTP(w, r)
	}))
	defer srv.Close()
	client, err := fc.NewStripe(fc.StripeConfig{SecretKey: "sk_test_x", APIBase: srv.URL, RPS: 100})
	if err != nil {
		t.Fatal(err)
	}
	m, err := match.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := cache.NewMemory()
	s = New(Config{FC: client, Rules: &staticRules{m: m}, Cache: c, Secret: []byte("k"),
		Now: func() time.Time { return time.Now().Add(5 * time.Second) }})
	ctx := context.Background()
	if _, err := s.VerifyAccount(ctx, id, jane, Options{Refresh: RefreshNever}); err != nil {
		t.Fatal(err)
	}
	b, _, _ := c.Get(ctx, s.snapshotKey(id))
	if sn, ok := decodeSnapshot(b); !ok || sn.Status != fc.AccountInactive {
		t.Fatalf("stored snapshot %+v (%v), want the later event's inactive state", sn, ok)
	}
}

// accountPath is the fca_ id a request to the accounts API names.
func accountPath(r *http.Request) string {
	const p = "/v1/financial_connections/accounts/"
	if len(r.URL.Path) <= len(p) || r.URL.Path[:len(p)] != p {
		return ""
	}
	return r.URL.Path[len(p):]
}
