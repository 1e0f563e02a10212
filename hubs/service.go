package hubs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/id"
	"github.com/strongertogether/community/internal/idem"
)

// Service runs the hubs and the directory over a Store. It is the only
// door to the store: every write names its caller and key (call.Write) and
// is checked against their role; every read of personal data names its
// actor. It is safe for concurrent use as far as its Store is.
type Service struct {
	store  Store
	now    func() time.Time
	newID  func() string
	log    *slog.Logger
	target int
	// maxWorkers is the most workers a micro-enterprise has.
	maxWorkers int64
	writes     *idem.Domain[*Batch]
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock the Service reads the time from (default
// time.Now). Times are kept to the microsecond, in UTC.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithLogger sets where the Service logs. It logs ids, never names or
// contacts. The default discards.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithIDs sets how the Service makes ids for new records (default random
// UUIDs), for example to make them predictable in examples.
func WithIDs(f func() string) Option { return func(s *Service) { s.newID = f } }

// WithEnterpriseTarget sets the number of registered micro-enterprises the
// council aims for, which EnterpriseCount reports against (default 0: no
// target).
func WithEnterpriseTarget(n int) Option { return func(s *Service) { s.target = n } }

// WithMaxWorkers sets the most paid and unpaid workers a micro-enterprise
// may have (default DefaultMaxWorkers, eight).
func WithMaxWorkers(n int) Option { return func(s *Service) { s.maxWorkers = int64(n) } }

// NewService returns a Service over store.
func NewService(store Store, opts ...Option) *Service {
	s := &Service{store: store, now: time.Now, newID: NewUUID, log: slog.New(slog.NewTextHandler(io.Discard, nil)), maxWorkers: DefaultMaxWorkers}
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
		Stale:     func(err error) bool { return errors.Is(err, ErrConflict) },
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

// NewUUID returns a time-ordered (version 7) UUID: the Unix time in
// milliseconds, then 74 random bits. Ids made later sort later, so a
// store's index of them grows at its end instead of at random places, and
// an import rewrites few of its pages; the random bits keep ids
// unguessable and unique.
func NewUUID() string { return id.UUID(time.Now()) }

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

// may returns an allow function: the actor must be active staff with role.
func (s *Service) may(a call.Actor, role Role) func(ctx context.Context) error {
	return func(ctx context.Context) error { return s.check(ctx, a, role) }
}

// check refuses an actor who is not active staff holding role.
func (s *Service) check(ctx context.Context, a call.Actor, role Role) error {
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
	if !st.has(role) {
		return fieldErr(ErrForbidden, "actor", "%s is not an active %s", a.ID, role)
	}
	return nil
}

// Bootstrap makes admin the first administrator of an empty store. It
// succeeds once, atomically: of any number of racing callers exactly one
// wins; a retry by the winner returns nil; every other caller, then or
// later, gets ErrConflict. Every later role is granted by someone who
// holds the right role (Grant).
func (s *Service) Bootstrap(ctx context.Context, admin call.Actor) error {
	if err := checkID("admin", admin.ID); err != nil {
		return fmt.Errorf("hubs.bootstrap: %w", err)
	}
	_, err := idem.Bootstrap(ctx, s.writes, admin, "hubs.bootstrap", nil,
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
		return fmt.Errorf("hubs.bootstrap: %w", err)
	}
	return nil
}

// Grant sets the roles of member of staff id, making them active (no
// roles: inactive). Only an administrator may grant. It returns
// ErrForbidden for anyone else and ErrInvalid for an unknown role.
func (s *Service) Grant(ctx context.Context, w call.Write, id string, roles ...Role) (*Staff, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	for i, r := range roles {
		switch r {
		case RoleAdmin, RoleCoordinator, RoleRecorder, RoleEditor:
		default:
			return nil, invalid(fmt.Sprintf("roles[%d]", i), "%q is not a role", r)
		}
	}
	roles = slices.Clone(roles)
	return write(ctx, s, w, "hubs.grant", struct {
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
	maxID    = 100
	maxName  = 200
	maxShort = 500
	maxText  = 4000
	maxList  = 100
)

// checkID refuses a missing id, and one that is not a plain token: over
// maxID characters, not UTF-8, or holding a space or control character
// (" admin" and "admin" must not be two people).
func checkID(field, id string) error {
	if err := checkText(field, id, maxID, true); err != nil {
		return err
	}
	if i := strings.IndexFunc(id, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }); i >= 0 {
		return invalid(field, "holds a space or control character at byte %d", i)
	}
	return nil
}

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

// checkList checks each item of a list of short texts.
func checkList(field string, vs []string, max int) error {
	if len(vs) > maxList {
		return invalid(field, "has more than %d items", maxList)
	}
	for i, v := range vs {
		if err := checkText(fmt.Sprintf("%s[%d]", field, i), v, max, true); err != nil {
			return err
		}
	}
	return nil
}

// checkCount refuses a negative count.
func checkCount(field string, n int64) error {
	if n < 0 {
		return fieldErr(ErrNegative, field, "is %d; counts are never negative", n)
	}
	return nil
}

// checkHHMM checks a "HH:MM" time of day.
func checkHHMM(field, v string) error {
	if _, err := time.Parse("15:04", v); err != nil || len(v) != 5 {
		return invalid(field, "%q is not a time of day as HH:MM", v)
	}
	return nil
}

// hub reads a hub, turning ErrNotFound into ErrUnknownHub.
func (s *Service) hub(ctx context.Context, id string) (*Hub, error) {
	if strings.TrimSpace(id) == "" {
		return nil, fieldErr(ErrUnknownHub, "hub", "is required")
	}
	h, err := s.store.Hub(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, fieldErr(ErrUnknownHub, "hub", "%s is not a hub", id)
	}
	return h, err
}

// notFound reports an unknown id of what.
func notFound(what, id string) error { return fieldErr(ErrNotFound, what, "%s does not exist", id) }

// get reads through read, naming an unknown id.
func get[T any](ctx context.Context, read func(context.Context, string) (T, error), what, id string) (T, error) {
	v, err := read(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return v, notFound(what, id)
	}
	return v, err
}
