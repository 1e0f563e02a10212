package timebank_test

import (
	"context"
	"fmt"
	"time"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/timebank"
)

// newExampleService returns a Service over an in-memory store with a clock
// that starts on 2 March 2026 and ids that count up, so output is stable.
func newExampleService() *timebank.Service {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	n := 0
	return timebank.NewService(memory.NewTimebankStore(),
		timebank.WithClock(func() time.Time { now = now.Add(time.Minute); return now }),
		timebank.WithIDs(func(prefix string, _ time.Time) string { n++; return fmt.Sprintf("%s%d", prefix, n) }))
}

// Opening a bank and adding members. Every write names who does it (the
// actor) and carries an idempotency key, so a retried request is safe.
func ExampleService_Join() {
	ctx := context.Background()
	svc := newExampleService()
	bank, coord, err := svc.OpenBank(ctx, "open-1", "officer-7", timebank.NewBank{
		Name:        "Thurrock Time Bank",
		MinBalance:  -10 * timebank.MinutesPerCredit, // members may owe up to 10 hours
		Coordinator: timebank.NewMember{Name: "Cath", Email: "cath@example.org"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ann, err := svc.Join(ctx, "join-ann", coord.ID, timebank.NewMember{Bank: bank.ID, Name: "Ann"})
	if err != nil {
		fmt.Println(err)
		return
	}
	hub, _ := svc.Join(ctx, "join-hub", coord.ID, timebank.NewMember{Bank: bank.ID, Name: "Chadwell St Mary Hub", Kind: timebank.Organisation})
	fmt.Println(bank.Name, "rounds to", bank.Rounding, "minutes")
	fmt.Println(ann.ID, ann.Kind, ann.Status)
	fmt.Println(hub.ID, hub.Kind)

	// A bad request names the field and the reason, and writes nothing.
	_, err = svc.Join(ctx, "join-bad", coord.ID, timebank.NewMember{Bank: bank.ID, Name: "Bob", Email: "bob at home"})
	fmt.Println(err)
	// Output:
	// Thurrock Time Bank rounds to 15 minutes
	// mem3 individual active
	// mem4 organisation
	// join: timebank: invalid: Email: is not an email address
}

// An exchange needs both parties' confirmation (in a bank using
// ConfirmBoth): it holds nothing until then, and is then paid from the
// receiver's account to the giver's, one hour being one Time Credit
// whatever the skill.
func ExampleService_Confirm() {
	ctx := context.Background()
	svc := newExampleService()
	bank, coord, _ := svc.OpenBank(ctx, "open", "officer", timebank.NewBank{Name: "Thurrock Time Bank", MinBalance: -600, Coordinator: timebank.NewMember{Name: "Cath"}})
	ann, _ := svc.Join(ctx, "ann", coord.ID, timebank.NewMember{Bank: bank.ID, Name: "Ann"})
	bob, _ := svc.Join(ctx, "bob", coord.ID, timebank.NewMember{Bank: bank.ID, Name: "Bob"})

	x, _ := svc.RecordExchange(ctx, "x-1", ann.ID, timebank.NewExchange{
		Giver: ann.ID, Receiver: bob.ID, Minutes: 90, Category: "gardening", Description: "cleared the back garden",
	})
	balance, _ := svc.Balance(ctx, ann.ID)
	fmt.Println(x.Status, "- Ann holds", balance, "minutes")

	x, _ = svc.Confirm(ctx, "x-1-bob", bob.ID, x.ID)
	annHas, _ := svc.Balance(ctx, ann.ID)
	bobHas, _ := svc.Balance(ctx, bob.ID)
	fmt.Println(x.Status, "- Ann holds", timebank.Hours(annHas), "credits, Bob", timebank.Hours(bobHas))

	_, err := svc.Confirm(ctx, "x-1-bob-again", bob.ID, x.ID)
	fmt.Println(err)
	// Output:
	// pending - Ann holds 0 minutes
	// confirmed - Ann holds 1.5 credits, Bob -1.5
	// exchange.confirm exc5: timebank: invalid transition: Status: exchange exc5 is confirmed, not pending
}

// Members give credits to the community pot; a coordinator grants from it
// to someone who has none, so they can get help too.
func ExampleService_Grant() {
	ctx := context.Background()
	svc := newExampleService()
	bank, coord, _ := svc.OpenBank(ctx, "open", "officer", timebank.NewBank{Name: "Thurrock Time Bank", Coordinator: timebank.NewMember{Name: "Cath"}})
	hub, _ := svc.Join(ctx, "hub", coord.ID, timebank.NewMember{Bank: bank.ID, Name: "South Ockendon Centre", Kind: timebank.Organisation})
	ann, _ := svc.Join(ctx, "ann", coord.ID, timebank.NewMember{Bank: bank.ID, Name: "Ann"})
	dot, _ := svc.Join(ctx, "dot", coord.ID, timebank.NewMember{Bank: bank.ID, Name: "Dot"})

	// Ann earns 3 credits for volunteering the hub certifies, and gives 2 to the pot.
	if _, err := svc.Issue(ctx, "issue-1", hub.ID, timebank.Issue{Member: ann.ID, Minutes: 180, Certifier: hub.ID, Description: "reception shifts"}); err != nil {
		fmt.Println(err)
	}
	if _, err := svc.Donate(ctx, "donate-1", ann.ID, ann.ID, 120); err != nil {
		fmt.Println(err)
	}
	// Dot has no credits; the coordinator grants her an hour for a lift.
	if _, err := svc.Grant(ctx, "grant-1", coord.ID, dot.ID, 60, "lift to the surgery"); err != nil {
		fmt.Println(err)
	}
	for _, acct := range []string{ann.ID, dot.ID, bank.PotAccount(), bank.IssuingAccount()} {
		b, _ := svc.Balance(ctx, acct)
		fmt.Printf("%-14s %4d minutes\n", acct, b)
	}
	// Output:
	// mem4             60 minutes
	// mem5             60 minutes
	// bank1/pot        60 minutes
	// bank1/issuing  -180 minutes
}

// A report counts a bank's activity over a period, with its Mini Time
// Banks rolled up: the figures the partnership publishes.
func ExampleService_Report() {
	ctx := context.Background()
	svc := newExampleService()
	bank, coord, _ := svc.OpenBank(ctx, "open", "officer", timebank.NewBank{Name: "Thurrock Time Bank", MinBalance: -600, Confirmation: timebank.ConfirmCoordinator, Coordinator: timebank.NewMember{Name: "Cath"}})
	hub, _ := svc.Join(ctx, "hub", coord.ID, timebank.NewMember{Bank: bank.ID, Name: "Tilbury Hub", Kind: timebank.Organisation})
	mini, hana, _ := svc.OpenMiniBank(ctx, "mini", hub.ID, timebank.NewMiniBank{Parent: bank.ID, Organisation: hub.ID,
		NewBank: timebank.NewBank{Name: "Tilbury Hub Time Bank", Coordinator: timebank.NewMember{Name: "Hana"}}})
	ann, _ := svc.Join(ctx, "ann", coord.ID, timebank.NewMember{Bank: bank.ID, Name: "Ann"})
	dan, _ := svc.Join(ctx, "dan", hana.ID, timebank.NewMember{Bank: mini.ID, Name: "Dan"})
	svc.RecordExchange(ctx, "x1", coord.ID, timebank.NewExchange{Giver: ann.ID, Receiver: dan.ID, Minutes: 120, Category: "gardening"})
	x2, _ := svc.RecordExchange(ctx, "x2", hana.ID, timebank.NewExchange{Giver: dan.ID, Receiver: hub.ID, Minutes: 45, Category: "events"})
	svc.Confirm(ctx, "x2-ok", coord.ID, x2.ID)                                                                // the hub pays, so its bank's coordinator approves
	svc.RecordExchange(ctx, "x3", ann.ID, timebank.NewExchange{Giver: ann.ID, Receiver: hub.ID, Minutes: 60}) // pending: not counted

	r, _ := svc.Report(ctx, bank.ID, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
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
