package verdict

import (
	"strconv"
	"testing"
)

// The memo decodes each distinct value once, never remembers a failed
// decode, and stays within its bound.
func TestMemo(t *testing.T) {
	m := newMemo[int](10)
	calls := 0
	decode := func(b []byte) (int, bool) {
		calls++
		n, err := strconv.Atoi(string(b))
		return n, err == nil
	}
	for range 3 {
		if v, ok := m.get([]byte("42"), decode); !ok || v != 42 {
			t.Fatalf("get 42: %v %v", v, ok)
		}
	}
	if calls != 1 {
		t.Fatalf("decoded %d times, want once", calls)
	}
	for range 2 {
		if _, ok := m.get([]byte("x"), decode); ok {
			t.Fatal("garbage decoded")
		}
	}
	if calls != 3 {
		t.Fatalf("a failed decode was remembered (%d calls)", calls)
	}
	for i := range 100 {
		m.get([]byte(strconv.Itoa(i)), decode)
		if len(m.m) > 10 {
			t.Fatalf("memo holds %d entries; bound 10", len(m.m))
		}
	}
}
