package reverify

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/ownercheck/ownercheck/internal/match"
)

// Summary is the run's report (stderr as text, --summary as JSON). The
// counts of this run's rows (Rows … Interrupted) add up: Rows = Written +
// AlreadyDone + OtherShards + Duplicates + Interrupted. The outcome counts
// (OutputLines, ByStatus … Errors) cover the whole output file, lines of
// earlier runs included, so a resumed run reports on the whole job.
type Summary struct {
	Rows        int64 `json:"rows"`         // input rows read
	Written     int64 `json:"written"`      // output lines written by this run
	AlreadyDone int64 `json:"already_done"` // rows found in the output from an earlier run
	OtherShards int64 `json:"other_shards"` // rows left to the other --shard jobs
	Duplicates  int64 `json:"duplicates"`   // rows skipped because their ref came earlier in the input
	// Interrupted rows were read but not finished when the run was
	// stopped; nothing was written for them, so a re-run does them.
	Interrupted    int64            `json:"interrupted"`
	OutputLines    int64            `json:"output_lines"` // lines in the output file now
	Invalid        int64            `json:"invalid"`      // output lines that are invalid_row errors
	ByStatus       map[string]int64 `json:"by_status"`
	ByDecision     map[string]int64 `json:"by_decision"`
	Flips          map[string]int64 `json:"flips"`  // "pass→fail": previous decision → this one, changed rows only
	Errors         map[string]int64 `json:"errors"` // by error type
	ElapsedSeconds float64          `json:"elapsed_seconds"`
	RowsPerSecond  float64          `json:"rows_per_second"`
}

func newSummary() *Summary {
	return &Summary{ByStatus: map[string]int64{}, ByDecision: map[string]int64{}, Flips: map[string]int64{}, Errors: map[string]int64{}}
}

// count adds a line this run wrote.
func (s *Summary) count(o *Output) {
	s.Written++
	s.countLine(o.Status, o.Decision, o.PreviousDecision, o.Changed, o.Error)
}

// countPrior adds a line an earlier run wrote.
func (s *Summary) countPrior(o *priorLine) {
	s.countLine(o.Status, o.Decision, o.PreviousDecision, o.Changed, o.Error)
}

func (s *Summary) countLine(status, decision, previous string, changed bool, e *ErrorInfo) {
	s.OutputLines++
	s.ByStatus[status]++
	if decision != "" {
		s.ByDecision[decision]++
	}
	if changed {
		s.Flips[previous+"→"+decision]++
	}
	if e != nil {
		s.Errors[e.Type]++
		if e.Type == errInvalidRow {
			s.Invalid++
		}
	}
}

// ErrorRows is how many lines of the output end in an error (a scheduler
// sees them as exit status 3; --retry-errors does them again).
func (s *Summary) ErrorRows() int64 { return s.ByStatus[StatusError] }

// settle derives Interrupted so that the counts of a stopped run add up:
// a row read for this shard and not written was not finished.
func (s *Summary) settle() {
	s.Interrupted = max(s.Rows-s.Written-s.AlreadyDone-s.OtherShards-s.Duplicates, 0)
}

// WriteText prints the summary for people.
func (s *Summary) WriteText(w io.Writer) {
	fmt.Fprintf(w, "reverify: %d rows read = %d written + %d already done + %d in other shards + %d duplicate refs + %d interrupted; %.1f rows/s\n",
		s.Rows, s.Written, s.AlreadyDone, s.OtherShards, s.Duplicates, s.Interrupted, s.RowsPerSecond)
	fmt.Fprintf(w, "  output:   %d lines (this run and earlier ones), %d invalid rows, %d errors\n", s.OutputLines, s.Invalid, s.ErrorRows())
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
		fmt.Fprintf(w, "  %-9s %s\n", m.name+":", strings.Join(parts, ", "))
	}
}

// progress reports on a terminal with a bar (rows/s, ETA, counts per
// decision), elsewhere with a log line every few seconds. Its methods are
// called from the writer goroutine only; the log ticker reads atomics.
type progress struct {
	cfg   Config
	start time.Time
	bar   *progressbar.ProgressBar
	total atomic.Int64 // rows expected (estimate until the input is read); 0 = unknown
	done  atomic.Int64 // rows finished (written or interrupted)
	by    [5]atomic.Int64
	stop  chan struct{}
	wg    sync.WaitGroup
}

var progressKeys = [5]string{match.Pass, match.Review, match.Fail, match.Unverifiable, StatusError}

func newProgress(cfg Config, estimate int64) *progress {
	p := &progress{cfg: cfg, start: time.Now(), stop: make(chan struct{})}
	p.total.Store(estimate)
	if cfg.Terminal {
		max := estimate
		if max <= 0 {
			max = -1 // spinner
		}
		p.bar = progressbar.NewOptions64(max, progressbar.OptionSetWriter(cfg.Stderr), progressbar.OptionShowCount(),
			progressbar.OptionShowIts(), progressbar.OptionSetItsString("rows"), progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionFullWidth())
		p.describe()
		return p
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(cfg.ProgressEvery)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.log()
			}
		}
	}()
	return p
}

func (p *progress) log() {
	n := p.done.Load()
	rate := float64(n) / time.Since(p.start).Seconds()
	attrs := []any{"rows_done", n, "rows_per_second", fmt.Sprintf("%.1f", rate)}
	if total := p.total.Load(); total > 0 {
		attrs = append(attrs, "rows_total", total)
		if rate > 0 && total > n {
			attrs = append(attrs, "eta", (time.Duration(float64(total-n)/rate) * time.Second).Round(time.Second).String())
		}
	}
	for i, k := range progressKeys {
		attrs = append(attrs, k, p.by[i].Load())
	}
	p.cfg.Logger.Info("reverify progress", attrs...)
}

func (p *progress) add(o *Output) {
	p.done.Add(1)
	if o != nil {
		k := o.Decision
		if o.Status == StatusError {
			k = StatusError
		}
		for i, name := range progressKeys {
			if name == k {
				p.by[i].Add(1)
			}
		}
	}
	if p.bar != nil {
		p.describe()
		p.bar.Add(1)
	}
}

func (p *progress) describe() {
	p.bar.Describe(fmt.Sprintf("pass %d · review %d · fail %d · unverifiable %d · errors %d",
		p.by[0].Load(), p.by[1].Load(), p.by[2].Load(), p.by[3].Load(), p.by[4].Load()))
}

// setTotal fixes the total once the whole input has been read.
func (p *progress) setTotal(n int64) {
	p.total.Store(n)
	if p.bar != nil {
		p.bar.ChangeMax64(n)
	}
}

// finish ends the report; a stopped run's bar stays where it was rather
// than jumping to 100%.
func (p *progress) finish(stopped bool) {
	if p.bar != nil {
		if stopped {
			_ = p.bar.Exit()
		} else {
			p.bar.Finish()
		}
		fmt.Fprintln(p.cfg.Stderr)
		return
	}
	close(p.stop)
	p.wg.Wait()
	p.log()
}
