package strictjson

import (
	"encoding/json"
	"testing"
	"unicode"

	"github.com/ownercheck/ownercheck/internal/apperr"
)

type addr struct {
	Line1 string `json:"line1"`
}

type body struct {
	Accounts []string          `json:"accounts"`
	Name     string            `json:"name"`
	Address  *addr             `json:"address"`
	Raw      json.RawMessage   `json:"raw"`
	Tags     map[string]string `json:"tags"`
	Fresh    bool              `json:"fresh"`
}

// Cases from issue 9 item 7 (what the attack run got through) and their
// neighbours.
func TestCheck(t *testing.T) {
	cases := []struct {
		name, in, param string // param "" = accepted
	}{
		{"plain", `{"accounts":["fca_1"],"name":"Jane","address":{"line1":"1 Main"},"fresh":true}`, ""},
		{"unicode letters are fine", `{"name":"Zoë Ñúñez \u00e9"}`, ""},
		{"raw and map values are walked", `{"raw":{"Any":"x"},"tags":{"k":"v"}}`, ""},
		{"issue: Accounts overrides accounts", `{"accounts":["fca_1"],"Accounts":["fca_2"]}`, "Accounts"},
		{"case variant alone", `{"NAME":"Jane"}`, "NAME"},
		{"nested case variant", `{"address":{"Line1":"x"}}`, "address.Line1"},
		{"issue: duplicate keys merged", `{"name":"A","name":"B"}`, "name"},
		{"nested duplicate", `{"address":{"line1":"a","line1":"b"}}`, "address.line1"},
		{"duplicate inside a raw value", `{"raw":{"a":1,"a":2}}`, "raw.a"},
		{"issue: name of NULs", `{"name":"\u0000\u0000"}`, "name"},
		{"escaped newline", `{"name":"Jane\nDoe"}`, "name"},
		{"DEL", `{"name":"Jane\u007f"}`, "name"},
		{"C1 control", `{"name":"Jane\u0085"}`, "name"},
		{"control in a list", `{"accounts":["fca_1","fca\u0001"]}`, "accounts"},
		{"control in a map value", `{"tags":{"k":"\u0007"}}`, "tags.k"},
		{"control in a key", `{"tags":{"k\u0000":"v"}}`, "tags"},
		{"lone surrogate", `{"name":"\ud800"}`, ""}, // decoded by encoding/json to U+FFFD: valid
		// The walker's own scanner (escapes, white space, shapes).
		{"escaped quote and backslash before the next key", `{"name":"a\"b\\","name":"c"}`, "name"},
		{"escaped key matches exactly after decoding", `{"n\u0061me":"Jane"}`, ""},
		{"escaped key is a case variant", `{"N\u0061me":"Jane"}`, "Name"},
		{"white space everywhere", " {\n\t\"accounts\" : [ \"fca_1\" , \"fca\\u0002\" ] ,\r\n \"fresh\" : false } ", "accounts"},
		{"empty containers and literals", `{"accounts":[],"address":{},"raw":[1,-2.5e3,true,false,null,{},[]],"fresh":true}`, ""},
		{"duplicate in a list of objects", `{"raw":[{"a":1},{"b":[{"c":1,"c":2}]}]}`, "raw.b.c"},
		{"raw DEL byte", "{\"name\":\"Jane\x7f\"}", "name"},
		{"invalid UTF-8 is decoded to U+FFFD", "{\"name\":\"Jane\xff\"}", ""},
		{"non-ASCII key of a map", `{"tags":{"clé":"v","clé":"w"}}`, "tags.clé"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var dst body
			if err := json.Unmarshal([]byte(tc.in), &dst); err != nil {
				t.Fatalf("encoding/json refuses it already: %v", err)
			}
			err := Check([]byte(tc.in), &dst, "")
			if tc.param == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e, ok := apperr.As(err)
			if !ok || e.Kind != apperr.KindInvalid || e.Param != tc.param {
				t.Fatalf("err = %v, want a 400 naming %q", err, tc.param)
			}
		})
	}
}

func TestCheckPrefix(t *testing.T) {
	var a addr
	err := Check([]byte(`{"Line1":"x"}`), &a, "customer")
	if e, ok := apperr.As(err); !ok || e.Param != "customer.Line1" {
		t.Fatalf("err = %v", err)
	}
}

// plain is only a fast path: whatever it accepts, checkString accepts, and
// it leaves every control character and non-ASCII string to checkString.
func TestPlainIsAFastPathOfCheckString(t *testing.T) {
	for r := rune(0); r < 0x3000; r++ {
		s := "a" + string(r) + "z"
		if plain(s) && checkString(s, "p", "at") != nil {
			t.Errorf("plain accepts %q, which checkString refuses", s)
		}
		if unicode.IsControl(r) && plain(s) {
			t.Errorf("plain accepts the control character U+%04X", r)
		}
	}
	if plain("\xff") {
		t.Error("plain accepts invalid UTF-8")
	}
}
