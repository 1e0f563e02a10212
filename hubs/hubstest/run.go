package hubstest

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/internal/storetest"
)

// Run checks that the stores newStore returns behave as hubs.Store's
// documentation says. Each sub-test calls newStore once and must get an
// empty store; newStore registers any clean-up with t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) hubs.Store) {
	t.Helper()
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, s hubs.Store)
	}{
		{"Versions", testVersions},
		{"Atomicity", testAtomicity},
		{"DuplicateKey", testDuplicateKey},
		{"ReadsAreCopies", testReadsAreCopies},
		{"BootstrapRace", testBootstrapRace},
		{"KeyScoping", testKeyScoping},
		{"ReplayAfterLosingRole", testReplayAfterLosingRole},
		{"PersonalDataNeedsRole", testPersonalData},
		{"HubHistory", testHubHistory},
		{"BadInputWritesNothing", testBadInput},
		{"Surgeries", testSurgeries},
		{"ConcurrentBooking", testConcurrentBooking},
		{"ConcurrentScheduling", testConcurrentScheduling},
		{"Enterprises", testEnterprises},
		{"Report", testReport},
		{"Imports", testImports},
		{"DirectorySearch", testDirectorySearch},
		{"ListingUpdateReindexes", testListingUpdate},
		{"Erasure", testErasure},
		{"AuthorityFirst", testAuthorityFirst},
		{"EraseWaitingGivenBooking", testEraseWaitingGivenBooking},
		{"BatchReceipts", testBatchReceipts},
		{"ImportVolunteers", testImportVolunteers},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			require.NotNil(t, s, "newStore returned nil")
			tc.run(t, s)
		})
	}
}

// base is the suite's clock at the start.
var base = time.Date(2013, time.March, 1, 9, 0, 0, 0, time.UTC)

// clock is a settable clock.
type clock struct{ t atomic.Int64 }

func (c *clock) now() time.Time      { return time.UnixMicro(c.t.Load()).UTC() }
func (c *clock) set(t time.Time)     { c.t.Store(t.UnixMicro()) }
func (c *clock) add(d time.Duration) { c.t.Add(d.Microseconds()) }

// fixture is a Service over a store with an admin, a coordinator, a
// recorder and an editor.
type fixture struct {
	svc                       *hubs.Service
	clk                       *clock
	admin, coord, rec, editor call.Actor
	n                         atomic.Int64
}

func (f *fixture) key(a call.Actor) call.Write { return a.Key(fmt.Sprint("k", f.n.Add(1))) }

func newFixture(t testing.TB, s hubs.Store) *fixture {
	t.Helper()
	f := &fixture{clk: &clock{}, admin: call.As("admin"), coord: call.As("coord"), rec: call.As("rec"), editor: call.As("editor")}
	f.clk.set(base)
	f.svc = hubs.NewService(s, hubs.WithClock(f.clk.now), hubs.WithEnterpriseTarget(25))
	ctx := t.Context()
	require.NoError(t, f.svc.Bootstrap(ctx, f.admin))
	_, err := f.svc.Grant(ctx, f.key(f.admin), "coord", hubs.RoleCoordinator)
	require.NoError(t, err)
	_, err = f.svc.Grant(ctx, f.key(f.admin), "rec", hubs.RoleRecorder)
	require.NoError(t, err)
	_, err = f.svc.Grant(ctx, f.key(f.admin), "editor", hubs.RoleEditor)
	require.NoError(t, err)
	return f
}

func (f *fixture) hub(t testing.TB, name string, opened time.Time) *hubs.Hub {
	t.Helper()
	h, err := f.svc.CreateHub(t.Context(), f.key(f.coord), hubs.NewHub{Name: name, Ward: "Ockendon", PCN: "Aveley, South Ockendon and Purfleet",
		Address: "Darenth Lane", Postcode: "RM15 5LP", Lat: 51.52, Long: 0.29, Status: hubs.StatusOpen, On: opened,
		Hours: []hubs.Hours{{Day: time.Monday, Opens: "09:00", Closes: "17:00"}}, Partners: []string{"CVS"}})
	require.NoError(t, err)
	return h
}

func ptr[T any](v T) *T { return &v }

func testVersions(t *testing.T, s hubs.Store) {
	ctx := t.Context()
	h := &hubs.Hub{ID: "h1", Name: "A", Version: 1}
	require.NoError(t, s.Apply(ctx, &hubs.Batch{Hubs: []*hubs.Hub{h}}))
	assert.ErrorIs(t, s.Apply(ctx, &hubs.Batch{Hubs: []*hubs.Hub{{ID: "h1", Name: "B", Version: 1}}}), hubs.ErrConflict, "create of a taken id")
	assert.ErrorIs(t, s.Apply(ctx, &hubs.Batch{Hubs: []*hubs.Hub{{ID: "h1", Name: "B", Version: 3}}}), hubs.ErrConflict, "stale update")
	assert.ErrorIs(t, s.Apply(ctx, &hubs.Batch{Hubs: []*hubs.Hub{{ID: "h2", Name: "B", Version: 2}}}), hubs.ErrNotFound, "update of nothing")
	require.NoError(t, s.Apply(ctx, &hubs.Batch{Hubs: []*hubs.Hub{{ID: "h1", Name: "B", Version: 2}}}))
	got, err := s.Hub(ctx, "h1")
	require.NoError(t, err)
	assert.Equal(t, "B", got.Name)
	assert.Equal(t, int64(2), got.Version)
	_, err = s.Hub(ctx, "nope")
	assert.ErrorIs(t, err, hubs.ErrNotFound)
	// The same id in two kinds is two records.
	require.NoError(t, s.Apply(ctx, &hubs.Batch{Rooms: []*hubs.Room{{ID: "h1", Hub: "h1", Name: "Room", Version: 1}}}))
}

func testAtomicity(t *testing.T, s hubs.Store) {
	ctx := t.Context()
	require.NoError(t, s.Apply(ctx, &hubs.Batch{Hubs: []*hubs.Hub{{ID: "h1", Name: "A", Version: 1}}}))
	err := s.Apply(ctx, &hubs.Batch{
		Rooms: []*hubs.Room{{ID: "r1", Hub: "h1", Name: "R", Version: 1}},
		Hubs:  []*hubs.Hub{{ID: "h1", Name: "stale", Version: 5}},
		Key:   "k", Hash: "h", Result: "r1", At: base,
	})
	assert.ErrorIs(t, err, hubs.ErrConflict)
	_, err = s.Room(ctx, "r1")
	assert.ErrorIs(t, err, hubs.ErrNotFound, "a refused batch wrote its room")
	_, err = s.Receipt(ctx, "k")
	assert.ErrorIs(t, err, hubs.ErrNotFound, "a refused batch wrote its receipt")
}

func testDuplicateKey(t *testing.T, s hubs.Store) {
	ctx := t.Context()
	require.NoError(t, s.Apply(ctx, &hubs.Batch{Hubs: []*hubs.Hub{{ID: "h1", Name: "A", Version: 1}}, Key: "k", Hash: "x", Result: "h1", At: base}))
	err := s.Apply(ctx, &hubs.Batch{Hubs: []*hubs.Hub{{ID: "h2", Name: "B", Version: 1}}, Key: "k", Hash: "y", Result: "h2", At: base})
	assert.ErrorIs(t, err, hubs.ErrDuplicateKey)
	_, err = s.Hub(ctx, "h2")
	assert.ErrorIs(t, err, hubs.ErrNotFound)
	r, err := s.Receipt(ctx, "k")
	require.NoError(t, err)
	assert.Equal(t, hubs.Receipt{Key: "k", Hash: "x", Result: "h1", At: base}, *r)
	secret, err := s.Secret(ctx)
	require.NoError(t, err)
	again, err := s.Secret(ctx)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(secret), 16)
	assert.Equal(t, secret, again)
}

func testReadsAreCopies(t *testing.T, s hubs.Store) {
	ctx := t.Context()
	h := &hubs.Hub{ID: "h1", Name: "A", Partners: []string{"x"}, Version: 1}
	require.NoError(t, s.Apply(ctx, &hubs.Batch{Hubs: []*hubs.Hub{h}}))
	h.Partners[0] = "changed"
	got, err := s.Hub(ctx, "h1")
	require.NoError(t, err)
	assert.Equal(t, []string{"x"}, got.Partners)
	got.Partners[0] = "changed"
	again, err := s.Hub(ctx, "h1")
	require.NoError(t, err)
	assert.Equal(t, []string{"x"}, again.Partners)
}

func testBootstrapRace(t *testing.T, s hubs.Store) {
	ctx := t.Context()
	svc := hubs.NewService(s, hubs.WithClock(func() time.Time { return base }))
	errs := storetest.Race(8, func(i int) error { return svc.Bootstrap(ctx, call.As(fmt.Sprint("admin", i))) })
	won := -1
	for i, err := range errs {
		if err == nil {
			assert.Equal(t, -1, won, "two winners")
			won = i
			continue
		}
		assert.ErrorIs(t, err, hubs.ErrConflict)
	}
	require.NotEqual(t, -1, won, "no winner")
	winner := call.As(fmt.Sprint("admin", won))
	assert.NoError(t, svc.Bootstrap(ctx, winner), "the winner's retry")
	assert.ErrorIs(t, svc.Bootstrap(ctx, call.As("late")), hubs.ErrConflict)
	loser := call.As(fmt.Sprint("admin", (won+1)%8))
	_, err := svc.Grant(ctx, loser.Key("g"), "x", hubs.RoleAdmin)
	assert.ErrorIs(t, err, hubs.ErrForbidden, "a loser grants roles")
	_, err = svc.Grant(ctx, winner.Key("g"), "coord", hubs.RoleCoordinator)
	require.NoError(t, err)
	_, err = svc.Grant(ctx, call.As("coord").Key("g2"), "y", hubs.RoleCoordinator)
	assert.ErrorIs(t, err, hubs.ErrForbidden, "a non-admin grants roles")
}

func testKeyScoping(t *testing.T, s hubs.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	_, err := f.svc.Grant(ctx, f.key(f.admin), "coord2", hubs.RoleCoordinator)
	require.NoError(t, err)
	in := hubs.NewHub{Name: "South Ockendon Centre", Status: hubs.StatusPlanned}
	a, err := f.svc.CreateHub(ctx, f.coord.Key("same"), in)
	require.NoError(t, err)
	b, err := f.svc.CreateHub(ctx, call.As("coord2").Key("same"), in)
	require.NoError(t, err)
	assert.NotEqual(t, a.ID, b.ID, "one key from two actors is two requests")
	again, err := f.svc.CreateHub(ctx, f.coord.Key("same"), in)
	require.NoError(t, err)
	assert.Equal(t, a.ID, again.ID, "a retry returns the first result")
	_, err = f.svc.CreateHub(ctx, f.coord.Key("same"), hubs.NewHub{Name: "Other", Status: hubs.StatusPlanned})
	assert.ErrorIs(t, err, hubs.ErrConflict, "a key reused for another request")
	all, err := f.svc.Hubs(ctx)
	require.NoError(t, err)
	assert.Len(t, all, 2)
	_, err = f.svc.CreateHub(ctx, f.coord.Key(""), in)
	assert.ErrorIs(t, err, hubs.ErrInvalid, "no key")
	_, err = f.svc.CreateHub(ctx, call.As("").Key("k"), in)
	assert.ErrorIs(t, err, hubs.ErrInvalid, "no actor")
}

func testReplayAfterLosingRole(t *testing.T, s hubs.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	h := f.hub(t, "Hub", base)
	in := hubs.NewVolunteer{Hub: h.ID, Name: "Alice Example", Email: "alice@example.org", Registered: base}
	_, err := f.svc.RegisterVolunteer(ctx, f.coord.Key("v1"), in)
	require.NoError(t, err)
	_, err = f.svc.Grant(ctx, f.key(f.admin), "coord", hubs.RoleRecorder)
	require.NoError(t, err)
	_, err = f.svc.RegisterVolunteer(ctx, f.coord.Key("v1"), in)
	assert.ErrorIs(t, err, hubs.ErrForbidden, "a replay after losing the role")
	_, err = f.svc.Grant(ctx, f.key(f.admin), "coord")
	require.NoError(t, err)
	_, err = f.svc.RecordVisits(ctx, f.coord.Key("x"), []hubs.NewVisit{{Hub: h.ID, On: base, Count: 1, Method: hubs.ByTally}})
	assert.ErrorIs(t, err, hubs.ErrForbidden, "an inactive member of staff")
}

func testPersonalData(t *testing.T, s hubs.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	h := f.hub(t, "Hub", base)
	v, err := f.svc.RegisterVolunteer(ctx, f.key(f.coord), hubs.NewVolunteer{Hub: h.ID, Name: "Alice Example", Phone: "07700 900123", Registered: base})
	require.NoError(t, err)
	got, err := f.svc.Volunteer(ctx, f.coord, v.ID)
	require.NoError(t, err)
	assert.Equal(t, "Alice Example", got.Name)
	got, err = f.svc.UpdateVolunteer(ctx, f.key(f.coord), v.ID, hubs.VolunteerUpdate{Roles: &[]string{"digital helper"},
		Training: &[]hubs.Training{{Course: "safeguarding", Completed: base}}})
	require.NoError(t, err)
	assert.Equal(t, []string{"digital helper"}, got.Roles)
	assert.Equal(t, "07700 900123", got.Phone)
	_, err = f.svc.UpdateVolunteer(ctx, f.key(f.rec), v.ID, hubs.VolunteerUpdate{Phone: ptr("x")})
	assert.ErrorIs(t, err, hubs.ErrForbidden)
	// A name is corrected; a bad email or a blank name is refused
	// naming the field, and nothing changes.
	got, err = f.svc.UpdateVolunteer(ctx, f.key(f.coord), v.ID, hubs.VolunteerUpdate{Name: ptr("Alice Exampleton")})
	require.NoError(t, err)
	assert.Equal(t, "Alice Exampleton", got.Name)
	assert.Equal(t, []string{"digital helper"}, got.Roles, "a nil field is unchanged")
	for field, u := range map[string]hubs.VolunteerUpdate{"Email": {Email: ptr("not-an-email")}, "Name": {Name: ptr("")}} {
		_, err = f.svc.UpdateVolunteer(ctx, f.key(f.coord), v.ID, u)
		var fe *hubs.FieldError
		require.ErrorAs(t, err, &fe, field)
		assert.Equal(t, field, fe.Field)
	}
	got, err = f.svc.Volunteer(ctx, f.coord, v.ID)
	require.NoError(t, err)
	assert.Equal(t, "Alice Exampleton", got.Name)
	assert.Empty(t, got.Email)
	for _, a := range []call.Actor{f.rec, f.editor, call.As("stranger")} {
		_, err = f.svc.Volunteer(ctx, a, v.ID)
		assert.ErrorIs(t, err, hubs.ErrForbidden, a.ID)
		_, errUnknown := f.svc.Volunteer(ctx, a, "no-such-volunteer")
		assert.Equal(t, err.Error(), errUnknown.Error(), "%s tells a real volunteer from none", a.ID)
		_, err = f.svc.Volunteers(ctx, a, hubs.Span{})
		assert.ErrorIs(t, err, hubs.ErrForbidden)
	}
	_, err = f.svc.Volunteer(ctx, f.coord, "no-such-volunteer")
	assert.ErrorIs(t, err, hubs.ErrNotFound)
	var b strings.Builder
	fmt.Fprintf(&b, "%v %s", *got, got)
	assert.NotContains(t, b.String(), "Alice")
}

func testHubHistory(t *testing.T, s hubs.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	h, err := f.svc.CreateHub(ctx, f.key(f.coord), hubs.NewHub{Name: "Tilbury Hub", Status: hubs.StatusOpen, On: base})
	require.NoError(t, err)
	closed := time.Date(2015, 4, 1, 0, 0, 0, 0, time.UTC)
	reopened := time.Date(2016, 6, 1, 0, 0, 0, 0, time.UTC)
	_, err = f.svc.SetHubStatus(ctx, f.key(f.coord), h.ID, hubs.StatusReopened, closed)
	assert.ErrorIs(t, err, hubs.ErrInvalid, "re-opening an open hub")
	_, err = f.svc.SetHubStatus(ctx, f.key(f.coord), h.ID, hubs.StatusClosed, closed)
	require.NoError(t, err)
	h, err = f.svc.SetHubStatus(ctx, f.key(f.coord), h.ID, hubs.StatusReopened, reopened)
	require.NoError(t, err)
	assert.Equal(t, hubs.StatusReopened, h.Status)
	require.Len(t, h.History, 3)
	assert.Equal(t, []hubs.Status{hubs.StatusOpen, hubs.StatusClosed, hubs.StatusReopened}, []hubs.Status{h.History[0].Status, h.History[1].Status, h.History[2].Status})
	assert.Equal(t, reopened, h.History[2].On)
	assert.Equal(t, base.Truncate(24*time.Hour), h.Opened)
	h, err = f.svc.AgreeOffer(ctx, f.key(f.coord), h.ID, []string{"debt advice", "digital help"}, reopened)
	require.NoError(t, err)
	assert.Equal(t, []string{"debt advice", "digital help"}, h.Offer)
	assert.Equal(t, reopened, h.OfferAgreed)
	h, err = f.svc.UpdateHub(ctx, f.key(f.coord), h.ID, hubs.HubUpdate{Hours: &[]hubs.Hours{{Day: time.Tuesday, Opens: "10:00", Closes: "14:00"}}})
	require.NoError(t, err)
	assert.Equal(t, time.Tuesday, h.Hours[0].Day)
	_, err = f.svc.CreateHub(ctx, f.key(f.rec), hubs.NewHub{Name: "X", Status: hubs.StatusPlanned})
	assert.ErrorIs(t, err, hubs.ErrForbidden)
}

func testBadInput(t *testing.T, s hubs.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	h := f.hub(t, "Hub", base.AddDate(0, 0, 10))
	room, err := f.svc.AddRoom(ctx, f.key(f.coord), h.ID, "Room 1")
	require.NoError(t, err)
	before := snapshot(t, s)

	_, err = f.svc.RecordVisits(ctx, f.key(f.rec), []hubs.NewVisit{{Hub: "nope", On: base, Count: 1, Method: hubs.ByTally}})
	assert.ErrorIs(t, err, hubs.ErrUnknownHub)
	_, err = f.svc.RecordVisits(ctx, f.key(f.rec), []hubs.NewVisit{{Hub: h.ID, On: base.AddDate(0, 0, 11), Count: -1, Method: hubs.ByTally}})
	assert.ErrorIs(t, err, hubs.ErrNegative)
	_, err = f.svc.RecordVisits(ctx, f.key(f.rec), []hubs.NewVisit{
		{Hub: h.ID, On: base.AddDate(0, 0, 11), Count: 5, Method: hubs.ByTally},
		{Hub: h.ID, On: base, Count: 5, Method: hubs.ByDoorCounter}})
	assert.ErrorIs(t, err, hubs.ErrBeforeOpening)
	_, err = f.svc.RecordEvent(ctx, f.key(f.rec), hubs.NewEvent{Hub: h.ID, Kind: hubs.EventFair, Title: "Fair", On: base.AddDate(0, 1, 0), Attendance: -2})
	assert.ErrorIs(t, err, hubs.ErrNegative)
	_, err = f.svc.RegisterEnterprise(ctx, f.key(f.coord), hubs.NewEnterprise{Name: "Big Co", Paid: 6, Unpaid: 3, Independent: true, On: base})
	assert.ErrorIs(t, err, hubs.ErrNotMicroEnterprise)
	_, err = f.svc.RegisterEnterprise(ctx, f.key(f.coord), hubs.NewEnterprise{Name: "Branch", Paid: 2, Independent: false, On: base})
	assert.ErrorIs(t, err, hubs.ErrNotMicroEnterprise)
	var fe *hubs.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Contains(t, fe.Reason, "independent")
	for _, bad := range []string{"a\x00b", string([]byte{0xff, 0xfe}), strings.Repeat("x", 201)} {
		_, err = f.svc.CreateHub(ctx, f.key(f.coord), hubs.NewHub{Name: bad, Status: hubs.StatusPlanned})
		assert.ErrorAs(t, err, &fe)
		assert.ErrorIs(t, err, hubs.ErrInvalid)
	}
	assert.Equal(t, before, snapshot(t, s), "a refused request wrote something")

	start := base.AddDate(0, 1, 0)
	_, err = f.svc.ScheduleSurgery(ctx, f.key(f.coord), hubs.NewSurgery{Room: room.ID, Title: "Debt advice", Starts: start, Ends: start.Add(2 * time.Hour), SlotMinutes: 30, Capacity: 1})
	require.NoError(t, err)
	before = snapshot(t, s)
	_, err = f.svc.ScheduleSurgery(ctx, f.key(f.coord), hubs.NewSurgery{Room: room.ID, Title: "Housing", Starts: start.Add(time.Hour), Ends: start.Add(3 * time.Hour), SlotMinutes: 30, Capacity: 1})
	assert.ErrorIs(t, err, hubs.ErrRoomTaken)
	assert.Equal(t, before, snapshot(t, s))
}

// snapshot reads what a fixture's store holds, as JSON.
func snapshot(t *testing.T, s hubs.Store) string {
	t.Helper()
	ctx := t.Context()
	var parts []any
	add := func(v any, err error) {
		require.NoError(t, err)
		parts = append(parts, v)
	}
	add(s.Hubs(ctx))
	add(s.StaffList(ctx))
	add(s.Volunteers(ctx, hubs.Span{}))
	add(s.Sessions(ctx, hubs.Span{}))
	add(s.Visits(ctx, hubs.Span{}))
	add(s.Baselines(ctx, ""))
	add(s.Groups(ctx, ""))
	add(s.Events(ctx, hubs.Span{}))
	add(s.Rooms(ctx, ""))
	sur, err := s.Surgeries(ctx, hubs.Span{})
	add(sur, err)
	for _, x := range sur {
		add(s.Bookings(ctx, x.ID))
		add(s.WaitingList(ctx, x.ID))
	}
	add(s.Placements(ctx))
	add(s.Enterprises(ctx))
	add(s.WorkOutcomes(ctx, hubs.Span{}))
	add(s.Organizations(ctx))
	add(s.Listings(ctx, hubs.ListingFilter{}))
	add(s.Locations(ctx))
	add(s.Terms(ctx))
	b, err := json.Marshal(parts)
	require.NoError(t, err)
	return string(b)
}

func testSurgeries(t *testing.T, s hubs.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	h := f.hub(t, "Hub", base)
	room, err := f.svc.AddRoom(ctx, f.key(f.coord), h.ID, "Room 1")
	require.NoError(t, err)
	start := base.Add(24 * time.Hour)
	x, err := f.svc.ScheduleSurgery(ctx, f.key(f.coord), hubs.NewSurgery{Room: room.ID, Title: "Citizens Advice", Starts: start, Ends: start.Add(time.Hour), SlotMinutes: 30, Capacity: 1})
	require.NoError(t, err)
	assert.Equal(t, 2, x.Slots())
	// Back to back is not an overlap.
	_, err = f.svc.ScheduleSurgery(ctx, f.key(f.coord), hubs.NewSurgery{Room: room.ID, Title: "Next", Starts: start.Add(time.Hour), Ends: start.Add(2 * time.Hour), SlotMinutes: 60, Capacity: 2})
	require.NoError(t, err)
	b1, err := f.svc.Book(ctx, f.key(f.coord), hubs.NewBooking{Surgery: x.ID, Slot: 0, Name: "Bob Booker", Contact: "bob@example.org"})
	require.NoError(t, err)
	_, err = f.svc.Book(ctx, f.key(f.coord), hubs.NewBooking{Surgery: x.ID, Slot: 0, Name: "Carol"})
	assert.ErrorIs(t, err, hubs.ErrSlotFull)
	_, err = f.svc.Book(ctx, f.key(f.coord), hubs.NewBooking{Surgery: x.ID, Slot: 2, Name: "Carol"})
	assert.ErrorIs(t, err, hubs.ErrInvalid)
	wt, err := f.svc.JoinWaitingList(ctx, f.key(f.coord), x.ID, "Carol Waiter", "07700 900456")
	require.NoError(t, err)
	_, err = f.svc.CancelBooking(ctx, f.key(f.coord), b1.ID)
	require.NoError(t, err)
	list, err := f.svc.Bookings(ctx, f.coord, x.ID)
	require.NoError(t, err)
	require.Len(t, list, 2)
	var given *hubs.Booking
	for _, b := range list {
		if b.ID != b1.ID {
			given = b
		}
	}
	require.NotNil(t, given, "the waiting person got no booking")
	assert.Equal(t, "Carol Waiter", given.Name)
	assert.Equal(t, wt.ID, given.Waiting)
	assert.Equal(t, 0, given.Slot)
	x, err = f.svc.Surgery(ctx, x.ID)
	require.NoError(t, err)
	assert.Equal(t, []int64{1, 0}, x.Booked)
	_, err = f.svc.MarkAttended(ctx, f.key(f.rec), given.ID)
	require.NoError(t, err)
	_, err = f.svc.RecordDropIns(ctx, f.key(f.rec), x.ID, 3)
	require.NoError(t, err)
	_, err = f.svc.Book(ctx, f.key(f.rec), hubs.NewBooking{Surgery: x.ID, Slot: 1, Name: "Dan"})
	assert.ErrorIs(t, err, hubs.ErrForbidden)
	f.clk.set(start.Add(31 * time.Minute))
	_, err = f.svc.Book(ctx, f.key(f.coord), hubs.NewBooking{Surgery: x.ID, Slot: 1, Name: "Dan"})
	assert.ErrorIs(t, err, hubs.ErrSlotPast)
	r, err := f.svc.Report(ctx, h.ID, base, base.AddDate(0, 0, 7))
	require.NoError(t, err)
	assert.Equal(t, 2, r.Surgeries)
	assert.Equal(t, 1, r.SlotsBooked)
	assert.Equal(t, 1, r.SlotsUsed)
	assert.Equal(t, 1, r.Cancelled)
	assert.Equal(t, int64(3), r.DropIns)
}

func testConcurrentBooking(t *testing.T, s hubs.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	h := f.hub(t, "Hub", base)
	room, err := f.svc.AddRoom(ctx, f.key(f.coord), h.ID, "Room 1")
	require.NoError(t, err)
	start := base.Add(24 * time.Hour)
	x, err := f.svc.ScheduleSurgery(ctx, f.key(f.coord), hubs.NewSurgery{Room: room.ID, Title: "Advice", Starts: start, Ends: start.Add(time.Hour), SlotMinutes: 60, Capacity: 2})
	require.NoError(t, err)
	errs := storetest.Race(8, func(i int) error {
		_, err := f.svc.Book(ctx, f.coord.Key(fmt.Sprint("b", i)), hubs.NewBooking{Surgery: x.ID, Slot: 0, Name: fmt.Sprint("Person ", i)})
		return err
	})
	ok, full := storetest.Count(t, errs, hubs.ErrSlotFull)
	assert.Equal(t, 2, ok, "bookings made")
	assert.Equal(t, 6, full)
	list, err := f.svc.Bookings(ctx, f.coord, x.ID)
	require.NoError(t, err)
	assert.Len(t, list, 2, "bookings stored")
	x, err = f.svc.Surgery(ctx, x.ID)
	require.NoError(t, err)
	assert.Equal(t, []int64{2}, x.Booked)
}

func testConcurrentScheduling(t *testing.T, s hubs.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	h := f.hub(t, "Hub", base)
	room, err := f.svc.AddRoom(ctx, f.key(f.coord), h.ID, "Room 1")
	require.NoError(t, err)
	start := base.Add(24 * time.Hour)
	errs := storetest.Race(8, func(i int) error {
		st := start.Add(time.Duration(i) * 10 * time.Minute)
		_, err := f.svc.ScheduleSurgery(ctx, f.coord.Key(fmt.Sprint("s", i)), hubs.NewSurgery{Room: room.ID, Title: fmt.Sprint("Surgery ", i), Starts: st, Ends: st.Add(2 * time.Hour), SlotMinutes: 30, Capacity: 1})
		return err
	})
	ok, taken := storetest.Count(t, errs, hubs.ErrRoomTaken)
	assert.Equal(t, 1, ok, "surgeries scheduled")
	assert.Equal(t, 7, taken)
	list, err := s.RoomSurgeries(ctx, room.ID)
	require.NoError(t, err)
	assert.Len(t, list, 1)
}

func testEnterprises(t *testing.T, s hubs.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	d := func(m int) time.Time { return time.Date(2016, time.Month(m), 1, 0, 0, 0, 0, time.UTC) }
	e, err := f.svc.RegisterEnterprise(ctx, f.key(f.coord), hubs.NewEnterprise{Name: "Cake Co", Paid: 2, Unpaid: 6, Independent: true, On: d(1)})
	require.NoError(t, err)
	_, err = f.svc.RegisterEnterprise(ctx, f.key(f.coord), hubs.NewEnterprise{Name: "Garden Co", Paid: 1, Independent: true, On: d(3)})
	require.NoError(t, err)
	e, err = f.svc.UpdateEnterprise(ctx, f.key(f.coord), e.ID, hubs.EnterpriseUpdate{Paid: ptr[int64](3), On: d(5), Reason: "took on a worker"})
	require.NoError(t, err)
	assert.False(t, e.Registered)
	require.Len(t, e.History, 2)
	assert.Contains(t, e.History[1].Reason, "9 paid or unpaid workers")
	for m, want := range map[int]int{1: 1, 2: 1, 3: 2, 4: 2, 5: 1, 6: 1} {
		c, err := f.svc.EnterpriseCount(ctx, d(m))
		require.NoError(t, err)
		assert.Equal(t, want, c.Registered, "on %s", d(m).Format(time.DateOnly))
		assert.Equal(t, 25, c.Target)
	}
	c, err := f.svc.EnterpriseCount(ctx, d(1).AddDate(0, 0, -1))
	require.NoError(t, err)
	assert.Equal(t, 0, c.Registered)
}

func testReport(t *testing.T, s hubs.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	h := f.hub(t, "Hub", base)
	other := f.hub(t, "Other", base)
	v, err := f.svc.RegisterVolunteer(ctx, f.key(f.coord), hubs.NewVolunteer{Hub: h.ID, Name: "V", Registered: base})
	require.NoError(t, err)
	for i := range 3 {
		_, err = f.svc.RecordSession(ctx, f.key(f.rec), hubs.NewSession{Volunteer: v.ID, On: base.AddDate(0, 0, i), Minutes: 90})
		require.NoError(t, err)
	}
	_, err = f.svc.RecordWork(ctx, f.key(f.coord), v.ID, base.AddDate(0, 1, 0), false)
	assert.ErrorIs(t, err, hubs.ErrNoConsent)
	_, err = f.svc.RecordWork(ctx, f.key(f.coord), v.ID, base.AddDate(0, 1, 0), true)
	require.NoError(t, err)
	_, err = f.svc.RecordVisits(ctx, f.key(f.rec), []hubs.NewVisit{
		{Hub: h.ID, On: base, Count: 100, Method: hubs.ByDoorCounter},
		{Hub: h.ID, On: base.AddDate(0, 0, 1), Count: 65, Method: hubs.ByDoorCounter},
		{Hub: other.ID, On: base, Count: 1000, Method: hubs.ByTally},
		{Hub: h.ID, On: base.AddDate(1, 0, 0), Count: 330, Method: hubs.ByDoorCounter},
	})
	require.NoError(t, err)
	_, err = f.svc.RecordVisits(ctx, f.key(f.rec), []hubs.NewVisit{{Hub: h.ID, On: base, Count: 1, Method: hubs.ByTally}})
	assert.ErrorIs(t, err, hubs.ErrConflict, "a day recorded twice")
	_, err = f.svc.SetBaseline(ctx, f.key(f.coord), hubs.NewBaseline{Hub: h.ID, Label: "previous occupation", From: base.AddDate(-1, 0, 0), To: base.AddDate(0, 0, -1), Visits: 100})
	require.NoError(t, err)
	g, err := f.svc.AddGroup(ctx, f.key(f.coord), hubs.NewGroup{Hub: h.ID, Name: "Knit and natter", Kind: hubs.GroupSocial, Since: base})
	require.NoError(t, err)
	_, err = f.svc.EndGroup(ctx, f.key(f.coord), g.ID, base.AddDate(0, 6, 0))
	require.NoError(t, err)
	_, err = f.svc.RecordEvent(ctx, f.key(f.rec), hubs.NewEvent{Hub: h.ID, Kind: hubs.EventFair, Title: "Learning Fair", On: base.AddDate(0, 2, 0), Attendance: 2010, Stalls: 31})
	require.NoError(t, err)
	p, err := f.svc.OfferPlacement(ctx, f.key(f.coord), hubs.NewPlacement{Hub: h.ID, Title: "Library helper", Offered: base})
	require.NoError(t, err)
	_, err = f.svc.OfferPlacement(ctx, f.key(f.coord), hubs.NewPlacement{Hub: h.ID, Title: "Gardener", Offered: base.AddDate(0, 3, 0)})
	require.NoError(t, err)
	_, err = f.svc.FillPlacement(ctx, f.key(f.coord), p.ID, base.AddDate(0, 0, 5))
	require.NoError(t, err)

	year := base.AddDate(1, 0, 0)
	r, err := f.svc.Report(ctx, h.ID, base, year)
	require.NoError(t, err)
	assert.Equal(t, int64(270), r.VolunteerMinutes)
	assert.Equal(t, "4.5", r.VolunteerHours.String())
	assert.Equal(t, 1, r.Volunteers)
	assert.Equal(t, 1, r.NewVolunteers)
	assert.Equal(t, 1, r.MovedIntoWork)
	assert.Equal(t, int64(165), r.Visits)
	require.NotNil(t, r.ChangeOnBaseline)
	// 100 visits in 365 days, scaled to the 365-day period.
	assert.Equal(t, "65", r.ChangeOnBaseline.String())
	assert.Nil(t, r.ChangeYearOnYear)
	assert.Equal(t, 1, r.Groups)
	assert.Equal(t, 1, r.Events)
	assert.Equal(t, int64(2010), r.Attendance)
	assert.Equal(t, 1, r.PlacementsStart)
	assert.Equal(t, 2, r.PlacementsEnd)
	assert.Equal(t, 1, r.PlacementsFill)
	require.NotNil(t, r.FillRate)
	assert.Equal(t, "50", r.FillRate.String())
	next, err := f.svc.Report(ctx, h.ID, year, year.AddDate(1, 0, 0))
	require.NoError(t, err)
	assert.Equal(t, int64(330), next.Visits)
	require.NotNil(t, next.ChangeYearOnYear)
	assert.Equal(t, "100", next.ChangeYearOnYear.String())
	assert.Equal(t, 0, next.Groups, "a group that ended")
	all, err := f.svc.Report(ctx, "", base, year)
	require.NoError(t, err)
	assert.Equal(t, int64(1165), all.Visits)
	_, err = f.svc.Report(ctx, "nope", base, year)
	assert.ErrorIs(t, err, hubs.ErrUnknownHub)
}

func testImports(t *testing.T, s hubs.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	h := f.hub(t, "Hub", base)
	v, err := f.svc.RegisterVolunteer(ctx, f.key(f.coord), hubs.NewVolunteer{Hub: h.ID, Name: "V", Registered: base})
	require.NoError(t, err)
	bad := "hub,date,count,method\n" + h.ID + ",2013-03-01,10,tally\nnope,2013-03-02,5,tally\n" + h.ID + ",2013-03-03,-4,tally\n" + h.ID + ",2012-01-01,4,tally\n" + h.ID + ",2013-03-04,x,tally\n"
	_, err = f.svc.ImportVisits(ctx, f.key(f.rec), strings.NewReader(bad))
	var ie *hubs.ImportError
	require.ErrorAs(t, err, &ie)
	lines := map[int]bool{}
	for _, p := range ie.Problems {
		lines[p.Line] = true
	}
	assert.Equal(t, map[int]bool{3: true, 4: true, 5: true, 6: true}, lines, "every bad row: %v", ie.Problems)
	got, err := f.svc.Visits(ctx, hubs.Span{})
	require.NoError(t, err)
	assert.Empty(t, got, "a bad file wrote rows")
	_, err = f.svc.ImportVisits(ctx, f.key(call.As("stranger")), strings.NewReader(bad))
	assert.ErrorIs(t, err, hubs.ErrForbidden)
	n, err := f.svc.ImportVisits(ctx, f.key(f.rec), strings.NewReader("hub,date,count,method\n"+h.ID+",2013-03-01,10,tally\n"+h.ID+",2013-03-02,12,door counter\n"))
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	n, err = f.svc.ImportSessions(ctx, f.key(f.rec), strings.NewReader("volunteer,date,minutes,role\n"+v.ID+",2013-03-01,120,welcome\n"+v.ID+",2013-03-02,60,\n"))
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	_, err = f.svc.ImportSessions(ctx, f.key(f.rec), strings.NewReader("volunteer,date,minutes\nnobody,2013-03-01,120\n"+v.ID+",2013-03-02,0\n"))
	require.ErrorAs(t, err, &ie)
	assert.Len(t, ie.Problems, 2)
	n, err = f.svc.ImportEvents(ctx, f.key(f.rec), strings.NewReader("hub,kind,title,date,attendance,stalls\n"+h.ID+",fair,Learning Fair,2013-06-01,2010,31\n"))
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	_, err = f.svc.ImportEvents(ctx, f.key(f.rec), strings.NewReader("hub,kind,title,date,attendance\n"+h.ID+",party,X,2013-06-01,1\n"+h.ID+",club,X,2013-06-01,-1\n"))
	require.ErrorAs(t, err, &ie)
	assert.Len(t, ie.Problems, 2)
	r, err := f.svc.Report(ctx, h.ID, base, base.AddDate(1, 0, 0))
	require.NoError(t, err)
	assert.Equal(t, int64(22), r.Visits)
	assert.Equal(t, int64(180), r.VolunteerMinutes)
	assert.Equal(t, 1, r.Events)
}

// directory builds a small directory and returns its ids.
func directory(t *testing.T, f *fixture) (terms map[string]string, near, far string) {
	t.Helper()
	ctx := t.Context()
	org, err := f.svc.AddOrganization(ctx, f.key(f.editor), hubs.NewOrganization{Name: "Thurrock CVS", Description: "Voluntary services"})
	require.NoError(t, err)
	terms = map[string]string{}
	for _, c := range []string{"debt", "loneliness"} {
		tt, err := f.svc.AddTerm(ctx, f.key(f.editor), hubs.NewTerm{Code: c, Name: c, Description: "People with this need", Taxonomy: "needs"})
		require.NoError(t, err)
		terms[c] = tt.ID
	}
	l1, err := f.svc.AddLocation(ctx, f.key(f.editor), hubs.NewLocation{Name: "South Ockendon Centre", Postcode: "rm155lp", Lat: 51.5210, Long: 0.2880, Ward: "Ockendon", PCN: "ASOP"})
	require.NoError(t, err)
	l2, err := f.svc.AddLocation(ctx, f.key(f.editor), hubs.NewLocation{Name: "Tilbury Hub", Postcode: "RM18 7NR", Lat: 51.4630, Long: 0.3580, Ward: "Tilbury", PCN: "Tilbury"})
	require.NoError(t, err)
	_, err = f.svc.LoadPostcodes(ctx, f.key(f.editor), []hubs.Postcode{{ID: "RM15 5AA", Lat: 51.5200, Long: 0.2900}})
	require.NoError(t, err)
	add := func(name, desc string, term string, loc string, min, max *int, days string) string {
		l, err := f.svc.AddListing(ctx, f.key(f.editor), hubs.NewListing{OrganizationID: org.ID, Name: name, Description: desc,
			MinimumAge: min, MaximumAge: max, TermIDs: []string{terms[term]}, LocationIDs: []string{loc},
			Schedules: []hubs.Schedule{{Freq: "WEEKLY", ByDay: days, OpensAt: "10:00", ClosesAt: "12:00"}}})
		require.NoError(t, err)
		return l.ID
	}
	near = add("Debt advice surgery", "Free, confidential debt advice.", "debt", l1.ID, ptr(18), nil, "MO,WE")
	far = add("Debt advice drop-in", "Help with debt and benefits.", "debt", l2.ID, nil, nil, "TU")
	add("Friendship club", "Tea and company for older people.", "loneliness", l1.ID, ptr(60), nil, "FR")
	return terms, near, far
}

func ids(hits []hubs.Hit) []string {
	out := []string{}
	for _, h := range hits {
		out = append(out, h.Listing.ID)
	}
	return out
}

func testDirectorySearch(t *testing.T, s hubs.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	terms, near, far := directory(t, f)
	q := func(q hubs.Query) []string {
		hits, err := f.svc.Search(ctx, q)
		require.NoError(t, err)
		return ids(hits)
	}
	assert.ElementsMatch(t, []string{near, far}, q(hubs.Query{Text: "DEBT advice"}))
	assert.ElementsMatch(t, []string{near}, q(hubs.Query{Text: "confidential"}))
	assert.Empty(t, q(hubs.Query{Text: "deb"}), "words match whole")
	assert.Empty(t, q(hubs.Query{Text: "debt xyzzy"}), "every word must match")
	assert.ElementsMatch(t, []string{near, far}, q(hubs.Query{TermID: terms["debt"]}))
	assert.Len(t, q(hubs.Query{TermID: terms["loneliness"], Text: "debt"}), 0)
	assert.ElementsMatch(t, []string{far}, q(hubs.Query{Area: "Tilbury"}))
	assert.ElementsMatch(t, []string{near}, q(hubs.Query{Area: "ASOP", TermID: terms["debt"]}))
	assert.ElementsMatch(t, []string{far}, q(hubs.Query{Text: "debt", Age: ptr(16)}))
	assert.ElementsMatch(t, []string{near}, q(hubs.Query{Text: "debt", Day: ptr(time.Wednesday), At: "11:00"}))
	assert.Empty(t, q(hubs.Query{Text: "debt", Day: ptr(time.Wednesday), At: "12:00"}))
	hits, err := f.svc.Search(ctx, hubs.Query{Text: "debt", Postcode: "rm15 5aa"})
	require.NoError(t, err)
	assert.Equal(t, []string{near, far}, ids(hits), "nearest first")
	assert.Less(t, hits[0].Metres, 500)
	assert.Greater(t, hits[1].Metres, 5000)
	assert.Equal(t, []string{near}, q(hubs.Query{Text: "debt", Postcode: "RM15 5AA", Within: 1000}))
	assert.Equal(t, []string{far}, q(hubs.Query{Text: "debt", Postcode: "RM15 5AA", Offset: 1}), "the second page")
	assert.Equal(t, []string{near}, q(hubs.Query{Text: "debt", Postcode: "RM15 5AA", Limit: 1}))
	assert.Len(t, q(hubs.Query{Limit: -1}), 3)
	_, err = f.svc.Search(ctx, hubs.Query{Postcode: "ZZ1 1ZZ"})
	assert.ErrorIs(t, err, hubs.ErrNotFound)
	_, err = f.svc.Search(ctx, hubs.Query{At: "25:00", Day: ptr(time.Monday)})
	assert.ErrorIs(t, err, hubs.ErrInvalid)
	acts, err := f.svc.Activities(ctx, hubs.ActivityQuery{Needs: []string{"loneliness"}, Area: "ASOP"})
	require.NoError(t, err)
	require.Len(t, acts, 1)
	assert.Equal(t, "Friendship club", acts[0].Name)
	assert.Equal(t, "ASOP", acts[0].Area)
	assert.Equal(t, []string{"loneliness"}, acts[0].Needs)
	_, err = f.svc.AddListing(ctx, f.key(f.coord), hubs.NewListing{OrganizationID: "x", Name: "y"})
	assert.ErrorIs(t, err, hubs.ErrForbidden)
	_, err = f.svc.AddListing(ctx, f.key(f.editor), hubs.NewListing{OrganizationID: "x", Name: "y"})
	assert.ErrorIs(t, err, hubs.ErrNotFound)
	var fe *hubs.FieldError
	_, err = f.svc.AddOrganization(ctx, f.key(f.editor), hubs.NewOrganization{Name: "No description"})
	require.ErrorAs(t, err, &fe, "an organisation without the description ORUK requires")
	assert.Equal(t, "Description", fe.Field)
	_, err = f.svc.AddTerm(ctx, f.key(f.editor), hubs.NewTerm{Code: "x", Name: "X"})
	require.ErrorAs(t, err, &fe, "a term without the description ORUK requires")
	_, err = f.svc.AddLocation(ctx, f.key(f.editor), hubs.NewLocation{Name: "X", LocationType: "imaginary"})
	assert.ErrorIs(t, err, hubs.ErrInvalid)
}

func testErasure(t *testing.T, s hubs.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	h := f.hub(t, "Hub", base)
	const name, email, phone = "Zebedee Quartermaine", "zebedee@example.org", "07700 900999"
	v, err := f.svc.RegisterVolunteer(ctx, f.key(f.coord), hubs.NewVolunteer{Hub: h.ID, Name: name, Email: email, Phone: phone,
		Roles: []string{"welcome desk"}, Training: []hubs.Training{{Course: "safeguarding", Completed: base}}, Registered: base})
	require.NoError(t, err)
	_, err = f.svc.RecordSession(ctx, f.key(f.rec), hubs.NewSession{Volunteer: v.ID, On: base, Minutes: 60})
	require.NoError(t, err)
	_, err = f.svc.RecordWork(ctx, f.key(f.coord), v.ID, base.AddDate(0, 1, 0), true)
	require.NoError(t, err)
	room, err := f.svc.AddRoom(ctx, f.key(f.coord), h.ID, "Room")
	require.NoError(t, err)
	start := base.Add(48 * time.Hour)
	x, err := f.svc.ScheduleSurgery(ctx, f.key(f.coord), hubs.NewSurgery{Room: room.ID, Title: "Advice", Starts: start, Ends: start.Add(time.Hour), SlotMinutes: 60, Capacity: 1})
	require.NoError(t, err)
	b0, err := f.svc.Book(ctx, f.key(f.coord), hubs.NewBooking{Surgery: x.ID, Slot: 0, Name: "Someone Else"})
	require.NoError(t, err)
	_, err = f.svc.JoinWaitingList(ctx, f.key(f.coord), x.ID, name, email)
	require.NoError(t, err)
	_, err = f.svc.CancelBooking(ctx, f.key(f.coord), b0.ID)
	require.NoError(t, err)
	w2, err := f.svc.JoinWaitingList(ctx, f.key(f.coord), x.ID, name, phone)
	require.NoError(t, err)
	before := snapshot(t, s)
	require.Contains(t, before, name)

	require.NoError(t, f.svc.EraseVolunteer(ctx, f.key(f.coord), v.ID))
	bks, err := f.svc.Bookings(ctx, f.coord, x.ID)
	require.NoError(t, err)
	for _, b := range bks {
		if b.Name == name {
			require.NoError(t, f.svc.EraseBooking(ctx, f.key(f.coord), b.ID))
		}
	}
	require.NoError(t, f.svc.EraseWaiting(ctx, f.key(f.coord), w2.ID))
	after := snapshot(t, s)
	for _, pii := range []string{name, "Zebedee", email, phone} {
		assert.NotContains(t, after, pii)
	}
	got, err := f.svc.Volunteer(ctx, f.coord, v.ID)
	require.NoError(t, err)
	assert.True(t, got.Erased)
	r, err := f.svc.Report(ctx, h.ID, base, base.AddDate(1, 0, 0))
	require.NoError(t, err)
	assert.Equal(t, int64(60), r.VolunteerMinutes, "hours survive erasure")
	assert.Equal(t, 1, r.MovedIntoWork)
	err = f.svc.EraseVolunteer(ctx, f.key(f.rec), v.ID)
	assert.ErrorIs(t, err, hubs.ErrForbidden)
}

// testAuthorityFirst: a stranger's write at a record whose state would
// refuse it, or at no record at all, is ErrForbidden before anything else,
// so the answer never tells them what exists or what state it is in.
func testAuthorityFirst(t *testing.T, s hubs.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	h := f.hub(t, "Hub", base)
	room, err := f.svc.AddRoom(ctx, f.key(f.coord), h.ID, "Room")
	require.NoError(t, err)
	start := base.Add(48 * time.Hour)
	x, err := f.svc.ScheduleSurgery(ctx, f.key(f.coord), hubs.NewSurgery{Room: room.ID, Title: "Advice", Starts: start, Ends: start.Add(time.Hour), SlotMinutes: 60, Capacity: 1})
	require.NoError(t, err)
	b, err := f.svc.Book(ctx, f.key(f.coord), hubs.NewBooking{Surgery: x.ID, Slot: 0, Name: "Someone"})
	require.NoError(t, err)
	_, err = f.svc.CancelBooking(ctx, f.key(f.coord), b.ID)
	require.NoError(t, err)
	stranger := call.As("stranger")
	_, err = f.svc.CancelBooking(ctx, stranger.Key("c1"), b.ID)
	assert.ErrorIs(t, err, hubs.ErrForbidden, "a stranger cancelling a cancelled booking")
	_, err = f.svc.CancelBooking(ctx, stranger.Key("c2"), "no-such-booking")
	assert.ErrorIs(t, err, hubs.ErrForbidden, "a stranger cancelling an unknown booking")
	_, err = f.svc.Book(ctx, stranger.Key("b1"), hubs.NewBooking{Surgery: x.ID, Slot: 0, Name: "Someone else"})
	assert.ErrorIs(t, err, hubs.ErrForbidden, "a stranger booking a full slot")
	_, err = f.svc.Book(ctx, stranger.Key("b2"), hubs.NewBooking{Surgery: "no-such-surgery", Slot: 0, Name: "Someone else"})
	assert.ErrorIs(t, err, hubs.ErrForbidden, "a stranger booking an unknown surgery")
	err = f.svc.EraseWaiting(ctx, stranger.Key("e1"), "no-such-entry")
	assert.ErrorIs(t, err, hubs.ErrForbidden, "a stranger erasing an unknown entry")
	_, err = f.svc.Volunteer(ctx, stranger, "no-such-volunteer")
	assert.ErrorIs(t, err, hubs.ErrForbidden, "a stranger reading an unknown volunteer")
}

// testEraseWaitingGivenBooking: a person on a waiting list is given a
// place when a booking is cancelled; erasing their waiting-list entry
// erases the booking's copy of their name and contact too.
func testEraseWaitingGivenBooking(t *testing.T, s hubs.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	h := f.hub(t, "Hub", base)
	room, err := f.svc.AddRoom(ctx, f.key(f.coord), h.ID, "Room")
	require.NoError(t, err)
	start := base.Add(48 * time.Hour)
	x, err := f.svc.ScheduleSurgery(ctx, f.key(f.coord), hubs.NewSurgery{Room: room.ID, Title: "Advice", Starts: start, Ends: start.Add(time.Hour), SlotMinutes: 60, Capacity: 1})
	require.NoError(t, err)
	b0, err := f.svc.Book(ctx, f.key(f.coord), hubs.NewBooking{Surgery: x.ID, Slot: 0, Name: "Someone Else"})
	require.NoError(t, err)
	const name, contact = "Philippa Wanderley", "07700 900321"
	wt, err := f.svc.JoinWaitingList(ctx, f.key(f.coord), x.ID, name, contact)
	require.NoError(t, err)
	_, err = f.svc.CancelBooking(ctx, f.key(f.coord), b0.ID)
	require.NoError(t, err)
	bks, err := f.svc.Bookings(ctx, f.coord, x.ID)
	require.NoError(t, err)
	given := ""
	for _, b := range bks {
		if b.Name == name {
			given = b.ID
		}
	}
	require.NotEmpty(t, given, "the place went to the person waiting")
	require.Contains(t, snapshot(t, s), name)

	require.NoError(t, f.svc.EraseWaiting(ctx, f.key(f.coord), wt.ID))
	after := snapshot(t, s)
	for _, pii := range []string{name, "Philippa", contact} {
		assert.NotContains(t, after, pii, "no copy left in the booking")
	}
	bks, err = f.svc.Bookings(ctx, f.coord, x.ID)
	require.NoError(t, err)
	for _, b := range bks {
		if b.ID == given {
			assert.True(t, b.Erased)
			assert.Equal(t, hubs.Booked, b.Status, "the booking itself stands")
		}
	}
}

func testListingUpdate(t *testing.T, s hubs.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	terms, near, _ := directory(t, f)
	f.clk.add(time.Hour)
	l, err := f.svc.UpdateListing(ctx, f.key(f.editor), near, hubs.ListingUpdate{Name: ptr("Money worries clinic"),
		Description: ptr("Budgeting help."), TermIDs: &[]string{terms["loneliness"]}})
	require.NoError(t, err)
	assert.Equal(t, int64(2), l.Version)
	assert.Equal(t, f.clk.now(), l.UpdatedAt)
	q := func(q hubs.Query) []string {
		hits, err := f.svc.Search(ctx, q)
		require.NoError(t, err)
		return ids(hits)
	}
	assert.NotContains(t, q(hubs.Query{Text: "confidential"}), near, "an old word still finds the listing")
	assert.Equal(t, []string{near}, q(hubs.Query{Text: "budgeting"}))
	assert.NotContains(t, q(hubs.Query{TermID: terms["debt"]}), near, "an old term still finds the listing")
	assert.Contains(t, q(hubs.Query{TermID: terms["loneliness"]}), near)
	_, err = f.svc.UpdateListing(ctx, f.key(f.editor), near, hubs.ListingUpdate{Status: ptr("closed forever")})
	assert.ErrorIs(t, err, hubs.ErrInvalid)
	_, err = f.svc.UpdateListing(ctx, f.key(f.editor), "nope", hubs.ListingUpdate{})
	assert.ErrorIs(t, err, hubs.ErrNotFound)
	_, err = f.svc.UpdateListing(ctx, f.key(f.editor), near, hubs.ListingUpdate{Status: ptr("inactive")})
	require.NoError(t, err)
	assert.Empty(t, q(hubs.Query{Text: "budgeting"}), "an inactive listing is found")
}
