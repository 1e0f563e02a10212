package dementia

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/strongertogether/community/call"
)

// MemberID returns the id an organisation of that name has as a member:
// its name in lower case, words joined by "-". Two spellings that differ
// only in case, spaces or punctuation are the same organisation.
func MemberID(name string) string {
	words := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return "mem-" + strings.Join(words, "-")
}

func (m NewMember) check() error {
	if err := checkText("Name", m.Name, maxName, true); err != nil {
		return err
	}
	if MemberID(m.Name) == "mem-" {
		return invalid("Name", "holds no letters or digits")
	}
	if !slices.Contains(Sectors(), m.Sector) {
		return invalid("Sector", "%q is not a sector", m.Sector)
	}
	if len(m.Areas) == 0 || len(m.Areas) > len(Areas()) {
		return invalid("Areas", "name from 1 to %d PAS 1365 areas", len(Areas()))
	}
	for i, a := range m.Areas {
		if !a.Valid() {
			return fieldErr(ErrUnknownArea, fmt.Sprintf("Areas[%d]", i), "%q is not a PAS 1365 area", a)
		}
	}
	if len(m.Wards) > maxWards {
		return invalid("Wards", "names %d wards; at most %d", len(m.Wards), maxWards)
	}
	for i, w := range m.Wards {
		if err := checkText(fmt.Sprintf("Wards[%d]", i), w, maxName, true); err != nil {
			return err
		}
		if slices.Contains(m.Wards[:i], w) {
			return invalid(fmt.Sprintf("Wards[%d]", i), "%q is named twice", w)
		}
	}
	for f, v := range map[string]string{"Contact.Name": m.Contact.Name, "Contact.Email": m.Contact.Email, "Contact.Phone": m.Contact.Phone} {
		if err := checkText(f, v, maxName, false); err != nil {
			return err
		}
	}
	return checkDate("Joined", m.Joined)
}

// Join makes an organisation a member of the alliance. Only a coordinator
// may. An organisation of the same name (see MemberID) is
// ErrDuplicateMember, also when two joins race.
func (s *Service) Join(ctx context.Context, w call.Write, m NewMember) (*Member, error) {
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("dementia.join: %w", err)
	}
	m.Areas = slices.Clone(m.Areas)
	m.Wards = slices.Clone(m.Wards)
	mid := MemberID(m.Name)
	return write(ctx, s, w, "dementia.join", m, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			_, err := s.store.Member(ctx, mid)
			switch {
			case err == nil:
				return nil, "", fieldErr(ErrDuplicateMember, "Name", "%s is a member already", mid)
			case !errors.Is(err, ErrNotFound):
				return nil, "", err
			}
			mem := &Member{ID: mid, Name: m.Name, Sector: m.Sector, Areas: m.Areas, Wards: m.Wards, Contact: m.Contact, Joined: day(m.Joined),
				Version: 1, CreatedAt: now, UpdatedAt: now}
			return &Batch{Members: []*Member{mem}}, mid, nil
		}, s.store.Member)
}

// Member returns a member with its contact. Only a coordinator may read it.
func (s *Service) Member(ctx context.Context, a call.Actor, id string) (*Member, error) {
	if err := s.check(ctx, a, RoleCoordinator); err != nil {
		return nil, fmt.Errorf("dementia.member: %w", err)
	}
	m, err := get(ctx, s.store.Member, "member", id)
	if err != nil {
		return nil, fmt.Errorf("dementia.member: %w", err)
	}
	return m, nil
}

// Members returns every member, by the day it joined. Only a coordinator
// may read them.
func (s *Service) Members(ctx context.Context, a call.Actor) ([]*Member, error) {
	if err := s.check(ctx, a, RoleCoordinator); err != nil {
		return nil, fmt.Errorf("dementia.members: %w", err)
	}
	return s.store.Members(ctx)
}

// AddAction adds an action to a member's plan. Only a coordinator may.
func (s *Service) AddAction(ctx context.Context, w call.Write, a NewAction) (*Action, error) {
	switch {
	case a.Member == "":
		return nil, invalid("Member", "is required")
	case a.Due.IsZero():
		return nil, invalid("Due", "is required")
	}
	if err := checkText("Title", a.Title, maxName, true); err != nil {
		return nil, err
	}
	if err := checkText("Owner", a.Owner, maxName, true); err != nil {
		return nil, err
	}
	return write(ctx, s, w, "dementia.action", a, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			m, err := get(ctx, s.store.Member, "Member", a.Member)
			if err != nil {
				return nil, "", err
			}
			if m.Erased {
				return nil, "", fieldErr(ErrNotFound, "Member", "%s was erased", m.ID)
			}
			act := &Action{ID: s.newID("act"), Member: a.Member, Title: a.Title, Owner: a.Owner, Due: day(a.Due), Status: StatusPlanned,
				Version: 1, CreatedAt: now, UpdatedAt: now}
			return &Batch{Actions: []*Action{act}}, act.ID, nil
		}, s.store.Action)
}

// Action returns an action with its owner. Only a coordinator may read it.
func (s *Service) Action(ctx context.Context, a call.Actor, id string) (*Action, error) {
	if err := s.check(ctx, a, RoleCoordinator); err != nil {
		return nil, fmt.Errorf("dementia.action: %w", err)
	}
	return get(ctx, s.store.Action, "action", id)
}

// Actions returns a member's action plan ("" for every member's), by due
// date. Only a coordinator may read it.
func (s *Service) Actions(ctx context.Context, a call.Actor, member string) ([]*Action, error) {
	if err := s.check(ctx, a, RoleCoordinator); err != nil {
		return nil, fmt.Errorf("dementia.actions: %w", err)
	}
	return s.store.Actions(ctx, member)
}

// UpdateAction records progress on an action, dated by the clock. Only a
// coordinator may. An unknown action is ErrUnknownAction.
func (s *Service) UpdateAction(ctx context.Context, w call.Write, id string, u ActionUpdate) (*Action, error) {
	if u.Status != nil && !slices.Contains([]Status{StatusPlanned, StatusInProgress, StatusDone, StatusDropped}, *u.Status) {
		return nil, invalid("Status", "%q is not a status", *u.Status)
	}
	if err := checkText("Note", u.Note, maxText, u.Status == nil); err != nil {
		return nil, err
	}
	return write(ctx, s, w, "dementia.progress", struct {
		ID string
		U  ActionUpdate
	}{id, u}, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			act, err := s.store.Action(ctx, id)
			if errors.Is(err, ErrNotFound) {
				return nil, "", fieldErr(ErrUnknownAction, "action", "%s is not an action", id)
			}
			if err != nil {
				return nil, "", err
			}
			p := Progress{On: now, Status: act.Status, Note: u.Note, By: w.Actor.ID}
			if u.Status != nil {
				p.Status = *u.Status
			}
			act.Status = p.Status
			act.Progress = append(act.Progress, p)
			act.Version++
			act.UpdatedAt = now
			return &Batch{Actions: []*Action{act}}, act.ID, nil
		}, s.store.Action)
}

// RecordMeeting records a meeting of the alliance and who attended. Only
// a coordinator may; every attendee must be a member.
func (s *Service) RecordMeeting(ctx context.Context, w call.Write, m NewMeeting) (*Meeting, error) {
	if err := checkDate("On", m.On); err != nil {
		return nil, err
	}
	if err := checkText("Title", m.Title, maxName, true); err != nil {
		return nil, err
	}
	if len(m.Attended) > 10*maxList {
		return nil, invalid("Attended", "has more than %d members", 10*maxList)
	}
	m.Attended = slices.Clone(m.Attended)
	slices.Sort(m.Attended)
	m.Attended = slices.Compact(m.Attended)
	return write(ctx, s, w, "dementia.meeting", m, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			for i, id := range m.Attended {
				if _, err := get(ctx, s.store.Member, fmt.Sprintf("Attended[%d]", i), id); err != nil {
					return nil, "", err
				}
			}
			mt := &Meeting{ID: s.newID("mtg"), On: day(m.On), Title: m.Title, Attended: m.Attended, Version: 1, CreatedAt: now}
			return &Batch{Meetings: []*Meeting{mt}}, mt.ID, nil
		}, func(ctx context.Context, id string) (*Meeting, error) {
			all, err := s.store.Meetings(ctx)
			if err != nil {
				return nil, err
			}
			for _, mt := range all {
				if mt.ID == id {
					return mt, nil
				}
			}
			return nil, fmt.Errorf("meeting %s: %w", id, ErrNotFound)
		})
}

// Meetings returns the alliance's meetings, by date. Attendance names
// organisations, not people, so it is open.
func (s *Service) Meetings(ctx context.Context) ([]*Meeting, error) { return s.store.Meetings(ctx) }

// AssessMember records that a member completed its annual
// self-assessment on a day. Only a coordinator may.
func (s *Service) AssessMember(ctx context.Context, w call.Write, id string, on time.Time) (*Member, error) {
	if err := checkDate("On", on); err != nil {
		return nil, err
	}
	on = day(on)
	return write(ctx, s, w, "dementia.member.assess", struct {
		ID string
		On time.Time
	}{id, on}, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			m, err := get(ctx, s.store.Member, "member", id)
			if err != nil {
				return nil, "", err
			}
			if on.Before(m.Joined) {
				return nil, "", invalid("On", "is before the member joined")
			}
			m.Assessed = append(m.Assessed, on)
			slices.SortFunc(m.Assessed, time.Time.Compare)
			m.Version++
			m.UpdatedAt = now
			return &Batch{Members: []*Member{m}}, m.ID, nil
		}, s.store.Member)
}

// EraseMember blanks a member's contact and the owners of its actions
// (and any progress note naming either),
// everywhere the store keeps them; the organisation, its plan and its
// progress stay, so the alliance's figures do not change. Only a
// coordinator may.
func (s *Service) EraseMember(ctx context.Context, w call.Write, id string) (*Member, error) {
	return write(ctx, s, w, "dementia.erase", id, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			m, err := get(ctx, s.store.Member, "member", id)
			if err != nil {
				return nil, "", err
			}
			acts, err := s.store.Actions(ctx, id)
			if err != nil {
				return nil, "", err
			}
			b := &Batch{Erase: true}
			names := []string{m.Contact.Name, m.Contact.Email, m.Contact.Phone}
			m.Contact, m.Erased = Contact{}, true
			m.Version++
			m.UpdatedAt = now
			b.Members = append(b.Members, m)
			for _, a := range acts {
				names = append(names, a.Owner)
				a.Owner = ""
				for i, p := range a.Progress {
					if mentions(p.Note, names) {
						a.Progress[i].Note = ErasedNote
					}
				}
				a.Version++
				a.UpdatedAt = now
				b.Actions = append(b.Actions, a)
			}
			return b, id, nil
		}, s.store.Member)
}

// ErasedNote replaces a progress note that named an erased contact or
// action owner.
const ErasedNote = "(erased)"

// mentions reports whether text holds any of the non-empty names.
func mentions(text string, names []string) bool {
	for _, n := range names {
		if strings.TrimSpace(n) != "" && strings.Contains(strings.ToLower(text), strings.ToLower(n)) {
			return true
		}
	}
	return false
}

// ActionRef names an overdue action without its owner.
type ActionRef struct {
	ID     string
	Member string
	Title  string
	Due    time.Time
	Status Status
}

// Due says where a dated obligation stands on a day.
type Due string

// The states of an obligation.
const (
	DueNotYet Due = "not-yet" // due in more than DueSoon
	DueSoon   Due = "due"     // due within the next 30 days
	DueLate   Due = "late"    // past its date
)

// dueWindow is how long before its date an obligation is "due".
const dueWindow = 30 * 24 * time.Hour

func dueState(on, date time.Time) Due {
	switch {
	case !on.Before(date):
		return DueLate
	case date.Sub(on) <= dueWindow:
		return DueSoon
	}
	return DueNotYet
}

// CommunityDue is a community whose update or self-assessment is due or
// late.
type CommunityDue struct {
	Community string
	What      string // "update" (the 6-month update) or "assessment"
	Date      time.Time
	State     Due
}

// Silent is a member that has not reported progress in 6 months.
type Silent struct {
	Member       string
	LastReported time.Time // zero when it never has
}

// MemberDue is a member whose annual self-assessment is due or late.
type MemberDue struct {
	Member string
	Date   time.Time
	State  Due
}

// CoordinatorView is what the coordinator acts on, on a day: overdue
// actions, members that have not reported in 6 months, members whose
// annual self-assessment is due or late, and communities whose 6-month
// update or annual self-assessment is due or late.
type CoordinatorView struct {
	On         time.Time
	Overdue    []ActionRef
	Silent     []Silent
	Assessment []MemberDue
	Due        []CommunityDue
}

// Coordinator returns the coordinator's view on the clock's day. It
// names organisations and actions, never people, but only a coordinator
// may read it.
func (s *Service) Coordinator(ctx context.Context, a call.Actor) (*CoordinatorView, error) {
	if err := s.check(ctx, a, RoleCoordinator); err != nil {
		return nil, fmt.Errorf("dementia.coordinator: %w", err)
	}
	today := day(s.clock())
	members, err := s.store.Members(ctx)
	if err != nil {
		return nil, err
	}
	acts, err := s.store.Actions(ctx, "")
	if err != nil {
		return nil, err
	}
	comms, err := s.store.Communities(ctx)
	if err != nil {
		return nil, err
	}
	v := Overdue(today, members, acts)
	v.Due = communitiesDue(today, comms)
	return v, nil
}

// Overdue computes the alliance part of the coordinator's view on a day
// from members and their actions: actions past their due date and not
// done nor dropped, members whose last progress update (or, if none, the
// day they joined) is 6 months or more before the day, and members whose
// annual self-assessment (before each anniversary of joining) is due
// within 30 days or late.
func Overdue(on time.Time, members []*Member, actions []*Action) *CoordinatorView {
	v := &CoordinatorView{On: on, Overdue: []ActionRef{}, Silent: []Silent{}, Assessment: []MemberDue{}, Due: []CommunityDue{}}
	last := make(map[string]time.Time, len(members))
	for _, a := range actions {
		if a.Due.Before(on) && a.Status != StatusDone && a.Status != StatusDropped {
			v.Overdue = append(v.Overdue, ActionRef{ID: a.ID, Member: a.Member, Title: a.Title, Due: a.Due, Status: a.Status})
		}
		if n := len(a.Progress); n > 0 && a.Progress[n-1].On.After(last[a.Member]) {
			last[a.Member] = a.Progress[n-1].On
		}
	}
	cut := on.AddDate(0, -6, 0)
	for _, m := range members {
		l := last[m.ID]
		since := l
		if since.IsZero() {
			since = m.Joined
		}
		if !since.After(cut) {
			v.Silent = append(v.Silent, Silent{Member: m.ID, LastReported: l})
		}
		if date, st := annual(m.Joined, m.Assessed, on); st == DueSoon || st == DueLate {
			v.Assessment = append(v.Assessment, MemberDue{Member: m.ID, Date: date, State: st})
		}
	}
	return v
}

// Tally counts members and actions.
type Tally struct {
	Members int
	Actions int
	Done    int
	Overdue int
}

// MembershipReport is the alliance's membership and action progress by
// sector and by PAS 1365 area, on a day. A member in several areas counts
// in each.
type MembershipReport struct {
	On       time.Time
	Total    Tally
	BySector map[Sector]Tally
	ByArea   map[Area]Tally
}

// Membership returns the membership report on the clock's day. It holds
// counts only and is open.
func (s *Service) Membership(ctx context.Context) (*MembershipReport, error) {
	members, err := s.store.Members(ctx)
	if err != nil {
		return nil, err
	}
	acts, err := s.store.Actions(ctx, "")
	if err != nil {
		return nil, err
	}
	on := day(s.clock())
	r := &MembershipReport{On: on, BySector: map[Sector]Tally{}, ByArea: map[Area]Tally{}}
	per := map[string]Tally{}
	for _, a := range acts {
		t := per[a.Member]
		t.Actions++
		if a.Status == StatusDone {
			t.Done++
		} else if a.Due.Before(on) && a.Status != StatusDropped {
			t.Overdue++
		}
		per[a.Member] = t
	}
	add := func(t, u Tally) Tally {
		return Tally{Members: t.Members + 1, Actions: t.Actions + u.Actions, Done: t.Done + u.Done, Overdue: t.Overdue + u.Overdue}
	}
	for _, m := range members {
		u := per[m.ID]
		r.Total = add(r.Total, u)
		r.BySector[m.Sector] = add(r.BySector[m.Sector], u)
		for _, a := range m.Areas {
			r.ByArea[a] = add(r.ByArea[a], u)
		}
	}
	return r, nil
}
