package borough

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/timebank"
)

// The period of the seed's "Time Bank – where we are now" figures:
// November 2014 to April 2016, as [TimebankFrom, TimebankTo).
var (
	TimebankFrom = time.Date(2014, 11, 1, 0, 0, 0, 0, time.UTC)
	TimebankTo   = time.Date(2016, 5, 1, 0, 0, 0, 0, time.UTC)
)

// TimebankTotals are the figures a time bank reports for a period.
type TimebankTotals struct {
	Hours         int64 // hours exchanged in confirmed exchanges
	Individuals   int   // individual members
	Transactions  int   // confirmed exchanges
	Organisations int   // organisation members
}

// ThurrockTimebank are the seed's figures for November 2014 to April 2016.
var ThurrockTimebank = TimebankTotals{Hours: 10970, Individuals: 206, Transactions: 474, Organisations: 42}

// Times returns the totals of a time bank n times the size (n ≥ 1): n
// times the hours, members and exchanges. Times(1) is t.
func (t TimebankTotals) Times(n int) TimebankTotals {
	n = max(n, 1)
	return TimebankTotals{Hours: t.Hours * int64(n), Individuals: t.Individuals * n, Transactions: t.Transactions * n, Organisations: t.Organisations * n}
}

// GenerateTimebank builds, through svc's public operations, a borough time bank
// whose activity over [from, to) adds up to want, and returns it with its
// coordinator. Around it
// goes activity that a correct report must leave out: members who left
// before the period or joined after it, exchanges after it, and exchanges
// in it that are pending, voided or reversed. The data is pseudo-random
// from seed; only the totals are fixed.
//
// set moves svc's clock: every operation happens at its own historical
// time, so balances at past times are right too. The bank's coordinator is
// one of the individuals. officer opens the bank: an administrator of svc's
// store, or, if the store has none yet, made its first (Bootstrap).
func GenerateTimebank(ctx context.Context, svc *timebank.Service, set func(time.Time), officer call.Actor, from, to time.Time, want TimebankTotals, seed uint64) (*timebank.Bank, *timebank.Member, error) {
	g := &seedGen{ctx: ctx, svc: svc, set: set, rnd: rand.New(rand.NewPCG(seed, seed^0x5eed)), balance: map[string]int64{}}
	set(from.AddDate(0, -3, 0))
	if err := svc.Bootstrap(ctx, officer); err != nil && !errors.Is(err, timebank.ErrConflict) {
		return nil, nil, fmt.Errorf("generate: %w", err)
	}
	bank, coord, err := svc.OpenBank(ctx, officer.Key(g.key()), timebank.NewBank{
		Name: "Thurrock Time Bank", MinBalance: -600, Confirmation: timebank.ConfirmCoordinator,
		Coordinator: timebank.NewMember{Name: "Coordinator"},
	})
	if err != nil {
		return nil, nil, fmt.Errorf("generate: %w", err)
	}
	g.bank, g.coord = bank, coord.ID
	span := to.Sub(from)
	at := func(lo, hi float64) time.Time { // a time between fractions lo and hi of the period
		return from.Add(time.Duration((lo + g.rnd.Float64()*(hi-lo)) * float64(span))).Truncate(time.Minute)
	}

	// Who joins when. Individuals: want-1 in the period (the coordinator
	// is one), 4 who leave before it, 10 who join after it.
	var plan []seedStep
	for i := 0; i < want.Individuals-1; i++ {
		when := at(0, 0.6)
		if i < 10 {
			when = from.Add(time.Duration(i+1) * time.Hour)
		}
		plan = append(plan, seedStep{at: when, join: &timebank.NewMember{Name: fmt.Sprintf("Person %d", i)}})
	}
	for i := 0; i < want.Organisations; i++ {
		when := at(0, 0.3)
		if i < 3 {
			when = from.Add(time.Duration(i+1) * time.Minute)
		}
		plan = append(plan, seedStep{at: when, join: &timebank.NewMember{Name: fmt.Sprintf("Organisation %d", i), Kind: timebank.Organisation, MinBalance: int64p(-60_000_000)}})
	}
	for i := 0; i < 4; i++ {
		plan = append(plan, seedStep{at: from.AddDate(0, -2, i), join: &timebank.NewMember{Name: fmt.Sprintf("Leaver %d", i)}, leaveAt: from.AddDate(0, 0, -7+i)})
	}
	for i := 0; i < 10; i++ {
		plan = append(plan, seedStep{at: to.AddDate(0, 1, i), join: &timebank.NewMember{Name: fmt.Sprintf("Newcomer %d", i)}})
	}
	for i := 0; i < 3; i++ {
		plan = append(plan, seedStep{at: to.AddDate(0, 1, i), join: &timebank.NewMember{Name: fmt.Sprintf("New organisation %d", i), Kind: timebank.Organisation}})
	}

	// The counted exchanges: want.Hours in quarter hours, at least one
	// each; 60% between people (15 minutes to 3 hours), the rest people
	// volunteering for an organisation, which take what is left.
	units := want.Hours * 4
	n := want.Transactions
	small := n * 6 / 10
	sizes := make([]int64, n)
	var used int64
	for i := 0; i < small; i++ {
		sizes[i] = 1 + g.rnd.Int64N(12)
		used += sizes[i]
	}
	for i := small; i < n; i++ {
		sizes[i] = 1
		used++
	}
	if used > units {
		return nil, nil, fmt.Errorf("generate: %d hours are too few for %d transactions", want.Hours, n)
	}
	for left := units - used; left > 0; left-- {
		sizes[small+g.rnd.IntN(n-small)]++
	}
	for i, u := range sizes {
		plan = append(plan, seedStep{at: at(0.05, 1), minutes: u * 15, toOrg: i >= small})
	}
	// And those that must not count.
	for i := 0; i < 30; i++ {
		plan = append(plan, seedStep{at: at(0.05, 1), minutes: 60, spoil: 1 + i%3})
	}
	for i := 0; i < 15; i++ {
		plan = append(plan, seedStep{at: to.AddDate(0, 2, i), minutes: 120, toOrg: i%2 == 0})
	}
	sort.SliceStable(plan, func(i, j int) bool { return plan[i].at.Before(plan[j].at) })
	var leaves []seedStep
	for _, s := range plan {
		if err := g.do(s); err != nil {
			return nil, nil, err
		}
		if !s.leaveAt.IsZero() {
			leaves = append(leaves, seedStep{at: s.leaveAt, leaver: g.last})
		}
		for len(leaves) > 0 && !leaves[0].at.After(s.at) {
			if err := g.leave(leaves[0]); err != nil {
				return nil, nil, err
			}
			leaves = leaves[1:]
		}
	}
	return bank, coord, nil
}

// seedStep is one thing that happens in generated history.
type seedStep struct {
	at      time.Time
	join    *timebank.NewMember
	leaveAt time.Time
	leaver  string
	minutes int64
	toOrg   bool
	spoil   int // an exchange that must not count: 1 pending, 2 voided, 3 reversed
}

type seedGen struct {
	ctx     context.Context
	svc     *timebank.Service
	set     func(time.Time)
	rnd     *rand.Rand
	bank    *timebank.Bank
	coord   string
	n       int
	people  []string
	orgs    []string
	balance map[string]int64
	last    string
}

func (g *seedGen) key() string { g.n++; return fmt.Sprintf("seed-%d", g.n) }

// as is a write by actor under a fresh key.
func (g *seedGen) as(actor string) call.Write { return call.As(actor).Key(g.key()) }

func (g *seedGen) leave(s seedStep) error {
	g.set(s.at)
	_, err := g.svc.Leave(g.ctx, g.as(g.coord), s.leaver, "moved away")
	for i, p := range g.people {
		if p == s.leaver {
			g.people = append(g.people[:i], g.people[i+1:]...)
			break
		}
	}
	return err
}

func (g *seedGen) do(s seedStep) error {
	g.set(s.at)
	if s.join != nil {
		in := *s.join
		in.Bank = g.bank.ID
		if in.Ward == "" {
			// Members spread over the borough's wards in turn (a step of
			// 7 visits all 20), drawing nothing from rnd so every other
			// figure stays as it was.
			wards := Wards()
			in.Ward = wards[(len(g.people)+len(g.orgs))*7%len(wards)]
		}
		m, err := g.svc.Join(g.ctx, g.as(g.coord), in)
		if err != nil {
			return fmt.Errorf("generate: join: %w", err)
		}
		g.last = m.ID
		if m.Kind == timebank.Organisation {
			g.orgs = append(g.orgs, m.ID)
		} else {
			g.people = append(g.people, m.ID)
		}
		return nil
	}
	giver := g.people[g.rnd.IntN(len(g.people))]
	receiver := ""
	if !s.toOrg {
		// A person who can afford it, or else an organisation.
		for try := 0; try < 20 && receiver == ""; try++ {
			p := g.people[g.rnd.IntN(len(g.people))]
			if p != giver && g.balance[p]-s.minutes >= g.bank.MinBalance {
				receiver = p
			}
		}
	}
	if receiver == "" {
		receiver = g.orgs[g.rnd.IntN(len(g.orgs))]
	}
	in := timebank.NewExchange{Giver: giver, Receiver: receiver, Minutes: s.minutes, Category: seedCategories[g.rnd.IntN(len(seedCategories))]}
	actor := g.coord
	if s.spoil == 1 || s.spoil == 2 {
		actor = giver // recorded by the giver: pending until the coordinator approves
	}
	x, err := g.svc.RecordExchange(g.ctx, g.as(actor), in)
	if err != nil {
		return fmt.Errorf("generate: exchange: %w", err)
	}
	switch {
	case s.spoil == 2:
		_, err = g.svc.Void(g.ctx, g.as(g.coord), x.ID, "recorded by mistake")
	case s.spoil == 3:
		_, err = g.svc.Reverse(g.ctx, g.as(g.coord), x.ID, "help was not given")
	case x.Status == timebank.Confirmed:
		g.balance[giver] += s.minutes
		g.balance[receiver] -= s.minutes
	}
	return err
}

var seedCategories = []string{"befriending", "gardening", "lifts", "shopping", "dog walking", "form filling", "computer help", "events", "cooking", "decorating"}

// int64p returns a pointer to v.
func int64p(v int64) *int64 { return &v }
