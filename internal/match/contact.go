package match

import "strings"

// Email and phone comparison. Both are corroboration only: a mismatch is
// neutral (people have several addresses and numbers), a match supports.

// normalizeEmail lowercases, drops a +tag and, for Gmail, the dots Gmail
// ignores, so the forms a bank and a user type for one mailbox agree.
func normalizeEmail(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return s
	}
	local, domain := s[:at], s[at+1:]
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	if domain == "googlemail.com" {
		domain = "gmail.com"
	}
	if domain == "gmail.com" {
		local = strings.ReplaceAll(local, ".", "")
	}
	if placeholderEmail(local, domain) {
		return ""
	}
	return local + "@" + domain
}

// placeholderLocals are the mailboxes typed when a form demands an email
// the person does not want to give (none@none.com, noemail@gmail.com).
// Two such values agreeing say nothing about who owns an account, so
// they are treated as absent.
var placeholderLocals = map[string]bool{
	"none": true, "noemail": true, "no-email": true, "no.email": true, "no_email": true,
	"nomail": true, "noreply": true, "no-reply": true, "donotreply": true, "do-not-reply": true,
	"na": true, "n/a": true, "null": true, "unknown": true, "nobody": true, "test": true,
}

// placeholderDomains are domains used only as filler; the reserved TLDs
// .invalid and .test (RFC 2606) never deliver mail.
var placeholderDomains = map[string]bool{"none.com": true, "noemail.com": true, "nomail.com": true, "na.com": true}

func placeholderEmail(local, domain string) bool {
	return placeholderLocals[local] || placeholderDomains[domain] ||
		strings.HasSuffix(domain, ".invalid") || strings.HasSuffix(domain, ".test")
}

// emailScore is 100 for the same mailbox, 60 for the same local part at
// another domain (often the same person, never proof), else 0.
func emailScore(a, b string) int {
	if a == "" || b == "" {
		return 0
	}
	if a == b {
		return 100
	}
	la, lb := a, b
	if i := strings.LastIndexByte(a, '@'); i > 0 {
		la = a[:i]
	}
	if i := strings.LastIndexByte(b, '@'); i > 0 {
		lb = b[:i]
	}
	if la == lb && len(la) >= 4 {
		return 60
	}
	return 0
}

// normalizePhone keeps the digits and strips a North American country code
// (+1 / 1 / 001), so formatting never decides a comparison. Numbers with
// fewer than 7 digits are treated as absent.
func normalizePhone(s string) string {
	var b [32]byte
	n := 0
	for i := 0; i < len(s) && n < len(b); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			b[n] = c
			n++
		}
	}
	d := string(b[:n])
	switch {
	case len(d) == 13 && strings.HasPrefix(d, "001"):
		d = d[3:]
	case len(d) == 11 && d[0] == '1':
		d = d[1:]
	}
	if len(d) < 7 || placeholderPhone(d) {
		return ""
	}
	return d
}

// minFullPhone is the length of a number with its area code (NANP: 10
// digits); a shorter one is a local number that names no one line.
const minFullPhone = 10

// placeholderPhone reports the numbers typed to get past a required phone
// field: one digit repeated (000-000-0000, 555-555-5555), a run of the
// digits (123-456-7890), or a number whose last seven digits are zeros
// (512-000-0000). No subscriber has them, so two of them agreeing is not
// corroboration.
func placeholderPhone(d string) bool {
	if strings.Count(d, d[:1]) == len(d) {
		return true
	}
	if strings.Contains("01234567890", d) || strings.Contains("09876543210", d) {
		return true
	}
	return strings.HasSuffix(d, "0000000")
}

// phoneScore is 100 for the same number, 60 when only the area code
// differs (a re-assigned area code or a typo in it) or the same local
// number is written without one, else 0.
func phoneScore(a, b string) int {
	if a == "" || b == "" {
		return 0
	}
	if a == b {
		if len(a) < minFullPhone {
			return 60 // 555-0100 is a number in every area code
		}
		return 100
	}
	if len(a) == 10 && len(b) == 10 && a[3:] == b[3:] {
		return 60
	}
	return 0
}
