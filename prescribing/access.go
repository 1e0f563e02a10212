package prescribing

import (
	"context"
	"errors"
	"slices"
)

// staffOf reads the actor's staff record; an unknown or inactive actor is
// ErrForbidden.
func (s *Service) staffOf(ctx context.Context, actor string) (*Staff, error) {
	if actor == "" {
		return nil, invalid("actor", "is required")
	}
	m, err := s.store.Staff(ctx, actor)
	if errors.Is(err, ErrNotFound) {
		return nil, fieldErr(ErrForbidden, "actor", "%s is not a member of staff", actor)
	}
	if err != nil {
		return nil, err
	}
	if !m.Active {
		return nil, fieldErr(ErrForbidden, "actor", "%s is no longer active", actor)
	}
	return m, nil
}

// manager checks that actor is an active scheme manager.
func (s *Service) manager(ctx context.Context, actor string) (*Staff, error) {
	m, err := s.staffOf(ctx, actor)
	if err != nil {
		return nil, err
	}
	if m.Role != RoleManager {
		return nil, fieldErr(ErrForbidden, "actor", "%s is a %s; only a manager may do this", actor, m.Role)
	}
	return m, nil
}

// authorise checks that actor is active staff in one of roles (any role
// that may see patients when roles is empty), without looking at any
// record.
func (s *Service) authorise(ctx context.Context, actor string, roles []Role) (*Staff, error) {
	m, err := s.staffOf(ctx, actor)
	if err != nil {
		return nil, err
	}
	if len(roles) == 0 {
		if !m.Role.Clinical() && m.Role != RoleAdvisor {
			return nil, fieldErr(ErrForbidden, "actor", "%s is a %s and may not see patient data", actor, m.Role)
		}
	} else if !slices.Contains(roles, m.Role) {
		return nil, fieldErr(ErrForbidden, "actor", "%s is a %s; this needs %v", actor, m.Role, roles)
	}
	return m, nil
}

// atPractice checks that actor works with practice in one of roles (any
// role that may see patients when roles is empty). This is the rule for
// patient data: only the practice's clinical team and its linked advisors
// may read or change it; managers never may.
func (s *Service) atPractice(ctx context.Context, actor, practice string, roles ...Role) (*Staff, error) {
	m, err := s.authorise(ctx, actor, roles)
	if err != nil {
		return nil, err
	}
	if !m.worksWith(practice) {
		return nil, fieldErr(ErrForbidden, "actor", "%s does not work with practice %s", actor, practice)
	}
	return m, nil
}

// hidden is the one answer for a record the actor may not see, whether it
// exists or not.
func hidden(actor, kind, id string) error {
	return fieldErr(ErrForbidden, "actor", "%s may not see %s %s", actor, kind, id)
}

// onRecord checks that actor holds one of roles (see authorise) and works
// with the practice of a record, whose practice practiceOf reads. The
// roles are checked before the record is read, and an unknown record
// gives the same answer as one of another practice (hidden), so the
// answer never tells whether the record exists.
func (s *Service) onRecord(ctx context.Context, actor, kind, id string, roles []Role, practiceOf func(ctx context.Context) (string, error)) (*Staff, error) {
	m, err := s.authorise(ctx, actor, roles)
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, hidden(actor, kind, id)
	}
	p, err := practiceOf(ctx)
	if errors.Is(err, ErrNotFound) {
		return nil, hidden(actor, kind, id)
	}
	if err != nil {
		return nil, err
	}
	if !m.worksWith(p) {
		return nil, hidden(actor, kind, id)
	}
	return m, nil
}

// patientPractice returns a practiceOf for patient id.
func (s *Service) patientPractice(id string) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		p, err := s.store.Patient(ctx, id)
		if err != nil {
			return "", err
		}
		return p.Practice, nil
	}
}

// referralPractice returns a practiceOf for referral id.
func (s *Service) referralPractice(id string) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		r, err := s.store.Referral(ctx, id)
		if err != nil {
			return "", err
		}
		return r.Practice, nil
	}
}

// clinical are the roles that may refer and sit on the MDT.
var clinical = []Role{RoleGP, RolePracticeNurse, RoleCommunityMatron, RoleSocialWorker}
