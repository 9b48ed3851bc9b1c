package evalcases

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func ids(t *testing.T, paths []string) ([]string, error) {
	t.Helper()
	var got []string
	err := Each(context.Background(), paths,
		func(c *Case) string { return strings.ToUpper(c.ID) },
		func(c *Case, v string) error {
			if v != strings.ToUpper(c.ID) {
				t.Errorf("case %s got the result of another case: %s", c.ID, v)
			}
			got = append(got, fmt.Sprintf("%s@%d", c.ID, c.Line))
			return nil
		})
	return got, err
}

func caseLine(id string) string {
	return `{"id":"` + id + `","identity":{"type":"individual","name":"Ann Lee"},"owners":[{"name":"ANN LEE"}],"expect":"pass"}` + "\n"
}

// Bad lines and duplicates are skipped and reported with file:line; the
// good cases still come through, in order.
func TestEachSkipsAndReportsBadLines(t *testing.T) {
	a := write(t, "a.jsonl", caseLine("x")+"\nnot json\n"+caseLine("y"))
	b := write(t, "b.jsonl", caseLine("y")+caseLine("z"))
	got, err := ids(t, []string{a, b})
	if want := "x@1 y@4 z@2"; strings.Join(got, " ") != want {
		t.Errorf("emitted %v, want %s", got, want)
	}
	if err == nil {
		t.Fatal("no error for a bad line and a duplicate")
	}
	for _, want := range []string{a + ":3:", b + `:1: duplicate id "y" (first at ` + a + ":4)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestEachBoundsErrorList(t *testing.T) {
	p := write(t, "bad.jsonl", strings.Repeat("{}\n", maxErrors+7))
	_, err := ids(t, []string{p})
	if err == nil || !strings.Contains(err.Error(), "... and 7 more") || strings.Count(err.Error(), "\n") != maxErrors {
		t.Fatalf("error list not bounded: %d lines", strings.Count(fmt.Sprint(err), "\n"))
	}
}

// An emit error stops the run (and does not hang on batches in flight).
func TestEachStopsOnEmitError(t *testing.T) {
	var sb strings.Builder
	for i := range 5 * batchSize * 4 {
		sb.WriteString(caseLine(fmt.Sprint("c", i)))
	}
	p := write(t, "many.jsonl", sb.String())
	stop := errors.New("stop")
	n := 0
	err := Each(context.Background(), []string{p}, func(c *Case) int { return 0 }, func(*Case, int) error {
		n++
		if n == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 10 {
		t.Fatalf("err %v after %d cases, want stop after 10", err, n)
	}
}

func TestEachMissingFile(t *testing.T) {
	_, err := ids(t, []string{"/nonexistent/cases.jsonl"})
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/cases.jsonl: no such file") {
		t.Fatalf("missing file: %v", err)
	}
}
