// Command sandboxload reads a new generated account (fca_gen_<n>, n
// counting up) from a sandbox as fast as it answers, for a while, with a
// few connections: the load of a client walking ids, used by
// tools/bench-sandbox-memory to show the sandbox's memory stays bounded.
// It targets the URL it is given (127.0.0.1 in the script) and stops by
// itself.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:12111", "sandbox URL")
	d := flag.Duration("for", 20*time.Second, "how long")
	workers := flag.Int("c", 8, "connections")
	from := flag.Int64("from", 0, "first n")
	flag.Parse()
	var n, failed atomic.Int64
	n.Store(*from)
	deadline := time.Now().Add(*d)
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *workers}}
	var wg sync.WaitGroup
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/v1/financial_connections/accounts/fca_gen_%d", *base, n.Add(1)), nil)
				req.Header.Set("Authorization", "Bearer sk_test_load")
				resp, err := client.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	fmt.Printf("%d new account ids read in %s (%d failed)\n", n.Load()-*from, *d, failed.Load())
	if failed.Load() > 0 {
		os.Exit(1)
	}
}
