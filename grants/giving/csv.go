package giving

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/internal/csvrow"
)

// DonationColumns returns the columns of a donations CSV file: the
// required ones, then the optional ones.
func DonationColumns() (required, optional []string) {
	return []string{"donor", "kind", "last", "amount", "date"},
		[]string{"title", "first", "house", "postcode", "gift_aid", "benefit", "priority"}
}

// MaxDonationRows bounds the rows of one donations file.
const MaxDonationRows = 200_000

// Donation is one row of a donations CSV file: a donor (by the file's own
// reference), their details and one gift of money received.
type Donation struct {
	Line     int
	Ref      string // the file's reference for the donor
	Donor    NewDonor
	Amount   decimal.Decimal
	Date     time.Time
	GiftAid  bool
	Benefit  bool
	Priority string
}

// ProblemsError lists what is wrong with a file, by line and column. It
// wraps ErrInvalid and quotes no personal data.
type ProblemsError struct {
	Problems []Problem
}

// Problem is one thing wrong with a file: its line (1 is the header), the
// column, and why.
type Problem struct {
	Line   int
	Field  string
	Reason string
}

// Error implements error.
func (e *ProblemsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d problems", ErrInvalid, len(e.Problems))
	for i, p := range e.Problems {
		if i == 5 {
			b.WriteString("; …")
			break
		}
		fmt.Fprintf(&b, "; line %d %s: %s", p.Line, p.Field, p.Reason)
	}
	return b.String()
}

// Unwrap returns ErrInvalid.
func (e *ProblemsError) Unwrap() error { return ErrInvalid }

func yes(field, s string, r csvrow.Row) bool {
	switch strings.ToLower(s) {
	case "", "no", "n", "false", "0":
		return false
	case "yes", "y", "true", "1":
		return true
	}
	r.Fail(field, "is neither yes nor no")
	return false
}

// ParseDonations reads a donations CSV file for campaign: a header naming
// DonationColumns (in any order, any case), then one gift a row, dated
// DD/MM/YYYY or YYYY-MM-DD, amounts in pounds (a £ sign and commas allowed,
// at most 2 decimal places). Every row is checked as NewDonor and NewGift
// check their fields; a file with any problem returns a *ProblemsError
// listing them all (by line and column, never quoting a value) and no rows.
func ParseDonations(r io.Reader, campaign string) ([]Donation, error) {
	req, opt := DonationColumns()
	rd, err := csvrow.NewReader(r, req, opt, MaxDonationRows, csvrow.RedactHeader())
	if err != nil {
		return nil, fmt.Errorf("donations: %w: %w", ErrInvalid, err)
	}
	var out []Donation
	for {
		row, ok := rd.Next()
		if !ok {
			break
		}
		d := Donation{Line: row.Line, Ref: row.Get("donor"), Priority: row.Get("priority")}
		if err := checkID("donor", d.Ref); err != nil {
			row.Fail("donor", "is required, up to %d characters", MaxID)
		}
		d.Donor = NewDonor{Campaign: campaign, Kind: DonorKind(strings.ToLower(row.Get("kind"))), Title: row.Get("title"),
			First: row.Get("first"), Last: row.Get("last"),
			Address: Address{House: row.Get("house"), Postcode: row.Get("postcode")}}
		if err := d.Donor.Validate(); err != nil {
			row.Fail(fieldOf(err), "%s", reasonOf(err))
		}
		amt := strings.ReplaceAll(strings.TrimPrefix(row.Get("amount"), "£"), ",", "")
		if v, err := decimal.NewFromString(amt); err != nil || len(amt) > 20 {
			row.Fail("amount", "is not an amount of pounds")
		} else if err := CheckMoney("amount", v, true); err != nil {
			row.Fail("amount", "%s", reasonOf(err))
		} else {
			d.Amount = v
		}
		date := row.Get("date")
		t, err := time.Parse("02/01/2006", date)
		if err != nil {
			t, err = time.Parse(time.DateOnly, date)
		}
		if err != nil {
			row.Fail("date", "is not a date (DD/MM/YYYY or YYYY-MM-DD)")
		}
		d.Date = t
		d.GiftAid = yes("gift_aid", row.Get("gift_aid"), row)
		d.Benefit = yes("benefit", row.Get("benefit"), row)
		if d.GiftAid && (d.Benefit || d.Donor.Kind == Business) {
			row.Fail("gift_aid", "a business's gift or one with a benefit does not qualify")
		}
		if err := checkText("priority", d.Priority, MaxName); err != nil {
			row.Fail("priority", "%s", reasonOf(err))
		}
		out = append(out, d)
	}
	if len(rd.Problems) > 0 {
		pe := &ProblemsError{}
		for _, p := range rd.Problems {
			pe.Problems = append(pe.Problems, Problem{Line: p.Line, Field: p.Field, Reason: p.Reason})
		}
		return nil, fmt.Errorf("donations: %w", pe)
	}
	return out, nil
}

func fieldOf(err error) string {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return ""
}

func reasonOf(err error) string {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe.Reason
	}
	return "is invalid"
}
