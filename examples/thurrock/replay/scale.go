package replay

import (
	"errors"
	"fmt"
)

// MaxScale is the largest Options.Scale: a borough a hundred times the
// seed's. It is bounded by the NHS test-number range the social
// prescribing pilot draws its patients from (500,000 numbers; at 100 the
// four practices' lists hold 480,000).
const MaxScale = 100

// ErrScale is a scale out of range.
var ErrScale = errors.New("scale out of range")

// CheckScale checks a scale: a whole number from 1 to MaxScale. Its error
// wraps ErrScale and says the range.
func CheckScale(n int) error {
	if n < 1 || n > MaxScale {
		return fmt.Errorf("%d: must be a whole number from 1 to %d: %w", n, MaxScale, ErrScale)
	}
	return nil
}
