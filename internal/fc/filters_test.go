package fc

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// A configured subcategory list replaces the default on the wire; a bad
// one is refused when the client is built, not on every session.
func TestSessionFiltersConfigured(t *testing.T) {
	c, st := newClient(t, StripeConfig{SessionFilters: &SessionFilters{Countries: []string{"US"}, AccountSubcategories: []string{"savings"}}},
		func(n int, r *http.Request, w http.ResponseWriter) {
			io.WriteString(w, `{"id":"fcsess_1","object":"financial_connections.session","client_secret":"sec"}`)
		})
	if _, err := c.CreateSession(context.Background(), CreateSessionParams{Customer: "cus_1"}); err != nil {
		t.Fatal(err)
	}
	f := st.requests()[0].Form
	if got := f.Get("filters[account_subcategories][0]") + "|" + f.Get("filters[account_subcategories][1]"); got != "savings|" {
		t.Errorf("subcategories on the wire: %q", got)
	}
	for _, bad := range []SessionFilters{
		{Countries: []string{"US"}, AccountSubcategories: []string{"brokerage"}},
		{Countries: []string{"US"}},
		{Countries: []string{"usa"}, AccountSubcategories: []string{"checking"}},
		{AccountSubcategories: []string{"checking"}},
	} {
		if _, err := NewStripe(StripeConfig{SecretKey: "sk_test_x", SessionFilters: &bad}); err == nil {
			t.Errorf("filters %+v accepted", bad)
		}
	}
}

func TestParseAccountSubcategories(t *testing.T) {
	if got, err := ParseAccountSubcategories(" checking, savings ,"); err != nil || strings.Join(got, ",") != "checking,savings" {
		t.Errorf("%v %v", got, err)
	}
	if _, err := ParseAccountSubcategories("checking,stocks"); err == nil || !strings.Contains(err.Error(), `"stocks"`) {
		t.Errorf("unknown subcategory: %v", err)
	}
}

// Disconnect posts to the account's disconnect endpoint; an unknown
// account is ErrNotFound.
func TestDisconnect(t *testing.T) {
	c, st := newClient(t, StripeConfig{}, func(n int, r *http.Request, w http.ResponseWriter) {
		if strings.Contains(r.URL.Path, "fca_gone") {
			w.WriteHeader(404)
			io.WriteString(w, `{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such account"}}`)
			return
		}
		io.WriteString(w, `{"id":"fca_1","object":"financial_connections.account","status":"disconnected"}`)
	})
	var d Disconnecter = c
	if err := d.Disconnect(context.Background(), "fca_1"); err != nil {
		t.Fatal(err)
	}
	if r := st.requests()[0]; r.Method+" "+r.Path != "POST /v1/financial_connections/accounts/fca_1/disconnect" {
		t.Errorf("request %s %s", r.Method, r.Path)
	}
	if err := d.Disconnect(context.Background(), "fca_gone"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown account: %v", err)
	}
}
