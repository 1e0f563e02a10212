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
	"github.com/strongertogether/community/grants/giving"
)

// goldenGiving is one record of every kind with every field set, as the
// committed testdata/golden/giving.sqlite holds them.
func goldenGiving() *giving.Batch {
	at := time.Date(2014, 5, 6, 9, 30, 15, 123456000, time.UTC)
	d := time.Date(2014, 4, 1, 0, 0, 0, 0, time.UTC)
	p := decimal.RequireFromString
	return &giving.Batch{
		Campaigns: []*giving.Campaign{{ID: "cmp-1", Name: "Thurrock Giving", Fund: "fund-1",
			Priorities: []giving.Priority{{Name: "Poverty", Agreed: d}}, Champions: []giving.Champion{{Name: "TCVS", Organisation: true, Sector: giving.SectorCharity}},
			Target: giving.Target{Money: p("312233"), Volunteers: 500}, Starts: d, Ends: d.AddDate(1, 0, 0), CreatedAt: at, CreatedBy: "adm", Version: 1}},
		Staff: []*giving.Staff{{ID: "adm", Roles: []giving.Role{giving.RoleAdmin, giving.RoleOfficer}, Active: true, CreatedAt: at, CreatedBy: "adm", Version: 1}},
		Donors: []*giving.Donor{{ID: "dnr-1", Campaign: "cmp-1", Kind: giving.Individual, Title: "Dr", First: "Ann", Last: "House-Martin",
			Address: giving.Address{House: "12", Line: "High Street", Postcode: "RM17 6SL"}, Erased: true, CreatedAt: at, CreatedBy: "off", Version: 1}},
		Declarations: []*giving.Declaration{{ID: "dec-1", Donor: "dnr-1", Charity: "Thurrock Community Fund", Title: "Dr", First: "Ann", Last: "House-Martin",
			Address: giving.Address{House: "12", Line: "High Street", Postcode: "RM17 6SL"}, Covers: giving.CoversPeriod, Gift: "gft-1",
			From: d, To: d.AddDate(1, 0, 0), Made: d, Asked: true, TaxTold: true, Oral: true, Recording: "call-77", Sent: d.AddDate(0, 0, 1),
			Cancelled: d.AddDate(0, 6, 0), Erased: true, CreatedAt: at, CreatedBy: "off", Version: 1}},
		Gifts: []*giving.Gift{{ID: "gft-1", Campaign: "cmp-1", Donor: "dnr-1", Kind: giving.Money, Series: "gft-0", Priority: "Poverty",
			Amount: p("100.50"), Received: at, Refunded: p("10.25"), Benefit: true, GiftAid: true, Declaration: "dec-1", Small: true,
			Claim: "clm-1", Claimed: p("90.25"), OverClaim: "clm-2", Minutes: 60, Delivered: 30, Skill: "accountancy", Rate: p("45.50"),
			Pledged: d, CreatedAt: at, CreatedBy: "off", Version: 1}},
		Matches: []*giving.Match{{ID: "mtc-1", Campaign: "cmp-1", Donor: "dnr-1", Ratio: p("1.5"), Cap: p("5000"), From: d, To: d.AddDate(0, 6, 0),
			Priority: "Poverty", Received: p("75.00"), Payments: []giving.MatchPayment{{At: at, Amount: p("75.00")}}, CreatedAt: at, CreatedBy: "off", Version: 1}},
		Claims: []*giving.Claim{{ID: "clm-1", Campaign: "cmp-1", Charity: "Thurrock Community Fund",
			Lines: []giving.Line{{Title: "Dr", First: "Ann", Last: "House Martin", House: "12", Postcode: "RM17 6SL", Aggregated: "Thursday club",
				Sponsored: true, Date: at, Amount: p("90.25"), Gifts: []string{"gft-1"}}},
			Donations: p("90.25"), OverClaim: p("1.25"), Tax: p("21.31"), Small: p("20.00"), SmallTax: p("5.00"), Earliest: d, Made: at,
			Paid: at.AddDate(0, 1, 0), Erased: true, CreatedAt: at, CreatedBy: "off", Version: 1}},
		Income: []giving.Income{{Fund: "fund-1", Campaign: "cmp-1", Year: 2014, Priority: "Poverty", Source: giving.FromGiftAid, Amount: p("21.31"), At: at, Ref: "clm-1"}},
		Key:    "receipt-key", Hash: "receipt-hash", Result: "gft-1", At: at,
	}
}

// TestGivingGolden reads the committed database, made by this package's
// code from goldenGiving (GIVING_GOLDEN_WRITE=1 makes it again), and
// checks every record, field by field.
func TestGivingGolden(t *testing.T) {
	golden := filepath.Join("testdata", "golden", "giving.sqlite")
	if os.Getenv("GIVING_GOLDEN_WRITE") == "1" {
		path := filepath.Join(t.TempDir(), "giving.sqlite")
		db, err := sqlite.Open(t.Context(), path)
		require.NoError(t, err)
		require.NoError(t, sqlite.NewGivingStore(db).Apply(t.Context(), goldenGiving()))
		require.NoError(t, db.Close())
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(golden, data, 0o644))
	}
	path := filepath.Join(t.TempDir(), "giving.sqlite")
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
	s := sqlite.NewGivingStore(db)
	ctx := t.Context()
	g := goldenGiving()
	// decimals compare by value: the stored text drops trailing zeros
	same := func(want, got any) {
		t.Helper()
		assert.Equal(t, normalise(t, want), normalise(t, got))
	}
	c, err := s.Campaign(ctx, "cmp-1")
	require.NoError(t, err)
	same(g.Campaigns[0], c)
	st, err := s.Staff(ctx, "adm")
	require.NoError(t, err)
	same(g.Staff[0], st)
	dn, err := s.Donor(ctx, "dnr-1")
	require.NoError(t, err)
	same(g.Donors[0], dn)
	dc, err := s.Declaration(ctx, "dec-1")
	require.NoError(t, err)
	same(g.Declarations[0], dc)
	gf, err := s.Gift(ctx, "gft-1")
	require.NoError(t, err)
	same(g.Gifts[0], gf)
	assert.True(t, gf.Amount.Equal(g.Gifts[0].Amount))
	m, err := s.Match(ctx, "mtc-1")
	require.NoError(t, err)
	same(g.Matches[0], m)
	cl, err := s.Claim(ctx, "clm-1")
	require.NoError(t, err)
	same(g.Claims[0], cl)
	inc, err := s.Income(ctx, "fund-1", 2014)
	require.NoError(t, err)
	same(g.Income, inc)
	r, err := s.Receipt(ctx, "receipt-key")
	require.NoError(t, err)
	assert.Equal(t, &giving.Receipt{Key: "receipt-key", Hash: "receipt-hash", Result: "gft-1", At: g.At}, r)
}

// normalise turns v into a comparable form with decimals as fixed strings.
func normalise(t *testing.T, v any) string {
	t.Helper()
	var b bytes.Buffer
	_, err := io.WriteString(&b, fmtValue(v))
	require.NoError(t, err)
	return b.String()
}

// TestGivingErasureLeavesNoBytes erases a donor, then searches the
// database file and its WAL for their name and postcode.
func TestGivingErasureLeavesNoBytes(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "giving.db")
	db, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	now := time.Date(2014, 5, 6, 9, 0, 0, 0, time.UTC)
	svc := giving.NewService(sqlite.NewGivingStore(db), giving.WithClock(func() time.Time { return now }))
	admin := call.As("admin")
	require.NoError(t, svc.Bootstrap(ctx, admin))
	c, err := svc.CreateCampaign(ctx, admin.Key("c"), giving.NewCampaign{Name: "Giving", Fund: "f", Starts: now, Ends: now.AddDate(1, 0, 0)})
	require.NoError(t, err)
	const last, postcode = "Wigglesworth", "SS17 9ZZ"
	d, err := svc.AddDonor(ctx, admin.Key("d"), giving.NewDonor{Campaign: c.ID, Kind: giving.Individual, First: "Persephone", Last: last,
		Address: giving.Address{House: "7", Postcode: postcode}})
	require.NoError(t, err)
	_, err = svc.Declare(ctx, admin.Key("dec"), giving.NewDeclaration{Donor: d.ID, Charity: "TCF", First: "Persephone", Last: last,
		Address: giving.Address{House: "7", Postcode: postcode}, Covers: giving.CoversFuture, Made: now, Asked: true, TaxTold: true})
	require.NoError(t, err)
	_, err = svc.EraseDonor(ctx, admin.Key("e"), d.ID)
	require.NoError(t, err)
	for _, f := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		for _, pii := range []string{"Persephone", last, postcode} {
			assert.False(t, bytes.Contains(data, []byte(pii)), "%s holds %q after erasure", filepath.Base(f), pii)
		}
	}
	require.NoError(t, db.Close())
}
