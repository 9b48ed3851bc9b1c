// Package identity holds the one schema ownercheck uses everywhere (API,
// case files, batch input): the identity a user submitted at onboarding and
// the owners a bank returned through Stripe Financial Connections.
package identity

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/mail"
	"strings"
	"unicode"

	"github.com/ownercheck/ownercheck/internal/apperr"
)

// Types of identity.
const (
	Individual = "individual"
	Company    = "company"
)

// Address is the structured address a user submitted.
type Address struct {
	Line1      string `json:"line1,omitempty"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city,omitempty"`
	State      string `json:"state,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"`
}

// IsZero reports whether no part of the address was given.
func (a *Address) IsZero() bool {
	return a == nil || *a == Address{}
}

// Identity is what the user submitted. Everything but Type and Name is optional.
type Identity struct {
	Type    string   `json:"type"`
	Name    string   `json:"name"`
	DBA     string   `json:"dba,omitempty"`
	Address *Address `json:"address,omitempty"`
	Email   string   `json:"email,omitempty"`
	Phone   string   `json:"phone,omitempty"`
}

// Owner is one owner of an account as Stripe returns it. Any field may be empty.
type Owner struct {
	Name       string `json:"name"`
	Email      string `json:"email,omitempty"`
	Phone      string `json:"phone,omitempty"`
	RawAddress string `json:"raw_address,omitempty"`
}

// Field length limits: generous for real data, small enough to bound work.
const (
	maxName  = 200
	maxLine  = 200
	maxEmail = 254
	maxPhone = 40
)

// Validate checks the identity and names the offending field (with the
// given JSON path prefix, e.g. "identity") in the returned *apperr.Error.
func (id *Identity) Validate(prefix string) error {
	p := func(f string) string {
		if prefix == "" {
			return f
		}
		return prefix + "." + f
	}
	switch id.Type {
	case Individual, Company:
	case "":
		return apperr.Invalid(p("type"), "type is required (individual or company)")
	default:
		return apperr.Invalid(p("type"), "type must be individual or company")
	}
	if strings.TrimSpace(id.Name) == "" {
		return apperr.Invalid(p("name"), "name is required")
	}
	if len(id.Name) > maxName {
		return apperr.Invalid(p("name"), fmt.Sprintf("name is longer than %d bytes", maxName))
	}
	if id.DBA != "" && id.Type != Company {
		return apperr.Invalid(p("dba"), "dba is only allowed for a company")
	}
	if len(id.DBA) > maxName {
		return apperr.Invalid(p("dba"), fmt.Sprintf("dba is longer than %d bytes", maxName))
	}
	if a := id.Address; a != nil {
		for _, f := range []struct{ name, v string }{
			{"line1", a.Line1}, {"line2", a.Line2}, {"city", a.City},
			{"state", a.State}, {"postal_code", a.PostalCode}, {"country", a.Country},
		} {
			if len(f.v) > maxLine {
				return apperr.Invalid(p("address."+f.name), fmt.Sprintf("%s is longer than %d bytes", f.name, maxLine))
			}
		}
	}
	if id.Email != "" {
		if len(id.Email) > maxEmail {
			return apperr.Invalid(p("email"), "email is too long")
		}
		if _, err := mail.ParseAddress(id.Email); err != nil || !strings.Contains(id.Email, "@") {
			return apperr.Invalid(p("email"), "email is not a valid address")
		}
	}
	if id.Phone != "" {
		digits := 0
		for _, r := range id.Phone {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if len(id.Phone) > maxPhone || digits < 7 {
			return apperr.Invalid(p("phone"), "phone must have at least 7 digits")
		}
	}
	return nil
}

// Fingerprint is a stable digest of the identity's content, used (inside an
// HMAC) in cache keys so that keys never carry the identity itself.
// Identities with one fingerprint share cached verdicts, so it merges only
// spellings the matcher cannot tell apart (case, runs of spaces).
func (id *Identity) Fingerprint() [32]byte {
	c := *id
	c.Name = foldName(c.Name)
	c.DBA = foldName(c.DBA)
	c.Email = strings.ToLower(strings.TrimSpace(c.Email))
	c.Phone = strings.TrimSpace(c.Phone)
	if c.Address.IsZero() {
		c.Address = nil
	}
	b, _ := json.Marshal(c) // a struct of strings always marshals
	return sha256.Sum256(b)
}

// foldName merges a name's case and spacing variants: upper case, runs of
// spaces made one. Combining marks are kept as sent: U+0345 upper-cases to
// a Greek letter the matcher keeps, while it drops the mark. A blank value
// stays as sent: the matcher tells a blank DBA from none (has_dba).
func foldName(s string) string {
	f := strings.Join(strings.Fields(strings.Map(upperButMarks, s)), " ")
	if f == "" {
		return s
	}
	return f
}

func upperButMarks(r rune) rune {
	if unicode.Is(unicode.Mn, r) {
		return r
	}
	return unicode.ToUpper(r)
}
