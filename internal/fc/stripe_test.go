package fc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/identity"
)

// seen is one request as the test server received it.
type seen struct {
	Method, Path string
	Query        url.Values
	Form         url.Values
	Header       http.Header
}

// stub is an httptest Stripe: answer decides each response from the
// request and how many requests came before it.
type stub struct {
	mu   sync.Mutex
	reqs []seen
}

func (s *stub) requests() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.reqs...)
}

// newClient starts srv around answer and returns a client with tiny waits.
func newClient(t *testing.T, cfg StripeConfig, answer func(n int, r *http.Request, w http.ResponseWriter)) (*Stripe, *stub) {
	t.Helper()
	st := &stub{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		st.mu.Lock()
		n := len(st.reqs)
		st.reqs = append(st.reqs, seen{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Form: form, Header: r.Header.Clone()})
		st.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		answer(n, r, w)
	}))
	t.Cleanup(srv.Close)
	cfg.SecretKey, cfg.APIBase = "sk_test_unit", srv.URL
	if cfg.RPS == 0 {
		cfg.RPS = 1000
	}
	if cfg.MaxBackoff == 0 {
		cfg.MaxBackoff = 2 * time.Millisecond
	}
	c, err := NewStripe(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.rt.min429Wait = 0 // Stripe-like 1s floor would only slow the test down
	return c, st
}

func stripeErr(w http.ResponseWriter, status int, typ, code string) {
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"type": typ, "code": code, "message": "test " + code}})
}

const accountJSON = `{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"active",
 "ownership":"fcaowns_9","permissions":["ownership"],
 "ownership_refresh":{"status":"succeeded","last_attempted_at":1700000000,"next_refresh_available_at":1700003600}}`

// The wire format of each call: what Stripe's docs require for an
// ownership-only session, and what ownercheck's contract passes through.
func TestRequestsOnTheWire(t *testing.T) {
	ctx := context.Background()
	c, st := newClient(t, StripeConfig{}, func(n int, r *http.Request, w http.ResponseWriter) {
		switch {
		case r.URL.Path == "/v1/customers":
			io.WriteString(w, `{"id":"cus_1","object":"customer"}`)
		case r.URL.Path == "/v1/financial_connections/sessions":
			io.WriteString(w, `{"id":"fcsess_1","object":"financial_connections.session","client_secret":"sec","livemode":false,
				"accounts":{"object":"list","data":[],"has_more":false}}`)
		case strings.HasSuffix(r.URL.Path, "/refresh"):
			io.WriteString(w, `{"id":"fca_1","object":"financial_connections.account","status":"active",
				"ownership_refresh":{"status":"pending","last_attempted_at":1700000000,"next_refresh_available_at":null}}`)
		default:
			io.WriteString(w, accountJSON)
		}
	})
	if id, err := c.CreateCustomer(ctx, CreateCustomerParams{Email: "j@example.com", Name: "Jane", IdempotencyKey: "idem-cus"}); err != nil || id != "cus_1" {
		t.Fatalf("CreateCustomer = %q, %v", id, err)
	}
	sess, err := c.CreateSession(ctx, CreateSessionParams{Customer: "cus_1", ReturnURL: "https://example.com/back", IdempotencyKey: "idem-sess"})
	if err != nil || sess.ID != "fcsess_1" || sess.ClientSecret != "sec" {
		t.Fatalf("CreateSession = %+v, %v", sess, err)
	}
	a, err := c.RefreshOwnership(ctx, "fca_1")
	if err != nil || a.Refresh == nil || a.Refresh.Status != RefreshPending || !a.Refresh.NextAvailableAt.IsZero() {
		t.Fatalf("RefreshOwnership = %+v, %v", a, err)
	}
	a, err = c.GetAccount(ctx, "fca_1")
	if err != nil {
		t.Fatal(err)
	}
	// ServedAt is the response's Date (Stripe's clock), whole seconds.
	if d := time.Since(a.ServedAt); d < 0 || d > time.Minute || a.ServedAt.Nanosecond() != 0 {
		t.Errorf("ServedAt %v, want the response's Date", a.ServedAt)
	}
	want := Account{ID: "fca_1", Status: AccountActive, OwnershipID: "fcaowns_9", Permissions: []string{"ownership"},
		Refresh:  &Refresh{Status: RefreshSucceeded, LastAttemptedAt: time.Unix(1700000000, 0).UTC(), NextAvailableAt: time.Unix(1700003600, 0).UTC()},
		ServedAt: a.ServedAt}
	if !reflect.DeepEqual(*a, want) {
		t.Errorf("GetAccount = %+v %+v, want %+v %+v", *a, *a.Refresh, want, *want.Refresh)
	}

	reqs := st.requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests, want 4", len(reqs))
	}
	cases := []struct {
		name string
		got  string
		want string
	}{
		{"customer email", reqs[0].Form.Get("email"), "j@example.com"},
		{"customer idempotency key passed through", reqs[0].Header.Get("Idempotency-Key"), "idem-cus"},
		{"session holder type (ownercheck issue: account_holder[type]=customer)", reqs[1].Form.Get("account_holder[type]"), "customer"},
		{"session holder customer", reqs[1].Form.Get("account_holder[customer]"), "cus_1"},
		{"session permissions = [ownership] only", strings.Join(reqs[1].Form["permissions[0]"], ",") + "|" + reqs[1].Form.Get("permissions[1]"), "ownership|"},
		{"session prefetch = [ownership]", reqs[1].Form.Get("prefetch[0]") + "|" + reqs[1].Form.Get("prefetch[1]"), "ownership|"},
		{"session return_url", reqs[1].Form.Get("return_url"), "https://example.com/back"},
		{"session filters: US", reqs[1].Form.Get("filters[countries][0]") + "|" + reqs[1].Form.Get("filters[countries][1]"), "US|"},
		{"session filters: checking and savings by default", reqs[1].Form.Get("filters[account_subcategories][0]") + "," +
			reqs[1].Form.Get("filters[account_subcategories][1]") + "|" + reqs[1].Form.Get("filters[account_subcategories][2]"), "checking,savings|"},
		{"session idempotency key passed through", reqs[1].Header.Get("Idempotency-Key"), "idem-sess"},
		{"refresh path", reqs[2].Method + " " + reqs[2].Path, "POST /v1/financial_connections/accounts/fca_1/refresh"},
		{"refresh features = [ownership]", reqs[2].Form.Get("features[0]") + "|" + reqs[2].Form.Get("features[1]"), "ownership|"},
		{"refresh has an idempotency key (stripe-go or ours)", strconv.FormatBool(reqs[2].Header.Get("Idempotency-Key") != ""), "true"},
		{"account path", reqs[3].Method + " " + reqs[3].Path, "GET /v1/financial_connections/accounts/fca_1"},
		{"auth", reqs[3].Header.Get("Authorization"), "Bearer sk_test_unit"},
		{"API version pinned by stripe-go v79", reqs[3].Header.Get("Stripe-Version"), "2024-06-20"},
	}
	for _, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}

// ListOwners follows has_more/starting_after through every page, passing
// the ownership id on each.
func TestListOwnersPages(t *testing.T) {
	const total = 230 // three pages of 100
	c, st := newClient(t, StripeConfig{}, func(n int, r *http.Request, w http.ResponseWriter) {
		start := 0
		if after := r.URL.Query().Get("starting_after"); after != "" {
			start, _ = strconv.Atoi(strings.TrimPrefix(after, "fcaown_"))
			start++
		}
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		var data []map[string]any
		for i := start; i < total && len(data) < limit; i++ {
			data = append(data, map[string]any{"id": fmt.Sprintf("fcaown_%d", i), "object": "financial_connections.account_owner",
				"name": fmt.Sprintf("OWNER %d", i), "raw_address": nil, "email": nil, "phone": nil, "ownership": "fcaowns_9"})
		}
		json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data, "has_more": start+len(data) < total})
	})
	owners, err := c.ListOwners(context.Background(), "fca_1", "fcaowns_9")
	if err != nil {
		t.Fatal(err)
	}
	if len(owners) != total || owners[0] != (identity.Owner{Name: "OWNER 0"}) || owners[total-1].Name != "OWNER 229" {
		t.Fatalf("got %d owners (%+v … %+v)", len(owners), owners[0], owners[len(owners)-1])
	}
	reqs := st.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d pages requested, want 3", len(reqs))
	}
	for i, r := range reqs {
		if r.Path != "/v1/financial_connections/accounts/fca_1/owners" || r.Query.Get("ownership") != "fcaowns_9" {
			t.Errorf("page %d: %s ?%s", i, r.Path, r.Query.Encode())
		}
	}
	if got := reqs[1].Query.Get("starting_after"); got != "fcaown_99" {
		t.Errorf("second page starting_after = %q", got)
	}
}

// A session whose embedded account list is cut short is completed with
// the accounts list filtered by session.
func TestGetSessionListsRemainingAccounts(t *testing.T) {
	c, st := newClient(t, StripeConfig{}, func(n int, r *http.Request, w http.ResponseWriter) {
		if strings.HasPrefix(r.URL.Path, "/v1/financial_connections/sessions/") {
			io.WriteString(w, `{"id":"fcsess_1","object":"financial_connections.session","client_secret":"sec",
				"accounts":{"object":"list","data":[{"id":"fca_a"}],"has_more":true}}`)
			return
		}
		io.WriteString(w, `{"object":"list","data":[{"id":"fca_a"},{"id":"fca_b"}],"has_more":false}`)
	})
	sess, err := c.GetSession(context.Background(), "fcsess_1")
	if err != nil || strings.Join(sess.Accounts, ",") != "fca_a,fca_b" {
		t.Fatalf("GetSession = %+v, %v", sess, err)
	}
	if r := st.requests()[1]; r.Path != "/v1/financial_connections/accounts" || r.Query.Get("session") != "fcsess_1" {
		t.Errorf("second request %s ?%s", r.Path, r.Query.Encode())
	}
	// Each account is timed by Stripe's answer (its Date), listed or not.
	for _, a := range sess.AccountData {
		if d := time.Since(a.ServedAt); d < 0 || d > time.Minute {
			t.Errorf("%s: ServedAt %v, want the response's Date", a.ID, a.ServedAt)
		}
	}
}

// How Stripe failures reach callers (fc.Error contract in fc.go).
func TestErrorMapping(t *testing.T) {
	cases := []struct {
		name          string // and where the behaviour comes from
		answer        func(w http.ResponseWriter)
		notFound      bool
		status        int
		typ, code     string
		retryable     bool
		retryAfter    time.Duration
		wantRequests  int
		deletedCustom bool
	}{
		{name: "404 resource_missing → ErrNotFound (Stripe errors doc)", answer: func(w http.ResponseWriter) {
			stripeErr(w, 404, "invalid_request_error", "resource_missing")
		}, notFound: true, wantRequests: 1},
		{name: "400 is the caller's fault: not retried, not retryable", answer: func(w http.ResponseWriter) {
			stripeErr(w, 400, "invalid_request_error", "parameter_invalid_empty")
		}, status: 400, typ: "invalid_request_error", code: "parameter_invalid_empty", wantRequests: 1},
		{name: "429 after all retries: retryable with the server's Retry-After", answer: func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "0.003")
			stripeErr(w, 429, "invalid_request_error", "rate_limit")
		}, status: 429, typ: "invalid_request_error", code: "rate_limit", retryable: true, retryAfter: 3 * time.Millisecond, wantRequests: 3},
		{name: "503 after all retries: retryable, default hint", answer: func(w http.ResponseWriter) {
			stripeErr(w, 503, "api_error", "")
		}, status: 503, typ: "api_error", retryable: true, retryAfter: 2 * time.Second, wantRequests: 3},
		{name: "Stripe-Should-Retry: false wins over a 500 (Stripe's retry header doc)", answer: func(w http.ResponseWriter) {
			w.Header().Set("Stripe-Should-Retry", "false")
			stripeErr(w, 500, "api_error", "")
		}, status: 500, typ: "api_error", wantRequests: 1},
		{name: "Stripe-Should-Retry: true makes a 400 retryable (lock_timeout-like)", answer: func(w http.ResponseWriter) {
			w.Header().Set("Stripe-Should-Retry", "true")
			stripeErr(w, 400, "invalid_request_error", "lock_timeout")
		}, status: 400, typ: "invalid_request_error", code: "lock_timeout", retryable: true, retryAfter: 2 * time.Second, wantRequests: 3},
		{name: "a deleted customer is not found", answer: func(w http.ResponseWriter) {
			io.WriteString(w, `{"id":"cus_1","object":"customer","deleted":true}`)
		}, notFound: true, wantRequests: 1, deletedCustom: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, st := newClient(t, StripeConfig{MaxRetries: 2}, func(n int, r *http.Request, w http.ResponseWriter) { tc.answer(w) })
			var err error
			if tc.deletedCustom {
				err = c.CheckCustomer(context.Background(), "cus_1")
			} else {
				_, err = c.GetAccount(context.Background(), "fca_1")
			}
			if got := len(st.requests()); got != tc.wantRequests {
				t.Errorf("%d requests, want %d", got, tc.wantRequests)
			}
			if tc.notFound {
				if !errors.Is(err, ErrNotFound) {
					t.Fatalf("err = %v, want ErrNotFound", err)
				}
				return
			}
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("err = %#v, want *fc.Error", err)
			}
			if fe.Status != tc.status || fe.Type != tc.typ || fe.Code != tc.code || fe.Retryable != tc.retryable || fe.RetryAfter != tc.retryAfter {
				t.Errorf("got %+v", fe)
			}
			if errors.Is(err, ErrNotFound) {
				t.Error("not a not-found")
			}
			if !strings.Contains(fe.Op, "fca_1") {
				t.Errorf("Op %q does not say which account", fe.Op)
			}
		})
	}
}

// A retried POST sends the same Idempotency-Key and the same body on every
// attempt, so Stripe applies it once; one is generated when the caller gave
// none (stripe-go adds one too: whichever, it must not change).
func TestRetriedPostKeepsIdempotencyKey(t *testing.T) {
	for _, key := range []string{"caller-key", ""} {
		t.Run("key="+key, func(t *testing.T) {
			c, st := newClient(t, StripeConfig{MaxRetries: 3}, func(n int, r *http.Request, w http.ResponseWriter) {
				if n < 2 {
					stripeErr(w, 500, "api_error", "")
					return
				}
				io.WriteString(w, `{"id":"cus_1","object":"customer"}`)
			})
			if _, err := c.CreateCustomer(context.Background(), CreateCustomerParams{Email: "j@example.com", IdempotencyKey: key}); err != nil {
				t.Fatal(err)
			}
			reqs := st.requests()
			if len(reqs) != 3 {
				t.Fatalf("%d attempts, want 3", len(reqs))
			}
			first := reqs[0].Header.Get("Idempotency-Key")
			if first == "" || (key != "" && first != key) {
				t.Fatalf("first key %q", first)
			}
			for i, r := range reqs {
				if r.Header.Get("Idempotency-Key") != first || r.Form.Get("email") != "j@example.com" {
					t.Errorf("attempt %d: key %q form %v", i, r.Header.Get("Idempotency-Key"), r.Form)
				}
			}
		})
	}
}

// The transport itself adds a key to a POST that arrives without one (a
// caller other than stripe-go, or stripe-go with nil params).
func TestTransportAddsIdempotencyKey(t *testing.T) {
	var keys []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		n := len(keys)
		mu.Unlock()
		if n == 1 {
			w.WriteHeader(502)
			return
		}
		io.WriteString(w, "{}")
	}))
	defer srv.Close()
	rt := newTransport(http.DefaultTransport, StripeConfig{RPS: 1000, Timeout: time.Second, MaxRetries: 2, MaxBackoff: time.Millisecond})
	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("a=b"))
	resp, err := rt.RoundTrip(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%v %v", resp, err)
	}
	resp.Body.Close()
	if len(keys) != 2 || keys[0] == "" || keys[0] != keys[1] {
		t.Fatalf("keys %q", keys)
	}
}

// 429s are retried (stripe-go's own retries skip them) and slow the shared
// limiter; Retry-After is honoured.
func TestRateLimitedIsRetriedAndSlowsDown(t *testing.T) {
	c, st := newClient(t, StripeConfig{RPS: 40, MaxRetries: 4}, func(n int, r *http.Request, w http.ResponseWriter) {
		if n < 2 {
			w.Header().Set("Retry-After", "0.001")
			stripeErr(w, 429, "invalid_request_error", "rate_limit")
			return
		}
		io.WriteString(w, accountJSON)
	})
	if _, err := c.GetAccount(context.Background(), "fca_1"); err != nil {
		t.Fatal(err)
	}
	if n := len(st.requests()); n != 3 {
		t.Fatalf("%d attempts, want 3", n)
	}
	if s := c.Stats(); s.RateLimited != 2 || s.Retries != 2 || s.Requests != 3 {
		t.Errorf("stats %+v", s)
	}
	if got := c.rt.limiter.(*Local).Limit(); got >= 40 {
		t.Errorf("limiter still at %v/s after 429s", got)
	}
}

// An attempt that outlives the per-attempt timeout is abandoned and
// retried; the caller's own cancellation is not retried.
func TestTimeouts(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	c, st := newClient(t, StripeConfig{Timeout: 50 * time.Millisecond, MaxRetries: 2}, func(n int, r *http.Request, w http.ResponseWriter) {
		if n == 0 {
			select { // hang until the client gives up on this attempt
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		io.WriteString(w, accountJSON)
	})
	if _, err := c.GetAccount(context.Background(), "fca_1"); err != nil {
		t.Fatalf("timed-out attempt not retried: %v", err)
	}
	if n := len(st.requests()); n != 2 {
		t.Fatalf("%d attempts, want 2", n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.GetAccount(ctx, "fca_1")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled call: %v", err)
	}
	var fe *Error
	if errors.As(err, &fe) && fe.Retryable {
		t.Error("a cancelled call is not retryable")
	}
}

// Every attempt is observed with its operation name and logged without
// ids when retried.
func TestObserveAndLog(t *testing.T) {
	var mu sync.Mutex
	var observed []string
	var logs bytes.Buffer
	c, _ := newClient(t, StripeConfig{MaxRetries: 1,
		ObserveOp: func(op string, status int, d time.Duration) {
			mu.Lock()
			observed = append(observed, fmt.Sprintf("%s %d", op, status))
			mu.Unlock()
		},
		Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
	}, func(n int, r *http.Request, w http.ResponseWriter) {
		if n == 0 {
			stripeErr(w, 500, "api_error", "")
			return
		}
		io.WriteString(w, accountJSON)
	})
	if _, err := c.GetAccount(context.Background(), "fca_secretish"); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(observed, ","); got != "get_account 500,get_account 200" {
		t.Errorf("observed %q", got)
	}
	if !strings.Contains(logs.String(), `"op":"get_account"`) || strings.Contains(logs.String(), "fca_secretish") {
		t.Errorf("retry log: %s", logs.String())
	}
}

func TestParseRetryAfter(t *testing.T) {
	cases := []struct {
		in   string
		want time.Duration
	}{ // RFC 9110 §10.2.3: delay-seconds or HTTP-date; Stripe sends seconds
		{"", 0}, {"2", 2 * time.Second}, {"0.5", 500 * time.Millisecond}, {"-1", 0}, {"soon", 0},
		{time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat), 0},
	}
	for _, tc := range cases {
		if got := parseRetryAfter(tc.in); got != tc.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	future := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	if got := parseRetryAfter(future); got < 58*time.Minute || got > time.Hour {
		t.Errorf("HTTP-date an hour ahead gave %v", got)
	}
}

// Backoff grows, stays under the cap (or Retry-After when larger), never
// below half the exponential step.
func TestBackoffBounds(t *testing.T) {
	tr := newTransport(http.DefaultTransport, StripeConfig{RPS: 1, Timeout: time.Second, MaxBackoff: 2 * time.Second})
	for attempt := 0; attempt < 12; attempt++ {
		step := min(time.Duration(250*(1<<min(attempt, 8)))*time.Millisecond, 2*time.Second)
		for i := 0; i < 50; i++ {
			d := tr.backoff(attempt, 0)
			if d < step/2 || d > step {
				t.Fatalf("attempt %d: %v outside [%v, %v]", attempt, d, step/2, step)
			}
		}
	}
	if d := tr.backoff(0, 5*time.Second); d != 5*time.Second {
		t.Errorf("Retry-After 5s above the cap gave %v", d)
	}
}

// The limiter is the client's, shared by every goroutine using it: with a
// burst of 3 and a rate so low that a 4th token is minutes away, exactly 3
// of 6 concurrent calls reach the server, and the rest give up at once
// (rate.Limiter.Wait refuses a wait beyond the context's deadline).
// Counted, not timed.
func TestLimiterIsSharedAcrossCallers(t *testing.T) {
	c, st := newClient(t, StripeConfig{RPS: 0.001, Burst: 3, MaxRetries: 1}, func(n int, r *http.Request, w http.ResponseWriter) {
		io.WriteString(w, accountJSON)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.GetAccount(ctx, "fca_1")
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			failed++
		}
	}
	if got := len(st.requests()); got != 3 {
		t.Errorf("%d requests reached the server, want the burst of 3", got)
	}
	if failed != 3 {
		t.Errorf("%d calls failed, want 3 refused by the shared limiter", failed)
	}
}

// Issue 9: the retry budget fits inside the caller's deadline. With a 1s
// deadline and backoffs of up to 2s, the client stops retrying when the
// next wait would not leave room for an attempt, and returns Stripe's last
// answer (retryable, with its status) rather than a bare deadline error.
func TestRetriesStopShortOfTheDeadline(t *testing.T) {
	c, st := newClient(t, StripeConfig{MaxRetries: 10, MaxBackoff: 2 * time.Second}, func(n int, r *http.Request, w http.ResponseWriter) {
		stripeErr(w, 503, "api_error", "")
	})
	c.rt.min429Wait = 0
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.GetAccount(ctx, "fca_1")
	var fe *Error
	if !errors.As(err, &fe) || fe.Status != 503 || !fe.Retryable {
		t.Fatalf("err = %v, want Stripe's last 503, retryable", err)
	}
	if el := time.Since(start); el >= time.Second {
		t.Errorf("returned after %v, at or past the deadline", el)
	}
	if n := len(st.requests()); n < 1 || n > 4 {
		t.Errorf("%d attempts", n)
	}
}
