package sandbox

import (
	"fmt"
	"net/http"
	"strings"
)

// expands reports whether the request asks to expand path, in any of the
// encodings Stripe accepts: expand[]=…, expand[0]=…, expand=….
func expands(r *http.Request, path string) bool {
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = r.Form
	}
	for k, vs := range q {
		if k != "expand" && !strings.HasPrefix(k, "expand[") {
			continue
		}
		for _, v := range vs {
			if v == path {
				return true
			}
		}
	}
	return false
}

// inlineOwners is how many owners an expanded ownership embeds (the first
// page of its owners list, as Stripe embeds lists).
const inlineOwners = 10

// ownershipJSON is an account's ownership as an expanded object: its id,
// and the first page of its owners. Callers hold mu.
func (e *Emulator) ownershipJSON(a *account) any {
	if a.ownershipID == "" {
		return nil
	}
	owners := a.owners[:min(len(a.owners), inlineOwners)]
	data := make([]any, 0, len(owners))
	for i, o := range owners {
		data = append(data, e.ownerJSON(a, i, o))
	}
	return map[string]any{
		"id": a.ownershipID, "object": "financial_connections.account_ownership", "created": a.lastAttempt.Unix(),
		"owners": map[string]any{"object": "list", "data": data, "has_more": len(a.owners) > len(owners),
			"url": "/v1/financial_connections/accounts/" + a.ID + "/owners?ownership=" + a.ownershipID},
	}
}

func ownerID(a *account, i int) string {
	return fmt.Sprintf("fcaown_%s_%d", strings.TrimPrefix(a.ID, "fca_"), i)
}

func (e *Emulator) ownerJSON(a *account, i int, o ownerData) map[string]any {
	return map[string]any{"id": ownerID(a, i), "object": "financial_connections.account_owner",
		"name": o.Name, "email": nullable(o.Email), "phone": nullable(o.Phone), "raw_address": nullable(o.RawAddress),
		"ownership": a.ownershipID, "refreshed_at": a.lastAttempt.Unix()}
}

// expandedAccountJSON is accountJSON with the ownership expanded when
// expand asks for it.
func (e *Emulator) expandedAccountJSON(a *account, expand bool) map[string]any {
	out := e.accountJSON(a)
	if expand {
		out["ownership"] = e.ownershipJSON(a)
	}
	return out
}

// GeneratedCustomer is the account holder of generated account
// fca_gen_<n>[_…]: accounts are bound to a customer, so a verdict for them
// names it.
func GeneratedCustomer(n int) string { return fmt.Sprintf("cus_gen%d", n) }

func (a *account) permissions() []string {
	if a.Permissions == nil {
		return []string{"ownership"}
	}
	return a.Permissions
}
