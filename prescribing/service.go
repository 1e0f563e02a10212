package prescribing

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/strongertogether/community/internal/id"
	"github.com/strongertogether/community/internal/idem"
)

// Service is social prescribing: it holds the rules — roles and who may see
// patient data, risk stratification, the referral state machine, caseload
// limits, paired outcomes — and keeps them over a Store. It is safe for
// concurrent use as far as its Store is.
//
// Every write takes an actor (the id of the member of staff doing it) and
// a caller-supplied idempotency key: a retry with the same key and request
// returns the first result without writing again; the same key with a
// different request is ErrConflict. Every write is recorded in the audit
// trail (Events) with the actor and the clock's time. The Service logs ids
// only: never an NHS number or a name.
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
	for _, m := range []Model{ModelPARR, ModelCPM, ModelQAdmissions, ModelEFI} {
		s.models[strings.ToLower(m.Name)] = m
	}
	for _, o := range opts {
		o(s)
	}
	s.writes = s.domain()
	return s
}

// Store returns the store the Service writes to.
func (s *Service) Store() Store { return s.store }

// clock returns the Service's time, to the microsecond, in UTC.
func (s *Service) clock() time.Time { return norm(s.now()) }

func norm(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// write runs one idempotent write (internal/idem): build reads what it
// needs and returns the batch and the id of its result; load reads the
// result back. A batch the store refuses as stale is rebuilt from fresh
// reads; an error found while building is final.
func write[T any](ctx context.Context, s *Service, key, op, actor string, req any,
	build func(now time.Time) (*Batch, string, error),
	load func(ctx context.Context, result string) (T, error),
) (T, error) {
	v, err := idem.Run(ctx, s.writes, key, op, actor, req, build, load)
	if err == nil {
		s.log.InfoContext(ctx, op, "actor", actor)
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
		Stale:     func(err error) bool { return errors.Is(err, ErrConflict) || errors.Is(err, ErrOpenReferral) },
		Invalid:   func(field, reason string) error { return invalid(field, "%s", reason) },
		Reused: func(key string) error {
			return fieldErr(ErrConflict, "key", "%q was used for a different request", key)
		},
	}
}

// event makes the audit event of a write.
func event(practice string, at time.Time, actor, action, subject, note string) Event {
	return Event{Practice: practice, At: at, Actor: actor, Action: action, Subject: subject, Note: note}
}
