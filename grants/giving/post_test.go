package giving_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/grants/giving"
	"github.com/strongertogether/community/internal/storetest"
)

// fundFor makes, in a new grants store, the fund a campaign raises for
// (fund-tcf, with a 2014 budget of budget), an admin and a fund manager.
func fundFor(t *testing.T, now *time.Time, budget string) *grants.Service {
	t.Helper()
	ctx := t.Context()
	svc := grants.NewService(memory.NewGrantsStore(), grants.WithClock(func() time.Time { return *now }))
	admin := call.As("grants-admin")
	require.NoError(t, svc.Bootstrap(ctx, admin))
	_, err := svc.AddStaff(ctx, admin.Key("manager"), grants.NewStaff{ID: "manager", Name: "Fund manager", Roles: []grants.Role{grants.RoleManager}})
	require.NoError(t, err)
	_, err = svc.CreateFund(ctx, admin.Key("fund"), grants.NewFund{ID: "fund-tcf", Name: "Thurrock Community Fund", FunderName: "Thurrock Council",
		FunderID: "GB-LAE-THR", Prefix: "a00tcf", Budgets: []grants.Budget{{Year: 2014, Amount: decimal.RequireFromString(budget)}},
		MinAward: decimal.NewFromInt(100), MaxAward: decimal.NewFromInt(5000)})
	require.NoError(t, err)
	return svc
}

// postings returns each posting's source, raised and before amounts, and
// the amount posted ("-" for none).
func postings(ps []giving.Posting) []string {
	var out []string
	for _, p := range ps {
		posted := "-"
		if p.Income != nil {
			posted = p.Income.Amount.StringFixed(2)
		}
		out = append(out, fmt.Sprintf("%s %s %s %s", p.Source, p.Raised.StringFixed(2), p.Before.StringFixed(2), posted))
	}
	return out
}

// TestPostIncome: a campaign's gifts net of refunds, its match received
// and its Gift Aid once HMRC has paid become its fund's income, each in
// its own line; a re-run posts nothing; a later refund is posted as a
// reversal; racing postings count new money once; the fund's totals and
// the campaign's report agree.
func TestPostIncome(t *testing.T) {
	ctx := t.Context()
	now := time.Date(2014, time.May, 6, 10, 0, 0, 0, time.UTC)
	gv, c, officer := exampleService(&now)
	fund := fundFor(t, &now, "1000")
	manager := call.As("manager")
	d := decimal.RequireFromString

	ann, err := gv.AddDonor(ctx, officer.Key("d1"), giving.NewDonor{Campaign: c.ID, Kind: giving.Individual,
		First: "Ann", Last: "Example", Address: giving.Address{House: "12", Postcode: "RM17 6SL"}})
	require.NoError(t, err)
	_, err = gv.Declare(ctx, officer.Key("dec1"), giving.NewDeclaration{Donor: ann.ID, Charity: "Thurrock Community Fund",
		First: "Ann", Last: "Example", Address: ann.Address, Covers: giving.CoversFuture, Made: now, Asked: true, TaxTold: true})
	require.NoError(t, err)
	g1, err := gv.Give(ctx, officer.Key("g1"), giving.NewGift{Campaign: c.ID, Donor: ann.ID, Kind: giving.Money, Amount: d("100"), Received: now, GiftAid: true})
	require.NoError(t, err)
	_, err = gv.Give(ctx, officer.Key("g2"), giving.NewGift{Campaign: c.ID, Donor: ann.ID, Kind: giving.Money, Amount: d("80"), Pledged: now})
	require.NoError(t, err, "a pledge is not money in hand")
	firm, err := gv.AddDonor(ctx, officer.Key("d2"), giving.NewDonor{Campaign: c.ID, Kind: giving.Business, Last: "Port Ltd"})
	require.NoError(t, err)
	g3, err := gv.Give(ctx, officer.Key("g3"), giving.NewGift{Campaign: c.ID, Donor: firm.ID, Kind: giving.Money, Amount: d("200"), Received: now})
	require.NoError(t, err)
	_, err = gv.Refund(ctx, officer.Key("r3"), g3.ID, d("20"))
	require.NoError(t, err)
	m, err := gv.PledgeMatch(ctx, officer.Key("m1"), giving.NewMatch{Campaign: c.ID, Donor: firm.ID, Ratio: d("1"), Cap: d("60"), From: now, To: now.AddDate(0, 6, 0)})
	require.NoError(t, err)
	_, err = gv.ReceiveMatch(ctx, officer.Key("m1r"), m.ID, d("60"), now)
	require.NoError(t, err)
	claims, err := gv.MakeClaim(ctx, officer.Key("claim"), c.ID, "Thurrock Community Fund", now, false)
	require.NoError(t, err)

	// Before HMRC pays, the claim's Gift Aid is not the fund's.
	ps, err := gv.PostIncome(ctx, manager.Key("post-1"), fund, c.ID, 2014)
	require.NoError(t, err)
	assert.Equal(t, []string{"gifts 280.00 0.00 280.00", "giftaid 0.00 0.00 -", "match 60.00 0.00 60.00"}, postings(ps))
	assert.Equal(t, "giving/"+c.ID+"/2014/gifts/0", ps[0].Income.Ref)
	assert.Equal(t, "Thurrock Giving: gifts", ps[0].Income.Source)
	assert.Equal(t, 2014, ps[0].Income.Year)

	now = now.AddDate(0, 1, 0)
	_, err = gv.ClaimPaid(ctx, officer.Key("paid"), claims[0].ID, now)
	require.NoError(t, err)
	ps, err = gv.PostIncome(ctx, manager.Key("post-2"), fund, c.ID, 2014)
	require.NoError(t, err)
	assert.Equal(t, []string{"gifts 280.00 280.00 -", "giftaid 25.00 0.00 25.00", "match 60.00 60.00 -"}, postings(ps))
	r, err := gv.Report(ctx, c.ID, 2014)
	require.NoError(t, err)
	tot, err := fund.Totals(ctx, "fund-tcf", 2014)
	require.NoError(t, err)
	assert.True(t, tot.Income.Equal(r.Raised), "the fund's income %s is what the campaign raised, %s", tot.Income, r.Raised)
	assert.Equal(t, "1365.00", tot.Available().StringFixed(2), "£1,000 budget plus £365 income")

	// A re-run, under the same key or another, posts nothing.
	for _, k := range []string{"post-2", "post-3"} {
		ps, err = gv.PostIncome(ctx, manager.Key(k), fund, c.ID, 2014)
		require.NoError(t, err)
		for _, p := range ps {
			assert.Nil(t, p.Income, "%s: %s", k, p.Source)
		}
	}
	lines, err := fund.Income(ctx, manager, grants.IncomeFilter{Fund: "fund-tcf"})
	require.NoError(t, err)
	assert.Len(t, lines, 3)

	// A refund after the posting is posted as a reversal.
	_, err = gv.Refund(ctx, officer.Key("r1"), g1.ID, d("30"))
	require.NoError(t, err)
	ps, err = gv.PostIncome(ctx, manager.Key("post-4"), fund, c.ID, 2014)
	require.NoError(t, err)
	assert.Equal(t, []string{"gifts 250.00 280.00 -30.00", "giftaid 25.00 25.00 -", "match 60.00 60.00 -"}, postings(ps))
	assert.Equal(t, "giving/"+c.ID+"/2014/gifts/1", ps[0].Income.Ref)

	// New money while four postings race: counted once.
	_, err = gv.Give(ctx, officer.Key("g4"), giving.NewGift{Campaign: c.ID, Donor: firm.ID, Kind: giving.Money, Amount: d("45.50"), Received: now})
	require.NoError(t, err)
	errs := storetest.Race(4, func(i int) error {
		_, err := gv.PostIncome(ctx, manager.Key(fmt.Sprint("race-", i)), fund, c.ID, 2014)
		return err
	})
	ok, _ := storetest.Count(t, errs, grants.ErrConflict)
	assert.Equal(t, 4, ok)
	r, err = gv.Report(ctx, c.ID, 2014)
	require.NoError(t, err)
	tot, err = fund.Totals(ctx, "fund-tcf", 2014)
	require.NoError(t, err)
	assert.Equal(t, "380.50", r.Raised.StringFixed(2))
	assert.Equal(t, r.Raised.StringFixed(2), tot.Income.StringFixed(2))

	// Only a fund manager posts; a campaign's fund must be a grants fund.
	_, err = gv.PostIncome(ctx, officer.Key("post-5"), fund, c.ID, 2014)
	assert.ErrorIs(t, err, grants.ErrForbidden)
	_, err = gv.PostIncome(ctx, manager.Key("post-6"), fund, "no-such-campaign", 2014)
	assert.ErrorIs(t, err, giving.ErrNotFound)
	other, err := gv.CreateCampaign(ctx, call.As("admin").Key("campaign-2"), giving.NewCampaign{Name: "Elsewhere Giving", Fund: "fund-elsewhere",
		Target: giving.Target{Money: d("10")}, Starts: now, Ends: now.AddDate(0, 3, 0)})
	require.NoError(t, err)
	_, err = gv.Give(ctx, officer.Key("g5"), giving.NewGift{Campaign: other.ID, Donor: mustDonor(t, gv, officer, other.ID), Kind: giving.Money, Amount: d("5"), Received: now})
	require.NoError(t, err)
	_, err = gv.PostIncome(ctx, manager.Key("post-7"), fund, other.ID, 2014)
	assert.ErrorIs(t, err, grants.ErrNotFound)
	tot2, err := fund.Totals(ctx, "fund-tcf", 2014)
	require.NoError(t, err)
	assert.Equal(t, tot, tot2, "the refused postings wrote nothing")
}

func mustDonor(t *testing.T, gv *giving.Service, officer call.Actor, campaign string) string {
	t.Helper()
	d, err := gv.AddDonor(t.Context(), officer.Key("donor-"+campaign), giving.NewDonor{Campaign: campaign, Kind: giving.Business, Last: "Other Ltd"})
	require.NoError(t, err)
	return d.ID
}

// TestPostIncomeKeepsRestrictedMoney: a gift a donor restricted to a
// priority, and the Gift Aid on it, are not posted to the fund (whose
// income can fund any award); unrestricted money is. Money the fund held
// from a restricted gift is reversed in the gift's year, even when the
// posting runs in a later year, and a re-run a day later posts nothing.
func TestPostIncomeKeepsRestrictedMoney(t *testing.T) {
	ctx := t.Context()
	now := time.Date(2014, time.May, 6, 10, 0, 0, 0, time.UTC)
	gv, c, officer := exampleService(&now)
	fund := fundFor(t, &now, "1000")
	manager := call.As("manager")
	d := decimal.RequireFromString

	ann, err := gv.AddDonor(ctx, officer.Key("d1"), giving.NewDonor{Campaign: c.ID, Kind: giving.Individual,
		First: "Ann", Last: "Example", Address: giving.Address{House: "12", Postcode: "RM17 6SL"}})
	require.NoError(t, err)
	_, err = gv.Declare(ctx, officer.Key("dec1"), giving.NewDeclaration{Donor: ann.ID, Charity: "Thurrock Community Fund",
		First: "Ann", Last: "Example", Address: ann.Address, Covers: giving.CoversFuture, Made: now, Asked: true, TaxTold: true})
	require.NoError(t, err)
	_, err = gv.Give(ctx, officer.Key("g1"), giving.NewGift{Campaign: c.ID, Donor: ann.ID, Kind: giving.Money, Amount: d("100"),
		Received: now, GiftAid: true, Priority: "Poverty"})
	require.NoError(t, err)
	claims, err := gv.MakeClaim(ctx, officer.Key("claim"), c.ID, "Thurrock Community Fund", now, false)
	require.NoError(t, err)
	_, err = gv.ClaimPaid(ctx, officer.Key("paid"), claims[0].ID, now)
	require.NoError(t, err)

	// The fund holds the restricted gift and its Gift Aid as unrestricted
	// income, as a posting that summed the priorities would have left it.
	for src, amount := range map[giving.Source]string{giving.FromGifts: "100", giving.FromGiftAid: "25"} {
		_, err = fund.RecordIncome(ctx, manager.Key("old-"+string(src)), grants.NewIncome{Fund: "fund-tcf", Source: "Thurrock Giving: " + string(src),
			Ref: fmt.Sprintf("giving/%s/2014/%s/0", c.ID, src), Amount: d(amount), Received: now})
		require.NoError(t, err)
	}

	// The posting runs in the next financial year.
	now = time.Date(2015, time.June, 1, 9, 0, 0, 0, time.UTC)
	ps, err := gv.PostIncome(ctx, manager.Key("post-1"), fund, c.ID, 2014)
	require.NoError(t, err)
	assert.Equal(t, []string{"gifts 0.00 100.00 -100.00", "giftaid 0.00 25.00 -25.00", "match 0.00 0.00 -"}, postings(ps))
	assert.Equal(t, "100.00", ps[0].Restricted.StringFixed(2), "the campaign keeps the gift for poverty")
	assert.Equal(t, "25.00", ps[1].Restricted.StringFixed(2), "and the Gift Aid on it")
	for _, p := range ps[:2] {
		assert.Equal(t, 2014, p.Income.Year, "%s: the reversal is the gift's year's", p.Source)
	}
	tot, err := fund.Totals(ctx, "fund-tcf", 2014)
	require.NoError(t, err)
	assert.Equal(t, "0.00", tot.Income.StringFixed(2), "no restricted money can fund an award")

	now = now.AddDate(0, 0, 1)
	ps, err = gv.PostIncome(ctx, manager.Key("post-2"), fund, c.ID, 2014)
	require.NoError(t, err, "a re-run a day later")
	for _, p := range ps {
		assert.Nil(t, p.Income, "re-run: %s", p.Source)
	}

	// Unrestricted money is posted, and the fund's income is the
	// campaign's unrestricted income.
	firm, err := gv.AddDonor(ctx, officer.Key("d2"), giving.NewDonor{Campaign: c.ID, Kind: giving.Business, Last: "Port Ltd"})
	require.NoError(t, err)
	_, err = gv.Give(ctx, officer.Key("g2"), giving.NewGift{Campaign: c.ID, Donor: firm.ID, Kind: giving.Money, Amount: d("200"),
		Received: time.Date(2015, time.January, 10, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	ps, err = gv.PostIncome(ctx, manager.Key("post-3"), fund, c.ID, 2014)
	require.NoError(t, err)
	assert.Equal(t, []string{"gifts 200.00 0.00 200.00", "giftaid 0.00 0.00 -", "match 0.00 0.00 -"}, postings(ps))
	r, err := gv.Report(ctx, c.ID, 2014)
	require.NoError(t, err)
	tot, err = fund.Totals(ctx, "fund-tcf", 2014)
	require.NoError(t, err)
	assert.Equal(t, r.ByPriority[""].StringFixed(2), tot.Income.StringFixed(2))
	assert.Equal(t, "125.00", r.ByPriority["Poverty"].StringFixed(2))
}
