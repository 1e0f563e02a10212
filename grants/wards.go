package grants

import (
	"context"
	"fmt"
	"time"
)

// WardCounts counts the awards made in [from, to), by the ward the
// project happens in: this domain's column of the partnership's ward
// matrix (see hubs/locality.Compose). An award counts when its
// application was awarded (AwardedAt) in the period and is still awarded
// now (awarded, paid, monitored or closed); an application that names no
// ward is left out. fund limits the count to one fund; "" counts
// every fund. It is an aggregate that names no applicant, and checks no
// role. Errors: ErrInvalid (a malformed fund id), ErrNotFound (no such
// fund), ErrInvalid when to is not after from.
func (s *Service) WardCounts(ctx context.Context, fund string, from, to time.Time) (map[string]int64, error) {
	if fund != "" {
		if err := checkID("fund", fund); err != nil {
			return nil, fmt.Errorf("ward counts: %w", err)
		}
		if _, err := s.store.Fund(ctx, fund); err != nil {
			return nil, fmt.Errorf("ward counts: %w", err)
		}
	}
	if !to.After(from) {
		return nil, fmt.Errorf("ward counts: %w", invalid("to", "%s is not after from %s", to.Format(time.DateOnly), from.Format(time.DateOnly)))
	}
	apps, err := s.store.Applications(ctx, ApplicationFilter{Fund: fund, Status: []Status{Awarded, Paid, Monitored, Closed}})
	if err != nil {
		return nil, fmt.Errorf("ward counts: %w", err)
	}
	out := map[string]int64{}
	for _, a := range apps {
		if a.Ward != "" && a.IsAwarded() && a.AwardedAt != nil && !a.AwardedAt.Before(from) && a.AwardedAt.Before(to) {
			out[a.Ward]++
		}
	}
	return out, nil
}
