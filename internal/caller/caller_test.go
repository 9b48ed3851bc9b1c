package caller

import (
	"context"
	"testing"
	"time"
)

type otherKey struct{}

// The server's one context per request: the deadline's context with a
// slot the authentication fills. It must answer the id once set, keep
// the parent's values and deadline, and answer "" before.
func TestSlot(t *testing.T) {
	parent, cancel := context.WithTimeout(context.WithValue(context.Background(), otherKey{}, "v"), time.Minute)
	defer cancel()
	s := NewSlot(parent)
	if got := ID(s); got != "" {
		t.Fatalf("ID before Set = %q, want empty", got)
	}
	s.Set("abc")
	if got := ID(s); got != "abc" {
		t.Fatalf("ID = %q, want abc", got)
	}
	if got := ID(context.WithValue(s, otherKey{}, "w")); got != "abc" {
		t.Fatalf("ID through a child = %q, want abc", got)
	}
	if got, _ := s.Value(otherKey{}).(string); got != "v" {
		t.Fatalf("parent value = %q, want v", got)
	}
	if _, ok := s.Deadline(); !ok {
		t.Fatal("the slot lost the parent's deadline")
	}
	cancel()
	if s.Err() == nil {
		t.Fatal("the slot is not cancelled with its parent")
	}
	// A caller set with With below an empty slot is still found.
	if got := ID(NewSlot(With(context.Background(), "x"))); got != "x" {
		t.Fatalf("ID through an empty slot = %q, want x", got)
	}
}
