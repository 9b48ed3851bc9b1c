// Package sandbox is an offline stand-in for Stripe Financial Connections:
// it answers the calls ownercheck makes (customers, sessions, accounts,
// ownership refresh, owners) with Stripe's JSON shapes, serves a page where
// a person "links" test institutions to a session, and sends signed
// webhooks when a refresh completes. It is what `ownercheck serve` talks to
// when no Stripe key is configured, and what the batch job's tests and
// benchmark run against (with an enforced rate limit and injected faults).
package sandbox

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/ownercheck/ownercheck/fixtures"
	"github.com/ownercheck/ownercheck/internal/identity"
)

// Institution is a test bank from fixtures/sandbox/institutions.json.
type Institution struct {
	ID          string        `json:"id"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Accounts    []accountSpec `json:"accounts"`
}

type accountSpec struct {
	Name    string `json:"name"`
	Status  string `json:"status"`  // default active
	Refresh string `json:"refresh"` // "fails" to fail every refresh
	// Permissions granted when linked (default [ownership]).
	Permissions []string         `json:"permissions,omitempty"`
	Owners      []identity.Owner `json:"owners"`
	// Expect documents the decision each identity of
	// fixtures/sandbox/identities.json should get against these owners
	// (checked by the sandbox's tests against the repo's rules).
	Expect map[string]string `json:"expect,omitempty"`
}

// Fault is an injected failure for one request.
type Fault struct {
	Status     int           // e.g. 429, 500; 0 = no status (only Delay)
	RetryAfter time.Duration // sent as Retry-After with the status
	Delay      time.Duration // wait before answering (a timeout when longer than the client's)
	// DropResponse processes the request (it takes effect, and its
	// Idempotency-Key is recorded) and then closes the connection without
	// answering: the "did my POST happen?" case that idempotency keys solve.
	DropResponse bool
}

// Config configures an Emulator.
type Config struct {
	WebhookURL    string
	WebhookSecret string
	PendingFor    time.Duration // how long a refresh stays pending (default 2s)
	RPS           float64       // 0 = unlimited; above it answers 429 like Stripe
	// RateLimitRetryAfter is the Retry-After of those 429s (default 1s, as
	// Stripe; fractions of a second are sent as decimals, for tests).
	RateLimitRetryAfter time.Duration
	Fault               func(r *http.Request) *Fault
	Logger              *slog.Logger
	Now                 func() time.Time
	Institutions        []Institution // default: the embedded fixtures
}

// Stats counts requests.
type Stats struct {
	Requests    int64 `json:"requests"`
	RateLimited int64 `json:"rate_limited"`
	Faults      int64 `json:"faults"`
	// Replayed counts POSTs answered from the idempotency record (a retry
	// of a request that had already taken effect).
	Replayed int64 `json:"replayed"`
}

// Emulator is the sandbox; it is an http.Handler.
type Emulator struct {
	cfg     Config
	mux     *http.ServeMux
	limiter *rate.Limiter
	client  *http.Client

	mu        sync.Mutex
	seq       int
	customers map[string]customer
	sessions  map[string]*session
	accounts  map[string]*account
	idem      map[string]*idemEntry // Idempotency-Key → first request and its answer

	requests, rateLimited, faults, replayed atomic.Int64
}

type customer struct{ Email, Name string }

type session struct {
	ID, Customer, Secret string
	Accounts             []string
}

// ownerData is an owner the sandbox serves.
type ownerData = identity.Owner

type account struct {
	ID, Status, Institution string
	Customer                string   // account_holder.customer
	Permissions             []string // default [ownership]
	failRefresh             bool
	owners                  []identity.Owner
	ownershipID             string // set once a refresh succeeded
	refreshStatus           string // "" = never refreshed
	lastAttempt, nextAt     time.Time
	settleAt                time.Time
}

// New builds an Emulator.
func New(cfg Config) (*Emulator, error) {
	if cfg.PendingFor <= 0 {
		cfg.PendingFor = 2 * time.Second
	}
	if cfg.RateLimitRetryAfter <= 0 {
		cfg.RateLimitRetryAfter = time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Institutions == nil {
		if err := json.Unmarshal(fixtures.SandboxInstitutions, &cfg.Institutions); err != nil {
			return nil, fmt.Errorf("reading sandbox institutions: %w", err)
		}
	}
	e := &Emulator{cfg: cfg, mux: http.NewServeMux(), client: &http.Client{Timeout: 5 * time.Second},
		customers: map[string]customer{}, sessions: map[string]*session{}, accounts: map[string]*account{},
		idem: map[string]*idemEntry{}}
	if cfg.RPS > 0 {
		e.limiter = rate.NewLimiter(rate.Limit(cfg.RPS), max(1, int(cfg.RPS/10)))
	}
	e.routes()
	return e, nil
}

// Institutions lists the test banks.
func (e *Emulator) Institutions() []Institution { return e.cfg.Institutions }

// Stats returns the request counts so far.
func (e *Emulator) Stats() Stats {
	return Stats{Requests: e.requests.Load(), RateLimited: e.rateLimited.Load(), Faults: e.faults.Load(), Replayed: e.replayed.Load()}
}

func (e *Emulator) routes() {
	api := func(pattern string, h func(w http.ResponseWriter, r *http.Request)) {
		e.mux.HandleFunc(pattern, e.stripeAPI(h))
	}
	api("POST /v1/customers", e.createCustomer)
	api("GET /v1/customers/{id}", e.getCustomer)
	api("POST /v1/financial_connections/sessions", e.createSession)
	api("GET /v1/financial_connections/sessions/{id}", e.getSession)
	api("GET /v1/financial_connections/accounts", e.listAccounts)
	api("GET /v1/financial_connections/accounts/{id}", e.getAccount)
	api("POST /v1/financial_connections/accounts/{id}/refresh", e.refresh)
	api("GET /v1/financial_connections/accounts/{id}/owners", e.listOwners)
	e.mux.HandleFunc("GET /link/{session}", e.linkPage)
	e.mux.HandleFunc("POST /link/{session}", e.linkSubmit)
}

func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) { e.mux.ServeHTTP(w, r) }

// stripeAPI wraps an API handler with what every Stripe endpoint does:
// authentication, the rate limit, injected faults.
func (e *Emulator) stripeAPI(h func(w http.ResponseWriter, r *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e.requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Request-Id", fmt.Sprintf("req_sbx_%d", e.requests.Load()))
		if e.limiter != nil && !e.limiter.Allow() {
			e.rateLimited.Add(1)
			w.Header().Set("Retry-After", seconds(e.cfg.RateLimitRetryAfter))
			stripeError(w, http.StatusTooManyRequests, "invalid_request_error", "rate_limit", "", "Request rate limit exceeded (sandbox).")
			return
		}
		var drop bool
		if e.cfg.Fault != nil {
			if f := e.cfg.Fault(r); f != nil {
				e.faults.Add(1)
				if f.Delay > 0 {
					select {
					case <-time.After(f.Delay):
					case <-r.Context().Done():
						return
					}
				}
				if f.Status != 0 {
					if f.RetryAfter > 0 {
						w.Header().Set("Retry-After", seconds(f.RetryAfter))
					}
					typ := "api_error"
					if f.Status == http.StatusTooManyRequests {
						typ = "invalid_request_error"
					}
					stripeError(w, f.Status, typ, "", "", "Injected fault (sandbox).")
					return
				}
				drop = f.DropResponse
			}
		}
		// Stripe takes the key as a Bearer token (stripe-go) or as the Basic
		// auth user name (curl -u sk_test_…:).
		key, _, basic := r.BasicAuth()
		if !basic {
			key, _ = strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		}
		// Only test-mode keys: a live key pointed at the sandbox is a
		// misconfiguration worth failing loudly on.
		if !strings.HasPrefix(key, "sk_test_") {
			stripeError(w, http.StatusUnauthorized, "invalid_request_error", "", "", "Invalid API Key provided (the sandbox accepts any sk_test_… key).")
			return
		}
		if r.Method == http.MethodPost {
			if err := r.ParseForm(); err != nil {
				stripeError(w, http.StatusBadRequest, "invalid_request_error", "", "", "Invalid form body.")
				return
			}
		}
		out := w
		var rec *httptest.ResponseRecorder
		if drop {
			rec = httptest.NewRecorder()
			out = rec
		}
		e.idempotent(out, r, h)
		if drop {
			dropConnection(w)
		}
	}
}

// idemEntry is the first request made with an Idempotency-Key, and the
// answer it got (nil while it is in flight).
type idemEntry struct {
	request string // method, path and form: a reuse must match
	status  int
	header  http.Header
	body    []byte
}

// maxIdempotencyKeys bounds the record (Stripe keeps keys 24h; the sandbox
// forgets them all when the record is full, which only long runs reach).
const maxIdempotencyKeys = 200_000

// idempotent runs a POST the way Stripe does with an Idempotency-Key: the
// first request runs and its answer is recorded; a retry with the same key
// and parameters gets the recorded answer (Idempotent-Replayed: true)
// without running again; the same key with other parameters is refused.
func (e *Emulator) idempotent(w http.ResponseWriter, r *http.Request, h func(w http.ResponseWriter, r *http.Request)) {
	key := r.Header.Get("Idempotency-Key")
	if r.Method != http.MethodPost || key == "" {
		h(w, r)
		return
	}
	request := r.Method + " " + r.URL.Path + "?" + r.PostForm.Encode()
	e.mu.Lock()
	ent, seen := e.idem[key]
	if !seen {
		if len(e.idem) >= maxIdempotencyKeys {
			clear(e.idem)
		}
		ent = &idemEntry{request: request}
		e.idem[key] = ent
	}
	var status int
	var header http.Header
	var body []byte
	if seen {
		status, header, body = ent.status, ent.header, ent.body
	}
	e.mu.Unlock()
	if seen {
		switch {
		case ent.request != request:
			stripeError(w, http.StatusBadRequest, "idempotency_error", "", "",
				"Keys for idempotent requests can only be used with the same parameters they were first used with.")
		case status == 0:
			stripeError(w, http.StatusConflict, "idempotency_error", "", "",
				"There is currently another in-progress request using this Idempotent Key.")
		default:
			e.replayed.Add(1)
			for k, v := range header {
				w.Header()[k] = v
			}
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(status)
			w.Write(body)
		}
		return
	}
	rec := httptest.NewRecorder()
	h(rec, r)
	res := rec.Result()
	e.mu.Lock()
	ent.status, ent.header, ent.body = res.StatusCode, res.Header, rec.Body.Bytes()
	e.mu.Unlock()
	for k, v := range res.Header {
		w.Header()[k] = v
	}
	w.Header().Set("Idempotency-Key", key)
	w.WriteHeader(res.StatusCode)
	w.Write(rec.Body.Bytes())
}

// dropConnection closes the client's connection without a response.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // HTTP/2 or a recorder: abort the response
}

// seconds formats a Retry-After: whole seconds like Stripe, a decimal for
// the sub-second waits tests use.
func seconds(d time.Duration) string {
	if d%time.Second == 0 {
		return strconv.Itoa(int(d / time.Second))
	}
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}

func stripeError(w http.ResponseWriter, status int, typ, code, param, msg string) {
	if status == http.StatusTooManyRequests || status >= 500 {
		w.Header().Set("Stripe-Should-Retry", "true")
	}
	w.WriteHeader(status)
	body := map[string]any{"type": typ, "message": msg}
	if code != "" {
		body["code"] = code
	}
	if param != "" {
		body["param"] = param
	}
	json.NewEncoder(w).Encode(map[string]any{"error": body})
}

func notFound(w http.ResponseWriter, what, id string) {
	stripeError(w, http.StatusNotFound, "invalid_request_error", "resource_missing", "id", fmt.Sprintf("No such %s: '%s'", what, id))
}

func writeJSON(w http.ResponseWriter, v any) { json.NewEncoder(w).Encode(v) }

func (e *Emulator) nextID(prefix string) string {
	e.seq++
	return fmt.Sprintf("%s_sbx%06d", prefix, e.seq)
}

func (e *Emulator) createCustomer(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	id := e.nextID("cus")
	e.customers[id] = customer{Email: r.PostForm.Get("email"), Name: r.PostForm.Get("name")}
	e.mu.Unlock()
	writeJSON(w, map[string]any{"id": id, "object": "customer", "livemode": false, "created": e.cfg.Now().Unix()})
}

func (e *Emulator) getCustomer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	e.mu.Lock()
	_, ok := e.customers[id]
	e.mu.Unlock()
	if !ok {
		notFound(w, "customer", id)
		return
	}
	writeJSON(w, map[string]any{"id": id, "object": "customer", "livemode": false})
}

func (e *Emulator) createSession(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	if f.Get("account_holder[type]") != "customer" {
		stripeError(w, http.StatusBadRequest, "invalid_request_error", "parameter_invalid_empty", "account_holder[type]", "account_holder[type] must be customer.")
		return
	}
	if f.Get("permissions[0]") == "" {
		stripeError(w, http.StatusBadRequest, "invalid_request_error", "parameter_missing", "permissions", "Missing required param: permissions.")
		return
	}
	cus := f.Get("account_holder[customer]")
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.customers[cus]; !ok {
		notFound(w, "customer", cus)
		return
	}
	s := &session{ID: e.nextID("fcsess"), Customer: cus}
	s.Secret = s.ID + "_secret_sandbox"
	e.sessions[s.ID] = s
	writeJSON(w, e.sessionJSON(s, false))
}

func (e *Emulator) getSession(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.sessions[id]
	if !ok {
		notFound(w, "financial_connections.session", id)
		return
	}
	writeJSON(w, e.sessionJSON(s, expands(r, "accounts.data.ownership")))
}

// embeddedAccounts is how many accounts a session object embeds; the rest
// are listed with GET /v1/financial_connections/accounts?session=… (Stripe
// embeds the first page of a list).
const embeddedAccounts = 10

func (e *Emulator) sessionJSON(s *session, expandOwnership bool) map[string]any {
	data := []any{}
	for _, id := range s.Accounts[:min(len(s.Accounts), embeddedAccounts)] {
		data = append(data, e.expandedAccountJSON(e.account(id), expandOwnership))
	}
	return map[string]any{
		"id": s.ID, "object": "financial_connections.session", "client_secret": s.Secret, "livemode": false,
		"account_holder": map[string]any{"type": "customer", "customer": s.Customer},
		"permissions":    []string{"ownership"}, "prefetch": []string{"ownership"},
		"accounts": map[string]any{"object": "list", "data": data, "has_more": len(s.Accounts) > embeddedAccounts,
			"url": "/v1/financial_connections/accounts"},
	}
}

// listAccounts is GET /v1/financial_connections/accounts?session=… (the
// only filter the sandbox supports), paged like Stripe's lists.
func (e *Emulator) listAccounts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	id := q.Get("session")
	if id == "" {
		stripeError(w, http.StatusBadRequest, "invalid_request_error", "parameter_missing", "session", "The sandbox lists accounts by session only.")
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.sessions[id]
	if !ok {
		notFound(w, "financial_connections.session", id)
		return
	}
	from, to, err := page(len(s.Accounts), q, func(i int) string { return s.Accounts[i] })
	if err != nil {
		stripeError(w, http.StatusBadRequest, "invalid_request_error", "parameter_invalid_integer", "limit", err.Error())
		return
	}
	data := []any{}
	for _, aid := range s.Accounts[from:to] {
		data = append(data, e.expandedAccountJSON(e.account(aid), expands(r, "data.ownership")))
	}
	writeJSON(w, map[string]any{"object": "list", "data": data, "has_more": to < len(s.Accounts), "url": "/v1/financial_connections/accounts"})
}

// page picks the window of a list that limit (1..100, default 10) and
// starting_after select, as Stripe's list endpoints do.
func page(n int, q url.Values, idAt func(int) string) (from, to int, err error) {
	limit := 10
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 100 {
			return 0, 0, fmt.Errorf("limit must be an integer between 1 and 100")
		}
	}
	if after := q.Get("starting_after"); after != "" {
		from = n // an unknown cursor gives an empty page
		for i := 0; i < n; i++ {
			if idAt(i) == after {
				from = i + 1
				break
			}
		}
	}
	return from, min(n, from+limit), nil
}

// account returns the account, settling a finished refresh; generated
// accounts (fca_gen_<n>) come into existence on first use. Callers hold mu.
func (e *Emulator) account(id string) *account {
	a, ok := e.accounts[id]
	if !ok {
		a = e.generated(id)
		if a == nil {
			return nil
		}
		e.accounts[id] = a
	}
	if e.settle(a) {
		// Completed by this read rather than by the timer: Stripe would
		// still send the webhook (after mu is released).
		go e.sendEvent("financial_connections.account.refreshed_ownership", id)
	}
	return a
}

// accountOr404 is account, answering Stripe's 404 when there is none.
// Callers hold mu.
func (e *Emulator) accountOr404(w http.ResponseWriter, id string) *account {
	a := e.account(id)
	if a == nil {
		notFound(w, "financial_connections.account", id)
	}
	return a
}

// settle completes a pending refresh whose time has come. Callers hold mu.
func (e *Emulator) settle(a *account) (completed bool) {
	now := e.cfg.Now()
	if a.refreshStatus != "pending" || now.Before(a.settleAt) {
		return false
	}
	if a.failRefresh {
		a.refreshStatus = "failed"
	} else {
		a.refreshStatus = "succeeded"
		e.seq++
		a.ownershipID = fmt.Sprintf("fcaowns_sbx%06d", e.seq)
	}
	a.nextAt = now
	return true
}

func (e *Emulator) accountJSON(a *account) map[string]any {
	out := map[string]any{
		"id": a.ID, "object": "financial_connections.account", "livemode": false, "status": a.Status,
		"category": "cash", "subcategory": "checking", "institution_name": a.Institution, "last4": "6789",
		"permissions": a.permissions(), "supported_payment_method_types": []string{"us_bank_account"},
		"ownership": nil, "ownership_refresh": nil,
		"account_holder": map[string]any{"type": "customer", "customer": a.Customer},
	}
	if a.ownershipID != "" {
		out["ownership"] = a.ownershipID
	}
	if a.refreshStatus != "" {
		var next any
		if a.refreshStatus != "pending" {
			next = a.nextAt.Unix()
		}
		out["ownership_refresh"] = map[string]any{"status": a.refreshStatus, "last_attempted_at": a.lastAttempt.Unix(), "next_refresh_available_at": next}
	}
	return out
}

func (e *Emulator) getAccount(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.accountOr404(w, id)
	if a == nil {
		return
	}
	writeJSON(w, e.expandedAccountJSON(a, expands(r, "ownership")))
}

func (e *Emulator) refresh(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if r.PostForm.Get("features[0]") != "ownership" {
		stripeError(w, http.StatusBadRequest, "invalid_request_error", "parameter_invalid_empty", "features", "features must include ownership.")
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.accountOr404(w, id)
	if a == nil {
		return
	}
	if a.Status != "active" {
		stripeError(w, http.StatusBadRequest, "invalid_request_error", "account_inactive", "", "The account is not active; refreshes are not allowed.")
		return
	}
	if a.refreshStatus != "pending" {
		if e.cfg.Now().Before(a.nextAt) {
			stripeError(w, http.StatusBadRequest, "invalid_request_error", "refresh_not_allowed", "", "A refresh is not available yet.")
			return
		}
		e.startRefresh(a)
	}
	writeJSON(w, e.expandedAccountJSON(a, expands(r, "ownership")))
}

// startRefresh puts a refresh in flight and schedules its completion (and
// its webhook). Callers hold mu.
func (e *Emulator) startRefresh(a *account) {
	now := e.cfg.Now()
	a.refreshStatus, a.lastAttempt, a.settleAt = "pending", now, now.Add(e.cfg.PendingFor)
	id := a.ID
	time.AfterFunc(e.cfg.PendingFor, func() {
		e.mu.Lock()
		acc := e.accounts[id]
		done := acc != nil && e.settle(acc)
		e.mu.Unlock()
		if done {
			e.sendEvent("financial_connections.account.refreshed_ownership", id)
		}
	})
}

func (e *Emulator) listOwners(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	own := r.URL.Query().Get("ownership")
	if own == "" {
		stripeError(w, http.StatusBadRequest, "invalid_request_error", "parameter_missing", "ownership", "Missing required param: ownership.")
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.accountOr404(w, id)
	if a == nil {
		return
	}
	if own != a.ownershipID {
		notFound(w, "financial_connections.account_ownership", own)
		return
	}
	from, to, err := page(len(a.owners), r.URL.Query(), func(i int) string { return ownerID(a, i) })
	if err != nil {
		stripeError(w, http.StatusBadRequest, "invalid_request_error", "parameter_invalid_integer", "limit", err.Error())
		return
	}
	data := make([]any, 0, to-from)
	for i := from; i < to; i++ {
		data = append(data, e.ownerJSON(a, i, a.owners[i]))
	}
	writeJSON(w, map[string]any{"object": "list", "data": data, "has_more": to < len(a.owners), "url": "/v1/financial_connections/accounts/" + id + "/owners"})
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Link attaches an institution's accounts to a session, as the person does
// on the link page; their ownership refresh starts (prefetch).
func (e *Emulator) Link(sessionID, institution string) ([]string, error) {
	var inst *Institution
	for i := range e.cfg.Institutions {
		if e.cfg.Institutions[i].ID == institution {
			inst = &e.cfg.Institutions[i]
		}
	}
	if inst == nil {
		return nil, fmt.Errorf("no institution %q", institution)
	}
	e.mu.Lock()
	s, ok := e.sessions[sessionID]
	if !ok {
		e.mu.Unlock()
		return nil, fmt.Errorf("no session %q", sessionID)
	}
	type event struct{ typ, id string }
	var ids []string
	var events []event
	for _, spec := range inst.Accounts {
		a := &account{ID: e.nextID("fca"), Status: "active", Institution: inst.Name, failRefresh: spec.Refresh == "fails", owners: spec.Owners,
			Customer: s.Customer, Permissions: spec.Permissions}
		e.accounts[a.ID] = a
		s.Accounts = append(s.Accounts, a.ID)
		ids = append(ids, a.ID)
		switch spec.Status {
		case "", "active":
			e.startRefresh(a)
		default:
			// Linked (its prefetch done), then cut off right away: it has
			// ownership data, but no refresh runs and only the status event
			// is sent.
			now := e.cfg.Now()
			e.seq++
			a.ownershipID = fmt.Sprintf("fcaowns_sbx%06d", e.seq)
			a.refreshStatus, a.lastAttempt, a.nextAt = "succeeded", now, now
			a.Status = spec.Status
			typ := "financial_connections.account.disconnected"
			if spec.Status == "inactive" {
				typ = "financial_connections.account.deactivated"
			}
			events = append(events, event{typ, a.ID})
		}
	}
	e.mu.Unlock()
	for _, ev := range events {
		e.sendEvent(ev.typ, ev.id)
	}
	return ids, nil
}

// Disconnect marks an account disconnected and sends the webhook.
func (e *Emulator) Disconnect(accountID string) error {
	e.mu.Lock()
	a := e.account(accountID)
	if a == nil {
		e.mu.Unlock()
		return fmt.Errorf("no account %q", accountID)
	}
	a.Status = "disconnected"
	e.mu.Unlock()
	e.sendEvent("financial_connections.account.disconnected", accountID)
	return nil
}
