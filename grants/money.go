package grants

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Money is in pounds as decimal.Decimal, exact to the penny. An amount
// with a fraction of a penny (more than two decimal places that are not
// zero) is refused, never rounded.

// MaxPounds is the largest amount of money the package accepts anywhere:
// £100 million.
const MaxPounds = 100_000_000

// maxAmount is MaxPounds as a decimal.
var maxAmount = decimal.NewFromInt(MaxPounds)

// CheckMoney reports whether d is a pence-exact amount no larger than
// MaxPounds. field names the field in the error. positive asks for an
// amount above zero; otherwise zero is allowed but not a negative amount.
func CheckMoney(field string, d decimal.Decimal, positive bool) error {
	switch {
	case !d.Equal(d.Round(2)):
		return invalid(field, "%s has more than 2 decimal places; amounts are in pounds and pence", d.String())
	case d.IsNegative():
		return invalid(field, "%s is negative", d.StringFixed(2))
	case positive && d.IsZero():
		return invalid(field, "must be more than zero")
	case d.GreaterThan(maxAmount):
		return invalid(field, "%s is more than £%s", d.StringFixed(2), maxAmount.StringFixed(0))
	}
	return nil
}

// ParseMoney reads an amount of pounds such as "250", "249.50" or
// "£1,250.00" and checks it as CheckMoney does with positive false.
func ParseMoney(field, s string) (decimal.Decimal, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimPrefix(t, "£")
	t = strings.ReplaceAll(t, ",", "")
	if t == "" {
		return decimal.Zero, invalid(field, "is required")
	}
	if len(t) > 40 {
		return decimal.Zero, invalid(field, "%q is too long to be an amount", s)
	}
	for _, c := range t {
		if (c < '0' || c > '9') && c != '.' && c != '-' {
			return decimal.Zero, invalid(field, "%q is not an amount of pounds", s)
		}
	}
	d, err := decimal.NewFromString(t)
	if err != nil {
		return decimal.Zero, invalid(field, "%q is not an amount of pounds", s)
	}
	if err := CheckMoney(field, d, false); err != nil {
		return decimal.Zero, err
	}
	return d, nil
}

// pounds formats an amount as "£1,234.50". Pence-exact amounts that fit
// in an int64 take a fast path without big-number arithmetic.
func pounds(d decimal.Decimal) string {
	if p, ok := pence(d); ok {
		neg := p < 0
		if neg {
			p = -p
		}
		whole := strconv.FormatInt(p/100, 10)
		frac := p % 100
		var b strings.Builder
		b.Grow(len(whole) + len(whole)/3 + 6)
		if neg {
			b.WriteByte('-')
		}
		b.WriteString("£")
		for i := 0; i < len(whole); i++ {
			if i > 0 && (len(whole)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteByte(whole[i])
		}
		b.WriteByte('.')
		b.WriteByte(byte('0' + frac/10))
		b.WriteByte(byte('0' + frac%10))
		return b.String()
	}
	return slowPounds(d)
}

// pence returns d in whole pence when it is pence-exact and small enough.
func pence(d decimal.Decimal) (int64, bool) {
	exp := d.Exponent()
	if exp < -2 || exp > 6 || !d.Coefficient().IsInt64() {
		return 0, false
	}
	c := d.CoefficientInt64()
	for range exp + 2 {
		if c > 1<<53 || c < -(1<<53) {
			return 0, false
		}
		c *= 10
	}
	return c, true
}

func slowPounds(d decimal.Decimal) string {
	s := d.StringFixed(2)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := "£" + b.String() + "." + frac
	if neg {
		out = "-" + out
	}
	return out
}

// Pounds formats an amount as the documents do: "£6,480.00".
func Pounds(d decimal.Decimal) string { return pounds(d) }

// FinancialYear returns the UK financial year a time falls in, named by
// the calendar year it starts in: 1 April 2014 to 31 March 2015 is 2014.
func FinancialYear(t time.Time) int {
	t = t.UTC()
	if t.Month() < time.April {
		return t.Year() - 1
	}
	return t.Year()
}

// YearStart returns 1 April of financial year y, UTC.
func YearStart(y int) time.Time { return time.Date(y, time.April, 1, 0, 0, 0, 0, time.UTC) }
