package sqlite_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs"
)

// goldenHubs is one record of every kind with every field set, as the
// committed testdata/golden/hubs.sqlite holds them.
func goldenHubs() *hubs.Batch {
	at := time.Date(2014, 3, 1, 9, 30, 15, 123456000, time.UTC)
	d := time.Date(2013, 3, 1, 0, 0, 0, 0, time.UTC)
	pound := decimal.RequireFromString("2.50")
	return &hubs.Batch{
		Staff: []*hubs.Staff{{ID: "stf-1", Roles: []hubs.Role{hubs.RoleAdmin, hubs.RoleCoordinator}, Active: true, Version: 1, CreatedAt: at, UpdatedAt: at.Add(time.Hour)}},
		Hubs: []*hubs.Hub{{ID: "hub-1", Name: "South Ockendon Centre", Ward: "Ockendon", PCN: "ASOP", Address: "Darenth Lane", Postcode: "RM15 5LP",
			Lat: 51.5226, Long: 0.2858, Opened: d, Status: hubs.StatusReopened,
			History: []hubs.StatusChange{{Status: hubs.StatusOpen, On: d, By: "stf-1"}, {Status: hubs.StatusReopened, On: d.AddDate(1, 0, 0), By: "stf-1"}},
			Hours:   []hubs.Hours{{Day: time.Tuesday, Opens: "09:00", Closes: "17:00"}}, Partners: []string{"Thurrock CVS"},
			Offer: []string{"advice under one roof"}, OfferAgreed: d.AddDate(0, -1, 0), Version: 1, CreatedAt: at, UpdatedAt: at.Add(time.Minute)}},
		Volunteers: []*hubs.Volunteer{{ID: "vol-1", Hub: "hub-1", Name: "Ann Example", Email: "ann@example.org", Phone: "07700 900001",
			Roles: []string{"welcome desk"}, Training: []hubs.Training{{Course: "safeguarding", Completed: d}}, Registered: d, Erased: true,
			Version: 1, CreatedAt: at, UpdatedAt: at}},
		Sessions:  []*hubs.Session{{ID: "ses-1", Hub: "hub-1", Volunteer: "vol-1", On: d, Minutes: 90, Role: "welcome desk", CreatedAt: at, Version: 1}},
		Visits:    []*hubs.Visit{{ID: "hub-1/2013-03-01", Hub: "hub-1", On: d, Count: 371, Method: hubs.ByDoorCounter, CreatedAt: at, Version: 1}},
		Baselines: []*hubs.Baseline{{ID: "bas-1", Hub: "hub-1", Label: "previous occupation", From: d.AddDate(-1, 0, 0), To: d.AddDate(0, 0, -1), Visits: 81962, Version: 1, CreatedAt: at}},
		Groups:    []*hubs.Group{{ID: "grp-1", Hub: "hub-1", Name: "Job club", Kind: hubs.GroupAdvisory, Since: d, Until: d.AddDate(1, 0, 0), Version: 1, CreatedAt: at}},
		Events:    []*hubs.Event{{ID: "evt-1", Hub: "hub-1", Kind: hubs.EventFair, Title: "Learning Fair", On: d.AddDate(0, 6, 0), Attendance: 2010, Stalls: 31, Version: 1, CreatedAt: at}},
		Rooms:     []*hubs.Room{{ID: "room-1", Hub: "hub-1", Name: "Advice room", Version: 1, CreatedAt: at}},
		Surgeries: []*hubs.Surgery{{ID: "sur-1", Hub: "hub-1", Room: "room-1", Title: "Debt advice", Provider: "Citizens Advice", Starts: at, Ends: at.Add(time.Hour),
			SlotMinutes: 30, Capacity: 2, Booked: []int64{1, 2}, DropIns: 4, Version: 1, CreatedAt: at}},
		Bookings: []*hubs.Booking{{ID: "bk-1", Hub: "hub-1", Surgery: "sur-1", Slot: 1, Name: "Bo Booker", Contact: "bo@example.org", Status: hubs.Attended,
			Waiting: "wt-1", Erased: true, Version: 1, CreatedAt: at, UpdatedAt: at.Add(time.Second)}},
		Waiting:      []*hubs.Waiting{{ID: "wt-1", Hub: "hub-1", Surgery: "sur-1", Name: "Wyn Waiter", Contact: "07700 900002", Booking: "bk-1", Erased: true, Version: 1, CreatedAt: at}},
		Placements:   []*hubs.Placement{{ID: "pl-1", Hub: "hub-1", Title: "Library helper", Offered: d, Filled: d.AddDate(0, 0, 7), Ended: d.AddDate(1, 0, 0), Version: 1, CreatedAt: at}},
		Enterprises:  []*hubs.Enterprise{{ID: "ent-1", Hub: "hub-1", Name: "Cake Co", Paid: 2, Unpaid: 3, Independent: true, Registered: true, History: []hubs.EnterpriseChange{{On: d, Registered: true, Reason: "meets the rule"}}, Version: 1, CreatedAt: at}},
		WorkOutcomes: []*hubs.WorkOutcome{{ID: "wo-1", Hub: "hub-1", Volunteer: "vol-1", On: d.AddDate(0, 5, 0), Consent: true, Version: 1, CreatedAt: at}},
		Organizations: []*hubs.Organization{{ID: "8e1f0c1e-2f8a-4c55-9d1e-0a0b0c0d0e01", Name: "Thurrock CVS", Description: "Voluntary services", Email: "cvs@example.org",
			Website: "https://cvs.example.org", Phone: "01375 000000", Version: 1, UpdatedAt: at}},
		Listings: []*hubs.Listing{{ID: "8e1f0c1e-2f8a-4c55-9d1e-0a0b0c0d0e02", OrganizationID: "8e1f0c1e-2f8a-4c55-9d1e-0a0b0c0d0e01", Name: "Coffee morning",
			Description: "Tea and company", URL: "https://cvs.example.org/coffee", Email: "coffee@example.org", Status: "active",
			MinimumAge: ptr(18), MaximumAge: ptr(99),
			Schedules: []hubs.Schedule{{ID: "s1", Freq: "WEEKLY", ByDay: "MO,WE", OpensAt: "10:00", ClosesAt: "12:00", ValidFrom: d, ValidTo: d.AddDate(2, 0, 0), Description: "term time"}},
			Contacts:  []hubs.Contact{{ID: "c1", Name: "Duty officer", Title: "Coordinator", Email: "duty@example.org", Phone: "01375 000001"}},
			Costs:     []hubs.CostOption{{ID: "k1", Option: "per session", Amount: &pound, Currency: "GBP"}},
			TermIDs:   []string{"8e1f0c1e-2f8a-4c55-9d1e-0a0b0c0d0e04"}, AtLocations: []hubs.ServiceAtLocation{{ID: "sal-1", LocationID: "8e1f0c1e-2f8a-4c55-9d1e-0a0b0c0d0e03"}},
			Version: 1, UpdatedAt: at}},
		Locations: []*hubs.Location{{ID: "8e1f0c1e-2f8a-4c55-9d1e-0a0b0c0d0e03", Name: "South Ockendon Centre", LocationType: "physical", Description: "The hub", Address1: "Darenth Lane", City: "South Ockendon",
			Postcode: "RM15 5LP", Lat: 51.5226, Long: 0.2858, Ward: "Ockendon", PCN: "ASOP", Hub: "hub-1", Version: 1, UpdatedAt: at}},
		Terms: []*hubs.TaxonomyTerm{{ID: "8e1f0c1e-2f8a-4c55-9d1e-0a0b0c0d0e04", Code: "loneliness", Name: "Loneliness", Description: "Feeling alone",
			ParentID: "8e1f0c1e-2f8a-4c55-9d1e-0a0b0c0d0e05", Taxonomy: "needs", Version: 1, UpdatedAt: at}},
		Postcodes: []*hubs.Postcode{{ID: "RM15 5AA", Lat: 51.52, Long: 0.29, Version: 1}},
		Key:       "receipt-key", Hash: "receipt-hash", Result: "hub-1", At: at,
	}
}

func ptr[T any](v T) *T { return &v }

// TestHubsGolden reads the committed database, made by this package's
// code from goldenHubs (HUBS_GOLDEN_WRITE=1 makes it again), and checks
// every record, field by field.
func TestHubsGolden(t *testing.T) {
	golden := filepath.Join("testdata", "golden", "hubs.sqlite")
	if os.Getenv("HUBS_GOLDEN_WRITE") == "1" {
		require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
		path := filepath.Join(t.TempDir(), "hubs.sqlite")
		db, err := sqlite.Open(t.Context(), path)
		require.NoError(t, err)
		require.NoError(t, sqlite.NewHubsStore(db).Apply(t.Context(), goldenHubs()))
		require.NoError(t, db.Close())
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(golden, data, 0o644))
	}
	path := filepath.Join(t.TempDir(), "hubs.sqlite")
	in, err := os.Open(golden)
	require.NoError(t, err)
	out, err := os.Create(path)
	require.NoError(t, err)
	_, err = io.Copy(out, in)
	require.NoError(t, err)
	require.NoError(t, in.Close())
	require.NoError(t, out.Close())
	db, err := sqlite.Open(t.Context(), path)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	s := sqlite.NewHubsStore(db)
	ctx := t.Context()
	g := goldenHubs()
	check := func(want, got any, err error) {
		t.Helper()
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	x1, err := s.Staff(ctx, "stf-1")
	check(g.Staff[0], x1, err)
	x2, err := s.Hub(ctx, "hub-1")
	check(g.Hubs[0], x2, err)
	x3, err := s.Volunteer(ctx, "vol-1")
	check(g.Volunteers[0], x3, err)
	x4, err := s.Session(ctx, "ses-1")
	check(g.Sessions[0], x4, err)
	x5, err := s.Visits(ctx, hubs.Span{Hub: "hub-1"})
	check(g.Visits, x5, err)
	x6, err := s.Baseline(ctx, "bas-1")
	check(g.Baselines[0], x6, err)
	x7, err := s.Group(ctx, "grp-1")
	check(g.Groups[0], x7, err)
	x8, err := s.Event(ctx, "evt-1")
	check(g.Events[0], x8, err)
	x9, err := s.Room(ctx, "room-1")
	check(g.Rooms[0], x9, err)
	x10, err := s.Surgery(ctx, "sur-1")
	check(g.Surgeries[0], x10, err)
	x11, err := s.Booking(ctx, "bk-1")
	check(g.Bookings[0], x11, err)
	x12, err := s.Waiting(ctx, "wt-1")
	check(g.Waiting[0], x12, err)
	x13, err := s.Placement(ctx, "pl-1")
	check(g.Placements[0], x13, err)
	x14, err := s.Enterprise(ctx, "ent-1")
	check(g.Enterprises[0], x14, err)
	x15, err := s.WorkOutcome(ctx, "wo-1")
	check(g.WorkOutcomes[0], x15, err)
	x16, err := s.Organization(ctx, g.Organizations[0].ID)
	check(g.Organizations[0], x16, err)
	x17, err := s.Listing(ctx, g.Listings[0].ID)
	require.NoError(t, err)
	assert.True(t, g.Listings[0].Costs[0].Amount.Equal(*x17.Costs[0].Amount))
	x17.Costs[0].Amount = g.Listings[0].Costs[0].Amount
	check(g.Listings[0], x17, nil)
	x18, err := s.Location(ctx, g.Locations[0].ID)
	check(g.Locations[0], x18, err)
	x19, err := s.Term(ctx, g.Terms[0].ID)
	check(g.Terms[0], x19, err)
	x20, err := s.Postcode(ctx, "RM15 5AA")
	check(g.Postcodes[0], x20, err)
	r, err := s.Receipt(ctx, "receipt-key")
	check(&hubs.Receipt{Key: "receipt-key", Hash: "receipt-hash", Result: "hub-1", At: g.At}, r, err)
	found, err := s.Listings(ctx, hubs.ListingFilter{Text: "coffee", TermID: g.Terms[0].ID})
	require.NoError(t, err)
	assert.Len(t, found, 1, "the text and term indexes")
	// Through the Service, as a reader of the directory sees it.
	svc := hubs.NewService(s)
	hits, err := svc.Search(ctx, hubs.Query{Text: "tea", Postcode: "RM15 5AA"})
	require.NoError(t, err)
	require.Len(t, hits, 1)
	assert.Equal(t, "Coffee morning", hits[0].Listing.Name)
}

// TestHubsErasureLeavesNoBytes erases a volunteer and a booker, then
// searches the database file and its WAL for their names and contacts.
func TestHubsErasureLeavesNoBytes(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "hubs.db")
	db, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	now := time.Date(2013, 3, 1, 9, 0, 0, 0, time.UTC)
	svc := hubs.NewService(sqlite.NewHubsStore(db), hubs.WithClock(func() time.Time { return now }))
	admin := call.As("admin")
	require.NoError(t, svc.Bootstrap(ctx, admin))
	h, err := svc.CreateHub(ctx, admin.Key("h"), hubs.NewHub{Name: "Hub", Status: hubs.StatusOpen, On: now})
	require.NoError(t, err)
	const name, email = "Persephone Wigglesworth", "persephone@example.org"
	v, err := svc.RegisterVolunteer(ctx, admin.Key("v"), hubs.NewVolunteer{Hub: h.ID, Name: name, Email: email, Registered: now})
	require.NoError(t, err)
	room, err := svc.AddRoom(ctx, admin.Key("r"), h.ID, "Room")
	require.NoError(t, err)
	x, err := svc.ScheduleSurgery(ctx, admin.Key("s"), hubs.NewSurgery{Room: room.ID, Title: "Advice", Starts: now.Add(24 * time.Hour), Ends: now.Add(25 * time.Hour), SlotMinutes: 60, Capacity: 1})
	require.NoError(t, err)
	b, err := svc.Book(ctx, admin.Key("b"), hubs.NewBooking{Surgery: x.ID, Slot: 0, Name: name, Contact: email})
	require.NoError(t, err)
	require.NoError(t, svc.EraseVolunteer(ctx, admin.Key("e1"), v.ID))
	require.NoError(t, svc.EraseBooking(ctx, admin.Key("e2"), b.ID))
	for _, f := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		for _, pii := range []string{"Persephone", email} {
			assert.False(t, bytes.Contains(data, []byte(pii)), "%s holds %q after erasure", filepath.Base(f), pii)
		}
	}
	require.NoError(t, db.Close())
}
