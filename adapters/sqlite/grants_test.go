package sqlite_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/grants/grantstest"
)

func newGrantsStore(tb testing.TB) grants.Store {
	db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "grants.db"))
	require.NoError(tb, err)
	tb.Cleanup(func() { assert.NoError(tb, db.Close()) })
	return sqlite.NewGrantsStore(db)
}

func TestGrantsConformance(t *testing.T) {
	grantstest.Run(t, func(t *testing.T) grants.Store { return newGrantsStore(t) })
}

func BenchmarkApprove(b *testing.B) {
	grantstest.BenchmarkApprove(b, func(b *testing.B) grants.Store { return newGrantsStore(b) })
}

func BenchmarkApproveIncome(b *testing.B) {
	grantstest.BenchmarkApproveIncome(b, func(b *testing.B) grants.Store { return newGrantsStore(b) })
}

// TestGrantsErasureLeavesNoBytes erases an applicant and then searches the
// raw bytes of the database file and its WAL, while the database is open,
// for their name, email and phone: neither freed pages nor the log may
// keep a copy.
func TestGrantsErasureLeavesNoBytes(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "grants.db")
	db, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	now := time.Date(2014, time.June, 2, 9, 0, 0, 0, time.UTC)
	svc := grants.NewService(sqlite.NewGrantsStore(db), grants.WithClock(func() time.Time { return now }))
	admin, officer, jo := call.As("admin"), call.As("officer"), call.As("applicant-9")
	require.NoError(t, svc.Bootstrap(ctx, admin))
	_, err = svc.AddStaff(ctx, admin.Key("o"), grants.NewStaff{ID: officer.ID, Name: "Officer", Roles: []grants.Role{grants.RoleOfficer}})
	require.NoError(t, err)
	d := decimal.RequireFromString
	f, err := svc.CreateFund(ctx, admin.Key("f"), grants.NewFund{Name: "Small Sparks", FunderName: "Thurrock Council", FunderID: "GB-LAE-THR",
		Prefix: "a00thr", Budgets: []grants.Budget{{Year: 2014, Amount: d("1000")}}, MinAward: d("50"), MaxAward: d("250"),
		Rules: []grants.Rule{{Kind: grants.KindNewIdea}}})
	require.NoError(t, err)
	r, err := svc.OpenRound(ctx, officer.Key("r"), grants.NewRound{Fund: f.ID, Name: "Summer", Year: 2014, Opens: now, Closes: now.AddDate(0, 1, 0)})
	require.NoError(t, err)
	const name, email, phone = "Wilhelmina Quackenbush", "wilhelmina.q@example.org", "01375 987654"
	a, err := svc.Draft(ctx, jo.Key("d"), grants.NewApplication{Fund: f.ID, Round: r.ID, Title: name + "'s party",
		Description: "ring " + phone + " or write to " + email,
		Applicant:   grants.Applicant{Type: grants.Individual, Name: name, ContactName: name, Email: email, Phone: phone},
		Amount:      d("100"), Supporters: []grants.Supporter{{Name: "Friend of " + name, Pledged: 60}}})
	require.NoError(t, err)
	_, err = svc.Submit(ctx, jo.Key("s"), a.ID)
	require.NoError(t, err)
	// Several versions of the record, each with the name, pass through
	// the WAL and the freed pages.
	for i := range 5 {
		_, err = svc.RequestInfo(ctx, officer.Key(fmt.Sprint("ri", i)), a.ID, "please call "+name+" on "+phone)
		require.NoError(t, err)
		_, err = svc.Resubmit(ctx, jo.Key(fmt.Sprint("rs", i)), a.ID, nil)
		require.NoError(t, err)
	}
	// Approved, the application claims its idea (its title, which holds
	// the name) in the ledger.
	_, err = svc.CheckEligibility(ctx, officer.Key("ck"), a.ID)
	require.NoError(t, err)
	_, err = svc.StartReview(ctx, officer.Key("rv"), a.ID)
	require.NoError(t, err)
	_, err = svc.Approve(ctx, officer.Key("ap"), a.ID, d("100"), "approved for "+name)
	require.NoError(t, err)
	n, err := svc.EraseApplicant(ctx, officer.Key("erase"), jo.ID)
	require.NoError(t, err)
	require.Equal(t, 1, n)

	for _, file := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(file)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		require.NoError(t, err)
		lower := bytes.ToLower(data)
		for _, bad := range []string{name, "Quackenbush", email, phone} {
			assert.False(t, bytes.Contains(lower, bytes.ToLower([]byte(bad))), "%s holds %q", filepath.Base(file), bad)
		}
	}
}

// TestGrantsSupporterErasureLeavesNoBytes: a supporter asks to be
// forgotten. Their name goes from the supporters, from the free text that
// quotes it, from the audit notes, and from the database file and its log.
func TestGrantsSupporterErasureLeavesNoBytes(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "grants.db")
	db, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	now := time.Date(2014, time.June, 2, 9, 0, 0, 0, time.UTC)
	svc := grants.NewService(sqlite.NewGrantsStore(db), grants.WithClock(func() time.Time { return now }))
	admin, officer, jo := call.As("admin"), call.As("officer"), call.As("applicant-9")
	require.NoError(t, svc.Bootstrap(ctx, admin))
	_, err = svc.AddStaff(ctx, admin.Key("o"), grants.NewStaff{ID: officer.ID, Name: "Officer", Roles: []grants.Role{grants.RoleOfficer}})
	require.NoError(t, err)
	d := decimal.RequireFromString
	f, err := svc.CreateFund(ctx, admin.Key("f"), grants.NewFund{Name: "Small Sparks", FunderName: "Thurrock Council", FunderID: "GB-LAE-THR",
		Prefix: "a00thr", Budgets: []grants.Budget{{Year: 2014, Amount: d("1000")}}, MinAward: d("50"), MaxAward: d("250")})
	require.NoError(t, err)
	r, err := svc.OpenRound(ctx, officer.Key("r"), grants.NewRound{Fund: f.ID, Name: "Summer", Year: 2014, Opens: now, Closes: now.AddDate(0, 1, 0)})
	require.NoError(t, err)
	const friend = "Philomena Featherstonehaugh"
	a, err := svc.Draft(ctx, jo.Key("d"), grants.NewApplication{Fund: f.ID, Round: r.ID, Title: "Street party with " + friend,
		Description: "our neighbour PHILOMENA  featherstonehaugh runs the tea stall",
		Applicant:   grants.Applicant{Type: grants.Individual, Name: "Jo Bloggs", ContactName: "Jo Bloggs", Email: "jo@example.org"},
		Amount:      d("100"), Supporters: []grants.Supporter{{Name: "Sam", Pledged: 60}, {Name: friend, Pledged: 120}}})
	require.NoError(t, err)
	_, err = svc.Submit(ctx, jo.Key("s"), a.ID)
	require.NoError(t, err)
	for i := range 3 {
		_, err = svc.RequestInfo(ctx, officer.Key(fmt.Sprint("ri", i)), a.ID, "ask "+friend+" to confirm her hours")
		require.NoError(t, err)
		_, err = svc.Resubmit(ctx, jo.Key(fmt.Sprint("rs", i)), a.ID, nil)
		require.NoError(t, err)
	}
	got, err := svc.EraseSupporter(ctx, officer.Key("erase"), a.ID, friend)
	require.NoError(t, err)
	assert.Equal(t, "(erased supporter 2)", got.Supporters[1].Name)
	assert.Equal(t, int64(120), got.Supporters[1].Pledged, "her minutes stay")
	assert.Equal(t, "Street party with (erased supporter 2)", got.Title)
	assert.Equal(t, "our neighbour (erased supporter 2) runs the tea stall", got.Description)
	ev, err := svc.History(ctx, officer, a.ID)
	require.NoError(t, err)
	require.NotEmpty(t, ev)
	for _, e := range ev {
		assert.NotContains(t, strings.ToLower(e.Note), "featherstonehaugh")
	}
	for _, file := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(file)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		require.NoError(t, err)
		assert.False(t, bytes.Contains(bytes.ToLower(data), []byte("featherstonehaugh")), "%s holds her name", filepath.Base(file))
	}
}
