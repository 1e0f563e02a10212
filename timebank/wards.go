package timebank

import (
	"context"
	"fmt"
	"time"
)

// WardCounts counts a bank's members by ward over [from, to): this
// domain's column of the partnership's ward matrix (see
// hubs/locality.Compose). It counts, as Report counts Individuals and
// Organisations, the people and organisations who were members of the
// bank or one of its Mini Time Banks at some time in the period (joined
// before to and not left before from), under the ward each names
// (Member.Ward); a member naming no ward is left out. It is an
// aggregate that names no member, and checks no role. Errors: ErrNotFound (no such
// bank), ErrInvalid (to not after from).
func (s *Service) WardCounts(ctx context.Context, bankID string, from, to time.Time) (map[string]int64, error) {
	from, to = norm(from), norm(to)
	if !from.Before(to) {
		return nil, fmt.Errorf("ward counts: %w", invalid("to", "the period must end after it starts"))
	}
	if _, err := s.store.Bank(ctx, bankID); err != nil {
		return nil, fmt.Errorf("ward counts on %s: %w", bankID, err)
	}
	minis, err := s.store.Banks(ctx, BankFilter{Parent: &bankID})
	if err != nil {
		return nil, fmt.Errorf("ward counts on %s: %w", bankID, err)
	}
	out := map[string]int64{}
	for _, id := range append([]string{bankID}, bankIDs(minis)...) {
		ms, err := s.store.Members(ctx, MemberFilter{Bank: &id})
		if err != nil {
			return nil, fmt.Errorf("ward counts on %s: %w", bankID, err)
		}
		for _, m := range ms {
			if m.Ward != "" && m.JoinedAt.Before(to) && (m.LeftAt == nil || !m.LeftAt.Before(from)) {
				out[m.Ward]++
			}
		}
	}
	return out, nil
}

func bankIDs(bs []*Bank) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.ID
	}
	return out
}
