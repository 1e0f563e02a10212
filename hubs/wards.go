package hubs

import (
	"context"
	"fmt"
	"time"
)

// WardCounts counts the hubs open at some time in [from, to), by ward:
// this domain's column of the partnership's ward matrix (see
// hubs/locality.Compose). A hub counts when it opened before to and had
// not closed before from (by its status history). It is an aggregate and
// checks no role.
func (s *Service) WardCounts(ctx context.Context, from, to time.Time) (map[string]int64, error) {
	all, err := s.store.Hubs(ctx)
	if err != nil {
		return nil, fmt.Errorf("hubs ward counts: %w", err)
	}
	out := map[string]int64{}
	for _, h := range all {
		if openIn(h, from, to) {
			out[h.Ward]++
		}
	}
	return out, nil
}

// openIn reports whether h was open at some time in [from, to).
func openIn(h *Hub, from, to time.Time) bool {
	if len(h.History) == 0 {
		return !h.Opened.IsZero() && h.Opened.Before(to) && h.Status != StatusClosed && h.Status != StatusPlanned
	}
	open := false
	for _, c := range h.History { // oldest first
		if !c.On.Before(to) {
			break
		}
		switch c.Status {
		case StatusOpen, StatusReopened:
			open = true
		case StatusClosed, StatusPlanned:
			if c.On.After(from) && open {
				return true // open until it closed within the period
			}
			open = false
		}
	}
	return open
}
