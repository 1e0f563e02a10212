package hubs

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/strongertogether/community/call"
)

// validHub checks a hub's own fields.
func validHub(name, ward, pcn, addr, pc string, lat, long float64, hours []Hours, partners []string) error {
	if err := checkText("Name", name, maxName, true); err != nil {
		return err
	}
	for _, f := range []struct{ n, v string }{{"Ward", ward}, {"PCN", pcn}, {"Postcode", pc}} {
		if err := checkText(f.n, f.v, maxName, false); err != nil {
			return err
		}
	}
	if err := checkText("Address", addr, maxShort, false); err != nil {
		return err
	}
	if math.IsNaN(lat) || lat < -90 || lat > 90 {
		return invalid("Lat", "%v is not a latitude", lat)
	}
	if math.IsNaN(long) || long < -180 || long > 180 {
		return invalid("Long", "%v is not a longitude", long)
	}
	if len(hours) > 7*4 {
		return invalid("Hours", "has more than %d entries", 7*4)
	}
	for i, h := range hours {
		f := fmt.Sprintf("Hours[%d]", i)
		if h.Day < time.Sunday || h.Day > time.Saturday {
			return invalid(f+".Day", "%d is not a weekday", h.Day)
		}
		if err := checkHHMM(f+".Opens", h.Opens); err != nil {
			return err
		}
		if err := checkHHMM(f+".Closes", h.Closes); err != nil {
			return err
		}
		if h.Closes <= h.Opens {
			return invalid(f, "closes at %s, not after it opens at %s", h.Closes, h.Opens)
		}
	}
	return checkList("Partners", partners, maxName)
}

// CreateHub adds a hub. A coordinator may. The status is planned (On
// ignored), or open or re-opened from the day On. It returns ErrForbidden,
// or ErrInvalid naming the bad field.
func (s *Service) CreateHub(ctx context.Context, w call.Write, in NewHub) (*Hub, error) {
	if err := validHub(in.Name, in.Ward, in.PCN, in.Address, in.Postcode, in.Lat, in.Long, in.Hours, in.Partners); err != nil {
		return nil, err
	}
	switch in.Status {
	case StatusPlanned:
	case StatusOpen, StatusReopened:
		if in.On.IsZero() {
			return nil, invalid("On", "is required for a hub that is %s", in.Status)
		}
	default:
		return nil, invalid("Status", "%q: a new hub is planned, open or re-opened", in.Status)
	}
	in.Hours, in.Partners = slices.Clone(in.Hours), slices.Clone(in.Partners)
	return write(ctx, s, w, "hubs.create_hub", in, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			h := &Hub{ID: s.newID(), Name: in.Name, Ward: in.Ward, PCN: in.PCN, Address: in.Address, Postcode: in.Postcode,
				Lat: in.Lat, Long: in.Long, Status: in.Status, Hours: in.Hours, Partners: in.Partners,
				Version: 1, CreatedAt: now, UpdatedAt: now}
			on := day(now)
			if in.Status != StatusPlanned {
				on = day(in.On)
				h.Opened = on
			}
			h.History = []StatusChange{{Status: in.Status, On: on, By: w.Actor.ID}}
			return &Batch{Hubs: []*Hub{h}}, h.ID, nil
		}, s.store.Hub)
}

// HubUpdate changes a hub's details; nil fields are unchanged.
type HubUpdate struct {
	Name     *string
	Ward     *string
	PCN      *string
	Address  *string
	Postcode *string
	Lat      *float64
	Long     *float64
	Hours    *[]Hours
	Partners *[]string
}

// UpdateHub changes a hub's details. A coordinator may. It returns
// ErrForbidden, ErrUnknownHub, or ErrInvalid.
func (s *Service) UpdateHub(ctx context.Context, w call.Write, id string, u HubUpdate) (*Hub, error) {
	return write(ctx, s, w, "hubs.update_hub", struct {
		ID string
		U  HubUpdate
	}{id, u}, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			h, err := s.hub(ctx, id)
			if err != nil {
				return nil, "", err
			}
			set := func(dst *string, src *string) {
				if src != nil {
					*dst = *src
				}
			}
			set(&h.Name, u.Name)
			set(&h.Ward, u.Ward)
			set(&h.PCN, u.PCN)
			set(&h.Address, u.Address)
			set(&h.Postcode, u.Postcode)
			if u.Lat != nil {
				h.Lat = *u.Lat
			}
			if u.Long != nil {
				h.Long = *u.Long
			}
			if u.Hours != nil {
				h.Hours = slices.Clone(*u.Hours)
			}
			if u.Partners != nil {
				h.Partners = slices.Clone(*u.Partners)
			}
			if err := validHub(h.Name, h.Ward, h.PCN, h.Address, h.Postcode, h.Lat, h.Long, h.Hours, h.Partners); err != nil {
				return nil, "", err
			}
			h.Version++
			h.UpdatedAt = now
			return &Batch{Hubs: []*Hub{h}}, h.ID, nil
		}, s.store.Hub)
}

// SetHubStatus records that a hub became open, re-opened, closed or
// planned on day on, adding it to the hub's history. A hub re-opens only
// after it closed; the first opening sets Opened. A coordinator may. It
// returns ErrForbidden, ErrUnknownHub, or ErrInvalid.
func (s *Service) SetHubStatus(ctx context.Context, w call.Write, id string, st Status, on time.Time) (*Hub, error) {
	if !st.valid() {
		return nil, invalid("Status", "%q is not a hub status", st)
	}
	if on.IsZero() {
		return nil, invalid("On", "is required")
	}
	on = day(on)
	return write(ctx, s, w, "hubs.set_status", struct {
		ID string
		S  Status
		On time.Time
	}{id, st, on}, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			h, err := s.hub(ctx, id)
			if err != nil {
				return nil, "", err
			}
			if n := len(h.History); n > 0 && on.Before(h.History[n-1].On) {
				return nil, "", invalid("On", "%s is before the hub's last change, %s", on.Format(time.DateOnly), h.History[n-1].On.Format(time.DateOnly))
			}
			if st == StatusReopened && h.Status != StatusClosed && h.Status != StatusPlanned {
				return nil, "", invalid("Status", "a hub re-opens only when closed or planned; it is %s", h.Status)
			}
			if (st == StatusOpen || st == StatusReopened) && h.Opened.IsZero() {
				h.Opened = on
			}
			h.Status = st
			h.History = append(h.History, StatusChange{Status: st, On: on, By: w.Actor.ID})
			h.Version++
			h.UpdatedAt = now
			return &Batch{Hubs: []*Hub{h}}, h.ID, nil
		}, s.store.Hub)
}

// AgreeOffer records the local offer a hub co-designed with residents:
// its priorities, most important first, agreed on day on. A coordinator
// may. It returns ErrForbidden, ErrUnknownHub, or ErrInvalid.
func (s *Service) AgreeOffer(ctx context.Context, w call.Write, id string, priorities []string, on time.Time) (*Hub, error) {
	if len(priorities) == 0 {
		return nil, invalid("priorities", "at least one is required")
	}
	if err := checkList("priorities", priorities, maxShort); err != nil {
		return nil, err
	}
	if on.IsZero() {
		return nil, invalid("on", "is required")
	}
	priorities, on = slices.Clone(priorities), day(on)
	return write(ctx, s, w, "hubs.agree_offer", struct {
		ID string
		P  []string
		On time.Time
	}{id, priorities, on}, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			h, err := s.hub(ctx, id)
			if err != nil {
				return nil, "", err
			}
			h.Offer, h.OfferAgreed = priorities, on
			h.Version++
			h.UpdatedAt = now
			return &Batch{Hubs: []*Hub{h}}, h.ID, nil
		}, s.store.Hub)
}

// Hub returns a hub. A hub holds no personal data; it checks no role. It
// returns ErrNotFound.
func (s *Service) Hub(ctx context.Context, id string) (*Hub, error) {
	return get(ctx, s.store.Hub, "hub", id)
}

// Hubs returns every hub. It checks no role.
func (s *Service) Hubs(ctx context.Context) ([]*Hub, error) { return s.store.Hubs(ctx) }

// AddGroup records a group that meets at a hub from day Since. A
// coordinator may. It returns ErrForbidden, ErrUnknownHub, or ErrInvalid.
func (s *Service) AddGroup(ctx context.Context, w call.Write, in NewGroup) (*Group, error) {
	if err := checkText("Name", in.Name, maxName, true); err != nil {
		return nil, err
	}
	if in.Kind != GroupAdvisory && in.Kind != GroupSocial {
		return nil, invalid("Kind", "%q: a group is advisory or social", in.Kind)
	}
	if in.Since.IsZero() {
		return nil, invalid("Since", "is required")
	}
	in.Since = day(in.Since)
	return write(ctx, s, w, "hubs.add_group", in, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			if _, err := s.hub(ctx, in.Hub); err != nil {
				return nil, "", err
			}
			g := &Group{ID: s.newID(), Hub: in.Hub, Name: in.Name, Kind: in.Kind, Since: in.Since, Version: 1, CreatedAt: now}
			return &Batch{Groups: []*Group{g}}, g.ID, nil
		}, s.group)
}

func (s *Service) group(ctx context.Context, id string) (*Group, error) {
	return get(ctx, s.store.Group, "group", id)
}

// EndGroup records that a group stopped meeting on day on. A coordinator
// may. It returns ErrForbidden, ErrNotFound, or ErrInvalid.
func (s *Service) EndGroup(ctx context.Context, w call.Write, id string, on time.Time) (*Group, error) {
	if on.IsZero() {
		return nil, invalid("on", "is required")
	}
	on = day(on)
	return write(ctx, s, w, "hubs.end_group", struct {
		ID string
		On time.Time
	}{id, on}, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			g, err := s.group(ctx, id)
			if err != nil {
				return nil, "", err
			}
			if on.Before(g.Since) {
				return nil, "", invalid("on", "is before the group began")
			}
			g.Until = on
			g.Version++
			return &Batch{Groups: []*Group{g}}, g.ID, nil
		}, s.group)
}

// Groups returns the groups of a hub ("" for every hub). It holds no
// personal data and checks no role.
func (s *Service) Groups(ctx context.Context, hub string) ([]*Group, error) {
	return s.store.Groups(ctx, hub)
}

// RecordEvent records an event held at a hub, with its attendance. A
// recorder may. It returns ErrForbidden, ErrUnknownHub, ErrNegative, or
// ErrInvalid.
func (s *Service) RecordEvent(ctx context.Context, w call.Write, in NewEvent) (*Event, error) {
	if err := validEvent(in); err != nil {
		return nil, err
	}
	in.On = day(in.On)
	return write(ctx, s, w, "hubs.record_event", in, s.may(w.Actor, RoleRecorder),
		func(now time.Time) (*Batch, string, error) {
			e, err := s.newEvent(ctx, in, now)
			if err != nil {
				return nil, "", err
			}
			return &Batch{Events: []*Event{e}}, e.ID, nil
		}, s.event)
}

func validEvent(in NewEvent) error {
	switch in.Kind {
	case EventFair, EventClub, EventCourse, EventSurgery, EventOther:
	default:
		return invalid("Kind", "%q is not a kind of event", in.Kind)
	}
	if err := checkText("Title", in.Title, maxName, true); err != nil {
		return err
	}
	if in.On.IsZero() {
		return invalid("On", "is required")
	}
	if err := checkCount("Attendance", in.Attendance); err != nil {
		return err
	}
	return checkCount("Stalls", in.Stalls)
}

func (s *Service) newEvent(ctx context.Context, in NewEvent, now time.Time) (*Event, error) {
	h, err := s.hub(ctx, in.Hub)
	if err != nil {
		return nil, err
	}
	if h.Opened.IsZero() || in.On.Before(h.Opened) {
		return nil, fieldErr(ErrBeforeOpening, "On", "%s is before the hub opened", in.On.Format(time.DateOnly))
	}
	return &Event{ID: s.newID(), Hub: in.Hub, Kind: in.Kind, Title: in.Title, On: in.On, Attendance: in.Attendance, Stalls: in.Stalls, Version: 1, CreatedAt: now}, nil
}

func (s *Service) event(ctx context.Context, id string) (*Event, error) {
	return get(ctx, s.store.Event, "event", id)
}

// Events returns the events of a span. They hold no personal data; it
// checks no role.
func (s *Service) Events(ctx context.Context, sp Span) ([]*Event, error) {
	return s.store.Events(ctx, sp)
}

// RecordVisits records days' visit counts, each for one hub and day. A
// recorder may. A day recorded already is ErrConflict; a day before its
// hub opened is ErrBeforeOpening; a negative count ErrNegative; an unknown
// hub ErrUnknownHub. On any error nothing is written. It returns how many
// days were recorded.
func (s *Service) RecordVisits(ctx context.Context, w call.Write, in []NewVisit) (int, error) {
	for i, v := range in {
		if err := validVisit(v); err != nil {
			var fe *FieldError
			if errors.As(err, &fe) {
				fe.Field = fmt.Sprintf("[%d].%s", i, fe.Field)
			}
			return 0, err
		}
		in[i].On = day(v.On)
	}
	in = slices.Clone(in)
	n, err := write(ctx, s, w, "hubs.record_visits", in, s.may(w.Actor, RoleRecorder),
		func(now time.Time) (*Batch, string, error) {
			b := &Batch{}
			for i, v := range in {
				x, err := s.newVisit(ctx, v, now)
				if err != nil {
					var fe *FieldError
					if errors.As(err, &fe) {
						fe.Field = fmt.Sprintf("[%d].%s", i, fe.Field)
					}
					return nil, "", err
				}
				b.Visits = append(b.Visits, x)
			}
			return b, fmt.Sprint(len(in)), nil
		}, func(_ context.Context, r string) (int, error) {
			var n int
			_, err := fmt.Sscan(r, &n)
			return n, err
		})
	return n, err
}

func validVisit(v NewVisit) error {
	if v.On.IsZero() {
		return invalid("On", "is required")
	}
	if v.Method != ByDoorCounter && v.Method != ByTally {
		return invalid("Method", "%q: visits are counted by door counter or tally", v.Method)
	}
	return checkCount("Count", v.Count)
}

func (s *Service) newVisit(ctx context.Context, v NewVisit, now time.Time) (*Visit, error) {
	h, err := s.hub(ctx, v.Hub)
	if err != nil {
		return nil, err
	}
	if h.Opened.IsZero() || v.On.Before(h.Opened) {
		return nil, fieldErr(ErrBeforeOpening, "On", "%s is before the hub opened", v.On.Format(time.DateOnly))
	}
	got, err := s.store.Visits(ctx, Span{Hub: h.ID, From: v.On, To: v.On.AddDate(0, 0, 1)})
	if err != nil {
		return nil, err
	}
	if len(got) > 0 {
		return nil, fieldErr(ErrConflict, "On", "the hub's visits on %s are recorded already", v.On.Format(time.DateOnly))
	}
	return &Visit{ID: h.ID + "/" + v.On.Format(time.DateOnly), Hub: h.ID, On: v.On, Count: v.Count, Method: v.Method, Version: 1, CreatedAt: now}, nil
}

// Visits returns the days' counts of a span. They are aggregates; it
// checks no role.
func (s *Service) Visits(ctx context.Context, sp Span) ([]*Visit, error) {
	return s.store.Visits(ctx, sp)
}

// SetBaseline records footfall measured before the hub, such as its
// building's previous occupation, for reports to compare with. A
// coordinator may. It returns ErrForbidden, ErrUnknownHub, ErrNegative or
// ErrInvalid.
func (s *Service) SetBaseline(ctx context.Context, w call.Write, in NewBaseline) (*Baseline, error) {
	if err := checkText("Label", in.Label, maxName, true); err != nil {
		return nil, err
	}
	if in.From.IsZero() || in.To.Before(in.From) {
		return nil, invalid("To", "the baseline needs From and a To not before it")
	}
	if err := checkCount("Visits", in.Visits); err != nil {
		return nil, err
	}
	in.From, in.To = day(in.From), day(in.To)
	return write(ctx, s, w, "hubs.set_baseline", in, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			if _, err := s.hub(ctx, in.Hub); err != nil {
				return nil, "", err
			}
			b := &Baseline{ID: s.newID(), Hub: in.Hub, Label: in.Label, From: in.From, To: in.To, Visits: in.Visits, Version: 1, CreatedAt: now}
			return &Batch{Baselines: []*Baseline{b}}, b.ID, nil
		}, s.store.Baseline)
}
