package dementia

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/id"
	"github.com/strongertogether/community/internal/idem"
)

// Service runs the alliance, recognition, Dementia Friends and the
// indicators over a Store. It is the only door to the store. It is safe for
// concurrent use as far as its Store is.
type Service struct {
	store  Store
	now    func() time.Time
	newID  func(prefix string) string
	log    *slog.Logger
	writes *idem.Domain[*Batch]
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock the Service reads the time from (default
// time.Now). Due and overdue are computed from it.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithLogger sets where the Service logs. It logs ids, never names or
// contacts. The default discards.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithIDs sets how the Service makes ids for new records, given a prefix
// naming the kind ("act", "mtg", ...). The default is time-ordered and
// random.
func WithIDs(f func(prefix string) string) Option { return func(s *Service) { s.newID = f } }

// NewService returns a Service over store.
func NewService(store Store, opts ...Option) *Service {
	s := &Service{store: store, now: time.Now, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	s.newID = func(p string) string { return id.New(p, s.clock()) }
	for _, o := range opts {
		o(s)
	}
	s.writes = &idem.Domain[*Batch]{
		Now:    s.clock,
		Lookup: idem.Lookup(store.Receipt, ErrNotFound, func(r *Receipt) (string, string) { return r.Hash, r.Result }),
		Apply: func(ctx context.Context, b *Batch, key, hash, result string, at time.Time) error {
			b.Key, b.Hash, b.Result, b.At = key, hash, result, at
			return store.Apply(ctx, b)
		},
		Duplicate: func(err error) bool { return errors.Is(err, ErrDuplicateKey) },
		Stale:     func(err error) bool { return errors.Is(err, ErrConflict) && !errors.Is(err, ErrDuplicateMember) },
		Invalid:   func(field, reason string) error { return invalid(field, "%s", reason) },
		Reused: func(string) error {
			return fieldErr(ErrConflict, "key", "the key was used for a different request")
		},
		Secret: store.Secret,
		Taken: func() error {
			return fieldErr(ErrConflict, "admin", "the store has its first administrator already; an administrator grants every later role")
		},
	}
	return s
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// day returns t's date at midnight UTC.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// write runs one idempotent write.
func write[T any](ctx context.Context, s *Service, w call.Write, op string, req any,
	allow func(ctx context.Context) error,
	build func(now time.Time) (*Batch, string, error),
	load func(ctx context.Context, result string) (T, error),
) (T, error) {
	v, err := idem.Do(ctx, s.writes, w, op, req, allow, build, load)
	if err != nil {
		var zero T
		return zero, fmt.Errorf("%s: %w", op, err)
	}
	s.log.InfoContext(ctx, op, "actor", w.Actor.ID)
	return v, nil
}

// may returns an allow function: the actor must be active staff with one
// of roles.
func (s *Service) may(a call.Actor, roles ...Role) func(ctx context.Context) error {
	return func(ctx context.Context) error { return s.check(ctx, a, roles...) }
}

// check refuses an actor who is not active staff holding one of roles.
func (s *Service) check(ctx context.Context, a call.Actor, roles ...Role) error {
	if strings.TrimSpace(a.ID) == "" {
		return invalid("actor", "is required")
	}
	st, err := s.store.Staff(ctx, a.ID)
	if errors.Is(err, ErrNotFound) {
		return fieldErr(ErrForbidden, "actor", "%s is not a member of staff", a.ID)
	}
	if err != nil {
		return err
	}
	for _, r := range roles {
		if st.has(r) {
			return nil
		}
	}
	return fieldErr(ErrForbidden, "actor", "%s holds none of the roles %v", a.ID, roles)
}

// Bootstrap makes admin the first administrator of an empty store. It
// succeeds once, atomically: of any number of racing callers exactly one
// wins; a retry by the winner returns nil; every other caller gets
// ErrConflict.
func (s *Service) Bootstrap(ctx context.Context, admin call.Actor) error {
	_, err := idem.Bootstrap(ctx, s.writes, admin, "dementia.bootstrap", nil,
		func(now time.Time) (*Batch, string, error) {
			all, err := s.store.StaffList(ctx)
			if err != nil {
				return nil, "", err
			}
			for _, st := range all {
				if slices.Contains(st.Roles, RoleAdmin) {
					return nil, "", s.writes.Taken()
				}
			}
			st := &Staff{ID: admin.ID, Roles: []Role{RoleAdmin}, Active: true, Version: 1, CreatedAt: now, UpdatedAt: now}
			if old, err := s.store.Staff(ctx, admin.ID); err == nil {
				st.Version, st.CreatedAt = old.Version+1, old.CreatedAt
			}
			return &Batch{Staff: []*Staff{st}}, admin.ID, nil
		},
		func(ctx context.Context, id string) (*Staff, error) { return s.store.Staff(ctx, id) })
	if err != nil {
		return fmt.Errorf("dementia.bootstrap: %w", err)
	}
	return nil
}

// Grant sets the roles of member of staff id, making them active (no
// roles: inactive). Only an administrator may grant: anyone else gets
// ErrForbidden; an unknown role is ErrInvalid.
func (s *Service) Grant(ctx context.Context, w call.Write, id string, roles ...Role) (*Staff, error) {
	if err := checkText("id", id, maxID, true); err != nil {
		return nil, err
	}
	for i, r := range roles {
		switch r {
		case RoleAdmin, RoleCoordinator, RoleRecorder:
		default:
			return nil, invalid(fmt.Sprintf("roles[%d]", i), "%q is not a role", r)
		}
	}
	roles = slices.Clone(roles)
	return write(ctx, s, w, "dementia.grant", struct {
		ID    string
		Roles []Role
	}{id, roles}, s.may(w.Actor, RoleAdmin),
		func(now time.Time) (*Batch, string, error) {
			st := &Staff{ID: id, Roles: roles, Active: len(roles) > 0, Version: 1, CreatedAt: now, UpdatedAt: now}
			old, err := s.store.Staff(ctx, id)
			switch {
			case err == nil:
				st.Version, st.CreatedAt = old.Version+1, old.CreatedAt
			case !errors.Is(err, ErrNotFound):
				return nil, "", err
			}
			return &Batch{Staff: []*Staff{st}}, id, nil
		},
		s.store.Staff)
}

// Limits on free text, in characters.
const (
	maxID   = 100
	maxName = 200
	// maxWards bounds the wards a member names.
	maxWards = 50
	maxText  = 4000
	maxList  = 100
)

// checkText refuses NUL bytes, invalid UTF-8, text over max characters,
// and (when required) empty text.
func checkText(field, v string, max int, required bool) error {
	switch {
	case required && strings.TrimSpace(v) == "":
		return invalid(field, "is required")
	case !utf8.ValidString(v):
		return invalid(field, "is not valid UTF-8")
	case strings.ContainsRune(v, 0):
		return invalid(field, "holds a NUL byte")
	case utf8.RuneCountInString(v) > max:
		return invalid(field, "is longer than %d characters", max)
	}
	return nil
}

// maxCount bounds every count, far above any borough's, so sums of
// counts cannot overflow.
const maxCount = 1_000_000_000_000

// checkCount refuses a negative count, or one over maxCount.
func checkCount(field string, n int64) error {
	if n < 0 {
		return fieldErr(ErrNegative, field, "is %d; counts are never negative", n)
	}
	if n > maxCount {
		return invalid(field, "is %d; counts are at most %d", n, int64(maxCount))
	}
	return nil
}

// checkDate refuses a zero date.
func checkDate(field string, t time.Time) error {
	if t.IsZero() {
		return invalid(field, "is required")
	}
	return nil
}

// get reads through read, naming an unknown id.
func get[T any](ctx context.Context, read func(context.Context, string) (T, error), what, id string) (T, error) {
	v, err := read(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return v, fieldErr(ErrNotFound, what, "%s does not exist", id)
	}
	return v, err
}
