package app

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// OWNERCHECK_ACCOUNT_SUBCATEGORIES reaches the real session request: with
// savings only, the sandbox links a bank's savings account and not its
// checking, and a checking-only bank cannot be linked at all.
func TestSessionFiltersFromConfig(t *testing.T) {
	cfg := baseConfig(t)
	cfg.AccountSubcategories = []string{"savings"}
	a := start(t, cfg, io.Discard)
	c := &client{t: t, base: "http://" + a.Addr(), http: &http.Client{Timeout: 20 * time.Second}}
	r := c.authed("/v1/sessions", `{"customer":{"email":"jane.doe@example.com"}}`)
	if r.status != 201 {
		t.Fatalf("session: %d %s", r.status, r.raw)
	}
	sess := r.body["session"].(string)
	if ids := c.link(sess, "two_accounts"); len(ids) != 1 {
		t.Errorf("checking+savings under a savings filter linked %v", ids)
	}
	refused := c.do("POST", "/sandbox/link/"+sess, "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"institution": {"good"}}.Encode()), "Accept", "application/json")
	if refused.status != 400 {
		t.Errorf("checking-only bank under a savings filter: %d %s", refused.status, refused.raw)
	}
}
