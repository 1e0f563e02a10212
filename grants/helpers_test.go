package grants_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
)

var start = time.Date(2014, time.June, 2, 9, 0, 0, 0, time.UTC)

func gbp(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// world is a Small Sparks fund run by an admin, two officers and three
// panel members, with one round open through June 2014.
type world struct {
	t     testing.TB
	ctx   context.Context
	svc   *grants.Service
	store grants.Store
	now   time.Time
	fund  *grants.Fund
	round *grants.Round
	keys  atomic.Int64
}

func newWorld(t testing.TB) *world {
	t.Helper()
	w := &world{t: t, ctx: context.Background(), store: memory.NewGrantsStore(), now: start}
	var n atomic.Int64
	w.svc = grants.NewService(w.store, grants.WithClock(func() time.Time { return w.now }),
		grants.WithIDs(func(p string, _ time.Time) string { return fmt.Sprintf("%s-%d", p, n.Add(1)) }))
	require.NoError(t, w.svc.Bootstrap(w.ctx, call.As("admin")))
	for _, s := range []grants.NewStaff{
		{ID: "officer", Name: "Officer", Roles: []grants.Role{grants.RoleOfficer}},
		{ID: "officer2", Name: "Officer 2", Roles: []grants.Role{grants.RoleOfficer}},
		{ID: "p1", Name: "Panel 1", Roles: []grants.Role{grants.RolePanel}},
		{ID: "p2", Name: "Panel 2", Roles: []grants.Role{grants.RolePanel}},
		{ID: "p3", Name: "Panel 3", Roles: []grants.Role{grants.RolePanel}},
	} {
		_, err := w.svc.AddStaff(w.ctx, w.as("admin"), s)
		require.NoError(t, err)
	}
	var err error
	w.fund, err = w.svc.CreateFund(w.ctx, w.as("admin"), smallSparks())
	require.NoError(t, err)
	w.round, err = w.svc.OpenRound(w.ctx, w.as("officer"), grants.NewRound{Fund: w.fund.ID, Name: "Summer 2014", Year: 2014,
		Opens: start.Add(-24 * time.Hour), Closes: start.Add(30 * 24 * time.Hour)})
	require.NoError(t, err)
	return w
}

func smallSparks() grants.NewFund {
	return grants.NewFund{
		Name: "Small Sparks", FunderName: "Thurrock Council", FunderID: "GB-LAE-THR", Prefix: "a00thr",
		Budgets:  []grants.Budget{{Year: 2014, Amount: gbp("10000")}},
		MinAward: gbp("50"), MaxAward: gbp("250"),
		Priorities: []string{"bring neighbours together", "improve the neighbourhood"},
		Criteria:   []string{"community benefit", "neighbour involvement"}, MaxScore: 5, Quorum: 2,
		Rules: grants.SmallSparksRules(),
	}
}

func (w *world) key() string { return fmt.Sprintf("key-%d", w.keys.Add(1)) }

// as returns a write by actor under a new key.
func (w *world) as(actor string) call.Write { return call.As(actor).Key(w.key()) }

// form is an eligible Small Sparks application.
func (w *world) form(title string) grants.NewApplication {
	return grants.NewApplication{
		Fund: w.fund.ID, Round: w.round.ID, Title: title, Description: "Planters and bulbs for the close",
		Applicant: grants.Applicant{Type: grants.UnconstitutedGroup, Name: "Residents of " + title, ContactName: "Jo", Email: "jo@example.org"},
		Ward:      "Chadwell St Mary", Amount: gbp("240"),
		Costs:    []grants.Cost{{Item: "planters", Amount: gbp("160")}, {Item: "bulbs", Amount: gbp("80")}},
		Purposes: []string{"gardening"}, Priorities: []string{"improve the neighbourhood"},
		Supporters: []grants.Supporter{{Name: "N1", Pledged: 8 * 60}, {Name: "N2", Pledged: 6 * 60}, {Name: "N3", Pledged: 6 * 60}},
	}
}

// submitted drafts and submits an application.
func (w *world) submitted(f grants.NewApplication) *grants.Application {
	w.t.Helper()
	a, err := w.svc.Draft(w.ctx, w.as("applicant"), f)
	require.NoError(w.t, err)
	a, err = w.svc.Submit(w.ctx, w.as("applicant"), a.ID)
	require.NoError(w.t, err)
	return a
}

// reviewed takes an application through the checks to the panel, and
// has two panel members score it.
func (w *world) reviewed(f grants.NewApplication) *grants.Application {
	w.t.Helper()
	a := w.submitted(f)
	a, err := w.svc.CheckEligibility(w.ctx, w.as("officer"), a.ID)
	require.NoError(w.t, err)
	require.Equal(w.t, grants.EligibilityChecked, a.Status, "%v", a.Note)
	_, err = w.svc.StartReview(w.ctx, w.as("officer"), a.ID)
	require.NoError(w.t, err)
	for _, p := range []string{"p1", "p2"} {
		a, err = w.svc.ScoreApplication(w.ctx, w.as(p), a.ID, map[string]int{"community benefit": 4, "neighbour involvement": 5}, "")
		require.NoError(w.t, err)
	}
	return a
}

// awarded takes an application to an award of amount.
func (w *world) awarded(f grants.NewApplication, amount string) *grants.Application {
	w.t.Helper()
	a := w.reviewed(f)
	a, err := w.svc.Approve(w.ctx, w.as("officer"), a.ID, gbp(amount), "meets the fund's priorities")
	require.NoError(w.t, err)
	a, err = w.svc.Award(w.ctx, w.as("officer"), a.ID)
	require.NoError(w.t, err)
	return a
}
