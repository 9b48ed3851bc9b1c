package reverify

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/match"
)

// Output is one line of the output file.
type Output struct {
	Ref     string `json:"ref"`
	Account string `json:"account,omitempty"`
	Line    int    `json:"line"`   // input line of the row
	Status  string `json:"status"` // decided | unverifiable | error
	// Decision is pass|review|fail when decided, unverifiable when
	// unverifiable, empty on error.
	Decision         string          `json:"decision,omitempty"`
	Reason           string          `json:"reason,omitempty"` // why unverifiable (refresh_failed, refresh_timeout, account_inactive, …)
	Scores           *match.Scores   `json:"scores,omitempty"`
	Flags            map[string]bool `json:"flags,omitempty"`
	Reasons          []string        `json:"reasons,omitempty"`
	Rule             string          `json:"rule,omitempty"`
	Ruleset          string          `json:"ruleset,omitempty"`
	PreviousDecision string          `json:"previous_decision,omitempty"`
	// Signals are the reuse counts the decision saw. Re-checking a pair
	// already counted does not raise them (see README, "Reuse signals").
	Signals *match.Signals `json:"signals,omitempty"`
	Changed bool           `json:"changed"`
	Error   *ErrorInfo     `json:"error,omitempty"`
}

// Output statuses beyond verdict's decided and unverifiable.
const StatusError = "error"

// ErrorInfo says why a row could not be verified.
type ErrorInfo struct {
	// Type is Stripe's error type (rate_limit_error, api_error,
	// invalid_request_error, …) or fc's (timeout, api_connection_error),
	// or invalid_row for a row that failed validation.
	Type    string `json:"type"`
	Code    string `json:"code,omitempty"` // Stripe's error code (resource_missing, …)
	Message string `json:"message"`
}

const errInvalidRow = "invalid_row"

// classify names an error by its Stripe error type when it has one. The
// message leaves out Stripe's own text (it may echo request data); the
// operation, status and code say what failed. Other errors are named by
// their kind in the one classification (apperr.Classify) that the HTTP
// layer also uses.
func classify(err error) *ErrorInfo {
	var se *fc.Error
	if errors.As(err, &se) {
		msg := err.Error()
		if se.Status != 0 && se.Err != nil {
			msg = strings.TrimSuffix(msg, ": "+se.Err.Error())
		}
		return &ErrorInfo{Type: se.Type, Code: se.Code, Message: msg}
	}
	e := apperr.Classify(err)
	msg := e.Message
	if _, ok := apperr.As(err); !ok {
		msg = err.Error() // ours, not Stripe's: safe and more precise
	}
	if errors.Is(err, fc.ErrNotFound) {
		// Stripe's 404, also when verdict answered it as a 404 naming the account.
		return &ErrorInfo{Type: "invalid_request_error", Code: "resource_missing", Message: msg}
	}
	return &ErrorInfo{Type: e.Kind, Message: msg}
}

// retryable reports whether the row may be tried again later, and the
// wait the error suggests.
func retryable(err error) (bool, time.Duration) {
	e := apperr.Classify(err)
	return e.Retryable(), e.RetryAfter
}

func canceled(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, context.Canceled)
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

// priorLine is what a run needs of a line an earlier run wrote: its ref,
// and what it counts for in the summary of the whole output.
type priorLine struct {
	Ref              string     `json:"ref"`
	Status           string     `json:"status"`
	Decision         string     `json:"decision"`
	PreviousDecision string     `json:"previous_decision"`
	Changed          bool       `json:"changed"`
	Error            *ErrorInfo `json:"error"`
}

// openOutput locks the output file against a second concurrent run,
// collects the refs already written (as 8-byte hashes: a million refs cost
// a few tens of MB) and counts their outcomes into sum, cuts off a torn
// last line left by a killed run, and returns the file open for appending.
// With retryErrors, lines whose outcome was an error are dropped from the
// file first (their rows are then done again), so the output keeps one
// line per ref.
func openOutput(path string, retryErrors bool, sum *Summary) (map[uint64]bool, *os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, err
	}
	fail := func(err error) (map[uint64]bool, *os.File, error) {
		f.Close()
		return nil, nil, err
	}
	if err := lockFile(f); err != nil {
		return fail(fmt.Errorf("%s is in use by another reverify run: %w", path, err))
	}
	var keep *os.File // the compacted copy, with retryErrors
	if retryErrors {
		if keep, err = os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp"); err != nil {
			return fail(err)
		}
		defer func() {
			if keep != nil {
				keep.Close()
				os.Remove(keep.Name())
			}
		}()
	}
	done := map[uint64]bool{}
	lr := &lineReader{br: bufio.NewReaderSize(f, 64<<10)}
	var good int64 // bytes of complete, valid lines
	for {
		b, tooLong, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(fmt.Errorf("reading %s: %w", path, err))
		}
		if tooLong || len(b) == 0 || b[len(b)-1] != '\n' {
			break // torn (no newline): dropped below, the row is redone
		}
		var o priorLine
		if json.Unmarshal(b, &o) != nil || o.Ref == "" {
			// A kill only ever leaves a last line without its newline; a
			// complete line that is not ours means the file is not (only)
			// this job's output: refuse rather than cut someone's data.
			return fail(fmt.Errorf("%s line %d is not a reverify output line; move the file away or fix it", path, lr.line))
		}
		good += int64(len(b))
		if keep != nil {
			if o.Status == StatusError {
				continue // redone by this run
			}
			if _, err := keep.Write(b); err != nil {
				return fail(fmt.Errorf("compacting %s: %w", path, err))
			}
		}
		done[hash64(o.Ref)] = true
		sum.countPrior(&o)
	}
	if keep != nil {
		return replaceOutput(f, keep, path, done)
	}
	st, err := f.Stat()
	if err != nil {
		return fail(err)
	}
	if st.Size() > good {
		if err := f.Truncate(good); err != nil {
			return fail(fmt.Errorf("dropping the torn end of %s: %w", path, err))
		}
	}
	return done, f, nil
}

// replaceOutput puts the compacted copy in place of the output file. The
// new file is locked before the old one is let go, so a second run never
// finds the output unlocked.
func replaceOutput(old, keep *os.File, path string, done map[uint64]bool) (map[uint64]bool, *os.File, error) {
	defer old.Close()
	if err := keep.Sync(); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(keep.Name(), os.O_RDWR|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, nil, err
	}
	if err := os.Rename(keep.Name(), path); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("replacing %s: %w", path, err)
	}
	return done, f, nil
}
