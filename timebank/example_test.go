package timebank_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/timebank"
)

// Opening a bank and adding members. The council's first time bank
// administrator is appointed once, with Bootstrap; every write then names
// who sends it and carries that caller's idempotency key, so a retried
// request is safe.
func ExampleService_Join() {
	ctx := context.Background()
	n := 0
	svc := timebank.NewService(memory.NewTimebankStore(),
		timebank.WithIDs(func(prefix string, _ time.Time) string { n++; return fmt.Sprintf("%s%d", prefix, n) }))

	officer := call.As("officer-7")
	if err := svc.Bootstrap(ctx, officer); err != nil {
		log.Fatal(err)
	}
	bank, coord, err := svc.OpenBank(ctx, officer.Key("open-1"), timebank.NewBank{
		Name:        "Thurrock Time Bank",
		MinBalance:  -10 * timebank.MinutesPerCredit, // members may owe up to 10 hours
		Coordinator: timebank.NewMember{Name: "Cath", Email: "cath@example.org"},
	})
	if err != nil {
		log.Fatal(err)
	}
	cath := call.As(coord.ID)
	ann, err := svc.Join(ctx, cath.Key("join-1"), timebank.NewMember{Bank: bank.ID, Name: "Ann"})
	if err != nil {
		log.Fatal(err)
	}
	hub, err := svc.Join(ctx, cath.Key("join-2"), timebank.NewMember{Bank: bank.ID, Name: "Chadwell St Mary Hub", Kind: timebank.Organisation})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bank.Name, "rounds to", bank.Rounding, "minutes")
	fmt.Println(ann.ID, ann.Kind, ann.Status)
	fmt.Println(hub.ID, hub.Kind)

	// A bad request names the field and the reason, and writes nothing.
	_, err = svc.Join(ctx, cath.Key("join-3"), timebank.NewMember{Bank: bank.ID, Name: "Bob", Email: "bob at home"})
	fmt.Println(err)
	// A member may not add members: only a coordinator may.
	_, err = svc.Join(ctx, call.As(ann.ID).Key("join-1"), timebank.NewMember{Bank: bank.ID, Name: "Eve"})
	fmt.Println(errors.Is(err, timebank.ErrForbidden))
	// Output:
	// Thurrock Time Bank rounds to 15 minutes
	// mem3 individual active
	// mem4 organisation
	// join: timebank: invalid: Email: is not an email address
	// true
}

// An exchange needs both parties' confirmation (in a bank using
// ConfirmBoth): it holds nothing until then, and is then paid from the
// receiver's account to the giver's, one hour being one Time Credit
// whatever the skill.
func ExampleService_Confirm() {
	ctx := context.Background()
	svc := timebank.NewService(memory.NewTimebankStore())
	officer := call.As("officer")
	if err := svc.Bootstrap(ctx, officer); err != nil {
		log.Fatal(err)
	}
	bank, coord, err := svc.OpenBank(ctx, officer.Key("open"), timebank.NewBank{Name: "Thurrock Time Bank", MinBalance: -600, Coordinator: timebank.NewMember{Name: "Cath"}})
	if err != nil {
		log.Fatal(err)
	}
	cath := call.As(coord.ID)
	ann, err := svc.Join(ctx, cath.Key("ann"), timebank.NewMember{Bank: bank.ID, Name: "Ann"})
	if err != nil {
		log.Fatal(err)
	}
	bob, err := svc.Join(ctx, cath.Key("bob"), timebank.NewMember{Bank: bank.ID, Name: "Bob"})
	if err != nil {
		log.Fatal(err)
	}
	asAnn, asBob := call.As(ann.ID), call.As(bob.ID)

	x, err := svc.RecordExchange(ctx, asAnn.Key("x-1"), timebank.NewExchange{
		Giver: ann.ID, Receiver: bob.ID, Minutes: 90, Category: "gardening", Description: "cleared the back garden",
	})
	if err != nil {
		log.Fatal(err)
	}
	balance, err := svc.Balance(ctx, asAnn, ann.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(x.Status, "- Ann holds", balance, "minutes")

	x, err = svc.Confirm(ctx, asBob.Key("x-1"), x.ID)
	if err != nil {
		log.Fatal(err)
	}
	annHas, err := svc.Balance(ctx, asAnn, ann.ID)
	if err != nil {
		log.Fatal(err)
	}
	bobHas, err := svc.Balance(ctx, asBob, bob.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(x.Status, "- Ann holds", timebank.Hours(annHas), "credits, Bob", timebank.Hours(bobHas))

	// Bob's retry of the same request returns the first result.
	again, err := svc.Confirm(ctx, asBob.Key("x-1"), x.ID)
	fmt.Println(again.Status, err)
	// Someone who is no party to it is refused before anything else.
	_, err = svc.Confirm(ctx, call.As("stranger").Key("x-1"), x.ID)
	fmt.Println(errors.Is(err, timebank.ErrForbidden))
	// Output:
	// pending - Ann holds 0 minutes
	// confirmed - Ann holds 1.5 credits, Bob -1.5
	// confirmed <nil>
	// true
}

// Members give credits to the community pot; a coordinator grants from it
// to someone who has none, so they can get help too. A member reads their
// own statement; it is written here as CSV.
func ExampleService_Grant() {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	n := 0
	svc := timebank.NewService(memory.NewTimebankStore(),
		timebank.WithClock(func() time.Time { now = now.Add(time.Minute); return now }),
		timebank.WithIDs(func(prefix string, _ time.Time) string { n++; return fmt.Sprintf("%s%d", prefix, n) }))
	officer := call.As("officer")
	if err := svc.Bootstrap(ctx, officer); err != nil {
		log.Fatal(err)
	}
	bank, coord, err := svc.OpenBank(ctx, officer.Key("open"), timebank.NewBank{Name: "Thurrock Time Bank", Coordinator: timebank.NewMember{Name: "Cath"}})
	if err != nil {
		log.Fatal(err)
	}
	cath := call.As(coord.ID)
	join := func(key, name string, kind timebank.Kind) *timebank.Member {
		m, err := svc.Join(ctx, cath.Key(key), timebank.NewMember{Bank: bank.ID, Name: name, Kind: kind})
		if err != nil {
			log.Fatal(err)
		}
		return m
	}
	hub := join("hub", "South Ockendon Centre", timebank.Organisation)
	ann := join("ann", "Ann", timebank.Individual)
	dot := join("dot", "Dot", timebank.Individual)

	// Ann earns 3 credits for volunteering the hub certifies, and gives 2 to the pot.
	if _, err := svc.Issue(ctx, call.As(hub.ID).Key("issue-1"), timebank.Issue{Member: ann.ID, Minutes: 180, Certifier: hub.ID, Description: "reception shifts"}); err != nil {
		log.Fatal(err)
	}
	if _, err := svc.Donate(ctx, call.As(ann.ID).Key("donate-1"), ann.ID, 120); err != nil {
		log.Fatal(err)
	}
	// Dot has no credits; the coordinator grants her an hour for a lift.
	if _, err := svc.Grant(ctx, cath.Key("grant-1"), dot.ID, 60, "lift to the surgery"); err != nil {
		log.Fatal(err)
	}
	for _, acct := range []string{ann.ID, dot.ID, bank.PotAccount(), bank.IssuingAccount()} {
		b, err := svc.Balance(ctx, cath, acct)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-14s %4d minutes\n", acct, b)
	}
	if err := svc.ExportStatement(ctx, call.As(ann.ID), os.Stdout, ann.ID, time.Time{}, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		log.Fatal(err)
	}
	// Output:
	// mem4             60 minutes
	// mem5             60 minutes
	// bank1/pot        60 minutes
	// bank1/issuing  -180 minutes
	// date,transfer,kind,memo,minutes,hours,balance_minutes,balance_hours
	// ,,opening,,,,0,0
	// 2026-03-02T10:06:00Z,tr6,issue,reception shifts,180,3,180,3
	// 2026-03-02T10:07:00Z,tr7,donation,donation to the community pot,-120,-2,60,1
	// 2026-04-01T00:00:00Z,,closing,,,,60,1
}

// A report counts a bank's activity over a period, with its Mini Time
// Banks rolled up: the figures the partnership publishes. It returns only
// aggregates, so it names no caller.
func ExampleService_Report() {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	svc := timebank.NewService(memory.NewTimebankStore(),
		timebank.WithClock(func() time.Time { now = now.Add(time.Minute); return now }))
	must := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	officer := call.As("officer")
	must(svc.Bootstrap(ctx, officer))
	bank, coord, err := svc.OpenBank(ctx, officer.Key("open"), timebank.NewBank{Name: "Thurrock Time Bank", MinBalance: -600, Confirmation: timebank.ConfirmCoordinator, Coordinator: timebank.NewMember{Name: "Cath"}})
	must(err)
	cath := call.As(coord.ID)
	hub, err := svc.Join(ctx, cath.Key("hub"), timebank.NewMember{Bank: bank.ID, Name: "Tilbury Hub", Kind: timebank.Organisation})
	must(err)
	mini, hana, err := svc.OpenMiniBank(ctx, call.As(hub.ID).Key("mini"), timebank.NewMiniBank{Parent: bank.ID, Organisation: hub.ID,
		NewBank: timebank.NewBank{Name: "Tilbury Hub Time Bank", Coordinator: timebank.NewMember{Name: "Hana"}}})
	must(err)
	ann, err := svc.Join(ctx, cath.Key("ann"), timebank.NewMember{Bank: bank.ID, Name: "Ann"})
	must(err)
	dan, err := svc.Join(ctx, call.As(hana.ID).Key("dan"), timebank.NewMember{Bank: mini.ID, Name: "Dan"})
	must(err)
	_, err = svc.RecordExchange(ctx, cath.Key("x1"), timebank.NewExchange{Giver: ann.ID, Receiver: dan.ID, Minutes: 120, Category: "gardening"})
	must(err)
	x2, err := svc.RecordExchange(ctx, call.As(hana.ID).Key("x2"), timebank.NewExchange{Giver: dan.ID, Receiver: hub.ID, Minutes: 45, Category: "events"})
	must(err)
	_, err = svc.Confirm(ctx, cath.Key("x2-ok"), x2.ID) // the hub pays, so its bank's coordinator approves
	must(err)
	_, err = svc.RecordExchange(ctx, call.As(ann.ID).Key("x3"), timebank.NewExchange{Giver: ann.ID, Receiver: hub.ID, Minutes: 60}) // pending: not counted
	must(err)

	r, err := svc.Report(ctx, bank.ID, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
	must(err)
	fmt.Println("hours exchanged:", r.Hours())
	fmt.Println("transactions:", r.Exchanges)
	fmt.Println("individual members:", r.Individuals)
	fmt.Println("organisations:", r.Organisations)
	for _, c := range r.ByCategory() {
		fmt.Printf("  %s: %s h\n", c.Category, timebank.Hours(c.Minutes))
	}
	// Output:
	// hours exchanged: 2.75
	// transactions: 2
	// individual members: 4
	// organisations: 1
	//   gardening: 2 h
	//   events: 0.75 h
}

// Erasing a member on their request: their name and contact details go,
// from their record and from every text that held them, while the ledger
// stays whole.
func ExampleService_Erase() {
	ctx := context.Background()
	svc := timebank.NewService(memory.NewTimebankStore())
	officer := call.As("officer")
	if err := svc.Bootstrap(ctx, officer); err != nil {
		log.Fatal(err)
	}
	bank, coord, err := svc.OpenBank(ctx, officer.Key("open"), timebank.NewBank{Name: "Grays Time Bank", MinBalance: -600, Coordinator: timebank.NewMember{Name: "Cath"}})
	if err != nil {
		log.Fatal(err)
	}
	cath := call.As(coord.ID)
	ann, err := svc.Join(ctx, cath.Key("ann"), timebank.NewMember{Bank: bank.ID, Name: "Ann Example", Email: "ann@example.org"})
	if err != nil {
		log.Fatal(err)
	}
	x, err := svc.RecordExchange(ctx, cath.Key("x1"), timebank.NewExchange{Giver: coord.ID, Receiver: ann.ID, Minutes: 60,
		Description: "Weeded Ann Example's garden"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := svc.Confirm(ctx, call.As(ann.ID).Key("x1"), x.ID); err != nil {
		log.Fatal(err)
	}
	if _, err := svc.Erase(ctx, cath.Key("erase-ann"), ann.ID); err != nil {
		log.Fatal(err)
	}
	m, err := svc.Member(ctx, cath, ann.ID)
	if err != nil {
		log.Fatal(err)
	}
	x, err = svc.Exchange(ctx, cath, x.ID)
	if err != nil {
		log.Fatal(err)
	}
	balance, err := svc.Balance(ctx, cath, ann.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Name == "Former member "+ann.ID, m.Email == "", m.Status)
	fmt.Println(x.Description == "Weeded Former member "+ann.ID+"'s garden", balance)
	// Output:
	// true true left
	// true -60
}

// Bringing in the history of an earlier system: a coordinator imports a
// CSV file of exchanges, members named by id or email. The file is checked
// whole; one bad row and nothing is written.
func ExampleService_ImportExchanges() {
	ctx := context.Background()
	svc := timebank.NewService(memory.NewTimebankStore())
	officer := call.As("officer")
	if err := svc.Bootstrap(ctx, officer); err != nil {
		log.Fatal(err)
	}
	bank, coord, err := svc.OpenBank(ctx, officer.Key("open"), timebank.NewBank{Name: "Tilbury Time Bank", MinBalance: -600, Coordinator: timebank.NewMember{Name: "Cath"}})
	if err != nil {
		log.Fatal(err)
	}
	cath := call.As(coord.ID)
	joined := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, email := range []string{"gill@example.org", "hal@example.org"} {
		if _, err := svc.Join(ctx, cath.Key(fmt.Sprint("join-", i)), timebank.NewMember{Bank: bank.ID, Name: email[:3], Email: email, JoinedAt: joined}); err != nil {
			log.Fatal(err)
		}
	}
	file := "date,giver,receiver,hours,category,description\n" +
		"2025-03-01,gill@example.org,hal@example.org,1.5,gardening,weeding\n" +
		"2025-03-08,hal@example.org,gill@example.org,0.5,lifts,to the shops\n"
	res, err := svc.ImportExchanges(ctx, cath.Key("import-2025-03"), bank.ID, strings.NewReader(file))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Exchanges, "exchanges,", timebank.Hours(res.Minutes), "hours")

	bad := "date,giver,receiver,hours\n2025-03-09,gill@example.org,nobody@example.org,1\n"
	_, err = svc.ImportExchanges(ctx, cath.Key("import-bad"), bank.ID, strings.NewReader(bad))
	var ie *timebank.ImportError
	if errors.As(err, &ie) {
		for _, r := range ie.Rows {
			fmt.Println(r)
		}
	}
	// Output:
	// 2 exchanges, 2 hours
	// line 2: receiver: no member of this time bank network has that id or email address
}

// The time bank's column of the partnership's ward matrix: members of
// the bank at some time in the period, by the ward they name.
func ExampleService_WardCounts() {
	ctx := context.Background()
	now := time.Date(2015, 6, 1, 9, 0, 0, 0, time.UTC)
	svc := timebank.NewService(memory.NewTimebankStore(), timebank.WithClock(func() time.Time { return now }))
	officer := call.As("officer-7")
	if err := svc.Bootstrap(ctx, officer); err != nil {
		log.Fatal(err)
	}
	bank, coord, err := svc.OpenBank(ctx, officer.Key("open-1"), timebank.NewBank{Name: "Thurrock Time Bank",
		Coordinator: timebank.NewMember{Name: "Cath", Ward: "Grays Riverside", JoinedAt: time.Date(2014, 11, 1, 0, 0, 0, 0, time.UTC)}})
	if err != nil {
		log.Fatal(err)
	}
	cath := call.As(coord.ID)
	for i, m := range []timebank.NewMember{
		{Name: "Ann", Ward: "Tilbury St Chads"},
		{Name: "Chadwell St Mary Hub", Kind: timebank.Organisation, Ward: "Chadwell St Mary"},
		{Name: "Bob"}, // names no ward
	} {
		m.Bank, m.JoinedAt = bank.ID, time.Date(2015, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC)
		if _, err := svc.Join(ctx, cath.Key(fmt.Sprint("join-", i)), m); err != nil {
			log.Fatal(err)
		}
	}
	counts, err := svc.WardCounts(ctx, bank.ID, time.Date(2014, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2015, 4, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range []string{"Chadwell St Mary", "Grays Riverside", "Tilbury St Chads"} {
		fmt.Println(w, counts[w])
	}
	// Output:
	// Chadwell St Mary 1
	// Grays Riverside 1
	// Tilbury St Chads 1
}
