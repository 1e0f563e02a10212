package prescribing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/id"
	"github.com/strongertogether/community/internal/idem"
)

// Service is social prescribing: it holds the rules — roles and who may see
// patient data, risk stratification, the referral state machine, caseload
// limits, paired outcomes — and keeps them over a Store. It is safe for
// concurrent use as far as its Store is.
//
// Every write takes a call.Write: the actor (the id of the member of staff
// doing it) and their idempotency key. A retry with the same key and
// request returns the first result without writing again, but only after
// checking again that the actor may still make the request (a deactivated
// member of staff replaying a key gets ErrForbidden); the same key with a
// different request is ErrConflict. Keys belong to their actor: the same
// key from two actors is two requests. Every write is recorded in the
// audit trail (Events) with the actor and the clock's time.
//
// Every read of patient data (Patient, Referral, Referrals, Meeting,
// Stratification, ScoreSet, Match, Events) takes the call.Actor and checks
// that they work with the practice in a role that may see its patients.
// The authority check comes before anything that could reveal a record's
// state: an unknown id and a record of another practice give the same
// ErrForbidden. The Service logs ids only: never an NHS number or a name.
type Service struct {
	store  Store
	now    func() time.Time
	newID  func(prefix string, now time.Time) string
	log    *slog.Logger
	models map[string]Model
	writes *idem.Domain[*Batch]
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock the Service reads the time from. The default is
// time.Now. Times are kept to the microsecond, in UTC.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithLogger sets where the Service logs. It logs ids, never NHS numbers,
// names or notes. The default discards.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithIDs sets how the Service makes ids for new records, for example to
// make them predictable in examples. f gets a short prefix ("prc", "stf",
// "pat", "scr", "str", "mdt", "ref", "sty") and the clock's time. The
// default makes unique, roughly time-ordered ids.
func WithIDs(f func(prefix string, now time.Time) string) Option {
	return func(s *Service) { s.newID = f }
}

// WithModel adds a risk model (or replaces the one of the same name) to
// those the Service accepts scores from. PARR, CPM, QAdmissions and eFI
// are known by default.
func WithModel(m Model) Option { return func(s *Service) { s.models[strings.ToLower(m.Name)] = m } }

// NewService returns a Service over store.
func NewService(store Store, opts ...Option) *Service {
	s := &Service{
		store:  store,
		now:    time.Now,
		newID:  id.New,
		log:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		models: map[string]Model{},
	}
	for _, m := range []Model{modelPARR, modelCPM, modelQAdmissions, modelEFI} {
		s.models[strings.ToLower(m.Name)] = m
	}
	for _, o := range opts {
		o(s)
	}
	s.writes = s.domain()
	return s
}

// clock returns the Service's time, to the microsecond, in UTC.
func (s *Service) clock() time.Time { return norm(s.now()) }

func norm(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// write runs one idempotent write (internal/idem): build reads what it
// needs and returns the batch and the id of its result; load reads the
// result back. A batch the store refuses as stale is rebuilt from fresh
// reads; an error found while building is final.
//
// allow checks that the actor may make the request, reading only what
// that needs; it runs before anything else and again on every replay.
func write[T any](ctx context.Context, s *Service, w call.Write, op string, req any,
	allow func(ctx context.Context) error,
	build func(now time.Time) (*Batch, string, error),
	load func(ctx context.Context, result string) (T, error),
) (T, error) {
	v, err := idem.Do(ctx, s.writes, w, op, req, allow, build, load)
	if err == nil {
		s.log.InfoContext(ctx, op, "actor", w.Actor.ID)
	}
	return v, err
}

// Bootstrap makes admin the first manager of an empty store: a member of
// staff with the manager role whose id is admin.ID. It succeeds once,
// atomically: of any number of racing callers exactly one wins; a retry by
// the winner returns nil; every other caller, then or later, gets
// ErrConflict. Every later role is granted by someone who holds the right
// role: a manager adds staff, managers included (AddStaff). Errors:
// ErrInvalid (no admin), ErrConflict.
func (s *Service) Bootstrap(ctx context.Context, admin call.Actor) error {
	_, err := idem.Bootstrap(ctx, s.writes, admin, "prescribing.bootstrap", nil, func(now time.Time) (*Batch, string, error) {
		ms, err := s.store.StaffList(ctx, StaffFilter{Role: RoleManager, Limit: 1})
		if err != nil {
			return nil, "", err
		}
		if len(ms) > 0 {
			return nil, "", s.writes.Taken()
		}
		m := &Staff{ID: admin.ID, Name: "First manager", Role: RoleManager, Active: true,
			CreatedAt: now, CreatedBy: admin.ID, UpdatedAt: now, UpdatedBy: admin.ID, Version: 1}
		if err := m.Validate(); err != nil {
			return nil, "", err
		}
		return &Batch{Staff: []*Staff{m}, Events: []Event{event("", now, admin.ID, "prescribing.bootstrap", m.ID, string(RoleManager))}}, m.ID, nil
	}, s.store.Staff)
	if err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	return nil
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
		Stale:     func(err error) bool { return errors.Is(err, ErrConflict) || errors.Is(err, ErrOpenReferral) },
		Invalid:   func(field, reason string) error { return invalid(field, "%s", reason) },
		Reused: func(string) error {
			return fieldErr(ErrConflict, "key", "was used for a different request")
		},
		Secret: s.store.Secret,
		Taken: func() error {
			return fieldErr(ErrConflict, "admin", "the store has its first administrator already; an administrator grants every later role")
		},
	}
}

// event makes the audit event of a write.
func event(practice string, at time.Time, actor, action, subject, note string) Event {
	return Event{Practice: practice, At: at, Actor: actor, Action: action, Subject: subject, Note: note}
}
