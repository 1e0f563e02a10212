package replay

import (
	"errors"
	"fmt"

	"github.com/strongertogether/community/internal/borough"
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

// The generators' totals at the app's scale: the seed documents'
// figures, times the scale.
func (a *app) timebankTotals() borough.TimebankTotals { return borough.ThurrockTimebank.Times(a.scale) }
func (a *app) grantTotals() borough.GrantTotals       { return borough.SmallSparks.Times(a.scale) }
func (a *app) givingTotals() borough.GivingTotals     { return borough.KensingtonChelsea.Times(a.scale) }
