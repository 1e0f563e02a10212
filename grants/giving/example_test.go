package giving_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
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
