package locality

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
)

// NewCase is a person introduced to a Local Area Coordinator.
type NewCase struct {
	Area string
	// Person is the person's id in the council's systems; the case id when
	// empty.
	Person     string
	Route      Route
	AgeBand    string
	Name       string
	Contact    string
	Introduced time.Time
}

// Introduce opens a case for a person introduced to the coordinator (the
// caller) in an area of Local Area Coordination. An unknown route is
// ErrUnknownRoute, an unknown area ErrUnknownArea.
func (s *Service) Introduce(ctx context.Context, w call.Write, in NewCase) (*Case, error) {
	if !slices.Contains(Routes(), in.Route) {
		return nil, fieldErr(ErrUnknownRoute, "Route", "%q is not one of %v", in.Route, Routes())
	}
	if !slices.Contains(AgeBands(), in.AgeBand) {
		return nil, invalid("AgeBand", "%q is not one of %v", in.AgeBand, AgeBands())
	}
	for _, f := range []struct {
		name, v string
		max     int
		req     bool
	}{{"Name", in.Name, maxName, true}, {"Contact", in.Contact, maxName, false}} {
		if err := checkText(f.name, f.v, f.max, f.req); err != nil {
			return nil, err
		}
	}
	if err := checkOptionalID("Person", in.Person); err != nil {
		return nil, err
	}
	if in.Introduced.IsZero() {
		return nil, invalid("Introduced", "is required")
	}
	in.Introduced = utc(in.Introduced)
	id := s.newID()
	return write(ctx, s, w, "locality.introduce", in, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			if _, err := s.area(ctx, in.Area, LAC); err != nil {
				return nil, "", err
			}
			person := in.Person
			if person == "" {
				person = id
			}
			c := &Case{ID: id, Area: in.Area, Coordinator: w.Actor.ID, Person: person, Route: in.Route, AgeBand: in.AgeBand,
				Name: in.Name, Contact: in.Contact, Introduced: in.Introduced, Version: 1, CreatedAt: now, UpdatedAt: now}
			return &Batch{Cases: []*Case{c}}, id, nil
		}, s.store.Case)
}

// updateCase changes an open case through f.
func (s *Service) updateCase(ctx context.Context, w call.Write, op, id string, req any, f func(c *Case, now time.Time) error) (*Case, error) {
	return write(ctx, s, w, op, struct {
		ID  string
		Req any
	}{id, req}, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			c, err := get(ctx, s.store.Case, "case", id)
			if err != nil {
				return nil, "", err
			}
			if c.Closed != nil {
				return nil, "", fmt.Errorf("case %s: %w", id, ErrClosed)
			}
			if err := f(c, now); err != nil {
				return nil, "", err
			}
			c.Version++
			c.UpdatedAt = now
			return &Batch{Cases: []*Case{c}}, id, nil
		}, s.store.Case)
}

// NewConversation is a "what a good life looks like" conversation and the
// goals it set.
type NewConversation struct {
	On    time.Time
	Notes string
	Goals []string
}

// GoodLife records a good-life conversation of a case and the goals it
// set.
func (s *Service) GoodLife(ctx context.Context, w call.Write, caseID string, in NewConversation) (*Case, error) {
	if in.On.IsZero() {
		return nil, invalid("On", "is required")
	}
	if err := checkText("Notes", in.Notes, maxText, false); err != nil {
		return nil, err
	}
	if err := checkList("Goals", in.Goals, maxText); err != nil {
		return nil, err
	}
	in.On, in.Goals = utc(in.On), slices.Clone(in.Goals)
	ids := make([]string, len(in.Goals))
	for i := range ids {
		ids[i] = s.newID()
	}
	return s.updateCase(ctx, w, "locality.good_life", caseID, in, func(c *Case, _ time.Time) error {
		conv := Conversation{On: in.On, Notes: in.Notes, Goals: ids}
		for i, g := range in.Goals {
			c.Goals = append(c.Goals, Goal{ID: ids[i], Text: g, Set: in.On})
		}
		c.Conversations = append(c.Conversations, conv)
		return nil
	})
}

// Connect records a connection made for a case: to a person, a group, or
// a directory service (checked against the Directory when one is set).
func (s *Service) Connect(ctx context.Context, w call.Write, caseID string, in Connection) (*Case, error) {
	if err := checkConnection(in); err != nil {
		return nil, err
	}
	if in.Kind == ToService && s.dir != nil {
		if err := s.dir.ListingExists(ctx, in.To); err != nil {
			return nil, fmt.Errorf("connect: listing %s: %w", in.To, fieldErr(ErrNotFound, "To", "is not a directory listing"))
		}
	}
	in.On = utc(in.On)
	return s.updateCase(ctx, w, "locality.connect", caseID, in, func(c *Case, _ time.Time) error {
		c.Connections = append(c.Connections, in)
		return nil
	})
}

func checkConnection(in Connection) error {
	if in.On.IsZero() {
		return invalid("On", "is required")
	}
	switch in.Kind {
	case ToPerson, ToGroup, ToService:
	default:
		return invalid("Kind", "%q is not person, group or service", in.Kind)
	}
	if err := checkText("To", in.To, maxName, true); err != nil {
		return err
	}
	return checkText("Note", in.Note, maxText, false)
}

// Coordinate records services coordinated for a case across boundaries.
func (s *Service) Coordinate(ctx context.Context, w call.Write, caseID string, in Coordination) (*Case, error) {
	if in.On.IsZero() {
		return nil, invalid("On", "is required")
	}
	if err := checkText("Service", in.Service, maxName, true); err != nil {
		return nil, err
	}
	if err := checkList("Agencies", in.Agencies, maxName); err != nil {
		return nil, err
	}
	in.On, in.Agencies = utc(in.On), slices.Clone(in.Agencies)
	return s.updateCase(ctx, w, "locality.coordinate", caseID, in, func(c *Case, _ time.Time) error {
		c.Coordinated = append(c.Coordinated, in)
		return nil
	})
}

// MeetGoal records that a goal of a case was met on a date.
func (s *Service) MeetGoal(ctx context.Context, w call.Write, caseID, goalID string, on time.Time) (*Case, error) {
	if on.IsZero() {
		return nil, invalid("on", "is required")
	}
	on = utc(on)
	return s.updateCase(ctx, w, "locality.meet_goal", caseID, struct {
		Goal string
		On   time.Time
	}{goalID, on}, func(c *Case, _ time.Time) error {
		i := slices.IndexFunc(c.Goals, func(g Goal) bool { return g.ID == goalID })
		if i < 0 {
			return notFound("goal", goalID)
		}
		if c.Goals[i].Met != nil {
			return fieldErr(ErrConflict, "goal", "%s was met already", goalID)
		}
		c.Goals[i].Met = &on
		return nil
	})
}

// Closure closes a case: its outcome, and a story told with consent.
type Closure struct {
	On           time.Time
	Outcome      string
	Story        string
	StoryConsent bool
}

// Close closes a case. A story without consent is ErrNoConsent.
func (s *Service) Close(ctx context.Context, w call.Write, caseID string, in Closure) (*Case, error) {
	if in.On.IsZero() {
		return nil, invalid("On", "is required")
	}
	if err := checkText("Outcome", in.Outcome, maxText, true); err != nil {
		return nil, err
	}
	if err := checkText("Story", in.Story, maxText, false); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Story) != "" && !in.StoryConsent {
		return nil, fieldErr(ErrNoConsent, "StoryConsent", "a story is kept only with the person's consent")
	}
	in.On = utc(in.On)
	return s.updateCase(ctx, w, "locality.close", caseID, in, func(c *Case, _ time.Time) error {
		if in.On.Before(c.Introduced) {
			return invalid("On", "is before the introduction")
		}
		c.Closed, c.Outcome, c.Story, c.StoryConsent = &in.On, in.Outcome, in.Story, in.StoryConsent
		return nil
	})
}

// Case returns a case. Coordinators and managers may read it.
func (s *Service) Case(ctx context.Context, a call.Actor, id string) (*Case, error) {
	if err := s.check(ctx, a, RoleCoordinator, RoleManager); err != nil {
		return nil, fmt.Errorf("case: %w", err)
	}
	return get(ctx, s.store.Case, "case", id)
}

// Cases returns the cases q selects. Coordinators and managers may read
// them.
func (s *Service) Cases(ctx context.Context, a call.Actor, q Query) ([]*Case, error) {
	if err := s.check(ctx, a, RoleCoordinator, RoleManager); err != nil {
		return nil, fmt.Errorf("cases: %w", err)
	}
	return s.store.Cases(ctx, q)
}

// NewAvoided is an avoided use of a service: Quantity units of a unit
// cost, with evidence and its confidence.
type NewAvoided struct {
	On         time.Time
	Unit       string
	Quantity   decimal.Decimal
	Evidence   string
	Confidence Confidence
}

// RecordAvoided records avoided service use for a case (open or closed).
// Without evidence or confidence it is ErrNoEvidence; a negative quantity
// ErrNegative.
func (s *Service) RecordAvoided(ctx context.Context, w call.Write, caseID string, in NewAvoided) (*Avoided, error) {
	switch {
	case in.On.IsZero():
		return nil, invalid("On", "is required")
	case strings.TrimSpace(in.Evidence) == "":
		return nil, fieldErr(ErrNoEvidence, "Evidence", "is required: say how the avoided use is known")
	case !slices.Contains(Confidences(), in.Confidence):
		return nil, fieldErr(ErrNoEvidence, "Confidence", "%q is not one of high, medium, low", in.Confidence)
	case in.Quantity.IsNegative():
		return nil, fieldErr(ErrNegative, "Quantity", "is %s; a quantity is never negative", in.Quantity)
	case in.Quantity.GreaterThan(decimal.NewFromInt(maxCount)):
		return nil, invalid("Quantity", "is over %d", maxCount)
	}
	if err := checkText("Unit", in.Unit, maxID, true); err != nil {
		return nil, err
	}
	if err := checkText("Evidence", in.Evidence, maxText, true); err != nil {
		return nil, err
	}
	in.On = utc(in.On)
	id := s.newID()
	return write(ctx, s, w, "locality.record_avoided", struct {
		Case string
		In   NewAvoided
	}{caseID, in}, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			c, err := get(ctx, s.store.Case, "case", caseID)
			if err != nil {
				return nil, "", err
			}
			v := &Avoided{ID: id, Case: c.ID, Area: c.Area, Person: c.Person, On: in.On, Unit: in.Unit, Quantity: in.Quantity,
				Evidence: in.Evidence, Confidence: in.Confidence, Version: 1, CreatedAt: now, UpdatedAt: now}
			return &Batch{Avoided: []*Avoided{v}}, id, nil
		}, s.store.AvoidedEvent)
}

// AvoidedEvents returns the avoided events dated in [from, to), with
// their evidence text. Managers may read them; the app adapts them to
// outcomes/costs events.
func (s *Service) AvoidedEvents(ctx context.Context, a call.Actor, from, to time.Time) ([]*Avoided, error) {
	if err := s.check(ctx, a, RoleManager); err != nil {
		return nil, fmt.Errorf("avoided events: %w", err)
	}
	return s.store.Avoided(ctx, Query{From: from, To: to})
}
