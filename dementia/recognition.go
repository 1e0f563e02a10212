package dementia

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"

	"github.com/strongertogether/community/call"
)

// RegisterCommunity registers a community working towards recognition.
// Only a coordinator may.
func (s *Service) RegisterCommunity(ctx context.Context, w call.Write, c NewCommunity) (*Community, error) {
	if err := checkText("Name", c.Name, maxName, true); err != nil {
		return nil, err
	}
	if err := checkDate("Registered", c.Registered); err != nil {
		return nil, err
	}
	return write(ctx, s, w, "dementia.community", c, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			cm := &Community{ID: s.newID("com"), Name: c.Name, Registered: day(c.Registered), Version: 1, CreatedAt: now, UpdatedAt: now}
			return &Batch{Communities: []*Community{cm}}, cm.ID, nil
		}, s.store.Community)
}

// Community returns a community and its history. Recognition is public,
// so the read is open.
func (s *Service) Community(ctx context.Context, id string) (*Community, error) {
	return get(ctx, s.store.Community, "community", id)
}

// changeCommunity applies f to a community in one idempotent write.
func (s *Service) changeCommunity(ctx context.Context, w call.Write, op, id string, req any, f func(c *Community, now time.Time) error) (*Community, error) {
	return write(ctx, s, w, op, struct {
		ID  string
		Req any
	}{id, req}, s.may(w.Actor, RoleCoordinator),
		func(now time.Time) (*Batch, string, error) {
			c, err := get(ctx, s.store.Community, "community", id)
			if err != nil {
				return nil, "", err
			}
			if err := f(c, now); err != nil {
				return nil, "", err
			}
			c.Version++
			c.UpdatedAt = now
			return &Batch{Communities: []*Community{c}}, c.ID, nil
		}, s.store.Community)
}

// SetCriterion records a foundation criterion as met or not yet, with its
// evidence, from the day on. Earlier states stay in the history.
func (s *Service) SetCriterion(ctx context.Context, w call.Write, community string, st CriterionState) (*Community, error) {
	if !slices.Contains(Criteria(), st.Criterion) {
		return nil, invalid("Criterion", "%q is not a foundation criterion", st.Criterion)
	}
	if err := checkText("Evidence", st.Evidence, maxText, st.Met); err != nil {
		return nil, err
	}
	if err := checkDate("On", st.On); err != nil {
		return nil, err
	}
	st.On = day(st.On)
	return s.changeCommunity(ctx, w, "dementia.criterion", community, st, func(c *Community, _ time.Time) error {
		c.Criteria = append(c.Criteria, st)
		return nil
	})
}

// SendUpdate records the community's progress update sent on a day.
func (s *Service) SendUpdate(ctx context.Context, w call.Write, community string, on time.Time) (*Community, error) {
	if err := checkDate("On", on); err != nil {
		return nil, err
	}
	on = day(on)
	return s.changeCommunity(ctx, w, "dementia.update", community, on, func(c *Community, _ time.Time) error {
		if on.Before(c.Registered) {
			return invalid("On", "is before the community registered")
		}
		c.Updates = append(c.Updates, on)
		return nil
	})
}

// SelfAssess records an annual self-assessment: a score from 0 to 5 for
// each PAS 1365 area assessed. An area PAS 1365 does not have is
// ErrUnknownArea.
func (s *Service) SelfAssess(ctx context.Context, w call.Write, community string, a Assessment) (*Community, error) {
	if err := checkDate("On", a.On); err != nil {
		return nil, err
	}
	if len(a.Scores) == 0 {
		return nil, invalid("Scores", "score at least one area")
	}
	for _, ar := range slices.Sorted(maps.Keys(a.Scores)) {
		if !ar.Valid() {
			return nil, fieldErr(ErrUnknownArea, "Scores", "%q is not a PAS 1365 area", ar)
		}
		if v := a.Scores[ar]; v < 0 || v > 5 {
			return nil, invalid("Scores["+string(ar)+"]", "is %d; scores run from 0 to 5", v)
		}
	}
	a = Assessment{On: day(a.On), Scores: maps.Clone(a.Scores)}
	return s.changeCommunity(ctx, w, "dementia.assess", community, a, func(c *Community, _ time.Time) error {
		if a.On.Before(c.Registered) {
			return invalid("On", "is before the community registered")
		}
		c.Assessments = append(c.Assessments, a)
		sort.SliceStable(c.Assessments, func(i, j int) bool { return c.Assessments[i].On.Before(c.Assessments[j].On) })
		return nil
	})
}

// Recognition is where a community stands on a day.
type Recognition struct {
	Community string
	On        time.Time
	// Criteria holds each foundation criterion's latest state on the day.
	Criteria map[Criterion]bool
	// Foundation is whether every foundation criterion is met.
	Foundation bool
	// UpdateDue is the date of the 6-month update (6 months after
	// registering); UpdateState is DueNotYet/DueSoon/DueLate, or "" once
	// an update was sent.
	UpdateDue   time.Time
	UpdateState Due
	// AssessmentDue is the next anniversary of registration not covered
	// by a self-assessment in the year before it.
	AssessmentDue   time.Time
	AssessmentState Due
	// Years holds each self-assessment's total score and mean per area
	// scored, by date, so progress shows year on year.
	Years []YearScore
}

// YearScore is one self-assessment's totals.
type YearScore struct {
	On    time.Time
	Areas int
	Total int
}

// RecognitionOn computes c's standing on a day.
func RecognitionOn(c *Community, on time.Time) *Recognition {
	on = day(on)
	r := &Recognition{Community: c.ID, On: on, Criteria: map[Criterion]bool{}}
	for _, cr := range Criteria() {
		r.Criteria[cr] = false
	}
	for _, st := range c.Criteria {
		if !st.On.After(on) {
			r.Criteria[st.Criterion] = st.Met
		}
	}
	r.Foundation = true
	for _, met := range r.Criteria {
		r.Foundation = r.Foundation && met
	}
	r.UpdateDue = c.Registered.AddDate(0, 6, 0)
	r.UpdateState = dueState(on, r.UpdateDue)
	for _, u := range c.Updates {
		if !u.After(on) {
			r.UpdateState = ""
		}
	}
	for n := 1; ; n++ {
		anniv := c.Registered.AddDate(n, 0, 0)
		covered := false
		for _, a := range c.Assessments {
			if !a.On.After(on) && !a.On.After(anniv) && a.On.After(anniv.AddDate(-1, 0, 0)) {
				covered = true
			}
		}
		if !covered || anniv.After(on.AddDate(1, 0, 0)) {
			r.AssessmentDue = anniv
			r.AssessmentState = dueState(on, anniv)
			break
		}
	}
	for _, a := range c.Assessments {
		if a.On.After(on) {
			continue
		}
		y := YearScore{On: a.On, Areas: len(a.Scores)}
		for _, v := range a.Scores {
			y.Total += v
		}
		r.Years = append(r.Years, y)
	}
	return r
}

// Recognition returns a community's standing on the clock's day.
func (s *Service) Recognition(ctx context.Context, id string) (*Recognition, error) {
	c, err := get(ctx, s.store.Community, "community", id)
	if err != nil {
		return nil, fmt.Errorf("dementia.recognition: %w", err)
	}
	return RecognitionOn(c, s.clock()), nil
}

func communitiesDue(on time.Time, comms []*Community) []CommunityDue {
	out := []CommunityDue{}
	for _, c := range comms {
		r := RecognitionOn(c, on)
		if r.UpdateState == DueSoon || r.UpdateState == DueLate {
			out = append(out, CommunityDue{Community: c.ID, What: "update", Date: r.UpdateDue, State: r.UpdateState})
		}
		if r.AssessmentState == DueSoon || r.AssessmentState == DueLate {
			out = append(out, CommunityDue{Community: c.ID, What: "assessment", Date: r.AssessmentDue, State: r.AssessmentState})
		}
	}
	return out
}
