package grantstest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/grants"
)

func testListFunds(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.apply(&grants.Batch{Funds: []*grants.Fund{fund("f3"), fund("f1"), fund("f2")}})
	all, err := s.Funds(h.ctx, grants.FundFilter{})
	require.NoError(t, err)
	assert.Equal(t, []string{"f1", "f2", "f3"}, ids(all, func(f *grants.Fund) string { return f.ID }))
	page, err := s.Funds(h.ctx, grants.FundFilter{Offset: 1, Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, []string{"f2"}, ids(page, func(f *grants.Fund) string { return f.ID }))
	past, err := s.Funds(h.ctx, grants.FundFilter{Offset: 5})
	require.NoError(t, err)
	assert.Empty(t, past)
}

func testListRounds(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.apply(&grants.Batch{Funds: []*grants.Fund{fund("f1"), fund("f2")}})
	r1, r2, r3, r4 := round("r1", "f1", 2014), round("r2", "f1", 2014), round("r3", "f1", 2015), round("r4", "f2", 2014)
	r1.Opens = at(100)
	r2.Opens = at(50)
	r3.Opens = at(50)
	h.apply(&grants.Batch{Rounds: []*grants.Round{r1, r2, r3, r4}})
	get := func(f grants.RoundFilter) []string {
		rs, err := s.Rounds(h.ctx, f)
		require.NoError(t, err)
		return ids(rs, func(r *grants.Round) string { return r.ID })
	}
	assert.Equal(t, []string{"r4", "r2", "r3", "r1"}, get(grants.RoundFilter{}), "by Opens, then id")
	assert.Equal(t, []string{"r2", "r3", "r1"}, get(grants.RoundFilter{Fund: "f1"}))
	assert.Equal(t, []string{"r2", "r1"}, get(grants.RoundFilter{Fund: "f1", Year: 2014}))
	assert.Equal(t, []string{"r3"}, get(grants.RoundFilter{Fund: "f1", Offset: 1, Limit: 1}))
}

func testListStaff(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.apply(&grants.Batch{Staff: []*grants.Staff{staff("b", grants.RolePanel), staff("a", grants.RoleAdmin), staff("c", grants.RoleOfficer)}})
	all, err := s.StaffList(h.ctx, grants.StaffFilter{})
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c"}, ids(all, func(m *grants.Staff) string { return m.ID }))
	one, err := s.StaffList(h.ctx, grants.StaffFilter{Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, []string{"a"}, ids(one, func(m *grants.Staff) string { return m.ID }))
}

func testListApplications(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.apply(&grants.Batch{Funds: []*grants.Fund{fund("f1"), fund("f2")}, Rounds: []*grants.Round{
		round("r1", "f1", 2014), round("r2", "f1", 2015), round("r3", "f2", 2014)}})
	mk := func(id, f, r string, year, minute int, owner, idea string, st grants.Status) *grants.Application {
		a := application(id, f, r, year, at(minute))
		a.Owner, a.Idea, a.Status = owner, idea, st
		return a
	}
	h.apply(&grants.Batch{Applications: []*grants.Application{
		mk("a5", "f1", "r1", 2014, 1, "o1", "garden", grants.Draft),
		mk("a4", "f1", "r1", 2014, 2, "o2", "party", grants.Approved),
		mk("a3", "f1", "r2", 2015, 2, "o1", "garden", grants.Awarded),
		mk("a2", "f2", "r3", 2014, 3, "o1", "garden", grants.Declined),
		mk("a1", "f1", "r1", 2014, 4, "o3", "litter", grants.Paid),
	}})
	get := func(f grants.ApplicationFilter) []string {
		as, err := s.Applications(h.ctx, f)
		require.NoError(t, err)
		return appIDs(as)
	}
	assert.Equal(t, []string{"a5", "a3", "a4", "a2", "a1"}, get(grants.ApplicationFilter{}), "by CreatedAt, then id")
	assert.Equal(t, []string{"a5", "a3", "a4", "a1"}, get(grants.ApplicationFilter{Fund: "f1"}))
	assert.Equal(t, []string{"a5", "a4", "a1"}, get(grants.ApplicationFilter{Round: "r1"}))
	assert.Equal(t, []string{"a5", "a4", "a2", "a1"}, get(grants.ApplicationFilter{Year: 2014}))
	assert.Equal(t, []string{"a5", "a3", "a2"}, get(grants.ApplicationFilter{Owner: "o1"}))
	assert.Equal(t, []string{"a5", "a3"}, get(grants.ApplicationFilter{Fund: "f1", Idea: "garden"}))
	assert.Equal(t, []string{"a3", "a4", "a1"}, get(grants.ApplicationFilter{Status: []grants.Status{grants.Approved, grants.Awarded, grants.Paid}}))
	assert.Equal(t, []string{"a4"}, get(grants.ApplicationFilter{Fund: "f1", Year: 2014, Status: []grants.Status{grants.Approved}}))
	assert.Equal(t, []string{"a3", "a4"}, get(grants.ApplicationFilter{Offset: 1, Limit: 2}))
	assert.Empty(t, get(grants.ApplicationFilter{Fund: "none"}))
}
