package timebank

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/idem"
)

// Admin is a time bank administrator: an officer of the council who may
// open borough banks and make other officers administrators. An
// administrator is not a member of any bank and holds no account; what a
// bank's members do is run by its coordinators.
type Admin struct {
	ID        string    // the officer's id
	GrantedAt time.Time // when they became an administrator
	GrantedBy string    // the administrator who granted it; their own id for the first
}

// Bootstrap makes admin the first administrator of an empty store: the
// officer who may open borough banks and make other officers
// administrators (GrantAdmin).
//
// It succeeds once, atomically: of any number of racing callers exactly one
// wins; a retry by the winner returns nil; every other caller, then or later,
// gets ErrConflict. Every later role is granted by someone who holds the
// right role. Errors: ErrInvalid (no admin), ErrConflict.
func (s *Service) Bootstrap(ctx context.Context, admin call.Actor) error {
	_, err := idem.Bootstrap(ctx, s.writes, admin, "timebank.bootstrap", nil, func(now time.Time) (*Batch, string, error) {
		as, err := s.store.Admins(ctx)
		if err != nil {
			return nil, "", err
		}
		if len(as) > 0 {
			return nil, "", taken()
		}
		a := &Admin{ID: admin.ID, GrantedAt: now, GrantedBy: admin.ID}
		if err := checkID("admin", a.ID); err != nil {
			return nil, "", err
		}
		return &Batch{Admins: []*Admin{a}, Events: []Event{event("", now, admin.ID, "admin.bootstrap", admin.ID, "")}}, a.ID, nil
	}, s.store.Admin)
	if err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	return nil
}

// GrantAdmin makes officer an administrator. Only an administrator may.
// Errors: ErrInvalid, ErrForbidden, ErrConflict (officer is one already).
func (s *Service) GrantAdmin(ctx context.Context, w call.Write, officer string) (*Admin, error) {
	actor := w.Actor.ID
	a, err := write(ctx, s, w, "admin.grant", officer, func(ctx context.Context) error {
		return s.admin(ctx, actor)
	}, func(now time.Time) (*Batch, string, error) {
		if err := checkID("officer", officer); err != nil {
			return nil, "", err
		}
		if _, err := s.store.Admin(ctx, officer); err == nil {
			return nil, "", fieldErr(ErrConflict, "officer", "%s is an administrator already", officer)
		} else if !errors.Is(err, ErrNotFound) {
			return nil, "", err
		}
		a := &Admin{ID: officer, GrantedAt: now, GrantedBy: actor}
		return &Batch{Admins: []*Admin{a}, Events: []Event{event("", now, actor, "admin.grant", officer, "")}}, officer, nil
	}, s.store.Admin)
	if err != nil {
		return nil, fmt.Errorf("grant admin: %w", err)
	}
	return a, nil
}

// admin checks that actor is an administrator.
func (s *Service) admin(ctx context.Context, actor string) error {
	_, err := s.store.Admin(ctx, actor)
	if errors.Is(err, ErrNotFound) {
		return fieldErr(ErrForbidden, "actor", "%s is not a time bank administrator", actor)
	}
	return err
}
