// Package reverify re-checks many accounts: it streams rows of
// {ref, account, identity}, refreshes ownership where Stripe allows, waits
// out pending refreshes, re-evaluates with the current rules and writes one
// output line per row.
//
// It is resumable (rows already in the output are skipped, a torn last line
// is dropped), shardable, and keeps memory flat: the input is streamed,
// channels are bounded, rows in flight are capped and the done-set holds
// 8-byte hashes. A row waiting for a pending refresh does not hold a
// worker: it sleeps on a timer and comes back, so a few workers keep the
// shared Stripe limiter busy however long refreshes take.
package reverify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/identity"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/verdict"
)

// Verifier is the verdict service as the job uses it: each row's account,
// bound to the row's customer when it names one.
type Verifier interface {
	VerifyAccountOf(ctx context.Context, accountID string, bind verdict.Binding, id identity.Identity, opt verdict.Options) (verdict.AccountVerdict, error)
}

var _ Verifier = (*verdict.Service)(nil)

// Config is one run of the job.
type Config struct {
	Input, Output string
	CSV           bool // input is CSV with a header (default: by .csv extension)
	// Concurrency is how many Stripe-calling workers run at once; the
	// Stripe client's limiter paces them all.
	Concurrency int
	// MaxInFlight caps rows started and not yet written (most of them
	// waiting for a pending refresh); default 64 per worker.
	MaxInFlight int
	NoRefresh   bool
	DryRun      bool
	// RetryErrors does again the rows whose line in the output is an
	// error; their old lines are dropped, so the output keeps one per ref.
	RetryErrors    bool
	Shard, Shards  int           // this job's shard i of n (n = 0: no sharding)
	MaxPendingWait time.Duration // give up on a row still pending (or failing) after this long (default 2m)
	// PollInterval is the first wait before polling a pending refresh or
	// retrying a failed row (default 1s); it doubles up to MaxPollInterval
	// (default 15s). A RetryAfter (of a pending verdict or of a Stripe
	// error the client gave up on) is honoured up to that cap.
	PollInterval, MaxPollInterval time.Duration
	// RowRetries is how often a row is tried again after a retryable Stripe
	// error the client's own retries did not get past (default 3; negative: never).
	RowRetries    int
	ProgressEvery time.Duration // progress log interval off a terminal (default 5s)
	Terminal      bool          // stderr is a terminal: draw a progress bar
	Stderr        io.Writer
	Logger        *slog.Logger
}

func (cfg *Config) defaults() {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 8
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = 64 * cfg.Concurrency
	}
	if cfg.MaxPendingWait <= 0 {
		cfg.MaxPendingWait = 2 * time.Minute
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.MaxPollInterval <= 0 {
		cfg.MaxPollInterval = 15 * time.Second
	}
	cfg.MaxPollInterval = max(cfg.MaxPollInterval, cfg.PollInterval)
	if cfg.RowRetries == 0 {
		cfg.RowRetries = 3
	}
	if cfg.ProgressEvery <= 0 {
		cfg.ProgressEvery = 5 * time.Second
	}
	if cfg.Stderr == nil {
		cfg.Stderr = os.Stderr
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewJSONHandler(cfg.Stderr, nil))
	}
}

// ErrBadRows is returned by a dry run that found invalid rows.
var ErrBadRows = errors.New("the input has invalid rows")

// Run runs the job. The summary is returned even with an error (a stopped
// run reports what it did).
func Run(ctx context.Context, cfg Config, v Verifier) (*Summary, error) {
	cfg.defaults()
	if cfg.Shards < 0 || cfg.Shards > 0 && (cfg.Shard < 0 || cfg.Shard >= cfg.Shards) {
		return nil, fmt.Errorf("shard %d/%d: want i/n with 0 <= i < n", cfg.Shard, cfg.Shards)
	}
	in, err := os.Open(cfg.Input)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	csvInput := cfg.CSV || strings.HasSuffix(strings.ToLower(cfg.Input), ".csv")
	rd, err := newReader(in, csvInput)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Input, err)
	}
	if cfg.DryRun {
		sum := newSummary()
		return sum, dryRun(rd, cfg, sum)
	}
	if cfg.Output == "" {
		return nil, errors.New("an output file is required")
	}
	if v == nil {
		return nil, errors.New("no verifier")
	}
	sum := newSummary()
	done, out, err := openOutput(cfg.Output, cfg.RetryErrors, sum)
	if err != nil {
		return nil, err
	}
	defer out.Close()
	estimate := estimateRows(cfg, csvInput, len(done))
	j := &job{cfg: cfg, v: v}
	return j.run(ctx, rd, done, out, estimate, sum)
}

type job struct {
	cfg Config
	v   Verifier
}

// task is a row on its way: it goes back on a timer while its refresh is
// pending or after a retryable error.
type task struct {
	row      Row
	opt      verdict.Options
	started  bool
	deadline time.Time
	backoff  time.Duration
	retries  int
}

type readResult struct {
	queued int64
	err    error
}

func (j *job) run(parent context.Context, rd *reader, done map[uint64]bool, out *os.File, estimate int64, sum *Summary) (*Summary, error) {
	cfg := j.cfg
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	start := time.Now()

	jobs := make(chan Row)
	retry := make(chan *task)
	results := make(chan *Output, cfg.Concurrency) // nil: interrupted, nothing to write
	slots := make(chan struct{}, cfg.MaxInFlight)
	readDone := make(chan readResult, 1)
	quit := make(chan struct{})

	// Reader: the only user of done and of sum's read counters until it
	// reports on readDone.
	go func() {
		var res readResult
		defer func() { close(jobs); readDone <- res }()
		for {
			row, ok, err := rd.next()
			if err != nil {
				res.err = err
				return
			}
			if !ok {
				return
			}
			sum.Rows++
			k := hash64(row.key())
			if fromOutput, seen := done[k]; seen {
				if fromOutput {
					sum.AlreadyDone++
				} else {
					sum.Duplicates++
					cfg.Logger.Warn("duplicate ref skipped: its first row is verified", "line", row.Line)
				}
				continue
			}
			if cfg.Shards > 0 && shardOf(&row, cfg.Shards) != cfg.Shard {
				sum.OtherShards++
				continue
			}
			done[k] = false
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- row:
				res.queued++
			case <-ctx.Done():
				return
			}
		}
	}()

	var wg sync.WaitGroup
	for range cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := jobs
			for {
				var t *task
				select {
				case <-quit:
					return
				case <-ctx.Done():
					return
				case t = <-retry:
				case row, ok := <-in:
					if !ok {
						in = nil // read to the end; keep serving retries
						continue
					}
					t = &task{row: row}
				}
				o, wait, again := j.step(ctx, t)
				if again {
					time.AfterFunc(wait, func() {
						select {
						case retry <- t:
						case <-ctx.Done():
						}
					})
					continue
				}
				results <- o
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	prog := newProgress(cfg, estimate)
	var writeErr, readErr error
	var finished int64
	queued, readOver, quitClosed := int64(0), false, false
	for results != nil {
		select {
		case r := <-readDone:
			queued, readErr, readOver, readDone = r.queued, r.err, true, nil
			prog.setTotal(r.queued)
		case o, ok := <-results:
			if !ok {
				results = nil
				continue
			}
			finished++
			<-slots
			prog.add(o)
			switch {
			case o == nil, writeErr != nil:
				// Not written (stopped, or stopping after a write error):
				// counted as interrupted by settle.
			default:
				b, err := json.Marshal(o)
				if err == nil {
					// One write per line on an O_APPEND file: a kill leaves
					// at most a torn last line, which the next run drops.
					_, err = out.Write(append(b, '\n'))
				}
				if err != nil {
					writeErr = fmt.Errorf("writing %s: %w", cfg.Output, err)
					cancel()
					continue
				}
				sum.count(o)
			}
		}
		if readOver && finished == queued && !quitClosed {
			close(quit)
			quitClosed = true
		}
	}
	if readDone != nil { // stopped before the reader reported
		r := <-readDone
		readErr = r.err
	}
	sum.settle()
	prog.finish(sum.Interrupted > 0)
	sum.ElapsedSeconds = time.Since(start).Seconds()
	if sum.ElapsedSeconds > 0 {
		sum.RowsPerSecond = float64(sum.Written) / sum.ElapsedSeconds
	}
	switch {
	case writeErr != nil:
		return sum, writeErr
	case readErr != nil:
		return sum, readErr
	}
	return sum, parent.Err()
}

// step verifies a row once. It returns the row's output (nil when the run
// was stopped: nothing is written and a re-run does the row), or again and
// how long to wait before the next try.
func (j *job) step(ctx context.Context, t *task) (o *Output, wait time.Duration, again bool) {
	cfg := j.cfg
	row := &t.row
	o = &Output{Ref: row.key(), Account: row.Account, Line: row.Line}
	if row.Err != nil {
		o.Status, o.Error = StatusError, &ErrorInfo{Type: errInvalidRow, Message: rowError(row)}
		return o, 0, false
	}
	if !t.started {
		t.started, t.deadline, t.backoff = true, time.Now().Add(cfg.MaxPendingWait), cfg.PollInterval
		t.opt = verdict.Options{Refresh: verdict.RefreshIfAllowed, SkipCacheRead: true}
		if cfg.NoRefresh {
			t.opt.Refresh = verdict.RefreshNever
		}
	}
	av, err := j.v.VerifyAccountOf(ctx, row.Account, verdict.Binding{Customer: row.Customer, Param: "account"}, row.Identity, t.opt)
	now := time.Now()
	if err != nil {
		if canceled(ctx, err) {
			return nil, 0, false
		}
		if ok, after := retryable(err); ok && t.retries < cfg.RowRetries {
			wait := min(max(after, t.backoff), cfg.MaxPollInterval)
			if now.Add(wait).Before(t.deadline) {
				t.retries++
				t.backoff = min(2*t.backoff, cfg.MaxPollInterval)
				return nil, wait, true
			}
		}
		o.Status, o.Error = StatusError, classify(err)
		return o, 0, false
	}
	if av.Status == verdict.StatusPending {
		if !now.Before(t.deadline) {
			o.Status, o.Decision, o.Reason = verdict.StatusUnverifiable, match.Unverifiable, "refresh_timeout"
			o.Reasons = []string{fmt.Sprintf("the ownership refresh was still pending after %s", cfg.MaxPendingWait)}
			return o, 0, false
		}
		wait := min(max(av.RetryAfter, t.backoff), cfg.MaxPollInterval, t.deadline.Sub(now))
		t.backoff = min(2*t.backoff, cfg.MaxPollInterval)
		t.opt.Refresh = verdict.RefreshNever // one refresh per row; from now on poll
		return nil, wait, true
	}
	o.Status, o.Reason, o.Decision = av.Status, av.Reason, av.Decision
	if r := av.Result; r != nil {
		o.Decision, o.Reasons, o.Rule, o.Ruleset = r.Decision, r.Reasons, r.Rule, r.Ruleset
		if av.Status == verdict.StatusDecided {
			sc := r.Scores
			o.Scores, o.Flags = &sc, r.Flags
		}
	}
	o.PreviousDecision = av.Previous
	o.Signals = av.Signals
	o.Changed = av.Previous != "" && av.Previous != o.Decision
	return o, 0, false
}

// shardOf places a row by an FNV-1a hash of its account (so one account's
// rows meet in one job), or of its ref when it has none.
func shardOf(row *Row, n int) int {
	k := row.Account
	if k == "" {
		k = row.key()
	}
	return int(hash32(k) % uint32(n))
}

func rowError(row *Row) string {
	if e, ok := apperr.As(row.Err); ok && e.Param != "" {
		return fmt.Sprintf("line %d: %s: %s", row.Line, e.Param, e.Message)
	}
	return fmt.Sprintf("line %d: %v", row.Line, row.Err)
}

// estimateRows guesses the rows this run will do, for the progress ETA:
// lines of a regular input file (a pipe is not read twice), split between
// shards, less those already done. The exact count replaces it once the
// input has been read.
func estimateRows(cfg Config, csvInput bool, alreadyDone int) int64 {
	f, err := os.Open(cfg.Input)
	if err != nil {
		return 0
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return 0
	}
	var lines int64
	buf := make([]byte, 256<<10)
	for {
		n, err := f.Read(buf)
		lines += int64(bytes.Count(buf[:n], []byte{'\n'}))
		if err != nil {
			break
		}
	}
	if csvInput {
		lines--
	}
	if cfg.Shards > 0 {
		lines /= int64(cfg.Shards)
	}
	return max(lines-int64(alreadyDone), 0)
}

// dryRun validates every row and reports each bad one with its line; a
// repeated ref is bad too (resuming keys on refs).
func dryRun(rd *reader, cfg Config, sum *Summary) error {
	first := map[uint64]int32{} // ref hash → line of its first row
	for {
		row, ok, err := rd.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		sum.Rows++
		if row.Err == nil {
			k := hash64(row.Ref)
			if line, dup := first[k]; dup {
				row.Err = apperr.Invalidf("ref", "duplicate ref (first at line %d)", line)
			} else {
				first[k] = int32(row.Line)
			}
		}
		if row.Err != nil {
			sum.Invalid++
			fmt.Fprintln(cfg.Stderr, rowError(&row))
		}
	}
	fmt.Fprintf(cfg.Stderr, "dry run: %d rows, %d invalid\n", sum.Rows, sum.Invalid)
	if sum.Invalid > 0 {
		return ErrBadRows
	}
	return nil
}
