// Package stripemock starts stripe-mock (the Go tool pinned in
// tools/go.mod) for tests that prove requests match Stripe's API.
//
// The pinned release is v0.189.0, whose spec is 2024-09-30.acacia: no
// published stripe-mock embeds 2024-06-20 (stripe-go v79's version) that
// the module proxy serves (v0.186.0 is 2024-04-10; v0.187.0 and v0.188.0
// are not available). acacia is the nearest after it, and
// TestSpecAgreesWithStripeGoV79 (internal/fc) checks that for every call
// ownercheck makes its parameters and objects are those of stripe-go v79,
// i.e. of 2024-06-20. -strict-version-check stays off: it would refuse
// the 2024-06-20 header for the acacia spec.
package stripemock

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"fmt"
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
	return Start(t, nil)
}

// Start runs stripe-mock with its bundled fixtures, each resource named in
// fixtures (e.g. "financial_connections.account") replaced by the given
// object: stripe-mock answers every request for that resource with it, so
// a test sets the state (pending, stale, disconnected …) it drives a flow
// through. Requests are still validated against the spec.
func Start(t testing.TB, fixtures map[string]any) string {
	t.Helper()
	bin := binary(t)
	args := []string{"-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0"}
	if fixtures != nil {
		args = append(args, "-fixtures", writeFixtures(t, fixtures))
	}
	cmd := exec.Command(bin, args...)
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

// binary builds stripe-mock once per tools/go.sum (so per version), into
// the user's cache directory beside Go's build cache: tests that start
// several (one per account state) and later runs reuse it. Built under a
// temporary name and renamed, so concurrent test processes never run a
// half-written binary.
func binary(t testing.TB) string {
	t.Helper()
	modfile := toolsModfile(t)
	sum, err := os.ReadFile(filepath.Join(filepath.Dir(modfile), "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "ownercheck", "stripe-mock")
	bin := filepath.Join(dir, fmt.Sprintf("stripe-mock-%x", sha256.Sum256(sum))[:len("stripe-mock-")+16])
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := fmt.Sprintf("%s.%d.tmp", bin, os.Getpid())
	build := exec.Command("go", "build", "-modfile="+modfile, "-o", tmp, "github.com/stripe/stripe-mock")
	build.Dir = filepath.Dir(modfile)
	if out, err := build.CombinedOutput(); err != nil {
		os.Remove(tmp)
		if os.Getenv("OWNERCHECK_REQUIRE_REDIS") != "" {
			t.Fatalf("building stripe-mock: %v\n%s", err, out)
		}
		t.Skipf("stripe-mock unavailable here (the test command builds it): %v", err)
	}
	if err := os.Rename(tmp, bin); err != nil {
		t.Fatal(err)
	}
	return bin
}

// ModuleFile is a file of the pinned stripe-mock module, e.g.
// "embedded/openapi/spec3.json".
func ModuleFile(t testing.TB, name string) string {
	t.Helper()
	modfile := toolsModfile(t)
	// download, not list: on a fresh machine the module may not be in the
	// cache yet (nothing has built stripe-mock).
	cmd := exec.Command("go", "mod", "download", "-modfile="+modfile, "-json", "github.com/stripe/stripe-mock")
	cmd.Dir = filepath.Dir(modfile)
	out, err := cmd.Output()
	var mod struct{ Dir, Error string }
	if err == nil {
		err = json.Unmarshal(out, &mod)
	}
	if err != nil || mod.Dir == "" {
		t.Fatalf("downloading stripe-mock's module: %v %s", err, mod.Error)
	}
	return filepath.Join(mod.Dir, name)
}

// writeFixtures writes the bundled fixtures with the given resources
// replaced, for -fixtures (which replaces the bundled file whole).
func writeFixtures(t testing.TB, replace map[string]any) string {
	t.Helper()
	raw, err := os.ReadFile(ModuleFile(t, "embedded/openapi/fixtures3.json"))
	if err != nil {
		t.Fatal(err)
	}
	var all struct {
		Resources map[string]any `json:"resources"`
	}
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	for name, obj := range replace {
		if _, ok := all.Resources[name]; !ok {
			t.Fatalf("stripe-mock has no fixture %q to replace", name)
		}
		all.Resources[name] = obj
	}
	b, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "fixtures.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
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
