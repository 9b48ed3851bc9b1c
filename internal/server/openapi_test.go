package server

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/goccy/go-yaml"

	"github.com/ownercheck/ownercheck/internal/apperr"
)

// internal/server/openapi.yaml documents exactly the routes the server registers (the
// sandbox's catch-all aside, which the document describes by its pages).
func TestOpenAPIMatchesRoutes(t *testing.T) {
	raw, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                    `yaml:"openapi"`
		Paths   map[string]map[string]any `yaml:"paths"`
		Comps   struct {
			Schemas struct {
				Error struct {
					Properties struct {
						Error struct {
							Properties struct {
								Type struct {
									Enum []string `yaml:"enum"`
								} `yaml:"type"`
							} `yaml:"properties"`
						} `yaml:"error"`
					} `yaml:"properties"`
				} `yaml:"Error"`
			} `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("internal/server/openapi.yaml: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method != "parameters" {
				documented[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	h := newHarness(t, opts{})
	registered := map[string]bool{}
	for _, r := range h.srv.apiEngine().Routes() {
		registered[r.Method+" "+r.Path] = true
	}
	for r := range registered {
		if !documented[r] {
			t.Errorf("route %s is not in internal/server/openapi.yaml", r)
		}
	}
	for d := range documented {
		if !registered[d] && !strings.HasPrefix(strings.Fields(d)[1], "/sandbox/") {
			t.Errorf("internal/server/openapi.yaml documents %s, which the server does not serve", d)
		}
	}
	types := doc.Comps.Schemas.Error.Properties.Error.Properties.Type.Enum
	for _, kind := range []string{apperr.KindInvalid, apperr.KindUnauthorized, apperr.KindNotFound, apperr.KindConflict,
		apperr.KindTooLarge, apperr.KindRateLimited, apperr.KindUnavailable, apperr.KindInternal} {
		if !slices.Contains(types, kind) {
			t.Errorf("error type %q is missing from the Error schema", kind)
		}
	}
}

// The document is a valid OpenAPI 3.1 document (kin-openapi's validation;
// tools/test also runs Redocly's linter on it), and the server serves the
// same bytes.
func TestOpenAPIIsValidAndServed(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPI)
	if err != nil {
		t.Fatalf("internal/server/openapi.yaml does not load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("internal/server/openapi.yaml is not valid: %v", err)
	}
	h := newHarness(t, opts{})
	rec := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/openapi.yaml", nil))
	if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), OpenAPI) || rec.Header().Get("Content-Type") != "application/yaml" {
		t.Fatalf("GET /openapi.yaml: %d %q, %d bytes", rec.Code, rec.Header().Get("Content-Type"), rec.Body.Len())
	}
}
