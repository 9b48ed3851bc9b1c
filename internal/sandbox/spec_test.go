package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/ownercheck/ownercheck/internal/testutil/stripemock"
)

// Every object the sandbox answers with validates against the schema of
// Stripe's spec (the one stripe-mock embeds, whose objects for these calls
// are 2024-06-20's: see TestSpecAgreesWithStripeGoV79 in internal/fc):
// types, nullability and enums, not only field names.
func TestObjectsValidateAgainstStripesSpec(t *testing.T) {
	if testing.Short() && os.Getenv("OWNERCHECK_REQUIRE_REDIS") == "" {
		t.Skip("reads stripe-mock's spec")
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(stripemock.ModuleFile(t, "embedded/openapi/spec3.json"))
	if err != nil {
		t.Fatal(err)
	}
	payloads := make(chan []byte, 10)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		payloads <- b
	}))
	defer hook.Close()
	e, _ := New(Config{WebhookURL: hook.URL, WebhookSecret: "whsec_spec", PendingFor: time.Hour})
	s := newSession(t, e, "&return_url=https%3A%2F%2Fexample.com%2Fdone&filters[countries][]=US&filters[account_subcategories][]=checking")
	sess := s["id"].(string)
	ids, err := e.Link(sess, "good")
	if err != nil {
		t.Fatal(err)
	}
	cus := s["account_holder"].(map[string]any)["customer"].(string)
	_, gen := call(t, e, "GET", "/v1/financial_connections/accounts/fca_gen_3", "")
	validate := func(what, schema string, raw []byte) {
		t.Helper()
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if err := doc.Components.Schemas[schema].Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
			t.Errorf("%s: not a valid %s:\n%v", what, schema, err)
		}
	}
	for _, tc := range []struct{ schema, method, path, form string }{
		{"customer", "GET", "/v1/customers/" + cus, ""},
		{"financial_connections.session", "GET", "/v1/financial_connections/sessions/" + sess, ""},
		{"financial_connections.account", "GET", "/v1/financial_connections/accounts/" + ids[0], ""},
		{"financial_connections.account", "POST", "/v1/financial_connections/accounts/" + ids[0] + "/refresh", "features[]=ownership"},
		{"financial_connections.account", "GET", "/v1/financial_connections/accounts/fca_gen_3", ""},
		{"financial_connections.account", "POST", "/v1/financial_connections/accounts/fca_gen_4/disconnect", ""},
		{"financial_connections.account_owner", "GET", "/v1/financial_connections/accounts/fca_gen_3/owners", "ownership=" + gen["ownership"].(string)},
		{"financial_connections.account", "GET", "/v1/financial_connections/accounts", "session=" + sess},
	} {
		ref := doc.Components.Schemas[tc.schema]
		if ref == nil {
			t.Fatalf("spec has no schema %s", tc.schema)
		}
		w, body := call(t, e, tc.method, tc.path, tc.form)
		if w.Code != 200 {
			t.Fatalf("%s %s: %d %v", tc.method, tc.path, w.Code, body)
		}
		objects := []any{body}
		if body["object"] == "list" {
			objects = body["data"].([]any)
		}
		for _, obj := range objects {
			b, _ := json.Marshal(obj)
			validate(tc.method+" "+tc.path, tc.schema, b)
		}
	}
	// The webhooks: .created on linking, .disconnected after the call.
	for range 2 {
		select {
		case b := <-payloads:
			validate("webhook event", "event", b)
		case <-time.After(5 * time.Second): // a hang guard
			t.Fatal("no webhook")
		}
	}
}
