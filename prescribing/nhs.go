package prescribing

import (
	"log/slog"
	"strings"
)

// NHSNumber is a patient's NHS number: ten digits whose last is a
// modulus-11 check digit. It is held in its normalised form, the ten
// digits without spaces; ParseNHSNumber is the only way to make a valid
// one from outside input.
//
// The check digit: multiply the first nine digits by the weights 10, 9,
// …, 2, add the products, and take 11 minus the remainder of the sum
// divided by 11. A result of 11 means a check digit of 0; a result of 10
// means the number is not valid (no NHS number is ever issued with it).
//
// An NHS number is personal data. It never appears in log output: it
// implements slog.LogValuer and logs as "[nhs number]".
type NHSNumber string

// ParseNHSNumber validates and normalises an NHS number typed or imported
// in any of the usual forms: "9990000018", "999 000 0018" or
// "999-000-0018" (spaces and hyphens are ignored, surrounding space too).
// Errors: a *FieldError for field "NHSNumber" wrapping ErrInvalid, whose
// reason never repeats the number.
func ParseNHSNumber(s string) (NHSNumber, error) {
	if len(s) > 32 {
		return "", invalid("NHSNumber", "is too long")
	}
	var d [10]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if n == 10 {
				return "", invalid("NHSNumber", "has more than 10 digits")
			}
			d[n] = c
			n++
		case c == ' ' || c == '-' || c == '\t':
		default:
			return "", invalid("NHSNumber", "may hold only digits, spaces and hyphens")
		}
	}
	if n != 10 {
		return "", invalid("NHSNumber", "has %d digits; an NHS number has 10", n)
	}
	check, ok := nhsCheckDigit(d[:9])
	if !ok {
		return "", invalid("NHSNumber", "is not a valid NHS number (no check digit can make it valid)")
	}
	if d[9]-'0' != check {
		return "", invalid("NHSNumber", "is not a valid NHS number (the check digit is wrong)")
	}
	return NHSNumber(d[:]), nil
}

// nhsCheckDigit returns the modulus-11 check digit of the first nine
// digits (ASCII), or false if the number cannot be valid.
func nhsCheckDigit(nine []byte) (byte, bool) {
	sum := 0
	for i, c := range nine {
		sum += int(c-'0') * (10 - i)
	}
	check := 11 - sum%11
	switch check {
	case 11:
		return 0, true
	case 10:
		return 0, false
	}
	return byte(check), true
}

// Valid reports whether n is a normalised, valid NHS number.
func (n NHSNumber) Valid() bool {
	p, err := ParseNHSNumber(string(n))
	return err == nil && p == n
}

// Spaced returns the number in the 3-3-4 form people read it in, "999 000
// 0018". It is for display to users allowed to see it, never for logs.
func (n NHSNumber) Spaced() string {
	if len(n) != 10 {
		return string(n)
	}
	s := string(n)
	return strings.Join([]string{s[:3], s[3:6], s[6:]}, " ")
}

// LogValue keeps the number out of logs.
func (n NHSNumber) LogValue() slog.Value { return slog.StringValue("[nhs number]") }
