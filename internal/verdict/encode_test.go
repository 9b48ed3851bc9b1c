package verdict

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"reflect"
	"testing"
	"testing/quick"
	"time"

	"github.com/ownercheck/ownercheck/internal/match"
)

// AppendJSON must write what json.Marshal writes for the same Verdict. The
// match types are filled field by field by testing/quick, so a field added
// to match.Result or match.Signals (which AppendJSON would not know) fails
// here rather than vanishing from responses.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	random := func(typ reflect.Type) reflect.Value {
		v, ok := quick.Value(typ, rng)
		if !ok {
			t.Fatalf("quick cannot fill %s", typ)
		}
		return v
	}
	str := func() string { return random(reflect.TypeOf("")).String() }
	pick := func(s ...string) string { return s[rng.Intn(len(s))] }
	for i := range 500 {
		v := Verdict{ID: pick("vrd_0a1b", str()), Status: pick(StatusPending, "decided", str()), Decision: pick("", "pass", "<review>&"),
			RetryAfterSeconds: rng.Intn(3), Ruleset: pick("r1", str()), Digest: str(), RetryAfter: time.Second}
		if i%7 != 0 {
			v.Accounts = []AccountVerdict{}
		}
		for range rng.Intn(3) {
			a := AccountVerdict{Account: pick("fca_1", str()), Status: str(), Decision: pick("", "fail", str()), Reason: pick("", str()),
				AccountStatus: pick("", "inactive"), Cached: rng.Intn(2) == 0, Previous: pick("", "pass", "\u2028")}
			if rng.Intn(4) != 0 {
				r := random(reflect.TypeOf(match.Result{})).Interface().(match.Result)
				if rng.Intn(3) == 0 {
					r.Flags, r.Reasons = nil, nil
				}
				a.Result = &r
			}
			if rng.Intn(2) == 0 {
				s := random(reflect.TypeOf(match.Signals{})).Interface().(match.Signals)
				a.Signals = &s
			}
			switch rng.Intn(3) {
			case 0:
				a.RefreshedAt = time.Unix(rng.Int63n(4e9), rng.Int63n(1e9)).UTC()
			case 1:
				a.RefreshedAt = time.Unix(rng.Int63n(4e9), 0).In(time.FixedZone("x", -5*3600))
			}
			v.Accounts = append(v.Accounts, a)
		}
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := v.AppendJSON([]byte("prefix"))
		if !ok || !bytes.Equal(got[len("prefix"):], want) {
			t.Fatalf("case %d: AppendJSON (ok=%v)\n%s\njson.Marshal\n%s", i, ok, got, want)
		}
	}
}

// A time json.Marshal refuses is refused, not written some other way.
func TestAppendJSONRefusesWhatMarshalRefuses(t *testing.T) {
	v := Verdict{Accounts: []AccountVerdict{{RefreshedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}}
	if _, err := json.Marshal(v); err == nil {
		t.Fatal("json.Marshal accepted year 10000")
	}
	if b, ok := v.AppendJSON(nil); ok || len(b) != 0 {
		t.Fatalf("AppendJSON = %q, %v; want nothing, false", b, ok)
	}
}

// go test -run='^$' -bench=VerdictJSON -benchmem ./internal/verdict/
func BenchmarkVerdictJSON(b *testing.B) {
	score := 91
	v := Verdict{ID: "vrd_0123456789abcdef", Status: "decided", Decision: "pass", Ruleset: "2026-12-01", Digest: "sha256:0123456789abcdef",
		Accounts: []AccountVerdict{{Account: "fca_gen7", Status: "decided", Decision: "pass", Cached: true, Previous: "pass",
			RefreshedAt: time.Unix(1764547200, 0).UTC(), Signals: &match.Signals{IdentitiesPerAccount1d: 1, Available: true},
			Result: &match.Result{Decision: "pass", Scores: match.Scores{Name: &score, Address: &score}, Owner: 0, Rule: "default",
				Flags:   map[string]bool{"name_match": true, "address_match": true, "email_match": false, "phone_match": false, "business": false},
				Reasons: []string{"the name matches owner 0", "the address matches owner 0"}, Ruleset: "2026-12-01", Digest: "sha256:0123456789abcdef"}}}}
	b.Run("json.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = json.Marshal(&v)
		}
	})
	b.Run("AppendJSON", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf, _ = v.AppendJSON(buf[:0])
		}
	})
}
