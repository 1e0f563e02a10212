package giving

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Limits on free text, in characters. Longer text, a NUL byte or text that
// is not valid UTF-8 is refused with a *FieldError before any store sees it.
const (
	MaxID       = 100  // ids of campaigns, donors, gifts, staff and actors
	MaxName     = 200  // names of campaigns, champions, donors, priorities, skills
	MaxPostcode = 16   // a postcode
	MaxAddress  = 200  // a house name or number, an address line
	MaxNote     = 2000 // a note, a reason, a recording's reference
)

// MaxPounds is the largest amount of money the package accepts: £100 million.
const MaxPounds = 100_000_000

var maxAmount = decimal.NewFromInt(MaxPounds)

func checkText(field, s string, max int) error {
	switch {
	case !utf8.ValidString(s):
		return invalid(field, "is not valid UTF-8 text")
	case strings.IndexByte(s, 0) >= 0:
		return invalid(field, "holds a NUL byte")
	case len(s) > max && utf8.RuneCountInString(s) > max:
		return invalid(field, "is longer than %d characters", max)
	}
	return nil
}

func required(field, s string, max int) error {
	if strings.TrimSpace(s) == "" {
		return invalid(field, "is required")
	}
	return checkText(field, s, max)
}

func checkID(field, id string) error { return required(field, id, MaxID) }

// CheckMoney reports whether d is a pence-exact, non-negative amount no
// larger than MaxPounds (above zero when positive). More than two decimal
// places is ErrPrecision.
func CheckMoney(field string, d decimal.Decimal, positive bool) error {
	switch {
	case !d.Equal(d.Round(2)):
		return fieldErr(ErrPrecision, field, "%s has more than 2 decimal places", d.String())
	case d.IsNegative():
		return invalid(field, "%s is negative", d.StringFixed(2))
	case positive && d.IsZero():
		return invalid(field, "must be more than zero")
	case d.GreaterThan(maxAmount):
		return invalid(field, "is more than £%d", MaxPounds)
	}
	return nil
}

// FinancialYear returns the UK financial year t falls in, named by the
// year it starts: 1 April 2014 to 31 March 2015 is 2014.
func FinancialYear(t time.Time) int {
	t = t.UTC()
	if t.Month() < time.April {
		return t.Year() - 1
	}
	return t.Year()
}

// TaxYear returns the UK tax year t falls in, named by the year it starts:
// 6 April 2014 to 5 April 2015 is 2014. Gift Aid limits run by tax year.
func TaxYear(t time.Time) int {
	t = t.UTC()
	if t.Month() < time.April || (t.Month() == time.April && t.Day() < 6) {
		return t.Year() - 1
	}
	return t.Year()
}

func norm(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

const redacted = "(redacted)"
