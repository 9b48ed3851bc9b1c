package main

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
)

// --version names the program and the Go release it was built with (the
// VCS revision appears only in binaries built from a git checkout).
func TestVersionFlag(t *testing.T) {
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetArgs([]string{"--version"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.HasPrefix(got, "ownercheck ") || !strings.Contains(got, runtime.Version()) {
		t.Fatalf("--version printed %q, want \"ownercheck <version> … %s\"", got, runtime.Version())
	}
}
