package verdict

import (
	"strconv"
	"testing"

	"github.com/ownercheck/ownercheck/internal/cache"
)

// Remembered keys are the keys computed afresh, for each part of the
// triple, and stay so when the memo is full and forgets.
func TestKeyMemo(t *testing.T) {
	s := New(Config{Secret: []byte("test")})
	direct := cache.NewKeyer([]byte("test"))
	for round := range 2 {
		for i := range memoEntries + 3 {
			acct, fp, digest := "fca_"+strconv.Itoa(i), "fp"+strconv.Itoa(i%5), "d"+strconv.Itoa(i%3)
			got := s.verdictKeysFor(acct, fp, digest)
			want := [3]string{direct.Key("snapshot", acct), direct.Key("verdict", acct, fp, digest), direct.Key("last", acct, fp)}
			if got.keys != want || got.identity != direct.Key("reuse-identity", fp) {
				t.Fatalf("round %d, %s %s %s: got %v, want %v", round, acct, fp, digest, got, want)
			}
		}
	}
	if n := len(s.keyMemo.m); n > memoEntries {
		t.Errorf("memo holds %d entries, bound %d", n, memoEntries)
	}
}
