package app

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/webhooks"
)

// Issue 9 item 2: headers are capped well below net/http's 1 MB default.
func TestHeaderSizeIsCapped(t *testing.T) {
	a := start(t, baseConfig(t), io.Discard)
	conn, err := net.DialTimeout("tcp", a.Addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	big := strings.Repeat("a", 256<<10)
	if _, err := fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", big); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("a 256 KiB header: %d, want 431", resp.StatusCode)
	}
}

// Issue 9 item 6: STRIPE_WEBHOOK_SECRET takes the old and the new secret
// while one rolls; events signed with either are applied.
func TestTwoWebhookSecretsAreWired(t *testing.T) {
	const oldS, newS = "whsec_old0123456789abcdefABCDEF01", "whsec_new0123456789abcdefABCDEF01"
	cfg := baseConfig(t)
	cfg.StripeWebhookSecret = oldS + "," + newS
	a := start(t, cfg, io.Discard)
	c := &client{t: t, base: "http://" + a.Addr(), http: &http.Client{Timeout: 10 * time.Second}}
	for i, s := range []string{oldS, newS, "whsec_neither0123456789abcdefABC"} {
		ev, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("evt_roll%d", i), "object": "event", "api_version": webhooks.APIVersion,
			"type": webhooks.Disconnected, "livemode": false, "data": map[string]any{"object": map[string]any{"id": "fca_roll1"}}})
		r := c.do("POST", "/v1/webhooks/stripe", "application/json", bytes.NewReader(ev), "Stripe-Signature", sign(ev, s, time.Now()))
		want := 200
		if i == 2 {
			want = 400
		}
		if r.status != want {
			t.Errorf("signed with secret %d: %d %s", i, r.status, r.raw)
		}
	}
}
