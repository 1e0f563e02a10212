package hubs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/email"
)

func validVolunteer(in NewVolunteer) error {
	if err := checkText("Name", in.Name, maxName, true); err != nil {
		return err
	}
	if err := checkText("Email", in.Email, maxName, false); err != nil {
		return err
	}
	if in.Email != "" && !email.Valid(in.Email) {
		return invalid("Email", "is not an email address")
	}
	if err := checkText("Phone", in.Phone, 40, false); err != nil {
		return err
	}
	if err := checkList("Roles", in.Roles, maxName); err != nil {
		return err
	}
	if len(in.Training) > maxList {
		return invalid("Training", "has more than %d courses", maxList)
	}
	for i, t := range in.Training {
		if err := checkText(fmt.Sprintf("Training[%d].Course", i), t.Course, maxName, true); err != nil {
			return err
		}
	}
	if in.Registered.IsZero() {
		return invalid("Registered", "is required")
	}
	return nil
}

// RegisterVolunteer registers a volunteer at a hub, with their roles and
// training. A coordinator may. It returns ErrForbidden, ErrUnknownHub, or
// ErrInvalid.
func (s *Service) RegisterVolunteer(ctx context.Context, w call.Write, in NewVolunteer) (*Volunteer, error) {
	if err := validVolunteer(in); err != nil {
		return nil, err
	}
	in = in.normal()
	return write(ctx, s, w, "hubs.register_volunteer", in, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			if _, err := s.hub(ctx, in.Hub); err != nil {
				return nil, "", err
			}
			v := &Volunteer{ID: s.newID(), Hub: in.Hub, Name: in.Name, Email: in.Email, Phone: in.Phone, Roles: in.Roles,
				Training: in.Training, Registered: in.Registered, Version: 1, CreatedAt: now, UpdatedAt: now}
			return &Batch{Volunteers: []*Volunteer{v}}, v.ID, nil
		}, s.volunteerID)
}

// volunteerID loads a volunteer as a write's result. Only coordinators
// write volunteers, and they may read them, so a replay reveals nothing
// its caller may not see.
func (s *Service) volunteerID(ctx context.Context, id string) (*Volunteer, error) {
	return get(ctx, s.store.Volunteer, "volunteer", id)
}

// Volunteer returns a volunteer with their name and contacts. A
// coordinator may read it; anyone else gets ErrForbidden, whether or not
// the volunteer exists. It returns ErrNotFound for a coordinator.
func (s *Service) Volunteer(ctx context.Context, a call.Actor, id string) (*Volunteer, error) {
	if err := s.check(ctx, a, RoleCoordinator); err != nil {
		return nil, err
	}
	return get(ctx, s.store.Volunteer, "volunteer", id)
}

// Volunteers returns the volunteers registered at a hub ("" for every
// hub) in a span. A coordinator may; anyone else gets ErrForbidden.
func (s *Service) Volunteers(ctx context.Context, a call.Actor, sp Span) ([]*Volunteer, error) {
	if err := s.check(ctx, a, RoleCoordinator); err != nil {
		return nil, err
	}
	return s.store.Volunteers(ctx, sp)
}

// RecordSession records minutes a volunteer gave at their hub on a day. A
// recorder may. It returns ErrForbidden, ErrNotFound for an unknown
// volunteer, ErrNegative, or ErrInvalid (no time, or over a day).
func (s *Service) RecordSession(ctx context.Context, w call.Write, in NewSession) (*Session, error) {
	if err := validSession(in); err != nil {
		return nil, err
	}
	in.On = day(in.On)
	return write(ctx, s, w, "hubs.record_session", in, s.may(w.Actor, RoleRecorder),
		func(now time.Time) (*Batch, string, error) {
			x, err := s.newSession(ctx, in, now)
			if err != nil {
				return nil, "", err
			}
			return &Batch{Sessions: []*Session{x}}, x.ID, nil
		}, s.store.Session)
}

func validSession(in NewSession) error {
	if err := checkText("Volunteer", in.Volunteer, maxID, true); err != nil {
		return err
	}
	if in.On.IsZero() {
		return invalid("On", "is required")
	}
	if err := checkCount("Minutes", in.Minutes); err != nil {
		return err
	}
	if in.Minutes == 0 || in.Minutes > 24*60 {
		return invalid("Minutes", "%d: a session is between 1 minute and a day", in.Minutes)
	}
	return checkText("Role", in.Role, maxName, false)
}

func (s *Service) newSession(ctx context.Context, in NewSession, now time.Time) (*Session, error) {
	v, err := get(ctx, s.store.Volunteer, "Volunteer", in.Volunteer)
	if err != nil {
		return nil, err
	}
	if in.On.Before(v.Registered) {
		return nil, invalid("On", "is before the volunteer registered")
	}
	return &Session{ID: s.newID(), Hub: v.Hub, Volunteer: v.ID, On: in.On, Minutes: in.Minutes, Role: in.Role, CreatedAt: now, Version: 1}, nil
}

// Sessions returns the volunteer sessions of a span: ids and minutes, no
// personal data. It checks no role.
func (s *Service) Sessions(ctx context.Context, sp Span) ([]*Session, error) {
	return s.store.Sessions(ctx, sp)
}

// RecordWork records that a volunteer moved into work on day on. It is
// recorded only with their consent (ErrNoConsent otherwise). A coordinator
// may. It returns ErrForbidden, ErrNotFound, or ErrInvalid.
func (s *Service) RecordWork(ctx context.Context, w call.Write, volunteer string, on time.Time, consent bool) (*WorkOutcome, error) {
	if !consent {
		return nil, fieldErr(ErrNoConsent, "consent", "a move into work is recorded only with the volunteer's consent")
	}
	if on.IsZero() {
		return nil, invalid("on", "is required")
	}
	on = day(on)
	return write(ctx, s, w, "hubs.record_work", struct {
		V  string
		On time.Time
	}{volunteer, on}, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			v, err := get(ctx, s.store.Volunteer, "volunteer", volunteer)
			if err != nil {
				return nil, "", err
			}
			o := &WorkOutcome{ID: s.newID(), Hub: v.Hub, Volunteer: v.ID, On: on, Consent: true, Version: 1, CreatedAt: now}
			return &Batch{WorkOutcomes: []*WorkOutcome{o}}, o.ID, nil
		}, s.store.WorkOutcome)
}

// EraseVolunteer removes a volunteer's name, contacts, roles and training
// for good, keeping the hours they gave (by id) for the reports. A
// coordinator may. It returns ErrForbidden or ErrNotFound.
func (s *Service) EraseVolunteer(ctx context.Context, w call.Write, id string) error {
	_, err := write(ctx, s, w, "hubs.erase_volunteer", id, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			v, err := get(ctx, s.store.Volunteer, "volunteer", id)
			if err != nil {
				return nil, "", err
			}
			v.Name, v.Email, v.Phone, v.Roles, v.Training, v.Erased = "", "", "", nil, nil, true
			v.Version++
			v.UpdatedAt = now
			return &Batch{Volunteers: []*Volunteer{v}, Erase: true}, v.ID, nil
		}, func(context.Context, string) (struct{}, error) { return struct{}{}, nil })
	return err
}

// EraseBooking removes the booker's name and contact from a booking, and
// from the waiting-list entry it came from, for good. A coordinator may.
// It returns ErrForbidden or ErrNotFound.
func (s *Service) EraseBooking(ctx context.Context, w call.Write, id string) error {
	_, err := write(ctx, s, w, "hubs.erase_booking", id, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			bk, err := get(ctx, s.store.Booking, "booking", id)
			if err != nil {
				return nil, "", err
			}
			b, err := s.erasePlace(ctx, bk, nil, now)
			return b, bk.ID, err
		}, func(context.Context, string) (struct{}, error) { return struct{}{}, nil })
	return err
}

// EraseWaiting removes a waiting-list entry's name and contact for good
// (the person leaves the list), and from the booking the entry was given,
// if it was given one: the booking holds a copy of both. A coordinator
// may. It returns ErrForbidden or ErrNotFound.
func (s *Service) EraseWaiting(ctx context.Context, w call.Write, id string) error {
	_, err := write(ctx, s, w, "hubs.erase_waiting", id, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			wt, err := get(ctx, s.store.Waiting, "waiting", id)
			if err != nil {
				return nil, "", err
			}
			b, err := s.erasePlace(ctx, nil, wt, now)
			return b, wt.ID, err
		}, func(context.Context, string) (struct{}, error) { return struct{}{}, nil })
	return err
}

// erasePlace builds the batch that erases a person's name and contact from
// a booking and the waiting-list entry linked to it, which hold copies of
// both. The caller passes the one it read; the other is read by its link,
// and skipped when there is none or it is gone.
func (s *Service) erasePlace(ctx context.Context, bk *Booking, wt *Waiting, now time.Time) (*Batch, error) {
	var err error
	if bk == nil && wt.Booking != "" {
		if bk, err = linked(ctx, s.store.Booking, wt.Booking); err != nil {
			return nil, err
		}
	}
	if wt == nil && bk.Waiting != "" {
		if wt, err = linked(ctx, s.store.Waiting, bk.Waiting); err != nil {
			return nil, err
		}
	}
	b := &Batch{Erase: true}
	if bk != nil {
		bk.Name, bk.Contact, bk.Erased = "", "", true
		bk.Version++
		bk.UpdatedAt = now
		b.Bookings = append(b.Bookings, bk)
	}
	if wt != nil {
		wt.Name, wt.Contact, wt.Erased = "", "", true
		wt.Version++
		b.Waiting = append(b.Waiting, wt)
	}
	return b, nil
}

// linked reads the record a link names: nil, not an error, when it is gone.
func linked[T any](ctx context.Context, read func(context.Context, string) (*T, error), id string) (*T, error) {
	x, err := read(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return x, err
}

// VolunteerUpdate changes a volunteer's details; nil fields are unchanged.
type VolunteerUpdate struct {
	// Name corrects the volunteer's name (it stays required). It is left
	// out of a request's fingerprint when nil, so an update without a
	// name fingerprints as updates did before Name existed.
	Name     *string `json:",omitempty"`
	Email    *string
	Phone    *string
	Roles    *[]string
	Training *[]Training
}

// UpdateVolunteer changes a volunteer's name, contacts, roles or training. A
// coordinator may. An erased volunteer stays erased (ErrInvalid). It
// returns ErrForbidden, ErrNotFound or ErrInvalid.
func (s *Service) UpdateVolunteer(ctx context.Context, w call.Write, id string, u VolunteerUpdate) (*Volunteer, error) {
	u = u.clone()
	return write(ctx, s, w, "hubs.update_volunteer", volunteerUpdateReq{id, u}, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			v, err := get(ctx, s.store.Volunteer, "volunteer", id)
			if err != nil {
				return nil, "", err
			}
			if err := v.update(u, now); err != nil {
				return nil, "", err
			}
			return &Batch{Volunteers: []*Volunteer{v}}, v.ID, nil
		}, s.volunteerID)
}

// volunteerUpdateReq is what an update's receipt fingerprints.
type volunteerUpdateReq struct {
	ID string
	U  VolunteerUpdate
}

// clone returns u with its lists copied.
func (u VolunteerUpdate) clone() VolunteerUpdate {
	if u.Roles != nil {
		u.Roles = ptrTo(slices.Clone(*u.Roles))
	}
	if u.Training != nil {
		u.Training = ptrTo(slices.Clone(*u.Training))
	}
	return u
}

// update applies u to v (a copy read from the store) as of now, checking
// the result as RegisterVolunteer checks a new volunteer, and moves v to
// its next version. An erased volunteer stays erased (ErrInvalid).
func (v *Volunteer) update(u VolunteerUpdate, now time.Time) error {
	if v.Erased {
		return invalid("volunteer", "was erased")
	}
	if u.Name != nil {
		v.Name = *u.Name
	}
	if u.Email != nil {
		v.Email = *u.Email
	}
	if u.Phone != nil {
		v.Phone = *u.Phone
	}
	if u.Roles != nil {
		v.Roles = *u.Roles
	}
	if u.Training != nil {
		v.Training = *u.Training
	}
	if err := validVolunteer(NewVolunteer{Hub: v.Hub, Name: v.Name, Email: v.Email, Phone: v.Phone, Roles: v.Roles,
		Training: v.Training, Registered: v.Registered}); err != nil {
		return err
	}
	v.Version++
	v.UpdatedAt = now
	return nil
}

func ptrTo[T any](v T) *T { return &v }
