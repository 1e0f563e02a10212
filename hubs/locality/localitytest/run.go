package localitytest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs/locality"
)

// The people of the suite: the administrator, a manager, a coordinator,
// an organiser and a builder.
const (
	Admin       = "admin"
	Manager     = "manager-1"
	Coordinator = "lac-1"
	Organiser   = "org-1"
	Builder     = "builder-1"
)

// World is a Service over a fresh store with the staff and areas of the
// seed: a LAC area (Purfleet), an organisers' patch of the four Community
// First wards, and a builders' locality (Chadwell St Mary).
type World struct {
	Svc   *locality.Service
	Store locality.Store
	keys  atomic.Int64
	now   time.Time
}

// Key returns a write by actor under a fresh key.
func (w *World) Key(actor string) call.Write {
	return call.As(actor).Key(fmt.Sprint("k-", w.keys.Add(1)))
}

// The seed's areas and wards.
var (
	OrganiserWards = []string{"Tilbury St Chads", "Tilbury Riverside and Thurrock Park", "Chadwell St Mary", "West Thurrock and South Stifford"}
	LACArea        = "lac-purfleet"
	OrganiserArea  = "co-ngage"
	BuilderArea    = "abcd-chadwell"
)

// Start is when the suite's clock starts.
var Start = time.Date(2014, 3, 3, 9, 0, 0, 0, time.UTC)

// NewWorld sets up a World over s.
func NewWorld(tb testing.TB, s locality.Store) *World {
	tb.Helper()
	ctx := context.Background()
	w := &World{Store: s, now: Start}
	var n atomic.Int64
	w.Svc = locality.NewService(s, locality.WithClock(func() time.Time { return w.now }),
		locality.WithIDs(func() string { return fmt.Sprintf("id-%04d", n.Add(1)) }))
	require.NoError(tb, w.Svc.Bootstrap(ctx, call.As(Admin)))
	for id, r := range map[string]locality.Role{Manager: locality.RoleManager, Coordinator: locality.RoleCoordinator,
		Organiser: locality.RoleOrganiser, Builder: locality.RoleBuilder} {
		_, err := w.Svc.Grant(ctx, w.Key(Admin), id, r)
		require.NoError(tb, err)
	}
	for _, a := range []locality.NewArea{
		{ID: LACArea, Name: "Purfleet", Programme: locality.LAC, Wards: []string{"West Thurrock and South Stifford"}, Worker: Coordinator, Since: time.Date(2013, 7, 1, 0, 0, 0, 0, time.UTC)},
		{ID: OrganiserArea, Name: "ngage Community Organisers", Programme: locality.Organisers, Wards: OrganiserWards, Panel: "Community First", Worker: Organiser, Since: time.Date(2014, 2, 1, 0, 0, 0, 0, time.UTC)},
		{ID: BuilderArea, Name: "Chadwell St Mary", Programme: locality.Builders, Wards: []string{"Chadwell St Mary"}, Worker: Builder, Since: time.Date(2014, 6, 1, 0, 0, 0, 0, time.UTC)},
	} {
		_, err := w.Svc.AddArea(ctx, w.Key(Admin), a)
		require.NoError(tb, err)
	}
	return w
}

func day(m time.Month, d int) time.Time { return time.Date(2014, m, d, 0, 0, 0, 0, time.UTC) }

// Run runs the conformance suite against stores made by newStore, each
// test with a fresh, empty store.
func Run(t *testing.T, newStore func(t *testing.T) locality.Store) {
	t.Run("Bootstrap", func(t *testing.T) { testBootstrap(t, newStore(t)) })
	t.Run("Case", func(t *testing.T) { testCase(t, newStore(t)) })
	t.Run("BadInput", func(t *testing.T) { testBadInput(t, newStore(t)) })
	t.Run("Roles", func(t *testing.T) { testRoles(t, newStore(t)) })
	t.Run("Organisers", func(t *testing.T) { testOrganisers(t, newStore(t)) })
	t.Run("Builders", func(t *testing.T) { testBuilders(t, newStore(t)) })
	t.Run("Erase", func(t *testing.T) { testErase(t, newStore(t)) })
	t.Run("Idempotent", func(t *testing.T) { testIdempotent(t, newStore(t)) })
	t.Run("Store", func(t *testing.T) { testStore(t, newStore(t)) })
	t.Run("WardMatrix", func(t *testing.T) { testWardMatrix(t, newStore(t)) })
	t.Run("ConcurrentMatch", func(t *testing.T) { testConcurrentMatch(t, newStore(t)) })
}

// testConcurrentMatch races eight matches of one offer with eight
// requests: exactly one wins, as the store refuses updates built from a
// stale read.
func testConcurrentMatch(t *testing.T, s locality.Store) {
	ctx := t.Context()
	w := NewWorld(t, s)
	offer, err := w.Svc.PostGift(ctx, w.Key(Builder), locality.NewGift{Area: BuilderArea, Kind: locality.Offer, Text: "a lift to the shops", Posted: day(6, 1)})
	require.NoError(t, err)
	var reqs []string
	for range 8 {
		r, err := w.Svc.PostGift(ctx, w.Key(Builder), locality.NewGift{Area: BuilderArea, Kind: locality.Request, Text: "a lift", Posted: day(6, 2)})
		require.NoError(t, err)
		reqs = append(reqs, r.ID)
	}
	var wins atomic.Int64
	done := make(chan error, len(reqs))
	for _, r := range reqs {
		go func() {
			_, err := w.Svc.MatchGifts(ctx, w.Key(Builder), offer.ID, r, day(6, 3))
			if err == nil {
				wins.Add(1)
			}
			done <- err
		}()
	}
	for range reqs {
		if err := <-done; err != nil {
			assert.ErrorIs(t, err, locality.ErrConflict)
		}
	}
	assert.Equal(t, int64(1), wins.Load())
	gs, err := s.Gifts(ctx, locality.Query{})
	require.NoError(t, err)
	matched := 0
	for _, g := range gs {
		if g.Match != "" {
			matched++
		}
	}
	assert.Equal(t, 2, matched, "the offer and one request")
}

func testBootstrap(t *testing.T, s locality.Store) {
	ctx := t.Context()
	svc := locality.NewService(s)
	require.NoError(t, svc.Bootstrap(ctx, call.As("a")))
	require.NoError(t, svc.Bootstrap(ctx, call.As("a")), "a retry by the winner")
	require.ErrorIs(t, svc.Bootstrap(ctx, call.As("b")), locality.ErrConflict)
	_, err := svc.Grant(ctx, call.As("b").Key("g"), "c", locality.RoleManager)
	require.ErrorIs(t, err, locality.ErrForbidden)
}

// CaseStory takes a case from introduction to close and returns it.
func CaseStory(tb testing.TB, w *World) *locality.Case {
	tb.Helper()
	ctx := context.Background()
	svc := w.Svc
	c, err := svc.Introduce(ctx, w.Key(Coordinator), locality.NewCase{Area: LACArea, Route: locality.RouteGP, AgeBand: "75-84",
		Name: "Test Person", Contact: "01375 000000", Introduced: day(3, 3)})
	require.NoError(tb, err)
	c, err = svc.GoodLife(ctx, w.Key(Coordinator), c.ID, locality.NewConversation{On: day(3, 10), Notes: "Wants to garden again",
		Goals: []string{"get out of the house weekly", "stop going to day care"}})
	require.NoError(tb, err)
	c, err = svc.Connect(ctx, w.Key(Coordinator), c.ID, locality.Connection{On: day(3, 17), Kind: locality.ToGroup, To: "Purfleet allotment society"})
	require.NoError(tb, err)
	c, err = svc.Coordinate(ctx, w.Key(Coordinator), c.ID, locality.Coordination{On: day(3, 20), Service: "home safety check", Agencies: []string{"Essex Fire and Rescue"}})
	require.NoError(tb, err)
	c, err = svc.MeetGoal(ctx, w.Key(Coordinator), c.ID, c.Goals[0].ID, day(4, 14))
	require.NoError(tb, err)
	_, err = svc.RecordAvoided(ctx, w.Key(Coordinator), c.ID, locality.NewAvoided{On: day(4, 28), Unit: "day-care-session",
		Quantity: decimal.NewFromInt(8), Evidence: "day centre place released", Confidence: locality.High})
	require.NoError(tb, err)
	c, err = svc.Close(ctx, w.Key(Coordinator), c.ID, locality.Closure{On: day(5, 30), Outcome: "gardening weekly with neighbours",
		Story: "I have my Tuesdays back.", StoryConsent: true})
	require.NoError(tb, err)
	return c
}

func testCase(t *testing.T, s locality.Store) {
	ctx := t.Context()
	w := NewWorld(t, s)
	c := CaseStory(t, w)
	got, err := w.Svc.Case(ctx, call.As(Manager), c.ID)
	require.NoError(t, err)
	assert.Equal(t, c, got)
	assert.Equal(t, c.ID, got.Person)
	assert.Equal(t, int64(6), got.Version)
	require.Len(t, got.Goals, 2)
	assert.Equal(t, day(4, 14), *got.Goals[0].Met)
	assert.Nil(t, got.Goals[1].Met)
	assert.Equal(t, []string{"Essex Fire and Rescue"}, got.Coordinated[0].Agencies)
	assert.Equal(t, day(5, 30), *got.Closed)

	_, err = w.Svc.Connect(ctx, w.Key(Coordinator), c.ID, locality.Connection{On: day(6, 1), Kind: locality.ToPerson, To: "a neighbour"})
	assert.ErrorIs(t, err, locality.ErrClosed)

	r, err := w.Svc.LACReport(ctx, day(3, 1), day(7, 1))
	require.NoError(t, err)
	require.Len(t, r, 1)
	assert.Equal(t, locality.AreaReport{Area: LACArea, Introduced: 1, ByRoute: map[locality.Route]int{locality.RouteGP: 1},
		ByAgeBand: map[string]int{"75-84": 1}, Closed: 1, GoalsSet: 2, GoalsMet: 1,
		Connections: map[locality.ConnectionKind]int{locality.ToGroup: 1}, Coordinated: 1, AvoidedEvents: 1}, r[0])
	r, err = w.Svc.LACReport(ctx, day(3, 1), day(5, 1))
	require.NoError(t, err)
	assert.Equal(t, 1, r[0].Open)
	assert.Equal(t, 0, r[0].Closed)

	load, err := w.Svc.Caseloads(ctx, day(5, 1))
	require.NoError(t, err)
	assert.Equal(t, map[string]int{Coordinator: 1}, load)
	load, err = w.Svc.Caseloads(ctx, day(6, 1))
	require.NoError(t, err)
	assert.Empty(t, load)

	av, err := w.Svc.AvoidedEvents(ctx, call.As(Manager), day(4, 1), day(5, 1))
	require.NoError(t, err)
	require.Len(t, av, 1)
	assert.Equal(t, "8", av[0].Quantity.String())
	assert.Equal(t, LACArea, av[0].Area)
	av, err = w.Svc.AvoidedEvents(ctx, call.As(Manager), day(5, 1), day(6, 1))
	require.NoError(t, err)
	assert.Empty(t, av)
	cases, err := w.Svc.Cases(ctx, call.As(Coordinator), locality.Query{Area: LACArea})
	require.NoError(t, err)
	assert.Len(t, cases, 1)
}

// count returns how many records of each kind the store holds.
func count(t *testing.T, s locality.Store) string {
	ctx := t.Context()
	cs, err := s.Cases(ctx, locality.Query{})
	require.NoError(t, err)
	av, err := s.Avoided(ctx, locality.Query{})
	require.NoError(t, err)
	ls, err := s.Listening(ctx, locality.Query{})
	require.NoError(t, err)
	ns, err := s.Networks(ctx, locality.Query{})
	require.NoError(t, err)
	as, err := s.Assets(ctx, locality.Query{})
	require.NoError(t, err)
	gs, err := s.Gifts(ctx, locality.Query{})
	require.NoError(t, err)
	fs, err := s.Fairs(ctx, locality.Query{})
	require.NoError(t, err)
	var versions []string
	for _, c := range cs {
		versions = append(versions, fmt.Sprint(c.Version))
	}
	return fmt.Sprint(len(cs), len(av), len(ls), len(ns), len(as), len(gs), len(fs), strings.Join(versions, ","))
}

func testBadInput(t *testing.T, s locality.Store) {
	ctx := t.Context()
	w := NewWorld(t, s)
	c, err := w.Svc.Introduce(ctx, w.Key(Coordinator), locality.NewCase{Area: LACArea, Route: locality.RouteResident, AgeBand: "25-34", Name: "P", Introduced: day(3, 4)})
	require.NoError(t, err)
	before := count(t, s)
	good := locality.NewCase{Area: LACArea, Route: locality.RouteHousing, AgeBand: "85+", Name: "Q", Introduced: day(3, 4)}
	for name, tc := range map[string]struct {
		do   func() error
		want error
	}{
		"unknown route": {func() error {
			in := good
			in.Route = "social media"
			_, err := w.Svc.Introduce(ctx, w.Key(Coordinator), in)
			return err
		}, locality.ErrUnknownRoute},
		"unknown area": {func() error {
			in := good
			in.Area = "nowhere"
			_, err := w.Svc.Introduce(ctx, w.Key(Coordinator), in)
			return err
		}, locality.ErrUnknownArea},
		"area of another programme": {func() error {
			in := good
			in.Area = BuilderArea
			_, err := w.Svc.Introduce(ctx, w.Key(Coordinator), in)
			return err
		}, locality.ErrUnknownArea},
		"avoided without evidence": {func() error {
			_, err := w.Svc.RecordAvoided(ctx, w.Key(Coordinator), c.ID, locality.NewAvoided{On: day(4, 1), Unit: "bed-week", Quantity: decimal.NewFromInt(1), Confidence: locality.Medium})
			return err
		}, locality.ErrNoEvidence},
		"avoided without confidence": {func() error {
			_, err := w.Svc.RecordAvoided(ctx, w.Key(Coordinator), c.ID, locality.NewAvoided{On: day(4, 1), Unit: "bed-week", Quantity: decimal.NewFromInt(1), Evidence: "ward"})
			return err
		}, locality.ErrNoEvidence},
		"negative quantity": {func() error {
			_, err := w.Svc.RecordAvoided(ctx, w.Key(Coordinator), c.ID, locality.NewAvoided{On: day(4, 1), Unit: "bed-week", Quantity: decimal.NewFromInt(-1), Evidence: "ward", Confidence: locality.Low})
			return err
		}, locality.ErrNegative},
		"negative conversations": {func() error {
			_, err := w.Svc.RecordListening(ctx, w.Key(Organiser), locality.NewListening{Area: OrganiserArea, Ward: OrganiserWards[0], From: day(3, 1), To: day(4, 1), Conversations: -3})
			return err
		}, locality.ErrNegative},
		"negative attendance": {func() error {
			_, err := w.Svc.HoldFair(ctx, w.Key(Builder), locality.NewFair{Area: BuilderArea, On: day(7, 1), Place: "school", Attendance: -1})
			return err
		}, locality.ErrNegative},
		"story without consent": {func() error {
			_, err := w.Svc.Close(ctx, w.Key(Coordinator), c.ID, locality.Closure{On: day(5, 1), Outcome: "ok", Story: "a story"})
			return err
		}, locality.ErrNoConsent},
		"resident named without consent": {func() error {
			_, err := w.Svc.RecordListening(ctx, w.Key(Organiser), locality.NewListening{Area: OrganiserArea, Ward: OrganiserWards[0], From: day(3, 1), To: day(4, 1), Conversations: 3, ResidentName: "R"})
			return err
		}, locality.ErrNoConsent},
		"gift without consent": {func() error {
			_, err := w.Svc.AddAsset(ctx, w.Key(Builder), locality.NewAsset{Area: BuilderArea, Kind: locality.Skill, Name: "plumbing", PersonName: "R"})
			return err
		}, locality.ErrNoConsent},
		"ward outside the area": {func() error {
			_, err := w.Svc.RaiseIssue(ctx, w.Key(Organiser), locality.NewIssue{Area: OrganiserArea, Ward: "Aveley and Uplands", Raised: day(3, 1), Title: "x"})
			return err
		}, locality.ErrUnknownArea},
	} {
		err := tc.do()
		require.ErrorIs(t, err, tc.want, name)
		require.ErrorIs(t, err, locality.ErrInvalid, name)
		var fe *locality.FieldError
		require.ErrorAs(t, err, &fe, name)
		assert.NotEmpty(t, fe.Field, name)
		assert.Equal(t, before, count(t, s), "%s wrote something", name)
	}
}

func testRoles(t *testing.T, s locality.Store) {
	ctx := t.Context()
	w := NewWorld(t, s)
	c := CaseStory(t, w)
	for _, who := range []string{Organiser, Builder, "stranger", ""} {
		_, err := w.Svc.Case(ctx, call.As(who), c.ID)
		assert.Error(t, err, who)
		_, err = w.Svc.AvoidedEvents(ctx, call.As(who), time.Time{}, time.Time{})
		assert.Error(t, err, who)
		_, err = w.Svc.AssetMap(ctx, call.As(who), locality.Query{})
		if who != Builder && who != "" {
			assert.ErrorIs(t, err, locality.ErrForbidden, who)
		}
	}
	_, err := w.Svc.Case(ctx, call.As(Organiser), c.ID)
	assert.ErrorIs(t, err, locality.ErrForbidden)
	_, err = w.Svc.Introduce(ctx, w.Key(Builder), locality.NewCase{Area: LACArea, Route: locality.RouteGP, AgeBand: "85+", Name: "x", Introduced: day(3, 3)})
	assert.ErrorIs(t, err, locality.ErrForbidden)
	assert.ErrorIs(t, w.Svc.ErasePerson(ctx, w.Key(Coordinator), c.Person), locality.ErrForbidden)
	_, err = w.Svc.Grant(ctx, w.Key(Admin), Builder)
	require.NoError(t, err)
	_, err = w.Svc.AssetMap(ctx, call.As(Builder), locality.Query{})
	assert.ErrorIs(t, err, locality.ErrForbidden, "a builder without roles is inactive")
	_, err = w.Svc.Grant(ctx, w.Key(Admin), "x", "superuser")
	assert.ErrorIs(t, err, locality.ErrInvalid)
}

// Organising records a month of the organisers' work: listening in two
// wards, an issue with two actions (one done), and networks.
func Organising(tb testing.TB, w *World) {
	tb.Helper()
	ctx := context.Background()
	svc := w.Svc
	for i, l := range []locality.NewListening{
		{Area: OrganiserArea, Ward: OrganiserWards[0], From: day(3, 1), To: day(4, 1), Conversations: 42, Themes: []string{"Parking", "youth"}},
		{Area: OrganiserArea, Ward: OrganiserWards[0], From: day(4, 1), To: day(5, 1), Conversations: 30, Themes: []string{"parking"}},
		{Area: OrganiserArea, Ward: OrganiserWards[2], From: day(3, 1), To: day(4, 1), Conversations: 17, Themes: []string{"litter"},
			Resident: "res-9", ResidentName: "Named Resident", Consent: true},
	} {
		_, err := svc.RecordListening(ctx, w.Key(Organiser), l)
		require.NoError(tb, err, i)
	}
	is, err := svc.RaiseIssue(ctx, w.Key(Organiser), locality.NewIssue{Area: OrganiserArea, Ward: OrganiserWards[0], Raised: day(3, 20), Title: "Parking on the green", Themes: []string{"parking"}})
	require.NoError(tb, err)
	is, err = svc.AddAction(ctx, w.Key(Organiser), is.ID, day(3, 25), "petition the council")
	require.NoError(tb, err)
	_, err = svc.AddAction(ctx, w.Key(Organiser), is.ID, day(3, 26), "residents' meeting")
	require.NoError(tb, err)
	_, err = svc.ActionOutcome(ctx, w.Key(Organiser), is.ID, is.Actions[0].ID, day(4, 20), "bollards agreed")
	require.NoError(tb, err)
	for _, n := range []locality.NewNetwork{
		{Area: OrganiserArea, Ward: OrganiserWards[0], On: day(3, 31), Listeners: 12, Activists: 3},
		{Area: OrganiserArea, Ward: OrganiserWards[0], On: day(4, 30), Listeners: 15, Activists: 4},
	} {
		_, err := svc.RecordNetwork(ctx, w.Key(Organiser), n)
		require.NoError(tb, err)
	}
}

func testOrganisers(t *testing.T, s locality.Store) {
	ctx := t.Context()
	w := NewWorld(t, s)
	Organising(t, w)
	r, err := w.Svc.OrganisersReport(ctx, day(3, 1), day(5, 1))
	require.NoError(t, err)
	require.Len(t, r, 2)
	assert.Equal(t, locality.WardReport{Area: OrganiserArea, Ward: OrganiserWards[2], Conversations: 17, Themes: map[string]int{"litter": 1}, NamedResidents: 1}, r[0])
	assert.Equal(t, locality.WardReport{Area: OrganiserArea, Ward: OrganiserWards[0], Conversations: 72, Themes: map[string]int{"parking": 2, "youth": 1},
		Issues: 1, Actions: 2, ActionsDone: 1, Listeners: 15, Activists: 4}, r[1])
	r, err = w.Svc.OrganisersReport(ctx, day(3, 1), day(4, 1))
	require.NoError(t, err)
	assert.Equal(t, int64(42), r[1].Conversations)
	assert.Equal(t, int64(12), r[1].Listeners)
	ls, err := w.Svc.Listening(ctx, call.As(Organiser), locality.Query{Person: "res-9"})
	require.NoError(t, err)
	require.Len(t, ls, 1)
	assert.Equal(t, "Named Resident", ls[0].ResidentName)
	_, err = w.Svc.Listening(ctx, call.As(Builder), locality.Query{})
	assert.ErrorIs(t, err, locality.ErrForbidden)
	iss, err := w.Svc.Issues(ctx, locality.Query{Area: OrganiserArea})
	require.NoError(t, err)
	require.Len(t, iss, 1)
	assert.Equal(t, "bollards agreed", iss[0].Actions[0].Outcome)
}

// Building records the builders' work in Chadwell: the asset map, the
// gift exchange of seed 002 (a school's allotment project clears a
// garden), an ideas fair and a Community of Practice event.
func Building(tb testing.TB, w *World) (offer, request *locality.Gift) {
	tb.Helper()
	ctx := context.Background()
	svc := w.Svc
	for _, a := range []locality.NewAsset{
		{Area: BuilderArea, Kind: locality.Place, Name: "School allotment"},
		{Area: BuilderArea, Kind: locality.Association, Name: "Chadwell residents' association"},
		{Area: BuilderArea, Kind: locality.Skill, Name: "gardening", Person: "res-7", PersonName: "Green Fingers", Consent: true},
	} {
		_, err := svc.AddAsset(ctx, w.Key(Builder), a)
		require.NoError(tb, err)
	}
	offer, err := svc.PostGift(ctx, w.Key(Builder), locality.NewGift{Area: BuilderArea, Kind: locality.Offer, Text: "the school's allotment project will clear gardens", Posted: day(6, 10)})
	require.NoError(tb, err)
	request, err = svc.PostGift(ctx, w.Key(Builder), locality.NewGift{Area: BuilderArea, Kind: locality.Request, Text: "help with an overgrown garden",
		Person: "res-8", PersonName: "New Neighbour", Consent: true, Posted: day(6, 11)})
	require.NoError(tb, err)
	offer, err = svc.MatchGifts(ctx, w.Key(Builder), offer.ID, request.ID, day(6, 20))
	require.NoError(tb, err)
	_, err = svc.HoldFair(ctx, w.Key(Builder), locality.NewFair{Area: BuilderArea, On: day(6, 14), Place: "Chadwell St Mary Centre", Attendance: 80, Ideas: 25, Connections: 12})
	require.NoError(tb, err)
	_, err = svc.HoldPractice(ctx, w.Key(Builder), locality.NewPractice{Area: BuilderArea, On: day(6, 24), Place: "Chadwell St Mary", Attendance: 20})
	require.NoError(tb, err)
	return offer, request
}

func testBuilders(t *testing.T, s locality.Store) {
	ctx := t.Context()
	w := NewWorld(t, s)
	offer, request := Building(t, w)
	assert.Equal(t, request.ID, offer.Match)
	_, err := w.Svc.MatchGifts(ctx, w.Key(Builder), offer.ID, request.ID, day(6, 21))
	assert.ErrorIs(t, err, locality.ErrConflict)
	as, err := w.Svc.AssetMap(ctx, call.As(Builder), locality.Query{Area: BuilderArea})
	require.NoError(t, err)
	require.Len(t, as, 3)
	a, err := w.Svc.ListAsset(ctx, w.Key(Builder), as[0].ID, "listing-1")
	require.NoError(t, err)
	assert.Equal(t, "listing-1", a.Listing)
	r, err := w.Svc.BuildersReport(ctx, day(6, 1), day(7, 1))
	require.NoError(t, err)
	require.Len(t, r, 1)
	assert.Equal(t, locality.LocalityReport{Area: BuilderArea, Assets: map[locality.AssetKind]int{locality.Place: 1, locality.Association: 1, locality.Skill: 1},
		Listed: 1, Offers: 1, Requests: 1, Matches: 1, Fairs: 1, FairAttendance: 80, FairConnections: 12, Practices: 1, PracticePeople: 20,
		PracticePlaces: []string{"Chadwell St Mary"}}, r[0])
	fs, err := w.Svc.Fairs(ctx, locality.Query{})
	require.NoError(t, err)
	assert.Len(t, fs, 1)
	ps, err := w.Svc.Practices(ctx, locality.Query{From: day(6, 25)})
	require.NoError(t, err)
	assert.Empty(t, ps)
}

func testErase(t *testing.T, s locality.Store) {
	ctx := t.Context()
	w := NewWorld(t, s)
	c := CaseStory(t, w)
	Organising(t, w)
	Building(t, w)
	lac, err := w.Svc.LACReport(ctx, day(1, 1), day(12, 1))
	require.NoError(t, err)
	org, err := w.Svc.OrganisersReport(ctx, day(1, 1), day(12, 1))
	require.NoError(t, err)
	bld, err := w.Svc.BuildersReport(ctx, day(1, 1), day(12, 1))
	require.NoError(t, err)

	for _, p := range []string{c.Person, "res-9", "res-7", "res-8"} {
		require.NoError(t, w.Svc.ErasePerson(ctx, w.Key(Manager), p))
	}
	require.NoError(t, w.Svc.ErasePerson(ctx, w.Key(Manager), "nobody"))
	got, err := w.Svc.Case(ctx, call.As(Manager), c.ID)
	require.NoError(t, err)
	assert.True(t, got.Erased)
	assert.Empty(t, got.Name)
	assert.Empty(t, got.Contact)
	assert.Empty(t, got.Story)
	assert.Empty(t, got.Conversations[0].Notes)
	assert.Empty(t, got.Goals[0].Text)

	// No stored record still holds any of the personal text.
	var all []string
	add := func(v any) { all = append(all, fmt.Sprintf("%+v", v)) }
	cs, _ := s.Cases(ctx, locality.Query{})
	for _, x := range cs {
		add(*x)
	}
	av, _ := s.Avoided(ctx, locality.Query{})
	for _, x := range av {
		add(*x)
	}
	ls, _ := s.Listening(ctx, locality.Query{})
	for _, x := range ls {
		add(*x)
	}
	as, _ := s.Assets(ctx, locality.Query{})
	for _, x := range as {
		add(*x)
	}
	gs, _ := s.Gifts(ctx, locality.Query{})
	for _, x := range gs {
		add(*x)
	}
	text := strings.Join(all, "\n")
	for _, secret := range []string{"Test Person", "01375 000000", "Wants to garden", "Tuesdays", "day centre place released",
		"Named Resident", "res-9", "Green Fingers", "res-7", "New Neighbour", "res-8", "overgrown garden"} {
		assert.NotContains(t, text, secret)
	}
	lac2, err := w.Svc.LACReport(ctx, day(1, 1), day(12, 1))
	require.NoError(t, err)
	assert.Equal(t, lac, lac2)
	org2, err := w.Svc.OrganisersReport(ctx, day(1, 1), day(12, 1))
	require.NoError(t, err)
	for i := range org {
		org[i].NamedResidents = 0
	}
	assert.Equal(t, org, org2)
	bld2, err := w.Svc.BuildersReport(ctx, day(1, 1), day(12, 1))
	require.NoError(t, err)
	assert.Equal(t, bld, bld2)
}

func testIdempotent(t *testing.T, s locality.Store) {
	ctx := t.Context()
	w := NewWorld(t, s)
	in := locality.NewCase{Area: LACArea, Route: locality.RouteCouncillor, AgeBand: "45-54", Name: "x", Introduced: day(3, 5)}
	k := call.As(Coordinator).Key("crm-1")
	a, err := w.Svc.Introduce(ctx, k, in)
	require.NoError(t, err)
	b, err := w.Svc.Introduce(ctx, k, in)
	require.NoError(t, err)
	assert.Equal(t, a, b)
	in.Name = "y"
	_, err = w.Svc.Introduce(ctx, k, in)
	assert.ErrorIs(t, err, locality.ErrConflict)
	cs, err := s.Cases(ctx, locality.Query{})
	require.NoError(t, err)
	assert.Len(t, cs, 1)
	_, err = w.Svc.Introduce(ctx, call.As(Coordinator).Key(""), in)
	assert.ErrorIs(t, err, locality.ErrInvalid)
}

func testStore(t *testing.T, s locality.Store) {
	ctx := t.Context()
	at := Start
	n := &locality.Network{ID: "n1", Area: "a", Ward: "w", On: at, Listeners: 1, Version: 1, CreatedAt: at}
	require.NoError(t, s.Apply(ctx, &locality.Batch{Networks: []*locality.Network{n}, Key: "r1", Hash: "h", Result: "n1", At: at}))
	assert.ErrorIs(t, s.Apply(ctx, &locality.Batch{Key: "r1"}), locality.ErrDuplicateKey)
	r, err := s.Receipt(ctx, "r1")
	require.NoError(t, err)
	assert.Equal(t, &locality.Receipt{Key: "r1", Hash: "h", Result: "n1", At: at}, r)
	_, err = s.Receipt(ctx, "r2")
	assert.ErrorIs(t, err, locality.ErrNotFound)
	// A batch whose second record conflicts writes nothing.
	f := &locality.Fair{ID: "f1", Area: "a", On: at, Place: "p", Version: 1, CreatedAt: at}
	assert.ErrorIs(t, s.Apply(ctx, &locality.Batch{Fairs: []*locality.Fair{f}, Networks: []*locality.Network{n}}), locality.ErrConflict)
	_, err = s.Fair(ctx, "f1")
	assert.ErrorIs(t, err, locality.ErrNotFound)
	// Stale and missing updates.
	n2 := *n
	n2.Version = 3
	assert.ErrorIs(t, s.Apply(ctx, &locality.Batch{Networks: []*locality.Network{&n2}}), locality.ErrConflict)
	n2.ID = "n9"
	n2.Version = 2
	assert.ErrorIs(t, s.Apply(ctx, &locality.Batch{Networks: []*locality.Network{&n2}}), locality.ErrNotFound)
	assert.ErrorIs(t, s.Apply(ctx, &locality.Batch{Networks: []*locality.Network{nil}}), locality.ErrInvalid)
	assert.ErrorIs(t, s.Apply(ctx, nil), locality.ErrInvalid)
	// Reads are copies.
	got, err := s.Network(ctx, "n1")
	require.NoError(t, err)
	got.Listeners = 99
	again, err := s.Network(ctx, "n1")
	require.NoError(t, err)
	assert.Equal(t, int64(1), again.Listeners)
	// Query bounds: From inclusive, To exclusive; ordered by date then id.
	for i, id := range []string{"f3", "f2", "f4"} {
		f := &locality.Fair{ID: id, Area: "b", On: at.AddDate(0, 0, i%2), Place: "p", Version: 1, CreatedAt: at}
		require.NoError(t, s.Apply(ctx, &locality.Batch{Fairs: []*locality.Fair{f}}))
	}
	fs, err := s.Fairs(ctx, locality.Query{Area: "b", From: at, To: at.AddDate(0, 0, 1)})
	require.NoError(t, err)
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.ID)
	}
	assert.Equal(t, []string{"f3", "f4"}, ids)
	fs, err = s.Fairs(ctx, locality.Query{})
	require.NoError(t, err)
	ids = ids[:0]
	for _, f := range fs {
		ids = append(ids, f.ID)
	}
	assert.Equal(t, []string{"f3", "f4", "f2"}, ids)
}

func testWardMatrix(t *testing.T, s locality.Store) {
	ctx := t.Context()
	w := NewWorld(t, s)
	CaseStory(t, w)
	Organising(t, w)
	Building(t, w)
	counts, err := w.Svc.WardCounts(ctx, day(1, 1), day(12, 1))
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{"West Thurrock and South Stifford": 1}, counts[locality.LAC])
	assert.Equal(t, map[string]int64{OrganiserWards[0]: 72, OrganiserWards[2]: 17}, counts[locality.Organisers])
	assert.Equal(t, map[string]int64{"Chadwell St Mary": 7}, counts[locality.Builders])
	wards := slices.Clone(OrganiserWards)
	m := locality.Compose(day(1, 1), day(12, 1), wards,
		locality.Column{Programme: "timebank", Counts: map[string]int64{"Chadwell St Mary": 30, "Aveley and Uplands": 4}},
		locality.Column{Programme: "lac", Counts: counts[locality.LAC]},
		locality.Column{Programme: "organisers", Counts: counts[locality.Organisers]},
		locality.Column{Programme: "builders", Counts: counts[locality.Builders]})
	assert.Equal(t, append(wards, "Aveley and Uplands"), m.Wards)
	assert.Equal(t, 3, m.Active(2), "Chadwell: time bank, organisers, builders")
	assert.Equal(t, 1, m.Active(3))
	assert.Contains(t, m.Text(), "Chadwell St Mary")
}
