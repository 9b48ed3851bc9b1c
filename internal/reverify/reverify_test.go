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

// setup runs a sandbox with the given limit and faults behind the real
// Stripe client and verdict service.
func setup(t *testing.T, rps float64, fault func(*http.Request) *sandbox.Fault) (*verdict.Service, *sandbox.Emulator) {
	t.Helper()
	emu, err := sandbox.New(sandbox.Config{RPS: rps, PendingFor: 100 * time.Millisecond, Fault: fault})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	client, err := fc.NewStripe(fc.StripeConfig{SecretKey: "sk_test_x", APIBase: srv.URL, RPS: rps * 0.9, MaxRetries: 4,
		MaxBackoff: 100 * time.Millisecond, Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	rules, err := match.NewStore("")
	if err != nil {
		t.Fatal(err)
	}
	return verdict.New(verdict.Config{FC: client, Rules: rules, Cache: cache.NewMemory(), Secret: []byte("k"), PendingRetry: 50 * time.Millisecond}), emu
}

func writeInput(t *testing.T, rows []string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func genRow(ref, account string, n int) string {
	b, _ := json.Marshal(map[string]any{"ref": ref, "account": account, "identity": sandbox.GeneratedIdentity(n)})
	return string(b)
}

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

func quiet() Config {
	return Config{Stderr: &bytes.Buffer{}, Concurrency: 6, MaxPendingWait: 5 * time.Second}
}

// Issue 4: against the emulator with an enforced rate limit and injected
// faults (429 with Retry-After, 500, timeouts, a refresh that stays
// pending then fails), every row ends in the output exactly once with the
// right outcome.
func TestFaultsEveryRowOnce(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	fault := func(r *http.Request) *sandbox.Fault {
		mu.Lock()
		defer mu.Unlock()
		seen[r.URL.Path]++
		switch {
		case strings.HasSuffix(r.URL.Path, "/fca_gen_3") && seen[r.URL.Path] <= 2:
			return &sandbox.Fault{Status: 429, RetryAfter: time.Second}
		case strings.HasSuffix(r.URL.Path, "/fca_gen_5"):
			return &sandbox.Fault{Status: 500}
		case strings.HasSuffix(r.URL.Path, "/fca_gen_7") && seen[r.URL.Path] == 1:
			return &sandbox.Fault{Delay: 400 * time.Millisecond} // longer than the client's timeout
		}
		return nil
	}
	v, emu := setup(t, 40, fault)
	var rows []string
	for n := 0; n < 30; n++ {
		rows = append(rows, genRow(fmt.Sprintf("r%d", n), fmt.Sprintf("fca_gen_%d", n), n))
	}
	rows = append(rows, genRow("pf", "fca_gen_9_pendingfail", 9), `{"ref":"bad","account":"acct_1","identity":{"type":"individual","name":"X"}}`)
	cfg := quiet()
	cfg.Input, cfg.Output = writeInput(t, rows), filepath.Join(t.TempDir(), "out.jsonl")
	sum, err := Run(context.Background(), cfg, v)
	if err != nil {
		t.Fatal(err)
	}
	out := readOutput(t, cfg.Output)
	if len(out) != len(rows) || sum.Written != int64(len(rows)) {
		t.Fatalf("%d refs in output, %d written, want %d", len(out), sum.Written, len(rows))
	}
	for ref, os := range out {
		if len(os) != 1 {
			t.Errorf("%s written %d times", ref, len(os))
		}
		o := os[0]
		switch ref {
		case "r5":
			if o.Status != "error" || o.Error == nil || o.Error.Type != "api_error" {
				t.Errorf("persistent 500: %+v", o)
			}
		case "pf":
			if o.Status != verdict.StatusUnverifiable || o.Reason != "refresh_failed" {
				t.Errorf("pending then failed: %+v", o)
			}
		case "bad":
			if o.Status != "error" || o.Error.Type != "invalid_row" || !strings.Contains(o.Error.Message, "line 32") {
				t.Errorf("bad row: %+v", o)
			}
		default:
			if o.Status != verdict.StatusDecided || o.Decision != match.Pass {
				t.Errorf("%s: %+v", ref, o)
			}
		}
	}
	if emu.Stats().Faults == 0 {
		t.Error("no fault was injected")
	}
}

// A torn last line (kill -9 mid-write) is dropped and its row redone; rows
// already written are skipped.
func TestResume(t *testing.T) {
	v, _ := setup(t, 0, nil)
	var rows []string
	for n := 0; n < 10; n++ {
		rows = append(rows, genRow(fmt.Sprintf("r%d", n), fmt.Sprintf("fca_gen_%d", n), n))
	}
	cfg := quiet()
	cfg.NoRefresh = true
	cfg.Input, cfg.Output = writeInput(t, rows), filepath.Join(t.TempDir(), "out.jsonl")
	prior := `{"ref":"r0","account":"fca_gen_0","line":1,"status":"decided","decision":"pass","changed":false}` + "\n" + `{"ref":"r1","acc`
	os.WriteFile(cfg.Output, []byte(prior), 0o644)
	sum, err := Run(context.Background(), cfg, v)
	if err != nil {
		t.Fatal(err)
	}
	out := readOutput(t, cfg.Output)
	if sum.AlreadyDone != 1 || sum.Written != 9 || len(out) != 10 {
		t.Fatalf("already %d written %d refs %d", sum.AlreadyDone, sum.Written, len(out))
	}
	for ref, os := range out {
		if len(os) != 1 {
			t.Errorf("%s appears %d times", ref, len(os))
		}
	}
	// A second run has nothing to do.
	sum, _ = Run(context.Background(), cfg, v)
	if sum.Written != 0 || sum.AlreadyDone != 10 {
		t.Fatalf("rerun wrote %d", sum.Written)
	}
}

// n shards cover the input exactly once between them.
func TestShardsPartition(t *testing.T) {
	v, _ := setup(t, 0, nil)
	var rows []string
	for n := 0; n < 60; n++ {
		rows = append(rows, genRow(fmt.Sprintf("r%d", n), fmt.Sprintf("fca_gen_%d", n), n))
	}
	in := writeInput(t, rows)
	all := map[string]int{}
	for i := 0; i < 3; i++ {
		cfg := quiet()
		cfg.NoRefresh, cfg.Input, cfg.Output, cfg.Shard, cfg.Shards = true, in, filepath.Join(t.TempDir(), "out.jsonl"), i, 3
		sum, err := Run(context.Background(), cfg, v)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Written == 0 || sum.Written == 60 {
			t.Errorf("shard %d/3 wrote %d of 60: not a split", i, sum.Written)
		}
		for ref, os := range readOutput(t, cfg.Output) {
			all[ref] += len(os)
		}
	}
	if len(all) != 60 {
		t.Fatalf("shards covered %d of 60 rows", len(all))
	}
	for ref, n := range all {
		if n != 1 {
			t.Errorf("%s covered %d times", ref, n)
		}
	}
}

func TestDryRunReportsLines(t *testing.T) {
	rows := []string{
		genRow("a", "fca_gen_1", 1),
		`{"ref":"b","account":"fca_1","identity":{"type":"individual","name":"X","email":"nope"}}`,
		`not json`,
		genRow("a", "fca_gen_2", 2),
	}
	var stderr bytes.Buffer
	cfg := Config{Input: writeInput(t, rows), DryRun: true, Stderr: &stderr}
	_, err := Run(context.Background(), cfg, nil)
	if err != ErrBadRows {
		t.Fatalf("err %v", err)
	}
	for _, want := range []string{"line 2: identity.email", "line 3:", "line 4: ref: duplicate ref (first at line 1)", "4 rows, 3 invalid"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("dry run output lacks %q:\n%s", want, stderr.String())
		}
	}
}

func TestCSVInput(t *testing.T) {
	p := filepath.Join(t.TempDir(), "in.csv")
	id := sandbox.GeneratedIdentity(4)
	os.WriteFile(p, []byte("ref,account,type,name,line1,city,state,postal_code,email\n"+
		fmt.Sprintf("c1,fca_gen_4,individual,%s,%s,%s,%s,%s,%s\n", id.Name, id.Address.Line1, id.Address.City, id.Address.State, id.Address.PostalCode, id.Email)+
		"c2,fca_gen_5,robot,X,,,,,\n"), 0o644)
	v, _ := setup(t, 0, nil)
	cfg := quiet()
	cfg.NoRefresh, cfg.Input, cfg.Output = true, p, filepath.Join(t.TempDir(), "out.jsonl")
	if _, err := Run(context.Background(), cfg, v); err != nil {
		t.Fatal(err)
	}
	out := readOutput(t, cfg.Output)
	if out["c1"][0].Decision != match.Pass || out["c2"][0].Error == nil || !strings.Contains(out["c2"][0].Error.Message, "line 3: identity.type") {
		t.Fatalf("%+v", out)
	}
}
