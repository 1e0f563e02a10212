package hubs

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/strongertogether/community/call"
)

// AddRoom adds a bookable room to a hub. A coordinator may. It returns
// ErrForbidden, ErrUnknownHub or ErrInvalid.
func (s *Service) AddRoom(ctx context.Context, w call.Write, hub, name string) (*Room, error) {
	if err := checkText("name", name, maxName, true); err != nil {
		return nil, err
	}
	return write(ctx, s, w, "hubs.add_room", [2]string{hub, name}, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			if _, err := s.hub(ctx, hub); err != nil {
				return nil, "", err
			}
			r := &Room{ID: s.newID(), Hub: hub, Name: name, Version: 1, CreatedAt: now}
			return &Batch{Rooms: []*Room{r}}, r.ID, nil
		}, s.store.Room)
}

// Rooms returns a hub's rooms. It checks no role.
func (s *Service) Rooms(ctx context.Context, hub string) ([]*Room, error) {
	return s.store.Rooms(ctx, hub)
}

// ScheduleSurgery schedules an advice surgery in a room. One room never
// holds two surgeries whose times overlap, even when two are scheduled at
// once: the second gets ErrRoomTaken. A coordinator may. It returns
// ErrForbidden, ErrNotFound for an unknown room, ErrRoomTaken, ErrNegative
// or ErrInvalid.
func (s *Service) ScheduleSurgery(ctx context.Context, w call.Write, in NewSurgery) (*Surgery, error) {
	if err := checkText("Title", in.Title, maxName, true); err != nil {
		return nil, err
	}
	if err := checkText("Provider", in.Provider, maxName, false); err != nil {
		return nil, err
	}
	if err := checkCount("Capacity", in.Capacity); err != nil {
		return nil, err
	}
	if err := checkCount("SlotMinutes", in.SlotMinutes); err != nil {
		return nil, err
	}
	in.Starts, in.Ends = in.Starts.UTC().Truncate(time.Minute), in.Ends.UTC().Truncate(time.Minute)
	switch {
	case in.Starts.IsZero() || !in.Ends.After(in.Starts):
		return nil, invalid("Ends", "a surgery ends after it starts")
	case in.Ends.Sub(in.Starts) > 24*time.Hour:
		return nil, invalid("Ends", "a surgery lasts at most a day")
	case in.SlotMinutes == 0 || in.Capacity == 0:
		return nil, invalid("SlotMinutes", "a surgery has slots of at least a minute with at least one place")
	case in.Ends.Sub(in.Starts)%(time.Duration(in.SlotMinutes)*time.Minute) != 0:
		return nil, invalid("SlotMinutes", "%d minutes do not divide the surgery's length", in.SlotMinutes)
	case in.Capacity > 1000:
		return nil, invalid("Capacity", "is over 1000 places a slot")
	}
	return write(ctx, s, w, "hubs.schedule_surgery", in, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			r, err := get(ctx, s.store.Room, "Room", in.Room)
			if err != nil {
				return nil, "", err
			}
			others, err := s.store.RoomSurgeries(ctx, r.ID)
			if err != nil {
				return nil, "", err
			}
			for _, o := range others {
				if o.Starts.Before(in.Ends) && in.Starts.Before(o.Ends) {
					return nil, "", fieldErr(ErrRoomTaken, "Starts", "the room holds surgery %s from %s to %s", o.ID,
						o.Starts.Format(time.DateTime), o.Ends.Format("15:04"))
				}
			}
			x := &Surgery{ID: s.newID(), Hub: r.Hub, Room: r.ID, Title: in.Title, Provider: in.Provider, Starts: in.Starts, Ends: in.Ends,
				SlotMinutes: in.SlotMinutes, Capacity: in.Capacity, Version: 1, CreatedAt: now}
			x.Booked = make([]int64, x.Slots())
			// The room's version is bumped with every surgery it gets, so
			// two schedules built from the same reads cannot both commit.
			r.Version++
			return &Batch{Rooms: []*Room{r}, Surgeries: []*Surgery{x}}, x.ID, nil
		}, s.store.Surgery)
}

// Surgery returns a surgery with its places booked per slot and drop-ins:
// counts only, no personal data. It checks no role.
func (s *Service) Surgery(ctx context.Context, id string) (*Surgery, error) {
	return get(ctx, s.store.Surgery, "surgery", id)
}

// Surgeries returns the surgeries starting in a span. It checks no role.
func (s *Service) Surgeries(ctx context.Context, sp Span) ([]*Surgery, error) {
	return s.store.Surgeries(ctx, sp)
}

// Book books a place in a surgery's slot for a person. A slot is never
// booked beyond its capacity, even when two people book at once: the
// later gets ErrSlotFull. A slot that has started is ErrSlotPast. A
// coordinator may. It returns ErrForbidden, ErrNotFound, ErrSlotFull,
// ErrSlotPast or ErrInvalid; and, rarely, ErrConflict when many people
// book the same surgery at once and the write lost its race more often
// than the Service rebuilds it (about 4 in 100 bookings when every core
// books into one surgery at once on SQLite, in BenchmarkConcurrentBooking):
// nothing was booked, and the same call with the same key may simply be
// sent again.
func (s *Service) Book(ctx context.Context, w call.Write, in NewBooking) (*Booking, error) {
	if err := validPerson(in.Name, in.Contact); err != nil {
		return nil, err
	}
	return write(ctx, s, w, "hubs.book", in, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			x, err := get(ctx, s.store.Surgery, "Surgery", in.Surgery)
			if err != nil {
				return nil, "", err
			}
			bk, err := s.place(x, in.Slot, in.Name, in.Contact, "", now)
			if err != nil {
				return nil, "", err
			}
			return &Batch{Surgeries: []*Surgery{x}, Bookings: []*Booking{bk}}, bk.ID, nil
		}, s.store.Booking)
}

// place books slot of x (bumping its version) for a person.
func (s *Service) place(x *Surgery, slot int, name, contact, waiting string, now time.Time) (*Booking, error) {
	if slot < 0 || slot >= len(x.Booked) {
		return nil, invalid("Slot", "%d: the surgery has slots 0 to %d", slot, len(x.Booked)-1)
	}
	if !x.SlotStart(slot).After(now) {
		return nil, fieldErr(ErrSlotPast, "Slot", "slot %d started at %s", slot, x.SlotStart(slot).Format(time.DateTime))
	}
	if x.Booked[slot] >= x.Capacity {
		return nil, fieldErr(ErrSlotFull, "Slot", "all %d places of slot %d are booked", x.Capacity, slot)
	}
	x.Booked[slot]++
	x.Version++
	return &Booking{ID: s.newID(), Hub: x.Hub, Surgery: x.ID, Slot: slot, Name: name, Contact: contact, Status: Booked,
		Waiting: waiting, Version: 1, CreatedAt: now, UpdatedAt: now}, nil
}

func validPerson(name, contact string) error {
	if err := checkText("Name", name, maxName, true); err != nil {
		return err
	}
	return checkText("Contact", contact, maxName, false)
}

// CancelBooking cancels a booking. Its place goes to the first person
// still on the surgery's waiting list, who is booked into it. A
// coordinator may. It returns ErrForbidden, ErrNotFound, or ErrInvalid
// for a booking not booked.
func (s *Service) CancelBooking(ctx context.Context, w call.Write, id string) (*Booking, error) {
	return write(ctx, s, w, "hubs.cancel_booking", id, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			bk, err := get(ctx, s.store.Booking, "booking", id)
			if err != nil {
				return nil, "", err
			}
			if bk.Status != Booked {
				return nil, "", invalid("booking", "is %s, not booked", bk.Status)
			}
			x, err := get(ctx, s.store.Surgery, "surgery", bk.Surgery)
			if err != nil {
				return nil, "", err
			}
			bk.Status = Cancelled
			bk.Version++
			bk.UpdatedAt = now
			x.Booked[bk.Slot]--
			x.Version++
			b := &Batch{Surgeries: []*Surgery{x}, Bookings: []*Booking{bk}}
			if x.SlotStart(bk.Slot).After(now) {
				list, err := s.store.WaitingList(ctx, x.ID)
				if err != nil {
					return nil, "", err
				}
				for _, wt := range list {
					if wt.Booking != "" || wt.Erased {
						continue
					}
					x.Version-- // place bumps it again
					nb, err := s.place(x, bk.Slot, wt.Name, wt.Contact, wt.ID, now)
					if err != nil {
						return nil, "", err
					}
					wt.Booking = nb.ID
					wt.Version++
					b.Bookings = append(b.Bookings, nb)
					b.Waiting = append(b.Waiting, wt)
					break
				}
			}
			return b, bk.ID, nil
		}, s.store.Booking)
}

// MarkAttended records that the person came to their booking. A recorder
// may; since a recorder reads no personal data, it returns the booking's
// id and status only. It returns ErrForbidden, ErrNotFound or ErrInvalid
// for a booking not booked.
func (s *Service) MarkAttended(ctx context.Context, w call.Write, id string) (*Booking, error) {
	_, err := write(ctx, s, w, "hubs.mark_attended", id, s.may(w.Actor, RoleRecorder),
		func(now time.Time) (*Batch, string, error) {
			bk, err := get(ctx, s.store.Booking, "booking", id)
			if err != nil {
				return nil, "", err
			}
			if bk.Status != Booked {
				return nil, "", invalid("booking", "is %s, not booked", bk.Status)
			}
			bk.Status = Attended
			bk.Version++
			bk.UpdatedAt = now
			return &Batch{Bookings: []*Booking{bk}}, bk.ID, nil
		}, func(context.Context, string) (struct{}, error) { return struct{}{}, nil })
	if err != nil {
		return nil, err
	}
	return &Booking{ID: id, Status: Attended}, nil
}

// JoinWaitingList puts a person on a surgery's waiting list. A
// coordinator may. It returns ErrForbidden, ErrNotFound or ErrInvalid.
func (s *Service) JoinWaitingList(ctx context.Context, w call.Write, surgery, name, contact string) (*Waiting, error) {
	if err := validPerson(name, contact); err != nil {
		return nil, err
	}
	return write(ctx, s, w, "hubs.join_waiting", [3]string{surgery, name, contact}, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			x, err := get(ctx, s.store.Surgery, "surgery", surgery)
			if err != nil {
				return nil, "", err
			}
			wt := &Waiting{ID: s.newID(), Hub: x.Hub, Surgery: x.ID, Name: name, Contact: contact, Version: 1, CreatedAt: now}
			return &Batch{Waiting: []*Waiting{wt}}, wt.ID, nil
		}, s.store.Waiting)
}

// RecordDropIns adds n people seen at a surgery without a booking. A
// recorder may. It returns ErrForbidden, ErrNotFound or ErrNegative.
func (s *Service) RecordDropIns(ctx context.Context, w call.Write, surgery string, n int64) (*Surgery, error) {
	if err := checkCount("n", n); err != nil {
		return nil, err
	}
	return write(ctx, s, w, "hubs.record_dropins", fmt.Sprint(surgery, "/", n), s.may(w.Actor, RoleRecorder),
		func(now time.Time) (*Batch, string, error) {
			x, err := get(ctx, s.store.Surgery, "surgery", surgery)
			if err != nil {
				return nil, "", err
			}
			x.DropIns += n
			x.Version++
			return &Batch{Surgeries: []*Surgery{x}}, x.ID, nil
		}, s.store.Surgery)
}

// Booking returns a booking with the booker's name and contact. A
// coordinator may; anyone else gets ErrForbidden, whether or not it
// exists.
func (s *Service) Booking(ctx context.Context, a call.Actor, id string) (*Booking, error) {
	if err := s.check(ctx, a, RoleCoordinator); err != nil {
		return nil, err
	}
	return get(ctx, s.store.Booking, "booking", id)
}

// Bookings returns a surgery's bookings. A coordinator may; anyone else
// gets ErrForbidden.
func (s *Service) Bookings(ctx context.Context, a call.Actor, surgery string) ([]*Booking, error) {
	if err := s.check(ctx, a, RoleCoordinator); err != nil {
		return nil, err
	}
	return s.store.Bookings(ctx, surgery)
}

// WaitingList returns a surgery's waiting list, first come first. A
// coordinator may; anyone else gets ErrForbidden.
func (s *Service) WaitingList(ctx context.Context, a call.Actor, surgery string) ([]*Waiting, error) {
	if err := s.check(ctx, a, RoleCoordinator); err != nil {
		return nil, err
	}
	list, err := s.store.WaitingList(ctx, surgery)
	return slices.Clip(list), err
}
