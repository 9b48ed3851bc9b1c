package server

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/fc/fctest"
)

// slowStripe answers GetAccount only when release is closed.
func slowStripe(release chan struct{}) *fctest.Fake {
	f := fakeStripe()
	ready := f.GetAccountFn
	f.GetAccountFn = func(ctx context.Context, id string) (*fc.Account, error) {
		<-release
		return ready(ctx, "fca_ready")
	}
	return f
}

// Issue 7 item 5: a request that outlives its deadline is answered 503
// with Retry-After in the error shape (not dropped), and logged as such.
func TestRequestDeadlineAnswers503(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	h := newHarness(t, opts{fc: slowStripe(release), requestTimeout: 200 * time.Millisecond})
	start := time.Now()
	r := do(h.h, "POST", "/v1/verdicts", `{"customer":"cus_jane","accounts":["fca_slow"],"identity":`+jane+`}`, "Authorization", "Bearer "+key)
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("answered after %v with a 200ms deadline", el)
	}
	if r.status != 503 || r.errType() != "unavailable" {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
	}
	if !strings.Contains(h.logs.String(), `"route":"/v1/verdicts","status":503`) {
		t.Errorf("access log lacks the 503 sent:\n%s", h.logs.String())
	}
}

// A request still running past the server's write timeout cannot be
// answered: it is logged and counted with status 0, never with the status
// the handler wrote into a dead connection.
func TestPastWriteTimeoutIsLoggedUndelivered(t *testing.T) {
	release := make(chan struct{})
	h := newHarness(t, opts{fc: slowStripe(release), writeTimeout: 50 * time.Millisecond})
	time.AfterFunc(150*time.Millisecond, func() { close(release) })
	r := do(h.h, "POST", "/v1/verdicts", `{"customer":"cus_jane","accounts":["fca_slow"],"identity":`+jane+`}`, "Authorization", "Bearer "+key)
	if r.status != 200 {
		t.Fatalf("the recorder sees %d %s", r.status, r.raw)
	}
	logs := h.logs.String()
	if !strings.Contains(logs, `"route":"/v1/verdicts","status":0`) || strings.Contains(logs, `"route":"/v1/verdicts","status":200`) {
		t.Errorf("access log must record status 0:\n%s", logs)
	}
	m := do(h.h, "GET", "/metrics", "").raw
	if !strings.Contains(m, `ownercheck_http_requests_total{method="POST",route="/v1/verdicts",status="0"} 1`) {
		t.Error("metrics must count the request with status 0")
	}
}
