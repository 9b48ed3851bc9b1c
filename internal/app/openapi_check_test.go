package app

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/ownercheck/ownercheck/internal/server"
)

var (
	specOnce   sync.Once
	specRouter routers.Router
	specErr    error
)

// apiSpec is a router over the served OpenAPI document, with its servers
// dropped so that it matches the test's 127.0.0.1:<port>.
func apiSpec(t *testing.T) routers.Router {
	t.Helper()
	specOnce.Do(func() {
		var doc *openapi3.T
		if doc, specErr = openapi3.NewLoader().LoadFromData(server.OpenAPI); specErr != nil {
			return
		}
		doc.Servers = nil
		specRouter, specErr = legacy.NewRouter(doc)
	})
	if specErr != nil {
		t.Fatalf("openapi.yaml: %v", specErr)
	}
	return specRouter
}

// checkResponse validates a live response (status, headers, body) against
// the OpenAPI document: what the service answers is what it documents.
func checkResponse(t *testing.T, req *http.Request, resp *http.Response, body []byte) {
	t.Helper()
	if strings.HasPrefix(req.URL.Path, "/sandbox/v1/") {
		return // the emulated Stripe API: Stripe's spec, checked in internal/sandbox
	}
	if err := specMismatch(t, req, resp, body); err != nil {
		t.Errorf("%s %s → %d does not match openapi.yaml: %v\nbody: %.400s", req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
}

func specMismatch(t *testing.T, req *http.Request, resp *http.Response, body []byte) error {
	t.Helper()
	route, params, err := apiSpec(t).FindRoute(req)
	if err != nil {
		return err
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	return openapi3filter.ValidateResponse(context.Background(), in)
}

// The check has teeth: an undocumented status, a body off its schema and
// an unknown route are each caught.
func TestSpecCheckCatchesMismatches(t *testing.T) {
	get := func(path string) *http.Request {
		r, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:1"+path, nil)
		return r
	}
	jsonResp := func(status int) *http.Response {
		return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}}}
	}
	if err := specMismatch(t, get("/healthz"), jsonResp(200), []byte(`{"status":"ok"}`)); err != nil {
		t.Fatalf("a documented answer was refused: %v", err)
	}
	for name, c := range map[string]struct {
		req    *http.Request
		status int
		body   string
	}{
		"body off schema":      {get("/healthz"), 200, `{"status":"nope"}`},
		"undocumented status":  {get("/healthz"), 418, `{"status":"ok"}`},
		"route not documented": {get("/v1/nothing"), 200, `{}`},
	} {
		if specMismatch(t, c.req, jsonResp(c.status), []byte(c.body)) == nil {
			t.Errorf("%s: not caught", name)
		}
	}
}
