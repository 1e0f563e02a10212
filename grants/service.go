package grants

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/id"
	"github.com/strongertogether/community/internal/idem"
)

// Service runs grant funds: it holds the rules — roles, the application
// state machine, eligibility, panel scoring, budgets and payments — and
// keeps them over a Store. It is safe for concurrent use as far as its
// Store is.
//
// Every write takes a call.Write: the actor (a staff id, or the
// applicant's user id) and the caller's idempotency key, scoped to that
// actor. The actor's authority is checked first, before anything that could
// reveal a record's state, and again on a retry: a retry with the same key
// and request returns the first result without writing again, if the actor
// may still make the request (ErrForbidden otherwise); the same key with a
// different request is ErrConflict. Every write is recorded in the audit
// trail with the actor and the clock's time.
//
// Reads that return personal data (applicants' names and contacts,
// supporters' names, free text, staff names, the audit trail) take the
// call.Actor and check their role as writes do. Funds, rounds and reports
// hold no personal data and are open.
type Service struct {
	store  Store
	now    func() time.Time
	newID  func(prefix string, now time.Time) string
	log    *slog.Logger
	writes *idem.Domain[*Batch]
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock the Service reads the time from. The default is
// time.Now. Times are kept to the microsecond, in UTC.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithLogger sets where the Service logs. It logs ids, never names or
// contact details. The default discards.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithIDs sets how the Service makes ids for new records, for example to
// make them predictable in examples. f gets a short prefix ("fund",
// "rnd", "app", "stf", "pay") and the clock's time. The default makes
// unique, roughly time-ordered ids.
func WithIDs(f func(prefix string, now time.Time) string) Option {
	return func(s *Service) { s.newID = f }
}

// NewService returns a Service over store.
func NewService(store Store, opts ...Option) *Service {
	s := &Service{
		store: store,
		now:   time.Now,
		newID: id.New,
		log:   slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, o := range opts {
		o(s)
	}
	s.writes = s.domain()
	return s
}

func (s *Service) clock() time.Time { return norm(s.now()) }

func norm(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// do runs one idempotent write sent by w (internal/idem): allow checks,
// first and on every retry, that w's actor may make the request; build
// reads what it needs and returns the batch and the id of its result; load
// reads the result back. A batch the store refuses as stale is rebuilt
// from fresh reads; an error found while building is final.
func do[T any](ctx context.Context, s *Service, w call.Write, op string, req any,
	allow func(ctx context.Context) error,
	build func(now time.Time) (*Batch, string, error),
	load func(ctx context.Context, result string) (T, error),
) (T, error) {
	var zero T
	if err := checkID("actor", w.Actor.ID); err != nil {
		return zero, err
	}
	v, err := idem.Do(ctx, s.writes, w, op, req, allow, build, load)
	if err == nil {
		s.log.InfoContext(ctx, op, "actor", w.Actor.ID)
	}
	return v, err
}

// domain is how the Service's writes reach its store.
func (s *Service) domain() *idem.Domain[*Batch] {
	return &idem.Domain[*Batch]{
		Now:    s.clock,
		Lookup: idem.Lookup(s.store.Receipt, ErrNotFound, func(r *Receipt) (string, string) { return r.Hash, r.Result }),
		Apply: func(ctx context.Context, b *Batch, key, hash, result string, at time.Time) error {
			b.Key, b.Hash, b.Result, b.At = key, hash, result, at
			return s.store.Apply(ctx, b)
		},
		Duplicate: func(err error) bool { return errors.Is(err, ErrDuplicateKey) },
		Stale:     func(err error) bool { return errors.Is(err, ErrConflict) },
		Invalid:   func(field, reason string) error { return invalid(field, "%s", reason) },
		Reused: func(string) error {
			return fieldErr(ErrConflict, "key", "the key was used for a different request")
		},
		Secret: s.store.Secret,
		Taken: func() error {
			return fieldErr(ErrConflict, "admin", "the store has its first administrator already; an administrator grants every later role")
		},
	}
}

// staff reads the actor's staff record and checks it holds role.
func (s *Service) staff(ctx context.Context, actor string, role Role) (*Staff, error) {
	if err := checkID("actor", actor); err != nil {
		return nil, err
	}
	m, err := s.store.Staff(ctx, actor)
	if errors.Is(err, ErrNotFound) {
		return nil, fieldErr(ErrForbidden, "actor", "%s is not a member of staff", actor)
	}
	if err != nil {
		return nil, err
	}
	if !m.Has(role) {
		return nil, fieldErr(ErrForbidden, "actor", "%s is not an active %s", actor, role)
	}
	return m, nil
}

// isStaff reports whether actor holds role, without an error.
func (s *Service) isStaff(ctx context.Context, actor string, role Role) bool {
	_, err := s.staff(ctx, actor, role)
	return err == nil
}
