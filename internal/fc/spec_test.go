package fc

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v79"

	"github.com/ownercheck/ownercheck/internal/testutil/stripemock"
)

// topLevel lists the top-level names of a stripe-go type's form (params)
// or json (objects) tags; stripe.Params contributes only expand (its
// metadata is a deprecated catch-all, declared by the endpoints that take
// it).
func topLevel(t reflect.Type, tag string) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get(tag), ",")
		switch {
		case f.Type == reflect.TypeOf(stripe.Params{}):
			out = append(out, "expand")
		case name == "*":
			out = append(out, topLevel(f.Type, tag)...)
		case name != "" && name != "-" && f.IsExported():
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// stripe-mock's spec is 2024-09-30.acacia (no release embedding
// 2024-06-20 can be had, see package stripemock); stripe-go v79 is
// generated from 2024-06-20. For every endpoint and object ownercheck uses
// they agree exactly, so stripe-mock validating our requests and our
// fixtures is validating them against 2024-06-20. A newer stripe-mock that
// changed any of them fails here, before the conformance tests mislead.
func TestSpecAgreesWithStripeGoV79(t *testing.T) {
	if testing.Short() && os.Getenv("OWNERCHECK_REQUIRE_REDIS") == "" {
		t.Skip("reads stripe-mock's module")
	}
	raw, err := os.ReadFile(stripemock.ModuleFile(t, "embedded/openapi/spec3.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Info  struct{ Version string }
		Paths map[string]map[string]struct {
			Parameters []struct{ Name, In string }
			// the form body's properties
			RequestBody struct {
				Content map[string]struct {
					Schema struct{ Properties map[string]any }
				}
			}
		}
		Components struct {
			Schemas map[string]struct{ Properties map[string]any }
		}
	}
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	t.Logf("stripe-mock spec %s, stripe-go v79 API %s", spec.Info.Version, stripe.APIVersion)
	params := func(path, method string) []string {
		op, ok := spec.Paths[path][method]
		if !ok {
			t.Fatalf("spec has no %s %s", method, path)
		}
		var out []string
		for _, p := range op.Parameters {
			if p.In == "query" {
				out = append(out, p.Name)
			}
		}
		for k := range op.RequestBody.Content["application/x-www-form-urlencoded"].Schema.Properties {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	retrieve := []string{"expand"}
	for _, tc := range []struct {
		method, path string
		want         []string
	}{
		{"post", "/v1/financial_connections/sessions", topLevel(reflect.TypeOf(stripe.FinancialConnectionsSessionParams{}), "form")},
		{"get", "/v1/financial_connections/sessions/{session}", retrieve},
		{"get", "/v1/financial_connections/accounts", topLevel(reflect.TypeOf(stripe.FinancialConnectionsAccountListParams{}), "form")},
		{"get", "/v1/financial_connections/accounts/{account}", retrieve},
		{"post", "/v1/financial_connections/accounts/{account}/refresh", topLevel(reflect.TypeOf(stripe.FinancialConnectionsAccountRefreshParams{}), "form")},
		{"post", "/v1/financial_connections/accounts/{account}/disconnect", topLevel(reflect.TypeOf(stripe.FinancialConnectionsAccountDisconnectParams{}), "form")},
		{"get", "/v1/financial_connections/accounts/{account}/owners", topLevel(reflect.TypeOf(stripe.FinancialConnectionsAccountListOwnersParams{}), "form")},
		{"get", "/v1/customers/{customer}", retrieve},
	} {
		if got := params(tc.path, tc.method); !slices.Equal(got, tc.want) {
			t.Errorf("%s %s parameters\n spec      %v\n stripe-go %v", tc.method, tc.path, got, tc.want)
		}
	}
	if got := params("/v1/customers", "post"); !slices.Contains(got, "email") || !slices.Contains(got, "name") {
		t.Errorf("POST /v1/customers takes %v", got)
	}
	for schema, typ := range map[string]reflect.Type{
		"financial_connections.account":       reflect.TypeOf(stripe.FinancialConnectionsAccount{}),
		"financial_connections.session":       reflect.TypeOf(stripe.FinancialConnectionsSession{}),
		"financial_connections.account_owner": reflect.TypeOf(stripe.FinancialConnectionsAccountOwner{}),
	} {
		var got []string
		for k := range spec.Components.Schemas[schema].Properties {
			got = append(got, k)
		}
		sort.Strings(got)
		if want := topLevel(typ, "json"); !slices.Equal(got, want) {
			t.Errorf("%s fields\n spec      %v\n stripe-go %v", schema, got, want)
		}
	}
}
