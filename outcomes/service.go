package outcomes

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/strongertogether/community/internal/id"
	"github.com/strongertogether/community/internal/idem"
)

// Service is the outcome framework: it holds the rules — roles, validation,
// revisions, the story lifecycle — and keeps them over a Store, and it
// computes status and reports. It is safe for concurrent use as far as its
// Store is.
//
// Every write takes, after the context, a caller-supplied idempotency key
// and then an actor (the id of the person doing it) — (ctx, key, actor,
// …), as in the other domains' services. A retry with the same key and
// request returns the first result without writing again, even if the
// record has changed since; the same key with a different request is
// ErrConflict. Every write is recorded in the audit
// trail (Events) with the actor and the clock's time. An actor without the
// role a write needs gets ErrForbidden.
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
		Stale:     func(err error) bool { return errors.Is(err, ErrConflict) },
		Invalid:   func(field, reason string) error { return invalid(field, "%s", reason) },
		Reused: func(key string) error {
			return fieldErr(ErrConflict, "key", "%q was used for a different request", key)
		},
	}
}

// event makes the audit event of a write.
func event(framework string, at time.Time, actor, action, subject, note string) Event {
	return Event{Framework: framework, At: at, Actor: actor, Action: action, Subject: subject, Note: note}
}

// allowed reads a framework and checks that actor holds at least role r.
func (s *Service) allowed(ctx context.Context, framework, actor string, r Role) (*Framework, error) {
	if framework == "" {
		return nil, invalid("Framework", "is required")
	}
	f, err := s.store.Framework(ctx, framework)
	if errors.Is(err, ErrNotFound) {
		return nil, fieldErr(ErrNotFound, "Framework", "no framework %s", framework)
	}
	if err != nil {
		return nil, err
	}
	if !f.can(actor, r) {
		return nil, fieldErr(ErrForbidden, "actor", "%s is not %s of framework %s", actor, r, framework)
	}
	return f, nil
}

// CreateFramework creates a framework; the actor becomes its owner,
// alongside any roles f lists. An empty f.ID is given a new id; Policy
// defaults to DefaultPolicy when its AmberShare and Confidence are zero.
// It returns ErrInvalid for a bad field and ErrConflict if the id is taken.
func (s *Service) CreateFramework(ctx context.Context, key, actor string, f Framework) (*Framework, error) {
	return write(ctx, s, key, "framework.create", actor, f,
		func(now time.Time) (*Batch, string, error) {
			nf := s.newFramework(f, actor, now)
			if err := nf.Validate(); err != nil {
				return nil, "", err
			}
			return &Batch{Frameworks: []*Framework{nf},
				Events: []Event{event(nf.ID, now, actor, "framework.create", nf.ID, "")}}, nf.ID, nil
		}, s.store.Framework)
}

// newFramework fills in a framework being created.
func (s *Service) newFramework(f Framework, actor string, now time.Time) *Framework {
	nf := f
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
	return &nf
}

// GrantRole gives who a role in a framework, or takes it away when role
// is "". Only an owner may; the last owner cannot be removed. It returns
// ErrForbidden, ErrNotFound, or ErrInvalid for an unknown role.
func (s *Service) GrantRole(ctx context.Context, key, actor, framework, who string, role Role) (*Framework, error) {
	req := struct{ Framework, Who, Role string }{framework, who, string(role)}
	return write(ctx, s, key, "framework.role", actor, req,
		func(now time.Time) (*Batch, string, error) {
			f, err := s.allowed(ctx, framework, actor, RoleOwner)
			if err != nil {
				return nil, "", err
			}
			if who == "" {
				return nil, "", invalid("who", "is required")
			}
			nf := *f
			nf.Roles = make(map[string]Role, len(f.Roles)+1)
			for k, v := range f.Roles {
				nf.Roles[k] = v
			}
			if role == "" {
				delete(nf.Roles, who)
			} else {
				nf.Roles[who] = role
			}
			nf.Version, nf.UpdatedAt, nf.UpdatedBy = f.Version+1, now, actor
			if err := nf.Validate(); err != nil {
				return nil, "", err
			}
			return &Batch{Frameworks: []*Framework{&nf},
				Events: []Event{event(f.ID, now, actor, "framework.role", who, string(role))}}, f.ID, nil
		}, s.store.Framework)
}

// PutIndicator creates an indicator (ind.Version 0) or changes one
// (ind.Version is the version read; a stale one is ErrConflict). Only the
// framework's owner or an editor may. It returns ErrInvalid for a bad
// field — a missing polarity, a period of the wrong type, a target before
// its baseline — and ErrForbidden, ErrNotFound or ErrConflict.
func (s *Service) PutIndicator(ctx context.Context, key, actor string, ind Indicator) (*Indicator, error) {
	return write(ctx, s, key, "indicator.put", actor, ind,
		func(now time.Time) (*Batch, string, error) {
			if _, err := s.allowed(ctx, ind.Framework, actor, RoleEditor); err != nil {
				return nil, "", err
			}
			ni := ind
			action := "indicator.create"
			if ind.Version == 0 {
				if ni.ID == "" {
					ni.ID = s.newID("ind", now)
				}
				ni.Version, ni.CreatedAt, ni.CreatedBy = 1, now, actor
			} else {
				old, err := s.store.Indicator(ctx, ind.ID)
				if err != nil {
					return nil, "", fmt.Errorf("indicator %s: %w", ind.ID, err)
				}
				if old.Version != ind.Version {
					return nil, "", fieldErr(ErrConflict, "Version", "indicator %s is at version %d, not %d", ind.ID, old.Version, ind.Version)
				}
				if old.Framework != ind.Framework {
					return nil, "", invalid("Framework", "an indicator cannot move to another framework")
				}
				ni.Version, ni.CreatedAt, ni.CreatedBy = old.Version+1, old.CreatedAt, old.CreatedBy
				action = "indicator.update"
			}
			ni.UpdatedAt, ni.UpdatedBy = now, actor
			if err := ni.Validate(); err != nil {
				return nil, "", err
			}
			return &Batch{Indicators: []*Indicator{&ni},
				Events: []Event{event(ni.Framework, now, actor, action, ni.ID, "")}}, ni.ID, nil
		}, s.store.Indicator)
}

// Record reports a measurement: the first for its indicator, area and
// period, or a revision of the latest one (which stays in the history).
// The confidence interval is computed from the count and denominator
// unless supplied (see Measurement.Interval). Contributors, editors and
// owners may record. It returns ErrInvalid for a bad field — a percentage
// over 100, a denominator of zero or below the count, a period of the
// wrong type — and ErrForbidden or ErrNotFound. A retry returns the
// revision the first call made, not a later one.
func (s *Service) Record(ctx context.Context, key, actor string, m Measurement) (*Measurement, error) {
	return write(ctx, s, key, "measurement.record", actor, m,
		func(now time.Time) (*Batch, string, error) {
			ind, err := s.indicator(ctx, m.Indicator)
			if err != nil {
				return nil, "", err
			}
			if _, err := s.allowed(ctx, ind.Framework, actor, RoleContributor); err != nil {
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
func (s *Service) revision(ctx context.Context, ind *Indicator, m Measurement, actor string, now time.Time) (*Measurement, error) {
	nm := m.Clone()
	nm.Revision, nm.RecordedAt, nm.RecordedBy = 1, now, actor
	if nm.Lower == nil || nm.Upper == nil {
		nm.CIMethod = ""
	}
	if err := nm.Validate(ind); err != nil {
		return nil, err
	}
	nm.Interval(ind)
	old, err := s.store.Measurement(ctx, nm.Key())
	switch {
	case err == nil:
		nm.Revision = old.Revision + 1
	case !errors.Is(err, ErrNotFound):
		return nil, err
	}
	return nm, nil
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
	parts := splitN(s, '|', 3)
	if len(parts) != 3 {
		return k, fmt.Errorf("measurement key %q: %w", s, ErrInvalid)
	}
	p, err := ParsePeriod(parts[2])
	if err != nil {
		return k, fmt.Errorf("measurement key %q: %w", s, ErrInvalid)
	}
	return MeasurementKey{Indicator: parts[0], Area: parts[1], Period: p}, nil
}

func splitN(s string, sep byte, n int) []string {
	var out []string
	for len(out) < n-1 {
		i := -1
		for j := 0; j < len(s); j++ {
			if s[j] == sep {
				i = j
				break
			}
		}
		if i < 0 {
			break
		}
		out = append(out, s[:i])
		s = s[i+1:]
	}
	return append(out, s)
}

// AddStory records a case study as a draft (or published, if s.Status is
// StoryPublished and consent is given). Contributors and above may. It
// returns ErrInvalid for a bad field (no consent for a published story, no
// indicator or programme), ErrNotFound for an unknown indicator, and
// ErrForbidden.
func (s *Service) AddStory(ctx context.Context, key, actor string, st Story) (*Story, error) {
	return write(ctx, s, key, "story.add", actor, st,
		func(now time.Time) (*Batch, string, error) {
			if _, err := s.allowed(ctx, st.Framework, actor, RoleContributor); err != nil {
				return nil, "", err
			}
			if st.Indicator != "" {
				ind, err := s.indicator(ctx, st.Indicator)
				if err != nil {
					return nil, "", err
				}
				if ind.Framework != st.Framework {
					return nil, "", invalid("Indicator", "%s belongs to another framework", st.Indicator)
				}
			}
			ns := st.Clone()
			if ns.ID == "" {
				ns.ID = s.newID("story", now)
			}
			if ns.Status == "" {
				ns.Status = StoryDraft
			}
			if ns.Status == StoryWithdrawn {
				return nil, "", invalid("Status", "a new story is a draft or published")
			}
			ns.Date = norm(ns.Date)
			ns.Consent.Date = norm(ns.Consent.Date)
			ns.Version, ns.CreatedAt, ns.CreatedBy, ns.UpdatedAt, ns.UpdatedBy = 1, now, actor, now, actor
			if err := ns.Validate(); err != nil {
				return nil, "", err
			}
			return &Batch{Stories: []*Story{ns},
				Events: []Event{event(ns.Framework, now, actor, "story.add", ns.ID, string(ns.Status))}}, ns.ID, nil
		}, s.store.Story)
}

// PublishStory publishes a draft story; it needs consent given. Editors
// and owners may. It returns ErrInvalidTransition if the story is not a
// draft, ErrInvalid without consent, ErrForbidden or ErrNotFound.
func (s *Service) PublishStory(ctx context.Context, key, actor, story string) (*Story, error) {
	return s.moveStory(ctx, key, actor, story, StoryPublished, "")
}

// WithdrawStory withdraws a story — when the person it is about withdraws
// consent — so it is never shown again. Editors and owners may. It
// returns ErrInvalidTransition if it is withdrawn already.
func (s *Service) WithdrawStory(ctx context.Context, key, actor, story, reason string) (*Story, error) {
	return s.moveStory(ctx, key, actor, story, StoryWithdrawn, reason)
}

func (s *Service) moveStory(ctx context.Context, key, actor, story string, to StoryStatus, reason string) (*Story, error) {
	req := struct{ Story, To, Reason string }{story, string(to), reason}
	return write(ctx, s, key, "story."+string(to), actor, req,
		func(now time.Time) (*Batch, string, error) {
			st, err := s.store.Story(ctx, story)
			if err != nil {
				return nil, "", fmt.Errorf("story %s: %w", story, err)
			}
			if _, err := s.allowed(ctx, st.Framework, actor, RoleEditor); err != nil {
				return nil, "", err
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
			if err := ns.Validate(); err != nil {
				return nil, "", err
			}
			return &Batch{Stories: []*Story{ns},
				Events: []Event{event(ns.Framework, now, actor, "story."+string(to), ns.ID, reason)}}, ns.ID, nil
		}, s.store.Story)
}
