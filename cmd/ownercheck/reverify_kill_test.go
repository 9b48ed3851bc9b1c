package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/ownercheck/ownercheck/internal/sandbox"
)

// Issue 4: a kill -9 mid-run followed by a re-run loses no row and writes
// none twice. The real binary runs against its in-process sandbox, with
// refreshes on (rows are waiting for pending refreshes when it dies).
func TestReverifyKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL semantics")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "ownercheck")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	const rows = 600
	gen, err := exec.Command(bin, "sandbox", "--gen-input", "600").Output()
	if err != nil {
		t.Fatal(err)
	}
	in, out, summary := filepath.Join(dir, "in.jsonl"), filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "summary.json")
	if err := os.WriteFile(in, gen, 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "STRIPE_SECRET_KEY=", "REDIS_URL=", "OWNERCHECK_SANDBOX_PENDING=20ms")
	args := []string{"reverify", "--input", in, "--output", out, "--summary", summary, "--rps", "1000", "--concurrency", "8"}

	cmd := exec.Command(bin, args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once some rows are written, mid-run.
	deadline := time.Now().Add(60 * time.Second)
	for {
		b, _ := os.ReadFile(out)
		if bytes.Count(b, []byte("\n")) >= 40 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no progress:\n%s", stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	before, _ := os.ReadFile(out)
	if bytes.Count(before, []byte("\n")) >= rows {
		t.Fatal("the run finished before the kill; the test proves nothing")
	}

	cmd = exec.Command(bin, args...)
	cmd.Env = env
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("re-run: %v\n%s", err, b)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	count := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var o struct{ Ref, Status, Decision string }
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			t.Fatalf("torn line survived: %q", sc.Text())
		}
		count[o.Ref]++
		var n int
		fmt.Sscanf(o.Ref, "row-%d", &n)
		if _, _, want := sandbox.GeneratedRow(n); o.Decision != want {
			t.Errorf("%s: %s %s, want %s", o.Ref, o.Status, o.Decision, want)
		}
	}
	if len(count) != rows {
		t.Fatalf("%d distinct rows in the output, want %d", len(count), rows)
	}
	for ref, n := range count {
		if n != 1 {
			t.Errorf("%s written %d times", ref, n)
		}
	}
	var sum struct {
		AlreadyDone int64 `json:"already_done"`
		Written     int64 `json:"written"`
	}
	b, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(b, &sum)
	if sum.AlreadyDone == 0 || sum.AlreadyDone+sum.Written != rows {
		t.Errorf("re-run summary: already done %d + written %d, want %d in all", sum.AlreadyDone, sum.Written, rows)
	}
}
