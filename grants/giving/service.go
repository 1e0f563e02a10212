package giving

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/id"
	"github.com/strongertogether/community/internal/idem"
)

// Service runs Local Giving campaigns over a Store: roles, Gift Aid rules,
// match funding, claims, income and reports. Every write takes a
// call.Write (actor and idempotency key scoped to them) and checks the
// actor's role first, on a retry too; a retry with the same key and
// request returns the first result, with another request ErrConflict.
// Reads of donors and declarations take a call.Actor holding RoleOfficer.
// Reports are aggregates and open.
type Service struct {
	store   Store
	now     func() time.Time
	newID   func(prefix string, now time.Time) string
	log     *slog.Logger
	limits  []Limits
	monitor Monitoring
	writes  *idem.Domain[*Batch]
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock. The default is time.Now.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithLogger sets where the Service logs: ids, never names or addresses.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithIDs sets how ids are made; f gets a prefix ("cmp", "dnr", "dec",
// "gft", "mtc", "clm") and the clock's time.
func WithIDs(f func(prefix string, now time.Time) string) Option {
	return func(s *Service) { s.newID = f }
}

// WithLimits sets HMRC's limits table (default HMRCLimits()).
func WithLimits(table []Limits) Option { return func(s *Service) { s.limits = table } }

// WithMonitoring sets where reports read the grants the campaign's fund
// made (the app wires grants to it).
func WithMonitoring(m Monitoring) Option { return func(s *Service) { s.monitor = m } }

// NewService returns a Service over store.
func NewService(store Store, opts ...Option) *Service {
	s := &Service{store: store, now: time.Now, newID: id.New,
		log: slog.New(slog.NewTextHandler(io.Discard, nil)), limits: HMRCLimits()}
	for _, o := range opts {
		o(s)
	}
	s.writes = &idem.Domain[*Batch]{
		Now:    func() time.Time { return norm(s.now()) },
		Lookup: idem.Lookup(s.store.Receipt, ErrNotFound, func(r *Receipt) (string, string) { return r.Hash, r.Result }),
		Apply: func(ctx context.Context, b *Batch, key, hash, result string, at time.Time) error {
			b.Key, b.Hash, b.Result, b.At = key, hash, result, at
			return s.store.Apply(ctx, b)
		},
		Duplicate: func(err error) bool { return errors.Is(err, ErrDuplicateKey) },
		Stale:     func(err error) bool { return errors.Is(err, ErrConflict) },
		Invalid:   func(field, reason string) error { return invalid(field, "%s", reason) },
		Reused:    func(string) error { return fieldErr(ErrConflict, "key", "the key was used for a different request") },
		Secret:    s.store.Secret,
		Taken: func() error {
			return fieldErr(ErrConflict, "admin", "the store has its first administrator already")
		},
	}
	return s
}

func do[T any](ctx context.Context, s *Service, w call.Write, op string, req any, role Role,
	build func(now time.Time) (*Batch, string, error),
	load func(ctx context.Context, result string) (T, error),
) (T, error) {
	var zero T
	if err := checkID("actor", w.Actor.ID); err != nil {
		return zero, fmt.Errorf("%s: %w", op, err)
	}
	allow := func(ctx context.Context) error { return s.role(ctx, w.Actor.ID, role) }
	v, err := idem.Do(ctx, s.writes, w, op, req, allow, build, load)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", op, err)
	}
	s.log.InfoContext(ctx, op, "actor", w.Actor.ID)
	return v, nil
}

func (s *Service) role(ctx context.Context, actor string, r Role) error {
	if err := checkID("actor", actor); err != nil {
		return err
	}
	m, err := s.store.Staff(ctx, actor)
	if errors.Is(err, ErrNotFound) {
		return fieldErr(ErrForbidden, "actor", "%s is not a member of staff", actor)
	}
	if err != nil {
		return err
	}
	if !m.Has(r) {
		return fieldErr(ErrForbidden, "actor", "%s is not an active %s", actor, r)
	}
	return nil
}

// Bootstrap makes admin the first administrator of an empty store. It
// succeeds once; every later caller gets ErrConflict.
func (s *Service) Bootstrap(ctx context.Context, admin call.Actor) error {
	if err := checkID("admin", admin.ID); err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	_, err := idem.Bootstrap(ctx, s.writes, admin, "giving.bootstrap", nil, func(now time.Time) (*Batch, string, error) {
		any, err := s.store.AnyStaff(ctx)
		if err != nil {
			return nil, "", err
		}
		if any {
			return nil, "", s.writes.Taken()
		}
		m := &Staff{ID: admin.ID, Roles: []Role{RoleAdmin}, Active: true, CreatedAt: now, CreatedBy: admin.ID, Version: 1}
		return &Batch{Staff: []*Staff{m}}, m.ID, nil
	}, func(ctx context.Context, id string) (*Staff, error) {
		if id != admin.ID {
			return nil, s.writes.Taken()
		}
		return s.store.Staff(ctx, id)
	})
	if err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	return nil
}

// AddStaff adds a member of staff with roles. Needs RoleAdmin.
func (s *Service) AddStaff(ctx context.Context, w call.Write, staffID string, roles ...Role) (*Staff, error) {
	return do(ctx, s, w, "giving.staff.add", struct {
		ID    string
		Roles []Role
	}{staffID, roles}, RoleAdmin, func(now time.Time) (*Batch, string, error) {
		if err := checkID("ID", staffID); err != nil {
			return nil, "", err
		}
		for i, r := range roles {
			if r != RoleAdmin && r != RoleOfficer {
				return nil, "", invalid(fmt.Sprintf("Roles[%d]", i), "%q is not a role", r)
			}
		}
		m := &Staff{ID: staffID, Roles: roles, Active: true, CreatedAt: now, CreatedBy: w.Actor.ID, Version: 1}
		return &Batch{Staff: []*Staff{m}}, m.ID, nil
	}, s.store.Staff)
}
