package reverify

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/sandbox"
	"github.com/ownercheck/ownercheck/internal/verdict"
)

// setup runs the sandbox emulator (enforcing rps when > 0, with the given
// faults) behind the real Stripe client (limited to clientRPS) and verdict
// service, with waits shortened for a test.
func setup(t *testing.T, rps, clientRPS float64, fault func(*http.Request) *sandbox.Fault) (*verdict.Service, *sandbox.Emulator) {
	t.Helper()
	emu, err := sandbox.New(sandbox.Config{RPS: rps, PendingFor: 100 * time.Millisecond, RateLimitRetryAfter: 50 * time.Millisecond, Fault: fault})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	client, err := fc.NewStripe(fc.StripeConfig{SecretKey: "sk_test_x", APIBase: srv.URL, RPS: clientRPS, MaxRetries: 2,
		MaxBackoff: 50 * time.Millisecond, RateLimitWait: 10 * time.Millisecond, Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	rules, err := match.NewStore("")
	if err != nil {
		t.Fatal(err)
	}
	return verdict.New(verdict.Config{FC: client, Rules: rules, Cache: cache.NewMemory(), Secret: []byte("k"), PendingRetry: 50 * time.Millisecond}), emu
}

func writeInput(t *testing.T, name string, rows []string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func genRow(ref, account string, n int) string {
	b, _ := json.Marshal(map[string]any{"ref": ref, "account": account, "identity": sandbox.GeneratedIdentity(n)})
	return string(b)
}

func genRows(n int) []string {
	var rows []string
	for i := range n {
		rows = append(rows, genRow(fmt.Sprintf("r%d", i), fmt.Sprintf("fca_gen_%d", i), i))
	}
	return rows
}

// readOutput parses the output; every line must be a whole JSON object.
func readOutput(t *testing.T, path string) map[string][]Output {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]Output{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var o Output
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			t.Fatalf("bad output line %q: %v", sc.Text(), err)
		}
		out[o.Ref] = append(out[o.Ref], o)
	}
	return out
}

// exactlyOnce fails unless each of want appears once and nothing else does.
func exactlyOnce(t *testing.T, out map[string][]Output, want int) {
	t.Helper()
	if len(out) != want {
		t.Errorf("%d distinct refs in the output, want %d", len(out), want)
	}
	for ref, os := range out {
		if len(os) != 1 {
			t.Errorf("%s written %d times", ref, len(os))
		}
	}
}

func quiet() Config {
	return Config{Stderr: &bytes.Buffer{}, Concurrency: 6, MaxPendingWait: 5 * time.Second,
		PollInterval: 20 * time.Millisecond, MaxPollInterval: 100 * time.Millisecond}
}

// accountOf is the fca_ id a sandbox request is about ("" for others).
func accountOf(r *http.Request) string {
	_, rest, ok := strings.Cut(r.URL.Path, "/financial_connections/accounts/")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, "/")
	return id
}

// Issue 4: against the emulator with an enforced rate limit and injected
// faults (429 with Retry-After, 500, timeouts, a refresh that stays
// pending then fails), every row ends in the output exactly once with the
// right outcome.
func TestFaultsEveryRowOnce(t *testing.T) {
	var mu sync.Mutex
	calls := map[string]int{}
	fault := func(r *http.Request) *sandbox.Fault {
		mu.Lock()
		defer mu.Unlock()
		acct := accountOf(r)
		calls[acct]++
		n := calls[acct]
		switch acct {
		case "fca_gen_3": // a passing 429 with Retry-After: the client's retry gets past it
			if n <= 2 {
				return &sandbox.Fault{Status: 429, RetryAfter: 30 * time.Millisecond}
			}
		case "fca_gen_4": // a 500 outlasting the client's 2 retries: the job retries the row
			if n <= 4 {
				return &sandbox.Fault{Status: 500}
			}
		case "fca_gen_5": // 500 for good
			return &sandbox.Fault{Status: 500}
		case "fca_gen_6": // 429 for good
			return &sandbox.Fault{Status: 429, RetryAfter: 10 * time.Millisecond}
		case "fca_gen_7": // one timeout (the client gives up after 200ms)
			if n == 1 {
				return &sandbox.Fault{Delay: 400 * time.Millisecond}
			}
		}
		return nil
	}
	v, emu := setup(t, 200, 150, fault)
	rows := genRows(24)
	rows = append(rows,
		genRow("pf", "fca_gen_9_pendingfail", 9),                                       // line 25: refresh pending, then failed
		genRow("gone", "fca_nosuchaccount", 1),                                         // line 26: Stripe 404
		`{"ref":"bad","account":"acct_1","identity":{"type":"individual","name":"X"}}`, // line 27
	)
	cfg := quiet()
	cfg.Input, cfg.Output = writeInput(t, "in.jsonl", rows), filepath.Join(t.TempDir(), "out.jsonl")
	sum, err := Run(context.Background(), cfg, v)
	if err != nil {
		t.Fatal(err)
	}
	out := readOutput(t, cfg.Output)
	exactlyOnce(t, out, len(rows))
	if sum.Written != int64(len(rows)) {
		t.Errorf("summary says %d written, want %d", sum.Written, len(rows))
	}
	for ref, os := range out {
		o := os[0]
		switch ref {
		case "r5":
			if o.Status != StatusError || o.Error == nil || o.Error.Type != "api_error" || !strings.Contains(o.Error.Message, "status 500") {
				t.Errorf("persistent 500: %+v", o)
			}
		case "r6":
			if o.Status != StatusError || o.Error == nil || !strings.Contains(o.Error.Message, "status 429") {
				t.Errorf("persistent 429: %+v", o)
			}
		case "pf":
			if o.Status != verdict.StatusUnverifiable || o.Decision != match.Unverifiable || o.Reason != "refresh_failed" {
				t.Errorf("pending then failed: %+v", o)
			}
		case "gone":
			if o.Status != StatusError || o.Error == nil || o.Error.Type != "invalid_request_error" || o.Error.Code != "resource_missing" {
				t.Errorf("missing account: %+v", o.Error)
			}
		case "bad":
			if o.Status != StatusError || o.Error == nil || o.Error.Type != errInvalidRow || !strings.Contains(o.Error.Message, "line 27: account") {
				t.Errorf("bad row: %+v", o)
			}
		default:
			if o.Status != verdict.StatusDecided || o.Decision != match.Pass || o.Scores == nil || o.Scores.Name == nil {
				t.Errorf("%s: %+v", ref, o)
			}
		}
	}
	mu.Lock()
	retried := calls["fca_gen_4"]
	mu.Unlock()
	if retried <= 4 {
		t.Errorf("fca_gen_4 was asked %d times: the row was not retried past the client's retries", retried)
	}
	if emu.Stats().Faults == 0 {
		t.Error("no fault was injected")
	}
	if sum.ByDecision[match.Pass] != 22 || sum.Errors["api_error"] != 1 || sum.Invalid != 1 {
		t.Errorf("summary: %+v", sum)
	}
}

// A client asking for more than the emulator allows meets its 429s (with
// Retry-After), slows down and still finishes every row.
func TestOverLimitStillCompletes(t *testing.T) {
	v, emu := setup(t, 40, 80, nil)
	cfg := quiet()
	cfg.NoRefresh, cfg.RowRetries = true, 10 // rows outlast any run of 429s
	cfg.Input, cfg.Output = writeInput(t, "in.jsonl", genRows(20)), filepath.Join(t.TempDir(), "out.jsonl")
	sum, err := Run(context.Background(), cfg, v)
	if err != nil {
		t.Fatal(err)
	}
	exactlyOnce(t, readOutput(t, cfg.Output), 20)
	if sum.ByDecision[match.Pass] != 20 {
		t.Errorf("summary: %+v %+v", sum.ByDecision, sum.Errors)
	}
	if emu.Stats().RateLimited == 0 {
		t.Error("the emulator never answered 429: the test proves nothing")
	}
}

// A torn last line (kill -9 mid-write) is dropped and its row redone; rows
// already written are skipped; a second run has nothing to do.
func TestResume(t *testing.T) {
	v, _ := setup(t, 0, 2000, nil)
	rows := genRows(10)
	cfg := quiet()
	cfg.NoRefresh = true
	cfg.Input, cfg.Output = writeInput(t, "in.jsonl", rows), filepath.Join(t.TempDir(), "out.jsonl")
	prior := `{"ref":"r0","account":"fca_gen_0","line":1,"status":"decided","decision":"pass","changed":false}` + "\n" +
		`{"ref":"r1","account":"fca_gen_1","line":2,"status":"decided","decision":"pass","changed":false}` // no newline: torn
	if err := os.WriteFile(cfg.Output, []byte(prior), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := Run(context.Background(), cfg, v)
	if err != nil {
		t.Fatal(err)
	}
	if sum.AlreadyDone != 1 || sum.Written != 9 {
		t.Errorf("already done %d, written %d; want 1, 9", sum.AlreadyDone, sum.Written)
	}
	exactlyOnce(t, readOutput(t, cfg.Output), 10)
	sum, err = Run(context.Background(), cfg, v)
	if err != nil || sum.Written != 0 || sum.AlreadyDone != 10 {
		t.Fatalf("re-run: written %d, already done %d, err %v", sum.Written, sum.AlreadyDone, err)
	}
}

// An output file with a complete line that is not ours is refused, not cut.
func TestResumeRefusesForeignOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.jsonl")
	os.WriteFile(out, []byte(`{"ref":"r0","status":"decided"}`+"\nsomething else\n"+`{"ref":"r2","status":"decided"}`+"\n"), 0o644)
	cfg := quiet()
	cfg.Input, cfg.Output = writeInput(t, "in.jsonl", genRows(3)), out
	_, err := Run(context.Background(), cfg, fakeVerifier(nil))
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("err %v, want a refusal naming line 2", err)
	}
	if b, _ := os.ReadFile(out); !bytes.Contains(b, []byte(`"r2"`)) {
		t.Error("the file was cut")
	}
}

func TestCSVInput(t *testing.T) {
	id := sandbox.GeneratedIdentity(4)
	p := filepath.Join(t.TempDir(), "in.csv")
	os.WriteFile(p, []byte("\ufeffref,account,type,name,line1,city,state,postal_code,email\n"+
		fmt.Sprintf("c1,fca_gen_4,individual,%q,%s,%s,%s,%s,%s\n", id.Name, id.Address.Line1, id.Address.City, id.Address.State, id.Address.PostalCode, id.Email)+
		"c2,fca_gen_5,robot,X,,,,,\n"+
		"c3,fca_gen_6,individual,Smith, John,1 Main St,Springfield,IL,62704,\n"), 0o644)
	v, _ := setup(t, 0, 2000, nil)
	cfg := quiet()
	cfg.NoRefresh, cfg.Input, cfg.Output = true, p, filepath.Join(t.TempDir(), "out.jsonl")
	if _, err := Run(context.Background(), cfg, v); err != nil {
		t.Fatal(err)
	}
	out := readOutput(t, cfg.Output)
	exactlyOnce(t, out, 3)
	if o := out["c1"][0]; o.Decision != match.Pass || o.Line != 2 {
		t.Errorf("c1: %+v", o)
	}
	if o := out["c2"][0]; o.Error == nil || o.Error.Message != "line 3: type: type must be individual or company" {
		t.Errorf("c2: %+v", o.Error)
	}
	if o := out["c3"][0]; o.Error == nil || !strings.Contains(o.Error.Message, "line 4: the row has 10 fields, the header 9") {
		t.Errorf("c3 (unquoted comma): %+v", o.Error)
	}
}
