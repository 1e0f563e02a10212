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
	"github.com/strongertogether/community/dementia"
)

// goldenDementia is one record of every kind with every field set, as the
// committed testdata/golden/dementia.sqlite holds them.
func goldenDementia() *dementia.Batch {
	at := time.Date(2016, 6, 1, 9, 30, 15, 123456000, time.UTC)
	d := time.Date(2016, 6, 1, 0, 0, 0, 0, time.UTC)
	return &dementia.Batch{
		Staff: []*dementia.Staff{{ID: "stf-1", Roles: []dementia.Role{dementia.RoleAdmin, dementia.RoleCoordinator}, Active: true, Version: 1, CreatedAt: at, UpdatedAt: at.Add(time.Hour)}},
		Members: []*dementia.Member{{ID: "mem-thurrock-buses", Name: "Thurrock Buses", Sector: dementia.SectorBusiness, Areas: []dementia.Area{dementia.AreaTransport, dementia.AreaBusiness},
			Contact: dementia.Contact{Name: "Ann Example", Email: "ann@example.org", Phone: "07700 900001"}, Joined: d, Erased: true, Version: 1, CreatedAt: at, UpdatedAt: at.Add(time.Minute)}},
		Actions: []*dementia.Action{{ID: "act-1", Member: "mem-thurrock-buses", Title: "Train drivers", Owner: "Ann Example", Due: d.AddDate(0, 3, 0), Status: dementia.StatusInProgress,
			Progress: []dementia.Progress{{On: at, Status: dementia.StatusInProgress, Note: "first session held", By: "stf-1"}}, Version: 1, CreatedAt: at, UpdatedAt: at}},
		Meetings: []*dementia.Meeting{{ID: "mtg-1", On: d, Title: "Quarterly", Attended: []string{"mem-thurrock-buses"}, Version: 1, CreatedAt: at}},
		Communities: []*dementia.Community{{ID: "com-1", Name: "Dementia Friendly Thurrock", Registered: d,
			Criteria:    []dementia.CriterionState{{Criterion: dementia.CriterionLeader, Met: true, Evidence: "named", On: d}},
			Updates:     []time.Time{d.AddDate(0, 6, 0)},
			Assessments: []dementia.Assessment{{On: d.AddDate(1, 0, -10), Scores: map[dementia.Area]int{dementia.AreaArts: 3, dementia.AreaHousing: 1}}},
			Version:     1, CreatedAt: at, UpdatedAt: at}},
		Champions:  []*dementia.Champion{{ID: "ch-1", Name: "Chris Champion", Trained: d.AddDate(0, -2, 0), Version: 1, CreatedAt: at}},
		Friends:    []*dementia.Friends{{ID: "fr-1", On: d, Source: dementia.SourceSession, Champion: "ch-1", Count: 25, Version: 1, CreatedAt: at}},
		Prevalence: []*dementia.Prevalence{{ID: "cfas2", Source: "illustrative", Rates: []dementia.Rate{{Band: "65-69", Sex: dementia.Female, Rate: decimal.RequireFromString("0.018")}}, Version: 1, CreatedAt: at}},
		Registers:  []*dementia.Register{{ID: "P1@2016-04-30", Practice: "P1", PCN: "Grays", On: d.AddDate(0, -1, -1), Population: []dementia.BandCount{{Band: "65-69", Sex: dementia.Female, Count: 400}}, Diagnosed: 5, Version: 1, CreatedAt: at}},
		Reviews: []*dementia.Review{{ID: "P1@2014/15", Practice: "P1", PCN: "Grays", Year: "2014/15", Numerator: 70, Register: 110,
			Adjustments: dementia.Adjustments{Unsuitable: 1, Dissent: 2, NoResponse: 3, Unavailable: 4, New: 5}, Version: 1, CreatedAt: at}},
		Key: "receipt-key", Hash: "receipt-hash", Result: "mem-thurrock-buses", At: at,
	}
}

// TestDementiaGolden reads the committed database, made by this package's
// code from goldenDementia (DEMENTIA_GOLDEN_WRITE=1 makes it again), and
// checks every record, field by field.
func TestDementiaGolden(t *testing.T) {
	golden := filepath.Join("testdata", "golden", "dementia.sqlite")
	if os.Getenv("DEMENTIA_GOLDEN_WRITE") == "1" {
		path := filepath.Join(t.TempDir(), "dementia.sqlite")
		db, err := sqlite.Open(t.Context(), path)
		require.NoError(t, err)
		require.NoError(t, sqlite.NewDementiaStore(db).Apply(t.Context(), goldenDementia()))
		require.NoError(t, db.Close())
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(golden, data, 0o644))
	}
	path := filepath.Join(t.TempDir(), "dementia.sqlite")
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
	s := sqlite.NewDementiaStore(db)
	ctx := t.Context()
	g := goldenDementia()
	check := func(want, got any, err error) {
		t.Helper()
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	x1, err := s.Staff(ctx, "stf-1")
	check(g.Staff[0], x1, err)
	x2, err := s.Member(ctx, "mem-thurrock-buses")
	check(g.Members[0], x2, err)
	x3, err := s.Action(ctx, "act-1")
	check(g.Actions[0], x3, err)
	x4, err := s.Meetings(ctx)
	check(g.Meetings, x4, err)
	x5, err := s.Community(ctx, "com-1")
	check(g.Communities[0], x5, err)
	x6, err := s.Friends(ctx, time.Time{})
	check(g.Friends, x6, err)
	x10, err := s.Champions(ctx)
	check(g.Champions, x10, err)
	x7, err := s.Prevalence(ctx, "cfas2")
	require.NoError(t, err)
	assert.True(t, g.Prevalence[0].Rates[0].Rate.Equal(x7.Rates[0].Rate))
	x7.Rates[0].Rate = g.Prevalence[0].Rates[0].Rate
	check(g.Prevalence[0], x7, nil)
	x8, err := s.Registers(ctx, g.Registers[0].On)
	check(g.Registers, x8, err)
	x9, err := s.Reviews(ctx, "2014/15")
	check(g.Reviews, x9, err)
	r, err := s.Receipt(ctx, "receipt-key")
	check(&dementia.Receipt{Key: "receipt-key", Hash: "receipt-hash", Result: "mem-thurrock-buses", At: g.At}, r, err)
}

// TestDementiaErasureLeavesNoBytes erases a member, then searches the
// database file and its WAL for its contact and its action owner.
func TestDementiaErasureLeavesNoBytes(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "dementia.db")
	db, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	now := time.Date(2016, 6, 1, 9, 0, 0, 0, time.UTC)
	svc := dementia.NewService(sqlite.NewDementiaStore(db), dementia.WithClock(func() time.Time { return now }))
	admin := call.As("admin")
	require.NoError(t, svc.Bootstrap(ctx, admin))
	_, err = svc.Grant(ctx, admin.Key("g"), "coord", dementia.RoleCoordinator)
	require.NoError(t, err)
	coord := call.As("coord")
	const name, email, phone, owner = "Persephone Wigglesworth", "persephone@example.org", "07700 900123", "Barnaby Quill"
	m, err := svc.Join(ctx, coord.Key("j"), dementia.NewMember{Name: "Grays Library", Sector: dementia.SectorStatutory, Areas: []dementia.Area{dementia.AreaArts},
		Contact: dementia.Contact{Name: name, Email: email, Phone: phone}, Joined: now})
	require.NoError(t, err)
	a, err := svc.AddAction(ctx, coord.Key("a"), dementia.NewAction{Member: m.ID, Title: "Memory cafe", Owner: owner, Due: now.AddDate(0, 3, 0)})
	require.NoError(t, err)
	_, err = svc.UpdateAction(ctx, coord.Key("u"), a.ID, dementia.ActionUpdate{Note: "Barnaby Quill booked the room"})
	require.NoError(t, err)
	raw := func() []byte {
		var all []byte
		for _, p := range []string{path, path + "-wal"} {
			b, err := os.ReadFile(p)
			if !os.IsNotExist(err) {
				require.NoError(t, err)
			}
			all = append(all, b...)
		}
		return all
	}
	require.True(t, bytes.Contains(raw(), []byte("Wigglesworth")), "the test sees the name before the erasure")
	_, err = svc.EraseMember(ctx, coord.Key("e"), m.ID)
	require.NoError(t, err)
	b := raw()
	for _, pii := range []string{"Persephone", "Wigglesworth", email, phone, "Barnaby", "Quill"} {
		assert.False(t, bytes.Contains(b, []byte(pii)), "the database holds %q after erasure", pii)
	}
	got, err := svc.Action(ctx, coord, a.ID)
	require.NoError(t, err)
	assert.Equal(t, dementia.ErasedNote, got.Progress[0].Note)
	assert.Equal(t, "Memory cafe", got.Title)
	require.NoError(t, db.Close())
}
