package postgres

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

// outcomeFastDec agrees with decimal.NewFromString, exponent included,
// wherever it accepts its input (the same check as adapters/sqlite's).
func TestOutcomeFastDec(t *testing.T) {
	for _, s := range []string{"0", "-0", "51.50", "-12.5", "0.001", "100", "1000000000.000001",
		"123456789012345678", "1234567890123456789", "-999999999999999999", "12345678901234567.8",
		"", "-", ".", "1.", ".5", "1..2", "1e3", "+1", " 1", "1,5", "00012.3400"} {
		got, ok := outcomeFastDec([]byte(s))
		if !ok {
			continue
		}
		want, err := decimal.NewFromString(s)
		if assert.NoError(t, err, "fast parse accepted %q", s) {
			assert.True(t, want.Equal(got), "%q: want %s, got %s", s, want, got)
			assert.Equal(t, want.Exponent(), got.Exponent(), "%q exponent", s)
		}
	}
}
