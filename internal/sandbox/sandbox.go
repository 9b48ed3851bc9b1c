// Package sandbox is an offline stand-in for Stripe Financial Connections:
// it answers the calls ownercheck makes (customers, sessions, accounts,
// ownership refresh, owners) with Stripe's JSON shapes, serves a page where
// a person "links" test institutions to a session, and sends signed
// webhooks when a refresh completes. It is what `ownercheck serve` talks to
// when no Stripe key is configured, and what the batch job's tests and
// benchmark run against (with an enforced rate limit and injected faults).
package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stripe/stripe-go/v79"
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
	// Subcategory is Stripe's account subcategory (default checking); a
	// session's filters[account_subcategories] picks which accounts link.
	Subcategory string `json:"subcategory,omitempty"`
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
	// MaxGenerated bounds the generated accounts (fca_gen_…) kept in
	// memory (default 10,000, about 10 MB); the least recently used is forgotten, and
	// comes back as new on its next use.
	MaxGenerated int
	// MaxSessions bounds the customers and the sessions kept (default
	// 20,000 each): past it the oldest is forgotten, a session with its
	// linked accounts, so a long load run does not grow the sandbox for
	// ever. Forgotten ones answer 404, like deleted objects.
	MaxSessions int
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
	accounts  map[string]*account // linked accounts
	generated generatedLRU
	// creation order, to forget the oldest past MaxSessions
	customerOrder, sessionOrder queue
	idem                        map[string]*idemEntry // Idempotency-Key → first request and its answer

	requests, rateLimited, faults, replayed atomic.Int64
}

type customer struct {
	Email, Name string
	Created     time.Time
}

type session struct {
	ID, Customer, Secret, ReturnURL string
	Accounts                        []string
	Filters                         *sessionFilters // nil: none given
}

// ownerData is an owner the sandbox serves.
type ownerData = identity.Owner

type account struct {
	ID, Status, Institution string
	details                          // what the bank says about the account
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
	if cfg.MaxGenerated <= 0 {
		cfg.MaxGenerated = 10_000
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = 20_000
	}
	if cfg.Institutions == nil {
		if err := json.Unmarshal(fixtures.SandboxInstitutions, &cfg.Institutions); err != nil {
			return nil, fmt.Errorf("reading sandbox institutions: %w", err)
		}
	}
	e := &Emulator{cfg: cfg, mux: http.NewServeMux(), client: &http.Client{Timeout: 5 * time.Second},
		customers: map[string]customer{}, sessions: map[string]*session{}, accounts: map[string]*account{},
		idem: map[string]*idemEntry{}, generated: newGeneratedLRU(cfg.MaxGenerated)}
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
	// Each endpoint takes the parameters of its stripe-go v79 params type.
	api := func(pattern string, params any, h func(w http.ResponseWriter, r *http.Request)) {
		ps := paramsOf(params)
		e.mux.HandleFunc(pattern, e.stripeAPI(func(w http.ResponseWriter, r *http.Request) {
			if checkParams(w, r, ps) {
				h(w, r)
			}
		}))
	}
	api("POST /v1/customers", stripe.CustomerParams{}, e.createCustomer)
	api("GET /v1/customers/{id}", retrieveParams{}, e.getCustomer)
	api("POST /v1/financial_connections/sessions", stripe.FinancialConnectionsSessionParams{}, e.createSession)
	api("GET /v1/financial_connections/sessions/{id}", retrieveParams{}, e.getSession)
	api("GET /v1/financial_connections/accounts", stripe.FinancialConnectionsAccountListParams{}, e.listAccounts)
	api("GET /v1/financial_connections/accounts/{id}", retrieveParams{}, e.getAccount)
	api("POST /v1/financial_connections/accounts/{id}/refresh", stripe.FinancialConnectionsAccountRefreshParams{}, e.refresh)
	api("POST /v1/financial_connections/accounts/{id}/disconnect", stripe.FinancialConnectionsAccountDisconnectParams{}, e.disconnect)
	api("GET /v1/financial_connections/accounts/{id}/owners", stripe.FinancialConnectionsAccountListOwnersParams{}, e.listOwners)
	e.mux.HandleFunc("GET /link/{session}", e.linkPage)
	e.mux.HandleFunc("POST /link/{session}", e.linkSubmit)
}

func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) { e.mux.ServeHTTP(w, r) }

// stripeAPI wraps an API handler with what every Stripe endpoint does:
// authentication, the rate limit, injected faults.
func (e *Emulator) stripeAPI(h func(w http.ResponseWriter, r *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reqID := fmt.Sprintf("req_sbx%06d", e.requests.Add(1))
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Request-Id", reqID)
		r = r.WithContext(context.WithValue(r.Context(), requestKey{}, eventRequest{ID: reqID, IdempotencyKey: r.Header.Get("Idempotency-Key")}))
		if e.limiter != nil && !e.limiter.Allow() {
			e.rateLimited.Add(1)
			w.Header().Set("Retry-After", seconds(e.cfg.RateLimitRetryAfter))
			stripeError(w, http.StatusTooManyRequests, stripe.ErrorTypeInvalidRequest, stripe.ErrorCodeRateLimit, "", "Request rate limit exceeded (sandbox).")
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
					typ := stripe.ErrorTypeAPI
					if f.Status == http.StatusTooManyRequests {
						typ = stripe.ErrorTypeInvalidRequest
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
			stripeError(w, http.StatusUnauthorized, stripe.ErrorTypeInvalidRequest, "", "", "Invalid API Key provided (the sandbox accepts any sk_test_… key).")
			return
		}
		if r.Method == http.MethodPost {
			if err := r.ParseForm(); err != nil {
				stripeError(w, http.StatusBadRequest, stripe.ErrorTypeInvalidRequest, "", "", "Invalid form body.")
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
			stripeError(w, http.StatusBadRequest, stripe.ErrorTypeIdempotency, "", "",
				"Keys for idempotent requests can only be used with the same parameters they were first used with.")
		case status == 0:
			stripeError(w, http.StatusConflict, stripe.ErrorTypeIdempotency, stripe.ErrorCodeIdempotencyKeyInUse, "",
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

// stripeError answers Stripe's error shape. Types and codes are stripe-go
// v79's constants, so the sandbox cannot invent one. It sends no
// Stripe-Should-Retry: Stripe sets that header only on the few errors it
// knows to be safe to retry, and clients must work from status and code.
func stripeError(w http.ResponseWriter, status int, typ stripe.ErrorType, code stripe.ErrorCode, param, msg string) {
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
	stripeError(w, http.StatusNotFound, stripe.ErrorTypeInvalidRequest, stripe.ErrorCodeResourceMissing, "id", fmt.Sprintf("No such %s: '%s'", what, id))
}

func writeJSON(w http.ResponseWriter, v any) { json.NewEncoder(w).Encode(v) }

func (e *Emulator) nextID(prefix string) string {
	e.seq++
	return fmt.Sprintf("%s_sbx%06d", prefix, e.seq)
}

func (e *Emulator) createCustomer(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	id := e.nextID("cus")
	c := customer{Email: r.PostForm.Get("email"), Name: r.PostForm.Get("name"), Created: e.cfg.Now()}
	e.customers[id] = c
	e.forgetOldCustomers(id)
	e.mu.Unlock()
	writeJSON(w, customerJSON(id, c))
}

func (e *Emulator) getCustomer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	e.mu.Lock()
	c, ok := e.customers[id]
	e.mu.Unlock()
	if !ok {
		notFound(w, "customer", id)
		return
	}
	writeJSON(w, customerJSON(id, c))
}

func (e *Emulator) createSession(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	switch f.Get("account_holder[type]") {
	case "customer":
	case "":
		stripeError(w, http.StatusBadRequest, stripe.ErrorTypeInvalidRequest, stripe.ErrorCodeParameterMissing, "account_holder[type]", "Missing required param: account_holder[type].")
		return
	default:
		stripeError(w, http.StatusBadRequest, stripe.ErrorTypeInvalidRequest, "", "account_holder[type]", "The sandbox links accounts for customers only (account_holder[type]=customer).")
		return
	}
	if !e.checkList(w, f, "permissions", sessionPermissions, true) || !e.checkList(w, f, "prefetch", sessionPrefetch, false) {
		return
	}
	filters, param, err := parseFilters(f)
	if err != nil {
		stripeError(w, http.StatusBadRequest, stripe.ErrorTypeInvalidRequest, "", param, fmt.Sprintf("Invalid %s: %v", param, err))
		return
	}
	cus := f.Get("account_holder[customer]")
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.customers[cus]; !ok {
		notFound(w, "customer", cus)
		return
	}
	s := &session{ID: e.nextID("fcsess"), Customer: cus, ReturnURL: f.Get("return_url"), Filters: filters}
	s.Secret = s.ID + "_secret_sandbox"
	e.sessions[s.ID] = s
	e.forgetOldSessions(s.ID)
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
		"filters": filtersJSON(s.Filters), "return_url": nullable(s.ReturnURL),
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
		stripeError(w, http.StatusBadRequest, stripe.ErrorTypeInvalidRequest, stripe.ErrorCodeParameterMissing, "session", "The sandbox lists accounts by session only.")
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
		stripeError(w, http.StatusBadRequest, stripe.ErrorTypeInvalidRequest, stripe.ErrorCodeParameterInvalidInteger, "limit", err.Error())
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
	a := e.lookup(id)
	if a == nil {
		if a = e.generate(id); a == nil {
			return nil
		}
		e.generated.add(a)
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
		"institution_name": a.Institution,
		"permissions":      a.permissions(), "supported_payment_method_types": []string{"us_bank_account"},
		"ownership": nil, "ownership_refresh": nil,
		"account_holder": map[string]any{"type": "customer", "customer": a.Customer},
	}
	for k, v := range detailsJSON(a) {
		out[k] = v
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
	if !e.checkList(w, r.PostForm, "features", refreshFeatures, true) {
		return
	}
	if !slices.Contains(listValues(r.PostForm, "features"), "ownership") {
		stripeError(w, http.StatusBadRequest, stripe.ErrorTypeInvalidRequest, "", "features", "The sandbox refreshes ownership only: features must include ownership.")
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.accountOr404(w, id)
	if a == nil {
		return
	}
	if a.Status != "active" {
		stripeError(w, http.StatusBadRequest, stripe.ErrorTypeInvalidRequest, stripe.ErrorCodeFinancialConnectionsAccountInactive, "", "The account is not active; refreshes are not allowed.")
		return
	}
	if a.refreshStatus != "pending" {
		if e.cfg.Now().Before(a.nextAt) {
			stripeError(w, http.StatusBadRequest, stripe.ErrorTypeInvalidRequest, "", "", "A refresh is not available yet.")
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
		acc := e.lookup(id)
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
		stripeError(w, http.StatusBadRequest, stripe.ErrorTypeInvalidRequest, stripe.ErrorCodeParameterMissing, "ownership", "Missing required param: ownership.")
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
		stripeError(w, http.StatusBadRequest, stripe.ErrorTypeInvalidRequest, stripe.ErrorCodeParameterInvalidInteger, "limit", err.Error())
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
// on the link page (only those the session's filters allow); their
// ownership refresh starts (prefetch). Stripe sends .created for each.
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
	var ids []string
	var events []pendingEvent
	now := e.cfg.Now()
	for i, spec := range inst.Accounts {
		sub := subcategoryOf(spec)
		if !s.Filters.allows(sub) {
			continue
		}
		a := &account{ID: e.nextID("fca"), Status: "active", Institution: inst.Name, failRefresh: spec.Refresh == "fails", owners: spec.Owners,
			details:  details{Created: now, DisplayName: spec.Name, Subcategory: sub, Last4: last4Of(inst.ID, spec.Name, i)},
			Customer: s.Customer, Permissions: spec.Permissions}
		e.accounts[a.ID] = a
		s.Accounts = append(s.Accounts, a.ID)
		ids = append(ids, a.ID)
		switch spec.Status {
		case "", "active":
			e.startRefresh(a)
			events = append(events, pendingEvent{"financial_connections.account.created", e.accountJSON(a)})
		default:
			// Linked (its prefetch done), then cut off right away: it has
			// ownership data, but no refresh runs and only the status event
			// follows.
			e.seq++
			a.ownershipID = fmt.Sprintf("fcaowns_sbx%06d", e.seq)
			a.refreshStatus, a.lastAttempt, a.nextAt = "succeeded", now, now
			events = append(events, pendingEvent{"financial_connections.account.created", e.accountJSON(a)})
			a.Status = spec.Status
			typ := "financial_connections.account.disconnected"
			if spec.Status == "inactive" {
				typ = "financial_connections.account.deactivated"
			}
			events = append(events, pendingEvent{typ, e.accountJSON(a)})
		}
	}
	e.mu.Unlock()
	if len(ids) == 0 {
		return nil, fmt.Errorf("no account of %q matches the session's filters", institution)
	}
	e.emitAll(events, nil)
	return ids, nil
}

// Disconnect marks an account disconnected and sends the webhook, as the
// person or the bank may at any time.
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
