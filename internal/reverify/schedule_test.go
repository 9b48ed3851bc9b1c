package reverify

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/identity"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/verdict"
)

// fakeVerifier answers with fn (nil: every account passes).
type fakeVerifier func(ctx context.Context, account string, opt verdict.Options) (verdict.AccountVerdict, error)

var _ Verifier = fakeVerifier(nil)

func (f fakeVerifier) VerifyAccountOf(ctx context.Context, account string, _ verdict.Binding, _ identity.Identity, opt verdict.Options) (verdict.AccountVerdict, error) {
	if f == nil {
		return decided(account, match.Pass, ""), nil
	}
	return f(ctx, account, opt)
}

func decided(account, decision, previous string) verdict.AccountVerdict {
	return verdict.AccountVerdict{Account: account, Status: verdict.StatusDecided, Decision: decision, Previous: previous,
		Result: &match.Result{Decision: decision, Flags: map[string]bool{}, Reasons: []string{"fake"}}}
}

func pending(account string) verdict.AccountVerdict {
	return verdict.AccountVerdict{Account: account, Status: verdict.StatusPending, Reason: "refresh_pending", RetryAfter: 5 * time.Millisecond}
}

// A row waiting for its refresh does not hold a worker: one worker keeps
// several rows in flight (up to MaxInFlight), refreshes once with
// RefreshIfAllowed and then polls with RefreshNever.
func TestPendingRowsDoNotHoldWorkers(t *testing.T) {
	var mu sync.Mutex
	polls := map[string]int{}
	inFlight, maxInFlight := 0, 0
	badOpt := ""
	v := fakeVerifier(func(_ context.Context, account string, opt verdict.Options) (verdict.AccountVerdict, error) {
		mu.Lock()
		defer mu.Unlock()
		want := verdict.RefreshNever
		if polls[account] == 0 {
			want = verdict.RefreshIfAllowed
			inFlight++
			maxInFlight = max(maxInFlight, inFlight)
		}
		if opt.Refresh != want || !opt.SkipCacheRead {
			badOpt = fmt.Sprintf("%s call %d: %+v", account, polls[account], opt)
		}
		polls[account]++
		if polls[account] < 4 {
			return pending(account), nil
		}
		inFlight--
		return decided(account, match.Pass, ""), nil
	})
	cfg := quiet()
	cfg.Concurrency, cfg.MaxInFlight = 1, 5
	cfg.PollInterval, cfg.MaxPollInterval = 5*time.Millisecond, 20*time.Millisecond
	cfg.Input, cfg.Output = writeInput(t, "in.jsonl", genRows(30)), filepath.Join(t.TempDir(), "out.jsonl")
	if _, err := Run(context.Background(), cfg, v); err != nil {
		t.Fatal(err)
	}
	exactlyOnce(t, readOutput(t, cfg.Output), 30)
	if badOpt != "" {
		t.Error(badOpt)
	}
	if maxInFlight < 2 || maxInFlight > 5 {
		t.Errorf("%d rows in flight at most with one worker and MaxInFlight 5; want 2..5", maxInFlight)
	}
}

// --no-refresh never asks for a refresh, not even on the first call.
func TestNoRefresh(t *testing.T) {
	var mu sync.Mutex
	var refreshes int
	v := fakeVerifier(func(_ context.Context, account string, opt verdict.Options) (verdict.AccountVerdict, error) {
		mu.Lock()
		defer mu.Unlock()
		if opt.Refresh != verdict.RefreshNever {
			refreshes++
		}
		return decided(account, match.Pass, ""), nil
	})
	cfg := quiet()
	cfg.NoRefresh = true
	cfg.Input, cfg.Output = writeInput(t, "in.jsonl", genRows(5)), filepath.Join(t.TempDir(), "out.jsonl")
	if _, err := Run(context.Background(), cfg, v); err != nil {
		t.Fatal(err)
	}
	if refreshes != 0 {
		t.Errorf("%d calls allowed a refresh under --no-refresh", refreshes)
	}
}

// A refresh pending for longer than --max-pending-wait makes the row
// unverifiable (refresh_timeout), after a last poll at the deadline.
func TestPendingTimeout(t *testing.T) {
	v := fakeVerifier(func(_ context.Context, account string, _ verdict.Options) (verdict.AccountVerdict, error) {
		return pending(account), nil
	})
	cfg := quiet()
	cfg.MaxPendingWait = 80 * time.Millisecond
	cfg.Input, cfg.Output = writeInput(t, "in.jsonl", genRows(3)), filepath.Join(t.TempDir(), "out.jsonl")
	sum, err := Run(context.Background(), cfg, v)
	if err != nil {
		t.Fatal(err)
	}
	out := readOutput(t, cfg.Output)
	exactlyOnce(t, out, 3)
	for ref, os := range out {
		if o := os[0]; o.Status != verdict.StatusUnverifiable || o.Decision != match.Unverifiable || o.Reason != "refresh_timeout" {
			t.Errorf("%s: %+v", ref, o)
		}
	}
	if sum.ByDecision[match.Unverifiable] != 3 {
		t.Errorf("summary: %+v", sum.ByDecision)
	}
}

// Stopping the run (Ctrl-C) writes nothing for unfinished rows, so the
// re-run does them: each row ends up in the output once, none "canceled".
func TestStopThenResume(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	answered := 0
	v := fakeVerifier(func(ctx context.Context, account string, _ verdict.Options) (verdict.AccountVerdict, error) {
		mu.Lock()
		answered++
		n := answered
		mu.Unlock()
		if n <= 10 {
			return decided(account, match.Pass, ""), nil
		}
		if n == 11 {
			cancel()
		}
		if n%3 == 0 {
			return pending(account), nil // some rows are waiting on a timer when the run stops
		}
		<-ctx.Done() // the others are mid-call
		return verdict.AccountVerdict{}, fmt.Errorf("reading account %s: %w", account, ctx.Err())
	})
	cfg := quiet()
	cfg.Input, cfg.Output = writeInput(t, "in.jsonl", genRows(40)), filepath.Join(t.TempDir(), "out.jsonl")
	sum, err := Run(ctx, cfg, v)
	if err == nil {
		t.Fatal("a stopped run reported success")
	}
	if sum.Written < 10 || sum.Written >= 40 || sum.Interrupted == 0 {
		t.Fatalf("stopped run: written %d, interrupted %d", sum.Written, sum.Interrupted)
	}
	sum2, err := Run(context.Background(), cfg, fakeVerifier(nil))
	if err != nil {
		t.Fatal(err)
	}
	out := readOutput(t, cfg.Output)
	exactlyOnce(t, out, 40)
	for ref, os := range out {
		if os[0].Status != verdict.StatusDecided {
			t.Errorf("%s: %+v", ref, os[0])
		}
	}
	if sum2.AlreadyDone != sum.Written {
		t.Errorf("re-run skipped %d rows, the stopped run wrote %d", sum2.AlreadyDone, sum.Written)
	}
}

// A ref repeated in the input is verified once; resuming keys on refs.
func TestDuplicateRefs(t *testing.T) {
	rows := append(genRows(3), genRow("r1", "fca_gen_9", 9))
	cfg := quiet()
	cfg.Input, cfg.Output = writeInput(t, "in.jsonl", rows), filepath.Join(t.TempDir(), "out.jsonl")
	sum, err := Run(context.Background(), cfg, fakeVerifier(nil))
	if err != nil {
		t.Fatal(err)
	}
	out := readOutput(t, cfg.Output)
	exactlyOnce(t, out, 3)
	if sum.Duplicates != 1 || out["r1"][0].Account != "fca_gen_1" {
		t.Errorf("duplicates %d, r1 %+v", sum.Duplicates, out["r1"])
	}
}

// Previous decisions become changed rows and flips in the summary.
func TestFlips(t *testing.T) {
	prev := map[string]string{"fca_gen_0": match.Pass, "fca_gen_1": match.Fail, "fca_gen_2": ""}
	v := fakeVerifier(func(_ context.Context, account string, _ verdict.Options) (verdict.AccountVerdict, error) {
		return decided(account, match.Fail, prev[account]), nil
	})
	cfg := quiet()
	cfg.Input, cfg.Output = writeInput(t, "in.jsonl", genRows(3)), filepath.Join(t.TempDir(), "out.jsonl")
	sum, err := Run(context.Background(), cfg, v)
	if err != nil {
		t.Fatal(err)
	}
	out := readOutput(t, cfg.Output)
	if o := out["r0"][0]; !o.Changed || o.PreviousDecision != match.Pass {
		t.Errorf("pass→fail: %+v", o)
	}
	if out["r1"][0].Changed || out["r2"][0].Changed {
		t.Error("unchanged or first decisions marked changed")
	}
	if len(sum.Flips) != 1 || sum.Flips["pass→fail"] != 1 {
		t.Errorf("flips %v", sum.Flips)
	}
	var text bytes.Buffer
	sum.WriteText(&text)
	if !strings.Contains(text.String(), "flips:    pass→fail 1") || !strings.Contains(text.String(), "decision: fail 3") {
		t.Errorf("summary text:\n%s", text.String())
	}
}

// --shard i/n: the n jobs cover the input exactly once between them, and
// the split is the same on every run.
func TestShardsPartition(t *testing.T) {
	in := writeInput(t, "in.jsonl", genRows(200))
	all := map[string]int{}
	first := map[string]int{}
	for run := range 2 {
		for i := range 3 {
			cfg := quiet()
			cfg.Input, cfg.Output, cfg.Shard, cfg.Shards = in, filepath.Join(t.TempDir(), "out.jsonl"), i, 3
			sum, err := Run(context.Background(), cfg, fakeVerifier(nil))
			if err != nil {
				t.Fatal(err)
			}
			if sum.Written < 30 || sum.Written+sum.OtherShards != 200 {
				t.Errorf("shard %d/3: wrote %d, other shards %d", i, sum.Written, sum.OtherShards)
			}
			for ref, os := range readOutput(t, cfg.Output) {
				if run == 0 {
					all[ref] += len(os)
					first[ref] = i
				} else if first[ref] != i {
					t.Errorf("%s moved from shard %d to %d", ref, first[ref], i)
				}
			}
		}
	}
	if len(all) != 200 {
		t.Fatalf("shards covered %d of 200 rows", len(all))
	}
	for ref, n := range all {
		if n != 1 {
			t.Errorf("%s covered %d times", ref, n)
		}
	}
}

// Two runs on one output file would redo each other's rows: the second
// is refused while the first holds the file.
func TestOutputLocked(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.jsonl")
	_, f, err := openOutput(p, false, newSummary())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, _, err := openOutput(p, false, newSummary()); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second open: %v", err)
	}
}

// --dry-run reports each bad row with its line number and fails when any is.
func TestDryRunReportsLines(t *testing.T) {
	long := `{"ref":"long","account":"fca_1","identity":{"type":"individual","name":"` + strings.Repeat("x", maxLine) + `"}}`
	rows := []string{
		genRow("a", "fca_gen_1", 1), // 1
		`{"ref":"b","account":"fca_1","identity":{"type":"individual","name":"X","email":"nope"}}`, // 2
		`not json`,                  // 3
		genRow("a", "fca_gen_2", 2), // 4: duplicate ref
		"",                          // 5: blank, ignored
		long,                        // 6
		`{"ref":"c","account":"fca_1","identity":{"type":"individual","name":"X"}} {}`,                                                  // 7
		`{"ref":"d","acount":"fca_1","identity":{"type":"individual","name":"X"}}`,                                                      // 8: typo
		`{"ref":"e","account":"fca_1","identity":{"type":"company","name":"X","address":{"state":"` + strings.Repeat("y", 300) + `"}}}`, // 9
		genRow("f", "fca_gen_3", 3), // 10
	}
	var stderr bytes.Buffer
	cfg := Config{Input: writeInput(t, "in.jsonl", rows), DryRun: true, Stderr: &stderr}
	sum, err := Run(context.Background(), cfg, nil)
	if err != ErrBadRows {
		t.Fatalf("err %v, want ErrBadRows", err)
	}
	for _, want := range []string{
		"line 2: identity.email: email is not a valid address",
		"line 3: not a valid row",
		"line 4: ref: duplicate ref (first at line 1)",
		"line 6: the line is longer than",
		"line 7: not a valid row: data after the JSON object",
		`line 8: not a valid row: json: unknown field "acount"`,
		"line 9: identity.address.state:",
		"dry run: 9 rows, 7 invalid",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("dry run output lacks %q", want)
		}
	}
	if strings.Contains(stderr.String(), "line 1:") || strings.Contains(stderr.String(), "line 10:") || sum.Rows != 9 {
		t.Errorf("good rows reported or miscounted (%d rows):\n%s", sum.Rows, stderr.String())
	}

	// A clean file passes.
	stderr.Reset()
	cfg.Input = writeInput(t, "ok.jsonl", genRows(5))
	if _, err := Run(context.Background(), cfg, nil); err != nil {
		t.Fatalf("clean input: %v\n%s", err, stderr.String())
	}
}

// CSV rows are reported by the line their record starts on, with the
// column to fix.
func TestDryRunCSV(t *testing.T) {
	p := filepath.Join(t.TempDir(), "in.csv")
	os.WriteFile(p, []byte("ref,account,type,name,postal_code,email\n"+
		"a,fca_1,individual,\"Jane\nDoe\",62704,\n"+ // lines 2-3: a quoted newline
		"b,fca_2,individual,Jane Doe,62704,nope\n"+ // line 4
		"c,fca_3,individual,Jane Doe,\"627\"04,\n"), 0o644) // line 5: bad quote
	var stderr bytes.Buffer
	_, err := Run(context.Background(), Config{Input: p, DryRun: true, Stderr: &stderr}, nil)
	if err != ErrBadRows {
		t.Fatalf("err %v", err)
	}
	for _, want := range []string{"line 4: email: email is not a valid address", "line 5: not a valid CSV row", "dry run: 3 rows, 2 invalid"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("lacks %q:\n%s", want, stderr.String())
		}
	}
	os.WriteFile(p, []byte("ref,account,type,name,colour\n"), 0o644)
	if _, err := Run(context.Background(), Config{Input: p, DryRun: true, Stderr: &stderr}, nil); err == nil || !strings.Contains(err.Error(), `unknown CSV column "colour"`) {
		t.Errorf("unknown column: %v", err)
	}
}
