package crm_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/crm"
	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
)

type grantsWorld struct {
	svc            *grants.Service
	officer, panel call.Actor
	fund, round    string
}

func newGrantsWorld(t *testing.T) *grantsWorld {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2014, 6, 2, 9, 0, 0, 0, time.UTC)
	svc := grants.NewService(sqlite.NewGrantsStore(openDB(t)), grants.WithClock(func() time.Time { return now }))
	admin, officer, panel := call.As("admin"), call.As("officer"), call.As("p1")
	require.NoError(t, svc.Bootstrap(ctx, admin))
	for i, st := range []grants.NewStaff{
		{ID: "officer", Name: "Officer", Roles: []grants.Role{grants.RoleOfficer}},
		{ID: "p1", Name: "Panel", Roles: []grants.Role{grants.RolePanel}},
	} {
		_, err := svc.AddStaff(ctx, admin.Key(fmt.Sprintf("staff-%d", i)), st)
		require.NoError(t, err)
	}
	fund, err := svc.CreateFund(ctx, admin.Key("fund"), grants.NewFund{
		Name: "Small Sparks", FunderName: "Thurrock Council", FunderID: "GB-LAE-THR", Prefix: "a00thr",
		Budgets:  []grants.Budget{{Year: 2014, Amount: decimal.RequireFromString("10000")}},
		MinAward: decimal.RequireFromString("50"), MaxAward: decimal.RequireFromString("250"),
		Priorities: []string{"bring neighbours together"}, Criteria: []string{"community benefit"}, MaxScore: 5,
	})
	require.NoError(t, err)
	round, err := svc.OpenRound(ctx, officer.Key("round"), grants.NewRound{Fund: fund.ID, Name: "Summer 2014", Year: 2014,
		Opens: now, Closes: now.AddDate(0, 1, 0)})
	require.NoError(t, err)
	return &grantsWorld{svc: svc, officer: officer, panel: panel, fund: fund.ID, round: round.ID}
}

func (w *grantsWorld) applications(t *testing.T) []*grants.Application {
	t.Helper()
	as, err := w.svc.Applications(context.Background(), w.officer, grants.ApplicationFilter{Fund: w.fund})
	require.NoError(t, err)
	return as
}

func application(id string, v int64, title, amount string) crm.Record {
	return rec(crm.GrantApplication, id, v, "title", title, "description", "A street party for the close",
		"applicant_type", "unconstituted-group", "applicant_name", "Friends of Elm Close", "contact_name", "Jo",
		"email", "jo@example.org", "ward", "Tilbury St Chads", "amount", amount,
		"priorities", "bring neighbours together", "supporters", "Ann=480;Bob=360;Cy=360")
}

// Grant applications from the CRM are drafted and submitted through the
// grants Service; a change answers the fund's request for information; a
// bad record is rejected naming its field; a replay changes nothing.
func TestGrantApplications(t *testing.T) {
	ctx := context.Background()
	w := newGrantsWorld(t)
	s := newSyncer(t, map[crm.Kind]crm.Applier{crm.GrantApplication: crm.GrantApplications(w.svc, call.As("crm-intake"), w.fund, w.round)})
	s.crm.add(
		application("G1", 1, "Jubilee street party", "240"),
		application("G2", 1, "Bad amount", "two hundred"),
		application("G3", 1, "", "100"),
		rec(crm.GrantApplication, "G4", 1, "title", "Bad supporters", "amount", "100", "supporters", "Ann"),
	)
	rep := s.sync()
	assert.Equal(t, 1, rep.Created)
	errs := errorsOf(rep)
	require.Len(t, errs, 3)
	assert.Contains(t, errs["G2"], "amount")
	assert.Contains(t, errs["G3"], "Title")
	assert.Contains(t, errs["G4"], "supporters")
	for _, e := range rep.Errors {
		assert.ErrorIs(t, e.Err, grants.ErrInvalid, e.ExternalID)
	}
	apps := w.applications(t)
	require.Len(t, apps, 1, "nothing of a bad record is stored")
	app := apps[0]
	assert.Equal(t, grants.Submitted, app.Status)
	assert.Equal(t, "Jubilee street party", app.Title)
	assert.Len(t, app.Supporters, 3)

	// A change while the application is under the fund's eyes is refused
	// by its lifecycle, and reported.
	s.crm.add(application("G1", 2, "Jubilee street party and picnic", "240"))
	rep = s.sync()
	require.Len(t, rep.Errors, 1)
	assert.ErrorIs(t, rep.Errors[0].Err, grants.ErrInvalidTransition)

	// Once the officer asks for more information, the CRM's next version
	// is the answer.
	_, err := w.svc.RequestInfo(ctx, w.officer.Key("info"), app.ID, "what will the picnic cost?")
	require.NoError(t, err)
	s.crm.add(application("G1", 3, "Jubilee street party and picnic", "250"))
	rep = s.sync()
	assert.Equal(t, 1, rep.Updated)
	assert.Empty(t, rep.Errors)
	got, err := w.svc.Application(ctx, w.officer, app.ID)
	require.NoError(t, err)
	assert.Equal(t, grants.Resubmitted, got.Status)
	assert.Equal(t, "Jubilee street party and picnic", got.Title)
	assert.Equal(t, "250", got.Amount.String())

	// Nothing new: nothing happens. From nothing: every write replays.
	rep = s.sync()
	assert.Zero(t, rep.Created+rep.Updated+len(rep.Errors))
	rep = s.fresh()
	assert.Equal(t, 1, rep.Created)
	assert.Len(t, w.applications(t), 1)
	again, err := w.svc.Application(ctx, w.officer, app.ID)
	require.NoError(t, err)
	assert.Equal(t, got.Version, again.Version, "the replay wrote nothing")
	assert.Equal(t, grants.Resubmitted, again.Status)
}

// A record the round refuses at submission (the round is not open yet)
// is drafted, withdrawn at once and rejected: nothing of it is left
// half-done, and a replay from nothing rejects it again without a second
// application.
func TestGrantApplicationsRoundNotOpen(t *testing.T) {
	ctx := context.Background()
	w := newGrantsWorld(t)
	later, err := w.svc.OpenRound(ctx, w.officer.Key("autumn"), grants.NewRound{Fund: w.fund, Name: "Autumn 2014", Year: 2014,
		Opens: time.Date(2014, 9, 1, 0, 0, 0, 0, time.UTC), Closes: time.Date(2014, 10, 1, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	s := newSyncer(t, map[crm.Kind]crm.Applier{crm.GrantApplication: crm.GrantApplications(w.svc, call.As("crm-intake"), w.fund, later.ID)})
	s.crm.add(application("G1", 1, "Harvest supper", "200"))
	rep := s.sync()
	assert.Zero(t, rep.Created)
	require.Len(t, rep.Errors, 1)
	assert.ErrorIs(t, rep.Errors[0].Err, grants.ErrInvalidTransition)
	assert.Contains(t, rep.Errors[0].Err.Error(), "withdrawn")
	apps := w.applications(t)
	require.Len(t, apps, 1)
	assert.Equal(t, grants.Withdrawn, apps[0].Status)

	rep = s.fresh()
	assert.Zero(t, rep.Created)
	assert.Len(t, rep.Errors, 1)
	assert.Len(t, w.applications(t), 1, "no second application")
}
