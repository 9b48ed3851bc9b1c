// Package reverify re-checks many accounts: it streams rows of
// {ref, account, identity}, refreshes ownership where Stripe allows, waits
// out pending refreshes, re-evaluates with the current rules and writes one
// output line per row. It is resumable (rows already in the output are
// skipped, a torn last line is dropped), shardable, and keeps memory flat.
package reverify

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/identity"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/verdict"
)

// Verifier is the verdict service as the job uses it.
type Verifier interface {
	VerifyAccount(ctx context.Context, accountID string, id identity.Identity, opt verdict.Options) (verdict.AccountVerdict, error)
}

// Config is one run of the job.
type Config struct {
	Input, Output, Summary string
	CSV                    bool // input is CSV with a header (default: by .csv extension)
	Concurrency            int
	NoRefresh              bool
	DryRun                 bool
	Shard, Shards          int // this job's shard i of n (n = 0: no sharding)
	MaxPendingWait         time.Duration
	ProgressEvery          time.Duration // progress log interval off a terminal
	Terminal               bool          // stderr is a terminal: draw a progress bar
	Stderr                 io.Writer
	Logger                 *slog.Logger
}

// Output is one line of the output file.
type Output struct {
	Ref              string          `json:"ref"`
	Account          string          `json:"account,omitempty"`
	Line             int             `json:"line"`
	Status           string          `json:"status"` // decided | unverifiable | error
	Decision         string          `json:"decision,omitempty"`
	Reason           string          `json:"reason,omitempty"`
	Scores           *match.Scores   `json:"scores,omitempty"`
	Flags            map[string]bool `json:"flags,omitempty"`
	Reasons          []string        `json:"reasons,omitempty"`
	Rule             string          `json:"rule,omitempty"`
	Ruleset          string          `json:"ruleset,omitempty"`
	PreviousDecision string          `json:"previous_decision,omitempty"`
	Changed          bool            `json:"changed"`
	Error            *ErrorInfo      `json:"error,omitempty"`
}

// ErrorInfo says why a row could not be verified.
type ErrorInfo struct {
	Type    string `json:"type"` // Stripe error type (rate_limit_error, api_error, timeout…) or invalid_row
	Message string `json:"message"`
}

// Summary is the run's report.
type Summary struct {
	Rows           int64            `json:"rows"`
	Written        int64            `json:"written"`
	AlreadyDone    int64            `json:"already_done"`
	OtherShards    int64            `json:"other_shards"`
	Invalid        int64            `json:"invalid"`
	ByStatus       map[string]int64 `json:"by_status"`
	ByDecision     map[string]int64 `json:"by_decision"`
	Flips          map[string]int64 `json:"flips"`
	Errors         map[string]int64 `json:"errors"`
	ElapsedSeconds float64          `json:"elapsed_seconds"`
	RowsPerSecond  float64          `json:"rows_per_second"`
}

// ErrBadRows is returned by a dry run that found invalid rows.
var ErrBadRows = errors.New("the input has invalid rows")

// Run runs the job.
func Run(ctx context.Context, cfg Config, v Verifier) (*Summary, error) {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.MaxPendingWait <= 0 {
		cfg.MaxPendingWait = 2 * time.Minute
	}
	if cfg.ProgressEvery <= 0 {
		cfg.ProgressEvery = 5 * time.Second
	}
	if cfg.Stderr == nil {
		cfg.Stderr = os.Stderr
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(cfg.Stderr, nil))
	}
	if cfg.Shards > 0 && (cfg.Shard < 0 || cfg.Shard >= cfg.Shards) {
		return nil, fmt.Errorf("--shard %d/%d: i must be in 0..n-1", cfg.Shard, cfg.Shards)
	}
	in, err := os.Open(cfg.Input)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	rd, err := newReader(bufio.NewReaderSize(in, 1<<16), cfg.CSV || strings.HasSuffix(strings.ToLower(cfg.Input), ".csv"))
	if err != nil {
		return nil, err
	}
	sum := &Summary{ByStatus: map[string]int64{}, ByDecision: map[string]int64{}, Flips: map[string]int64{}, Errors: map[string]int64{}}
	start := time.Now()
	if cfg.DryRun {
		return sum, dryRun(rd, cfg, sum)
	}
	if cfg.Output == "" {
		return nil, errors.New("--output is required")
	}
	done, out, err := openOutput(cfg.Output)
	if err != nil {
		return nil, err
	}
	defer out.Close()

	jobs := make(chan Row, cfg.Concurrency*2)
	results := make(chan Output, cfg.Concurrency*2)
	var readErr error
	go func() {
		defer close(jobs)
		for {
			row, ok, err := rd.next()
			if err != nil {
				readErr = err
				return
			}
			if !ok {
				return
			}
			sum.Rows++
			key := row.Ref
			if key == "" {
				key = fmt.Sprintf("line:%d", row.Line)
			}
			if done[hash64(key)] {
				sum.AlreadyDone++
				continue
			}
			if cfg.Shards > 0 && int(hash32(row.Account)%uint32(cfg.Shards)) != cfg.Shard {
				sum.OtherShards++
				continue
			}
			select {
			case jobs <- row:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for i := 0; i < cfg.Concurrency; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for row := range jobs {
				results <- process(ctx, cfg, v, row)
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	prog := newProgress(cfg, sum)
	var writeErr error
	for o := range results {
		if writeErr != nil {
			continue // drain
		}
		b, _ := json.Marshal(o)
		// One write per line on an O_APPEND file: a kill leaves at most a
		// torn last line, which the next run drops.
		if _, err := out.Write(append(b, '\n')); err != nil {
			writeErr = fmt.Errorf("writing %s: %w", cfg.Output, err)
			continue
		}
		sum.count(o)
		prog.add(o)
	}
	prog.finish()
	sum.ElapsedSeconds = time.Since(start).Seconds()
	if sum.ElapsedSeconds > 0 {
		sum.RowsPerSecond = float64(sum.Written) / sum.ElapsedSeconds
	}
	if writeErr != nil {
		return sum, writeErr
	}
	if readErr != nil {
		return sum, readErr
	}
	return sum, ctx.Err()
}

func (s *Summary) count(o Output) {
	s.Written++
	s.ByStatus[o.Status]++
	if o.Decision != "" {
		s.ByDecision[o.Decision]++
	}
	if o.Changed {
		s.Flips[o.PreviousDecision+"→"+o.Decision]++
	}
	if o.Error != nil {
		s.Errors[o.Error.Type]++
		if o.Error.Type == "invalid_row" {
			s.Invalid++
		}
	}
}

// process verifies one row, waiting out a pending refresh with backoff.
func process(ctx context.Context, cfg Config, v Verifier, row Row) Output {
	o := Output{Ref: row.Ref, Account: row.Account, Line: row.Line}
	if o.Ref == "" {
		o.Ref = fmt.Sprintf("line:%d", row.Line)
	}
	if row.Err != nil {
		o.Status, o.Error = "error", &ErrorInfo{Type: "invalid_row", Message: rowError(row)}
		return o
	}
	opt := verdict.Options{Refresh: verdict.RefreshIfAllowed, SkipCacheRead: true}
	if cfg.NoRefresh {
		opt.Refresh = verdict.RefreshNever
	}
	deadline := time.Now().Add(cfg.MaxPendingWait)
	backoff := 500 * time.Millisecond
	for {
		av, err := v.VerifyAccount(ctx, row.Account, row.Identity, opt)
		if err != nil {
			o.Status, o.Error = "error", classify(err)
			return o
		}
		if av.Status != verdict.StatusPending {
			o.Status, o.Reason = av.Status, av.Reason
			if r := av.Result; r != nil {
				o.Decision, o.Reasons, o.Rule, o.Ruleset = r.Decision, r.Reasons, r.Rule, r.Ruleset
				if av.Status == verdict.StatusDecided {
					sc := r.Scores
					o.Scores, o.Flags = &sc, r.Flags
				}
			}
			o.PreviousDecision = av.Previous
			o.Changed = av.Previous != "" && av.Previous != o.Decision
			return o
		}
		wait := max(av.RetryAfter, backoff)
		if time.Now().Add(wait).After(deadline) {
			o.Status, o.Decision, o.Reason = verdict.StatusUnverifiable, match.Unverifiable, "refresh_timeout"
			o.Reasons = []string{fmt.Sprintf("the ownership refresh was still pending after %s", cfg.MaxPendingWait)}
			return o
		}
		select {
		case <-ctx.Done():
			o.Status, o.Error = "error", &ErrorInfo{Type: "canceled", Message: "the job was stopped"}
			return o
		case <-time.After(wait):
		}
		backoff = min(backoff*2, 15*time.Second)
		opt.Refresh = verdict.RefreshNever // one refresh per row; now poll
	}
}

func rowError(row Row) string {
	if e, ok := apperr.As(row.Err); ok && e.Param != "" {
		return fmt.Sprintf("line %d: %s: %s", row.Line, e.Param, e.Message)
	}
	return fmt.Sprintf("line %d: %v", row.Line, row.Err)
}

// classify names an error by its Stripe error type when it has one.
func classify(err error) *ErrorInfo {
	var se *fc.Error
	switch {
	case errors.As(err, &se):
		return &ErrorInfo{Type: se.Type, Message: err.Error()}
	case errors.Is(err, context.Canceled):
		return &ErrorInfo{Type: "canceled", Message: "the job was stopped"}
	}
	if e, ok := apperr.As(err); ok {
		return &ErrorInfo{Type: e.Kind, Message: e.Message}
	}
	return &ErrorInfo{Type: "internal", Message: err.Error()}
}

func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

func hash32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// openOutput opens the output for appending after collecting the refs
// already written; a torn last line (a killed run) is cut off first.
func openOutput(path string) (map[uint64]bool, *os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, err
	}
	done := map[uint64]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	var good int64
	for sc.Scan() {
		line := sc.Bytes()
		var o struct {
			Ref string `json:"ref"`
		}
		if json.Unmarshal(line, &o) != nil || o.Ref == "" {
			break // a torn line: everything after it is dropped
		}
		done[hash64(o.Ref)] = true
		good += int64(len(line)) + 1
	}
	if err := sc.Err(); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("reading %s: %w", path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if good == st.Size()+1 {
		// A complete last line whose newline was lost: restore it.
		if _, err := f.Write([]byte{'\n'}); err != nil {
			f.Close()
			return nil, nil, err
		}
	} else if st.Size() > good {
		// The last complete line may lack its newline only if torn.
		if err := f.Truncate(good); err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("dropping the torn last line of %s: %w", path, err)
		}
	}
	return done, f, nil
}

func dryRun(rd *reader, cfg Config, sum *Summary) error {
	seen := map[uint64]int{}
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
			if first, dup := seen[hash64(row.Ref)]; dup {
				row.Err = apperr.Invalidf("ref", "duplicate ref (first at line %d)", first)
			} else {
				seen[hash64(row.Ref)] = row.Line
			}
		}
		if row.Err != nil {
			sum.Invalid++
			fmt.Fprintln(cfg.Stderr, rowError(row))
		}
	}
	fmt.Fprintf(cfg.Stderr, "dry run: %d rows, %d invalid\n", sum.Rows, sum.Invalid)
	if sum.Invalid > 0 {
		return ErrBadRows
	}
	return nil
}

// progress reports on a terminal with a bar, elsewhere with a log line
// every few seconds.
type progress struct {
	cfg     Config
	sum     *Summary
	bar     *progressbar.ProgressBar
	stop    chan struct{}
	stopped sync.WaitGroup
	n       atomic.Int64
}

func newProgress(cfg Config, sum *Summary) *progress {
	p := &progress{cfg: cfg, sum: sum, stop: make(chan struct{})}
	if cfg.Terminal {
		p.bar = progressbar.NewOptions64(-1, progressbar.OptionSetWriter(cfg.Stderr), progressbar.OptionShowCount(),
			progressbar.OptionShowIts(), progressbar.OptionSetItsString("rows"), progressbar.OptionThrottle(200*time.Millisecond))
		return p
	}
	p.stopped.Add(1)
	go func() {
		defer p.stopped.Done()
		t := time.NewTicker(cfg.ProgressEvery)
		defer t.Stop()
		start := time.Now()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				n := p.n.Load()
				cfg.Logger.Info("reverify progress", "rows_written", n, "rows_per_second", float64(n)/time.Since(start).Seconds())
			}
		}
	}()
	return p
}

func (p *progress) add(o Output) {
	p.n.Add(1)
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("%s: pass %d review %d fail %d unverifiable %d errors %d", p.cfg.Output,
			p.sum.ByDecision[match.Pass], p.sum.ByDecision[match.Review], p.sum.ByDecision[match.Fail], p.sum.ByDecision[match.Unverifiable], p.sum.ByStatus["error"]))
		p.bar.Add(1)
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
		fmt.Fprintln(p.cfg.Stderr)
		return
	}
	close(p.stop)
	p.stopped.Wait()
}

// WriteText prints the summary for people.
func (s *Summary) WriteText(w io.Writer) {
	fmt.Fprintf(w, "reverify: %d rows read, %d written, %d already done, %d in other shards, %d invalid, %.1f rows/s\n",
		s.Rows, s.Written, s.AlreadyDone, s.OtherShards, s.Invalid, s.RowsPerSecond)
	for _, m := range []struct {
		name string
		m    map[string]int64
	}{{"status", s.ByStatus}, {"decision", s.ByDecision}, {"flips", s.Flips}, {"errors", s.Errors}} {
		if len(m.m) == 0 {
			continue
		}
		keys := make([]string, 0, len(m.m))
		for k := range m.m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s %d", k, m.m[k]))
		}
		fmt.Fprintf(w, "  %-8s %s\n", m.name+":", strings.Join(parts, ", "))
	}
}
