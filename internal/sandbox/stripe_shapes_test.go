package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v79"
	"github.com/stripe/stripe-go/v79/webhook"
)

// call makes one raw API request (form body for POST, query otherwise)
// and decodes the JSON answer.
func call(t *testing.T, e *Emulator, method, path, form string, header ...string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(form)
	} else if form != "" {
		path += "?" + form
	}
	r := httptest.NewRequest(method, path, body)
	r.Header.Set("Authorization", "Bearer sk_test_x")
	if method == http.MethodPost {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s %s: not JSON: %s", method, path, w.Body)
	}
	return w, out
}

func errorOf(body map[string]any) map[string]any {
	e, _ := body["error"].(map[string]any)
	return e
}

// newSession creates a customer and a session with the given extra form.
func newSession(t *testing.T, e *Emulator, extra string) map[string]any {
	t.Helper()
	_, cus := call(t, e, "POST", "/v1/customers", "email=a%40example.com")
	w, s := call(t, e, "POST", "/v1/financial_connections/sessions",
		"account_holder[type]=customer&account_holder[customer]="+cus["id"].(string)+"&permissions[]=ownership&prefetch[]=ownership"+extra)
	if w.Code != 200 {
		t.Fatalf("session: %d %v", w.Code, s)
	}
	return s
}

func jsonKeys(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func mapKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// The objects carry exactly the fields of Stripe's 2024-06-20 objects
// (stripe-go v79 is generated from that spec): nothing invented, nothing
// left out that Stripe always sends.
func TestObjectsHaveThe20240620Fields(t *testing.T) {
	e, _ := New(Config{})
	s := newSession(t, e, "&return_url=https%3A%2F%2Fexample.com%2Fdone")
	if _, err := e.Link(s["id"].(string), "good"); err != nil {
		t.Fatal(err)
	}
	_, s = call(t, e, "GET", "/v1/financial_connections/sessions/"+s["id"].(string), "")
	linked := s["accounts"].(map[string]any)["data"].([]any)[0].(map[string]any)
	_, generated := call(t, e, "GET", "/v1/financial_connections/accounts/fca_gen_7", "")

	want := jsonKeys(reflect.TypeOf(stripe.FinancialConnectionsAccount{}))
	for name, acct := range map[string]map[string]any{"linked": linked, "generated": generated} {
		if got := mapKeys(acct); !slices.Equal(got, want) {
			t.Errorf("%s account fields\n got %v\nwant %v", name, got, want)
		}
		if c, _ := acct["created"].(float64); c <= 0 {
			t.Errorf("%s account created = %v", name, acct["created"])
		}
		if l4, _ := acct["last4"].(string); len(l4) != 4 {
			t.Errorf("%s account last4 = %v", name, acct["last4"])
		}
	}
	if got, want := mapKeys(s), jsonKeys(reflect.TypeOf(stripe.FinancialConnectionsSession{})); !slices.Equal(got, want) {
		t.Errorf("session fields\n got %v\nwant %v", got, want)
	}
	_, cus := call(t, e, "GET", "/v1/customers/"+s["account_holder"].(map[string]any)["customer"].(string), "")
	known := jsonKeys(reflect.TypeOf(stripe.Customer{}))
	for _, k := range mapKeys(cus) {
		if !slices.Contains(known, k) {
			t.Errorf("customer field %q is not Stripe's", k)
		}
	}
	if cus["email"] != "a@example.com" || cus["created"] == nil || cus["livemode"] != false {
		t.Errorf("customer %v", cus)
	}
	_, owners := call(t, e, "GET", "/v1/financial_connections/accounts/fca_gen_7/owners", "ownership="+generated["ownership"].(string))
	owner := owners["data"].([]any)[0].(map[string]any)
	if got, want := mapKeys(owner), jsonKeys(reflect.TypeOf(stripe.FinancialConnectionsAccountOwner{})); !slices.Equal(got, want) {
		t.Errorf("owner fields\n got %v\nwant %v", got, want)
	}
	if s["return_url"] != "https://example.com/done" {
		t.Errorf("return_url = %v", s["return_url"])
	}
}

// Stripe takes list parameters as name[]=v (Stripe.js, curl) as well as
// name[0]=v (stripe-go).
func TestListParametersInBothEncodings(t *testing.T) {
	e, _ := New(Config{})
	for _, form := range []string{"features[]=ownership", "features[0]=ownership", "features[]=balance&features[]=ownership"} {
		w, body := call(t, e, "POST", "/v1/financial_connections/accounts/fca_gen_1/refresh", form)
		if w.Code != 200 || body["ownership_refresh"].(map[string]any)["status"] != "pending" {
			t.Errorf("%s: %d %v", form, w.Code, body)
		}
		e, _ = New(Config{}) // a fresh account each time: no refresh in flight
	}
	w, body := call(t, e, "POST", "/v1/financial_connections/accounts/fca_gen_1/refresh", "features[]=everything")
	if w.Code != 400 || errorOf(body)["param"] != "features[0]" || errorOf(body)["code"] != nil {
		t.Errorf("bad enum value: %d %v", w.Code, body)
	}
	w, body = call(t, e, "POST", "/v1/financial_connections/accounts/fca_gen_1/refresh", "")
	if w.Code != 400 || errorOf(body)["code"] != "parameter_missing" || errorOf(body)["param"] != "features" {
		t.Errorf("no features: %d %v", w.Code, body)
	}
}

// An unknown parameter is Stripe's 400 parameter_unknown naming it, on
// every endpoint; the parameters Stripe does take (expand, metadata …)
// pass.
func TestUnknownParametersRefused(t *testing.T) {
	e, _ := New(Config{})
	s := newSession(t, e, "")
	sess := s["id"].(string)
	cus := s["account_holder"].(map[string]any)["customer"].(string)
	for _, tc := range []struct{ method, path, form, unknown string }{
		{"POST", "/v1/financial_connections/sessions", "account_holder[type]=customer&account_holder[customer]=" + cus + "&permissions[0]=ownership&ownership_only=true", "ownership_only"},
		{"POST", "/v1/financial_connections/sessions", "account_holder[type]=customer&account_holder[customer]=" + cus + "&account_holder[nickname]=x&permissions[0]=ownership", "account_holder[nickname]"},
		{"POST", "/v1/customers", "email=a%40example.com&ssn=123", "ssn"},
		{"GET", "/v1/customers/" + cus, "email=a", "email"},
		{"GET", "/v1/financial_connections/sessions/" + sess, "permissions[0]=ownership", "permissions"},
		{"GET", "/v1/financial_connections/accounts/fca_gen_1", "foo=1", "foo"},
		{"GET", "/v1/financial_connections/accounts", "session=" + sess + "&customer=" + cus, "customer"},
		{"POST", "/v1/financial_connections/accounts/fca_gen_1/refresh", "features[0]=ownership&force=true", "force"},
		{"GET", "/v1/financial_connections/accounts/fca_gen_1/owners", "ownership=fcaowns_gen_1&page=2", "page"},
		{"POST", "/v1/financial_connections/accounts/fca_gen_1/disconnect", "reason=done", "reason"},
	} {
		w, body := call(t, e, tc.method, tc.path, tc.form)
		if err := errorOf(body); w.Code != 400 || err["code"] != "parameter_unknown" || err["param"] != tc.unknown ||
			err["type"] != "invalid_request_error" || !strings.Contains(err["message"].(string), tc.unknown) {
			t.Errorf("%s %s?%s: %d %v; want parameter_unknown %s", tc.method, tc.path, tc.form, w.Code, body, tc.unknown)
		}
	}
	for _, tc := range []struct{ method, path, form string }{
		{"POST", "/v1/customers", "email=a%40example.com&metadata[signup]=42&expand[]=default_source"},
		{"GET", "/v1/financial_connections/accounts/fca_gen_1", "expand[]=ownership"},
		{"GET", "/v1/financial_connections/sessions/" + sess, "expand[0]=accounts.data.ownership"},
		{"GET", "/v1/financial_connections/accounts", "session=" + sess + "&limit=5"},
	} {
		if w, body := call(t, e, tc.method, tc.path, tc.form); w.Code != 200 {
			t.Errorf("%s %s?%s refused: %d %v", tc.method, tc.path, tc.form, w.Code, body)
		}
	}
}

// Only Stripe's error codes, and no Stripe-Should-Retry on faults: Stripe
// does not promise a 500 is safe to retry.
func TestFaultsLikeStripe(t *testing.T) {
	e, _ := New(Config{Fault: func(r *http.Request) *Fault { return &Fault{Status: 500} }})
	w, body := call(t, e, "GET", "/v1/financial_connections/accounts/fca_gen_1", "")
	if w.Code != 500 || w.Header().Get("Stripe-Should-Retry") != "" || errorOf(body)["type"] != "api_error" {
		t.Errorf("500: %d %v %v", w.Code, w.Header(), body)
	}
	e, _ = New(Config{})
	s := newSession(t, e, "")
	ids, err := e.Link(s["id"].(string), "inactive")
	if err != nil {
		t.Fatal(err)
	}
	w, body = call(t, e, "POST", "/v1/financial_connections/accounts/"+ids[0]+"/refresh", "features[]=ownership")
	if w.Code != 400 || errorOf(body)["code"] != string(stripe.ErrorCodeFinancialConnectionsAccountInactive) {
		t.Errorf("refreshing an inactive account: %d %v", w.Code, body)
	}
}

// POST …/disconnect ends access: the account reads disconnected, a
// .disconnected event names the request that caused it, refreshes are
// refused, and a second call changes nothing.
func TestDisconnectEndpoint(t *testing.T) {
	const secret = "whsec_test"
	events := make(chan stripe.Event, 10)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ev, err := webhook.ConstructEvent(body, r.Header.Get("Stripe-Signature"), secret)
		if err != nil {
			t.Errorf("webhook does not verify: %v", err)
		}
		events <- ev
	}))
	defer hook.Close()
	e, _ := New(Config{WebhookURL: hook.URL, WebhookSecret: secret})
	w, body := call(t, e, "POST", "/v1/financial_connections/accounts/fca_gen_3/disconnect", "", "Idempotency-Key", "dis-1")
	if w.Code != 200 || body["status"] != "disconnected" || body["id"] != "fca_gen_3" {
		t.Fatalf("disconnect: %d %v", w.Code, body)
	}
	ev := waitEvent(t, events)
	if ev.Type != "financial_connections.account.disconnected" || ev.Data.Object["status"] != "disconnected" ||
		ev.Request == nil || ev.Request.ID != w.Header().Get("Request-Id") || ev.Request.IdempotencyKey != "dis-1" {
		t.Fatalf("event %s %v request %+v (response Request-Id %s)", ev.Type, ev.Data.Object["status"], ev.Request, w.Header().Get("Request-Id"))
	}
	if _, a := call(t, e, "GET", "/v1/financial_connections/accounts/fca_gen_3", ""); a["status"] != "disconnected" || a["ownership"] == nil {
		t.Errorf("after disconnect (earlier data stays readable): %v", a)
	}
	if w, body := call(t, e, "POST", "/v1/financial_connections/accounts/fca_gen_3/refresh", "features[]=ownership"); w.Code != 400 {
		t.Errorf("refresh after disconnect: %d %v", w.Code, body)
	}
	if w, _ := call(t, e, "POST", "/v1/financial_connections/accounts/fca_gen_3/disconnect", ""); w.Code != 200 {
		t.Errorf("second disconnect: %d", w.Code)
	}
	select {
	case ev := <-events:
		t.Errorf("a second disconnect sent %s", ev.Type)
	case <-time.After(100 * time.Millisecond): // nothing arrives: no event to wait for
	}
	if w, body := call(t, e, "POST", "/v1/financial_connections/accounts/fca_nope/disconnect", ""); w.Code != 404 || errorOf(body)["code"] != "resource_missing" {
		t.Errorf("unknown account: %d %v", w.Code, body)
	}
}

// filters[countries] and filters[account_subcategories] restrict what the
// person can link, and the session echoes them.
func TestSessionFilters(t *testing.T) {
	e, _ := New(Config{})
	s := newSession(t, e, "&filters[countries][]=US&filters[account_subcategories][]=savings")
	f, _ := s["filters"].(map[string]any)
	if !reflect.DeepEqual(f["countries"], []any{"US"}) || !reflect.DeepEqual(f["account_subcategories"], []any{"savings"}) {
		t.Fatalf("session filters: %v", s["filters"])
	}
	ids, err := e.Link(s["id"].(string), "two_accounts")
	if err != nil || len(ids) != 1 {
		t.Fatalf("linking checking+savings with a savings filter: %v %v", ids, err)
	}
	if _, a := call(t, e, "GET", "/v1/financial_connections/accounts/"+ids[0], ""); a["subcategory"] != "savings" {
		t.Errorf("linked %v", a)
	}
	if _, err := e.Link(s["id"].(string), "good"); err == nil {
		t.Error("a checking-only bank linked under a savings filter")
	}
	abroad := newSession(t, e, "&filters[countries][0]=CA")
	if _, err := e.Link(abroad["id"].(string), "good"); err == nil {
		t.Error("a US bank linked under a CA-only filter")
	}
	if s := newSession(t, e, ""); s["filters"] != nil {
		t.Errorf("no filters given: %v", s["filters"])
	}
	w, body := call(t, e, "POST", "/v1/financial_connections/sessions",
		"account_holder[type]=customer&account_holder[customer]=cus_x&permissions[]=ownership&filters[account_subcategories][0]=brokerage")
	if w.Code != 400 || errorOf(body)["param"] != "filters[account_subcategories][0]" {
		t.Errorf("bad subcategory: %d %v", w.Code, body)
	}
}

// A test bank is one bank: linked by two customers, its account gets two
// fca_ ids but the same institution, last4 and owners (issue 11's
// fingerprint depends on it); another bank's account has another last4.
func TestSameBankSameData(t *testing.T) {
	e, _ := New(Config{PendingFor: time.Millisecond})
	view := func(inst string) (string, map[string]any, string) {
		s := newSession(t, e, "")
		ids, err := e.Link(s["id"].(string), inst)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond) // past PendingFor, so the read settles the refresh
		_, a := call(t, e, "GET", "/v1/financial_connections/accounts/"+ids[0], "")
		_, owners := call(t, e, "GET", "/v1/financial_connections/accounts/"+ids[0]+"/owners", "ownership="+a["ownership"].(string))
		var names []string
		for _, o := range owners["data"].([]any) {
			o := o.(map[string]any)
			names = append(names, o["name"].(string)+"|"+o["raw_address"].(string))
		}
		return ids[0], a, strings.Join(names, ";")
	}
	id1, a1, o1 := view("good")
	id2, a2, o2 := view("good")
	if id1 == id2 {
		t.Fatal("two links share an fca_ id")
	}
	if a1["institution_name"] != a2["institution_name"] || a1["last4"] != a2["last4"] || o1 != o2 || o1 == "" {
		t.Errorf("same bank, different data: %v/%v %v/%v %q/%q", a1["institution_name"], a2["institution_name"], a1["last4"], a2["last4"], o1, o2)
	}
	if _, other, _ := view("near_miss"); other["last4"] == a1["last4"] {
		t.Errorf("two banks share last4 %v", other["last4"])
	}
}

// Generated accounts are kept up to MaxGenerated: walking new ids does not
// grow the sandbox, and one forgotten comes back with the same owners.
func TestGeneratedAccountsBounded(t *testing.T) {
	e, _ := New(Config{MaxGenerated: 50})
	_, first := call(t, e, "GET", "/v1/financial_connections/accounts/fca_gen_0", "")
	for n := 1; n <= 1000; n++ {
		if w, _ := call(t, e, "GET", "/v1/financial_connections/accounts/fca_gen_"+strconv.Itoa(n), ""); w.Code != 200 {
			t.Fatalf("fca_gen_%d: %d", n, w.Code)
		}
	}
	e.mu.Lock()
	kept := e.generated.Len()
	e.mu.Unlock()
	if kept != 50 {
		t.Errorf("%d generated accounts in memory; want the bound, 50", kept)
	}
	w, owners := call(t, e, "GET", "/v1/financial_connections/accounts/fca_gen_0/owners", "ownership="+first["ownership"].(string))
	if w.Code != 200 || len(owners["data"].([]any)) != 1 {
		t.Errorf("owners of a forgotten account with its first ownership id: %d %v", w.Code, owners)
	}
}

// Customers and sessions (with their linked accounts) are kept up to
// MaxSessions: the oldest are forgotten (404), the newest still work.
func TestSessionsBounded(t *testing.T) {
	e, _ := New(Config{MaxSessions: 20})
	var first, last map[string]any
	var firstAccounts []string
	for i := range 200 {
		s := newSession(t, e, "")
		ids, err := e.Link(s["id"].(string), "good")
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first, firstAccounts = s, ids
		}
		last = s
	}
	e.mu.Lock()
	sizes := []int{len(e.customers), len(e.sessions), len(e.accounts)}
	e.mu.Unlock()
	if sizes[0] != 20 || sizes[1] != 20 || sizes[2] != 20 {
		t.Errorf("kept customers, sessions, accounts = %v; want 20 each", sizes)
	}
	if w, _ := call(t, e, "GET", "/v1/financial_connections/sessions/"+first["id"].(string), ""); w.Code != 404 {
		t.Errorf("oldest session: %d", w.Code)
	}
	if w, _ := call(t, e, "GET", "/v1/financial_connections/accounts/"+firstAccounts[0], ""); w.Code != 404 {
		t.Errorf("oldest session's account: %d", w.Code)
	}
	if w, s := call(t, e, "GET", "/v1/financial_connections/sessions/"+last["id"].(string), ""); w.Code != 200 || len(s["accounts"].(map[string]any)["data"].([]any)) != 1 {
		t.Errorf("newest session: %d %v", w.Code, s)
	}
}
