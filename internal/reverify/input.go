package reverify

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/identity"
)

// Row is one input row: {"ref","account","identity"}.
type Row struct {
	Ref      string            `json:"ref"`
	Account  string            `json:"account"`
	Identity identity.Identity `json:"identity"`
	Line     int               `json:"-"`
	Err      error             `json:"-"` // why the row is invalid
}

func (r *Row) validate() error {
	switch {
	case strings.TrimSpace(r.Ref) == "":
		return apperr.Invalid("ref", "ref is required")
	case len(r.Ref) > 200:
		return apperr.Invalid("ref", "ref is longer than 200 bytes")
	case !strings.HasPrefix(r.Account, "fca_"):
		return apperr.Invalid("account", `account must be a Financial Connections account id ("fca_…")`)
	}
	return r.Identity.Validate("identity")
}

// csvColumns are the CSV header names (identity fields flattened).
var csvColumns = []string{"ref", "account", "type", "name", "dba", "line1", "line2", "city", "state", "postal_code", "country", "email", "phone"}

// reader streams rows from JSONL or CSV (with a header); it never holds
// more than one row.
type reader struct {
	next func() (Row, bool, error)
}

const maxLine = 1 << 20

func newReader(r io.Reader, csvInput bool) (*reader, error) {
	if !csvInput {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), maxLine)
		line := 0
		return &reader{next: func() (Row, bool, error) {
			for sc.Scan() {
				line++
				b := bytes.TrimSpace(sc.Bytes())
				if len(b) == 0 {
					continue
				}
				row := Row{Line: line}
				dec := json.NewDecoder(bytes.NewReader(b))
				dec.DisallowUnknownFields()
				if err := dec.Decode(&row); err != nil {
					row.Err = fmt.Errorf("not a valid row: %v", err)
				} else {
					row.Line = line
					row.Err = row.validate()
				}
				return row, true, nil
			}
			if err := sc.Err(); err != nil {
				return Row{}, false, fmt.Errorf("reading input at line %d: %w", line+1, err)
			}
			return Row{}, false, nil
		}}, nil
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("reading the CSV header: %w", err)
	}
	index := map[string]int{}
	for i, h := range header {
		index[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"ref", "account", "type", "name"} {
		if _, ok := index[need]; !ok {
			return nil, fmt.Errorf("the CSV header lacks column %q (columns: %s)", need, strings.Join(csvColumns, ","))
		}
	}
	for h := range index {
		if !slices.Contains(csvColumns, h) {
			return nil, fmt.Errorf("unknown CSV column %q (columns: %s)", h, strings.Join(csvColumns, ","))
		}
	}
	return &reader{next: func() (Row, bool, error) {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return Row{}, false, nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return Row{Line: pe.Line, Err: fmt.Errorf("not a valid CSV row: %v", pe.Err)}, true, nil
			}
			return Row{}, false, err
		}
		get := func(col string) string {
			if i, ok := index[col]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row := Row{Line: line, Ref: get("ref"), Account: get("account"), Identity: identity.Identity{
			Type: get("type"), Name: get("name"), DBA: get("dba"), Email: get("email"), Phone: get("phone")}}
		a := identity.Address{Line1: get("line1"), Line2: get("line2"), City: get("city"), State: get("state"), PostalCode: get("postal_code"), Country: get("country")}
		if !a.IsZero() {
			row.Identity.Address = &a
		}
		row.Err = row.validate()
		return row, true, nil
	}}, nil
}
