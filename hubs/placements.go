package hubs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/strongertogether/community/call"
)

// OfferPlacement records a council volunteer placement offered on a day.
// A coordinator may. It returns ErrForbidden, ErrUnknownHub (for a hub
// named but unknown) or ErrInvalid.
func (s *Service) OfferPlacement(ctx context.Context, w call.Write, in NewPlacement) (*Placement, error) {
	if err := checkText("Title", in.Title, maxName, true); err != nil {
		return nil, err
	}
	if in.Offered.IsZero() {
		return nil, invalid("Offered", "is required")
	}
	in.Offered = day(in.Offered)
	return write(ctx, s, w, "hubs.offer_placement", in, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			if in.Hub != "" {
				if _, err := s.hub(ctx, in.Hub); err != nil {
					return nil, "", err
				}
			}
			p := &Placement{ID: s.newID(), Hub: in.Hub, Title: in.Title, Offered: in.Offered, Version: 1, CreatedAt: now}
			return &Batch{Placements: []*Placement{p}}, p.ID, nil
		}, s.store.Placement)
}

// FillPlacement records that a placement was filled on a day. A
// coordinator may. It returns ErrForbidden, ErrNotFound or ErrInvalid.
func (s *Service) FillPlacement(ctx context.Context, w call.Write, id string, on time.Time) (*Placement, error) {
	return s.stepPlacement(ctx, w, "hubs.fill_placement", id, on, func(p *Placement, on time.Time) error {
		if !p.Filled.IsZero() || !p.Ended.IsZero() {
			return invalid("placement", "is filled or ended already")
		}
		if on.Before(p.Offered) {
			return invalid("on", "is before the placement was offered")
		}
		p.Filled = on
		return nil
	})
}

// EndPlacement records that a placement ended on a day. A coordinator
// may. It returns ErrForbidden, ErrNotFound or ErrInvalid.
func (s *Service) EndPlacement(ctx context.Context, w call.Write, id string, on time.Time) (*Placement, error) {
	return s.stepPlacement(ctx, w, "hubs.end_placement", id, on, func(p *Placement, on time.Time) error {
		if !p.Ended.IsZero() {
			return invalid("placement", "has ended already")
		}
		if on.Before(p.Offered) || (!p.Filled.IsZero() && on.Before(p.Filled)) {
			return invalid("on", "is before the placement was offered or filled")
		}
		p.Ended = on
		return nil
	})
}

func (s *Service) stepPlacement(ctx context.Context, w call.Write, op, id string, on time.Time, step func(*Placement, time.Time) error) (*Placement, error) {
	if on.IsZero() {
		return nil, invalid("on", "is required")
	}
	on = day(on)
	return write(ctx, s, w, op, struct {
		ID string
		On time.Time
	}{id, on}, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			p, err := get(ctx, s.store.Placement, "placement", id)
			if err != nil {
				return nil, "", err
			}
			if err := step(p, on); err != nil {
				return nil, "", err
			}
			p.Version++
			return &Batch{Placements: []*Placement{p}}, p.ID, nil
		}, s.store.Placement)
}

// Placements returns every placement. They hold no personal data; it
// checks no role.
func (s *Service) Placements(ctx context.Context) ([]*Placement, error) {
	return s.store.Placements(ctx)
}

// microRule checks the seed's rule: at most s.maxWorkers paid or unpaid
// workers, and independent of any larger organisation. It returns the
// reasons an enterprise fails it, or none.
func (s *Service) microRule(paid, unpaid int64, independent bool) []string {
	var why []string
	if n := paid + unpaid; n > s.maxWorkers {
		why = append(why, fmt.Sprintf("it has %d paid or unpaid workers; a micro-enterprise has at most %d", n, s.maxWorkers))
	}
	if !independent {
		why = append(why, "it is not independent of a larger organisation")
	}
	return why
}

// RegisterEnterprise registers a micro-enterprise from day On. It must
// pass the rule (at most eight paid or unpaid workers, or as many as
// WithMaxWorkers says, and totally independent of any larger
// organisation): one that fails is
// ErrNotMicroEnterprise, saying why, and nothing is written. A
// coordinator may. It returns ErrForbidden, ErrUnknownHub, ErrNegative or
// ErrInvalid.
func (s *Service) RegisterEnterprise(ctx context.Context, w call.Write, in NewEnterprise) (*Enterprise, error) {
	if err := checkText("Name", in.Name, maxName, true); err != nil {
		return nil, err
	}
	if err := checkCount("Paid", in.Paid); err != nil {
		return nil, err
	}
	if err := checkCount("Unpaid", in.Unpaid); err != nil {
		return nil, err
	}
	if in.On.IsZero() {
		return nil, invalid("On", "is required")
	}
	if why := s.microRule(in.Paid, in.Unpaid, in.Independent); len(why) > 0 {
		return nil, fieldErr(ErrNotMicroEnterprise, "Enterprise", "%s", strings.Join(why, "; "))
	}
	in.On = day(in.On)
	return write(ctx, s, w, "hubs.register_enterprise", in, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			if in.Hub != "" {
				if _, err := s.hub(ctx, in.Hub); err != nil {
					return nil, "", err
				}
			}
			e := &Enterprise{ID: s.newID(), Hub: in.Hub, Name: in.Name, Paid: in.Paid, Unpaid: in.Unpaid, Independent: in.Independent,
				Registered: true, History: []EnterpriseChange{{On: in.On, Registered: true, Reason: "meets the micro-enterprise rule"}},
				Version: 1, CreatedAt: now}
			return &Batch{Enterprises: []*Enterprise{e}}, e.ID, nil
		}, s.store.Enterprise)
}

// UpdateEnterprise changes an enterprise's workers or independence on a
// day. If it no longer passes the rule it leaves the register that day,
// with the reasons in its history; if it passes again it rejoins. A
// coordinator may. It returns ErrForbidden, ErrNotFound, ErrNegative or
// ErrInvalid.
func (s *Service) UpdateEnterprise(ctx context.Context, w call.Write, id string, u EnterpriseUpdate) (*Enterprise, error) {
	if u.On.IsZero() {
		return nil, invalid("On", "is required")
	}
	if err := checkText("Reason", u.Reason, maxShort, false); err != nil {
		return nil, err
	}
	u.On = day(u.On)
	return write(ctx, s, w, "hubs.update_enterprise", struct {
		ID string
		U  EnterpriseUpdate
	}{id, u}, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			e, err := get(ctx, s.store.Enterprise, "enterprise", id)
			if err != nil {
				return nil, "", err
			}
			if n := len(e.History); n > 0 && u.On.Before(e.History[n-1].On) {
				return nil, "", invalid("On", "is before the enterprise's last change")
			}
			if u.Paid != nil {
				e.Paid = *u.Paid
			}
			if u.Unpaid != nil {
				e.Unpaid = *u.Unpaid
			}
			if u.Independent != nil {
				e.Independent = *u.Independent
			}
			if err := checkCount("Paid", e.Paid); err != nil {
				return nil, "", err
			}
			if err := checkCount("Unpaid", e.Unpaid); err != nil {
				return nil, "", err
			}
			why := s.microRule(e.Paid, e.Unpaid, e.Independent)
			ok := len(why) == 0
			if ok != e.Registered {
				reason := strings.Join(why, "; ")
				if ok {
					reason = "meets the micro-enterprise rule again"
				}
				if u.Reason != "" {
					reason = u.Reason + ": " + reason
				}
				e.History = append(e.History, EnterpriseChange{On: u.On, Registered: ok, Reason: reason})
				e.Registered = ok
			}
			e.Version++
			return &Batch{Enterprises: []*Enterprise{e}}, e.ID, nil
		}, s.store.Enterprise)
}

// Enterprises returns every enterprise with its history. It holds no
// personal data; it checks no role.
func (s *Service) Enterprises(ctx context.Context) ([]*Enterprise, error) {
	return s.store.Enterprises(ctx)
}

// EnterpriseCount is how many micro-enterprises were registered on a day,
// against the council's target.
type EnterpriseCount struct {
	On         time.Time
	Registered int
	Target     int // 0: none set (WithEnterpriseTarget)
}

// registeredOn reports whether e was on the register on day on.
func registeredOn(e *Enterprise, on time.Time) bool {
	reg := false
	for _, c := range e.History {
		if c.On.After(on) {
			break
		}
		reg = c.Registered
	}
	return reg
}

// EnterpriseCount counts the micro-enterprises on the register on a day,
// from their histories. It returns only aggregates and checks no role.
func (s *Service) EnterpriseCount(ctx context.Context, on time.Time) (EnterpriseCount, error) {
	on = day(on)
	es, err := s.store.Enterprises(ctx)
	if err != nil {
		return EnterpriseCount{}, fmt.Errorf("enterprise count: %w", err)
	}
	c := EnterpriseCount{On: on, Target: s.target}
	for _, e := range es {
		if registeredOn(e, on) {
			c.Registered++
		}
	}
	return c, nil
}
