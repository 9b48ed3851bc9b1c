// Command testsum reads `go test -json` on stdin and prints what a person
// needs from a whole-suite run: the output of every failed test (and of a
// package that failed to build or failed outside a test), the skipped tests
// by name, then one closing
// line "tests: N passed, N failed, N skipped".
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// buildOutput is a compiler message (go test -json reports build failures
// as "build-output" events since Go 1.24).
const buildOutput = "build-output"

func main() {
	type key struct{ pkg, test string }
	output := map[key]*strings.Builder{}
	var failed []key
	var passed int
	var skipped []string
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if json.Unmarshal(line, &e) != nil {
			// A build failure is printed as plain text, not JSON.
			fmt.Fprintln(os.Stderr, string(line))
			continue
		}
		k := key{e.Package, e.Test}
		switch e.Action {
		case "output":
			b := output[k]
			if b == nil {
				b = &strings.Builder{}
				output[k] = b
			}
			b.WriteString(e.Output)
		case buildOutput:
			fmt.Print(e.Output)
		case "pass":
			if e.Test != "" {
				passed++
			}
			delete(output, k)
		case "skip":
			if e.Test != "" {
				skipped = append(skipped, e.Package+" "+e.Test)
			}
			delete(output, k)
		case "fail":
			failed = append(failed, k)
		}
	}
	nFailedTests := 0
	for _, k := range failed {
		if k.test != "" {
			nFailedTests++
		}
		if b := output[k]; b != nil {
			name := k.pkg
			if k.test != "" {
				name += " " + k.test
			}
			fmt.Printf("--- FAIL %s\n%s\n", name, b.String())
		}
	}
	if nFailedTests == 0 && len(failed) > 0 {
		nFailedTests = len(failed) // a package that failed outside any test
	}
	for _, s := range skipped {
		fmt.Println("skipped:", s) // named, so that no skip goes unseen
	}
	fmt.Printf("tests: %d passed, %d failed, %d skipped\n", passed, nFailedTests, len(skipped))
	if len(failed) > 0 {
		os.Exit(1)
	}
}
