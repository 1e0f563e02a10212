package prescribing

import (
	"context"
	"fmt"
	"time"

	"github.com/strongertogether/community/call"
)

// WardCounts counts the social prescribing referrals made in [from, to)
// (by the referral's CreatedAt), by the ward of the GP practice that
// made them (Practice.Ward): this domain's column of the partnership's
// ward matrix (see hubs/locality.Compose), where a count above zero says
// the programme is active in the ward. A practice that names no ward is
// left out. It names no patient, but a ward with a handful of referrals
// can come close to one, so it checks the actor as Report does: a
// manager may count every practice; other staff only when they work with
// every practice counted (those naming a ward). Whoever publishes the
// column is responsible for what it shows. Errors: ErrInvalid when to is
// not after from, ErrForbidden.
func (s *Service) WardCounts(ctx context.Context, a call.Actor, from, to time.Time) (map[string]int64, error) {
	if !to.After(from) {
		return nil, fmt.Errorf("ward counts: %w", invalid("to", "%s is not after from %s", to.Format(time.DateOnly), from.Format(time.DateOnly)))
	}
	m, err := s.staffOf(ctx, a.ID)
	if err != nil {
		return nil, fmt.Errorf("ward counts: %w", err)
	}
	ps, err := s.store.Practices(ctx, PracticeFilter{})
	if err != nil {
		return nil, fmt.Errorf("ward counts: %w", err)
	}
	ward := make(map[string]string, len(ps))
	for _, p := range ps {
		ward[p.ID] = p.Ward
		if p.Ward != "" && m.Role != RoleManager && !m.worksWith(p.ID) {
			return nil, fmt.Errorf("ward counts: %w", fieldErr(ErrForbidden, "actor", "%s does not work with practice %s", a.ID, p.ID))
		}
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
