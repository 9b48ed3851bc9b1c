package fc

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// transport is the http.RoundTripper under stripe-go: one Limiter for every
// request of the client (per process, or the fleet's shared budget), and
// retries of rate-limit 429s, 5xx and timeouts with capped exponential
// backoff and jitter, honouring Retry-After and Stripe-Should-Retry, never
// past the request's deadline. After a 429 it tells the limiter to slow
// down, so every worker (and, shared, every process) backs off together.
type transport struct {
	base       http.RoundTripper
	limiter    Limiter
	priority   Priority // default; WithPriority overrides it per call
	maxRetries int
	timeout    time.Duration
	maxBackoff time.Duration
	observe    func(int, time.Duration)
	observeOp  func(string, int, time.Duration)
	log        *slog.Logger
	// min429Wait is the least wait after a 429 without Retry-After
	// (Stripe's advice is to slow down, not to hammer); tests lower it.
	min429Wait time.Duration

	requests, rateLimited, retries atomic.Int64
}

// TransportStats counts attempts.
type TransportStats struct {
	Requests    int64 `json:"requests"`
	RateLimited int64 `json:"rate_limited"`
	Retries     int64 `json:"retries"`
}

func newTransport(base http.RoundTripper, cfg StripeConfig) *transport {
	lim := cfg.Limiter
	if lim == nil {
		// A burst of 1 paces requests evenly: bursts are what trip a
		// server-side limiter running at the same rate.
		lim = NewLocal(cfg.RPS, cfg.Burst, cfg.MaxWait)
	}
	retries := cfg.MaxRetries
	if retries == 0 {
		retries = 4
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &transport{base: base, limiter: lim, priority: cfg.Priority,
		maxRetries: retries, timeout: cfg.Timeout, maxBackoff: cfg.MaxBackoff, observe: cfg.Observe,
		observeOp: cfg.ObserveOp, log: log, min429Wait: cmp.Or(cfg.RateLimitWait, time.Second)}
}

func (t *transport) stats() TransportStats {
	return TransportStats{Requests: t.requests.Load(), RateLimited: t.rateLimited.Load(), Retries: t.retries.Load()}
}

// retryHint travels in the request context between a Stripe method and the
// transport: the operation's name goes down (for logs and metrics: a fixed
// word, never an id), and the last attempt's verdict comes back up to wrap
// (stripe-go's errors drop the response headers).
type retryHint struct {
	op         string
	retryAfter time.Duration
	retryable  bool // the transport would have retried the last answer
	attempts   int
}

type hintKey struct{}

func withHint(ctx context.Context, op string) (context.Context, *retryHint) {
	if ctx == nil {
		ctx = context.Background()
	}
	h := &retryHint{op: op}
	return context.WithValue(ctx, hintKey{}, h), h
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	// A retried POST must not create twice: give it an idempotency key.
	if req.Method == http.MethodPost && req.Header.Get("Idempotency-Key") == "" {
		var b [16]byte
		_, _ = rand.Read(b[:])
		req.Header.Set("Idempotency-Key", "ownercheck-"+hex.EncodeToString(b[:]))
	}
	hint, _ := ctx.Value(hintKey{}).(*retryHint)
	if hint == nil {
		hint = &retryHint{op: req.Method}
	}
	prio := priorityOf(ctx, t.priority)
	for attempt := 0; ; attempt++ {
		if err := t.limiter.Wait(ctx, prio); err != nil {
			return nil, err
		}
		resp, err := t.once(ctx, req, body, hint.op)
		retryable, after := t.shouldRetry(resp, err)
		hint.retryAfter, hint.retryable, hint.attempts = after, retryable, attempt+1
		delay := t.backoff(attempt, after)
		if !retryable || attempt >= t.maxRetries || !t.fits(ctx, delay) {
			return resp, err
		}
		status := 0
		if resp != nil {
			status = resp.StatusCode
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		t.retries.Add(1)
		t.log.LogAttrs(ctx, slog.LevelWarn, "stripe request retried", slog.String("op", hint.op),
			slog.Int("status", status), slog.Int("attempt", attempt+1), slog.Duration("delay", delay),
			slog.Bool("transport_error", err != nil))
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(delay):
		}
	}
}

// minAttempt is the least time worth starting another attempt with.
const minAttempt = 500 * time.Millisecond

// fits reports whether waiting delay still leaves the context's deadline
// room for another attempt: a retry budget never outlives the request,
// whose caller then gets the last answer (retryable, with Retry-After)
// instead of a dropped connection.
func (t *transport) fits(ctx context.Context, delay time.Duration) bool {
	dl, ok := ctx.Deadline()
	return !ok || time.Now().Add(delay+minAttempt).Before(dl)
}

func (t *transport) once(ctx context.Context, req *http.Request, body []byte, op string) (*http.Response, error) {
	actx, cancel := context.WithTimeout(ctx, t.timeout)
	r := req.Clone(actx)
	if body != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	start := time.Now()
	t.requests.Add(1)
	resp, err := t.base.RoundTrip(r)
	if t.observe != nil || t.observeOp != nil {
		status, d := 0, time.Since(start)
		if resp != nil {
			status = resp.StatusCode
		}
		if t.observe != nil {
			t.observe(status, d)
		}
		if t.observeOp != nil {
			t.observeOp(op, status, d)
		}
	}
	if err != nil {
		cancel()
		return nil, err
	}
	// Read the body now so the attempt's deadline can be released.
	b, rerr := io.ReadAll(resp.Body)
	resp.Body.Close()
	cancel()
	if rerr != nil {
		return nil, rerr
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}

// shouldRetry decides on one attempt's outcome and the wait it asks for.
func (t *transport) shouldRetry(resp *http.Response, err error) (bool, time.Duration) {
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
			return true, 0
		}
		// Connection refused/reset: transient on a restarting upstream.
		return !errors.Is(err, context.Canceled), 0
	}
	after := parseRetryAfter(resp.Header.Get("Retry-After"))
	if resp.StatusCode == http.StatusTooManyRequests {
		t.rateLimited.Add(1)
		t.limiter.SlowDown(after)
		after = max(after, t.min429Wait)
	}
	switch resp.Header.Get("Stripe-Should-Retry") {
	case "false":
		return false, after
	case "true":
		return true, after
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode == http.StatusConflict, resp.StatusCode >= 500:
		return true, after
	}
	return false, 0
}

func parseRetryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && n >= 0 {
		return time.Duration(n * float64(time.Second))
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(time.Until(at), 0)
	}
	return 0
}

// backoff: exponential from 250ms with full jitter, at least Retry-After,
// capped.
func (t *transport) backoff(attempt int, after time.Duration) time.Duration {
	d := time.Duration(250*(1<<min(attempt, 8))) * time.Millisecond
	d = min(d, t.maxBackoff)
	d = d/2 + time.Duration(mrand.Int64N(int64(d/2)+1))
	return min(max(d, after), max(t.maxBackoff, after))
}
