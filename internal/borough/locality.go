package borough

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs/locality"
	"github.com/strongertogether/community/outcomes/costs"
)

// LocalityFrom and LocalityTo bound the locality year GenerateLocality
// writes: the financial year 2014/15, the first year all three programmes
// ran (seed 002).
var (
	LocalityFrom = time.Date(2014, 4, 1, 0, 0, 0, 0, time.UTC)
	LocalityTo   = time.Date(2015, 4, 1, 0, 0, 0, 0, time.UTC)
)

// Wards returns Thurrock's twenty wards (as drawn from 2004 to 2024) in
// alphabetical order: the rows of the partnership's ward matrix. Small
// Sparks projects happen in eighteen of them.
func Wards() []string {
	return []string{"Aveley and Uplands", "Belhus", "Chadwell St Mary", "Chafford and North Stifford",
		"Corringham and Fobbing", "East Tilbury", "Grays Riverside", "Grays Thurrock", "Little Thurrock Blackshots",
		"Little Thurrock Rectory", "Ockendon", "Orsett", "South Chafford", "Stanford East and Corringham Town",
		"Stanford-le-Hope West", "Stifford Clays", "The Homesteads", "Tilbury Riverside and Thurrock Park",
		"Tilbury St Chads", "West Thurrock and South Stifford"}
}

// OrganiserWards returns the four wards the ngage Community Organisers
// work in, each with a Community First panel (seed 002).
func OrganiserWards() []string {
	return []string{"Tilbury St Chads", "Tilbury Riverside and Thurrock Park", "Chadwell St Mary", "West Thurrock and South Stifford"}
}

// LocalityRun is who GenerateLocality made staff: Manager may read the
// avoided events (LocalityCosts reads as them).
type LocalityRun struct {
	Admin, Manager, Coordinator, Organiser, Builder call.Actor
}

// LocalityStaff returns the staff GenerateLocality appoints.
func LocalityStaff() *LocalityRun {
	return &LocalityRun{Admin: call.As("locality-admin"), Manager: call.As("locality-manager"), Coordinator: call.As("lac-1"),
		Organiser: call.As("organiser-1"), Builder: call.As("builder-1")}
}

// GenerateLocality writes the locality year [LocalityFrom, LocalityTo)
// through svc, which must hold an empty store: its staff (an
// administrator who bootstraps the store, a manager, a coordinator, an
// organiser and a builder), two LAC areas (Purfleet, Tilbury; since July
// 2013), the ngage organisers' area over OrganiserWards (since February
// 2014), and two builders' localities (Chadwell St Mary; Aveley with
// Stifford Clays). Eighteen people are introduced to LAC, one a fortnight,
// each with a good-life conversation, a connection and a goal met; every
// third records an avoided service use (day-care sessions, bed-weeks,
// direct-payment months in turn) and a third of the cases close. The
// organisers record monthly listening in each ward and one issue taken
// to an outcome; the builders map assets, match a gift-board offer with a
// request (the seed's garden cleared by a school's allotment project),
// hold an ideas fair and three Community of Practice events in Stifford
// Clays, Chadwell St Mary and Aveley. Idempotency keys are made from a
// counter, as a form's submission ids would be.
func GenerateLocality(ctx context.Context, svc *locality.Service) (*LocalityRun, error) {
	run := LocalityStaff()
	if err := generateLocality(ctx, svc, run); err != nil {
		return nil, fmt.Errorf("locality year: %w", err)
	}
	return run, nil
}

func generateLocality(ctx context.Context, svc *locality.Service, run *LocalityRun) error {
	year := LocalityFrom
	k := 0
	key := func(a call.Actor) call.Write { k++; return a.Key(fmt.Sprint("form-", k)) }
	admin, lac, org, bld := run.Admin, run.Coordinator, run.Organiser, run.Builder
	if err := svc.Bootstrap(ctx, admin); err != nil {
		return err
	}
	for _, g := range []struct {
		a call.Actor
		r locality.Role
	}{{run.Manager, locality.RoleManager}, {lac, locality.RoleCoordinator}, {org, locality.RoleOrganiser}, {bld, locality.RoleBuilder}} {
		if _, err := svc.Grant(ctx, key(admin), g.a.ID, g.r); err != nil {
			return err
		}
	}
	since := time.Date(2013, 7, 1, 0, 0, 0, 0, time.UTC)
	for _, a := range []locality.NewArea{
		{ID: "lac-purfleet", Name: "Purfleet", Programme: locality.LAC, Wards: []string{"West Thurrock and South Stifford"}, Since: since},
		{ID: "lac-tilbury", Name: "Tilbury", Programme: locality.LAC, Wards: []string{"Tilbury St Chads", "Tilbury Riverside and Thurrock Park"}, Since: since},
		{ID: "co-ngage", Name: "ngage Community Organisers", Programme: locality.Organisers, Wards: OrganiserWards(), Panel: "Community First", Since: since.AddDate(0, 7, 0)},
		{ID: "abcd-chadwell", Name: "Chadwell St Mary", Programme: locality.Builders, Wards: []string{"Chadwell St Mary"}, Since: year},
		{ID: "abcd-aveley", Name: "Aveley", Programme: locality.Builders, Wards: []string{"Aveley and Uplands", "Stifford Clays"}, Since: year},
	} {
		if _, err := svc.AddArea(ctx, key(admin), a); err != nil {
			return err
		}
	}
	units := []struct {
		unit string
		q    int64
		conf locality.Confidence
	}{{"day-care-session", 24, locality.High}, {"bed-week", 2, locality.Medium}, {"direct-payment-month", 6, locality.Low}}
	for i := range 18 {
		area := []string{"lac-purfleet", "lac-tilbury"}[i%2]
		on := year.AddDate(0, 0, 14*i)
		c, err := svc.Introduce(ctx, key(lac), locality.NewCase{Area: area, Route: locality.Routes()[i%6], AgeBand: locality.AgeBands()[1+i%7],
			Name: fmt.Sprint("Resident ", i), Introduced: on})
		if err != nil {
			return err
		}
		if c, err = svc.GoodLife(ctx, key(lac), c.ID, locality.NewConversation{On: on.AddDate(0, 0, 7), Goals: []string{"meet people", "manage at home"}}); err != nil {
			return err
		}
		if _, err = svc.Connect(ctx, key(lac), c.ID, locality.Connection{On: on.AddDate(0, 0, 14), Kind: locality.ToGroup, To: "lunch club"}); err != nil {
			return err
		}
		if _, err = svc.MeetGoal(ctx, key(lac), c.ID, c.Goals[0].ID, on.AddDate(0, 1, 0)); err != nil {
			return err
		}
		if i%3 == 0 {
			u := units[(i/3)%3]
			if _, err = svc.RecordAvoided(ctx, key(lac), c.ID, locality.NewAvoided{On: on.AddDate(0, 2, 0), Unit: u.unit,
				Quantity: decimal.NewFromInt(u.q), Evidence: "case record", Confidence: u.conf}); err != nil {
				return err
			}
		}
		if i%3 == 1 {
			if _, err = svc.Close(ctx, key(lac), c.ID, locality.Closure{On: on.AddDate(0, 3, 0), Outcome: "connected locally"}); err != nil {
				return err
			}
		}
	}
	for m := range 12 {
		for i, wd := range OrganiserWards() {
			from := year.AddDate(0, m, 0)
			if _, err := svc.RecordListening(ctx, key(org), locality.NewListening{Area: "co-ngage", Ward: wd, From: from, To: from.AddDate(0, 1, 0),
				Conversations: int64(10 + 3*i + m%4), Themes: []string{[]string{"parking", "youth", "litter", "safety"}[(i+m)%4]}}); err != nil {
				return err
			}
		}
	}
	is, err := svc.RaiseIssue(ctx, key(org), locality.NewIssue{Area: "co-ngage", Ward: "Tilbury St Chads", Raised: year.AddDate(0, 2, 0), Title: "Parking on the green"})
	if err != nil {
		return err
	}
	if is, err = svc.AddAction(ctx, key(org), is.ID, year.AddDate(0, 3, 0), "residents' petition"); err != nil {
		return err
	}
	if _, err = svc.ActionOutcome(ctx, key(org), is.ID, is.Actions[0].ID, year.AddDate(0, 5, 0), "bollards agreed"); err != nil {
		return err
	}
	for _, a := range []locality.NewAsset{
		{Area: "abcd-chadwell", Kind: locality.Place, Name: "School allotment"},
		{Area: "abcd-chadwell", Kind: locality.Association, Name: "Residents' association"},
		{Area: "abcd-chadwell", Kind: locality.Skill, Name: "gardening", PersonName: "A Neighbour", Consent: true},
		{Area: "abcd-aveley", Ward: "Aveley and Uplands", Kind: locality.Place, Name: "Community forum"},
		{Area: "abcd-aveley", Ward: "Stifford Clays", Kind: locality.Association, Name: "Walking group"},
	} {
		if _, err := svc.AddAsset(ctx, key(bld), a); err != nil {
			return err
		}
	}
	o, err := svc.PostGift(ctx, key(bld), locality.NewGift{Area: "abcd-chadwell", Kind: locality.Offer, Text: "the school's allotment project clears gardens", Posted: year.AddDate(0, 2, 0)})
	if err != nil {
		return err
	}
	r, err := svc.PostGift(ctx, key(bld), locality.NewGift{Area: "abcd-chadwell", Kind: locality.Request, Text: "an overgrown garden", Posted: year.AddDate(0, 2, 3)})
	if err != nil {
		return err
	}
	if _, err = svc.MatchGifts(ctx, key(bld), o.ID, r.ID, year.AddDate(0, 2, 10)); err != nil {
		return err
	}
	if _, err = svc.HoldFair(ctx, key(bld), locality.NewFair{Area: "abcd-chadwell", On: year.AddDate(0, 3, 0), Place: "Chadwell St Mary Centre", Attendance: 80, Ideas: 25, Connections: 12}); err != nil {
		return err
	}
	for _, p := range []struct{ area, ward, place string }{{"abcd-aveley", "Stifford Clays", "Stifford Clays"}, {"abcd-chadwell", "", "Chadwell St Mary"}, {"abcd-aveley", "Aveley and Uplands", "Aveley"}} {
		if _, err = svc.HoldPractice(ctx, key(bld), locality.NewPractice{Area: p.area, Ward: p.ward, On: year.AddDate(0, 4, 0), Place: p.place, Attendance: 20}); err != nil {
			return err
		}
	}
	return nil
}

// LocalityCosts is how an app gives outcomes/costs the avoided service
// use Local Area Coordination records: locality.Service.AvoidedEvents,
// read as Manager (who must hold the manager role), as costs.Events of
// the programme "lac". The events name no person.
type LocalityCosts struct {
	Locality *locality.Service
	Manager  call.Actor
}

var _ costs.Source = LocalityCosts{}

// AvoidedEvents implements costs.Source: the avoided events dated in
// [from, to).
func (c LocalityCosts) AvoidedEvents(ctx context.Context, from, to time.Time) ([]costs.Event, error) {
	av, err := c.Locality.AvoidedEvents(ctx, c.Manager, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]costs.Event, 0, len(av))
	for _, a := range av {
		out = append(out, costs.Event{Programme: string(locality.LAC), Area: a.Area, On: a.On, Unit: a.Unit, Quantity: a.Quantity,
			Evidence: a.Evidence, Confidence: costs.Confidence(a.Confidence)})
	}
	return out, nil
}
