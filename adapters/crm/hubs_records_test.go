package crm_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/crm"
	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs"
)

type hubsWorld struct {
	svc   *hubs.Service
	staff call.Actor
	hub   string
}

func newHubsWorld(t *testing.T) *hubsWorld {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2014, 2, 1, 9, 0, 0, 0, time.UTC)
	svc := hubs.NewService(sqlite.NewHubsStore(openDB(t)), hubs.WithClock(func() time.Time { return now }))
	admin, staff := call.As("admin"), call.As("staff")
	require.NoError(t, svc.Bootstrap(ctx, admin))
	_, err := svc.Grant(ctx, admin.Key("grant"), staff.ID, hubs.RoleCoordinator, hubs.RoleRecorder, hubs.RoleEditor)
	require.NoError(t, err)
	h, err := svc.CreateHub(ctx, staff.Key("hub"), hubs.NewHub{Name: "Tilbury Hub", Ward: "Tilbury", PCN: "TIL",
		Status: hubs.StatusOpen, On: time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	return &hubsWorld{svc: svc, staff: staff, hub: h.ID}
}

// A hub's events, visit counts and directory organisations from the CRM
// are recorded through the hubs Service, once: a bad record is rejected
// naming its field, a later version is rejected as the Service has no
// change of them, and a replay changes nothing.
func TestHubsRecords(t *testing.T) {
	ctx := context.Background()
	w := newHubsWorld(t)
	s := newSyncer(t, map[crm.Kind]crm.Applier{
		crm.HubEvent:     crm.HubEvents(w.svc, w.staff, w.hub),
		crm.HubVisit:     crm.HubVisits(w.svc, w.staff, w.hub),
		crm.Organisation: crm.HubsOrganisations(w.svc, w.staff),
	})
	s.crm.add(
		rec(crm.HubEvent, "E1", 1, "kind", "fair", "title", "Spring fair", "on", "2014-03-01", "attendance", "120", "stalls", "14"),
		rec(crm.HubEvent, "E2", 1, "kind", "party", "title", "Bad kind", "on", "2014-03-02"),
		rec(crm.HubEvent, "E3", 1, "kind", "club", "title", "Bad count", "on", "2014-03-02", "attendance", "lots"),
		rec(crm.HubVisit, "V1", 1, "on", "2014-01-06", "count", "85", "method", "tally"),
		rec(crm.HubVisit, "V2", 1, "on", "2013-12-30", "count", "10", "method", "tally"),
		rec(crm.HubVisit, "V3", 1, "on", "2014-01-06", "count", "5", "method", "tally"),
		rec(crm.Organisation, "O1", 1, "name", "Thurrock Lifestyle Solutions", "description", "Day opportunities"),
		rec(crm.Organisation, "O2", 1, "name", "No description"),
	)
	rep := s.sync()
	assert.Equal(t, 3, rep.Created)
	errs := errorsOf(rep)
	require.Len(t, errs, 5, "%v", errs)
	assert.Contains(t, errs["E2"], "Kind")
	assert.Contains(t, errs["E3"], "attendance")
	assert.ErrorIs(t, rep.Errors[2].Err, hubs.ErrBeforeOpening, "V2 is dated before the hub opened")
	assert.ErrorIs(t, rep.Errors[3].Err, hubs.ErrConflict, "V3 counts a day counted already")
	assert.Contains(t, errs["O2"], "Description")

	span := hubs.Span{From: time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)}
	events, err := w.svc.Events(ctx, span)
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, int64(120), events[0].Attendance)
	visits, err := w.svc.Visits(ctx, span)
	require.NoError(t, err)
	require.Len(t, visits, 1)
	assert.Equal(t, int64(85), visits[0].Count)
	orgs, err := w.svc.Organizations(ctx)
	require.NoError(t, err)
	require.Len(t, orgs, 1)

	// A later version is refused with the reason, and nothing changes.
	s.crm.add(rec(crm.HubEvent, "E1", 2, "kind", "fair", "title", "Spring fair", "on", "2014-03-01", "attendance", "130"),
		rec(crm.HubVisit, "V1", 2, "on", "2014-01-06", "count", "86"),
		rec(crm.Organisation, "O1", 2, "name", "TLS", "description", "Day opportunities"))
	rep = s.sync()
	assert.Zero(t, rep.Updated)
	require.Len(t, rep.Errors, 3)
	for _, e := range rep.Errors {
		assert.Contains(t, e.Err.Error(), "recorded once", e.ExternalID)
	}
	events, err = w.svc.Events(ctx, span)
	require.NoError(t, err)
	assert.Equal(t, int64(120), events[0].Attendance)

	// Nothing new: nothing happens. From nothing: every write replays.
	rep = s.sync()
	assert.Zero(t, rep.Created+rep.Updated+len(rep.Errors))
	rep = s.fresh()
	assert.Equal(t, 3, rep.Created)
	events, err = w.svc.Events(ctx, span)
	require.NoError(t, err)
	assert.Len(t, events, 1)
	visits, err = w.svc.Visits(ctx, span)
	require.NoError(t, err)
	assert.Len(t, visits, 1)
	orgs, err = w.svc.Organizations(ctx)
	require.NoError(t, err)
	assert.Len(t, orgs, 1)
}

// Volunteer sessions from the CRM are recorded through the hubs Service
// against the volunteer their record names by its CRM id, whether that
// volunteer came earlier in the same batch or in an earlier sync; a
// session naming no synced volunteer, or one the Service refuses, is
// rejected naming its field, a later version is rejected, and a replay
// records nothing twice.
func TestHubsSessions(t *testing.T) {
	ctx := context.Background()
	w := newHubsWorld(t)
	s := newSyncer(t, map[crm.Kind]crm.Applier{
		crm.Volunteer:        crm.HubsVolunteers(w.svc, w.staff, w.hub),
		crm.VolunteerSession: crm.HubsSessions(w.svc, w.staff),
	})
	s.crm.add(
		rec(crm.Volunteer, "V1", 1, "name", "Vic", "roles", "welcome desk", "registered", "2014-01-02"),
		rec(crm.Volunteer, "V2", 1, "name", "Wyn", "roles", "cafe", "registered", "2014-01-20"),
		rec(crm.VolunteerSession, "S1", 1, "volunteer", "V1", "on", "2014-02-03", "minutes", "90", "role", "welcome desk"),
		rec(crm.VolunteerSession, "S2", 1, "volunteer", "V9", "on", "2014-02-03", "minutes", "30"),
		rec(crm.VolunteerSession, "S3", 1, "volunteer", "V1", "on", "2014-02-03", "minutes", "0"),
		rec(crm.VolunteerSession, "S4", 1, "volunteer", "V2", "on", "2014-01-10", "minutes", "30"),
		rec(crm.VolunteerSession, "S5", 1, "on", "2014-02-03", "minutes", "30"),
	)
	e := crm.NewEngine(s.crm, s.state, s.appliers, nil)
	e.SetBatchSize(10) // the volunteers and their sessions in one batch
	rep, err := e.Sync(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Batches)
	assert.Equal(t, 3, rep.Created, "V1, V2 and S1")
	errs := errorsOf(rep)
	require.Len(t, errs, 4, "%v", errs)
	assert.Contains(t, errs["S2"], "volunteer: names no volunteer synced")
	assert.Contains(t, errs["S3"], "Minutes")
	assert.Contains(t, errs["S4"], "before the volunteer registered")
	assert.Contains(t, errs["S5"], "volunteer: is required")

	// A session of a volunteer synced before; a later version of S1.
	s.crm.add(rec(crm.VolunteerSession, "S6", 1, "volunteer", "V2", "on", "2014-02-04", "minutes", "60"),
		rec(crm.VolunteerSession, "S1", 2, "volunteer", "V1", "on", "2014-02-03", "minutes", "120"))
	rep = s.sync()
	assert.Equal(t, 1, rep.Created)
	require.Len(t, rep.Errors, 1)
	assert.Contains(t, rep.Errors[0].Err.Error(), "recorded once")

	v1, _, err := s.state.Link(ctx, crm.Volunteer, "V1")
	require.NoError(t, err)
	v2, _, err := s.state.Link(ctx, crm.Volunteer, "V2")
	require.NoError(t, err)
	span := hubs.Span{From: time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)}
	check := func() {
		t.Helper()
		sessions, err := w.svc.Sessions(ctx, span)
		require.NoError(t, err)
		got := map[string]int64{}
		for _, x := range sessions {
			got[x.Volunteer] += x.Minutes
			assert.Equal(t, w.hub, x.Hub)
		}
		assert.Equal(t, map[string]int64{v1.ID: 90, v2.ID: 60}, got)
	}
	check()

	// From nothing: every write replays, and nothing is recorded twice.
	rep = s.fresh()
	assert.Equal(t, 4, rep.Created)
	check()
}

// A later version of a volunteer changes the fields it carries and leaves
// the others alone; a bad email is rejected naming the field, and the
// volunteer stays as it was.
func TestHubsVolunteersUpdate(t *testing.T) {
	ctx := context.Background()
	w := newHubsWorld(t)
	s := newSyncer(t, map[crm.Kind]crm.Applier{crm.Volunteer: crm.HubsVolunteers(w.svc, w.staff, w.hub)})
	s.crm.add(rec(crm.Volunteer, "V1", 1, "name", "Vic", "email", "vic@example.org", "phone", "07700 900123",
		"roles", "welcome desk", "registered", "2014-01-02"))
	rep := s.sync()
	require.Equal(t, 1, rep.Created, "%v", errorsOf(rep))
	l, _, err := s.state.Link(ctx, crm.Volunteer, "V1")
	require.NoError(t, err)

	s.crm.add(rec(crm.Volunteer, "V1", 2, "name", "Victoria", "roles", "welcome desk;cafe"))
	rep = s.sync()
	require.Equal(t, 1, rep.Updated, "%v", errorsOf(rep))
	v, err := w.svc.Volunteer(ctx, w.staff, l.ID)
	require.NoError(t, err)
	assert.Equal(t, "Victoria", v.Name)
	assert.Equal(t, []string{"welcome desk", "cafe"}, v.Roles)
	assert.Equal(t, "vic@example.org", v.Email, "left out, left alone")
	assert.Equal(t, "07700 900123", v.Phone)

	s.crm.add(rec(crm.Volunteer, "V1", 3, "email", "not-an-email"), rec(crm.Volunteer, "V1", 4, "phone", ""))
	rep = s.sync()
	require.Len(t, rep.Errors, 1)
	assert.Contains(t, rep.Errors[0].Err.Error(), "Email: is not an email address")
	assert.Equal(t, 1, rep.Updated, "the fourth version, after the rejected third")
	v, err = w.svc.Volunteer(ctx, w.staff, l.ID)
	require.NoError(t, err)
	assert.Equal(t, "vic@example.org", v.Email)
	assert.Empty(t, v.Phone, "an empty value clears")
}
