// Package stripemock starts stripe-mock (the Go tool pinned in
// tools/go.mod) for tests that prove requests match Stripe's API.
package stripemock

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// URL runs stripe-mock (the Go tool in tools/go.mod). It is
// stateless, so it proves the wire format of each call (every request is
// validated against Stripe's OpenAPI spec), not the flow. It binds port 0
// and reports the port it got: a port picked beforehand could be taken by
// another process (another test's stripe-mock) in between.
func URL(t testing.TB) string {
	t.Helper()
	modfile := toolsModfile(t)
	bin := filepath.Join(t.TempDir(), "stripe-mock")
	build := exec.Command("go", "build", "-modfile="+modfile, "-o", bin, "github.com/stripe/stripe-mock")
	build.Dir = filepath.Dir(modfile)
	if out, err := build.CombinedOutput(); err != nil {
		if os.Getenv("OWNERCHECK_REQUIRE_REDIS") != "" {
			t.Fatalf("building stripe-mock: %v\n%s", err, out)
		}
		t.Skipf("stripe-mock unavailable here (the test command builds it): %v", err)
	}
	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout // it logs to either, depending on the version
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "Listening for HTTP at address: "); ok {
				addr <- a
			}
		}
		close(addr)
	}()
	select {
	case a, ok := <-addr:
		if !ok {
			t.Fatal("stripe-mock exited before listening")
		}
		return "http://" + strings.TrimSpace(a)
	case <-time.After(30 * time.Second):
		t.Fatal("stripe-mock did not start")
	}
	return ""
}

// toolsModfile finds tools/go.mod above the test's directory.
func toolsModfile(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "tools", "go.mod")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("tools/go.mod not found above the test directory")
		}
		dir = parent
	}
}
