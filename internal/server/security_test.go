package server

import (
	"strings"
	"testing"
)

// Issue 9 item 2: one request with a made-up method (1 MB in the report)
// added its method verbatim to every scrape. Methods map to a fixed set.
func TestMetricsMethodLabelIsBounded(t *testing.T) {
	h := newHarness(t, opts{})
	made := strings.Repeat("X", 4096)
	for _, m := range []string{made, "FROB", "get", "PROPFIND"} {
		do(h.h, m, "/v1/verdicts", "")
	}
	do(h.h, "POST", "/v1/verdicts", `{}`)
	m := do(h.h, "GET", "/metrics", "").raw
	for _, bad := range []string{"FROB", "XXXX", "PROPFIND", `method="get"`} {
		if strings.Contains(m, bad) {
			t.Errorf("a raw method reached /metrics: %s", bad)
		}
	}
	if !strings.Contains(m, `ownercheck_http_requests_total{method="OTHER",route="unmatched",status="405"} 4`) {
		t.Errorf("made-up methods are counted as OTHER:\n%s", grepLines(m, "ownercheck_http_requests_total"))
	}
	if !strings.Contains(m, `ownercheck_http_requests_total{method="POST",route="/v1/verdicts",status="401"} 1`) {
		t.Errorf("known methods keep their name:\n%s", grepLines(m, "ownercheck_http_requests_total"))
	}
	if strings.Contains(h.logs.String(), "FROB") {
		t.Error("a raw method reached the access log")
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
