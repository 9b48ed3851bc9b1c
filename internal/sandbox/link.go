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

// The result (or the error) comes first, above the banks, so it is in view
// after the click; the page says where it returns to.
var linkTemplate = template.Must(template.New("link").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>ownercheck sandbox: link accounts</title>
<style>body{font-family:sans-serif;max-width:40em;margin:2em auto}button{margin:.2em 0}
#result{padding:.6em;border:2px solid #2a7;background:#efe}#error{padding:.6em;border:2px solid #c33;background:#fee}</style></head>
<body><h1>Link a test bank</h1>
{{if .Linked}}<p id="result" role="status" tabindex="-1" autofocus><b>Linked</b> {{.Linked.Institution}}: {{range .Linked.Accounts}}<code>{{.}}</code> {{end}}
{{if .ReturnURL}}<br><a href="{{.ReturnURL}}">Continue</a>{{end}}</p>{{end}}
{{if .Error}}<p id="error" role="alert" tabindex="-1" autofocus><b>Not linked:</b> {{.Error}}</p>{{end}}
<p>This page stands in for Stripe's Financial Connections modal for session <code>{{.Session}}</code>.
Pick an institution; its accounts are linked to the session and their ownership refresh starts.
{{if .ReturnURL}}You are then sent back to <code>{{.ReturnURL}}</code>.{{end}}</p>
{{range .Institutions}}<form method="post"><input type="hidden" name="institution" value="{{.ID}}">
<button type="submit">{{.Name}}</button><br><small>{{.Description}}</small></form>{{end}}
</body></html>`))

// linkView is what the link page shows.
type linkView struct {
	Session, ReturnURL, Error string
	Institutions              []Institution
	Linked                    *linked // nil before a click
}

type linked struct {
	Institution string
	Accounts    []string
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// returnURL is the session's return_url, "" when there is none or no
// such session.
func (e *Emulator) returnURL(sessionID string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.sessions[sessionID]
	if !ok {
		return "", false
	}
	return s.ReturnURL, true
}

func (e *Emulator) linkPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("session")
	ret, ok := e.returnURL(id)
	if !ok {
		e.linkError(w, r, http.StatusNotFound, stripe.ErrorCodeResourceMissing, "session", fmt.Sprintf("No such session: '%s'", id))
		return
	}
	e.renderLink(w, http.StatusOK, linkView{Session: id, ReturnURL: ret})
}

// linkSubmit links the chosen institution. A client asking for JSON (curl,
// tests, a front end's fetch) gets JSON, errors included; a browser is
// sent back to the session's return_url, as Stripe's hosted flow does, or
// shown the result at the top of the page.
func (e *Emulator) linkSubmit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("session")
	inst := r.FormValue("institution")
	ret, ok := e.returnURL(id)
	if !ok {
		e.linkError(w, r, http.StatusNotFound, stripe.ErrorCodeResourceMissing, "session", fmt.Sprintf("No such session: '%s'", id))
		return
	}
	if inst == "" {
		e.linkError(w, r, http.StatusBadRequest, stripe.ErrorCodeParameterMissing, "institution", "Pick an institution.")
		return
	}
	ids, err := e.Link(id, inst)
	if err != nil {
		e.linkError(w, r, http.StatusBadRequest, "", "institution", err.Error())
		return
	}
	switch {
	case wantsJSON(r):
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"session": id, "institution": inst, "accounts": ids, "return_url": nullable(ret)})
	case ret != "":
		http.Redirect(w, r, ret, http.StatusSeeOther)
	default:
		e.renderLink(w, http.StatusOK, linkView{Session: id, Linked: &linked{e.institutionName(inst), ids}})
	}
}

// linkError answers Stripe's error shape to a JSON client and the page,
// with the error on top, to a browser.
func (e *Emulator) linkError(w http.ResponseWriter, r *http.Request, status int, code stripe.ErrorCode, param, msg string) {
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/json")
		stripeError(w, status, stripe.ErrorTypeInvalidRequest, code, param, msg)
		return
	}
	e.renderLink(w, status, linkView{Session: r.PathValue("session"), Error: msg})
}

func (e *Emulator) renderLink(w http.ResponseWriter, status int, v linkView) {
	v.Institutions = e.cfg.Institutions
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	linkTemplate.Execute(w, v)
}

// pendingEvent is an event whose object was taken when it happened.
type pendingEvent struct {
	typ string
	obj map[string]any
}

// sendEvent sends an event about an account, as it is now, that no API
// request caused (a refresh completing, the bank cutting access).
func (e *Emulator) sendEvent(typ, accountID string) { e.sendEventFor(typ, accountID, nil) }

// sendEventFor sends an event about an account as it is now; req is the
// API request that caused it (nil: none).
func (e *Emulator) sendEventFor(typ, accountID string, req *eventRequest) {
	e.mu.Lock()
	var obj map[string]any
	if a := e.lookup(accountID); a != nil {
		obj = e.accountJSON(a)
	}
	e.mu.Unlock()
	if obj != nil {
		e.emit(typ, obj, req)
	}
}

// emit posts an event (see emitAll).
func (e *Emulator) emit(typ string, obj map[string]any, req *eventRequest) {
	e.emitAll([]pendingEvent{{typ, obj}}, req)
}

// emitAll posts signed events to the webhook URL, the way Stripe does (API
// version 2024-06-20, Stripe-Signature header, the causing request), one
// after the other in the background: a link's .created comes before the
// .disconnected that follows it.
func (e *Emulator) emitAll(events []pendingEvent, req *eventRequest) {
	if e.cfg.WebhookURL == "" {
		return
	}
	go func() {
		for _, ev := range events {
			e.post(ev, req)
		}
	}()
}

func (e *Emulator) post(ev pendingEvent, request *eventRequest) {
	e.mu.Lock()
	e.seq++
	evID := fmt.Sprintf("evt_sbx%06d", e.seq)
	e.mu.Unlock()
	payload, _ := json.Marshal(map[string]any{
		"id": evID, "object": "event", "api_version": stripe.APIVersion, "created": e.cfg.Now().Unix(),
		"type": ev.typ, "livemode": false, "pending_webhooks": 1, "request": request.json(), "data": map[string]any{"object": ev.obj},
	})
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: e.cfg.WebhookSecret, Timestamp: e.cfg.Now()})
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
		e.cfg.Logger.Warn("sandbox webhook not delivered", "event", evID, "type", ev.typ, "error", err.Error())
		return
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		e.cfg.Logger.Warn("sandbox webhook refused", "event", evID, "type", ev.typ, "status", resp.StatusCode)
	}
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

// GeneratedRow is row n of `ownercheck sandbox --gen-input`: an account
// and an identity, and the decision the repo's rules give them. Rows mix
// every outcome, so a demo run shows each: of every 10, six pass (the
// owner's own identity), two go to review (the same person at another
// house number: a move), one fails (another given name: a family member)
// and one is unverifiable (the account is disconnected).
func GeneratedRow(n int) (account string, id identity.Identity, expect string) {
	account, id = fmt.Sprintf("fca_gen_%d", n), GeneratedIdentity(n)
	switch n % 10 {
	case 6, 7:
		addr := *id.Address
		addr.Line1 = fmt.Sprintf("%d Oak Avenue", 100+(n+1)%9000)
		id.Address = &addr
		return account, id, "review"
	case 8:
		o := GeneratedOwner(n)
		first, _, _ := strings.Cut(o.Name, " ")
		other := genFirst[(n+1)%len(genFirst)]
		id.Name = strings.Replace(o.Name, first, other, 1)
		return account, id, "fail"
	case 9:
		return account + "_disconnected", id, "unverifiable"
	}
	return account, id, "pass"
}

// maxGeneratedOwners bounds fca_gen_<n>_owners<k>.
const maxGeneratedOwners = 500

// generated materializes the generated accounts (callers hold mu):
// Their ownership id is fixed by the id, so one forgotten by the
// generatedLRU and materialized again keeps answering its owners.
//   - fca_gen_<n>: ownership already refreshed, one owner GeneratedOwner(n);
//   - fca_gen_<n>_disconnected: like fca_gen_<n>, disconnected (its
//     earlier ownership data stays readable; no refresh);
//   - fca_gen_<n>_pendingfail: never refreshed; a refresh stays pending
//     (Config.PendingFor) and then fails;
//   - fca_gen_<n>_owners<k>: like fca_gen_<n> with k owners (k ≤ 500), the
//     matching GeneratedOwner(n) last, so only a client that pages through
//     every owner finds it.
func (e *Emulator) generate(id string) *account {
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
	case variant == "", variant == "pendingfail", variant == "disconnected":
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
	now := e.cfg.Now()
	a := &account{ID: id, Status: "active", Institution: "Sandbox generated bank", owners: owners, Customer: GeneratedCustomer(n),
		details: details{Created: now.Add(-24 * time.Hour), DisplayName: "Checking", Subcategory: "checking", Last4: fmt.Sprintf("%04d", n%10000)}}
	if variant == "pendingfail" {
		a.failRefresh = true
		return a
	}
	if variant == "disconnected" {
		a.Status = "disconnected"
	}
	a.ownershipID = "fcaowns_" + strings.TrimPrefix(id, "fca_")
	a.refreshStatus, a.lastAttempt, a.nextAt = "succeeded", now.Add(-time.Hour), now.Add(-time.Minute)
	return a
}

func (e *Emulator) institutionName(id string) string {
	for _, inst := range e.cfg.Institutions {
		if inst.ID == id {
			return inst.Name
		}
	}
	return id
}
