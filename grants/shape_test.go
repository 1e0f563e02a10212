package grants_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
)

// Before Bootstrap nobody may add staff, not even to make themself the
// first admin (the rule that let six racing callers become six admins).
func TestNoStaffBeforeBootstrap(t *testing.T) {
	svc := grants.NewService(memory.NewGrantsStore())
	ctx := t.Context()
	_, err := svc.AddStaff(ctx, call.As("me").Key("k"), grants.NewStaff{ID: "me", Name: "Me", Roles: []grants.Role{grants.RoleAdmin}})
	assert.ErrorIs(t, err, grants.ErrForbidden)
	assert.ErrorIs(t, svc.Bootstrap(ctx, call.Actor{}), grants.ErrInvalid)
	require.NoError(t, svc.Bootstrap(ctx, call.As("me")))
	require.NoError(t, svc.Bootstrap(ctx, call.As("me")), "a retry")
	err = svc.Bootstrap(ctx, call.As("you"))
	fieldIs(t, err, grants.ErrConflict, "admin")
}

// An admin manages staff; an admin may not demote themself; a member of
// staff reads their own record, only an admin reads others'.
func TestStaffAdmin(t *testing.T) {
	w := newWorld(t)
	_, err := w.svc.UpdateStaff(w.ctx, w.as("admin"), "admin", grants.StaffUpdate{Roles: &[]grants.Role{grants.RoleOfficer}})
	fieldIs(t, err, grants.ErrInvalid, "Roles")
	_, err = w.svc.UpdateStaff(w.ctx, w.as("officer"), "p1", grants.StaffUpdate{Active: new(bool)})
	assert.ErrorIs(t, err, grants.ErrForbidden)
	_, err = w.svc.UpdateStaff(w.ctx, w.as("admin"), "nobody", grants.StaffUpdate{Active: new(bool)})
	assert.ErrorIs(t, err, grants.ErrNotFound)

	me, err := w.svc.Staff(w.ctx, call.As("p1"), "p1")
	require.NoError(t, err)
	assert.Equal(t, "Panel 1", me.Name)
	_, err = w.svc.Staff(w.ctx, call.As("p1"), "officer")
	assert.ErrorIs(t, err, grants.ErrForbidden)
	_, err = w.svc.Staff(w.ctx, call.As("stranger"), "stranger")
	assert.ErrorIs(t, err, grants.ErrForbidden, "not ErrNotFound: a stranger learns nothing")
	_, err = w.svc.StaffList(w.ctx, call.As("officer"), grants.StaffFilter{})
	assert.ErrorIs(t, err, grants.ErrForbidden)
	all, err := w.svc.StaffList(w.ctx, call.As("admin"), grants.StaffFilter{})
	require.NoError(t, err)
	assert.Len(t, all, 6)

	// Deactivated, the panel member can no longer score or read.
	_, err = w.svc.UpdateStaff(w.ctx, w.as("admin"), "p1", grants.StaffUpdate{Active: new(bool)})
	require.NoError(t, err)
	a := w.submitted(w.form("Bulbs"))
	_, err = w.svc.Application(w.ctx, call.As("p1"), a.ID)
	assert.ErrorIs(t, err, grants.ErrForbidden)
	_, err = w.svc.Application(w.ctx, call.As("p2"), a.ID)
	assert.NoError(t, err, "an active panel member reads applications")
}

// Reads of applications: staff read all, an applicant only their own,
// and the funds and rounds are open.
func TestApplicationReads(t *testing.T) {
	w := newWorld(t)
	a := w.submitted(w.form("Bulbs"))
	other, err := w.svc.Draft(w.ctx, w.as("neighbour"), w.form("Benches"))
	require.NoError(t, err)

	mine, err := w.svc.Applications(w.ctx, call.As("applicant"), grants.ApplicationFilter{Owner: "applicant"})
	require.NoError(t, err)
	require.Len(t, mine, 1)
	assert.Equal(t, a.ID, mine[0].ID)
	_, err = w.svc.Applications(w.ctx, call.As("applicant"), grants.ApplicationFilter{Owner: "neighbour"})
	assert.ErrorIs(t, err, grants.ErrForbidden)
	_, err = w.svc.Application(w.ctx, call.As("applicant"), other.ID)
	assert.ErrorIs(t, err, grants.ErrForbidden)
	_, err = w.svc.Application(w.ctx, call.As("officer"), "app-none")
	assert.ErrorIs(t, err, grants.ErrNotFound, "staff may learn an id is unknown")

	byStatus, err := w.svc.Applications(w.ctx, call.As("officer"), grants.ApplicationFilter{Status: []grants.Status{grants.Draft}})
	require.NoError(t, err)
	require.Len(t, byStatus, 1)
	assert.Equal(t, other.ID, byStatus[0].ID)
	byRound, err := w.svc.Applications(w.ctx, call.As("p1"), grants.ApplicationFilter{Round: w.round.ID})
	require.NoError(t, err)
	assert.Len(t, byRound, 2)

	h, err := w.svc.History(w.ctx, call.As("applicant"), a.ID)
	require.NoError(t, err, "the owner reads their application's history")
	assert.Len(t, h, 2)
	_, err = w.svc.History(w.ctx, call.As("p1"), a.ID)
	assert.ErrorIs(t, err, grants.ErrForbidden, "the audit trail is for officers and the owner")
	e, err := w.svc.Eligibility(w.ctx, call.As("applicant"), a.ID)
	require.NoError(t, err)
	assert.True(t, e.Pass)
	_, err = w.svc.Eligibility(w.ctx, call.As("neighbour"), a.ID)
	assert.ErrorIs(t, err, grants.ErrForbidden)

	f, err := w.svc.Fund(w.ctx, w.fund.ID)
	require.NoError(t, err)
	assert.Equal(t, "Small Sparks", f.Name)
	funds, err := w.svc.Funds(w.ctx, grants.FundFilter{})
	require.NoError(t, err)
	assert.Len(t, funds, 1)
	r, err := w.svc.Round(w.ctx, w.round.ID)
	require.NoError(t, err)
	assert.Equal(t, w.fund.ID, r.Fund)
	rounds, err := w.svc.Rounds(w.ctx, grants.RoundFilter{Fund: w.fund.ID})
	require.NoError(t, err)
	assert.Len(t, rounds, 1)
	_, err = w.svc.Fund(w.ctx, "nope")
	assert.ErrorIs(t, err, grants.ErrNotFound)
}

// A supporter asks to be forgotten: their name goes, their minutes stay.
func TestEraseSupporter(t *testing.T) {
	w := newWorld(t)
	a := w.submitted(w.form("Bulbs"))
	_, err := w.svc.EraseSupporter(w.ctx, w.as("applicant"), a.ID, "N2")
	assert.ErrorIs(t, err, grants.ErrForbidden)
	_, err = w.svc.EraseSupporter(w.ctx, w.as("officer"), a.ID, "nobody")
	fieldIs(t, err, grants.ErrInvalid, "name")
	got, err := w.svc.EraseSupporter(w.ctx, w.as("officer"), a.ID, " n2 ")
	require.NoError(t, err)
	assert.Equal(t, "(erased supporter 2)", got.Supporters[1].Name)
	assert.Equal(t, int64(6*60), got.Supporters[1].Pledged)
	assert.Equal(t, "N1", got.Supporters[0].Name)
}

// Transitions returns a copy: changing it changes nothing.
func TestTransitionsIsACopy(t *testing.T) {
	tr := grants.Transitions()
	tr[grants.Draft] = append(tr[grants.Draft], grants.Paid)
	tr[grants.Declined] = []grants.Status{grants.Draft}
	assert.NotContains(t, grants.Transitions()[grants.Draft], grants.Paid)
	assert.Empty(t, grants.Transitions()[grants.Declined])
}

// Text limits are stated and checked in the domain on every free-text
// field a write takes.
func TestTextLimits(t *testing.T) {
	w := newWorld(t)
	a := w.awarded(w.form("Bulbs"), "240")
	long := strings.Repeat("x", grants.MaxReference+1)
	_, err := w.svc.Pay(w.ctx, w.as("officer"), a.ID, gbp("10"), long)
	fieldIs(t, err, grants.ErrInvalid, "reference")
	_, err = w.svc.Pay(w.ctx, w.as("officer"), a.ID, gbp("10"), "BACS\x00")
	fieldIs(t, err, grants.ErrInvalid, "reference")
	_, err = w.svc.RecordDelivery(w.ctx, w.as("applicant"), a.ID, "N1\xff", 60)
	fieldIs(t, err, grants.ErrInvalid, "supporter")
	nf := smallSparks()
	nf.Description = strings.Repeat("d", grants.MaxDescription+1)
	_, err = w.svc.CreateFund(w.ctx, w.as("admin"), nf)
	fieldIs(t, err, grants.ErrInvalid, "Description")
	nf = smallSparks()
	nf.Priorities = []string{"ok", "bad\x00"}
	_, err = w.svc.CreateFund(w.ctx, w.as("admin"), nf)
	fieldIs(t, err, grants.ErrInvalid, "Priorities[1]")
	_, err = w.svc.AddStaff(w.ctx, w.as("admin"), grants.NewStaff{Name: strings.Repeat("n", grants.MaxName+1), Roles: []grants.Role{grants.RolePanel}})
	fieldIs(t, err, grants.ErrInvalid, "Name")
	_, err = w.svc.OpenRound(w.ctx, w.as("officer"), grants.NewRound{Fund: w.fund.ID, Name: "Round\x00", Year: 2014, Opens: start, Closes: start})
	fieldIs(t, err, grants.ErrInvalid, "Name")
}

// Filters are checked like any other input before a store sees them.
func TestFiltersChecked(t *testing.T) {
	w := newWorld(t)
	_, err := w.svc.Rounds(w.ctx, grants.RoundFilter{Fund: "f\x00"})
	fieldIs(t, err, grants.ErrInvalid, "Fund")
	_, err = w.svc.Applications(w.ctx, call.As("officer"), grants.ApplicationFilter{Status: []grants.Status{"pending\x00"}})
	fieldIs(t, err, grants.ErrInvalid, "Status")
	got, err := w.svc.Applications(w.ctx, call.As("officer"), grants.ApplicationFilter{Status: []grants.Status{grants.Closed, grants.Declined}})
	require.NoError(t, err)
	assert.Empty(t, got)
}
