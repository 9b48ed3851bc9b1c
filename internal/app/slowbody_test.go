package app

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// From the attack session after issue 9: a client that sent its headers
// and then trickled its body held the handler past the write timeout
// (the body was read under the server's 30 s read timeout, not the
// request's deadline), and the connection was then closed unanswered
// (logged with status 0). The body is read by the request's deadline:
// the client gets a 503 in the one error shape, with Retry-After, before
// the write timeout. Webhooks are read the same way (no API key needed to
// hold a connection there).
func TestSlowBodyIsAnsweredByTheDeadline(t *testing.T) {
	cfg := baseConfig(t)
	cfg.Fleet.RequestTimeout = time.Second
	cfg.Fleet.StripeWait = 500 * time.Millisecond
	a := start(t, cfg, io.Discard)
	for _, path := range []string{"/v1/verdicts", "/v1/sessions", "/v1/webhooks/stripe"} {
		t.Run(path, func(t *testing.T) {
			conn, err := net.DialTimeout("tcp", a.Addr(), 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			// Well before the write timeout (request timeout + 5 s), well
			// after the request's deadline.
			_ = conn.SetDeadline(time.Now().Add(4 * time.Second))
			start := time.Now()
			if _, err := fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nStripe-Signature: t=1,v1=00\r\nContent-Length: 100\r\n\r\n{\"sess", path, apiKey); err != nil {
				t.Fatal(err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("no answer %v after the headers: %v", time.Since(start).Round(time.Millisecond), err)
			}
			defer resp.Body.Close()
			var body struct {
				Error struct{ Type, Message string } `json:"error"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusServiceUnavailable ||
				body.Error.Type != "unavailable" || resp.Header.Get("Retry-After") == "" {
				t.Fatalf("%d %+v (Retry-After %q), want 503 unavailable with Retry-After", resp.StatusCode, body, resp.Header.Get("Retry-After"))
			}
		})
	}
}
