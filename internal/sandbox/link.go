package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"time"

	"github.com/stripe/stripe-go/v79"
	"github.com/stripe/stripe-go/v79/webhook"

	"github.com/ownercheck/ownercheck/internal/identity"
)

var linkTemplate = template.Must(template.New("link").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>ownercheck sandbox: link accounts</title>
<style>body{font-family:sans-serif;max-width:40em;margin:2em auto}button{margin:.2em 0}</style></head>
<body><h1>Link a test bank</h1>
<p>This page stands in for Stripe's Financial Connections modal for session <code>{{.Session}}</code>.
Pick an institution; its accounts are linked to the session and their ownership refresh starts.</p>
{{range .Institutions}}<form method="post"><input type="hidden" name="institution" value="{{.ID}}">
<button type="submit">{{.Name}}</button><br><small>{{.Description}}</small></form>{{end}}
{{if .Linked}}<p><b>Linked:</b> {{range .Linked}}<code>{{.}}</code> {{end}}</p>{{end}}
</body></html>`))

func (e *Emulator) linkPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("session")
	e.mu.Lock()
	_, ok := e.sessions[id]
	e.mu.Unlock()
	if !ok {
		http.Error(w, "no such session", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	linkTemplate.Execute(w, map[string]any{"Session": id, "Institutions": e.cfg.Institutions})
}

// linkSubmit links the chosen institution. It answers JSON to a client that
// asks for it (curl, tests) and the page otherwise.
func (e *Emulator) linkSubmit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("session")
	inst := r.FormValue("institution")
	ids, err := e.Link(id, inst)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"session": id, "institution": inst, "accounts": ids})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	linkTemplate.Execute(w, map[string]any{"Session": id, "Institutions": e.cfg.Institutions, "Linked": ids})
}

// sendEvent posts a signed event about an account to the webhook URL, the
// way Stripe does (API version 2024-06-20, Stripe-Signature header).
func (e *Emulator) sendEvent(typ, accountID string) {
	if e.cfg.WebhookURL == "" {
		return
	}
	e.mu.Lock()
	var obj map[string]any
	if a := e.accounts[accountID]; a != nil {
		obj = e.accountJSON(a)
	}
	e.seq++
	evID := fmt.Sprintf("evt_sbx%06d", e.seq)
	e.mu.Unlock()
	if obj == nil {
		return
	}
	payload, _ := json.Marshal(map[string]any{
		"id": evID, "object": "event", "api_version": stripe.APIVersion, "created": e.cfg.Now().Unix(),
		"type": typ, "livemode": false, "pending_webhooks": 1, "data": map[string]any{"object": obj},
	})
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: e.cfg.WebhookSecret, Timestamp: e.cfg.Now()})
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), e.client.Timeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.cfg.WebhookURL, bytes.NewReader(payload))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Stripe-Signature", signed.Header)
		resp, err := e.client.Do(req)
		if err != nil {
			e.cfg.Logger.Warn("sandbox webhook not delivered", "event", evID, "type", typ, "error", err.Error())
			return
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			e.cfg.Logger.Warn("sandbox webhook refused", "event", evID, "type", typ, "status", resp.StatusCode)
		}
	}()
}

var (
	genFirst = []string{"JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "JENNIFER", "MICHAEL", "LINDA", "DAVID", "ELIZABETH", "WILLIAM", "BARBARA", "RICHARD", "SUSAN", "JOSEPH", "JESSICA"}
	genLast  = []string{"SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS", "RODRIGUEZ", "MARTINEZ", "HERNANDEZ", "LOPEZ", "GONZALEZ", "WILSON", "ANDERSON", "THOMAS", "TAYLOR"}
	genCity  = []struct{ City, State, ZIP string }{{"SPRINGFIELD", "IL", "62704"}, {"AUSTIN", "TX", "78701"}, {"DENVER", "CO", "80202"}, {"PORTLAND", "OR", "97214"}, {"RALEIGH", "NC", "27601"}}
)

// GeneratedOwner is the owner of generated account fca_gen_<n>.
func GeneratedOwner(n int) identity.Owner {
	c := genCity[n%len(genCity)]
	return identity.Owner{
		Name:       genFirst[n%len(genFirst)] + " " + genLast[(n/len(genFirst))%len(genLast)],
		Email:      fmt.Sprintf("owner%d@example.com", n),
		Phone:      fmt.Sprintf("+1 555 %03d %04d", (n/10000)%1000, n%10000),
		RawAddress: fmt.Sprintf("%d MAPLE ST, %s, %s %s", 100+n%9000, c.City, c.State, c.ZIP),
	}
}

// GeneratedIdentity is an identity that matches GeneratedOwner(n).
func GeneratedIdentity(n int) identity.Identity {
	o := GeneratedOwner(n)
	c := genCity[n%len(genCity)]
	return identity.Identity{Type: identity.Individual, Name: o.Name, Email: o.Email,
		Address: &identity.Address{Line1: fmt.Sprintf("%d Maple Street", 100+n%9000), City: c.City, State: c.State, PostalCode: c.ZIP}}
}

// maxGeneratedOwners bounds fca_gen_<n>_owners<k>.
const maxGeneratedOwners = 500

// generated materializes the generated accounts (callers hold mu):
//   - fca_gen_<n>: ownership already refreshed, one owner GeneratedOwner(n);
//   - fca_gen_<n>_pendingfail: never refreshed; a refresh stays pending
//     (Config.PendingFor) and then fails;
//   - fca_gen_<n>_owners<k>: like fca_gen_<n> with k owners (k ≤ 500), the
//     matching GeneratedOwner(n) last, so only a client that pages through
//     every owner finds it.
func (e *Emulator) generated(id string) *account {
	rest, ok := strings.CutPrefix(id, "fca_gen_")
	if !ok {
		return nil
	}
	numStr, variant, _ := strings.Cut(rest, "_")
	n, err := strconv.Atoi(numStr)
	if err != nil || n < 0 || strconv.Itoa(n) != numStr {
		return nil
	}
	owners := []identity.Owner{GeneratedOwner(n)}
	switch {
	case variant == "", variant == "pendingfail":
	case strings.HasPrefix(variant, "owners"):
		k, err := strconv.Atoi(strings.TrimPrefix(variant, "owners"))
		if err != nil || k < 1 || k > maxGeneratedOwners || "owners"+strconv.Itoa(k) != variant {
			return nil
		}
		owners = make([]identity.Owner, 0, k)
		for i := 1; i < k; i++ {
			owners = append(owners, GeneratedOwner(n+i*7919)) // other people
		}
		owners = append(owners, GeneratedOwner(n))
	default:
		return nil
	}
	a := &account{ID: id, Status: "active", Institution: "Sandbox generated bank", owners: owners, Customer: GeneratedCustomer(n)}
	if variant == "pendingfail" {
		a.failRefresh = true
		return a
	}
	now := e.cfg.Now()
	e.seq++
	a.ownershipID = fmt.Sprintf("fcaowns_gen%06d", e.seq)
	a.refreshStatus, a.lastAttempt, a.nextAt = "succeeded", now.Add(-time.Hour), now.Add(-time.Minute)
	return a
}
