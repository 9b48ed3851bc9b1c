package sandbox

import (
	"container/list"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v79"
)

// details is what the bank reports about an account. A test bank reports
// the same details (institution, last4, owners) for its account whichever
// customer links it, as a real bank does: only the fca_ id is new per link.
type details struct {
	Created     time.Time
	DisplayName string
	Subcategory string
	Last4       string
}

// last4Of is the last4 of an institution's account: fixed per institution
// and account (the same bank account whoever links it), distinct between
// them with near certainty.
func last4Of(institutionID, accountName string, index int) string {
	h := fnv.New32a()
	fmt.Fprintf(h, "%s/%d/%s", institutionID, index, accountName)
	return fmt.Sprintf("%04d", h.Sum32()%10000)
}

func subcategoryOf(spec accountSpec) string {
	if spec.Subcategory == "" {
		return string(stripe.FinancialConnectionsAccountSubcategoryChecking)
	}
	return spec.Subcategory
}

// detailsJSON is the rest of the 2024-06-20 account object: every field
// Stripe sends, null where the sandbox has no such data (balances,
// transactions and subscriptions are not requested by ownercheck).
func detailsJSON(a *account) map[string]any {
	category := "cash"
	if a.Subcategory == "credit_card" || a.Subcategory == "line_of_credit" || a.Subcategory == "mortgage" {
		category = "credit"
	}
	return map[string]any{
		"created": a.Created.Unix(), "display_name": a.DisplayName, "last4": a.Last4,
		"subcategory": a.Subcategory, "category": category,
		"balance": nil, "balance_refresh": nil, "transaction_refresh": nil, "subscriptions": nil,
	}
}

// sessionFilters is a session's filters: which accounts may be linked.
type sessionFilters struct {
	Countries            []string `json:"countries"`
	AccountSubcategories []string `json:"account_subcategories,omitempty"`
}

// sandboxCountry is where the test banks are.
const sandboxCountry = "US"

var accountSubcategories = []string{"checking", "credit_card", "line_of_credit", "mortgage", "savings"}

// parseFilters reads filters[countries] and filters[account_subcategories]
// (either list encoding); it returns the offending param on a bad value.
func parseFilters(f url.Values) (*sessionFilters, string, error) {
	countries := listValues(f, "filters[countries]")
	subs := listValues(f, "filters[account_subcategories]")
	if len(countries) == 0 && len(subs) == 0 {
		return nil, "", nil
	}
	for i, c := range countries {
		if len(c) != 2 || strings.ToUpper(c) != c {
			return nil, fmt.Sprintf("filters[countries][%d]", i), fmt.Errorf("invalid country %q: a two-letter ISO code", c)
		}
	}
	for i, s := range subs {
		if !slices.Contains(accountSubcategories, s) {
			return nil, fmt.Sprintf("filters[account_subcategories][%d]", i),
				fmt.Errorf("must be one of %s", strings.Join(accountSubcategories, ", "))
		}
	}
	return &sessionFilters{Countries: countries, AccountSubcategories: subs}, "", nil
}

// allows says whether an account of this subcategory (at a test bank, in
// the US) may be linked in the session.
func (f *sessionFilters) allows(subcategory string) bool {
	if f == nil {
		return true
	}
	if len(f.Countries) > 0 && !slices.Contains(f.Countries, sandboxCountry) {
		return false
	}
	return len(f.AccountSubcategories) == 0 || slices.Contains(f.AccountSubcategories, subcategory)
}

// generatedLRU keeps the generated accounts in use. They are materialized
// on first use (any id of the right shape exists), so without a bound a
// client walking new ids would grow the sandbox for ever. The least
// recently used is forgotten; its next use materializes it afresh (same
// owners and ownership id, any refresh state lost). Callers hold mu.
type generatedLRU struct {
	max   int
	order *list.List // front = most recently used; values are *account
	byID  map[string]*list.Element
}

func newGeneratedLRU(n int) generatedLRU {
	return generatedLRU{max: n, order: list.New(), byID: map[string]*list.Element{}}
}

func (l *generatedLRU) get(id string) *account {
	el, ok := l.byID[id]
	if !ok {
		return nil
	}
	l.order.MoveToFront(el)
	return el.Value.(*account)
}

func (l *generatedLRU) add(a *account) {
	l.byID[a.ID] = l.order.PushFront(a)
	for l.order.Len() > l.max {
		oldest := l.order.Back()
		l.order.Remove(oldest)
		delete(l.byID, oldest.Value.(*account).ID)
	}
}

// Len is how many generated accounts are in memory.
func (l *generatedLRU) Len() int { return l.order.Len() }

// lookup finds an account in memory, linked or generated, without
// materializing one. Callers hold mu.
func (e *Emulator) lookup(id string) *account {
	if a := e.accounts[id]; a != nil {
		return a
	}
	return e.generated.get(id)
}

// disconnect is POST /v1/financial_connections/accounts/{id}/disconnect:
// the account stops being refreshable (its earlier data stays readable)
// and Stripe sends financial_connections.account.disconnected.
func (e *Emulator) disconnect(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	e.mu.Lock()
	a := e.accountOr404(w, id)
	if a == nil {
		e.mu.Unlock()
		return
	}
	changed := a.Status != "disconnected"
	a.Status = "disconnected"
	out := e.accountJSON(a)
	e.mu.Unlock()
	if changed {
		e.sendEventFor("financial_connections.account.disconnected", id, requestOf(r))
	}
	writeJSON(w, out)
}

// eventRequest is an event's request: the API call that caused it, or
// nulls for what Stripe does on its own (a refresh completing).
type eventRequest struct {
	ID             string `json:"id"`
	IdempotencyKey string `json:"idempotency_key"`
}

type requestKey struct{}

func requestOf(r *http.Request) *eventRequest {
	if req, ok := r.Context().Value(requestKey{}).(eventRequest); ok {
		return &req
	}
	return nil
}

func (q *eventRequest) json() map[string]any {
	if q == nil {
		return map[string]any{"id": nil, "idempotency_key": nil}
	}
	return map[string]any{"id": q.ID, "idempotency_key": nullable(q.IdempotencyKey)}
}

// The enum values of the list parameters the sandbox reads (2024-06-20).
var (
	sessionPermissions = []string{"balances", "ownership", "payment_method", "transactions"}
	sessionPrefetch    = []string{"balances", "ownership", "transactions"}
	refreshFeatures    = []string{"balance", "ownership", "transactions"}
)

// checkList validates a list parameter's values against its enum, as
// Stripe does (a 400 naming the item), and its presence when required.
func (e *Emulator) checkList(w http.ResponseWriter, f url.Values, name string, enum []string, required bool) bool {
	vals := listValues(f, name)
	if required && len(vals) == 0 {
		stripeError(w, http.StatusBadRequest, stripe.ErrorTypeInvalidRequest, stripe.ErrorCodeParameterMissing, name, "Missing required param: "+name+".")
		return false
	}
	for i, v := range vals {
		if !slices.Contains(enum, v) {
			param := fmt.Sprintf("%s[%d]", name, i)
			stripeError(w, http.StatusBadRequest, stripe.ErrorTypeInvalidRequest, "", param,
				fmt.Sprintf("Invalid %s: must be one of %s", param, strings.Join(enum, ", ")))
			return false
		}
	}
	return true
}

func filtersJSON(f *sessionFilters) any {
	if f == nil {
		return nil
	}
	out := map[string]any{"countries": f.Countries}
	if len(f.AccountSubcategories) > 0 {
		out["account_subcategories"] = f.AccountSubcategories
	}
	return out
}

// customerJSON is a 2024-06-20 customer as Stripe sends it unexpanded
// (cash_balance, sources, subscriptions, tax and tax_ids come only with
// expand[]).
func customerJSON(id string, c customer) map[string]any {
	return map[string]any{
		"id": id, "object": "customer", "livemode": false, "created": c.Created.Unix(),
		"email": nullable(c.Email), "name": nullable(c.Name), "phone": nil, "description": nil,
		"address": nil, "shipping": nil, "balance": 0, "currency": nil, "default_source": nil, "delinquent": false,
		"discount": nil, "invoice_prefix": strings.ToUpper(strings.TrimPrefix(id, "cus_sbx")),
		"invoice_settings": map[string]any{"custom_fields": nil, "default_payment_method": nil, "footer": nil, "rendering_options": nil},
		"metadata":         map[string]any{}, "next_invoice_sequence": 1, "preferred_locales": []string{},
		"tax_exempt": "none", "test_clock": nil,
	}
}

// queue is a FIFO of ids.
type queue struct {
	ids  []string
	head int
}

func (q *queue) push(id string) { q.ids = append(q.ids, id) }

func (q *queue) len() int { return len(q.ids) - q.head }

func (q *queue) pop() string {
	id := q.ids[q.head]
	q.ids[q.head] = ""
	q.head++
	if q.head > len(q.ids)/2 { // compact, so the array does not only grow
		q.ids = append([]string(nil), q.ids[q.head:]...)
		q.head = 0
	}
	return id
}

// forgetOldCustomers records a new customer and forgets the oldest past
// MaxSessions. Callers hold mu.
func (e *Emulator) forgetOldCustomers(id string) {
	e.customerOrder.push(id)
	for e.customerOrder.len() > e.cfg.MaxSessions {
		delete(e.customers, e.customerOrder.pop())
	}
}

// forgetOldSessions records a new session and forgets the oldest past
// MaxSessions, with the accounts linked in it. Callers hold mu.
func (e *Emulator) forgetOldSessions(id string) {
	e.sessionOrder.push(id)
	for e.sessionOrder.len() > e.cfg.MaxSessions {
		old := e.sessionOrder.pop()
		if s := e.sessions[old]; s != nil {
			for _, a := range s.Accounts {
				delete(e.accounts, a)
			}
		}
		delete(e.sessions, old)
	}
}
