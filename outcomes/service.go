package outcomes

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/id"
	"github.com/strongertogether/community/internal/idem"
)

// Service is the outcome framework: it holds the rules — roles, validation,
// revisions, the story lifecycle — and keeps them over a Store, and it
// computes status and reports. It is safe for concurrent use as far as its
// Store is. It is the only door to its store.
//
// Every write takes, after the context, its caller as a call.Write: the
// actor and the actor's idempotency key. A retry with the same key and
// request returns the first result without writing again, even if the
// record has changed since, but only after checking that the actor may
// still make the request; the same key with a different request is
// ErrConflict. Keys are scoped to their actor. Every write is recorded in
// the audit trail (Events) with the actor and the clock's time.
//
// Who may do what: an administrator (the first is made by Bootstrap; an
// administrator makes others with GrantAdmin) creates frameworks and may do
// anything to any framework. Within a framework, its owners grant roles,
// owners and editors change indicators and publish or withdraw stories,
// and contributors (and above) record measurements and stories. An actor
// without the role a call needs gets ErrForbidden, checked before anything
// that could reveal whether a record exists or what state it is in.
//
// Reads that return only definitions and figures (Framework, Frameworks,
// Indicator, Measurements, Revisions, Status, Report) are open. Reads of
// stories (free text about a person) and of the audit trail take the
// actor and check their role as writes do.
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

// WithLogger sets where the Service logs. It logs ids, never names or the
// text of stories. The default discards.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithIDs sets how the Service makes ids for new records, for example to
// make them predictable in examples. f gets a short prefix ("fw", "ind",
// "story") and the clock's time. The default makes unique, roughly
// time-ordered ids.
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

// write runs one idempotent write (internal/idem): allow checks the
// actor's authority, before anything else and on every replay; build
// reads what it needs and returns the batch and the id of its result;
// load reads the result back. A batch the store refuses as stale is
// rebuilt from fresh reads; an error found while building is final.
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

// event makes the audit event of a write.
func event(framework string, at time.Time, actor, action, subject, note string) Event {
	return Event{Framework: framework, At: at, Actor: actor, Action: action, Subject: subject, Note: note}
}

// checkActor refuses a read without an actor.
func checkActor(a call.Actor) error {
	if strings.TrimSpace(a.ID) == "" {
		return invalid("actor", "is required")
	}
	return nil
}

// isAdmin reports whether actor is an administrator.
func (s *Service) isAdmin(ctx context.Context, actor string) (bool, error) {
	as, err := s.store.Admins(ctx)
	if err != nil {
		return false, fmt.Errorf("read administrators: %w", err)
	}
	return slices.ContainsFunc(as, func(a Admin) bool { return a.Actor == actor }), nil
}

// forbidden is the error for an actor without the role a call needs.
func forbidden(actor string, r Role, framework string) error {
	return fieldErr(ErrForbidden, "actor", "%s is not %s of framework %s", actor, r, framework)
}

// authorize checks that actor is an administrator or holds at least role r
// in framework, and returns the framework. An unknown framework is
// ErrForbidden for anyone but an administrator, who gets ErrNotFound, so
// that a stranger learns nothing from the answer.
func (s *Service) authorize(ctx context.Context, framework, actor string, r Role) (*Framework, error) {
	if framework == "" {
		return nil, invalid("Framework", "is required")
	}
	f, err := s.store.Framework(ctx, framework)
	switch {
	case errors.Is(err, ErrNotFound):
		admin, aerr := s.isAdmin(ctx, actor)
		if aerr != nil {
			return nil, aerr
		}
		if admin {
			return nil, fieldErr(ErrNotFound, "Framework", "no framework %s", framework)
		}
		return nil, forbidden(actor, r, framework)
	case err != nil:
		return nil, err
	case f.can(actor, r):
		return f, nil
	}
	admin, err := s.isAdmin(ctx, actor)
	if err != nil {
		return nil, err
	}
	if !admin {
		return nil, forbidden(actor, r, framework)
	}
	return f, nil
}

// requireAdmin checks that actor is an administrator.
func (s *Service) requireAdmin(ctx context.Context, actor string) error {
	admin, err := s.isAdmin(ctx, actor)
	if err != nil {
		return err
	}
	if !admin {
		return fieldErr(ErrForbidden, "actor", "%s is not an administrator", actor)
	}
	return nil
}

// Bootstrap makes admin the first administrator of an empty store: an
// administrator creates frameworks, grants roles on any framework and
// makes other administrators (GrantAdmin). It succeeds once, atomically:
// of any number of racing callers exactly one wins; a retry by the winner
// returns nil; every other caller, then or later, gets ErrConflict. Every
// later role is granted by someone who holds the right role. It returns
// ErrInvalid for an empty admin.
func (s *Service) Bootstrap(ctx context.Context, admin call.Actor) error {
	if err := checkID("admin", admin.ID); err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	_, err := idem.Bootstrap(ctx, s.writes, admin, "outcomes.bootstrap", nil,
		func(now time.Time) (*Batch, string, error) {
			as, err := s.store.Admins(ctx)
			if err != nil {
				return nil, "", err
			}
			if len(as) > 0 {
				return nil, "", s.writes.Taken()
			}
			return &Batch{Admins: []Admin{{Actor: admin.ID, GrantedAt: now, GrantedBy: admin.ID}},
				Events: []Event{event("", now, admin.ID, "admin.bootstrap", admin.ID, "")}}, admin.ID, nil
		},
		func(_ context.Context, r string) (string, error) { return r, nil })
	if err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	return nil
}

// GrantAdmin makes who an administrator. Only an administrator may. It
// returns ErrForbidden, ErrInvalid for a missing or malformed who (empty,
// too long, or holding a space), and ErrConflict if who
// is an administrator already.
func (s *Service) GrantAdmin(ctx context.Context, w call.Write, who string) error {
	actor := w.Actor.ID
	_, err := write(ctx, s, w, "admin.grant", who,
		func(ctx context.Context) error { return s.requireAdmin(ctx, actor) },
		func(now time.Time) (*Batch, string, error) {
			if err := checkID("who", who); err != nil {
				return nil, "", err
			}
			admin, err := s.isAdmin(ctx, who)
			if err != nil {
				return nil, "", err
			}
			if admin {
				return nil, "", fieldErr(ErrConflict, "who", "%s is an administrator already", who)
			}
			return &Batch{Admins: []Admin{{Actor: who, GrantedAt: now, GrantedBy: actor}},
				Events: []Event{event("", now, actor, "admin.grant", who, "")}}, who, nil
		},
		func(_ context.Context, r string) (string, error) { return r, nil })
	if err != nil {
		return fmt.Errorf("grant admin: %w", err)
	}
	return nil
}

// CreateFramework creates a framework; the administrator creating it
// becomes its owner, alongside any roles f lists. An empty f.ID is given a
// new id; Policy defaults to DefaultPolicy when its AmberShare and
// Confidence are zero. Only an administrator may. It returns ErrForbidden,
// ErrInvalid for a bad field and ErrConflict if the id is taken.
func (s *Service) CreateFramework(ctx context.Context, w call.Write, f NewFramework) (*Framework, error) {
	actor := w.Actor.ID
	return write(ctx, s, w, "framework.create", f,
		func(ctx context.Context) error { return s.requireAdmin(ctx, actor) },
		func(now time.Time) (*Batch, string, error) {
			nf := s.newFramework(f, actor, now)
			if err := nf.validate(); err != nil {
				return nil, "", err
			}
			return &Batch{Frameworks: []*Framework{nf},
				Events: []Event{event(nf.ID, now, actor, "framework.create", nf.ID, "")}}, nf.ID, nil
		}, s.store.Framework)
}

// newFramework fills in a framework being created.
func (s *Service) newFramework(f NewFramework, actor string, now time.Time) *Framework {
	nf := &Framework{ID: f.ID, Title: f.Title, Goal: f.Goal, Objective: f.Objective, Strategy: f.Strategy,
		Area: f.Area, End: f.End, Policy: f.Policy}
	if nf.ID == "" {
		nf.ID = s.newID("fw", now)
	}
	if nf.Policy.AmberShare.IsZero() && nf.Policy.Confidence.IsZero() {
		nf.Policy = DefaultPolicy()
	}
	nf.Roles = make(map[string]Role, len(f.Roles)+1)
	for k, v := range f.Roles {
		nf.Roles[k] = v
	}
	nf.Roles[actor] = RoleOwner
	nf.Version, nf.CreatedAt, nf.CreatedBy, nf.UpdatedAt, nf.UpdatedBy = 1, now, actor, now, actor
	return nf
}

// GrantRole gives who a role in a framework, or takes it away when role
// is "". The framework's owners and administrators may; the last owner
// cannot be removed. It returns ErrForbidden (also for an unknown
// framework, unless the actor is an administrator, who gets ErrNotFound),
// or ErrInvalid for an unknown role.
func (s *Service) GrantRole(ctx context.Context, w call.Write, framework, who string, role Role) (*Framework, error) {
	actor := w.Actor.ID
	req := struct{ Framework, Who, Role string }{framework, who, string(role)}
	return write(ctx, s, w, "framework.role", req,
		func(ctx context.Context) error {
			_, err := s.authorize(ctx, framework, actor, RoleOwner)
			return err
		},
		func(now time.Time) (*Batch, string, error) {
			f, err := s.authorize(ctx, framework, actor, RoleOwner)
			if err != nil {
				return nil, "", err
			}
			if err := checkID("who", who); err != nil {
				return nil, "", err
			}
			nf := f.Clone()
			if role == "" {
				delete(nf.Roles, who)
			} else {
				nf.Roles[who] = role
			}
			nf.Version, nf.UpdatedAt, nf.UpdatedBy = f.Version+1, now, actor
			if err := nf.validate(); err != nil {
				return nil, "", err
			}
			return &Batch{Frameworks: []*Framework{nf},
				Events: []Event{event(f.ID, now, actor, "framework.role", who, string(role))}}, f.ID, nil
		}, s.store.Framework)
}

// PutIndicator creates an indicator (ind.Replaces 0) or changes one
// (ind.Replaces is the Version read; a stale one is ErrConflict). The
// framework's owners and editors, and administrators, may. It returns
// ErrInvalid for a bad field — a missing polarity, a period of the wrong
// type, a target before its baseline — and ErrForbidden, ErrNotFound or
// ErrConflict.
func (s *Service) PutIndicator(ctx context.Context, w call.Write, ind NewIndicator) (*Indicator, error) {
	actor := w.Actor.ID
	return write(ctx, s, w, "indicator.put", ind,
		func(ctx context.Context) error {
			if _, err := s.authorize(ctx, ind.Framework, actor, RoleEditor); err != nil {
				return err
			}
			if ind.Replaces != 0 {
				// A change needs the role where the indicator is, too.
				return s.authorizeIndicator(ctx, ind.ID, actor, RoleEditor)
			}
			return nil
		},
		func(now time.Time) (*Batch, string, error) {
			ni := ind.indicator()
			action := "indicator.create"
			if ind.Replaces == 0 {
				if ni.ID == "" {
					ni.ID = s.newID("ind", now)
				}
				ni.Version, ni.CreatedAt, ni.CreatedBy = 1, now, actor
			} else {
				old, err := s.store.Indicator(ctx, ind.ID)
				if err != nil {
					return nil, "", fmt.Errorf("indicator %s: %w", ind.ID, err)
				}
				if old.Framework != ind.Framework {
					return nil, "", invalid("Framework", "an indicator cannot move to another framework")
				}
				if old.Version != ind.Replaces {
					return nil, "", fieldErr(ErrConflict, "Replaces", "indicator %s is at version %d, not %d", ind.ID, old.Version, ind.Replaces)
				}
				ni.Version, ni.CreatedAt, ni.CreatedBy = old.Version+1, old.CreatedAt, old.CreatedBy
				action = "indicator.update"
			}
			ni.UpdatedAt, ni.UpdatedBy = now, actor
			if err := ni.validate(); err != nil {
				return nil, "", err
			}
			return &Batch{Indicators: []*Indicator{ni},
				Events: []Event{event(ni.Framework, now, actor, action, ni.ID, "")}}, ni.ID, nil
		}, s.store.Indicator)
}

// indicatorFramework returns the framework of an indicator named in a
// request, for an authority check: "" when there is no such indicator.
func (s *Service) indicatorFramework(ctx context.Context, indicator string) (string, error) {
	if indicator == "" {
		return "", invalid("Indicator", "is required")
	}
	ind, err := s.store.Indicator(ctx, indicator)
	switch {
	case errors.Is(err, ErrNotFound):
		return "", nil
	case err != nil:
		return "", err
	}
	return ind.Framework, nil
}

// authorizeIndicator checks actor's role in an indicator's framework. An
// unknown indicator is ErrForbidden for anyone but an administrator, who
// gets ErrNotFound.
func (s *Service) authorizeIndicator(ctx context.Context, indicator, actor string, r Role) error {
	fw, err := s.indicatorFramework(ctx, indicator)
	if err != nil {
		return err
	}
	if fw == "" {
		admin, err := s.isAdmin(ctx, actor)
		if err != nil {
			return err
		}
		if admin {
			return fieldErr(ErrNotFound, "Indicator", "no indicator %s", indicator)
		}
		return fieldErr(ErrForbidden, "actor", "%s holds no role for indicator %s", actor, indicator)
	}
	_, err = s.authorize(ctx, fw, actor, r)
	return err
}

// Record reports a measurement: the first for its indicator, area and
// period, or a revision of the latest one (which stays in the history).
// The confidence interval is computed from the count and denominator
// unless supplied (see Measurement.Interval). Contributors, editors,
// owners and administrators may record. It returns ErrInvalid for a bad
// field — a percentage over 100, a denominator of zero or below the count,
// a period of the wrong type — and ErrForbidden (also for an unknown
// indicator, unless the actor is an administrator, who gets ErrNotFound).
// A retry returns the revision the first call made, not a later one.
func (s *Service) Record(ctx context.Context, w call.Write, m NewMeasurement) (*Measurement, error) {
	actor := w.Actor.ID
	return write(ctx, s, w, "measurement.record", m,
		func(ctx context.Context) error { return s.authorizeIndicator(ctx, m.Indicator, actor, RoleContributor) },
		func(now time.Time) (*Batch, string, error) {
			ind, err := s.indicator(ctx, m.Indicator)
			if err != nil {
				return nil, "", err
			}
			nm, err := s.revision(ctx, ind, m, actor, now)
			if err != nil {
				return nil, "", err
			}
			k := nm.Key().String()
			return &Batch{Measurements: []*Measurement{nm},
				Events: []Event{event(ind.Framework, now, actor, "measurement.record", k, fmt.Sprintf("revision %d", nm.Revision))}}, recordResult(nm), nil
		}, s.loadMeasurement)
}

// indicator reads an indicator named in a request.
func (s *Service) indicator(ctx context.Context, id string) (*Indicator, error) {
	if id == "" {
		return nil, invalid("Indicator", "is required")
	}
	ind, err := s.store.Indicator(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, fieldErr(ErrNotFound, "Indicator", "no indicator %s", id)
	}
	return ind, err
}

// revision validates m and makes it the next revision of its key.
func (s *Service) revision(ctx context.Context, ind *Indicator, m NewMeasurement, actor string, now time.Time) (*Measurement, error) {
	old, err := s.store.Measurement(ctx, MeasurementKey{Indicator: m.Indicator, Area: m.Area, Period: m.Period})
	switch {
	case errors.Is(err, ErrNotFound):
		old = nil
	case err != nil:
		return nil, err
	}
	own := NewMeasurement{Indicator: m.Indicator, Area: m.Area, Period: m.Period, Value: m.Value,
		Count: cloneDec(m.Count), Denominator: cloneDec(m.Denominator), Lower: cloneDec(m.Lower), Upper: cloneDec(m.Upper),
		Source: m.Source, Note: m.Note}
	return s.next(ind, &own, actor, now, old)
}

// next validates m and makes it the revision after old (nil when there is
// none).
func (s *Service) next(ind *Indicator, m *NewMeasurement, actor string, now time.Time, old *Measurement) (*Measurement, error) {
	nm := m.measurement()
	if err := prepare(ind, nm, actor, now, old); err != nil {
		return nil, err
	}
	return nm, nil
}

// prepare validates nm and makes it, in place, the revision after old (nil
// when there is none), computing its interval unless it has one.
func prepare(ind *Indicator, nm *Measurement, actor string, now time.Time, old *Measurement) error {
	nm.Revision, nm.RecordedAt, nm.RecordedBy = 1, now, actor
	if err := nm.validate(ind); err != nil {
		return err
	}
	nm.Interval(ind)
	if old != nil {
		nm.Revision = old.Revision + 1
	}
	return nil
}

// recordResult is what a Record's receipt keeps: the measurement's key
// and the revision it made, "indicator|area|period#revision", so that a
// retry returns that revision even after later ones.
func recordResult(m *Measurement) string {
	return m.Key().String() + "#" + strconv.FormatInt(m.Revision, 10)
}

// loadMeasurement reads back the measurement a Record made, from its
// receipt's result (see recordResult). A result without a revision names
// the latest one.
func (s *Service) loadMeasurement(ctx context.Context, result string) (*Measurement, error) {
	key, rev := result, int64(0)
	// A period never contains '#', so the last one, if any, comes before
	// the revision.
	if i := strings.LastIndexByte(result, '#'); i >= 0 {
		if n, err := strconv.ParseInt(result[i+1:], 10, 64); err == nil && n > 0 {
			key, rev = result[:i], n
		}
	}
	k, err := parseKey(key)
	if err != nil {
		return nil, err
	}
	latest, err := s.store.Measurement(ctx, k)
	if err != nil || rev == 0 || latest.Revision == rev {
		return latest, err
	}
	// Revised since: find this revision in the history.
	revs, err := s.store.Revisions(ctx, k)
	if err != nil {
		return nil, err
	}
	for _, m := range revs {
		if m.Revision == rev {
			return m, nil
		}
	}
	return nil, fmt.Errorf("measurement %s revision %d: %w", k, rev, ErrNotFound)
}

// parseKey reads "indicator|area|period".
func parseKey(s string) (MeasurementKey, error) {
	var k MeasurementKey
	parts := strings.SplitN(s, "|", 3)
	if len(parts) != 3 {
		return k, fmt.Errorf("measurement key %q: %w", s, ErrInvalid)
	}
	p, err := ParsePeriod(parts[2])
	if err != nil {
		return k, fmt.Errorf("measurement key %q: %w", s, ErrInvalid)
	}
	return MeasurementKey{Indicator: parts[0], Area: parts[1], Period: p}, nil
}

// AddStory records a case study as a draft (or published, if st.Publish
// and consent is given). Contributors and above may. It returns
// ErrInvalid for a bad field (no consent for a published story, no
// indicator or programme), ErrNotFound for an unknown indicator, and
// ErrForbidden.
func (s *Service) AddStory(ctx context.Context, w call.Write, st NewStory) (*Story, error) {
	actor := w.Actor.ID
	return write(ctx, s, w, "story.add", st,
		func(ctx context.Context) error {
			_, err := s.authorize(ctx, st.Framework, actor, RoleContributor)
			return err
		},
		func(now time.Time) (*Batch, string, error) {
			if st.Indicator != "" {
				ind, err := s.indicator(ctx, st.Indicator)
				if err != nil {
					return nil, "", err
				}
				if ind.Framework != st.Framework {
					return nil, "", invalid("Indicator", "%s belongs to another framework", st.Indicator)
				}
			}
			ns := st.story()
			if ns.ID == "" {
				ns.ID = s.newID("story", now)
			}
			ns.Version, ns.CreatedAt, ns.CreatedBy, ns.UpdatedAt, ns.UpdatedBy = 1, now, actor, now, actor
			if err := ns.validate(); err != nil {
				return nil, "", err
			}
			return &Batch{Stories: []*Story{ns},
				Events: []Event{event(ns.Framework, now, actor, "story.add", ns.ID, string(ns.Status))}}, ns.ID, nil
		}, s.store.Story)
}

// PublishStory publishes a draft story; it needs consent given. Editors,
// owners and administrators may. It returns ErrForbidden (also for an
// unknown story, unless the actor is an administrator, who gets
// ErrNotFound), ErrInvalidTransition if the story is not a draft, and
// ErrInvalid without consent.
func (s *Service) PublishStory(ctx context.Context, w call.Write, story string) (*Story, error) {
	return s.moveStory(ctx, w, story, StoryPublished, "")
}

// WithdrawStory withdraws a story — when the person it is about withdraws
// consent — so it is never shown again. Editors, owners and
// administrators may. It returns ErrForbidden (as PublishStory does),
// ErrInvalidTransition if it is withdrawn already, and ErrInvalid for a
// reason that is too long.
func (s *Service) WithdrawStory(ctx context.Context, w call.Write, story, reason string) (*Story, error) {
	return s.moveStory(ctx, w, story, StoryWithdrawn, reason)
}

// EraseStory erases what a story's teller told: its title and body become
// "[erased]", its tags and consent are cleared, its status becomes
// StoryErased, and the notes of its audit events are emptied, in every
// table and (for stores that can) every file. Editors, owners and
// administrators may. It returns ErrForbidden (as PublishStory does) and
// ErrInvalidTransition if it is erased already.
func (s *Service) EraseStory(ctx context.Context, w call.Write, story string) (*Story, error) {
	actor := w.Actor.ID
	return write(ctx, s, w, "story.erase", story,
		func(ctx context.Context) error { return s.authorizeStory(ctx, story, actor, RoleEditor) },
		func(now time.Time) (*Batch, string, error) {
			st, err := s.store.Story(ctx, story)
			if err != nil {
				return nil, "", fmt.Errorf("story %s: %w", story, err)
			}
			if err := storyMoves.Check(st.Status, StoryErased); err != nil {
				return nil, "", fieldErr(ErrInvalidTransition, "Status", "story %s: %v", story, err)
			}
			ns := st.Clone()
			ns.Title, ns.Body, ns.Tags, ns.Status = erased, erased, nil, StoryErased
			ns.Consent = Consent{}
			ns.Version, ns.UpdatedAt, ns.UpdatedBy = st.Version+1, now, actor
			return &Batch{Stories: []*Story{ns}, EraseNotes: []string{ns.ID},
				Events: []Event{event(ns.Framework, now, actor, "story.erase", ns.ID, "")}}, ns.ID, nil
		}, s.store.Story)
}

// authorizeStory checks actor's role in a story's framework. An unknown
// story is ErrForbidden for anyone but an administrator, who gets
// ErrNotFound: a stranger cannot tell whether a story exists.
func (s *Service) authorizeStory(ctx context.Context, story, actor string, r Role) error {
	if story == "" {
		return invalid("story", "is required")
	}
	st, err := s.store.Story(ctx, story)
	switch {
	case errors.Is(err, ErrNotFound):
		admin, aerr := s.isAdmin(ctx, actor)
		if aerr != nil {
			return aerr
		}
		if admin {
			return fieldErr(ErrNotFound, "story", "no story %s", story)
		}
		return fieldErr(ErrForbidden, "actor", "%s holds no role for story %s", actor, story)
	case err != nil:
		return err
	}
	_, err = s.authorize(ctx, st.Framework, actor, r)
	return err
}

func (s *Service) moveStory(ctx context.Context, w call.Write, story string, to StoryStatus, reason string) (*Story, error) {
	actor := w.Actor.ID
	req := struct{ Story, To, Reason string }{story, string(to), reason}
	return write(ctx, s, w, "story."+string(to), req,
		func(ctx context.Context) error { return s.authorizeStory(ctx, story, actor, RoleEditor) },
		func(now time.Time) (*Batch, string, error) {
			if err := checkText("reason", reason, maxText); err != nil {
				return nil, "", err
			}
			st, err := s.store.Story(ctx, story)
			if err != nil {
				return nil, "", fmt.Errorf("story %s: %w", story, err)
			}
			if err := storyMoves.Check(st.Status, to); err != nil {
				return nil, "", fieldErr(ErrInvalidTransition, "Status", "story %s: %v", story, err)
			}
			ns := st.Clone()
			ns.Status = to
			if to == StoryWithdrawn {
				ns.Consent.Given = false
			}
			ns.Version, ns.UpdatedAt, ns.UpdatedBy = st.Version+1, now, actor
			if err := ns.validate(); err != nil {
				return nil, "", err
			}
			return &Batch{Stories: []*Story{ns},
				Events: []Event{event(ns.Framework, now, actor, "story."+string(to), ns.ID, reason)}}, ns.ID, nil
		}, s.store.Story)
}

// Story returns a story. A story is free text about a person, so only an
// administrator or who holds a role in the story's framework may read it;
// anyone else gets ErrForbidden, whether or not the story exists. An
// administrator asking for an unknown id gets ErrNotFound.
func (s *Service) Story(ctx context.Context, a call.Actor, id string) (*Story, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if err := s.authorizeStory(ctx, id, a.ID, RoleContributor); err != nil {
		return nil, fmt.Errorf("story %s: %w", id, err)
	}
	return s.store.Story(ctx, id)
}

// Stories returns the stories of f.Framework that f selects, ordered by
// date, then id. Only an administrator or who holds a role in the
// framework may read them; f.Framework may be nil only for an
// administrator, who then reads the stories of every framework. It returns
// ErrForbidden otherwise.
func (s *Service) Stories(ctx context.Context, a call.Actor, f StoryFilter) ([]*Story, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if f.Framework == nil {
		if err := s.requireAdmin(ctx, a.ID); err != nil {
			return nil, fmt.Errorf("stories: %w", err)
		}
	} else if _, err := s.authorize(ctx, *f.Framework, a.ID, RoleContributor); err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	return s.store.Stories(ctx, f)
}

// Events returns the audit trail that f selects, ordered by Seq. The trail
// names who did what, so only the framework's owners and administrators
// may read a framework's events; an empty f.Framework (every event,
// administrators' own included) is for administrators only. It returns
// ErrForbidden otherwise.
func (s *Service) Events(ctx context.Context, a call.Actor, f EventFilter) ([]Event, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if f.Framework == "" {
		if err := s.requireAdmin(ctx, a.ID); err != nil {
			return nil, fmt.Errorf("events: %w", err)
		}
	} else if _, err := s.authorize(ctx, f.Framework, a.ID, RoleOwner); err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	return s.store.Events(ctx, f)
}

// Frameworks returns the frameworks f selects, ordered by id. It returns
// only definitions (no personal data) and checks no role.
func (s *Service) Frameworks(ctx context.Context, f FrameworkFilter) ([]*Framework, error) {
	return s.store.Frameworks(ctx, f)
}

// Indicator returns an indicator's definition. It returns only definitions
// and checks no role; ErrNotFound for an unknown id.
func (s *Service) Indicator(ctx context.Context, id string) (*Indicator, error) {
	return s.indicator(ctx, id)
}

// Measurements returns one revision per indicator, area and period, as f
// selects (see MeasurementFilter), ordered by indicator, area, then period
// start. It returns only aggregates and checks no role.
func (s *Service) Measurements(ctx context.Context, f MeasurementFilter) ([]*Measurement, error) {
	return s.store.Measurements(ctx, f)
}

// Revisions returns every revision of a measurement, oldest first, or
// ErrNotFound. It returns only aggregates and checks no role.
func (s *Service) Revisions(ctx context.Context, k MeasurementKey) ([]*Measurement, error) {
	return s.store.Revisions(ctx, k)
}
