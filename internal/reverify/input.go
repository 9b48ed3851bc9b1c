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
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/identity"
)

// Row is one input row: {"ref","account","customer"?,"identity"}.
type Row struct {
	Ref     string `json:"ref"`
	Account string `json:"account"`
	// Customer, when given, is whose account it must be (its
	// account_holder), as the API's accounts form checks.
	Customer string            `json:"customer,omitempty"`
	Identity identity.Identity `json:"identity"`
	Line     int               `json:"-"` // 1-based line of the input file (CSV: where the record starts)
	Err      error             `json:"-"` // why the row is invalid; nil when it is fine
}

const maxRef = 200

func (r *Row) validate() error {
	switch {
	case strings.TrimSpace(r.Ref) == "":
		return apperr.Invalid("ref", "ref is required")
	case len(r.Ref) > maxRef:
		return apperr.Invalidf("ref", "ref is longer than %d bytes", maxRef)
	case !fc.ValidID(fc.PrefixAccount, r.Account):
		return fc.CheckID("account", "", fc.PrefixAccount, r.Account)
	case r.Customer != "" && !fc.ValidID(fc.PrefixCustomer, r.Customer):
		return fc.CheckID("customer", "", fc.PrefixCustomer, r.Customer)
	}
	return r.Identity.Validate("identity")
}

// key identifies the row in the output (resume) and in duplicate checks.
// A row without a ref (invalid) is named by its line.
func (r *Row) key() string {
	if r.Ref != "" {
		return r.Ref
	}
	return fmt.Sprintf("line:%d", r.Line)
}

// csvColumns are the CSV header names (identity fields flattened).
var csvColumns = []string{"ref", "account", "customer", "type", "name", "dba", "line1", "line2", "city", "state", "postal_code", "country", "email", "phone"}

// reader streams rows from JSONL or CSV (with a header); it holds one row
// (one line of at most maxLine bytes) at a time.
type reader struct {
	next func() (Row, bool, error)
}

// maxLine bounds one input line; longer lines are reported as bad rows and
// skipped without being held in memory.
const maxLine = 1 << 20

func newReader(r io.Reader, csvInput bool) (*reader, error) {
	if csvInput {
		return newCSVReader(r)
	}
	lr := &lineReader{br: bufio.NewReaderSize(r, 64<<10)}
	return &reader{next: func() (Row, bool, error) {
		for {
			b, tooLong, err := lr.next()
			if errors.Is(err, io.EOF) {
				return Row{}, false, nil
			}
			if err != nil {
				return Row{}, false, fmt.Errorf("reading input at line %d: %w", lr.line, err)
			}
			row := Row{Line: lr.line}
			if tooLong {
				row.Err = fmt.Errorf("the line is longer than %d bytes", maxLine)
				return row, true, nil
			}
			b = bytes.TrimSpace(b)
			if len(b) == 0 {
				continue
			}
			row.Err = decodeRow(b, &row)
			return row, true, nil
		}
	}}, nil
}

// decodeRow decodes one JSONL line strictly (unknown fields and trailing
// data are errors: a typo such as "acount" must not pass silently).
func decodeRow(b []byte, row *Row) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(row); err != nil {
		return fmt.Errorf("not a valid row: %v", err)
	}
	if dec.More() {
		return errors.New("not a valid row: data after the JSON object")
	}
	return row.validate()
}

// lineReader reads lines, counting them, and skips over lines longer than
// maxLine instead of failing the whole input like bufio.Scanner does.
type lineReader struct {
	br   *bufio.Reader
	buf  []byte
	line int
}

func (lr *lineReader) next() (b []byte, tooLong bool, err error) {
	lr.buf = lr.buf[:0]
	for {
		chunk, err := lr.br.ReadSlice('\n')
		if len(lr.buf)+len(chunk) <= maxLine+1 { // +1: the newline
			lr.buf = append(lr.buf, chunk...)
		} else {
			tooLong = true
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(lr.buf) == 0 && !tooLong {
				return nil, false, io.EOF
			}
			lr.line++ // a last line without a newline
			return lr.buf, tooLong, nil
		case err != nil:
			return nil, false, err
		}
		lr.line++
		return lr.buf, tooLong, nil
	}
}

func newCSVReader(r io.Reader) (*reader, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // short rows are fine (missing trailing fields are empty); long ones are reported
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("reading the CSV header: %w", err)
	}
	index := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !slices.Contains(csvColumns, h) {
			return nil, fmt.Errorf("unknown CSV column %q (columns: %s)", h, strings.Join(csvColumns, ","))
		}
		if _, dup := index[h]; dup {
			return nil, fmt.Errorf("CSV column %q appears twice", h)
		}
		index[h] = i
	}
	for _, need := range []string{"ref", "account", "type", "name"} {
		if _, ok := index[need]; !ok {
			return nil, fmt.Errorf("the CSV header lacks column %q (columns: %s)", need, strings.Join(csvColumns, ","))
		}
	}
	width := len(header)
	return &reader{next: func() (Row, bool, error) {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return Row{}, false, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return Row{Line: pe.StartLine, Err: fmt.Errorf("not a valid CSV row: %v", pe.Err)}, true, nil
			}
			return Row{}, false, fmt.Errorf("reading the CSV input: %w", err)
		}
		line, _ := cr.FieldPos(0)
		get := func(col string) string {
			if i, ok := index[col]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row := Row{Line: line, Ref: get("ref"), Account: get("account"), Customer: get("customer"), Identity: identity.Identity{
			Type: get("type"), Name: get("name"), DBA: get("dba"), Email: get("email"), Phone: get("phone")}}
		a := identity.Address{Line1: get("line1"), Line2: get("line2"), City: get("city"), State: get("state"), PostalCode: get("postal_code"), Country: get("country")}
		if !a.IsZero() {
			row.Identity.Address = &a
		}
		if len(rec) > width {
			// Most likely an unquoted comma: every later column is shifted.
			row.Err = fmt.Errorf("the row has %d fields, the header %d (quote values that contain commas)", len(rec), width)
		} else {
			row.Err = csvParams(row.validate())
		}
		return row, true, nil
	}}, nil
}

// csvParams renames JSON paths (identity.address.postal_code) to the CSV
// column a person has to fix (postal_code).
func csvParams(err error) error {
	e, ok := apperr.As(err)
	if !ok || e.Param == "" {
		return err
	}
	c := *e
	c.Param = c.Param[strings.LastIndexByte(c.Param, '.')+1:]
	return &c
}
