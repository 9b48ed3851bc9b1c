package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v79"
	"github.com/stripe/stripe-go/v79/webhook"

	"github.com/ownercheck/ownercheck/internal/fc"
)

func start(t *testing.T, cfg Config, scfg fc.StripeConfig) (*Emulator, *fc.Stripe) {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	scfg.SecretKey, scfg.APIBase = "sk_test_sandbox", srv.URL
	if scfg.RPS == 0 {
		scfg.RPS = 1000
	}
	c, err := fc.NewStripe(scfg)
	if err != nil {
		t.Fatal(err)
	}
	return e, c
}

// The whole flow the service runs, through stripe-go: customer, session,
// link, pending refresh, succeeded refresh, owners.
func TestFlowThroughStripeGo(t *testing.T) {
	ctx := context.Background()
	e, c := start(t, Config{PendingFor: 50 * time.Millisecond}, fc.StripeConfig{})
	cus, err := c.CreateCustomer(ctx, fc.CreateCustomerParams{Email: "a@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckCustomer(ctx, cus); err != nil {
		t.Fatal(err)
	}
	if err := c.CheckCustomer(ctx, "cus_nope"); !errors.Is(err, fc.ErrNotFound) {
		t.Fatalf("unknown customer: %v", err)
	}
	sess, err := c.CreateSession(ctx, fc.CreateSessionParams{Customer: cus})
	if err != nil || sess.ClientSecret == "" {
		t.Fatalf("session %+v %v", sess, err)
	}
	ids, err := e.Link(sess.ID, "joint")
	if err != nil || len(ids) != 1 {
		t.Fatal(ids, err)
	}
	got, err := c.GetSession(ctx, sess.ID)
	if err != nil || len(got.Accounts) != 1 || got.Accounts[0] != ids[0] {
		t.Fatalf("session accounts %+v %v", got, err)
	}
	a, err := c.GetAccount(ctx, ids[0])
	if err != nil || a.Refresh == nil || a.Refresh.Status != fc.RefreshPending || a.OwnershipID != "" {
		t.Fatalf("fresh account %+v %v", a, err)
	}
	time.Sleep(80 * time.Millisecond)
	a, err = c.GetAccount(ctx, ids[0])
	if err != nil || a.Refresh.Status != fc.RefreshSucceeded || a.OwnershipID == "" || a.Refresh.NextAvailableAt.IsZero() {
		t.Fatalf("refreshed account %+v %v", a, err)
	}
	owners, err := c.ListOwners(ctx, a.ID, a.OwnershipID)
	if err != nil || len(owners) != 1 || owners[0].Name != "JOHN DOE AND JANE DOE" {
		t.Fatalf("owners %+v %v", owners, err)
	}
	a, err = c.RefreshOwnership(ctx, a.ID)
	if err != nil || a.Refresh.Status != fc.RefreshPending {
		t.Fatalf("refresh %+v %v", a, err)
	}
}

func TestGeneratedAccounts(t *testing.T) {
	ctx := context.Background()
	_, c := start(t, Config{PendingFor: 20 * time.Millisecond}, fc.StripeConfig{})
	a, err := c.GetAccount(ctx, "fca_gen_42")
	if err != nil || a.Refresh.Status != fc.RefreshSucceeded {
		t.Fatal(a, err)
	}
	owners, err := c.ListOwners(ctx, a.ID, a.OwnershipID)
	if err != nil || owners[0] != GeneratedOwner(42) {
		t.Fatal(owners, err)
	}
	a, err = c.RefreshOwnership(ctx, "fca_gen_7_pendingfail")
	if err != nil || a.Refresh.Status != fc.RefreshPending {
		t.Fatal(a, err)
	}
	time.Sleep(40 * time.Millisecond)
	a, _ = c.GetAccount(ctx, "fca_gen_7_pendingfail")
	if a.Refresh.Status != fc.RefreshFailed {
		t.Fatalf("pendingfail ended %s", a.Refresh.Status)
	}
	if _, err := c.GetAccount(ctx, "fca_nope"); !errors.Is(err, fc.ErrNotFound) {
		t.Fatalf("unknown account: %v", err)
	}
}

// Rate-limit 429s are retried by our transport (stripe-go would not), and
// a persistent 500 ends in a retryable *fc.Error.
func TestRetries(t *testing.T) {
	ctx := context.Background()
	var calls atomic.Int64
	_, c := start(t, Config{Fault: func(r *http.Request) *Fault {
		n := calls.Add(1)
		if r.URL.Path == "/v1/financial_connections/accounts/fca_gen_1" && n <= 2 {
			return &Fault{Status: 429, RetryAfter: 0}
		}
		if r.URL.Path == "/v1/financial_connections/accounts/fca_gen_2" {
			return &Fault{Status: 500}
		}
		return nil
	}}, fc.StripeConfig{MaxRetries: 3, MaxBackoff: 20 * time.Millisecond, RateLimitWait: time.Millisecond})
	if _, err := c.GetAccount(ctx, "fca_gen_1"); err != nil {
		t.Fatalf("429s not retried: %v", err)
	}
	if st := c.Stats(); st.RateLimited != 2 || st.Retries < 2 {
		t.Fatalf("stats %+v", st)
	}
	_, err := c.GetAccount(ctx, "fca_gen_2")
	var se *fc.Error
	if !errors.As(err, &se) || !se.Retryable || se.Status != 500 {
		t.Fatalf("persistent 500: %#v", err)
	}
}

// The sandbox enforces its rate limit like Stripe; the client's limiter
// keeps under it.
func TestRateLimit(t *testing.T) {
	ctx := context.Background()
	e, c := start(t, Config{RPS: 50, RateLimitRetryAfter: 20 * time.Millisecond},
		fc.StripeConfig{RPS: 1000, MaxBackoff: 50 * time.Millisecond, MaxRetries: 10, RateLimitWait: time.Millisecond})
	for i := 0; i < 30; i++ {
		if _, err := c.GetAccount(ctx, "fca_gen_1"); err != nil {
			t.Fatal(err)
		}
	}
	if e.Stats().RateLimited == 0 {
		t.Fatal("a client 20x faster than the limit was never limited")
	}
}

// A POST whose response is lost is retried by the client with the same
// Idempotency-Key; the emulator, like Stripe, answers the retry from its
// record, so exactly one customer exists.
func TestLostResponseRetriedSafely(t *testing.T) {
	ctx := context.Background()
	var dropped atomic.Bool
	e, c := start(t, Config{Fault: func(r *http.Request) *Fault {
		if r.Method == http.MethodPost && r.URL.Path == "/v1/customers" && dropped.CompareAndSwap(false, true) {
			return &Fault{DropResponse: true}
		}
		return nil
	}}, fc.StripeConfig{MaxRetries: 2, MaxBackoff: time.Millisecond})
	id, err := c.CreateCustomer(ctx, fc.CreateCustomerParams{Email: "a@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if !dropped.Load() {
		t.Fatal("the fault never fired")
	}
	e.mu.Lock()
	n := len(e.customers)
	e.mu.Unlock()
	if n != 1 || e.Stats().Replayed != 1 {
		t.Fatalf("%d customers, %d replays after one lost response; want 1 and 1 (id %s)", n, e.Stats().Replayed, id)
	}
	if err := c.CheckCustomer(ctx, id); err != nil {
		t.Fatalf("the replayed id is not the customer: %v", err)
	}
}

// Stripe's idempotency rules on the wire: same key and parameters replay
// the first answer; same key, other parameters is an idempotency_error.
func TestIdempotencyKeyRules(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	post := func(key, email string) (*httptest.ResponseRecorder, map[string]any) {
		r := httptest.NewRequest(http.MethodPost, "/v1/customers", strings.NewReader(url.Values{"email": {email}}.Encode()))
		r.Header.Set("Authorization", "Bearer sk_test_x")
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Idempotency-Key", key)
		w := httptest.NewRecorder()
		e.ServeHTTP(w, r)
		var body map[string]any
		json.Unmarshal(w.Body.Bytes(), &body)
		return w, body
	}
	w1, b1 := post("k1", "a@example.com")
	w2, b2 := post("k1", "a@example.com")
	if w1.Code != 200 || w2.Code != 200 || b1["id"] != b2["id"] || w2.Header().Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %v / %d %v %v", w1.Code, b1, w2.Code, b2, w2.Header())
	}
	w3, b3 := post("k1", "b@example.com")
	if errObj, _ := b3["error"].(map[string]any); w3.Code != 400 || errObj["type"] != "idempotency_error" {
		t.Fatalf("reuse with other params: %d %v", w3.Code, b3)
	}
	if _, b4 := post("k2", "a@example.com"); b4["id"] == b1["id"] {
		t.Fatal("a new key must create a new customer")
	}
}

// Owners are paged like Stripe's lists; the client must read every page
// (the matching owner of fca_gen_<n>_owners<k> is the last one).
func TestOwnersArePaged(t *testing.T) {
	ctx := context.Background()
	_, c := start(t, Config{}, fc.StripeConfig{})
	a, err := c.GetAccount(ctx, "fca_gen_3_owners250")
	if err != nil {
		t.Fatal(err)
	}
	owners, err := c.ListOwners(ctx, a.ID, a.OwnershipID)
	if err != nil || len(owners) != 250 || owners[249] != GeneratedOwner(3) {
		t.Fatalf("%d owners, %v", len(owners), err)
	}
	for _, bad := range []string{"fca_gen_3_owners0", "fca_gen_3_owners501", "fca_gen_03", "fca_gen_3_other"} {
		if _, err := c.GetAccount(ctx, bad); !errors.Is(err, fc.ErrNotFound) {
			t.Errorf("%s: %v, want not found", bad, err)
		}
	}
}

// A session embeds its first 10 accounts; the client lists the rest.
func TestSessionWithManyAccounts(t *testing.T) {
	ctx := context.Background()
	e, c := start(t, Config{}, fc.StripeConfig{})
	cus, _ := c.CreateCustomer(ctx, fc.CreateCustomerParams{Email: "a@example.com"})
	sess, err := c.CreateSession(ctx, fc.CreateSessionParams{Customer: cus})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := 0; i < 12; i++ {
		ids, err := e.Link(sess.ID, "good")
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, ids...)
	}
	got, err := c.GetSession(ctx, sess.ID)
	if err != nil || strings.Join(got.Accounts, ",") != strings.Join(want, ",") {
		t.Fatalf("accounts %v, want %v (%v)", got.Accounts, want, err)
	}
}

// Errors look like Stripe's: JSON {"error":{type,code,message,param}} with
// the headers a client decides on.
func TestErrorShapes(t *testing.T) {
	e, err := New(Config{RPS: 1})
	if err != nil {
		t.Fatal(err)
	}
	do := func(auth, path string) (*httptest.ResponseRecorder, map[string]any) {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		w := httptest.NewRecorder()
		e.ServeHTTP(w, r)
		var body struct {
			Error map[string]any `json:"error"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Fatalf("%s: not JSON: %s", path, w.Body)
		}
		return w, body.Error
	}
	w, body := do("", "/v1/financial_connections/accounts/fca_gen_1")
	if w.Code != 401 || body["type"] != "invalid_request_error" {
		t.Errorf("no key: %d %v", w.Code, body)
	}
	e, _ = New(Config{RPS: 1})
	w, body = do("Bearer pk_test_x", "/v1/financial_connections/accounts/fca_gen_1")
	if w.Code != 401 {
		t.Errorf("publishable key: %d %v", w.Code, body)
	}
	// RPS 1, burst 1: the request above used the token.
	w, body = do("Bearer sk_test_x", "/v1/financial_connections/accounts/fca_nope")
	if w.Code != 429 || w.Header().Get("Retry-After") == "" || w.Header().Get("Stripe-Should-Retry") != "" || body["code"] != "rate_limit" {
		t.Errorf("over the limit: %d %v %v", w.Code, w.Header(), body)
	}
	e2, _ := New(Config{})
	e = e2
	w, body = do("Bearer sk_test_x", "/v1/financial_connections/accounts/fca_nope")
	if w.Code != 404 || body["code"] != "resource_missing" || body["type"] != "invalid_request_error" || body["message"] == "" {
		t.Errorf("unknown account: %d %v", w.Code, body)
	}
	w, body = do("Bearer sk_test_x", "/v1/financial_connections/accounts/fca_gen_1/owners")
	if w.Code != 400 || body["param"] != "ownership" {
		t.Errorf("owners without ownership: %d %v", w.Code, body)
	}
}

// The link page lists the institutions; submitting one links its accounts
// and, once the refresh is over, a webhook signed like Stripe's (API
// version 2024-06-20) arrives; a disconnected institution sends
// .disconnected.
func TestLinkPageAndSignedWebhooks(t *testing.T) {
	const secret = "whsec_test"
	events := make(chan stripe.Event, 10)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ev, err := webhook.ConstructEventWithOptions(body, r.Header.Get("Stripe-Signature"), secret, webhook.ConstructEventOptions{})
		if err != nil {
			t.Errorf("webhook does not verify: %v", err)
			w.WriteHeader(400)
			return
		}
		events <- ev
	}))
	defer hook.Close()
	e, c := start(t, Config{PendingFor: 20 * time.Millisecond, WebhookURL: hook.URL, WebhookSecret: secret}, fc.StripeConfig{})
	ctx := context.Background()
	cus, _ := c.CreateCustomer(ctx, fc.CreateCustomerParams{Email: "a@example.com"})
	sess, _ := c.CreateSession(ctx, fc.CreateSessionParams{Customer: cus})

	page := httptest.NewRecorder()
	e.ServeHTTP(page, httptest.NewRequest(http.MethodGet, "/link/"+sess.ID, nil))
	for _, inst := range e.Institutions() {
		if page.Code != 200 || !strings.Contains(page.Body.String(), `value="`+inst.ID+`"`) {
			t.Fatalf("link page lacks %s (%d)", inst.ID, page.Code)
		}
	}
	missing := httptest.NewRecorder()
	e.ServeHTTP(missing, httptest.NewRequest(http.MethodGet, "/link/fcsess_nope", nil))
	if missing.Code != 404 {
		t.Errorf("unknown session page: %d", missing.Code)
	}

	link := func(inst string) []string {
		r := httptest.NewRequest(http.MethodPost, "/link/"+sess.ID, strings.NewReader("institution="+inst))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Accept", "application/json")
		w := httptest.NewRecorder()
		e.ServeHTTP(w, r)
		var out struct{ Accounts []string }
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || w.Code != 200 || len(out.Accounts) == 0 {
			t.Fatalf("linking %s: %d %s", inst, w.Code, w.Body)
		}
		return out.Accounts
	}
	good := link("good")[0]
	ev := waitEvent(t, events)
	if ev.Type != "financial_connections.account.created" || ev.Data.Object["id"] != good || ev.Request == nil || ev.Request.ID != "" {
		t.Fatalf("first event %s for %v (request %+v); want .created with a null request", ev.Type, ev.Data.Object["id"], ev.Request)
	}
	ev = waitEvent(t, events)
	if ev.Type != "financial_connections.account.refreshed_ownership" || ev.APIVersion != "2024-06-20" || ev.Data.Object["id"] != good {
		t.Fatalf("event %s %s %v", ev.Type, ev.APIVersion, ev.Data.Object["id"])
	}
	if ref, _ := ev.Data.Object["ownership_refresh"].(map[string]any); ref["status"] != "succeeded" {
		t.Errorf("refreshed event carries %v", ev.Data.Object["ownership_refresh"])
	}
	gone := link("disconnected")[0]
	if ev = waitEvent(t, events); ev.Type != "financial_connections.account.created" {
		t.Fatalf("event %s; want .created first", ev.Type)
	}
	ev = waitEvent(t, events)
	if ev.Type != "financial_connections.account.disconnected" || ev.Data.Object["id"] != gone {
		t.Fatalf("event %s for %v", ev.Type, ev.Data.Object["id"])
	}
	if a, err := c.GetAccount(ctx, gone); err != nil || a.Status != fc.AccountDisconnected {
		t.Fatalf("disconnected account: %+v %v", a, err)
	}
}

func waitEvent(t *testing.T, events chan stripe.Event) stripe.Event {
	t.Helper()
	select {
	case ev := <-events:
		return ev
	case <-time.After(5 * time.Second): // a hang guard, not a timing assertion
		t.Fatal("no webhook")
		return stripe.Event{}
	}
}

// curl -u sk_test_…: works like against Stripe.
func TestBasicAuth(t *testing.T) {
	e, _ := New(Config{})
	r := httptest.NewRequest(http.MethodGet, "/v1/financial_connections/accounts/fca_gen_1", nil)
	r.SetBasicAuth("sk_test_x", "")
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"id":"fca_gen_1"`) {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
}

// The contract: any sk_test_ key, as Bearer (stripe-go) or Basic user
// (curl -u); anything else, a live key included, is Stripe's 401.
func TestAuthKeys(t *testing.T) {
	e, _ := New(Config{})
	for _, tc := range []struct {
		name string
		set  func(r *http.Request)
		want int
	}{
		{"bearer test key", func(r *http.Request) { r.Header.Set("Authorization", "Bearer sk_test_abc") }, 200},
		{"live key refused", func(r *http.Request) { r.Header.Set("Authorization", "Bearer sk_live_abc") }, 401},
		{"no key", func(r *http.Request) {}, 401},
		{"publishable key refused", func(r *http.Request) { r.SetBasicAuth("pk_test_abc", "") }, 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/v1/financial_connections/accounts/fca_gen_1", nil)
			tc.set(r)
			w := httptest.NewRecorder()
			e.ServeHTTP(w, r)
			if w.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.want, w.Body)
			}
			if tc.want == 401 && !strings.Contains(w.Body.String(), `"type":"invalid_request_error"`) {
				t.Errorf("not Stripe's error shape: %s", w.Body)
			}
		})
	}
}

// What the verdict path reads in one call, through stripe-go: the session
// with its accounts' ownership expanded, the account with its ownership
// expanded (owners inline; more than a page of owners says has_more),
// account_holder and permissions.
func TestExpandedOwnership(t *testing.T) {
	ctx := context.Background()
	e, c := start(t, Config{PendingFor: 10 * time.Millisecond}, fc.StripeConfig{})
	cus, _ := c.CreateCustomer(ctx, fc.CreateCustomerParams{Email: "a@example.com"})
	sess, err := c.CreateSession(ctx, fc.CreateSessionParams{Customer: cus})
	if err != nil {
		t.Fatal(err)
	}
	ids, _ := e.Link(sess.ID, "joint")
	time.Sleep(30 * time.Millisecond)
	got, err := c.GetSession(ctx, sess.ID)
	if err != nil || got.Holder.Customer != cus || len(got.AccountData) != 1 {
		t.Fatalf("session %+v %v", got, err)
	}
	a := got.AccountData[0]
	if a.ID != ids[0] || a.Holder != (fc.AccountHolder{Type: "customer", Customer: cus}) || !a.HasPermission("ownership") ||
		!a.OwnersInline || !a.OwnersComplete || len(a.Owners) != 1 || a.Owners[0].Name != "JOHN DOE AND JANE DOE" {
		t.Fatalf("session account %+v", a)
	}
	before := e.Stats().Requests
	a, err = c.GetAccount(ctx, "fca_gen_5")
	if err != nil || !a.OwnersInline || !a.OwnersComplete || a.Owners[0] != GeneratedOwner(5) || a.Holder.Customer != GeneratedCustomer(5) {
		t.Fatalf("account %+v %v", a, err)
	}
	if n := e.Stats().Requests - before; n != 1 {
		t.Fatalf("an account with its owners took %d requests", n)
	}
	a, err = c.GetAccount(ctx, "fca_gen_5_owners25")
	if err != nil || !a.OwnersInline || a.OwnersComplete || len(a.Owners) != inlineOwners {
		t.Fatalf("25 owners: inline %v complete %v %d owners, %v", a.OwnersInline, a.OwnersComplete, len(a.Owners), err)
	}
}
