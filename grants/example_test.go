package grants_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
)

// A Small Sparks application from draft to paid: three neighbours pledge
// their time, the officer checks the fund's rules, the panel scores, the
// officer approves and awards £240 and pays it in two instalments.
func Example() {
	ctx := context.Background()
	now := time.Date(2014, time.June, 2, 9, 0, 0, 0, time.UTC)
	n := 0
	svc := grants.NewService(memory.NewGrantsStore(),
		grants.WithClock(func() time.Time { return now }),
		grants.WithIDs(func(prefix string, _ time.Time) string { n++; return fmt.Sprintf("%s-%d", prefix, n) }))
	must := func(a *grants.Application, err error) *grants.Application {
		if err != nil {
			log.Fatal(err)
		}
		return a
	}
	pounds := decimal.RequireFromString
	admin, officer, panel, jo := call.As("admin"), call.As("officer"), call.As("p1"), call.As("jo")

	// Set up: the first admin, then an officer, a panel member, the fund
	// and a round. Each write names its caller and an idempotency key.
	if err := svc.Bootstrap(ctx, admin); err != nil {
		log.Fatal(err)
	}
	for i, st := range []grants.NewStaff{
		{ID: "officer", Name: "Officer", Roles: []grants.Role{grants.RoleOfficer}},
		{ID: "p1", Name: "Panel", Roles: []grants.Role{grants.RolePanel}},
	} {
		if _, err := svc.AddStaff(ctx, admin.Key(fmt.Sprintf("staff-%d", i)), st); err != nil {
			log.Fatal(err)
		}
	}
	fund, err := svc.CreateFund(ctx, admin.Key("fund"), grants.NewFund{
		Name: "Small Sparks", FunderName: "Thurrock Council", FunderID: "GB-LAE-THR", Prefix: "a00thr",
		Budgets:  []grants.Budget{{Year: 2014, Amount: pounds("10000")}},
		MinAward: pounds("50"), MaxAward: pounds("250"),
		Priorities: []string{"bring neighbours together"},
		Criteria:   []string{"community benefit"}, MaxScore: 5,
		Rules: grants.SmallSparksRules(),
	})
	if err != nil {
		log.Fatal(err)
	}
	round, err := svc.OpenRound(ctx, officer.Key("round"), grants.NewRound{Fund: fund.ID, Name: "Summer 2014", Year: 2014,
		Opens: now, Closes: now.AddDate(0, 1, 0)})
	if err != nil {
		log.Fatal(err)
	}

	// The applicant drafts and submits.
	a := must(svc.Draft(ctx, jo.Key("draft"), grants.NewApplication{
		Fund: fund.ID, Round: round.ID, Title: "Jubilee street party", Description: "A street party for the close",
		Applicant: grants.Applicant{Type: grants.UnconstitutedGroup, Name: "Friends of Elm Close", ContactName: "Jo", Email: "jo@example.org"},
		Ward:      "Tilbury St Chads", Amount: pounds("240"),
		Priorities: []string{"bring neighbours together"},
		Supporters: []grants.Supporter{{Name: "Ann", Pledged: 8 * 60}, {Name: "Bob", Pledged: 6 * 60}, {Name: "Cy", Pledged: 6 * 60}},
	}))
	a = must(svc.Submit(ctx, jo.Key("submit"), a.ID))

	// The officer checks the rules and sends it to the panel.
	a = must(svc.CheckEligibility(ctx, officer.Key("check"), a.ID))
	for _, c := range a.Eligibility.Checks {
		fmt.Printf("%-16s %v: %s\n", c.Rule, c.Pass, c.Reason)
	}
	a = must(svc.StartReview(ctx, officer.Key("review"), a.ID))
	a = must(svc.ScoreApplication(ctx, panel.Key("score"), a.ID, map[string]int{"community benefit": 5}, "lovely idea"))

	// Approved, awarded and paid in two instalments.
	a = must(svc.Approve(ctx, officer.Key("approve"), a.ID, pounds("240"), "brings the close together"))
	a = must(svc.Award(ctx, officer.Key("award"), a.ID))
	a = must(svc.Pay(ctx, officer.Key("pay-1"), a.ID, pounds("140"), "BACS 001"))
	fmt.Println(a.Status, "paid", grants.Pounds(a.Paid), "unpaid", grants.Pounds(a.Unpaid()))
	a = must(svc.Pay(ctx, officer.Key("pay-2"), a.ID, pounds("100"), "BACS 002"))
	fmt.Println(a.Status, "paid", grants.Pounds(a.Paid), "unpaid", grants.Pounds(a.Unpaid()))

	// The audit trail is personal data: the officer (or the applicant)
	// reads it as themself.
	history, err := svc.History(ctx, officer, a.ID)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range history {
		line := fmt.Sprintf("%-8s %-22s %s → %s", e.Actor, e.Action, e.From, e.To)
		if !e.Amount.IsZero() {
			line += " " + grants.Pounds(e.Amount)
		}
		fmt.Println(line)
	}
	// Output:
	// amount           true: £240.00 is within £50.00 to £250.00
	// applicant-type   true: a unconstituted-group may apply
	// new-idea         true: a new idea, not funded before
	// no-running-costs true: no ongoing running costs
	// exclusions       true: no excluded purposes
	// supporters       true: 3 supporters pledge at least 1h each
	// match            true: match of £240.00 reaches the £240.00 needed
	// priorities       true: addresses the priority "bring neighbours together"
	// awarded paid £140.00 unpaid £100.00
	// paid paid £240.00 unpaid £0.00
	// jo       application.draft       → draft
	// jo       application.submit     draft → submitted
	// officer  application.check      submitted → eligibility-checked
	// officer  application.review     eligibility-checked → under-review
	// p1       application.score      under-review → under-review
	// officer  application.approve    under-review → approved
	// officer  application.award      approved → awarded £240.00
	// officer  application.pay        awarded → awarded £140.00
	// officer  application.pay        awarded → paid £100.00
}

// Rules are data: another council writes its fund's rules as JSON.
func ExampleParseRules() {
	rules, err := grants.ParseRules([]byte(`[
		{"kind": "amount", "max": "4000"},
		{"kind": "applicant-type", "types": ["charity", "company"]},
		{"kind": "any", "rules": [
			{"kind": "match", "hourlyRate": "12", "share": "0.5"},
			{"kind": "priorities", "priorities": ["warm spaces"]}
		]}
	]`))
	if err != nil {
		log.Fatal(err)
	}
	pounds := decimal.RequireFromString
	a := &grants.Application{Amount: pounds("3000"), Applicant: grants.Applicant{Type: grants.Charity},
		Priorities: []string{"warm spaces"}}
	e := grants.Evaluate(rules, a, grants.Env{Fund: &grants.Fund{MinAward: pounds("500")}})
	fmt.Println(e.Pass)
	for _, c := range e.Checks {
		fmt.Printf("%s: %s\n", c.Rule, c.Reason)
	}
	// Output:
	// true
	// amount: £3,000.00 is within £500.00 to £4,000.00
	// applicant-type: a charity may apply
	// any: addresses the priority "warm spaces"
}

// The first administrator is appointed once; a second claim is refused,
// and every later role is granted by the admin.
func ExampleService_Bootstrap() {
	ctx := context.Background()
	svc := grants.NewService(memory.NewGrantsStore())
	if err := svc.Bootstrap(ctx, call.As("ada")); err != nil {
		log.Fatal(err)
	}
	err := svc.Bootstrap(ctx, call.As("bob"))
	fmt.Println(errors.Is(err, grants.ErrConflict))

	olu, err := svc.AddStaff(ctx, call.As("ada").Key("add-olu"), grants.NewStaff{ID: "olu", Name: "Olu", Roles: []grants.Role{grants.RoleOfficer}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(olu.ID, olu.Roles)
	_, err = svc.AddStaff(ctx, call.As("olu").Key("add-me"), grants.NewStaff{ID: "eve", Name: "Eve", Roles: []grants.Role{grants.RoleAdmin}})
	fmt.Println(errors.Is(err, grants.ErrForbidden))
	// Output:
	// true
	// olu [officer]
	// true
}

// An individual who applied asks to be forgotten. The officer erases
// them; the amounts and counts stay for the fund's report.
func ExampleService_EraseApplicant() {
	ctx := context.Background()
	now := time.Date(2014, time.June, 2, 9, 0, 0, 0, time.UTC)
	svc := grants.NewService(memory.NewGrantsStore(), grants.WithClock(func() time.Time { return now }),
		grants.WithIDs(func(prefix string, _ time.Time) string { return prefix + "-1" }))
	pounds := decimal.RequireFromString
	admin, officer, jo := call.As("admin"), call.As("officer"), call.As("user-4821")
	if err := svc.Bootstrap(ctx, admin); err != nil {
		log.Fatal(err)
	}
	if _, err := svc.AddStaff(ctx, admin.Key("officer"), grants.NewStaff{ID: "officer", Name: "Officer", Roles: []grants.Role{grants.RoleOfficer}}); err != nil {
		log.Fatal(err)
	}
	fund, err := svc.CreateFund(ctx, admin.Key("fund"), grants.NewFund{Name: "Small Sparks", FunderName: "Thurrock Council",
		FunderID: "GB-LAE-THR", Prefix: "a00thr", Budgets: []grants.Budget{{Year: 2014, Amount: pounds("10000")}},
		MinAward: pounds("50"), MaxAward: pounds("250")})
	if err != nil {
		log.Fatal(err)
	}
	round, err := svc.OpenRound(ctx, officer.Key("round"), grants.NewRound{Fund: fund.ID, Name: "Summer", Year: 2014,
		Opens: now, Closes: now.AddDate(0, 1, 0)})
	if err != nil {
		log.Fatal(err)
	}
	a, err := svc.Draft(ctx, jo.Key("form"), grants.NewApplication{Fund: fund.ID, Round: round.ID,
		Title: "Jo's bulbs for Elm Close", Description: "Call Jo on 01375 000111",
		Applicant: grants.Applicant{Type: grants.Individual, Name: "Jo Bloggs", ContactName: "Jo Bloggs", Email: "jo@example.org"},
		Amount:    pounds("80"), Supporters: []grants.Supporter{{Name: "Ann", Pledged: 120}}})
	if err != nil {
		log.Fatal(err)
	}

	n, err := svc.EraseApplicant(ctx, officer.Key("erase-jo"), jo.ID)
	if err != nil {
		log.Fatal(err)
	}
	a, err = svc.Application(ctx, officer, a.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, "erased")
	fmt.Printf("%q %q %q %q\n", a.Applicant.Name, a.Applicant.Email, a.Title, a.Supporters[0].Name)
	fmt.Println(a.Owner, grants.Pounds(a.Amount), a.PledgedMinutes(), "minutes")
	// Output:
	// 1 erased
	// "erased app-1" "" "(erased)" "(erased supporter 1)"
	// user-4821 £80.00 120 minutes
}

// A fund that lives on the money given to it: the Thurrock Community Fund
// has no budget of its own for 2014/15, so nothing can be awarded until
// its fund manager records the £1,500 a giving campaign raised. Then a
// £1,200 grant is awarded against it; a second application for £500 is
// over what is left, and so is reversing £400 of the income.
func ExampleService_RecordIncome() {
	ctx := context.Background()
	now := time.Date(2014, time.July, 1, 9, 0, 0, 0, time.UTC)
	svc := grants.NewService(memory.NewGrantsStore(), grants.WithClock(func() time.Time { return now }))
	pounds := decimal.RequireFromString
	admin, manager, officer := call.As("admin"), call.As("manager"), call.As("officer")
	check := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	check(svc.Bootstrap(ctx, admin))
	_, err := svc.AddStaff(ctx, admin.Key("s1"), grants.NewStaff{ID: "manager", Name: "Fund manager", Roles: []grants.Role{grants.RoleManager}})
	check(err)
	_, err = svc.AddStaff(ctx, admin.Key("s2"), grants.NewStaff{ID: "officer", Name: "Officer", Roles: []grants.Role{grants.RoleOfficer}})
	check(err)
	fund, err := svc.CreateFund(ctx, admin.Key("fund"), grants.NewFund{ID: "fund-tcf", Name: "Thurrock Community Fund",
		FunderName: "Thurrock Council", FunderID: "GB-LAE-THR", Prefix: "a00tcf",
		Budgets:  []grants.Budget{{Year: 2014, Amount: pounds("0")}},
		MinAward: pounds("100"), MaxAward: pounds("2000")})
	check(err)
	round, err := svc.OpenRound(ctx, officer.Key("round"), grants.NewRound{Fund: fund.ID, Name: "Summer 2014", Year: 2014,
		Opens: now, Closes: now.AddDate(0, 1, 0)})
	check(err)
	apply := func(who, title, amount string) *grants.Application {
		a, err := svc.Draft(ctx, call.As(who).Key("draft"), grants.NewApplication{Fund: fund.ID, Round: round.ID, Title: title,
			Description: "A project for the borough", Amount: pounds(amount),
			Applicant: grants.Applicant{Type: grants.Charity, Name: title + " Trust", OrgID: "360G-a00tcf-org-" + who, ContactName: "Sam", Email: "sam@example.org"}})
		check(err)
		for _, step := range []func(context.Context, call.Write, string) (*grants.Application, error){svc.Submit, svc.CheckEligibility, svc.StartReview} {
			actor := officer
			if a.Status == grants.Draft {
				actor = call.As(who)
			}
			a, err = step(ctx, actor.Key(title+string(a.Status)), a.ID)
			check(err)
		}
		return a
	}
	show := func() {
		t, err := svc.Totals(ctx, fund.ID, 2014)
		check(err)
		fmt.Println("budget", grants.Pounds(t.Budget), "income", grants.Pounds(t.Income), "committed", grants.Pounds(t.Committed), "available", grants.Pounds(t.Available()))
	}

	youth := apply("1", "Youth club", "1200")
	_, err = svc.Approve(ctx, officer.Key("approve-youth"), youth.ID, pounds("1200"), "meets the priorities")
	fmt.Println(errors.Is(err, grants.ErrOverBudget))

	_, err = svc.RecordIncome(ctx, manager.Key("income-1"), grants.NewIncome{Fund: fund.ID, Source: "Thurrock Giving: gifts",
		Ref: "giving/june", Amount: pounds("1500"), Received: now})
	check(err)
	show()
	youth, err = svc.Approve(ctx, officer.Key("approve-youth-2"), youth.ID, pounds("1200"), "meets the priorities")
	check(err)
	youth, err = svc.Award(ctx, officer.Key("award-youth"), youth.ID)
	check(err)
	fmt.Println(youth.Status, grants.Pounds(youth.Award))
	show()

	lunch := apply("2", "Lunch club", "500")
	_, err = svc.Approve(ctx, officer.Key("approve-lunch"), lunch.ID, pounds("500"), "meets the priorities")
	fmt.Println(errors.Is(err, grants.ErrOverBudget))
	_, err = svc.ReverseIncome(ctx, manager.Key("refund-1"), grants.NewIncome{Fund: fund.ID, Source: "Thurrock Giving: gifts",
		Ref: "giving/refund-1", Amount: pounds("400"), Received: now})
	fmt.Println(errors.Is(err, grants.ErrOverdrawn))

	r, err := svc.Report(ctx, fund.ID, 2014)
	check(err)
	fmt.Println("awarded", grants.Pounds(r.Awarded), "remaining", grants.Pounds(r.Remaining))
	// Output:
	// true
	// budget £0.00 income £1,500.00 committed £0.00 available £1,500.00
	// awarded £1,200.00
	// budget £0.00 income £1,500.00 committed £1,200.00 available £300.00
	// true
	// true
	// awarded £1,200.00 remaining £300.00
}
