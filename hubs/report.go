package hubs

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Report is what a hub (or every hub) did in a period: volunteering,
// visits and footfall, groups, events, surgeries, placements and
// micro-enterprises. Percentages are decimal, to one place.
type Report struct {
	Hub  string    // "" for every hub
	From time.Time // the first day
	To   time.Time // the day after the last

	VolunteerMinutes int64
	VolunteerHours   decimal.Decimal // minutes / 60, to two places
	Volunteers       int             // who gave time in the period
	NewVolunteers    int             // registered in the period
	MovedIntoWork    int             // volunteers who moved into work, with consent

	Visits int64
	// VisitsYearBefore counts the same period a year before, and
	// ChangeYearOnYear is the percentage change (nil without counts then).
	VisitsYearBefore int64
	ChangeYearOnYear *decimal.Decimal
	// Baseline is the footfall of the hub's baselines (e.g. the building's
	// previous occupation), scaled to the period's length, and
	// ChangeOnBaseline the percentage change on it (nil without one).
	Baseline         decimal.Decimal
	ChangeOnBaseline *decimal.Decimal

	Groups     int // groups meeting at some time in the period
	Events     int
	Attendance int64

	Surgeries       int
	SlotsBooked     int   // bookings not cancelled
	SlotsUsed       int   // bookings attended
	Cancelled       int   // bookings cancelled
	DropIns         int64 // people seen without a booking
	PlacementsStart int   // placements running on the first day
	PlacementsEnd   int   // running on the last day
	PlacementsFill  int   // of those running on the last day, filled
	FillRate        *decimal.Decimal
	Enterprises     int // micro-enterprises registered on the last day
}

// Report computes a hub's report ("" for every hub) for the days from
// from up to, not including, to. It returns only aggregates and checks no
// role. It returns ErrUnknownHub or ErrInvalid for an empty period.
func (s *Service) Report(ctx context.Context, hub string, from, to time.Time) (*Report, error) {
	from, to = day(from), day(to)
	if !to.After(from) {
		return nil, invalid("to", "the period ends after it starts")
	}
	if hub != "" {
		if _, err := s.hub(ctx, hub); err != nil {
			return nil, err
		}
	}
	r := &Report{Hub: hub, From: from, To: to}
	span := Span{Hub: hub, From: from, To: to}
	wrap := func(err error) error { return fmt.Errorf("hubs report: %w", err) }

	sessions, err := s.store.Sessions(ctx, span)
	if err != nil {
		return nil, wrap(err)
	}
	who := map[string]bool{}
	for _, x := range sessions {
		r.VolunteerMinutes += x.Minutes
		who[x.Volunteer] = true
	}
	r.Volunteers = len(who)
	r.VolunteerHours = decimal.NewFromInt(r.VolunteerMinutes).Div(decimal.NewFromInt(60)).Round(2)
	vols, err := s.store.Volunteers(ctx, span)
	if err != nil {
		return nil, wrap(err)
	}
	r.NewVolunteers = len(vols)
	outs, err := s.store.WorkOutcomes(ctx, span)
	if err != nil {
		return nil, wrap(err)
	}
	r.MovedIntoWork = len(outs)

	count := func(sp Span) (int64, int, error) {
		vs, err := s.store.Visits(ctx, sp)
		var n int64
		for _, v := range vs {
			n += v.Count
		}
		return n, len(vs), err
	}
	if r.Visits, _, err = count(span); err != nil {
		return nil, wrap(err)
	}
	before, days, err := count(Span{Hub: hub, From: from.AddDate(-1, 0, 0), To: to.AddDate(-1, 0, 0)})
	if err != nil {
		return nil, wrap(err)
	}
	if days > 0 {
		r.VisitsYearBefore = before
		r.ChangeYearOnYear = change(decimal.NewFromInt(r.Visits), decimal.NewFromInt(before))
	}
	bases, err := s.store.Baselines(ctx, hub)
	if err != nil {
		return nil, wrap(err)
	}
	if len(bases) > 0 {
		periodDays := decimal.NewFromInt(int64(to.Sub(from).Hours() / 24))
		for _, b := range bases {
			bd := decimal.NewFromInt(int64(b.To.Sub(b.From).Hours()/24) + 1)
			r.Baseline = r.Baseline.Add(decimal.NewFromInt(b.Visits).Mul(periodDays).Div(bd))
		}
		r.Baseline = r.Baseline.Round(0)
		r.ChangeOnBaseline = change(decimal.NewFromInt(r.Visits), r.Baseline)
	}

	groups, err := s.store.Groups(ctx, hub)
	if err != nil {
		return nil, wrap(err)
	}
	for _, g := range groups {
		if g.Since.Before(to) && (g.Until.IsZero() || !g.Until.Before(from)) {
			r.Groups++
		}
	}
	events, err := s.store.Events(ctx, span)
	if err != nil {
		return nil, wrap(err)
	}
	r.Events = len(events)
	for _, e := range events {
		r.Attendance += e.Attendance
	}

	surgeries, err := s.store.Surgeries(ctx, span)
	if err != nil {
		return nil, wrap(err)
	}
	r.Surgeries = len(surgeries)
	for _, x := range surgeries {
		r.DropIns += x.DropIns
		bks, err := s.store.Bookings(ctx, x.ID)
		if err != nil {
			return nil, wrap(err)
		}
		for _, b := range bks {
			switch b.Status {
			case Booked:
				r.SlotsBooked++
			case Attended:
				r.SlotsBooked++
				r.SlotsUsed++
			case Cancelled:
				r.Cancelled++
			}
		}
	}

	ps, err := s.store.Placements(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	last := to.AddDate(0, 0, -1)
	running := func(p *Placement, on time.Time) bool {
		return !p.Offered.After(on) && (p.Ended.IsZero() || p.Ended.After(on))
	}
	for _, p := range ps {
		if hub != "" && p.Hub != hub {
			continue
		}
		if running(p, from) {
			r.PlacementsStart++
		}
		if running(p, last) {
			r.PlacementsEnd++
			if !p.Filled.IsZero() && !p.Filled.After(last) {
				r.PlacementsFill++
			}
		}
	}
	if r.PlacementsEnd > 0 {
		f := decimal.NewFromInt(int64(r.PlacementsFill)).Mul(decimal.NewFromInt(100)).Div(decimal.NewFromInt(int64(r.PlacementsEnd))).Round(1)
		r.FillRate = &f
	}

	es, err := s.store.Enterprises(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	for _, e := range es {
		if (hub == "" || e.Hub == hub) && registeredOn(e, last) {
			r.Enterprises++
		}
	}
	return r, nil
}

// change returns the percentage change from was to now, to one place, or
// nil when was is zero.
func change(now, was decimal.Decimal) *decimal.Decimal {
	if was.IsZero() {
		return nil
	}
	c := now.Sub(was).Mul(decimal.NewFromInt(100)).Div(was).Round(1)
	return &c
}
