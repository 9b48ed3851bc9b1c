// Command benchcached is tools/bench-cached's load generator and baseline:
//
//	benchcached baseline -addr 127.0.0.1:0 -redis redis://…   a bare gin handler: decode the body, one Redis GET
//	benchcached load -url … -body FILE -auth KEY -conns 16 -duration 5s   prints one JSON line
//
// The baseline is what a cached verdict cannot beat: the same HTTP stack,
// the same body decoded, one Redis round trip, a reply of similar size.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchcached baseline|load [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "baseline":
		err = baseline(os.Args[2:])
	case "load":
		err = load(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchcached:", err)
		os.Exit(1)
	}
}

// baselineKey holds a value the size of a cached verdict.
const baselineKey = "bench:baseline"

func baseline(args []string) error {
	fs := flag.NewFlagSet("baseline", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address (printed on stdout)")
	redisURL := fs.String("redis", "", "redis://…")
	valueFile := fs.String("value", "", "file whose content is stored under the key (a verdict's size)")
	fs.Parse(args)
	opt, err := redis.ParseURL(*redisURL)
	if err != nil {
		return err
	}
	rdb := redis.NewClient(opt)
	val, err := os.ReadFile(*valueFile)
	if err != nil {
		return err
	}
	if err := rdb.Set(context.Background(), baselineKey, val, 0).Err(); err != nil {
		return err
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.POST("/v1/verdicts", func(c *gin.Context) {
		var body map[string]any
		if err := c.ShouldBindJSON(&body); err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
			return
		}
		b, err := rdb.Get(c.Request.Context(), baselineKey).Bytes()
		if err != nil {
			c.JSON(http.StatusServiceUnavailable, gin.H{"error": err.Error()})
			return
		}
		c.Data(http.StatusOK, "application/json; charset=utf-8", b)
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Println(ln.Addr().String())
	return http.Serve(ln, r)
}

// result is one load run's summary.
type result struct {
	Requests int64   `json:"requests"`
	Errors   int64   `json:"errors"`
	Seconds  float64 `json:"seconds"`
	RPS      float64 `json:"rps"`
	P50ms    float64 `json:"p50_ms"`
	P90ms    float64 `json:"p90_ms"`
	P99ms    float64 `json:"p99_ms"`
	P999ms   float64 `json:"p999_ms"`
}

func load(args []string) error {
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	url := fs.String("url", "", "POST target")
	bodyFile := fs.String("body", "", "request body file")
	auth := fs.String("auth", "", "API key (Authorization: Bearer)")
	conns := fs.Int("conns", 16, "concurrent connections")
	duration := fs.Duration("duration", 5*time.Second, "how long to run")
	fs.Parse(args)
	body, err := os.ReadFile(*bodyFile)
	if err != nil {
		return err
	}
	tr := &http.Transport{MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	var mu sync.Mutex
	var lat []time.Duration
	var errs int64
	deadline := time.Now().Add(*duration)
	start := time.Now()
	var wg sync.WaitGroup
	for range *conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			var bad int64
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest(http.MethodPost, *url, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				if *auth != "" {
					req.Header.Set("Authorization", "Bearer "+*auth)
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					bad++
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					bad++
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat, errs = append(lat, mine...), errs+bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	return json.NewEncoder(os.Stdout).Encode(result{Requests: int64(len(lat)), Errors: errs, Seconds: secs,
		RPS: float64(len(lat)) / secs, P50ms: pct(0.50), P90ms: pct(0.90), P99ms: pct(0.99), P999ms: pct(0.999)})
}
