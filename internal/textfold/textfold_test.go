package textfold

import (
	"testing"
	"unicode/utf8"
)

func fold(s string) string {
	var b []byte
	for _, r := range s {
		if !IsMark(r) {
			b = AppendUpper(b, r)
		}
	}
	return string(b)
}

func TestAppendUpper(t *testing.T) {
	tests := []struct{ in, want, src string }{
		{"José", "JOSE", "acute accent"},
		{"Müller", "MULLER", "umlaut (MUELLER is matched by the callers)"},
		{"Straße", "STRASSE", "sharp s"},
		{"Ærø", "AERO", "letters that do not decompose"},
		{"ẛ", "S", "lower-case letter whose base is not ASCII (fuzz find)"},
		{"Жанна", "ЖАННА", "other scripts kept, upper-cased"},
		{"Ｊａｎｅ", "JANE", "full-width forms (attack report: a full-width name failed)"},
		{"１２３", "123", "full-width digits"},
		{"ﬁnch", "FINCH", "a ligature"},
	}
	for _, tt := range tests {
		if got := fold(tt.in); got != tt.want {
			t.Errorf("%s: fold(%q) = %q, want %q", tt.src, tt.in, got, tt.want)
		}
	}
}

func FuzzFoldIdempotent(f *testing.F) {
	f.Add("José ẛ Straße")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		once := fold(s)
		if twice := fold(once); twice != once {
			t.Fatalf("%q -> %q -> %q", s, once, twice)
		}
	})
}

func TestOneEdit(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"JOHN", "JHON", true}, {"MAIN", "MIAN", true}, {"SMITH", "SMYTH", true}, {"SMITH", "SMITHE", true},
		{"SMITH", "SMTIHE", false}, {"ABCD", "BADC", false}, {"KAREN", "KEVIN", false},
	}
	for _, tt := range tests {
		if got := OneEdit(tt.a, tt.b); got != tt.want {
			t.Errorf("OneEdit(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}
