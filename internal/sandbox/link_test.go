package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func submitLink(e *Emulator, session, institution, accept string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/link/"+session, strings.NewReader(url.Values{"institution": {institution}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if accept != "" {
		r.Header.Set("Accept", accept)
	}
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	return w
}

// After a click the person sees what happened first, above the 16 banks.
func TestLinkPageShowsTheResultFirst(t *testing.T) {
	e, _ := New(Config{})
	s := newSession(t, e, "")
	w := submitLink(e, s["id"].(string), "good", "text/html")
	page := w.Body.String()
	result, firstBank := strings.Index(page, `id="result"`), strings.Index(page, "<form")
	if w.Code != 200 || result < 0 || firstBank < 0 || result > firstBank || !strings.Contains(page[result:firstBank], "fca_") ||
		!strings.Contains(page[result:firstBank], "Sandbox Bank: owner matches") {
		t.Fatalf("%d: result at %d, first bank at %d:\n%s", w.Code, result, firstBank, page)
	}
	w = submitLink(e, s["id"].(string), "no_such_bank", "text/html")
	page = w.Body.String()
	if errAt := strings.Index(page, `id="error"`); w.Code != 400 || errAt < 0 || errAt > strings.Index(page, "<form") {
		t.Errorf("unknown bank on the page: %d\n%s", w.Code, page)
	}
}

// A session's return_url is where the browser goes after linking, as with
// Stripe's hosted flow; a JSON client is told it.
func TestLinkHonoursReturnURL(t *testing.T) {
	e, _ := New(Config{})
	s := newSession(t, e, "&return_url="+url.QueryEscape("https://onboarding.example.com/done?step=2"))
	w := submitLink(e, s["id"].(string), "good", "text/html")
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "https://onboarding.example.com/done?step=2" {
		t.Errorf("browser after linking: %d Location %q", w.Code, w.Header().Get("Location"))
	}
	w = submitLink(e, s["id"].(string), "near_miss", "application/json")
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || w.Code != 200 || out["return_url"] != "https://onboarding.example.com/done?step=2" {
		t.Errorf("JSON client: %d %s", w.Code, w.Body)
	}
	page := httptest.NewRecorder()
	e.ServeHTTP(page, httptest.NewRequest(http.MethodGet, "/link/"+s["id"].(string), nil))
	if !strings.Contains(page.Body.String(), "https://onboarding.example.com/done?step=2") {
		t.Error("the page does not say where it returns to")
	}
}

// Errors are Stripe-shaped JSON to a client that asks for JSON.
func TestLinkErrorsAsJSON(t *testing.T) {
	e, _ := New(Config{})
	s := newSession(t, e, "")
	for _, tc := range []struct {
		session, institution string
		status               int
		param                string
	}{
		{s["id"].(string), "no_such_bank", 400, "institution"},
		{s["id"].(string), "", 400, "institution"},
		{"fcsess_nope", "good", 404, "session"},
	} {
		w := submitLink(e, tc.session, tc.institution, "application/json")
		var body struct{ Error map[string]any }
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || w.Code != tc.status ||
			body.Error["param"] != tc.param || body.Error["type"] != "invalid_request_error" || body.Error["message"] == "" ||
			!strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
			t.Errorf("%s/%s: %d %s %s", tc.session, tc.institution, w.Code, w.Header().Get("Content-Type"), w.Body)
		}
	}
	r := httptest.NewRequest(http.MethodGet, "/link/fcsess_nope", nil)
	r.Header.Set("Accept", "application/json")
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	if w.Code != 404 || !strings.Contains(w.Body.String(), `"resource_missing"`) {
		t.Errorf("GET unknown session as JSON: %d %s", w.Code, w.Body)
	}
}
