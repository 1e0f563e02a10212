package prescribing

import (
	"context"
	"fmt"
	"time"
)

// WardCounts counts the social prescribing referrals made in [from, to)
// (by the referral's CreatedAt), by the ward of the GP practice that
// made them (Practice.Ward): this domain's column of the partnership's
// ward matrix (see hubs/locality.Compose), where a count above zero says
// the programme is active in the ward. A practice that names no ward is
// left out. It is an aggregate that names no patient and checks no role.
// Errors: ErrInvalid when to is not after from.
func (s *Service) WardCounts(ctx context.Context, from, to time.Time) (map[string]int64, error) {
	if !to.After(from) {
		return nil, fmt.Errorf("ward counts: %w", invalid("to", "%s is not after from %s", to.Format(time.DateOnly), from.Format(time.DateOnly)))
	}
	ps, err := s.store.Practices(ctx, PracticeFilter{})
	if err != nil {
		return nil, fmt.Errorf("ward counts: %w", err)
	}
	ward := make(map[string]string, len(ps))
	for _, p := range ps {
		ward[p.ID] = p.Ward
	}
	rs, err := s.store.Referrals(ctx, ReferralFilter{From: &from, To: &to})
	if err != nil {
		return nil, fmt.Errorf("ward counts: %w", err)
	}
	out := map[string]int64{}
	for _, r := range rs {
		if w := ward[r.Practice]; w != "" {
			out[w]++
		}
	}
	return out, nil
}
