package grants

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/strongertogether/community/call"
)

// Fund returns the fund with the given id. A fund holds no personal data
// (only staff ids), so it checks no role. Errors: ErrInvalid, ErrNotFound.
func (s *Service) Fund(ctx context.Context, id string) (*Fund, error) {
	if err := checkID("id", id); err != nil {
		return nil, fmt.Errorf("fund: %w", err)
	}
	f, err := s.store.Fund(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("fund %s: %w", id, err)
	}
	return f, nil
}

// Funds returns funds ordered by id. It checks no role.
func (s *Service) Funds(ctx context.Context, f FundFilter) ([]*Fund, error) {
	out, err := s.store.Funds(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("funds: %w", err)
	}
	return out, nil
}

// Round returns the round with the given id. It checks no role. Errors:
// ErrInvalid, ErrNotFound.
func (s *Service) Round(ctx context.Context, id string) (*Round, error) {
	if err := checkID("id", id); err != nil {
		return nil, fmt.Errorf("round: %w", err)
	}
	r, err := s.store.Round(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("round %s: %w", id, err)
	}
	return r, nil
}

// Rounds returns rounds ordered by Opens, then id. It checks no role.
// Errors: ErrInvalid (a malformed filter).
func (s *Service) Rounds(ctx context.Context, f RoundFilter) ([]*Round, error) {
	if err := checkText("Fund", f.Fund, MaxID); err != nil {
		return nil, fmt.Errorf("rounds: %w", err)
	}
	out, err := s.store.Rounds(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("rounds: %w", err)
	}
	return out, nil
}

// Staff returns a member of staff. An admin may read anyone; a member of
// staff may read themself. Errors: ErrInvalid, ErrForbidden, ErrNotFound.
func (s *Service) Staff(ctx context.Context, a call.Actor, id string) (*Staff, error) {
	if err := checkID("id", id); err != nil {
		return nil, fmt.Errorf("staff: %w", err)
	}
	if a.ID != id {
		if _, err := s.staff(ctx, a.ID, RoleAdmin); err != nil {
			return nil, fmt.Errorf("staff %s: %w", id, err)
		}
	}
	m, err := s.store.Staff(ctx, id)
	if errors.Is(err, ErrNotFound) && a.ID == id {
		err = fieldErr(ErrForbidden, "actor", "%s is not a member of staff", id)
	}
	if err != nil {
		return nil, fmt.Errorf("staff %s: %w", id, err)
	}
	return m, nil
}

// StaffList returns staff ordered by id. Only an admin may. Errors:
// ErrForbidden.
func (s *Service) StaffList(ctx context.Context, a call.Actor, f StaffFilter) ([]*Staff, error) {
	if _, err := s.staff(ctx, a.ID, RoleAdmin); err != nil {
		return nil, fmt.Errorf("staff: %w", err)
	}
	out, err := s.store.StaffList(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("staff: %w", err)
	}
	return out, nil
}

// reader reports whether actor may read every application: an officer or
// a panel member.
func (s *Service) reader(ctx context.Context, actor string) bool {
	return s.isStaff(ctx, actor, RoleOfficer) || s.isStaff(ctx, actor, RolePanel)
}

// Application returns an application: its applicant's details, the text
// they wrote and the panel's scores. Officers and panel members may read
// any application; its owner may read their own. Anyone else gets
// ErrForbidden, whether or not the application exists. Errors:
// ErrInvalid, ErrForbidden, ErrNotFound (to staff).
func (s *Service) Application(ctx context.Context, a call.Actor, id string) (*Application, error) {
	app, err := s.application(ctx, a, id)
	if err != nil {
		return nil, fmt.Errorf("application %s: %w", id, err)
	}
	return app, nil
}

// application reads id for a, checking a may read it.
func (s *Service) application(ctx context.Context, a call.Actor, id string) (*Application, error) {
	if err := checkID("actor", a.ID); err != nil {
		return nil, err
	}
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	if s.reader(ctx, a.ID) {
		return s.store.Application(ctx, id)
	}
	app, err := s.store.Application(ctx, id)
	if errors.Is(err, ErrNotFound) || err == nil && app.Owner != a.ID {
		return nil, fieldErr(ErrForbidden, "actor", "%s may not read application %s", a.ID, id)
	}
	return app, err
}

// Applications returns applications ordered by CreatedAt, then id,
// selected by f: by fund, round, year, status or applicant (Owner).
// Officers and panel members may list any; anyone else only their own,
// with f.Owner set to their id (ErrForbidden otherwise). Errors:
// ErrInvalid, ErrForbidden.
func (s *Service) Applications(ctx context.Context, a call.Actor, f ApplicationFilter) ([]*Application, error) {
	if err := checkID("actor", a.ID); err != nil {
		return nil, fmt.Errorf("applications: %w", err)
	}
	if !s.reader(ctx, a.ID) && f.Owner != a.ID {
		return nil, fmt.Errorf("applications: %w", fieldErr(ErrForbidden, "actor", "%s may list only their own applications (Owner)", a.ID))
	}
	for _, v := range []string{f.Fund, f.Round, f.Owner, f.Idea} {
		if err := checkText("filter", v, MaxReason); err != nil {
			return nil, fmt.Errorf("applications: %w", err)
		}
	}
	for _, st := range f.Status {
		if _, ok := transitions[st]; !ok && st != Declined && st != Withdrawn && st != Closed {
			return nil, fmt.Errorf("applications: %w", invalid("Status", "%q is not a status", st))
		}
	}
	f.Status = slices.Clone(f.Status)
	out, err := s.store.Applications(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("applications: %w", err)
	}
	return out, nil
}

// History returns an application's audit trail, oldest first: who moved
// it, when, and the notes they gave. An officer or the application's owner
// may read it. Errors: ErrInvalid, ErrForbidden, ErrNotFound.
func (s *Service) History(ctx context.Context, a call.Actor, appID string) ([]Event, error) {
	if err := checkID("id", appID); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	if err := checkID("actor", a.ID); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	if !s.isStaff(ctx, a.ID, RoleOfficer) {
		if err := s.owns(a.ID, appID, false)(ctx); err != nil {
			return nil, fmt.Errorf("history of %s: %w", appID, err)
		}
	}
	ev, err := s.store.Events(ctx, EventFilter{Subject: appID})
	if err != nil {
		return nil, fmt.Errorf("history of %s: %w", appID, err)
	}
	return ev, nil
}

// Events returns the audit trail oldest first, selected by f: a fund's,
// an application's, and with f.After only what followed the Seq a reader
// saw last (so a feed to a CRM resumes where it stopped). Only an officer
// may read it, as it holds who changed what and their notes. Errors:
// ErrInvalid, ErrForbidden.
func (s *Service) Events(ctx context.Context, a call.Actor, f EventFilter) ([]Event, error) {
	if err := checkID("actor", a.ID); err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	if f.After < 0 || f.Offset < 0 || f.Limit < 0 {
		return nil, fmt.Errorf("events: %w", &FieldError{Field: "EventFilter", Reason: "After, Offset and Limit must not be negative"})
	}
	if _, err := s.staff(ctx, a.ID, RoleOfficer); err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	ev, err := s.store.Events(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	return ev, nil
}

// Eligibility evaluates the fund's rules against an application, without
// changing anything. Whoever may read the application (see Application)
// may. Errors: ErrInvalid, ErrForbidden, ErrNotFound.
func (s *Service) Eligibility(ctx context.Context, a call.Actor, appID string) (*Eligibility, error) {
	app, err := s.application(ctx, a, appID)
	if err != nil {
		return nil, fmt.Errorf("eligibility of %s: %w", appID, err)
	}
	f, err := s.store.Fund(ctx, app.Fund)
	if err != nil {
		return nil, fmt.Errorf("eligibility of %s: %w", appID, err)
	}
	e, err := s.evaluate(ctx, app, f)
	if err != nil {
		return nil, fmt.Errorf("eligibility of %s: %w", appID, err)
	}
	return &e, nil
}
