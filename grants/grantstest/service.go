package grantstest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/internal/storetest"
)

// svcOf returns a Service over s whose clock stands at at(0) plus
// whatever tick adds.
func svcOf(s grants.Store) (*grants.Service, func()) {
	now := at(0)
	n := 0
	svc := grants.NewService(s, grants.WithClock(func() time.Time { return now }),
		grants.WithIDs(func(p string, _ time.Time) string { n++; return fmt.Sprintf("%s-%d", p, n) }))
	return svc, func() { now = now.Add(time.Hour) }
}

// testBootstrapRace: 8 callers race Bootstrap on an empty store; exactly
// one wins, the others get ErrConflict; the winner's retry is nil; a
// later Bootstrap by anyone else is ErrConflict; a member of staff who is
// not an admin cannot grant roles, and the admin can.
func testBootstrapRace(t *testing.T, s grants.Store) {
	ctx := t.Context()
	svc, _ := svcOf(s)
	errs := storetest.Race(8, func(i int) error { return svc.Bootstrap(ctx, call.As(fmt.Sprintf("admin-%d", i))) })
	ok, conflict := storetest.Count(t, errs, grants.ErrConflict)
	require.Equal(t, 1, ok, "exactly one Bootstrap wins: %v", errs)
	assert.Equal(t, 7, conflict)
	var winner call.Actor
	for i, err := range errs {
		if err == nil {
			winner = call.As(fmt.Sprintf("admin-%d", i))
		}
	}
	assert.NoError(t, svc.Bootstrap(ctx, winner), "the winner's retry")
	assert.ErrorIs(t, svc.Bootstrap(ctx, call.As("latecomer")), grants.ErrConflict)
	// A fresh Service over the same store (no cached receipt secret) agrees.
	again, _ := svcOf(s)
	assert.ErrorIs(t, again.Bootstrap(ctx, call.As("latecomer")), grants.ErrConflict)

	admins, err := svc.StaffList(ctx, winner, grants.StaffFilter{})
	require.NoError(t, err)
	require.Len(t, admins, 1)
	assert.Equal(t, winner.ID, admins[0].ID)
	assert.True(t, admins[0].Has(grants.RoleAdmin))

	_, err = svc.AddStaff(ctx, winner.Key("officer"), grants.NewStaff{ID: "officer", Name: "Officer", Roles: []grants.Role{grants.RoleOfficer}})
	require.NoError(t, err)
	_, err = svc.AddStaff(ctx, call.As("officer").Key("grab"), grants.NewStaff{ID: "officer-2", Name: "Officer 2", Roles: []grants.Role{grants.RoleAdmin}})
	assert.ErrorIs(t, err, grants.ErrForbidden, "an officer grants no roles")
	_, err = svc.AddStaff(ctx, call.As(fmt.Sprintf("admin-%d", 99)).Key("grab"), grants.NewStaff{ID: "x", Name: "X", Roles: []grants.Role{grants.RoleAdmin}})
	assert.ErrorIs(t, err, grants.ErrForbidden, "a stranger grants no roles")
}

// serviceWorld is a fund, a round and an officer set up through the
// Service.
func serviceWorld(t *testing.T, s grants.Store) (svc *grants.Service, tick func(), f *grants.Fund, r *grants.Round) {
	t.Helper()
	ctx := t.Context()
	svc, tick = svcOf(s)
	admin := call.As("admin")
	require.NoError(t, svc.Bootstrap(ctx, admin))
	for _, st := range []grants.NewStaff{
		{ID: "officer", Name: "Olive Officer", Roles: []grants.Role{grants.RoleOfficer}},
		{ID: "officer-2", Name: "Owen Officer", Roles: []grants.Role{grants.RoleOfficer}},
		{ID: "panel", Name: "Pam Panel", Roles: []grants.Role{grants.RolePanel}},
		{ID: "panel-2", Name: "Piet Panel", Roles: []grants.Role{grants.RolePanel}},
		{ID: "panel-3", Name: "Paz Panel", Roles: []grants.Role{grants.RolePanel}},
	} {
		_, err := svc.AddStaff(ctx, admin.Key("add-"+st.ID), st)
		require.NoError(t, err)
	}
	nf := fund("f")
	var err error
	f, err = svc.CreateFund(ctx, admin.Key("fund"), grants.NewFund{Name: nf.Name, Description: nf.Description, FunderName: nf.FunderName,
		FunderID: nf.FunderID, Prefix: nf.Prefix, Budgets: nf.Budgets, MinAward: nf.MinAward, MaxAward: nf.MaxAward,
		Priorities: nf.Priorities, Criteria: nf.Criteria, MaxScore: nf.MaxScore, Quorum: nf.Quorum,
		Rules: []grants.Rule{{Kind: grants.KindNewIdea}}})
	require.NoError(t, err)
	r, err = svc.OpenRound(ctx, call.As("officer").Key("round"), grants.NewRound{Fund: f.ID, Name: "Summer", Year: 2014,
		Opens: at(0), Closes: at(60 * 24 * 60)})
	require.NoError(t, err)
	return svc, tick, f, r
}

func form(fund, round, title string) grants.NewApplication {
	return grants.NewApplication{Fund: fund, Round: round, Title: title, Description: "Planters for the close",
		Applicant: grants.Applicant{Type: grants.UnconstitutedGroup, Name: "Friends of " + title, ContactName: "Sam", Email: "sam@example.org"},
		Ward:      "Tilbury St Chads", Amount: pounds("200"),
		Supporters: []grants.Supporter{{Name: "Neighbour One", Pledged: 120}}}
}

// testKeyScoping: two actors send the same key; they are two requests,
// each with its own result, and neither gets ErrConflict. The same actor
// reusing a key for another request does.
func testKeyScoping(t *testing.T, s grants.Store) {
	ctx := t.Context()
	svc, _, fund, round := serviceWorld(t, s)
	a1, err := svc.Draft(ctx, call.As("applicant-1").Key("form-1"), form(fund.ID, round.ID, "Planters one"))
	require.NoError(t, err)
	a2, err := svc.Draft(ctx, call.As("applicant-2").Key("form-1"), form(fund.ID, round.ID, "Planters two"))
	require.NoError(t, err, "the same key from another actor is another request")
	assert.NotEqual(t, a1.ID, a2.ID)
	assert.Equal(t, "applicant-2", a2.Owner)

	again, err := svc.Draft(ctx, call.As("applicant-1").Key("form-1"), form(fund.ID, round.ID, "Planters one"))
	require.NoError(t, err, "a retry")
	assert.Equal(t, a1.ID, again.ID)
	_, err = svc.Draft(ctx, call.As("applicant-1").Key("form-1"), form(fund.ID, round.ID, "Something else"))
	assert.ErrorIs(t, err, grants.ErrConflict, "a key reused for another request")

	all, err := svc.Applications(ctx, call.As("officer"), grants.ApplicationFilter{})
	require.NoError(t, err)
	assert.Len(t, all, 2)
	// Officers' keys are scoped too: two officers' "open" keys.
	_, err = svc.OpenRound(ctx, call.As("officer").Key("open"), grants.NewRound{Fund: fund.ID, Name: "Autumn", Year: 2014, Opens: at(0), Closes: at(10)})
	require.NoError(t, err)
	_, err = svc.OpenRound(ctx, call.As("officer-2").Key("open"), grants.NewRound{Fund: fund.ID, Name: "Winter", Year: 2014, Opens: at(0), Closes: at(10)})
	require.NoError(t, err)
}

// testReplayAfterLosingRole: an officer approves an application and is
// then deactivated; replaying their approval's key returns ErrForbidden,
// not the application. Their reads are refused too, and the state of an
// application is never revealed to them before their authority is checked.
func testReplayAfterLosingRole(t *testing.T, s grants.Store) {
	ctx := t.Context()
	svc, _, fund, round := serviceWorld(t, s)
	owner := call.As("applicant")
	a, err := svc.Draft(ctx, owner.Key("d"), form(fund.ID, round.ID, "Bulbs"))
	require.NoError(t, err)
	_, err = svc.Submit(ctx, owner.Key("s"), a.ID)
	require.NoError(t, err)
	officer := call.As("officer")
	_, err = svc.RequestInfo(ctx, officer.Key("ask"), a.ID, "how many bulbs?")
	require.NoError(t, err)
	_, err = svc.Application(ctx, officer, a.ID)
	require.NoError(t, err)

	_, err = svc.UpdateStaff(ctx, call.As("admin").Key("deactivate"), "officer", grants.StaffUpdate{Active: ptr(false)})
	require.NoError(t, err)
	_, err = svc.RequestInfo(ctx, officer.Key("ask"), a.ID, "how many bulbs?")
	assert.ErrorIs(t, err, grants.ErrForbidden, "a replay re-checks authority")
	_, err = svc.Application(ctx, officer, a.ID)
	assert.ErrorIs(t, err, grants.ErrForbidden)
	_, err = svc.History(ctx, officer, a.ID)
	assert.ErrorIs(t, err, grants.ErrForbidden)

	// Authority before state: a stranger gets ErrForbidden for an unknown
	// application and for an existing one alike, and for a move the
	// application's state would not allow.
	stranger := call.As("stranger")
	for _, id := range []string{a.ID, "app-unknown"} {
		_, err = svc.Application(ctx, stranger, id)
		assert.ErrorIs(t, err, grants.ErrForbidden, id)
		_, err = svc.Submit(ctx, stranger.Key("s-"+id), id)
		assert.ErrorIs(t, err, grants.ErrForbidden, id)
		_, err = svc.Award(ctx, stranger.Key("a-"+id), id)
		assert.ErrorIs(t, err, grants.ErrForbidden, id)
		_, err = svc.History(ctx, stranger, id)
		assert.ErrorIs(t, err, grants.ErrForbidden, id)
	}
	_, err = svc.Applications(ctx, stranger, grants.ApplicationFilter{})
	assert.ErrorIs(t, err, grants.ErrForbidden)
	mine, err := svc.Applications(ctx, owner, grants.ApplicationFilter{Owner: owner.ID})
	require.NoError(t, err)
	assert.Len(t, mine, 1)
}

// The person the erasure sub-test erases, and what must not survive.
const (
	eraseName     = "Zebedee Quuxworth"
	eraseEmail    = "zebedee.quuxworth@example.org"
	erasePhone    = "01375 999123"
	erasePostcode = "RM16 9ZZ"
	eraseFriend   = "Xanthe Yarrowby"
)

// eraseFlow takes an individual's application through every step that
// stores text (a request for information, a conflict, scores, a decision,
// payments, time given, an outcome), mentioning the person's name, email
// and phone wherever free text is taken, and then erases them. It returns
// the Service.
func eraseFlow(t *testing.T, s grants.Store) *grants.Service {
	t.Helper()
	ctx := t.Context()
	svc, tick, fund, round := serviceWorld(t, s)
	jo, officer := call.As("applicant-77"), call.As("officer")
	mention := fmt.Sprintf("%s (%s, %s)", eraseName, eraseEmail, erasePhone)
	start, end := at(100), at(200)
	a, err := svc.Draft(ctx, jo.Key("d"), grants.NewApplication{Fund: fund.ID, Round: round.ID,
		Title: eraseName + "'s street party", Description: "Run by " + mention, Idea: "party at " + eraseName + "'s",
		Applicant: grants.Applicant{Type: grants.Individual, Name: eraseName, ContactName: eraseName, Email: eraseEmail,
			Phone: erasePhone, Postcode: erasePostcode},
		Ward: "Tilbury St Chads", Amount: pounds("200"),
		Costs:      []grants.Cost{{Item: "cake from " + eraseName, Amount: pounds("200")}},
		Supporters: []grants.Supporter{{Name: eraseFriend, Pledged: 120}, {Name: "Neighbour of " + eraseName, Pledged: 60}},
		CashMatch:  pounds("5"), PlannedStart: &start, PlannedEnd: &end})
	require.NoError(t, err)
	steps := []func() (*grants.Application, error){
		func() (*grants.Application, error) { return svc.Submit(ctx, jo.Key("s"), a.ID) },
		func() (*grants.Application, error) {
			return svc.RequestInfo(ctx, officer.Key("ri"), a.ID, "Please ring "+mention)
		},
		func() (*grants.Application, error) { return svc.Resubmit(ctx, jo.Key("rs"), a.ID, nil) },
		func() (*grants.Application, error) { return svc.CheckEligibility(ctx, officer.Key("ck"), a.ID) },
		func() (*grants.Application, error) {
			return svc.DeclareConflict(ctx, call.As("panel-2").Key("c"), a.ID, "I know "+mention)
		},
		func() (*grants.Application, error) { return svc.StartReview(ctx, officer.Key("rv"), a.ID) },
		func() (*grants.Application, error) {
			return svc.ScoreApplication(ctx, call.As("panel").Key("sc"), a.ID, map[string]int{"need": 4, "reach": 4}, "good work by "+eraseName)
		},
		func() (*grants.Application, error) {
			return svc.ScoreApplication(ctx, call.As("panel-2").Key("sc"), a.ID, map[string]int{"need": 4, "reach": 4}, "")
		},
		func() (*grants.Application, error) {
			return svc.ScoreApplication(ctx, call.As("panel-3").Key("sc"), a.ID, map[string]int{"need": 3, "reach": 4}, "")
		},
		func() (*grants.Application, error) {
			return svc.Approve(ctx, call.As("officer-2").Key("ap"), a.ID, pounds("200"), "approved for "+eraseName)
		},
		func() (*grants.Application, error) { return svc.Award(ctx, officer.Key("aw"), a.ID) },
		func() (*grants.Application, error) {
			return svc.Pay(ctx, officer.Key("p"), a.ID, pounds("200"), "BACS "+eraseName)
		},
		func() (*grants.Application, error) {
			return svc.RecordDelivery(ctx, jo.Key("dl"), a.ID, eraseFriend, 100)
		},
		func() (*grants.Application, error) {
			return svc.ReportOutcome(ctx, jo.Key("o"), a.ID, grants.Outcome{Summary: "Thanks from " + mention, PeopleReached: 30,
				Photos: []string{"https://example.org/" + eraseName + ".jpg"}})
		},
		func() (*grants.Application, error) {
			return svc.CloseApplication(ctx, officer.Key("cl"), a.ID, "closed; "+eraseName+" was thanked")
		},
	}
	for i, step := range steps {
		tick()
		_, err := step()
		require.NoError(t, err, "step %d", i+1)
	}
	// A second application of theirs, withdrawn, and someone else's.
	b, err := svc.Draft(ctx, jo.Key("d2"), grants.NewApplication{Fund: fund.ID, Round: round.ID, Title: "Bulbs", Description: "by " + mention,
		Applicant: grants.Applicant{Type: grants.Individual, Name: eraseName, ContactName: eraseName, Email: eraseEmail},
		Amount:    pounds("60")})
	require.NoError(t, err)
	_, err = svc.Withdraw(ctx, jo.Key("w"), b.ID, "sorry, "+mention+" is moving")
	require.NoError(t, err)
	other, err := svc.Draft(ctx, call.As("applicant-8").Key("d"), form(fund.ID, round.ID, "Other party"))
	require.NoError(t, err)

	_, err = svc.EraseApplicant(ctx, jo.Key("erase"), jo.ID)
	assert.ErrorIs(t, err, grants.ErrForbidden, "the applicant does not erase themself; an officer does")
	n, err := svc.EraseApplicant(ctx, officer.Key("erase"), jo.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, n)

	// What is kept: amounts, counts, statuses, pseudonymous ids.
	got, err := svc.Application(ctx, officer, a.ID)
	require.NoError(t, err)
	assert.Equal(t, grants.Closed, got.Status)
	assert.Equal(t, "200.00", got.Award.StringFixed(2))
	assert.Equal(t, "200.00", got.Paid.StringFixed(2))
	assert.Equal(t, int64(180), got.PledgedMinutes())
	assert.Equal(t, int64(100), got.DeliveredMinutes())
	assert.Equal(t, jo.ID, got.Owner)
	assert.Equal(t, 30, got.Outcome.PeopleReached)
	r, err := svc.Report(ctx, fund.ID, 2014)
	require.NoError(t, err)
	assert.Equal(t, 1, r.Awards)
	assert.Equal(t, "200.00", r.Awarded.StringFixed(2))
	o, err := svc.Application(ctx, officer, other.ID)
	require.NoError(t, err)
	assert.Equal(t, "Friends of Other party", o.Applicant.Name, "someone else's application is untouched")
	return svc
}

// testErasure: after EraseApplicant, no stored text the store returns —
// funds, rounds, staff, applications, the audit trail — holds the person's
// name, email, phone or postcode, nor a supporter's name.
func testErasure(t *testing.T, s grants.Store) {
	eraseFlow(t, s)
	for _, text := range storedText(t, s) {
		for _, bad := range []string{eraseName, eraseEmail, erasePhone, erasePostcode, eraseFriend, "Quuxworth", "999123"} {
			assert.NotContains(t, strings.ToLower(text), strings.ToLower(bad))
		}
	}
}

// storedText returns everything the store returns, as JSON.
func storedText(t *testing.T, s grants.Store) []string {
	ctx := t.Context()
	var out []string
	add := func(v any, err error) {
		require.NoError(t, err)
		b, err := json.Marshal(v)
		require.NoError(t, err)
		out = append(out, string(b))
	}
	add(s.Funds(ctx, grants.FundFilter{}))
	add(s.Rounds(ctx, grants.RoundFilter{}))
	add(s.StaffList(ctx, grants.StaffFilter{}))
	add(s.Applications(ctx, grants.ApplicationFilter{}))
	add(s.Events(ctx, grants.EventFilter{}))
	apps, err := s.Applications(ctx, grants.ApplicationFilter{})
	require.NoError(t, err)
	for _, a := range apps {
		add(s.Application(ctx, a.ID))
		for _, idea := range []string{a.Idea, "party at " + strings.ToLower(eraseName) + "'s"} {
			add(s.Applications(ctx, grants.ApplicationFilter{Idea: idea}))
		}
	}
	return out
}

// testTextRefused: text with a NUL byte or invalid UTF-8, or longer than
// its limit, is refused with a *FieldError before any store sees it, on
// every store alike.
func testTextRefused(t *testing.T, s grants.Store) {
	ctx := t.Context()
	svc, _, fund, round := serviceWorld(t, s)
	jo := call.As("applicant")
	bad := map[string]func(f *grants.NewApplication){
		"Title":                 func(f *grants.NewApplication) { f.Title = "a\x00b" },
		"Description":           func(f *grants.NewApplication) { f.Description = "caf\xe9" },
		"Applicant.Name":        func(f *grants.NewApplication) { f.Applicant.Name = "Jo\x00" },
		"Applicant.ContactName": func(f *grants.NewApplication) { f.Applicant.ContactName = strings.Repeat("x", grants.MaxName+1) },
		"Applicant.Email":       func(f *grants.NewApplication) { f.Applicant.Email = strings.Repeat("a", 1<<20) + "@example.org" },
		"Ward":                  func(f *grants.NewApplication) { f.Ward = "\xff" },
		"Supporters[0].Name":    func(f *grants.NewApplication) { f.Supporters[0].Name = "N\x00" },
		"Description ":          func(f *grants.NewApplication) { f.Description = strings.Repeat("é", grants.MaxDescription+1) },
	}
	for field, edit := range bad {
		f := form(fund.ID, round.ID, "Planters")
		edit(&f)
		_, err := svc.Draft(ctx, jo.Key("d-"+field), f)
		var fe *grants.FieldError
		if assert.ErrorAs(t, err, &fe, field) {
			assert.Equal(t, strings.TrimSpace(field), fe.Field)
			assert.ErrorIs(t, err, grants.ErrInvalid)
		}
	}
	a, err := svc.Draft(ctx, jo.Key("ok"), form(fund.ID, round.ID, "Planters"))
	require.NoError(t, err)
	_, err = svc.Withdraw(ctx, jo.Key("w"), a.ID, "moving\x00away")
	assert.ErrorIs(t, err, grants.ErrInvalid)
	_, err = svc.Withdraw(ctx, jo.Key("w2"), a.ID, strings.Repeat("r", grants.MaxReason+1))
	assert.ErrorIs(t, err, grants.ErrInvalid)
	_, err = svc.Draft(ctx, call.As("nul\x00actor").Key("k"), form(fund.ID, round.ID, "Planters"))
	assert.ErrorIs(t, err, grants.ErrInvalid)
	_, err = svc.Application(ctx, call.As("officer"), "app\x00")
	assert.ErrorIs(t, err, grants.ErrInvalid)
	_, err = svc.Report(ctx, "f\xff", 2014)
	assert.ErrorIs(t, err, grants.ErrInvalid)
	all, err := svc.Applications(ctx, call.As("officer"), grants.ApplicationFilter{})
	require.NoError(t, err)
	assert.Len(t, all, 1, "nothing refused was stored")
}
