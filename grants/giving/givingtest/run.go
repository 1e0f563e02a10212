package givingtest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants/giving"
)

// Run checks that the stores newStore returns behave as giving.Store's
// documentation says. Each sub-test gets a fresh, empty store.
func Run(t *testing.T, newStore func(t *testing.T) giving.Store) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, s giving.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"NotFound", testNotFound},
		{"Versions", testVersions},
		{"Atomicity", testAtomicity},
		{"DuplicateKey", testDuplicateKey},
		{"ReadsAreCopies", testCopies},
		{"Income", testIncome},
		{"GiftAidRules", testGiftAidRules},
		{"BadInputWritesNothing", testBadInput},
		{"MatchWithinCap", testMatch},
		{"RefundOverClaim", testRefundOverClaim},
		{"ConcurrentMatchPayments", testConcurrentMatch},
		{"Erasure", testErasure},
		{"Roles", testRoles},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			require.NotNil(t, s, "newStore returned nil")
			tc.run(t, s)
		})
	}
}

var base = time.Date(2014, time.May, 6, 9, 0, 0, 0, time.UTC)

func pounds(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// world is a Service over s with an admin, an officer and one campaign.
type world struct {
	svc      *giving.Service
	store    giving.Store
	admin    call.Actor
	officer  call.Actor
	campaign *giving.Campaign
	n        atomic.Int64
	now      atomic.Int64
}

func newWorld(t *testing.T, s giving.Store) *world {
	t.Helper()
	w := &world{store: s, admin: call.As("adm-1"), officer: call.As("off-1")}
	w.now.Store(base.UnixMicro())
	w.svc = giving.NewService(s,
		giving.WithClock(func() time.Time { return time.UnixMicro(w.now.Load()).UTC() }),
		giving.WithIDs(func(p string, _ time.Time) string { return fmt.Sprintf("%s-%04d", p, w.n.Add(1)) }))
	ctx := context.Background()
	require.NoError(t, w.svc.Bootstrap(ctx, w.admin))
	_, err := w.svc.AddStaff(ctx, w.key(w.admin), w.officer.ID, giving.RoleOfficer)
	require.NoError(t, err)
	w.campaign, err = w.svc.CreateCampaign(ctx, w.key(w.admin), giving.NewCampaign{
		Name: "Thurrock Giving", Fund: "fund-tcf",
		Priorities: []giving.Priority{{Name: "Employment and training", Agreed: base}, {Name: "Health and wellbeing", Agreed: base}},
		Champions:  []giving.Champion{{Name: "A local firm", Organisation: true, Sector: giving.SectorBusiness}},
		Target:     giving.Target{Money: pounds("100000"), Volunteers: 500},
		Starts:     base, Ends: base.AddDate(1, 0, 0),
	})
	require.NoError(t, err)
	return w
}

func (w *world) key(a call.Actor) call.Write { return a.Key(fmt.Sprintf("k%d", w.n.Add(1))) }

func (w *world) person(t *testing.T, last string, declare bool) *giving.Donor {
	t.Helper()
	ctx := context.Background()
	d, err := w.svc.AddDonor(ctx, w.key(w.officer), giving.NewDonor{Campaign: w.campaign.ID, Kind: giving.Individual,
		Title: "Ms", First: "Ann", Last: last, Address: giving.Address{House: "12", Postcode: "rm17 6sl"}})
	require.NoError(t, err)
	if declare {
		_, err = w.svc.Declare(ctx, w.key(w.officer), giving.NewDeclaration{Donor: d.ID, Charity: "Thurrock CVS",
			First: "Ann", Last: last, Address: giving.Address{House: "12", Postcode: "RM17 6SL"},
			Covers: giving.CoversFuture, Made: base, Asked: true, TaxTold: true})
		require.NoError(t, err)
	}
	return d
}

func (w *world) business(t *testing.T) *giving.Donor {
	t.Helper()
	d, err := w.svc.AddDonor(context.Background(), w.key(w.officer), giving.NewDonor{Campaign: w.campaign.ID,
		Kind: giving.Business, Last: "Port Logistics Ltd"})
	require.NoError(t, err)
	return d
}

func (w *world) give(t *testing.T, d *giving.Donor, amount string, giftAid bool) *giving.Gift {
	t.Helper()
	g, err := w.svc.Give(context.Background(), w.key(w.officer), giving.NewGift{Campaign: w.campaign.ID, Donor: d.ID,
		Kind: giving.Money, Amount: pounds(amount), Received: base.AddDate(0, 0, 1), GiftAid: giftAid})
	require.NoError(t, err)
	return g
}

func testRoundTrip(t *testing.T, s giving.Store) {
	w := newWorld(t, s)
	ctx := context.Background()
	c, err := s.Campaign(ctx, w.campaign.ID)
	require.NoError(t, err)
	assert.Equal(t, w.campaign, c)
	d := w.person(t, "House-Martin", true)
	g := w.give(t, d, "100.00", true)
	got, err := s.Gift(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, g, got)
	assert.NotEmpty(t, got.Declaration)
	dd, err := s.Donor(ctx, d.ID)
	require.NoError(t, err)
	assert.Equal(t, d, dd)
	assert.Equal(t, "RM17 6SL", dd.Address.Postcode)
	decs, err := s.Declarations(ctx, d.ID)
	require.NoError(t, err)
	require.Len(t, decs, 1)
	assert.True(t, decs[0].Asked && decs[0].TaxTold)
}

func testNotFound(t *testing.T, s giving.Store) {
	ctx := context.Background()
	_, err := s.Campaign(ctx, "nope")
	assert.ErrorIs(t, err, giving.ErrNotFound)
	_, err = s.Donor(ctx, "nope")
	assert.ErrorIs(t, err, giving.ErrNotFound)
	_, err = s.Gift(ctx, "nope")
	assert.ErrorIs(t, err, giving.ErrNotFound)
	_, err = s.Claim(ctx, "nope")
	assert.ErrorIs(t, err, giving.ErrNotFound)
	_, err = s.Match(ctx, "nope")
	assert.ErrorIs(t, err, giving.ErrNotFound)
	_, err = s.Receipt(ctx, "nope")
	assert.ErrorIs(t, err, giving.ErrNotFound)
}

func testVersions(t *testing.T, s giving.Store) {
	ctx := context.Background()
	st := &giving.Staff{ID: "s1", Roles: []giving.Role{giving.RoleAdmin}, Active: true, CreatedAt: base, Version: 1}
	require.NoError(t, s.Apply(ctx, &giving.Batch{Staff: []*giving.Staff{st}}))
	assert.ErrorIs(t, s.Apply(ctx, &giving.Batch{Staff: []*giving.Staff{st}}), giving.ErrConflict)
	st3 := *st
	st3.Version = 3
	assert.ErrorIs(t, s.Apply(ctx, &giving.Batch{Staff: []*giving.Staff{&st3}}), giving.ErrConflict)
	st2 := *st
	st2.Version = 2
	require.NoError(t, s.Apply(ctx, &giving.Batch{Staff: []*giving.Staff{&st2}}))
	other := *st
	other.ID, other.Version = "s9", 2
	assert.ErrorIs(t, s.Apply(ctx, &giving.Batch{Staff: []*giving.Staff{&other}}), giving.ErrNotFound)
}

func testAtomicity(t *testing.T, s giving.Store) {
	ctx := context.Background()
	ok := &giving.Staff{ID: "s1", Active: true, CreatedAt: base, Version: 1}
	bad := &giving.Staff{ID: "s2", Active: true, CreatedAt: base, Version: 2} // missing
	err := s.Apply(ctx, &giving.Batch{Staff: []*giving.Staff{ok, bad},
		Income: []giving.Income{{Fund: "f", Year: 2014, Source: giving.FromGifts, Amount: pounds("5"), At: base}}})
	require.Error(t, err)
	_, err = s.Staff(ctx, "s1")
	assert.ErrorIs(t, err, giving.ErrNotFound)
	inc, err := s.Income(ctx, "f", 2014)
	require.NoError(t, err)
	assert.Empty(t, inc)
}

func testDuplicateKey(t *testing.T, s giving.Store) {
	ctx := context.Background()
	b := &giving.Batch{Staff: []*giving.Staff{{ID: "s1", Active: true, CreatedAt: base, Version: 1}}, Key: "rk", Hash: "h", Result: "s1", At: base}
	require.NoError(t, s.Apply(ctx, b))
	r, err := s.Receipt(ctx, "rk")
	require.NoError(t, err)
	assert.Equal(t, "s1", r.Result)
	assert.True(t, r.At.Equal(base))
	b2 := &giving.Batch{Staff: []*giving.Staff{{ID: "s2", Active: true, CreatedAt: base, Version: 1}}, Key: "rk", Hash: "h", Result: "s2", At: base}
	assert.ErrorIs(t, s.Apply(ctx, b2), giving.ErrDuplicateKey)
	_, err = s.Staff(ctx, "s2")
	assert.ErrorIs(t, err, giving.ErrNotFound)
	sec1, err := s.Secret(ctx)
	require.NoError(t, err)
	sec2, err := s.Secret(ctx)
	require.NoError(t, err)
	assert.Len(t, sec1, 32)
	assert.Equal(t, sec1, sec2)
}

func testCopies(t *testing.T, s giving.Store) {
	w := newWorld(t, s)
	ctx := context.Background()
	c, err := s.Campaign(ctx, w.campaign.ID)
	require.NoError(t, err)
	c.Priorities[0].Name = "changed"
	c2, err := s.Campaign(ctx, w.campaign.ID)
	require.NoError(t, err)
	assert.Equal(t, "Employment and training", c2.Priorities[0].Name)
}

func testIncome(t *testing.T, s giving.Store) {
	w := newWorld(t, s)
	ctx := context.Background()
	d := w.person(t, "Smith", false)
	_, err := w.svc.Give(ctx, w.key(w.officer), giving.NewGift{Campaign: w.campaign.ID, Donor: d.ID, Kind: giving.Money,
		Amount: pounds("40"), Received: base, Priority: "Health and wellbeing"})
	require.NoError(t, err)
	// received on 31 March 2015: the 2014 year; on 1 April 2015: 2015
	_, err = w.svc.Give(ctx, w.key(w.officer), giving.NewGift{Campaign: w.campaign.ID, Donor: d.ID, Kind: giving.Money,
		Amount: pounds("10"), Received: time.Date(2015, 3, 31, 23, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	_, err = w.svc.Give(ctx, w.key(w.officer), giving.NewGift{Campaign: w.campaign.ID, Donor: d.ID, Kind: giving.Money,
		Amount: pounds("7"), Received: time.Date(2015, 4, 1, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	total, lines, err := w.svc.Income(ctx, "fund-tcf", 2014)
	require.NoError(t, err)
	assert.Equal(t, "50.00", total.StringFixed(2))
	require.Len(t, lines, 2)
	assert.Equal(t, "Health and wellbeing", lines[0].Priority)
	total, _, err = w.svc.Income(ctx, "fund-tcf", 2015)
	require.NoError(t, err)
	assert.Equal(t, "7.00", total.StringFixed(2))
	r, err := w.svc.Report(ctx, w.campaign.ID, 2014)
	require.NoError(t, err)
	assert.Equal(t, "40.00", r.ByPriority["Health and wellbeing"].StringFixed(2))
	assert.Equal(t, "10.00", r.ByPriority[""].StringFixed(2))
}

func testGiftAidRules(t *testing.T, s giving.Store) {
	w := newWorld(t, s)
	ctx := context.Background()
	p := w.person(t, "Jones", true)
	b := w.business(t)
	g := w.give(t, p, "10.00", true)
	_, err := w.svc.Give(ctx, w.key(w.officer), giving.NewGift{Campaign: w.campaign.ID, Donor: b.ID, Kind: giving.Money,
		Amount: pounds("500"), Received: base, GiftAid: true})
	assert.ErrorIs(t, err, giving.ErrNotEligible)
	_, err = w.svc.Give(ctx, w.key(w.officer), giving.NewGift{Campaign: w.campaign.ID, Donor: p.ID, Kind: giving.Money,
		Amount: pounds("25"), Received: base, GiftAid: true, Benefit: true})
	assert.ErrorIs(t, err, giving.ErrNotEligible)
	undeclared := w.person(t, "Brown", false)
	_, err = w.svc.Give(ctx, w.key(w.officer), giving.NewGift{Campaign: w.campaign.ID, Donor: undeclared.ID, Kind: giving.Money,
		Amount: pounds("25"), Received: base.AddDate(0, 0, 1), GiftAid: true})
	assert.ErrorIs(t, err, giving.ErrNotEligible)
	w.give(t, undeclared, "5.00", false)
	claims, err := w.svc.MakeClaim(ctx, w.key(w.officer), w.campaign.ID, "Thurrock CVS", base.AddDate(0, 1, 0), false)
	require.NoError(t, err)
	require.Len(t, claims, 1)
	c := claims[0]
	require.Len(t, c.Lines, 1, "only the declared individual's gift is claimed")
	assert.Equal(t, []string{g.ID}, c.Lines[0].Gifts)
	assert.Equal(t, "2.50", c.Tax.StringFixed(2))
	assert.Equal(t, "RM17 6SL", c.Lines[0].Postcode)
	_, err = w.svc.ClaimPaid(ctx, w.key(w.officer), c.ID, base.AddDate(0, 2, 0))
	require.NoError(t, err)
	r, err := w.svc.Report(ctx, w.campaign.ID, 2014)
	require.NoError(t, err)
	assert.Equal(t, "2.50", r.GiftAid.StringFixed(2))
	assert.Equal(t, "15.00", r.Gifts.StringFixed(2))
	again, err := w.svc.MakeClaim(ctx, w.key(w.officer), w.campaign.ID, "Thurrock CVS", base.AddDate(0, 3, 0), false)
	require.NoError(t, err)
	assert.Empty(t, again, "a gift is claimed once")
}

func testBadInput(t *testing.T, s giving.Store) {
	w := newWorld(t, s)
	ctx := context.Background()
	p := w.person(t, "Green", true)
	g := w.give(t, p, "20.00", false)
	before, err := s.Gifts(ctx, w.campaign.ID, "")
	require.NoError(t, err)
	cases := []struct {
		name string
		err  error
		do   func() error
	}{
		{"declaration without postcode", giving.ErrNoPostcode, func() error {
			_, err := w.svc.Declare(ctx, w.key(w.officer), giving.NewDeclaration{Donor: p.ID, Charity: "TCVS", First: "A",
				Last: "Green", Address: giving.Address{House: "1"}, Covers: giving.CoversFuture, Made: base, Asked: true, TaxTold: true})
			return err
		}},
		{"three decimal places", giving.ErrPrecision, func() error {
			_, err := w.svc.Give(ctx, w.key(w.officer), giving.NewGift{Campaign: w.campaign.ID, Donor: p.ID, Kind: giving.Money, Amount: pounds("1.005"), Received: base})
			return err
		}},
		{"refund over the gift", giving.ErrOverRefund, func() error {
			_, err := w.svc.Refund(ctx, w.key(w.officer), g.ID, pounds("20.01"))
			return err
		}},
		{"unknown priority", giving.ErrUnknownPriority, func() error {
			_, err := w.svc.Give(ctx, w.key(w.officer), giving.NewGift{Campaign: w.campaign.ID, Donor: p.ID, Kind: giving.Money, Amount: pounds("5"), Received: base, Priority: "Poverty"})
			return err
		}},
	}
	for _, tc := range cases {
		err := tc.do()
		assert.ErrorIs(t, err, tc.err, tc.name)
		var fe *giving.FieldError
		assert.True(t, errors.As(err, &fe), tc.name)
	}
	after, err := s.Gifts(ctx, w.campaign.ID, "")
	require.NoError(t, err)
	assert.Equal(t, before, after, "nothing written")
	decs, err := s.Declarations(ctx, p.ID)
	require.NoError(t, err)
	assert.Len(t, decs, 1)
}

func testMatch(t *testing.T, s giving.Store) {
	w := newWorld(t, s)
	ctx := context.Background()
	biz := w.business(t)
	m, err := w.svc.PledgeMatch(ctx, w.key(w.officer), giving.NewMatch{Campaign: w.campaign.ID, Donor: biz.ID,
		Ratio: pounds("1"), Cap: pounds("50"), From: base, To: base.AddDate(0, 6, 0)})
	require.NoError(t, err)
	a, b := w.person(t, "A", false), w.person(t, "B", false)
	w.give(t, a, "30", false)
	w.give(t, b, "40", false)
	_, err = w.svc.Give(ctx, w.key(w.officer), giving.NewGift{Campaign: w.campaign.ID, Donor: biz.ID, Kind: giving.Money, Amount: pounds("1000"), Received: base.AddDate(0, 0, 2)})
	require.NoError(t, err)
	due, _, err := w.svc.MatchDue(ctx, m.ID)
	require.NoError(t, err)
	assert.Equal(t, "50.00", due.StringFixed(2), "£70 from residents, capped at £50; the business's own gift is not matched")
	_, err = w.svc.ReceiveMatch(ctx, w.key(w.officer), m.ID, pounds("50.01"), base.AddDate(0, 1, 0))
	assert.ErrorIs(t, err, giving.ErrMatchLimit)
	_, err = w.svc.ReceiveMatch(ctx, w.key(w.officer), m.ID, pounds("10"), base.AddDate(2, 0, 0))
	assert.ErrorIs(t, err, giving.ErrMatchLimit)
	_, err = w.svc.ReceiveMatch(ctx, w.key(w.officer), m.ID, pounds("50"), base.AddDate(0, 1, 0))
	require.NoError(t, err)
	r, err := w.svc.Report(ctx, w.campaign.ID, 2014)
	require.NoError(t, err)
	assert.Equal(t, "50.00", r.Match.StringFixed(2))
	assert.Equal(t, "1070.00", r.Gifts.StringFixed(2))
	assert.Equal(t, 2, r.Individuals)
	assert.Equal(t, 1, r.Businesses)
}

func testRefundOverClaim(t *testing.T, s giving.Store) {
	w := newWorld(t, s)
	ctx := context.Background()
	p := w.person(t, "White", true)
	g := w.give(t, p, "100", true)
	k := w.key(w.officer)
	c1, err := w.svc.MakeClaim(ctx, k, w.campaign.ID, "TCVS", base.AddDate(0, 1, 0), false)
	require.NoError(t, err)
	require.Len(t, c1, 1)
	retry, err := w.svc.MakeClaim(ctx, k, w.campaign.ID, "TCVS", base.AddDate(0, 1, 0), false)
	require.NoError(t, err)
	require.Len(t, retry, 1, "a retry returns the first request's claims")
	assert.Equal(t, c1[0].ID, retry[0].ID)
	_, err = w.svc.MakeClaim(ctx, k, w.campaign.ID, "TCVS", base.AddDate(0, 2, 0), false)
	assert.ErrorIs(t, err, giving.ErrConflict, "the key with another request")
	assert.Equal(t, "25.00", c1[0].Tax.StringFixed(2))
	_, err = w.svc.Refund(ctx, w.key(w.officer), g.ID, pounds("40"))
	require.NoError(t, err)
	w.give(t, p, "20", true)
	c2, err := w.svc.MakeClaim(ctx, w.key(w.officer), w.campaign.ID, "TCVS", base.AddDate(0, 2, 0), false)
	require.NoError(t, err)
	require.Len(t, c2, 1)
	assert.Equal(t, "10.00", c2[0].OverClaim.StringFixed(2), "25% of the £40 refunded after the claim")
	assert.Equal(t, "-5.00", c2[0].Tax.StringFixed(2), "£20 × 25% − £10")
}

func testConcurrentMatch(t *testing.T, s giving.Store) {
	w := newWorld(t, s)
	ctx := context.Background()
	biz := w.business(t)
	m, err := w.svc.PledgeMatch(ctx, w.key(w.officer), giving.NewMatch{Campaign: w.campaign.ID, Donor: biz.ID,
		Ratio: pounds("1"), Cap: pounds("100"), From: base, To: base.AddDate(1, 0, 0)})
	require.NoError(t, err)
	w.give(t, w.person(t, "P", false), "100", false)
	var wg sync.WaitGroup
	var ok atomic.Int64
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := w.svc.ReceiveMatch(ctx, w.officer.Key(fmt.Sprintf("race-%d", i)), m.ID, pounds("30"), base.AddDate(0, 1, 0))
			if err == nil {
				ok.Add(1)
			} else {
				assert.ErrorIs(t, err, giving.ErrMatchLimit)
			}
		}()
	}
	wg.Wait()
	_, got, err := w.svc.MatchDue(ctx, m.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(3), ok.Load(), "three payments of £30 fit under £100")
	assert.Equal(t, "90.00", got.StringFixed(2))
	total, _, err := w.svc.Income(ctx, "fund-tcf", 2014)
	require.NoError(t, err)
	assert.Equal(t, "190.00", total.StringFixed(2))
}

func testErasure(t *testing.T, s giving.Store) {
	w := newWorld(t, s)
	ctx := context.Background()
	p := w.person(t, "Erasable", true)
	q := w.person(t, "Claimed", true)
	w.give(t, q, "10", true)
	_, err := w.svc.MakeClaim(ctx, w.key(w.officer), w.campaign.ID, "TCVS", base.AddDate(0, 1, 0), false)
	require.NoError(t, err)
	_, err = w.svc.EraseDonor(ctx, w.key(w.officer), p.ID)
	assert.ErrorIs(t, err, giving.ErrForbidden)
	d, err := w.svc.EraseDonor(ctx, w.key(w.admin), p.ID)
	require.NoError(t, err)
	assert.True(t, d.Erased)
	assert.Empty(t, d.Last)
	decs, err := s.Declarations(ctx, p.ID)
	require.NoError(t, err)
	assert.Empty(t, decs[0].Last)
	assert.Empty(t, decs[0].Address.Postcode)
	_, err = w.svc.EraseDonor(ctx, w.key(w.admin), q.ID)
	assert.ErrorIs(t, err, giving.ErrRetained, "a donor with Gift Aid claimed is kept for HMRC")
	w.now.Store(base.AddDate(8, 0, 0).UnixMicro())
	_, err = w.svc.EraseDonor(ctx, w.key(w.admin), q.ID)
	require.NoError(t, err)
	claims, err := s.Claims(ctx, w.campaign.ID)
	require.NoError(t, err)
	require.Len(t, claims, 1)
	assert.Empty(t, claims[0].Lines[0].Last)
	assert.Equal(t, "10.00", claims[0].Lines[0].Amount.StringFixed(2), "amounts are kept")
}

func testRoles(t *testing.T, s giving.Store) {
	w := newWorld(t, s)
	ctx := context.Background()
	p := w.person(t, "Private", false)
	_, err := w.svc.Donor(ctx, call.As("stranger"), p.ID)
	assert.ErrorIs(t, err, giving.ErrForbidden)
	_, err = w.svc.Gifts(ctx, call.As("stranger"), w.campaign.ID, "")
	assert.ErrorIs(t, err, giving.ErrForbidden)
	_, err = w.svc.AddDonor(ctx, call.As("stranger").Key("k"), giving.NewDonor{Campaign: w.campaign.ID, Kind: giving.Individual, First: "A", Last: "B"})
	assert.ErrorIs(t, err, giving.ErrForbidden)
	assert.ErrorIs(t, w.svc.Bootstrap(ctx, call.As("other")), giving.ErrConflict)
	got, err := w.svc.Donor(ctx, w.officer, p.ID)
	require.NoError(t, err)
	assert.Equal(t, "Private", got.Last)
}
