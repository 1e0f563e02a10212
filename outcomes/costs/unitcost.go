package costs

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/internal/csvrow"
)

// UnitCost is what one unit of a service costs, as a range (Low = High
// where the source gives one figure), in pounds at the prices of
// PriceBase, with where the figure comes from.
type UnitCost struct {
	// ID names the unit cost in events ("day-care-session").
	ID string
	// Name says what the service is.
	Name string
	// Unit is what one unit is ("session", "week", "month").
	Unit string
	// Low and High bound the cost of one unit, in pounds.
	Low, High decimal.Decimal
	// Source names the document or database the figure comes from.
	Source string
	// Date is when the source gave the figure.
	Date time.Time
	// PriceBase is the year whose prices the figure is in ("2014/15").
	PriceBase string
	// Note says what the source says the figure is for.
	Note string
}

// Check refuses a unit cost without an id, unit, source, date or price
// base (ErrNoSource for the last three), a negative figure, or a Low
// above High.
func (u UnitCost) Check() error {
	for _, f := range []struct{ name, v string }{{"ID", u.ID}, {"Name", u.Name}, {"Unit", u.Unit}} {
		if err := checkText(f.name, f.v, true); err != nil {
			return err
		}
	}
	if err := checkText("Source", u.Source, false); err != nil {
		return err
	}
	if err := checkText("PriceBase", u.PriceBase, false); err != nil {
		return err
	}
	if err := checkText("Note", u.Note, false); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(u.Source) == "":
		return fieldErr(ErrNoSource, "Source", "is required: a unit cost says where it comes from")
	case strings.TrimSpace(u.PriceBase) == "":
		return fieldErr(ErrNoSource, "PriceBase", "is required: a unit cost says the year of its prices")
	case u.Date.IsZero():
		return fieldErr(ErrNoSource, "Date", "is required: a unit cost says when its source gave it")
	case u.Low.IsNegative():
		return fieldErr(ErrNegative, "Low", "is %s; a cost is never negative", u.Low)
	case u.High.LessThan(u.Low):
		return fieldErr(ErrInvalid, "High", "is %s, below Low %s", u.High, u.Low)
	}
	return nil
}

// String prints the cost as its source would: "£45 per session",
// "£1,220–£3,159 per week".
func (u UnitCost) String() string {
	if u.Low.Equal(u.High) {
		return Pounds(u.Low) + " per " + u.Unit
	}
	return Pounds(u.Low) + "–" + Pounds(u.High) + " per " + u.Unit
}

// Pounds prints an amount with a pound sign and thousands separators, in
// whole pounds when it has no pence and to the penny otherwise:
// "£1,220", "£544.80".
func Pounds(d decimal.Decimal) string {
	neg := d.IsNegative()
	d = d.Abs()
	s := d.StringFixed(2)
	if d.Equal(d.Truncate(0)) {
		s = d.StringFixed(0)
	}
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := "£" + b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "−" + out
	}
	return out
}

//go:embed unit_costs.csv
var seedCSV []byte

//go:embed secondary_care.csv
var secondaryCSV []byte

// SecondaryCareUnitCosts returns national unit costs of secondary and
// primary care, read from the embedded secondary_care.csv, so that the
// social prescribing comparison (A&E attendances, non-elective admissions,
// GP appointments avoided) can be valued: NHS reference costs 2016/17 for
// an A&E attendance (£148) and a non-elective inpatient episode (£1,590),
// and PSSRU 2015 for a GP surgery consultation (£33–£44). They are not
// from the seed documents, and their price bases differ from the seed's:
// a council replaces them with its own, uplifted to one price base.
func SecondaryCareUnitCosts() []UnitCost {
	us, err := ParseUnitCosts(bytes.NewReader(secondaryCSV))
	if err != nil {
		panic(fmt.Sprintf("costs: embedded secondary_care.csv: %v", err)) // the file is tested
	}
	return us
}

// SeedUnitCosts returns the unit costs the seed documents give, read from
// the embedded unit_costs.csv.
func SeedUnitCosts() []UnitCost {
	us, err := ParseUnitCosts(bytes.NewReader(seedCSV))
	if err != nil {
		panic(fmt.Sprintf("costs: embedded unit_costs.csv: %v", err)) // the file is tested
	}
	return us
}

// Columns of a unit-cost CSV file.
var (
	unitRequired = []string{"id", "name", "unit", "low", "high", "source", "date", "price_base"}
	unitOptional = []string{"note"}
)

// MaxUnitCosts bounds the rows of a unit-cost file.
const MaxUnitCosts = 10_000

// ParseUnitCosts reads unit costs from CSV with the columns id, name,
// unit, low, high, source, date (YYYY-MM-DD), price_base and optionally
// note. A file with any problem returns no unit costs and an error naming
// every problem's line and column (wrapping ErrNoSource when a source,
// date or price base is missing, ErrInvalid otherwise).
func ParseUnitCosts(r io.Reader) ([]UnitCost, error) {
	rd, err := csvrow.NewReader(r, unitRequired, unitOptional, MaxUnitCosts)
	if err != nil {
		return nil, fmt.Errorf("parse unit costs: %w", &FieldError{Field: "header", Reason: err.Error()})
	}
	var out []UnitCost
	seen := map[string]int{}
	noSource := false
	for {
		row, ok := rd.Next()
		if !ok {
			break
		}
		u := UnitCost{ID: row.Get("id"), Name: row.Get("name"), Unit: row.Get("unit"), Source: row.Get("source"),
			PriceBase: row.Get("price_base"), Note: row.Get("note")}
		bad := false
		for _, c := range []struct {
			col string
			to  *decimal.Decimal
		}{{"low", &u.Low}, {"high", &u.High}} {
			v, err := decimal.NewFromString(row.Get(c.col))
			if err != nil {
				row.Fail(c.col, "is not a number of pounds")
				bad = true
				continue
			}
			*c.to = v
		}
		if d := row.Get("date"); d != "" {
			t, err := time.Parse(time.DateOnly, d)
			if err != nil {
				row.Fail("date", "is not a date as YYYY-MM-DD")
				bad = true
			}
			u.Date = t
		}
		if bad {
			continue
		}
		if err := u.Check(); err != nil {
			var fe *FieldError
			if errors.As(err, &fe) {
				row.Fail(strings.ToLower(fe.Field), "%s", fe.Reason)
				noSource = noSource || errors.Is(fe, ErrNoSource)
			}
			continue
		}
		if l, dup := seen[u.ID]; dup {
			row.Fail("id", "%s is on line %d already", u.ID, l)
			continue
		}
		seen[u.ID] = row.Line
		out = append(out, u)
	}
	if len(rd.Problems) > 0 {
		sentinel := ErrInvalid
		if noSource {
			sentinel = ErrNoSource
		}
		var parts []string
		for _, p := range rd.Problems {
			parts = append(parts, fmt.Sprintf("line %d: %s: %s", p.Line, p.Field, p.Reason))
		}
		return nil, fmt.Errorf("parse unit costs: %w", &FieldError{Field: "file", Reason: strings.Join(parts, "; "), Err: sentinel})
	}
	return out, nil
}

// checkText refuses invalid UTF-8, NUL bytes, over-long text and (when
// required) empty text.
func checkText(field, v string, required bool) error {
	switch {
	case required && strings.TrimSpace(v) == "":
		return fieldErr(ErrInvalid, field, "is required")
	case !utf8.ValidString(v):
		return fieldErr(ErrInvalid, field, "is not valid UTF-8")
	case strings.ContainsRune(v, 0):
		return fieldErr(ErrInvalid, field, "holds a NUL byte")
	case utf8.RuneCountInString(v) > 1000:
		return fieldErr(ErrInvalid, field, "is longer than 1000 characters")
	}
	return nil
}
