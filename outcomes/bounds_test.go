package outcomes

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

// over agrees with decimal.GreaterThan at every exponent, with and without
// a bound table entry.
func TestOverAgreesWithGreaterThan(t *testing.T) {
	for _, s := range []string{"0", "100", "100.0", "100.000000000001", "99.9999999999999", "100.01", "-100.5", "1000000000000000",
		"1000000000000000.000000000001", "999999999999999.99", "1e15", "1e16", "-1e16", "12.5", "0.0000000000001", "100.00000000000000000001"} {
		v := decimal.RequireFromString(s)
		assert.Equal(t, v.GreaterThan(hundred), over(v, hundred, hundreds), "%s > 100", s)
		assert.Equal(t, v.GreaterThan(maxValue), over(v, maxValue, maxValues), "%s > 1e15", s)
	}
}
