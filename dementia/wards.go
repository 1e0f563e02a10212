package dementia

import (
	"context"
	"fmt"
	"time"
)

// WardCounts counts the Dementia Action Alliance's members by ward over
// [from, to): this domain's column of the partnership's ward matrix (see
// hubs/locality.Compose). A member counts when it had joined before to
// (members do not leave; an erased member's contact is blanked but it
// stays a member), once in each ward it names (Member.Wards); a member
// naming no ward is left out. from is part of the signature the matrix
// shares with the other domains and bounds nothing here. It is an
// aggregate that names no organisation or contact, and checks no role.
// Errors: ErrInvalid when to is not after from.
func (s *Service) WardCounts(ctx context.Context, from, to time.Time) (map[string]int64, error) {
	if !to.After(from) {
		return nil, fmt.Errorf("dementia.wardcounts: %w", invalid("to", "%s is not after from %s", to.Format(time.DateOnly), from.Format(time.DateOnly)))
	}
	ms, err := s.store.Members(ctx)
	if err != nil {
		return nil, fmt.Errorf("dementia.wardcounts: %w", err)
	}
	out := map[string]int64{}
	for _, m := range ms {
		if !m.Joined.Before(to) {
			continue
		}
		for _, w := range m.Wards {
			out[w]++
		}
	}
	return out, nil
}
