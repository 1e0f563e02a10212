package giving_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/grants/giving"
)

// exampleService is a Service over a memory store with a fixed clock and
// predictable ids, an admin and an officer, and one campaign.
func exampleService(now *time.Time) (*giving.Service, *giving.Campaign, call.Actor) {
	ctx := context.Background()
	n := 0
	svc := giving.NewService(memory.NewGivingStore(), giving.WithClock(func() time.Time { return *now }),
		giving.WithIDs(func(p string, _ time.Time) string { n++; return fmt.Sprintf("%s-%d", p, n) }))
	admin, officer := call.As("admin"), call.As("officer")
	_ = svc.Bootstrap(ctx, admin)
	_, _ = svc.AddStaff(ctx, admin.Key("staff-1"), officer.ID, giving.RoleOfficer)
	c, err := svc.CreateCampaign(ctx, admin.Key("campaign-1"), giving.NewCampaign{
		Name: "Thurrock Giving", Fund: "fund-tcf",
		Priorities: []giving.Priority{{Name: "Poverty", Agreed: *now}},
		Target:     giving.Target{Money: decimal.NewFromInt(1000), Volunteers: 2},
		Starts:     *now, Ends: now.AddDate(1, 0, 0),
	})
	if err != nil {
		panic(err)
	}
	return svc, c, officer
}

// A campaign year: a resident gives £100 with Gift Aid, restricted to
// poverty, and volunteers; a business matches residents £1 for £1 up to
// £50; HMRC pays the claim; the report splits the money raised.
func Example_campaignYear() {
	ctx := context.Background()
	now := time.Date(2014, time.May, 6, 10, 0, 0, 0, time.UTC)
	svc, c, officer := exampleService(&now)

	ann, _ := svc.AddDonor(ctx, officer.Key("d1"), giving.NewDonor{Campaign: c.ID, Kind: giving.Individual,
		First: "Ann", Last: "Example", Address: giving.Address{House: "12", Postcode: "RM17 6SL"}})
	_, _ = svc.Declare(ctx, officer.Key("dec1"), giving.NewDeclaration{Donor: ann.ID, Charity: "Thurrock Community Fund",
		First: "Ann", Last: "Example", Address: ann.Address, Covers: giving.CoversFuture, Made: now, Asked: true, TaxTold: true})
	_, _ = svc.Give(ctx, officer.Key("g1"), giving.NewGift{Campaign: c.ID, Donor: ann.ID, Kind: giving.Money,
		Amount: decimal.NewFromInt(100), Received: now, GiftAid: true, Priority: "Poverty"})
	hours, _ := svc.Give(ctx, officer.Key("g2"), giving.NewGift{Campaign: c.ID, Donor: ann.ID, Kind: giving.Time, Minutes: 600})
	_, _ = svc.Deliver(ctx, officer.Key("g2d"), hours.ID, 240)

	firm, _ := svc.AddDonor(ctx, officer.Key("d2"), giving.NewDonor{Campaign: c.ID, Kind: giving.Business, Last: "Port Ltd"})
	m, _ := svc.PledgeMatch(ctx, officer.Key("m1"), giving.NewMatch{Campaign: c.ID, Donor: firm.ID,
		Ratio: decimal.NewFromInt(1), Cap: decimal.NewFromInt(50), From: now, To: now.AddDate(0, 6, 0)})
	due, _, _ := svc.MatchDue(ctx, m.ID)
	_, _ = svc.ReceiveMatch(ctx, officer.Key("m1r"), m.ID, due, now)

	claims, _ := svc.MakeClaim(ctx, officer.Key("claim1"), c.ID, "Thurrock Community Fund", now, false)
	_, _ = svc.ClaimPaid(ctx, officer.Key("paid1"), claims[0].ID, now.AddDate(0, 1, 0))

	r, _ := svc.Report(ctx, c.ID, 2014)
	fmt.Println("gifts", r.Gifts.StringFixed(2), "Gift Aid", r.GiftAid.StringFixed(2), "match", r.Match.StringFixed(2))
	fmt.Println("raised", r.Raised.StringFixed(2), "of target:", r.MoneyProgress.String()+"%")
	fmt.Println("for poverty", r.ByPriority["Poverty"].StringFixed(2), "unrestricted", r.ByPriority[""].StringFixed(2))
	fmt.Println("volunteers", r.Volunteers, "hours pledged", r.PledgedMinutes/60, "delivered", r.DeliveredMinutes/60)
	// Output:
	// gifts 100.00 Gift Aid 25.00 match 50.00
	// raised 175.00 of target: 17.5%
	// for poverty 125.00 unrestricted 50.00
	// volunteers 1 hours pledged 10 delivered 4
}

// A Gift Aid claim: two gifts from one donor go on one line dated by the
// later; a business's gift and a gift with a benefit never qualify.
func Example_giftAidClaim() {
	ctx := context.Background()
	now := time.Date(2016, time.May, 9, 10, 0, 0, 0, time.UTC)
	svc, c, officer := exampleService(&now)

	ann, _ := svc.AddDonor(ctx, officer.Key("d1"), giving.NewDonor{Campaign: c.ID, Kind: giving.Individual,
		Title: "Dr", First: "Ann", Last: "House-Martin", Address: giving.Address{House: "12", Postcode: "rm17 6sl"}})
	_, _ = svc.Declare(ctx, officer.Key("dec1"), giving.NewDeclaration{Donor: ann.ID, Charity: "Thurrock Community Fund",
		Title: "Dr", First: "Ann", Last: "House-Martin", Address: ann.Address, Covers: giving.CoversFuture, Made: now, Asked: true, TaxTold: true})
	for i, amt := range []int64{40, 60} {
		_, _ = svc.Give(ctx, officer.Key(fmt.Sprint("g", i)), giving.NewGift{Campaign: c.ID, Donor: ann.ID, Kind: giving.Money,
			Amount: decimal.NewFromInt(amt), Received: now.AddDate(0, 0, i), GiftAid: true})
	}
	_, err := svc.Give(ctx, officer.Key("g9"), giving.NewGift{Campaign: c.ID, Donor: ann.ID, Kind: giving.Money,
		Amount: decimal.NewFromInt(30), Received: now, GiftAid: true, Benefit: true})
	fmt.Println(err)

	claims, _ := svc.MakeClaim(ctx, officer.Key("claim1"), c.ID, "Thurrock Community Fund", now.AddDate(0, 0, 7), false)
	for _, l := range claims[0].Lines {
		fmt.Println(l.Title, l.First, l.Last, l.House, l.Postcode, l.Date.Format("02/01/06"), l.Amount.StringFixed(2))
	}
	fmt.Println("tax claimed", claims[0].Tax.StringFixed(2))
	// Output:
	// giving.give: giving: gift does not qualify for Gift Aid: giving: invalid: GiftAid: a gift with a benefit in return does not qualify
	// Dr Ann House Martin 12 RM17 6SL 10/05/16 100.00
	// tax claimed 25.00
}

// The campaign's money becomes its fund's income: gifts net of refunds,
// the match received, and Gift Aid once HMRC has paid. The Thurrock
// Community Fund, with no budget of its own, then awards a grant against
// it; a re-run posts nothing more.
func ExampleService_PostIncome() {
	ctx := context.Background()
	now := time.Date(2014, time.May, 6, 10, 0, 0, 0, time.UTC)
	gv, c, officer := exampleService(&now)
	check := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	pounds := decimal.RequireFromString

	// The campaign's year: a resident's £100 with Gift Aid, a business's
	// £400 of which £20 is refunded, its £1-for-£1 match of the resident.
	ann, err := gv.AddDonor(ctx, officer.Key("d1"), giving.NewDonor{Campaign: c.ID, Kind: giving.Individual,
		First: "Ann", Last: "Example", Address: giving.Address{House: "12", Postcode: "RM17 6SL"}})
	check(err)
	_, err = gv.Declare(ctx, officer.Key("dec1"), giving.NewDeclaration{Donor: ann.ID, Charity: "Thurrock Community Fund",
		First: "Ann", Last: "Example", Address: ann.Address, Covers: giving.CoversFuture, Made: now, Asked: true, TaxTold: true})
	check(err)
	_, err = gv.Give(ctx, officer.Key("g1"), giving.NewGift{Campaign: c.ID, Donor: ann.ID, Kind: giving.Money, Amount: pounds("100"), Received: now, GiftAid: true})
	check(err)
	firm, err := gv.AddDonor(ctx, officer.Key("d2"), giving.NewDonor{Campaign: c.ID, Kind: giving.Business, Last: "Port Ltd"})
	check(err)
	g2, err := gv.Give(ctx, officer.Key("g2"), giving.NewGift{Campaign: c.ID, Donor: firm.ID, Kind: giving.Money, Amount: pounds("400"), Received: now})
	check(err)
	_, err = gv.Refund(ctx, officer.Key("r2"), g2.ID, pounds("20"))
	check(err)
	m, err := gv.PledgeMatch(ctx, officer.Key("m1"), giving.NewMatch{Campaign: c.ID, Donor: firm.ID,
		Ratio: pounds("1"), Cap: pounds("500"), From: now, To: now.AddDate(0, 6, 0)})
	check(err)
	due, _, err := gv.MatchDue(ctx, m.ID)
	check(err)
	_, err = gv.ReceiveMatch(ctx, officer.Key("m1r"), m.ID, due, now)
	check(err)
	claims, err := gv.MakeClaim(ctx, officer.Key("claim"), c.ID, "Thurrock Community Fund", now, false)
	check(err)
	_, err = gv.ClaimPaid(ctx, officer.Key("paid"), claims[0].ID, now.AddDate(0, 1, 0))
	check(err)

	// The fund, in grants: no budget of its own, a fund manager to post.
	fund := grants.NewService(memory.NewGrantsStore(), grants.WithClock(func() time.Time { return now }))
	admin, manager := call.As("grants-admin"), call.As("manager")
	check(fund.Bootstrap(ctx, admin))
	_, err = fund.AddStaff(ctx, admin.Key("s1"), grants.NewStaff{ID: manager.ID, Name: "Fund manager", Roles: []grants.Role{grants.RoleManager}})
	check(err)
	_, err = fund.CreateFund(ctx, admin.Key("f"), grants.NewFund{ID: c.Fund, Name: "Thurrock Community Fund", FunderName: "Thurrock Council",
		FunderID: "GB-LAE-THR", Prefix: "a00tcf", Budgets: []grants.Budget{{Year: 2014, Amount: pounds("0")}},
		MinAward: pounds("100"), MaxAward: pounds("1000")})
	check(err)

	posted, err := gv.PostIncome(ctx, manager.Key("post-2014"), fund, c.ID, 2014)
	check(err)
	for _, p := range posted {
		fmt.Println(p.Source, p.Income.Ref, p.Income.Amount.StringFixed(2))
	}
	again, err := gv.PostIncome(ctx, manager.Key("post-2014-rerun"), fund, c.ID, 2014)
	check(err)
	fmt.Println("re-run posts nothing:", again[0].Income == nil && again[1].Income == nil && again[2].Income == nil)

	// An award against the income.
	round, err := fund.OpenRound(ctx, admin.Key("round"), grants.NewRound{Fund: c.Fund, Name: "Summer 2014", Year: 2014, Opens: now, Closes: now.AddDate(0, 1, 0)})
	check(err)
	a, err := fund.Draft(ctx, call.As("food-bank").Key("draft"), grants.NewApplication{Fund: c.Fund, Round: round.ID, Title: "Food bank van",
		Description: "Fuel for deliveries", Amount: pounds("500"),
		Applicant: grants.Applicant{Type: grants.Charity, Name: "Food Bank", OrgID: "360G-a00tcf-org-3", ContactName: "Sam", Email: "sam@example.org"}})
	check(err)
	_, err = fund.Submit(ctx, call.As("food-bank").Key("submit"), a.ID)
	check(err)
	_, err = fund.CheckEligibility(ctx, admin.Key("check"), a.ID)
	check(err)
	_, err = fund.StartReview(ctx, admin.Key("review"), a.ID)
	check(err)
	_, err = fund.Approve(ctx, admin.Key("approve"), a.ID, pounds("500"), "tackles poverty")
	check(err)
	t, err := fund.Totals(ctx, c.Fund, 2014)
	check(err)
	fmt.Println("income", grants.Pounds(t.Income), "committed", grants.Pounds(t.Committed), "available", grants.Pounds(t.Available()))
	// Output:
	// gifts giving/cmp-1/2014/gifts/0 480.00
	// giftaid giving/cmp-1/2014/giftaid/0 25.00
	// match giving/cmp-1/2014/match/0 100.00
	// re-run posts nothing: true
	// income £605.00 committed £500.00 available £105.00
}
