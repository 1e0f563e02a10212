package hubs_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/internal/borough"
)

// TestPathfinderYear checks that the report of South Ockendon's first
// year, computed from the generated records, gives the seed's figures
// (seed 003): 6,756 hours from 38 volunteers, 135,238 visits, footfall up
// 65% on the building's previous use, over 30 groups, a Learning Fair of
// over 2,000 people with 30-odd stalls; and (seed 002) seven volunteers
// who moved into work.
func TestPathfinderYear(t *testing.T) {
	ctx := t.Context()
	w, err := borough.NewHubsWorld(ctx, memory.NewHubsStore(), 1)
	require.NoError(t, err)
	from, to, err := w.PathfinderYear(ctx)
	require.NoError(t, err)
	r, err := w.Service.Report(ctx, w.Hubs[borough.SouthOckendon].ID, from, to)
	require.NoError(t, err)
	assert.Equal(t, "6756", r.VolunteerHours.String())
	assert.Equal(t, 38, r.Volunteers)
	assert.Equal(t, 38, r.NewVolunteers)
	assert.Equal(t, int64(135_238), r.Visits)
	require.NotNil(t, r.ChangeOnBaseline)
	assert.Equal(t, "65", r.ChangeOnBaseline.Round(0).String())
	assert.Greater(t, r.Groups, 30)
	assert.Equal(t, 7, r.MovedIntoWork)
	assert.Equal(t, 12, r.Surgeries)
	assert.Equal(t, 60, r.SlotsBooked)
	assert.Equal(t, 48, r.SlotsUsed)
	assert.Positive(t, r.DropIns)
	events, err := w.Service.Events(ctx, hubs.Span{Hub: w.Hubs[borough.SouthOckendon].ID, From: from, To: to})
	require.NoError(t, err)
	var fair *hubs.Event
	for _, e := range events {
		if e.Kind == hubs.EventFair {
			fair = e
		}
	}
	require.NotNil(t, fair, "no Learning Fair")
	assert.Greater(t, fair.Attendance, int64(2000))
	assert.Greater(t, fair.Stalls, int64(30))
	h, err := w.Service.Hub(ctx, w.Hubs[borough.SouthOckendon].ID)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2013, 3, 1, 0, 0, 0, 0, time.UTC), h.Opened)
	assert.NotEmpty(t, h.Offer)
}

// TestYear2022 checks April to December 2022 across the hubs (seed 004):
// 1,830 events, 95% of council volunteer placements filled, placements
// rising from 181 to 196.
func TestYear2022(t *testing.T) {
	ctx := t.Context()
	w, err := borough.NewHubsWorld(ctx, memory.NewHubsStore(), 2)
	require.NoError(t, err)
	from, to, err := w.Year2022(ctx)
	require.NoError(t, err)
	r, err := w.Service.Report(ctx, "", from, to)
	require.NoError(t, err)
	assert.Equal(t, 1830, r.Events)
	assert.Equal(t, 181, r.PlacementsStart)
	assert.Equal(t, 196, r.PlacementsEnd)
	require.NotNil(t, r.FillRate)
	assert.Equal(t, "95", r.FillRate.Round(0).String())
}

// TestEnterpriseTarget checks the register counts 0 before 2015 and 25 by
// February 2017 (seed 001), from the enterprises' histories.
func TestEnterpriseTarget(t *testing.T) {
	ctx := t.Context()
	w, err := borough.NewHubsWorld(ctx, memory.NewHubsStore(), 3)
	require.NoError(t, err)
	due, err := w.Enterprises(ctx)
	require.NoError(t, err)
	c, err := w.Service.EnterpriseCount(ctx, time.Date(2014, 12, 31, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Equal(t, 0, c.Registered)
	c, err = w.Service.EnterpriseCount(ctx, due)
	require.NoError(t, err)
	assert.Equal(t, 25, c.Registered)
	assert.Equal(t, 25, c.Target)
}

// TestSixHubs checks the six hubs' dated histories (seed 000).
func TestSixHubs(t *testing.T) {
	ctx := t.Context()
	w, err := borough.NewHubsWorld(ctx, memory.NewHubsStore(), 4)
	require.NoError(t, err)
	require.NoError(t, w.Directory(ctx, 300))
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	for name, want := range map[string]struct {
		status hubs.Status
		opened time.Time
	}{
		borough.SouthOckendon: {hubs.StatusOpen, d(2013, 3, 1)},
		borough.Chadwell:      {hubs.StatusOpen, d(2014, 2, 3)},
		borough.Acorns:        {hubs.StatusOpen, d(2015, 4, 13)},
		borough.Tilbury:       {hubs.StatusReopened, d(2014, 9, 1)},
		borough.Purfleet:      {hubs.StatusOpen, d(2016, 9, 5)},
		borough.Aveley:        {hubs.StatusPlanned, time.Time{}},
	} {
		h, err := w.Service.Hub(ctx, w.Hubs[name].ID)
		require.NoError(t, err)
		assert.Equal(t, want.status, h.Status, name)
		assert.Equal(t, want.opened, h.Opened, name)
	}
	chadwell, err := w.Service.Hub(ctx, w.Hubs[borough.Chadwell].ID)
	require.NoError(t, err)
	assert.Len(t, chadwell.Hours, 2, "Chadwell opens two days a week")
	ls, err := w.Service.Listings(ctx, hubs.ListingFilter{})
	require.NoError(t, err)
	assert.Len(t, ls, 300)
	locs, err := w.Service.Locations(ctx)
	require.NoError(t, err)
	assert.Len(t, locs, 6)
}
