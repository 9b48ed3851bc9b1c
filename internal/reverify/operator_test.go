package reverify

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/verdict"
)

// Issue 10 (the operator): rows that ended in an error are visible to a
// scheduler (ErrorRows) and --retry-errors does them again, leaving one
// line per ref.
func TestRetryErrorsKeepsOneLinePerRef(t *testing.T) {
	var failing atomic.Bool
	failing.Store(true)
	v := fakeVerifier(func(_ context.Context, account string, _ verdict.Options) (verdict.AccountVerdict, error) {
		if failing.Load() && strings.HasSuffix(account, "_3") || failing.Load() && strings.HasSuffix(account, "_7") {
			return verdict.AccountVerdict{}, &fc.Error{Op: "retrieving account", Status: 400, Type: "invalid_request_error", Code: "resource_missing", Err: errors.New("x")}
		}
		return decided(account, match.Pass, ""), nil
	})
	cfg := quiet()
	cfg.Input, cfg.Output = writeInput(t, "in.jsonl", genRows(10)), filepath.Join(t.TempDir(), "out.jsonl")
	sum, err := Run(context.Background(), cfg, v)
	if err != nil {
		t.Fatal(err)
	}
	if sum.ErrorRows() != 2 || sum.Errors["invalid_request_error"] != 2 {
		t.Fatalf("first run: %d error rows (%v), want 2", sum.ErrorRows(), sum.Errors)
	}

	// A plain re-run changes nothing and still reports the errors.
	sum, err = Run(context.Background(), cfg, v)
	if err != nil || sum.Written != 0 || sum.ErrorRows() != 2 || sum.OutputLines != 10 {
		t.Fatalf("plain re-run: written %d, error rows %d, lines %d, err %v", sum.Written, sum.ErrorRows(), sum.OutputLines, err)
	}

	// The cause is fixed; --retry-errors redoes exactly the two rows.
	failing.Store(false)
	cfg.RetryErrors = true
	sum, err = Run(context.Background(), cfg, v)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Written != 2 || sum.AlreadyDone != 8 || sum.ErrorRows() != 0 || sum.ByDecision[match.Pass] != 10 {
		t.Fatalf("retry run: written %d, already done %d, error rows %d, by decision %v", sum.Written, sum.AlreadyDone, sum.ErrorRows(), sum.ByDecision)
	}
	out := readOutput(t, cfg.Output)
	exactlyOnce(t, out, 10)
	for ref, lines := range out {
		if lines[0].Status != verdict.StatusDecided {
			t.Errorf("%s: %+v", ref, lines[0])
		}
	}
}

// The summary of a resumed run covers the whole output, and the counts of
// a stopped run add up (read = written + done + shards + duplicates +
// interrupted), rows waiting on a timer included.
func TestSummaryCoversWholeOutputAndAddsUp(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var answered atomic.Int64
	v := fakeVerifier(func(ctx context.Context, account string, _ verdict.Options) (verdict.AccountVerdict, error) {
		n := answered.Add(1)
		switch {
		case n <= 10:
			return decided(account, match.Review, ""), nil
		case n == 11:
			cancel()
		}
		if n%3 == 0 {
			return pending(account), nil // waiting on a timer when the run stops
		}
		<-ctx.Done()
		return verdict.AccountVerdict{}, ctx.Err()
	})
	cfg := quiet()
	cfg.Input, cfg.Output = writeInput(t, "in.jsonl", genRows(40)), filepath.Join(t.TempDir(), "out.jsonl")
	sum, _ := Run(ctx, cfg, v)
	if got := sum.Written + sum.AlreadyDone + sum.OtherShards + sum.Duplicates + sum.Interrupted; got != sum.Rows {
		t.Fatalf("stopped run: %d read but %d written + %d done + %d interrupted", sum.Rows, sum.Written, sum.AlreadyDone, sum.Interrupted)
	}
	first := sum.Written
	sum, err := Run(context.Background(), cfg, fakeVerifier(nil))
	if err != nil {
		t.Fatal(err)
	}
	if sum.OutputLines != 40 || sum.ByDecision[match.Review] != first || sum.ByDecision[match.Pass] != 40-first {
		t.Fatalf("resumed run: %d lines, by decision %v; want 40 with %d review from the first run", sum.OutputLines, sum.ByDecision, first)
	}
}
