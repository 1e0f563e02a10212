package dementiatest

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/dementia"
	"github.com/strongertogether/community/internal/storetest"
)

// Run checks that the stores newStore returns behave as dementia.Store's
// documentation says. Each sub-test calls newStore once and must get an
// empty store; newStore registers any clean-up with t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) dementia.Store) {
	t.Helper()
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, s dementia.Store)
	}{
		{"Versions", testVersions},
		{"Atomicity", testAtomicity},
		{"DuplicateKey", testDuplicateKey},
		{"ReadsAreCopies", testReadsAreCopies},
		{"BootstrapRace", testBootstrapRace},
		{"Idempotency", testIdempotency},
		{"Roles", testRoles},
		{"ConcurrentJoin", testConcurrentJoin},
		{"ActionPlan", testActionPlan},
		{"Recognition", testRecognition},
		{"Friends", testFriends},
		{"Diagnosis", testDiagnosis},
		{"CarePlans", testCarePlans},
		{"BadInputWritesNothing", testBadInput},
		{"Imports", testImports},
		{"Erasure", testErasure},
		{"Lists", testLists},
		{"WardCounts", testWardCounts},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			require.NotNil(t, s, "newStore returned nil")
			tc.run(t, s)
		})
	}
}

// base is the suite's clock at the start.
var base = time.Date(2016, time.June, 1, 9, 0, 0, 0, time.UTC)

type clock struct{ t atomic.Int64 }

func (c *clock) now() time.Time  { return time.UnixMicro(c.t.Load()).UTC() }
func (c *clock) set(t time.Time) { c.t.Store(t.UnixMicro()) }

type fixture struct {
	svc               *dementia.Service
	clk               *clock
	admin, coord, rec call.Actor
	n                 atomic.Int64
}

func (f *fixture) key(a call.Actor) call.Write { return a.Key(fmt.Sprint("k", f.n.Add(1))) }

func newFixture(t testing.TB, s dementia.Store) *fixture {
	t.Helper()
	f := &fixture{clk: &clock{}, admin: call.As("admin"), coord: call.As("coord"), rec: call.As("rec")}
	f.clk.set(base)
	f.svc = dementia.NewService(s, dementia.WithClock(f.clk.now))
	ctx := t.Context()
	require.NoError(t, f.svc.Bootstrap(ctx, f.admin))
	_, err := f.svc.Grant(ctx, f.key(f.admin), "coord", dementia.RoleCoordinator)
	require.NoError(t, err)
	_, err = f.svc.Grant(ctx, f.key(f.admin), "rec", dementia.RoleRecorder)
	require.NoError(t, err)
	return f
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func (f *fixture) member(t testing.TB, name string) *dementia.Member {
	t.Helper()
	m, err := f.svc.Join(t.Context(), f.key(f.coord), dementia.NewMember{Name: name, Sector: dementia.SectorVoluntary,
		Areas: []dementia.Area{dementia.AreaCommunity, dementia.AreaHealth}, Contact: dementia.Contact{Name: "Pat Contact", Email: "pat@example.org", Phone: "01375 000000"}, Joined: f.clk.now()})
	require.NoError(t, err)
	return m
}

func testVersions(t *testing.T, s dementia.Store) {
	ctx := t.Context()
	require.NoError(t, s.Apply(ctx, &dementia.Batch{Members: []*dementia.Member{{ID: "m1", Name: "A", Version: 1}}}))
	assert.ErrorIs(t, s.Apply(ctx, &dementia.Batch{Members: []*dementia.Member{{ID: "m1", Name: "B", Version: 1}}}), dementia.ErrConflict, "create of a taken id")
	assert.ErrorIs(t, s.Apply(ctx, &dementia.Batch{Members: []*dementia.Member{{ID: "m1", Name: "B", Version: 3}}}), dementia.ErrConflict, "stale update")
	assert.ErrorIs(t, s.Apply(ctx, &dementia.Batch{Members: []*dementia.Member{{ID: "m2", Name: "B", Version: 2}}}), dementia.ErrNotFound, "update of nothing")
	require.NoError(t, s.Apply(ctx, &dementia.Batch{Members: []*dementia.Member{{ID: "m1", Name: "B", Version: 2}}}))
	got, err := s.Member(ctx, "m1")
	require.NoError(t, err)
	assert.Equal(t, "B", got.Name)
	assert.Equal(t, int64(2), got.Version)
	_, err = s.Member(ctx, "nope")
	assert.ErrorIs(t, err, dementia.ErrNotFound)
	// The same id in two kinds is two records.
	require.NoError(t, s.Apply(ctx, &dementia.Batch{Communities: []*dementia.Community{{ID: "m1", Name: "C", Version: 1}}}))
	assert.Error(t, s.Apply(ctx, &dementia.Batch{Members: []*dementia.Member{{ID: "", Version: 1}}}), "a record without an id")
	assert.Error(t, s.Apply(ctx, &dementia.Batch{Members: []*dementia.Member{{ID: "x", Version: 0}}}), "version 0")
}

func testAtomicity(t *testing.T, s dementia.Store) {
	ctx := t.Context()
	require.NoError(t, s.Apply(ctx, &dementia.Batch{Members: []*dementia.Member{{ID: "m1", Name: "A", Version: 1}}}))
	err := s.Apply(ctx, &dementia.Batch{
		Actions: []*dementia.Action{{ID: "a1", Member: "m1", Title: "T", Version: 1}},
		Members: []*dementia.Member{{ID: "m1", Name: "stale", Version: 5}},
		Key:     "k", Hash: "h", Result: "a1", At: base,
	})
	assert.ErrorIs(t, err, dementia.ErrConflict)
	_, err = s.Action(ctx, "a1")
	assert.ErrorIs(t, err, dementia.ErrNotFound, "a refused batch wrote its action")
	_, err = s.Receipt(ctx, "k")
	assert.ErrorIs(t, err, dementia.ErrNotFound, "a refused batch wrote its receipt")
}

func testDuplicateKey(t *testing.T, s dementia.Store) {
	ctx := t.Context()
	require.NoError(t, s.Apply(ctx, &dementia.Batch{Members: []*dementia.Member{{ID: "m1", Name: "A", Version: 1}}, Key: "k", Hash: "x", Result: "m1", At: base}))
	err := s.Apply(ctx, &dementia.Batch{Members: []*dementia.Member{{ID: "m2", Name: "B", Version: 1}}, Key: "k", Hash: "y", Result: "m2", At: base})
	assert.ErrorIs(t, err, dementia.ErrDuplicateKey)
	_, err = s.Member(ctx, "m2")
	assert.ErrorIs(t, err, dementia.ErrNotFound)
	r, err := s.Receipt(ctx, "k")
	require.NoError(t, err)
	assert.Equal(t, dementia.Receipt{Key: "k", Hash: "x", Result: "m1", At: base}, *r)
	secret, err := s.Secret(ctx)
	require.NoError(t, err)
	again, err := s.Secret(ctx)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(secret), 16)
	assert.Equal(t, secret, again)
}

func testReadsAreCopies(t *testing.T, s dementia.Store) {
	ctx := t.Context()
	m := &dementia.Member{ID: "m1", Name: "A", Areas: []dementia.Area{dementia.AreaArts}, Version: 1}
	require.NoError(t, s.Apply(ctx, &dementia.Batch{Members: []*dementia.Member{m}}))
	m.Areas[0] = dementia.AreaHousing
	got, err := s.Member(ctx, "m1")
	require.NoError(t, err)
	assert.Equal(t, []dementia.Area{dementia.AreaArts}, got.Areas)
	got.Areas[0] = dementia.AreaHousing
	again, err := s.Member(ctx, "m1")
	require.NoError(t, err)
	assert.Equal(t, []dementia.Area{dementia.AreaArts}, again.Areas)
}

func testBootstrapRace(t *testing.T, s dementia.Store) {
	ctx := t.Context()
	svc := dementia.NewService(s, dementia.WithClock(func() time.Time { return base }))
	errs := storetest.Race(8, func(i int) error { return svc.Bootstrap(ctx, call.As(fmt.Sprint("admin", i))) })
	won := -1
	for i, err := range errs {
		if err == nil {
			assert.Equal(t, -1, won, "two winners")
			won = i
			continue
		}
		assert.ErrorIs(t, err, dementia.ErrConflict)
	}
	require.NotEqual(t, -1, won, "no winner")
	winner := call.As(fmt.Sprint("admin", won))
	assert.NoError(t, svc.Bootstrap(ctx, winner), "the winner's retry")
	assert.ErrorIs(t, svc.Bootstrap(ctx, call.As("late")), dementia.ErrConflict)
	loser := call.As(fmt.Sprint("admin", (won+1)%8))
	_, err := svc.Grant(ctx, loser.Key("g"), "x", dementia.RoleAdmin)
	assert.ErrorIs(t, err, dementia.ErrForbidden, "a loser grants roles")
}

func testIdempotency(t *testing.T, s dementia.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	in := dementia.NewMember{Name: "Grays Library", Sector: dementia.SectorStatutory, Areas: []dementia.Area{dementia.AreaArts}, Joined: base}
	w := f.coord.Key("join-1")
	a, err := f.svc.Join(ctx, w, in)
	require.NoError(t, err)
	b, err := f.svc.Join(ctx, w, in)
	require.NoError(t, err, "a replay returns the first result")
	assert.Equal(t, a.ID, b.ID)
	in2 := in
	in2.Name = "Tilbury Library"
	_, err = f.svc.Join(ctx, w, in2)
	assert.ErrorIs(t, err, dementia.ErrConflict, "same key, other request")
	// A replay after the actor lost the role is refused.
	_, err = f.svc.Grant(ctx, f.key(f.admin), "coord")
	require.NoError(t, err)
	_, err = f.svc.Join(ctx, w, in)
	assert.ErrorIs(t, err, dementia.ErrForbidden)
	_, err = f.svc.Join(ctx, call.Write{Actor: f.coord}, in)
	assert.ErrorIs(t, err, dementia.ErrInvalid, "no key")
}

func testRoles(t *testing.T, s dementia.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	m := f.member(t, "Thurrock CVS")
	_, err := f.svc.Member(ctx, f.rec, m.ID)
	assert.ErrorIs(t, err, dementia.ErrForbidden, "a recorder reads a contact")
	_, err = f.svc.Members(ctx, call.As("stranger"))
	assert.ErrorIs(t, err, dementia.ErrForbidden)
	_, err = f.svc.Member(ctx, call.Actor{}, m.ID)
	assert.ErrorIs(t, err, dementia.ErrInvalid)
	_, err = f.svc.Coordinator(ctx, f.rec)
	assert.ErrorIs(t, err, dementia.ErrForbidden)
	_, err = f.svc.Join(ctx, f.key(f.rec), dementia.NewMember{Name: "X", Sector: dementia.SectorBusiness, Areas: []dementia.Area{dementia.AreaBusiness}, Joined: base})
	assert.ErrorIs(t, err, dementia.ErrForbidden)
	_, err = f.svc.RecordFriends(ctx, f.key(f.coord), dementia.NewFriends{On: base, Source: dementia.SourceOnline, Count: 3})
	assert.ErrorIs(t, err, dementia.ErrForbidden, "a coordinator records counts")
	got, err := f.svc.Member(ctx, f.coord, m.ID)
	require.NoError(t, err)
	assert.Equal(t, "pat@example.org", got.Contact.Email)
	_, err = f.svc.Member(ctx, f.coord, "mem-nobody")
	assert.ErrorIs(t, err, dementia.ErrNotFound)
}

// testConcurrentJoin: many coordinators join the same organisation at
// once, under different keys and spellings; exactly one member results.
func testConcurrentJoin(t *testing.T, s dementia.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	names := []string{"Thurrock Buses", "THURROCK BUSES", "thurrock  buses", "Thurrock Buses."}
	errs := storetest.Race(8, func(i int) error {
		_, err := f.svc.Join(ctx, f.coord.Key(fmt.Sprint("race", i)), dementia.NewMember{Name: names[i%len(names)], Sector: dementia.SectorBusiness,
			Areas: []dementia.Area{dementia.AreaTransport}, Joined: base})
		return err
	})
	ok, dup := storetest.Count(t, errs, dementia.ErrDuplicateMember)
	assert.Equal(t, 1, ok, "one join succeeds")
	assert.Equal(t, 7, dup, "the others are ErrDuplicateMember")
	all, err := f.svc.Members(ctx, f.coord)
	require.NoError(t, err)
	assert.Len(t, all, 1)
}

func testActionPlan(t *testing.T, s dementia.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	m := f.member(t, "Thurrock CVS")
	quiet := f.member(t, "Grays Shopping Centre")
	var ids []string
	for i := range 5 {
		a, err := f.svc.AddAction(ctx, f.key(f.coord), dementia.NewAction{Member: m.ID, Title: fmt.Sprint("action ", i), Owner: "Pat", Due: day(2016, 9, 1+i)})
		require.NoError(t, err)
		ids = append(ids, a.ID)
	}
	f.clk.set(day(2016, 8, 15))
	done, prog := dementia.StatusDone, dementia.StatusInProgress
	_, err := f.svc.UpdateAction(ctx, f.key(f.coord), ids[0], dementia.ActionUpdate{Status: &done, Note: "done"})
	require.NoError(t, err)
	a, err := f.svc.UpdateAction(ctx, f.key(f.coord), ids[1], dementia.ActionUpdate{Status: &prog, Note: "started"})
	require.NoError(t, err)
	a, err = f.svc.UpdateAction(ctx, f.key(f.coord), a.ID, dementia.ActionUpdate{Note: "half way"})
	require.NoError(t, err)
	assert.Len(t, a.Progress, 2)
	assert.Equal(t, dementia.StatusInProgress, a.Status)
	_, err = f.svc.UpdateAction(ctx, f.key(f.coord), "act-nope", dementia.ActionUpdate{Note: "x"})
	assert.ErrorIs(t, err, dementia.ErrUnknownAction)
	mt, err := f.svc.RecordMeeting(ctx, f.key(f.coord), dementia.NewMeeting{On: day(2016, 9, 1), Title: "Quarterly", Attended: []string{m.ID, quiet.ID, m.ID}})
	require.NoError(t, err)
	assert.Equal(t, []string{quiet.ID, m.ID}, mt.Attended)
	_, err = f.svc.RecordMeeting(ctx, f.key(f.coord), dementia.NewMeeting{On: day(2016, 9, 1), Title: "Q", Attended: []string{"mem-ghost"}})
	assert.ErrorIs(t, err, dementia.ErrNotFound)

	f.clk.set(day(2017, 2, 16))
	v, err := f.svc.Coordinator(ctx, f.coord)
	require.NoError(t, err)
	var overdue []string
	for _, o := range v.Overdue {
		overdue = append(overdue, o.ID)
	}
	assert.Equal(t, ids[1:], overdue, "every action past due and not done")
	assert.Equal(t, []dementia.Silent{{Member: quiet.ID}, {Member: m.ID, LastReported: day(2016, 8, 15)}}, v.Silent, "6 months after the CVS last reported on 15 August")
	assert.Empty(t, v.Assessment, "the first anniversary is in June 2017")
	f.clk.set(day(2016, 11, 1))
	v, err = f.svc.Coordinator(ctx, f.coord)
	require.NoError(t, err)
	assert.Empty(t, v.Silent, "nobody silent 6 months yet")
	f.clk.set(day(2017, 5, 20))
	_, err = f.svc.AssessMember(ctx, f.key(f.coord), m.ID, day(2017, 5, 19))
	require.NoError(t, err)
	_, err = f.svc.AssessMember(ctx, f.key(f.coord), m.ID, day(2010, 5, 19))
	assert.ErrorIs(t, err, dementia.ErrInvalid, "before joining")
	v, err = f.svc.Coordinator(ctx, f.coord)
	require.NoError(t, err)
	assert.Equal(t, []dementia.MemberDue{{Member: quiet.ID, Date: day(2017, 6, 1), State: dementia.DueSoon}}, v.Assessment, "the CVS assessed itself; the centre is due")
	f.clk.set(day(2017, 6, 2))
	v, err = f.svc.Coordinator(ctx, f.coord)
	require.NoError(t, err)
	assert.Equal(t, []dementia.MemberDue{{Member: quiet.ID, Date: day(2017, 6, 1), State: dementia.DueLate}}, v.Assessment)
	f.clk.set(day(2016, 11, 1))

	rep, err := f.svc.Membership(ctx)
	require.NoError(t, err)
	assert.Equal(t, dementia.Tally{Members: 2, Actions: 5, Done: 1, Overdue: 4}, rep.Total)
	assert.Equal(t, dementia.Tally{Members: 2, Actions: 5, Done: 1, Overdue: 4}, rep.ByArea[dementia.AreaHealth])
	assert.Equal(t, 2, rep.BySector[dementia.SectorVoluntary].Members)
}

func testRecognition(t *testing.T, s dementia.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	c, err := f.svc.RegisterCommunity(ctx, f.key(f.coord), dementia.NewCommunity{Name: "Dementia Friendly Thurrock", Registered: day(2016, 6, 1)})
	require.NoError(t, err)
	_, err = f.svc.SetCriterion(ctx, f.key(f.coord), c.ID, dementia.CriterionState{Criterion: dementia.CriterionLeader, Met: true, Evidence: "named", On: day(2016, 6, 2)})
	require.NoError(t, err)
	_, err = f.svc.SetCriterion(ctx, f.key(f.coord), c.ID, dementia.CriterionState{Criterion: "bake-sale", Met: true, Evidence: "x", On: day(2016, 6, 2)})
	assert.ErrorIs(t, err, dementia.ErrInvalid)

	f.clk.set(day(2016, 11, 15))
	r, err := f.svc.Recognition(ctx, c.ID)
	require.NoError(t, err)
	assert.False(t, r.Foundation)
	assert.True(t, r.Criteria[dementia.CriterionLeader])
	assert.Equal(t, dementia.DueSoon, r.UpdateState)
	assert.Equal(t, day(2016, 12, 1), r.UpdateDue)
	f.clk.set(day(2016, 12, 2))
	v, err := f.svc.Coordinator(ctx, f.coord)
	require.NoError(t, err)
	assert.Equal(t, []dementia.CommunityDue{{Community: c.ID, What: "update", Date: day(2016, 12, 1), State: dementia.DueLate}}, v.Due)
	_, err = f.svc.SendUpdate(ctx, f.key(f.coord), c.ID, day(2016, 12, 2))
	require.NoError(t, err)

	_, err = f.svc.SelfAssess(ctx, f.key(f.coord), c.ID, dementia.Assessment{On: day(2017, 5, 20), Scores: map[dementia.Area]int{"space": 3}})
	assert.ErrorIs(t, err, dementia.ErrUnknownArea)
	_, err = f.svc.SelfAssess(ctx, f.key(f.coord), c.ID, dementia.Assessment{On: day(2017, 5, 20), Scores: map[dementia.Area]int{dementia.AreaArts: 9}})
	assert.ErrorIs(t, err, dementia.ErrInvalid)
	f.clk.set(day(2017, 6, 2))
	r, err = f.svc.Recognition(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, dementia.DueLate, r.AssessmentState, "no assessment before the first anniversary")
	_, err = f.svc.SelfAssess(ctx, f.key(f.coord), c.ID, dementia.Assessment{On: day(2017, 5, 20), Scores: map[dementia.Area]int{dementia.AreaArts: 2, dementia.AreaHealth: 1}})
	require.NoError(t, err)
	_, err = f.svc.SelfAssess(ctx, f.key(f.coord), c.ID, dementia.Assessment{On: day(2018, 5, 20), Scores: map[dementia.Area]int{dementia.AreaArts: 4, dementia.AreaHealth: 3}})
	require.NoError(t, err)
	f.clk.set(day(2018, 6, 2))
	r, err = f.svc.Recognition(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, dementia.DueNotYet, r.AssessmentState)
	assert.Equal(t, day(2019, 6, 1), r.AssessmentDue)
	require.Len(t, r.Years, 2)
	assert.Equal(t, []int{3, 7}, []int{r.Years[0].Total, r.Years[1].Total}, "progress year on year")
	got, err := f.svc.Community(ctx, c.ID)
	require.NoError(t, err)
	assert.Len(t, got.Criteria, 1)
	assert.Equal(t, []time.Time{day(2016, 12, 2)}, got.Updates)
	assert.Equal(t, int64(5), got.Version)
}

func testFriends(t *testing.T, s dementia.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	_, err := f.svc.RecordFriends(ctx, f.key(f.rec), dementia.NewFriends{On: day(2016, 4, 1), Source: dementia.SourceSession, Champion: "ch0", Count: 5})
	assert.ErrorIs(t, err, dementia.ErrNotFound, "a session by an unregistered Champion")
	for i := range 3 {
		_, err := f.svc.RegisterChampion(ctx, f.key(f.rec), dementia.NewChampion{ID: fmt.Sprint("ch", i), Name: fmt.Sprint("Champion ", i), Trained: day(2016, 3, 1+i*60)})
		require.NoError(t, err)
	}
	_, err = f.svc.RegisterChampion(ctx, f.key(f.rec), dementia.NewChampion{ID: "ch0", Name: "Again", Trained: day(2016, 3, 1)})
	assert.ErrorIs(t, err, dementia.ErrConflict)
	_, err = f.svc.Champions(ctx, call.As("stranger"))
	assert.ErrorIs(t, err, dementia.ErrForbidden)
	champs, err := f.svc.Champions(ctx, f.coord)
	require.NoError(t, err)
	require.Len(t, champs, 3)
	assert.Equal(t, "Champion 0", champs[0].Name)
	_, err = f.svc.EraseChampion(ctx, f.key(f.coord), "ch2")
	assert.ErrorIs(t, err, dementia.ErrForbidden)
	erased, err := f.svc.EraseChampion(ctx, f.key(f.rec), "ch2")
	require.NoError(t, err)
	assert.Empty(t, erased.Name)
	assert.True(t, erased.Erased)
	champs, err = f.svc.Champions(ctx, f.rec)
	require.NoError(t, err)
	assert.Equal(t, []string{"Champion 0", "Champion 1", ""}, []string{champs[0].Name, champs[1].Name, champs[2].Name})
	for i, n := range []int64{1000, 1564} {
		_, err := f.svc.RecordFriends(ctx, f.key(f.rec), dementia.NewFriends{On: day(2016, 4, 10+i), Source: dementia.SourceSession, Champion: fmt.Sprint("ch", i), Count: n})
		require.NoError(t, err)
	}
	_, err = f.svc.RecordFriends(ctx, f.key(f.rec), dementia.NewFriends{On: day(2016, 6, 1), Source: dementia.SourceOnline, Count: 100})
	require.NoError(t, err)
	tot, err := f.svc.Friends(ctx, day(2016, 5, 31))
	require.NoError(t, err)
	assert.Equal(t, int64(2564), tot.Total)
	assert.Equal(t, 2, tot.Champions)
	assert.Equal(t, 2, tot.Trained, "trained 1 March and 30 April; the third on 29 June")
	tot, err = f.svc.Friends(ctx, day(2016, 6, 1))
	require.NoError(t, err)
	assert.Equal(t, int64(2664), tot.Total, "a count counts on its own day")
	assert.Equal(t, int64(100), tot.BySource[dementia.SourceOnline])
	tr, err := f.svc.FriendsTrajectory(ctx, day(2016, 5, 31), day(2021, 5, 31), 3750, day(2016, 6, 1))
	require.NoError(t, err)
	assert.Equal(t, int64(2564), tr.Baseline)
	assert.Equal(t, int64(1186), tr.Increase)
	assert.True(t, tr.OnTrack)
}

// prevalence is an illustrative table (not CFAS II's figures).
func prevalence() dementia.NewPrevalence {
	d := decimal.RequireFromString
	return dementia.NewPrevalence{ID: "test", Source: "illustrative", Rates: []dementia.Rate{
		{Band: "65-79", Sex: dementia.Female, Rate: d("0.03")}, {Band: "65-79", Sex: dementia.Male, Rate: d("0.025")},
		{Band: "80+", Sex: dementia.Female, Rate: d("0.16")}, {Band: "80+", Sex: dementia.Male, Rate: d("0.12")}}}
}

func population(scale int64) []dementia.BandCount {
	return []dementia.BandCount{{Band: "65-79", Sex: dementia.Female, Count: 1000 * scale}, {Band: "65-79", Sex: dementia.Male, Count: 900 * scale},
		{Band: "80+", Sex: dementia.Female, Count: 400 * scale}, {Band: "80+", Sex: dementia.Male, Count: 250 * scale}}
}

func testDiagnosis(t *testing.T, s dementia.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	_, err := f.svc.LoadPrevalence(ctx, f.key(f.rec), prevalence())
	require.NoError(t, err)
	on := day(2016, 4, 30)
	for i, p := range []struct {
		name, pcn string
		scale, n  int64
	}{{"P1", "Grays", 1, 100}, {"P2", "Grays", 2, 190}, {"P3", "Tilbury", 1, 90}} {
		_, err := f.svc.RecordRegister(ctx, f.key(f.rec), dementia.NewRegister{Practice: p.name, PCN: p.pcn, On: on.Add(time.Duration(i) * time.Hour), Population: population(p.scale), Diagnosed: p.n})
		require.NoError(t, err)
	}
	r, err := f.svc.DiagnosisRate(ctx, "test", on)
	require.NoError(t, err)
	require.Len(t, r.Practices, 3)
	assert.Equal(t, "146.5", r.Practices[0].Expected.String())
	assert.Equal(t, "68.3", r.Practices[0].Value.Percent.StringFixed(1), "100/146.5")
	assert.Equal(t, "Grays", r.PCNs[0].Name)
	assert.Equal(t, "439.5", r.PCNs[0].Expected.String())
	assert.Equal(t, "66.0", r.PCNs[0].Value.Percent.StringFixed(1), "290/439.5")
	assert.Equal(t, "586", r.Borough.Expected.String())
	assert.Equal(t, "64.8", r.Borough.Value.Percent.StringFixed(1), "380/586")
	assert.True(t, r.Borough.Value.Lower.LessThan(r.Borough.Value.Percent) && r.Borough.Value.Upper.GreaterThan(r.Borough.Value.Percent))
	assert.True(t, r.PCNs[1].Value.Upper.Sub(r.PCNs[1].Value.Lower).GreaterThan(r.Borough.Value.Upper.Sub(r.Borough.Value.Lower)), "a smaller denominator has a wider interval")
	// Recording the same practice and day again replaces it.
	_, err = f.svc.RecordRegister(ctx, f.key(f.rec), dementia.NewRegister{Practice: "P1", PCN: "Grays", On: on, Population: population(1), Diagnosed: 110})
	require.NoError(t, err)
	r, err = f.svc.DiagnosisRate(ctx, "test", on)
	require.NoError(t, err)
	assert.Equal(t, int64(390), r.Borough.Value.Count)
	_, err = f.svc.DiagnosisRate(ctx, "other", on)
	assert.ErrorIs(t, err, dementia.ErrNotFound)
}

func testCarePlans(t *testing.T, s dementia.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	_, err := f.svc.RecordReview(ctx, f.key(f.rec), dementia.NewReview{Practice: "P1", PCN: "Grays", Year: "2014/15", Numerator: 70, Register: 110,
		Adjustments: dementia.Adjustments{Unsuitable: 3, Dissent: 2, NoResponse: 2, Unavailable: 1, New: 2}})
	require.NoError(t, err)
	_, err = f.svc.RecordReview(ctx, f.key(f.rec), dementia.NewReview{Practice: "P2", PCN: "Tilbury", Year: "2014/15", Numerator: 80, Register: 100})
	require.NoError(t, err)
	_, err = f.svc.RecordReview(ctx, f.key(f.rec), dementia.NewReview{Practice: "P1", PCN: "Grays", Year: "2015/16", Numerator: 1, Register: 1})
	require.NoError(t, err)
	r, err := f.svc.CarePlanReviews(ctx, "2014/15")
	require.NoError(t, err)
	require.Len(t, r.Practices, 2)
	assert.Equal(t, "70.0", r.Practices[0].Achievement.Percent.StringFixed(1), "70/(110-10)")
	assert.Equal(t, "63.6", r.Practices[0].Coverage.Percent.StringFixed(1), "70/110")
	assert.Equal(t, int64(3), r.Practices[0].Adjustments.Unsuitable)
	assert.Equal(t, "75.0", r.Borough.Achievement.Percent.StringFixed(1), "150/200")
	assert.Equal(t, "71.4", r.Borough.Coverage.Percent.StringFixed(1), "150/210")
	assert.Equal(t, int64(10), r.Borough.Adjustments.Total())
	_, err = f.svc.CarePlanReviews(ctx, "2014-15")
	assert.ErrorIs(t, err, dementia.ErrInvalid)
}

// counts returns how many records of each kind the store holds.
func counts(t *testing.T, s dementia.Store) string {
	t.Helper()
	ctx := t.Context()
	m, err := s.Members(ctx)
	require.NoError(t, err)
	a, err := s.Actions(ctx, "")
	require.NoError(t, err)
	c, err := s.Communities(ctx)
	require.NoError(t, err)
	fr, err := s.Friends(ctx, time.Time{})
	require.NoError(t, err)
	rg, err := s.Registers(ctx, time.Time{})
	require.NoError(t, err)
	rv, err := s.Reviews(ctx, "")
	require.NoError(t, err)
	_, perr := s.Prevalence(ctx, "test")
	return fmt.Sprint(len(m), len(a), len(c), len(fr), len(rg), len(rv), perr == nil)
}

func testBadInput(t *testing.T, s dementia.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	_, err := f.svc.LoadPrevalence(ctx, f.key(f.rec), prevalence())
	require.NoError(t, err)
	before := counts(t, s)
	missingSex := prevalence()
	missingSex.Rates = missingSex.Rates[:3]
	missingSex.ID = "bad"
	for _, tc := range []struct {
		name string
		want error
		do   func() error
	}{
		{"negative friends", dementia.ErrNegative, func() error {
			_, err := f.svc.RecordFriends(ctx, f.key(f.rec), dementia.NewFriends{On: base, Source: dementia.SourceOnline, Count: -1})
			return err
		}},
		{"numerator over denominator", dementia.ErrNumeratorOverDenominator, func() error {
			_, err := f.svc.RecordReview(ctx, f.key(f.rec), dementia.NewReview{Practice: "P", Year: "2015/16", Numerator: 11, Register: 12, Adjustments: dementia.Adjustments{Dissent: 2}})
			return err
		}},
		{"adjustments over register", dementia.ErrAdjustmentsOverRegister, func() error {
			_, err := f.svc.RecordReview(ctx, f.key(f.rec), dementia.NewReview{Practice: "P", Year: "2015/16", Numerator: 0, Register: 3, Adjustments: dementia.Adjustments{New: 4}})
			return err
		}},
		{"negative register", dementia.ErrNegative, func() error {
			_, err := f.svc.RecordReview(ctx, f.key(f.rec), dementia.NewReview{Practice: "P", Year: "2015/16", Register: -3})
			return err
		}},
		{"unknown action", dementia.ErrUnknownAction, func() error {
			_, err := f.svc.UpdateAction(ctx, f.key(f.coord), "act-ghost", dementia.ActionUpdate{Note: "x"})
			return err
		}},
		{"unknown area", dementia.ErrUnknownArea, func() error {
			_, err := f.svc.Join(ctx, f.key(f.coord), dementia.NewMember{Name: "X", Sector: dementia.SectorBusiness, Areas: []dementia.Area{"space"}, Joined: base})
			return err
		}},
		{"prevalence missing a sex", dementia.ErrIncompletePrevalence, func() error {
			_, err := f.svc.LoadPrevalence(ctx, f.key(f.rec), missingSex)
			return err
		}},
		{"negative population", dementia.ErrNegative, func() error {
			_, err := f.svc.RecordRegister(ctx, f.key(f.rec), dementia.NewRegister{Practice: "P", On: base, Population: []dementia.BandCount{{Band: "65-79", Sex: dementia.Male, Count: -1}}})
			return err
		}},
		{"register over population", dementia.ErrNumeratorOverDenominator, func() error {
			_, err := f.svc.RecordRegister(ctx, f.key(f.rec), dementia.NewRegister{Practice: "P", On: base, Diagnosed: 5, Population: []dementia.BandCount{{Band: "65-79", Sex: dementia.Male, Count: 4}}})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.do()
			assert.ErrorIs(t, err, tc.want)
			var fe *dementia.FieldError
			assert.True(t, errors.As(err, &fe), "a FieldError names the field: %v", err)
			assert.Equal(t, before, counts(t, s), "nothing written")
		})
	}
	// A population without a matching band is refused when the rate is
	// computed, and names the band.
	_, err = f.svc.RecordRegister(ctx, f.key(f.rec), dementia.NewRegister{Practice: "P", On: base, Population: []dementia.BandCount{{Band: "60-64", Sex: dementia.Male, Count: 4}}})
	require.NoError(t, err)
	_, err = f.svc.DiagnosisRate(ctx, "test", base)
	assert.ErrorIs(t, err, dementia.ErrNoBand)
	assert.Contains(t, err.Error(), "60-64")
}

func testImports(t *testing.T, s dementia.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	_, err := f.svc.RegisterChampion(ctx, f.key(f.rec), dementia.NewChampion{ID: "ch1", Name: "Chris", Trained: day(2016, 1, 1)})
	require.NoError(t, err)
	n, err := f.svc.ImportFriends(ctx, f.key(f.rec), strings.NewReader("date,source,champion,count\n2016-05-01,session,ch1,2000\n2016-05-02,online,,564\n"))
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	tot, err := f.svc.Friends(ctx, day(2016, 5, 31))
	require.NoError(t, err)
	assert.Equal(t, int64(2564), tot.Total)

	before := counts(t, s)
	_, err = f.svc.ImportFriends(ctx, f.key(f.rec), strings.NewReader("date,source,champion,count\n2016-05-01,session,ch1,-3\n2016-05-02,online,,x\n2016-05-03,online,,1\n2016-13-01,online,,1\n"))
	var ie *dementia.ImportError
	require.ErrorAs(t, err, &ie)
	assert.ErrorIs(t, err, dementia.ErrNegative)
	assert.Equal(t, []int{2, 3, 5}, lines(ie), "every bad row")
	assert.Equal(t, before, counts(t, s), "nothing written")
	_, err = f.svc.ImportFriends(ctx, f.key(f.rec), strings.NewReader("date,source,champion,count\n2016-05-01,online,,3\n2016-05-02,session,ch9,4\n2016-05-03,session,ch8,4\n"))
	require.ErrorAs(t, err, &ie)
	assert.ErrorIs(t, err, dementia.ErrNotFound)
	assert.Equal(t, []int{3, 4}, lines(ie), "every unregistered Champion")
	assert.Equal(t, before, counts(t, s), "nothing written")

	n, err = f.svc.ImportReviews(ctx, f.key(f.rec), strings.NewReader(strings.Join(dementia.ReviewColumns(), ",")+"\nP1,Grays,2014/15,70,110,3,2,2,1,2\nP2,Tilbury,2014/15,80,100,0,0,0,0,0\n"))
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	before = counts(t, s)
	_, err = f.svc.ImportReviews(ctx, f.key(f.rec), strings.NewReader(strings.Join(dementia.ReviewColumns(), ",")+"\nP3,G,2014/15,70,60,0,0,0,0,0\nP4,G,2014/15,1,5,0,0,0,0,9\nP5,G,2014/15,1,5,0,0,0,0,0\n"))
	require.ErrorAs(t, err, &ie)
	assert.ErrorIs(t, err, dementia.ErrNumeratorOverDenominator)
	assert.ErrorIs(t, err, dementia.ErrAdjustmentsOverRegister)
	assert.Equal(t, []int{2, 3}, lines(ie))
	assert.Equal(t, before, counts(t, s), "nothing written")

	_, err = f.svc.LoadPrevalence(ctx, f.key(f.rec), prevalence())
	require.NoError(t, err)
	csv := strings.Join(dementia.RegisterColumns(), ",") + "\n"
	for _, c := range population(1) {
		csv += fmt.Sprintf("P1,Grays,2016-04-30,100,%s,%s,%d\n", c.Band, c.Sex, c.Count)
	}
	n, err = f.svc.ImportRegisters(ctx, f.key(f.rec), strings.NewReader(csv))
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	r, err := f.svc.DiagnosisRate(ctx, "test", day(2016, 4, 30))
	require.NoError(t, err)
	assert.Equal(t, "68.3", r.Borough.Value.Percent.StringFixed(1))
	_, err = f.svc.ImportRegisters(ctx, f.key(f.rec), strings.NewReader(strings.Join(dementia.RegisterColumns(), ",")+"\nP2,G,2016-04-30,9,65-79,male,5\nP2,G,2016-04-30,8,80+,male,5\n"))
	require.ErrorAs(t, err, &ie)
	assert.ErrorIs(t, err, dementia.ErrInvalid)
}

func lines(ie *dementia.ImportError) []int {
	var out []int
	for _, p := range ie.Problems {
		out = append(out, p.Line)
	}
	return out
}

func testErasure(t *testing.T, s dementia.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	m := f.member(t, "Thurrock CVS")
	other := f.member(t, "Grays Library")
	a, err := f.svc.AddAction(ctx, f.key(f.coord), dementia.NewAction{Member: m.ID, Title: "Train staff", Owner: "Pat Contact", Due: day(2016, 9, 1)})
	require.NoError(t, err)
	_, err = f.svc.AddAction(ctx, f.key(f.coord), dementia.NewAction{Member: other.ID, Title: "Signage", Owner: "Sam Other", Due: day(2016, 9, 1)})
	require.NoError(t, err)
	_, err = f.svc.EraseMember(ctx, f.key(f.rec), m.ID)
	assert.ErrorIs(t, err, dementia.ErrForbidden)
	got, err := f.svc.EraseMember(ctx, f.key(f.coord), m.ID)
	require.NoError(t, err)
	assert.Equal(t, dementia.Contact{}, got.Contact)
	assert.True(t, got.Erased)
	acts, err := s.Actions(ctx, "")
	require.NoError(t, err)
	for _, x := range acts {
		if x.Member == m.ID {
			assert.Empty(t, x.Owner, "the erased member's action owner")
			assert.Equal(t, a.Title, x.Title, "the plan stays")
		} else {
			assert.Equal(t, "Sam Other", x.Owner, "another member's owner stays")
		}
	}
	all, err := s.Members(ctx)
	require.NoError(t, err)
	for _, x := range all {
		if x.ID == other.ID {
			assert.Equal(t, "pat@example.org", x.Contact.Email)
		} else {
			assert.Equal(t, dementia.Contact{}, x.Contact)
		}
	}
	rep, err := f.svc.Membership(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Total.Members, "figures do not change")
	_, err = f.svc.AddAction(ctx, f.key(f.coord), dementia.NewAction{Member: m.ID, Title: "x", Owner: "y", Due: day(2016, 9, 1)})
	assert.ErrorIs(t, err, dementia.ErrNotFound, "no new actions for an erased member")
}

func testLists(t *testing.T, s dementia.Store) {
	ctx := t.Context()
	b := &dementia.Batch{}
	for i, d := range []int{3, 1, 2} {
		b.Friends = append(b.Friends, &dementia.Friends{ID: fmt.Sprint("f", i), On: day(2016, 1, d), Source: dementia.SourceOnline, Count: int64(d), Version: 1})
		b.Actions = append(b.Actions, &dementia.Action{ID: fmt.Sprint("a", i), Member: fmt.Sprint("m", i%2), Due: day(2016, 1, d), Version: 1})
		b.Reviews = append(b.Reviews, &dementia.Review{ID: fmt.Sprint("P", 3-i, "@2014/15"), Practice: fmt.Sprint("P", 3-i), Year: "2014/15", Version: 1})
	}
	require.NoError(t, s.Apply(ctx, b))
	fr, err := s.Friends(ctx, day(2016, 1, 3))
	require.NoError(t, err)
	require.Len(t, fr, 2, "before the end, not on it")
	assert.Equal(t, []string{"f1", "f2"}, []string{fr[0].ID, fr[1].ID})
	acts, err := s.Actions(ctx, "m0")
	require.NoError(t, err)
	require.Len(t, acts, 2)
	assert.Equal(t, []string{"a2", "a0"}, []string{acts[0].ID, acts[1].ID}, "by due date")
	rv, err := s.Reviews(ctx, "2014/15")
	require.NoError(t, err)
	require.Len(t, rv, 3)
	assert.Equal(t, "P1@2014/15", rv[0].ID)
	rv, err = s.Reviews(ctx, "2015/16")
	require.NoError(t, err)
	assert.Empty(t, rv)
}

// testWardCounts checks a member's wards survive the store and
// Service.WardCounts counts members joined by the period's end in each
// ward they name, erased ones too, and refuses a bad list of wards.
func testWardCounts(t *testing.T, s dementia.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	join := func(name string, joined time.Time, wards ...string) *dementia.Member {
		t.Helper()
		m, err := f.svc.Join(ctx, f.key(f.coord), dementia.NewMember{Name: name, Sector: dementia.SectorBusiness,
			Areas: []dementia.Area{dementia.AreaBusiness}, Wards: wards, Joined: joined})
		require.NoError(t, err)
		return m
	}
	pharmacy := join("Tilbury Pharmacy", day(2015, 3, 1), "Tilbury St Chads", "Tilbury Riverside and Thurrock Park")
	join("Grays Library Friends", day(2015, 9, 1), "Grays Riverside")
	join("Thurrock Buses", day(2015, 1, 1)) // borough-wide: no ward
	join("Chadwell Cafe", day(2016, 5, 1), "Chadwell St Mary", "Tilbury St Chads")
	got, err := s.Member(ctx, pharmacy.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"Tilbury St Chads", "Tilbury Riverside and Thurrock Park"}, got.Wards)
	_, err = f.svc.EraseMember(ctx, f.key(f.coord), pharmacy.ID)
	require.NoError(t, err)

	c, err := f.svc.WardCounts(ctx, day(2014, 4, 1), day(2015, 4, 1))
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{"Tilbury St Chads": 1, "Tilbury Riverside and Thurrock Park": 1}, c, "members by 31 March 2015, the erased one too")
	c, err = f.svc.WardCounts(ctx, day(2015, 4, 1), day(2016, 6, 1))
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{"Tilbury St Chads": 2, "Tilbury Riverside and Thurrock Park": 1, "Grays Riverside": 1, "Chadwell St Mary": 1}, c)
	_, err = f.svc.WardCounts(ctx, day(2016, 6, 1), day(2016, 6, 1))
	assert.ErrorIs(t, err, dementia.ErrInvalid)

	for _, wards := range [][]string{{"Belhus", "Belhus"}, {""}} {
		_, err := f.svc.Join(ctx, f.key(f.coord), dementia.NewMember{Name: "Bad Wards Ltd", Sector: dementia.SectorBusiness,
			Areas: []dementia.Area{dementia.AreaBusiness}, Wards: wards, Joined: day(2016, 1, 1)})
		assert.ErrorIs(t, err, dementia.ErrInvalid, "%q", wards)
		_, err = s.Member(ctx, dementia.MemberID("Bad Wards Ltd"))
		assert.ErrorIs(t, err, dementia.ErrNotFound, "nothing written for %q", wards)
	}
}
