package webhooks

import (
	"encoding/json"
	"time"

	"github.com/ownercheck/ownercheck/internal/fc"
)

// orderOf reads, from a data.object ownercheck does not read in full, the
// fields that order an account's states: status and ownership_refresh's
// status and last_attempted_at, which every API version since 2024-06-20
// has in the same shape. It is nil unless status is there and
// ownership_refresh is there too (null when never refreshed) with the
// expected types: without them the caller must assume the newest order.
func orderOf(raw []byte) *fc.Account {
	var obj struct {
		Status  string          `json:"status"`
		Refresh json.RawMessage `json:"ownership_refresh"`
	}
	if json.Unmarshal(raw, &obj) != nil || obj.Status == "" || len(obj.Refresh) == 0 {
		return nil
	}
	var r *struct {
		Status          string `json:"status"`
		LastAttemptedAt int64  `json:"last_attempted_at"`
	}
	if json.Unmarshal(obj.Refresh, &r) != nil {
		return nil
	}
	a := &fc.Account{Status: obj.Status}
	if r != nil {
		if r.Status == "" || r.LastAttemptedAt <= 0 {
			return nil
		}
		a.Refresh = &fc.Refresh{Status: r.Status, LastAttemptedAt: time.Unix(r.LastAttemptedAt, 0).UTC()}
	}
	return a
}
