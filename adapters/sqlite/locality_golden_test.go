package sqlite_test

import (
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/hubs/locality"
)

// goldenLocality is one record of every kind with every field set, as the
// committed testdata/golden/locality.sqlite holds them.
func goldenLocality() *locality.Batch {
	at := time.Date(2014, 7, 17, 9, 30, 15, 123456000, time.UTC)
	d := time.Date(2014, 3, 3, 0, 0, 0, 0, time.UTC)
	met, closed := d.AddDate(0, 1, 0), d.AddDate(0, 3, 0)
	return &locality.Batch{
		Staff: []*locality.Staff{{ID: "stf-1", Roles: []locality.Role{locality.RoleAdmin, locality.RoleManager}, Active: true, Version: 1, CreatedAt: at, UpdatedAt: at.Add(time.Hour)}},
		Areas: []*locality.Area{{ID: "area-1", Name: "Purfleet", Programme: locality.LAC, Wards: []string{"West Thurrock and South Stifford"},
			Panel: "Community First", Worker: "stf-2", Since: d, Version: 1, CreatedAt: at, UpdatedAt: at}},
		Cases: []*locality.Case{{ID: "case-1", Area: "area-1", Coordinator: "stf-2", Person: "per-1", Route: locality.RouteHousing, AgeBand: "65-74",
			Name: "Golden Person", Contact: "01375 000002", Introduced: d,
			Conversations: []locality.Conversation{{On: d.AddDate(0, 0, 7), Notes: "a good life", Goals: []string{"g-1"}}},
			Goals:         []locality.Goal{{ID: "g-1", Text: "walk to the shops", Set: d.AddDate(0, 0, 7), Met: &met}},
			Connections:   []locality.Connection{{On: d.AddDate(0, 0, 9), Kind: locality.ToService, To: "listing-1", Note: "coffee morning"}},
			Coordinated:   []locality.Coordination{{On: d.AddDate(0, 0, 10), Service: "home safety check", Agencies: []string{"Essex Fire and Rescue"}}},
			Closed:        &closed, Outcome: "independent", Story: "my story", StoryConsent: true, Erased: true,
			Version: 1, CreatedAt: at, UpdatedAt: at.Add(time.Minute)}},
		Avoided: []*locality.Avoided{{ID: "av-1", Case: "case-1", Area: "area-1", Person: "per-1", On: d.AddDate(0, 2, 0), Unit: "bed-week",
			Quantity: decimal.RequireFromString("1.5"), Evidence: "discharge note", Confidence: locality.Medium, Version: 1, CreatedAt: at, UpdatedAt: at}},
		Listening: []*locality.Listening{{ID: "li-1", Area: "area-2", Ward: "Tilbury St Chads", From: d, To: d.AddDate(0, 1, 0), Conversations: 42,
			Themes: []string{"parking"}, Resident: "res-1", ResidentName: "Named Resident", Version: 1, CreatedAt: at, UpdatedAt: at}},
		Issues: []*locality.Issue{{ID: "is-1", Area: "area-2", Ward: "Tilbury St Chads", Raised: d, Title: "Parking", Themes: []string{"parking"},
			Actions: []locality.Action{{ID: "ac-1", On: d.AddDate(0, 0, 1), Title: "petition", Outcome: "bollards", Done: &met}},
			Version: 1, CreatedAt: at, UpdatedAt: at}},
		Networks: []*locality.Network{{ID: "nw-1", Area: "area-2", Ward: "Tilbury St Chads", On: d, Listeners: 12, Activists: 3, Version: 1, CreatedAt: at}},
		Assets: []*locality.Asset{{ID: "as-1", Area: "area-3", Ward: "Chadwell St Mary", Kind: locality.Skill, Name: "gardening", Description: "clears gardens",
			Person: "res-2", PersonName: "Green Fingers", Consent: true, Listing: "listing-2", Erased: true, Version: 1, CreatedAt: at, UpdatedAt: at}},
		Gifts: []*locality.Gift{{ID: "gf-1", Area: "area-3", Ward: "Chadwell St Mary", Kind: locality.Offer, Text: "allotment help", Person: "res-3",
			PersonName: "Offerer", Posted: d, Match: "gf-2", Matched: &met, Erased: true, Version: 1, CreatedAt: at, UpdatedAt: at}},
		Fairs:     []*locality.Fair{{ID: "fr-1", Area: "area-3", Ward: "Chadwell St Mary", On: d, Place: "Centre", Attendance: 80, Ideas: 25, Connections: 12, Version: 1, CreatedAt: at}},
		Practices: []*locality.Practice{{ID: "pr-1", Area: "area-3", Ward: "Aveley and Uplands", On: d, Place: "Aveley", Attendance: 20, HubEvent: "evt-1", Version: 1, CreatedAt: at}},
		Key:       "receipt-key", Hash: "receipt-hash", Result: "case-1", At: at,
	}
}

// TestLocalityGolden reads the committed database, made by this package's
// code from goldenLocality (LOCALITY_GOLDEN_WRITE=1 makes it again), and
// checks every record, field by field.
func TestLocalityGolden(t *testing.T) {
	golden := filepath.Join("testdata", "golden", "locality.sqlite")
	if os.Getenv("LOCALITY_GOLDEN_WRITE") == "1" {
		path := filepath.Join(t.TempDir(), "locality.sqlite")
		db, err := sqlite.Open(t.Context(), path)
		require.NoError(t, err)
		require.NoError(t, sqlite.NewLocalityStore(db).Apply(t.Context(), goldenLocality()))
		require.NoError(t, db.Close())
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(golden, data, 0o644))
	}
	path := filepath.Join(t.TempDir(), "locality.sqlite")
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
	s := sqlite.NewLocalityStore(db)
	ctx := t.Context()
	g := goldenLocality()
	check := func(want, got any, err error) {
		t.Helper()
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	x1, err := s.Staff(ctx, "stf-1")
	check(g.Staff[0], x1, err)
	x2, err := s.Area(ctx, "area-1")
	check(g.Areas[0], x2, err)
	x3, err := s.Case(ctx, "case-1")
	check(g.Cases[0], x3, err)
	x4, err := s.AvoidedEvent(ctx, "av-1")
	require.NoError(t, err)
	assert.True(t, g.Avoided[0].Quantity.Equal(x4.Quantity), x4.Quantity.String())
	x4.Quantity = g.Avoided[0].Quantity
	check(g.Avoided[0], x4, err)
	x5, err := s.ListeningCount(ctx, "li-1")
	check(g.Listening[0], x5, err)
	x6, err := s.Issue(ctx, "is-1")
	check(g.Issues[0], x6, err)
	x7, err := s.Network(ctx, "nw-1")
	check(g.Networks[0], x7, err)
	x8, err := s.Asset(ctx, "as-1")
	check(g.Assets[0], x8, err)
	x9, err := s.Gift(ctx, "gf-1")
	check(g.Gifts[0], x9, err)
	x10, err := s.Fair(ctx, "fr-1")
	check(g.Fairs[0], x10, err)
	x11, err := s.Practice(ctx, "pr-1")
	check(g.Practices[0], x11, err)
	r, err := s.Receipt(ctx, "receipt-key")
	check(&locality.Receipt{Key: "receipt-key", Hash: "receipt-hash", Result: "case-1", At: g.At}, r, err)
	// Selected by person, as erasure reads.
	cs, err := s.Cases(ctx, locality.Query{Person: "per-1"})
	require.NoError(t, err)
	assert.Len(t, cs, 1)
}
