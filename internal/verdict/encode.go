package verdict

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/ownercheck/ownercheck/internal/match"
)

// AppendJSON appends v as encoding/json writes it (same fields, order,
// omissions and escaping; TestAppendJSONMatchesEncodingJSON holds it to
// that for random values), without reflection: the response of a cached
// verdict spent more time in json.Marshal than in the rest of the handler.
// Verdict has no MarshalJSON, so json.Marshal stays the reference. ok is
// false, and b unchanged, for what json.Marshal refuses too (a time out of
// its range): the caller then reports json.Marshal's error.
func (v *Verdict) AppendJSON(b []byte) (_ []byte, ok bool) {
	for i := range v.Accounts {
		if y := v.Accounts[i].RefreshedAt.Year(); y < 0 || y > 9999 {
			return b, false
		}
	}
	b = append(b, `{"id":`...)
	b = appendString(b, v.ID)
	b = append(b, `,"status":`...)
	b = appendString(b, v.Status)
	if v.Decision != "" {
		b = append(b, `,"decision":`...)
		b = appendString(b, v.Decision)
	}
	b = append(b, `,"accounts":`...)
	if v.Accounts == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range v.Accounts {
			if i > 0 {
				b = append(b, ',')
			}
			b = v.Accounts[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	if v.RetryAfterSeconds != 0 {
		b = append(b, `,"retry_after_seconds":`...)
		b = strconv.AppendInt(b, int64(v.RetryAfterSeconds), 10)
	}
	b = append(b, `,"ruleset":`...)
	b = appendString(b, v.Ruleset)
	b = append(b, `,"digest":`...)
	b = appendString(b, v.Digest)
	return append(b, '}'), true
}

func (a *AccountVerdict) appendJSON(b []byte) []byte {
	b = append(b, `{"account":`...)
	b = appendString(b, a.Account)
	b = append(b, `,"status":`...)
	b = appendString(b, a.Status)
	if a.Decision != "" {
		b = append(b, `,"decision":`...)
		b = appendString(b, a.Decision)
	}
	if a.Reason != "" {
		b = append(b, `,"reason":`...)
		b = appendString(b, a.Reason)
	}
	if a.Result != nil {
		// The embedded Result's fields, flattened; its decision is
		// shadowed by AccountVerdict.Decision.
		b = appendResult(b, a.Result)
	}
	if !a.RefreshedAt.IsZero() {
		b = append(b, `,"refreshed_at":"`...)
		b = a.RefreshedAt.AppendFormat(b, time.RFC3339Nano) // as Time.MarshalJSON (AppendJSON checked the year)
		b = append(b, '"')
	}
	if a.AccountStatus != "" {
		b = append(b, `,"account_status":`...)
		b = appendString(b, a.AccountStatus)
	}
	b = append(b, `,"cached":`...)
	b = strconv.AppendBool(b, a.Cached)
	if a.Previous != "" {
		b = append(b, `,"previous_decision":`...)
		b = appendString(b, a.Previous)
	}
	if a.Signals != nil {
		b = append(b, `,"signals":`...)
		b = appendSignals(b, a.Signals)
	}
	return append(b, '}')
}

func appendResult(b []byte, r *match.Result) []byte {
	b = append(b, `,"scores":{"name":`...)
	b = appendScore(b, r.Scores.Name)
	b = append(b, `,"address":`...)
	b = appendScore(b, r.Scores.Address)
	b = append(b, `,"email":`...)
	b = appendScore(b, r.Scores.Email)
	b = append(b, `,"phone":`...)
	b = appendScore(b, r.Scores.Phone)
	b = append(b, `},"flags":`...)
	b = appendFlags(b, r.Flags)
	b = append(b, `,"reasons":`...)
	if r.Reasons == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, s := range r.Reasons {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, s)
		}
		b = append(b, ']')
	}
	b = append(b, `,"owner":`...)
	b = strconv.AppendInt(b, int64(r.Owner), 10)
	b = append(b, `,"rule":`...)
	b = appendString(b, r.Rule)
	b = append(b, `,"ruleset":`...)
	b = appendString(b, r.Ruleset)
	b = append(b, `,"digest":`...)
	return appendString(b, r.Digest)
}

func appendScore(b []byte, p *int) []byte {
	if p == nil {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, int64(*p), 10)
}

// appendFlags writes the map with its keys sorted, as encoding/json does.
func appendFlags(b []byte, flags map[string]bool) []byte {
	if flags == nil {
		return append(b, "null"...)
	}
	var buf [16]string
	keys := buf[:0]
	for k := range flags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = strconv.AppendBool(b, flags[k])
	}
	return append(b, '}')
}

func appendSignals(b []byte, s *match.Signals) []byte {
	b = append(b, `{"identities_per_account_1d":`...)
	b = strconv.AppendInt(b, int64(s.IdentitiesPerAccount1d), 10)
	b = append(b, `,"identities_per_account_30d":`...)
	b = strconv.AppendInt(b, int64(s.IdentitiesPerAccount30d), 10)
	b = append(b, `,"accounts_per_identity_1d":`...)
	b = strconv.AppendInt(b, int64(s.AccountsPerIdentity1d), 10)
	b = append(b, `,"accounts_per_identity_30d":`...)
	b = strconv.AppendInt(b, int64(s.AccountsPerIdentity30d), 10)
	b = append(b, `,"available":`...)
	b = strconv.AppendBool(b, s.Available)
	return append(b, '}')
}

// appendString quotes s as encoding/json does: printable ASCII other than
// the characters it escapes is copied; anything else (escapes, HTML
// characters, non-ASCII, invalid UTF-8) goes through json.Marshal itself.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= 0x7f, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return appendMarshal(b, s)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendMarshal(b []byte, s string) []byte {
	out, _ := json.Marshal(s) // a string always encodes
	return append(b, out...)
}
