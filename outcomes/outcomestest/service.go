package outcomestest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/outcomes"
)

// Sub-tests that run the Service over the store: what the store must hold
// atomically for the Service's rules to hold.

// newService returns a Service over s whose clock moves a second a call.
func newService(s outcomes.Store) *outcomes.Service {
	var mu sync.Mutex
	now := base
	return outcomes.NewService(s, outcomes.WithClock(func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Second)
		return now
	}))
}

// serviceFramework bootstraps admin and creates framework "fw" with an
// indicator "i1" and the given roles.
func serviceFramework(t *testing.T, svc *outcomes.Service, admin call.Actor, roles map[string]outcomes.Role) {
	t.Helper()
	ctx := context.Background()
	require.NoError(t, svc.Bootstrap(ctx, admin))
	_, err := svc.CreateFramework(ctx, admin.Key("create-fw"), outcomes.NewFramework{ID: "fw", Title: "Framework", Area: "E06000034", Roles: roles})
	require.NoError(t, err)
	_, err = svc.PutIndicator(ctx, admin.Key("create-i1"), outcomes.NewIndicator{ID: "i1", Framework: "fw", Title: "Count",
		Unit: outcomes.UnitCount, ValueType: outcomes.ValueCount, Polarity: outcomes.HigherIsBetter, PeriodType: outcomes.CalendarYear})
	require.NoError(t, err)
}

func testAdmins(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	as, err := s.Admins(ctx)
	require.NoError(t, err)
	assert.Empty(t, as)
	apply(t, s, &outcomes.Batch{Admins: []outcomes.Admin{{Actor: "zed", GrantedAt: base, GrantedBy: "zed"}, {Actor: "amy", GrantedAt: base, GrantedBy: "zed"}}})
	err = s.Apply(ctx, &outcomes.Batch{Admins: []outcomes.Admin{{Actor: "bob", GrantedAt: base, GrantedBy: "zed"}, {Actor: "amy", GrantedAt: base, GrantedBy: "zed"}}})
	assert.ErrorIs(t, err, outcomes.ErrConflict, "an administrator twice")
	as, err = s.Admins(ctx)
	require.NoError(t, err)
	if assert.Len(t, as, 2, "the refused batch wrote nothing") {
		assert.Equal(t, "amy", as[0].Actor)
		assert.Equal(t, "zed", as[0].GrantedBy)
		equalTime(t, base, as[0].GrantedAt, "GrantedAt")
		assert.Equal(t, "zed", as[1].Actor)
	}
	secret, err := s.Secret(ctx)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(secret), 16)
	again, err := s.Secret(ctx)
	require.NoError(t, err)
	assert.Equal(t, secret, again, "the secret is made once")
}

func testBootstrapRace(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	svc := newService(s)
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = svc.Bootstrap(ctx, call.As(fmt.Sprint("officer-", i)))
		})
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, err := range errs {
		if err == nil {
			assert.Equal(t, -1, winner, "officers %d and %d both won", winner, i)
			winner = i
			continue
		}
		assert.ErrorIs(t, err, outcomes.ErrConflict, "officer %d", i)
	}
	require.NotEqual(t, -1, winner, "nobody won")
	admin := call.As(fmt.Sprint("officer-", winner))
	assert.NoError(t, svc.Bootstrap(ctx, admin), "the winner's retry")
	assert.ErrorIs(t, svc.Bootstrap(ctx, call.As("late")), outcomes.ErrConflict)
	as, err := s.Admins(ctx)
	require.NoError(t, err)
	require.Len(t, as, 1)
	assert.Equal(t, admin.ID, as[0].Actor)

	// A later non-administrator cannot create frameworks or grant roles;
	// the administrator can.
	loser := call.As(fmt.Sprint("officer-", (winner+1)%n))
	_, err = svc.CreateFramework(ctx, loser.Key("c"), outcomes.NewFramework{ID: "fw", Title: "F", Area: "A"})
	assert.ErrorIs(t, err, outcomes.ErrForbidden)
	assert.ErrorIs(t, svc.GrantAdmin(ctx, loser.Key("g"), loser.ID), outcomes.ErrForbidden)
	_, err = svc.CreateFramework(ctx, admin.Key("c"), outcomes.NewFramework{ID: "fw", Title: "F", Area: "A"})
	require.NoError(t, err)
	_, err = svc.GrantRole(ctx, loser.Key("r"), "fw", loser.ID, outcomes.RoleOwner)
	assert.ErrorIs(t, err, outcomes.ErrForbidden)
	_, err = svc.GrantRole(ctx, admin.Key("r"), "fw", loser.ID, outcomes.RoleEditor)
	require.NoError(t, err)
	require.NoError(t, svc.GrantAdmin(ctx, admin.Key("g"), "deputy"))
	_, err = svc.GrantRole(ctx, call.As("deputy").Key("r"), "fw", "analyst", outcomes.RoleContributor)
	require.NoError(t, err, "a second administrator grants roles on any framework")
}

func testKeyScoping(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	svc := newService(s)
	admin := call.As("admin")
	serviceFramework(t, svc, admin, map[string]outcomes.Role{"ann": outcomes.RoleContributor, "bob": outcomes.RoleContributor})
	rec := func(who, key, period string, v int64) (*outcomes.Measurement, error) {
		return svc.Record(ctx, call.As(who).Key(key), outcomes.NewMeasurement{Indicator: "i1", Area: "E06000034",
			Period: outcomes.MustPeriod(period), Value: dec(fmt.Sprint(v))})
	}
	a, err := rec("ann", "1", "2017", 10)
	require.NoError(t, err)
	b, err := rec("bob", "1", "2018", 20)
	require.NoError(t, err, "the same key from another actor is another request")
	assert.Equal(t, "ann", a.RecordedBy)
	assert.Equal(t, "bob", b.RecordedBy)
	assert.Equal(t, "20", b.Value.String())
	events, err := svc.Events(ctx, admin, outcomes.EventFilter{Framework: "fw"})
	require.NoError(t, err)
	again, err := rec("ann", "1", "2017", 10)
	require.NoError(t, err)
	assert.Equal(t, a, again, "a retry returns the first result")
	_, err = rec("ann", "1", "2019", 30)
	assert.ErrorIs(t, err, outcomes.ErrConflict, "the same key for another request")
	after, err := svc.Events(ctx, admin, outcomes.EventFilter{Framework: "fw"})
	require.NoError(t, err)
	assert.Len(t, after, len(events), "neither wrote anything")
}

func testReplayAfterRoleLost(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	svc := newService(s)
	admin := call.As("admin")
	serviceFramework(t, svc, admin, map[string]outcomes.Role{"ann": outcomes.RoleEditor})
	ann := call.As("ann")
	m := outcomes.NewMeasurement{Indicator: "i1", Area: "E06000034", Period: outcomes.MustPeriod("2017"), Value: dec("10")}
	_, err := svc.Record(ctx, ann.Key("r1"), m)
	require.NoError(t, err)
	st, err := svc.AddStory(ctx, ann.Key("s1"), outcomes.NewStory{Framework: "fw", Indicator: "i1", Title: "T", Body: "B", Date: base})
	require.NoError(t, err)

	_, err = svc.GrantRole(ctx, admin.Key("demote"), "fw", "ann", "")
	require.NoError(t, err)
	got, err := svc.Record(ctx, ann.Key("r1"), m)
	assert.ErrorIs(t, err, outcomes.ErrForbidden, "a replay by an actor who lost their role")
	assert.Nil(t, got)
	gotStory, err := svc.AddStory(ctx, ann.Key("s1"), outcomes.NewStory{Framework: "fw", Indicator: "i1", Title: "T", Body: "B", Date: base})
	assert.ErrorIs(t, err, outcomes.ErrForbidden)
	assert.Nil(t, gotStory, "the story is not handed back")
	_, err = svc.Story(ctx, ann, st.ID)
	assert.ErrorIs(t, err, outcomes.ErrForbidden)
}

// A stranger gets the same answer about a story, indicator or framework
// that exists and one that does not.
func testAuthorityFirst(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	svc := newService(s)
	admin := call.As("admin")
	serviceFramework(t, svc, admin, nil)
	st, err := svc.AddStory(ctx, admin.Key("s"), outcomes.NewStory{Framework: "fw", Indicator: "i1", Title: "T", Body: "B", Date: base})
	require.NoError(t, err)
	stranger := call.As("stranger")
	for _, id := range []string{st.ID, "no-such-story"} {
		_, err := svc.PublishStory(ctx, stranger.Key("p-"+id), id)
		assert.ErrorIs(t, err, outcomes.ErrForbidden, id)
		_, err = svc.Story(ctx, stranger, id)
		assert.ErrorIs(t, err, outcomes.ErrForbidden, id)
	}
	for _, id := range []string{"i1", "no-such-indicator"} {
		_, err := svc.Record(ctx, stranger.Key("r-"+id), outcomes.NewMeasurement{Indicator: id, Area: "A", Period: outcomes.MustPeriod("2017"), Value: dec("1")})
		assert.ErrorIs(t, err, outcomes.ErrForbidden, id)
	}
	for _, id := range []string{"fw", "no-such-framework"} {
		_, err := svc.GrantRole(ctx, stranger.Key("g-"+id), id, "stranger", outcomes.RoleOwner)
		assert.ErrorIs(t, err, outcomes.ErrForbidden, id)
		_, err = svc.ImportMeasurements(ctx, stranger.Key("i-"+id), id, strings.NewReader("indicator,area,period,value\ni1,A,2017,1\n"))
		assert.ErrorIs(t, err, outcomes.ErrForbidden, id)
	}
	_, err = svc.PublishStory(ctx, admin.Key("p"), "no-such-story")
	assert.ErrorIs(t, err, outcomes.ErrNotFound, "an administrator may learn it does not exist")
}

// EraseStory leaves nothing of what the teller told in any stored text
// the store returns: the story, its events' notes, its receipts.
func testEraseStory(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	svc := newService(s)
	admin := call.As("admin")
	serviceFramework(t, svc, admin, nil)
	const name, phone = "Winifred Openshaw", "07700 900461"
	st, err := svc.AddStory(ctx, admin.Key("story-"+name), outcomes.NewStory{Framework: "fw", Indicator: "i1", Programme: "memory cafe",
		Title: name + "'s year", Body: name + " (" + phone + ") came to the cafe every week.", Date: base, Tags: []string{"openshaw"},
		Consent: outcomes.Consent{Given: true, Date: base, RecordedBy: "admin", Scope: outcomes.ConsentPublic}, Publish: true})
	require.NoError(t, err)
	_, err = svc.WithdrawStory(ctx, admin.Key("withdraw"), st.ID, name+" asked us to stop telling it")
	require.NoError(t, err)
	erased, err := svc.EraseStory(ctx, admin.Key("erase"), st.ID)
	require.NoError(t, err)
	assert.Equal(t, outcomes.StoryErased, erased.Status)
	_, err = svc.EraseStory(ctx, admin.Key("erase-2"), st.ID)
	assert.ErrorIs(t, err, outcomes.ErrInvalidTransition)

	// Everything the store holds, as text.
	var all []any
	fws, err := s.Frameworks(ctx, outcomes.FrameworkFilter{})
	require.NoError(t, err)
	inds, err := s.Indicators(ctx, outcomes.IndicatorFilter{})
	require.NoError(t, err)
	ms, err := s.Measurements(ctx, outcomes.MeasurementFilter{})
	require.NoError(t, err)
	stories, err := s.Stories(ctx, outcomes.StoryFilter{})
	require.NoError(t, err)
	events, err := s.Events(ctx, outcomes.EventFilter{})
	require.NoError(t, err)
	all = append(all, fws, inds, ms, stories, events)
	text, err := json.Marshal(all)
	require.NoError(t, err)
	for _, needle := range []string{"Winifred", "Openshaw", "openshaw", phone} {
		assert.NotContains(t, string(text), needle)
	}
	require.Len(t, stories, 1)
	assert.Equal(t, "fw", stories[0].Framework, "the story still counts")
	assert.Equal(t, "i1", stories[0].Indicator)
	assert.Equal(t, "memory cafe", stories[0].Programme)
	r, err := svc.Report(ctx, "fw", outcomes.ReportOptions{})
	require.NoError(t, err)
	assert.Empty(t, r.Stories)
}
