package timebank

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/id"
	"github.com/strongertogether/community/internal/idem"
)

// Service is the time bank: it holds the rules — roles, lifecycles, limits,
// confirmation — and keeps them over a Store. It is safe for concurrent use
// as far as its Store is. It is the only door to the store: it never hands
// the store out.
//
// Every write takes a call.Write: who sends it (an administrator, or a
// member of a bank) and a caller-supplied idempotency key, scoped to that
// actor. A retry with the same key and request returns the first result
// without writing again, once the actor's authority has been checked again;
// the same key with a different request is ErrConflict; the same key from
// another actor is another request. Every write is recorded in the audit
// trail (Audit) with the actor and the clock's time.
//
// Every read of personal data (members, listings, exchanges, statements,
// balances of a person's account, the audit trail) takes the call.Actor
// who asks and checks their role as writes do: a member may read their
// own, a coordinator their bank's (and its mini banks'). Report and Growth
// return only aggregates and are open.
//
// The authority check runs before anything that could reveal a record's
// state: an actor who may not act on a record gets ErrForbidden whether or
// not it exists, and whatever state it is in.
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
// make them predictable in examples. f gets a short prefix ("bank", "mem",
// "exc", "tr", "lst") and the clock's time. The default makes unique,
// roughly time-ordered ids.
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

// clock returns the Service's time, to the microsecond, in UTC.
func (s *Service) clock() time.Time { return norm(s.now()) }

func norm(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// write runs one idempotent write (internal/idem) sent by w: allow checks,
// first and again on every replay, that w's actor may make the request;
// build reads what it needs and returns the batch and the id of its result;
// load reads the result back. A batch that loses a race (ErrConflict from
// the store: a stale version, or an account that moved on in ledger time)
// is rebuilt from fresh reads; an error found while building is final.
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

// domain is how the Service's writes reach its store.
func (s *Service) domain() *idem.Domain[*Batch] {
	return &idem.Domain[*Batch]{
		Now:    s.clock,
		Lookup: idem.Lookup(s.store.Receipt, ErrNotFound, func(r *Receipt) (string, string) { return r.Hash, r.Result }),
		Apply: func(ctx context.Context, b *Batch, key, hash, result string, at time.Time) error {
			if err := s.settle(ctx, b, at); err != nil {
				return err
			}
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
		Taken:  taken,
	}
}

// taken is the error for a Bootstrap of a store that has its first
// administrator already.
func taken() error {
	return fieldErr(ErrConflict, "admin", "the store has its first administrator already; an administrator grants every later role")
}

// settle moves the ledger time of the batch's live transfers (those made
// now) up to the latest posting on any of their accounts, where that is
// later. Several sites writing to one database never agree to the
// microsecond, and an account's history never goes back, so a site whose
// clock is behind posts just after the latest entry instead of failing.
// Historical transfers (imports) keep their dates.
func (s *Service) settle(ctx context.Context, b *Batch, now time.Time) error {
	for _, t := range b.Transfers {
		if !t.At.Equal(now) {
			continue
		}
		for _, p := range t.Postings {
			a, err := s.store.Account(ctx, p.Account)
			if errors.Is(err, ErrNotFound) {
				continue // created in this batch, or refused by the store
			}
			if err != nil {
				return err
			}
			if a.LastAt.After(t.At) {
				t.At = a.LastAt
			}
		}
	}
	return nil
}

// ids splits a receipt's result into the ids it holds.
func ids(result string) []string { return strings.Fields(result) }

// event makes the audit event of a write.
func event(bank string, at time.Time, actor, action, subject, note string) Event {
	return Event{Bank: bank, At: at, Actor: actor, Action: action, Subject: subject, Note: note}
}
