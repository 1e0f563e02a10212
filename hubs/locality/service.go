package locality

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

// Directory is what locality needs of the hubs directory and events: to
// know that a listing or a hubs event exists. hubs.Service satisfies it
// through a small adapter in the app. Each method returns nil when the id
// exists and an error otherwise.
type Directory interface {
	ListingExists(ctx context.Context, id string) error
	EventExists(ctx context.Context, id string) error
}

// Service runs the locality programmes over a Store. It is the only door
// to the store, and safe for concurrent use as far as its Store is.
type Service struct {
	store  Store
	now    func() time.Time
	newID  func() string
	log    *slog.Logger
	dir    Directory
	writes *idem.Domain[*Batch]
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock (default time.Now). Times are kept to the
// microsecond, in UTC.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithLogger sets where the Service logs. It logs operation names and
// actor ids only. The default discards.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithIDs sets how the Service makes ids (default random UUIDs).
func WithIDs(f func() string) Option { return func(s *Service) { s.newID = f } }

// WithDirectory sets the directory that connections to services, assets
// becoming entries and Community of Practice events are checked against.
// Without one, those ids are kept unchecked.
func WithDirectory(d Directory) Option { return func(s *Service) { s.dir = d } }

// NewService returns a Service over store.
func NewService(store Store, opts ...Option) *Service {
	s := &Service{store: store, now: time.Now, newID: newUUID, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
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

func newUUID() string { return id.UUID(time.Now()) }

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

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

// may returns an allow function: the actor must be active staff holding
// one of roles.
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
// succeeds once, atomically; a retry by the winner returns nil and every
// other caller gets ErrConflict.
func (s *Service) Bootstrap(ctx context.Context, admin call.Actor) error {
	if err := checkID("admin", admin.ID); err != nil {
		return fmt.Errorf("locality.bootstrap: %w", err)
	}
	_, err := idem.Bootstrap(ctx, s.writes, admin, "locality.bootstrap", nil,
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
		return fmt.Errorf("locality.bootstrap: %w", err)
	}
	return nil
}

// Grant sets the roles of member of staff id (no roles: inactive). Only an
// administrator may grant.
func (s *Service) Grant(ctx context.Context, w call.Write, id string, roles ...Role) (*Staff, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	for i, r := range roles {
		if !slices.Contains(Roles(), r) {
			return nil, invalid(fmt.Sprintf("roles[%d]", i), "%q is not a role", r)
		}
	}
	roles = slices.Clone(roles)
	return write(ctx, s, w, "locality.grant", struct {
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

// NewArea is an area to set up.
type NewArea struct {
	// ID is the area's id; a new one is made when empty.
	ID        string
	Name      string
	Programme Programme
	Wards     []string
	Panel     string
	Worker    string
	Since     time.Time
}

// AddArea sets up an area of a programme. Only an administrator may.
func (s *Service) AddArea(ctx context.Context, w call.Write, in NewArea) (*Area, error) {
	if err := checkOptionalID("ID", in.ID); err != nil {
		return nil, err
	}
	if err := checkText("Name", in.Name, maxName, true); err != nil {
		return nil, err
	}
	if !slices.Contains(Programmes(), in.Programme) {
		return nil, invalid("Programme", "%q is not a programme", in.Programme)
	}
	if len(in.Wards) == 0 {
		return nil, invalid("Wards", "an area covers at least one ward")
	}
	if err := checkList("Wards", in.Wards, maxName); err != nil {
		return nil, err
	}
	if err := checkText("Panel", in.Panel, maxName, false); err != nil {
		return nil, err
	}
	if err := checkOptionalID("Worker", in.Worker); err != nil {
		return nil, err
	}
	if in.Since.IsZero() {
		return nil, invalid("Since", "is required")
	}
	in.Wards, in.Since = slices.Clone(in.Wards), utc(in.Since)
	id := in.ID
	if id == "" {
		id = s.newID()
	}
	return write(ctx, s, w, "locality.add_area", in, s.may(w.Actor, RoleAdmin),
		func(now time.Time) (*Batch, string, error) {
			a := &Area{ID: id, Name: in.Name, Programme: in.Programme, Wards: in.Wards, Panel: in.Panel, Worker: in.Worker,
				Since: in.Since, Version: 1, CreatedAt: now, UpdatedAt: now}
			return &Batch{Areas: []*Area{a}}, id, nil
		}, s.store.Area)
}

// Areas returns every area. Areas name no person; the read is open.
func (s *Service) Areas(ctx context.Context) ([]*Area, error) {
	as, err := s.store.Areas(ctx)
	if err != nil {
		return nil, fmt.Errorf("areas: %w", err)
	}
	return as, nil
}

// area reads an area of programme p, refusing an unknown one with
// ErrUnknownArea.
func (s *Service) area(ctx context.Context, id string, p Programme) (*Area, error) {
	if strings.TrimSpace(id) == "" {
		return nil, fieldErr(ErrUnknownArea, "Area", "is required")
	}
	a, err := s.store.Area(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, fieldErr(ErrUnknownArea, "Area", "%s is not an area", id)
	}
	if err != nil {
		return nil, err
	}
	if a.Programme != p {
		return nil, fieldErr(ErrUnknownArea, "Area", "%s is an area of %s, not %s", id, a.Programme, p)
	}
	return a, nil
}

// ward checks that ward is one of a's wards (or, when empty, returns a's
// only ward).
func ward(a *Area, w string) (string, error) {
	if w == "" && len(a.Wards) == 1 {
		return a.Wards[0], nil
	}
	if !slices.Contains(a.Wards, w) {
		return "", fieldErr(ErrUnknownArea, "Ward", "%q is not a ward of area %s", w, a.ID)
	}
	return w, nil
}

// Limits on free text, in characters.
const (
	maxID    = 100
	maxName  = 200
	maxText  = 4000
	maxList  = 100
	maxCount = 1_000_000
)

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

// checkID refuses an empty or over-long id, or one holding a space or a
// control character (so " admin" cannot pass for "admin").
func checkID(field, id string) error {
	if err := checkText(field, id, maxID, true); err != nil {
		return err
	}
	if i := strings.IndexFunc(id, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }); i >= 0 {
		return invalid(field, "holds a space or control character at byte %d", i)
	}
	return nil
}

// checkOptionalID is checkID for an id that may be empty.
func checkOptionalID(field, id string) error {
	if id == "" {
		return nil
	}
	return checkID(field, id)
}

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

func checkCount(field string, n int64) error {
	if n < 0 {
		return fieldErr(ErrNegative, field, "is %d; counts are never negative", n)
	}
	if n > maxCount {
		return invalid(field, "is over %d", maxCount)
	}
	return nil
}

func notFound(what, id string) error { return fieldErr(ErrNotFound, what, "%s does not exist", id) }

func get[T any](ctx context.Context, read func(context.Context, string) (T, error), what, id string) (T, error) {
	v, err := read(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return v, notFound(what, id)
	}
	return v, err
}
