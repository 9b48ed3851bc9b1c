package webhooks

import (
	"encoding/json"
	"time"

	"github.com/stripe/stripe-go/v79/webhook"
)

// Test payloads, for the internal tests and (exported) for the external
// ones in webhooks_test.go.

const secret = "whsec_test_secret"

// event is a Stripe event payload shaped like the ones Stripe sends for
// Financial Connections (docs: "Event object", data.object = the account).
func event(id, typ, version, account string) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": version, "created": time.Now().Unix(), "type": typ, "livemode": false,
		"data": map[string]any{"object": map[string]any{"id": account, "object": "financial_connections.account", "status": "active"}},
	})
	return b
}

func sign(payload []byte, key string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: key, Timestamp: at}).Header
}

// Exported to package webhooks_test.
const TestSecret = secret

var (
	SampleEvent = event
	SignPayload = sign
)
