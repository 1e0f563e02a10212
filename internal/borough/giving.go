package borough

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants/giving"
)

// GivingTotals are the figures a Local Giving campaign reports for one
// financial year: money raised (gifts, Gift Aid and match together), and
// the charities and groups its fund's grants reached and the people they
// reached.
type GivingTotals struct {
	Year      int
	Raised    decimal.Decimal
	Charities int
	People    int
	// Scale is how many times the seed's campaign these totals are (0 is
	// 1): GenerateGiving makes Scale times the donors, gifts and match,
	// Scale times as often.
	Scale int
}

// Times returns the totals of a campaign n times the size (n ≥ 1): n
// times the money raised, the charities funded and the people reached,
// with Scale n. Times(1) is t.
func (t GivingTotals) Times(n int) GivingTotals {
	n = max(n, 1)
	return GivingTotals{Year: t.Year, Raised: t.Raised.Mul(decimal.NewFromInt(int64(n))), Charities: t.Charities * n, People: t.People * n, Scale: max(t.Scale, 1) * n}
}

// KensingtonChelsea are the peer figures of seed 000: "the Kensington and
// Chelsea Foundation raised £312,233 in 2014/15 benefitting 57 local
// charities and 14,393 local people".
var KensingtonChelsea = GivingTotals{Year: 2014, Raised: decimal.NewFromInt(312_233), Charities: 57, People: 14_393}

// The staff GenerateGiving adds.
const (
	GivingAdmin   = "giving-admin"
	GivingOfficer = "giving-officer"
)

// GivingPriorities are the priorities GenerateGiving's campaign backs (seed
// 000's peers: Hackney Giving's employment and training and health and
// wellbeing, Love Kingston's poverty).
func GivingPriorities() []string {
	return []string{"Employment and training", "Health and wellbeing", "Poverty"}
}

// Funded is the grant monitoring GenerateGiving makes up for the campaign's
// fund: one grant per charity or group with the people it reached. It
// satisfies giving.Monitoring by adding them up.
type Funded struct {
	Fund   string
	Year   int
	Grants []FundedGrant
}

// FundedGrant is one grant's monitoring.
type FundedGrant struct {
	Group   string
	People  int
	Awarded decimal.Decimal
}

// Funded implements giving.Monitoring.
func (f *Funded) Funded(_ context.Context, fund string, year int) (giving.Funded, error) {
	out := giving.Funded{}
	if fund != f.Fund || year != f.Year {
		return out, nil
	}
	groups := map[string]bool{}
	for _, g := range f.Grants {
		groups[g.Group] = true
		out.People += g.People
		out.Awarded = out.Awarded.Add(g.Awarded)
	}
	out.Groups = len(groups)
	return out, nil
}

// GenerateGiving builds, through svc's public operations, a campaign whose
// year want.Year adds up to want (want.Scale times the seed's donors): residents' gifts of money (most under a
// Gift Aid declaration, some regular, some refunded, some small cash gifts
// under GASDS), businesses' gifts, a business's £1-for-£1 match paid as
// computed, Gift Aid claimed and paid, volunteers' time and talents; a
// last business gift brings the money raised to want.Raised. The amounts,
// names and dates are pseudo-random from seed; only the totals are fixed.
// It returns the campaign and the made-up grant monitoring of its fund
// (want.Charities groups reaching want.People people). set moves svc's
// clock forward.
func GenerateGiving(ctx context.Context, svc *giving.Service, set func(time.Time), want GivingTotals, seed uint64) (*giving.Campaign, *Funded, error) {
	rng := rand.New(rand.NewPCG(seed, 15))
	scale := max(want.Scale, 1)
	start := time.Date(want.Year, time.April, 1, 9, 0, 0, 0, time.UTC)
	now := start
	tick := func(d time.Duration) time.Time { now = now.Add(d); set(now); return now }
	tick(0)
	admin, officer := call.As(GivingAdmin), call.As(GivingOfficer)
	n := 0
	key := func(a call.Actor) call.Write { n++; return a.Key(fmt.Sprintf("gen-%d", n)) }
	if err := svc.Bootstrap(ctx, admin); err != nil {
		return nil, nil, err
	}
	if _, err := svc.AddStaff(ctx, key(admin), GivingOfficer, giving.RoleOfficer); err != nil {
		return nil, nil, err
	}
	var pr []giving.Priority
	for _, p := range GivingPriorities() {
		pr = append(pr, giving.Priority{Name: p, Agreed: start})
	}
	c, err := svc.CreateCampaign(ctx, key(admin), giving.NewCampaign{
		Name: "Thurrock Giving", Fund: "fund-thurrock-community", Priorities: pr,
		Champions: []giving.Champion{
			{Name: "Port employer", Organisation: true, Sector: giving.SectorBusiness},
			{Name: "Residents' association chair", Sector: giving.SectorCommunity},
			{Name: "TCVS", Organisation: true, Sector: giving.SectorCharity},
			{Name: "Thurrock Council", Organisation: true, Sector: giving.SectorPublic},
		},
		Target: giving.Target{Money: want.Raised.Mul(decimal.NewFromInt(12)).Div(decimal.NewFromInt(10)).Round(0), Volunteers: 500 * scale},
		Starts: start, Ends: time.Date(want.Year+1, time.March, 31, 23, 59, 59, 0, time.UTC),
	})
	if err != nil {
		return nil, nil, err
	}
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	firsts := []string{"Ann", "Bob", "Chidi", "Dawn", "Emeka", "Fatima", "Gary", "Hui", "Ines", "Jon"}
	lasts := []string{"Smith", "Okafor", "House-Martin", "Patel", "Jones", "Nowak", "Brown", "Ahmed", "Clarke", "Wood"}
	postcodes := []string{"RM17 6SL", "RM16 2XX", "SS17 0AB", "RM20 3LP", "RM18 7EH"}
	biz, err := svc.AddDonor(ctx, key(officer), giving.NewDonor{Campaign: c.ID, Kind: giving.Business, Last: "Port Logistics (generated) Ltd"})
	if err != nil {
		return nil, nil, err
	}
	m, err := svc.PledgeMatch(ctx, key(officer), giving.NewMatch{Campaign: c.ID, Donor: biz.ID, Ratio: decimal.NewFromInt(1),
		Cap: decimal.NewFromInt(25_000 * int64(scale)), From: start, To: start.AddDate(1, 0, 0)})
	if err != nil {
		return nil, nil, err
	}
	yearEnd := start.AddDate(1, 0, 0).Add(-24 * time.Hour)
	residents := 800 * scale
	for i := range residents {
		tick(5 * time.Hour / time.Duration(scale))
		d, err := svc.AddDonor(ctx, key(officer), giving.NewDonor{Campaign: c.ID, Kind: giving.Individual, Title: "Mx",
			First: pick(firsts), Last: pick(lasts), Address: giving.Address{House: fmt.Sprint(1 + rng.IntN(200)), Postcode: pick(postcodes)}})
		if err != nil {
			return nil, nil, err
		}
		declared := rng.IntN(10) < 7
		if declared {
			if _, err := svc.Declare(ctx, key(officer), giving.NewDeclaration{Donor: d.ID, Charity: "Thurrock Community Fund",
				Title: "Mx", First: d.First, Last: d.Last, Address: d.Address, Covers: giving.CoversFuture, Made: now,
				Asked: true, TaxTold: true}); err != nil {
				return nil, nil, err
			}
		}
		gifts := 1
		if rng.IntN(5) == 0 {
			gifts = 6 // a regular gift
		}
		prio := ""
		if rng.IntN(2) == 0 {
			prio = pick(GivingPriorities())
		}
		for k := range gifts {
			amount := decimal.NewFromInt(int64(5 + rng.IntN(120))).Add(decimal.New(int64(rng.IntN(100)), -2))
			at := now.Add(time.Duration(k) * 24 * time.Hour)
			if at.After(yearEnd) {
				at = yearEnd
			}
			g, err := svc.Give(ctx, key(officer), giving.NewGift{Campaign: c.ID, Donor: d.ID, Kind: giving.Money,
				Amount: amount, Received: at, GiftAid: declared, Priority: prio})
			if err != nil {
				return nil, nil, err
			}
			if i%97 == 0 && k == 0 {
				if _, err := svc.Refund(ctx, key(officer), g.ID, amount.Div(decimal.NewFromInt(2)).Round(2)); err != nil {
					return nil, nil, err
				}
			}
		}
		if !declared && rng.IntN(3) == 0 {
			if _, err := svc.Give(ctx, key(officer), giving.NewGift{Campaign: c.ID, Donor: d.ID, Kind: giving.Money,
				Amount: decimal.NewFromInt(int64(1 + rng.IntN(20))), Received: now, Small: true}); err != nil {
				return nil, nil, err
			}
		}
		switch {
		case i%3 == 0:
			g, err := svc.Give(ctx, key(officer), giving.NewGift{Campaign: c.ID, Donor: d.ID, Kind: giving.Time,
				Minutes: int64(60 * (2 + rng.IntN(40))), Priority: prio})
			if err != nil {
				return nil, nil, err
			}
			if rng.IntN(4) > 0 {
				if _, err := svc.Deliver(ctx, key(officer), g.ID, g.Minutes*int64(1+rng.IntN(4))/4); err != nil {
					return nil, nil, err
				}
			}
		case i%25 == 1:
			if _, err := svc.Give(ctx, key(officer), giving.NewGift{Campaign: c.ID, Donor: d.ID, Kind: giving.Talent,
				Minutes: int64(60 * (1 + rng.IntN(20))), Skill: pick([]string{"accountancy", "web design", "legal advice"}),
				Rate: decimal.NewFromInt(int64(30 + rng.IntN(60)))}); err != nil {
				return nil, nil, err
			}
		}
	}
	for i := range 20 * scale {
		b, err := svc.AddDonor(ctx, key(officer), giving.NewDonor{Campaign: c.ID, Kind: giving.Business, Last: fmt.Sprintf("Generated Business %02d Ltd", i)})
		if err != nil {
			return nil, nil, err
		}
		if _, err := svc.Give(ctx, key(officer), giving.NewGift{Campaign: c.ID, Donor: b.ID, Kind: giving.Money,
			Amount: decimal.NewFromInt(int64(500 + rng.IntN(3000))), Received: tick(time.Hour / time.Duration(scale)), Priority: pick(append(GivingPriorities(), ""))}); err != nil {
			return nil, nil, err
		}
	}
	tick(24 * time.Hour)
	due, _, err := svc.MatchDue(ctx, m.ID)
	if err != nil {
		return nil, nil, err
	}
	if _, err := svc.ReceiveMatch(ctx, key(officer), m.ID, due, now); err != nil {
		return nil, nil, err
	}
	claims, err := svc.MakeClaim(ctx, key(officer), c.ID, "Thurrock Community Fund", now, true)
	if err != nil {
		return nil, nil, err
	}
	tick(48 * time.Hour)
	for _, cl := range claims {
		if _, err := svc.ClaimPaid(ctx, key(officer), cl.ID, now); err != nil {
			return nil, nil, err
		}
	}
	r, err := svc.Report(ctx, c.ID, want.Year)
	if err != nil {
		return nil, nil, err
	}
	rest := want.Raised.Sub(r.Raised)
	if !rest.IsPositive() {
		return nil, nil, fmt.Errorf("borough: generated gifts raise %s, more than the %s wanted", r.Raised, want.Raised)
	}
	if _, err := svc.Give(ctx, key(officer), giving.NewGift{Campaign: c.ID, Donor: biz.ID, Kind: giving.Money,
		Amount: rest, Received: tick(time.Hour)}); err != nil {
		return nil, nil, err
	}
	f := &Funded{Fund: c.Fund, Year: want.Year}
	left := want.People
	for i := range want.Charities {
		p := left / (want.Charities - i)
		if i < want.Charities-1 {
			p = p/2 + rng.IntN(p+1)
		}
		left -= p
		f.Grants = append(f.Grants, FundedGrant{Group: fmt.Sprintf("Generated group %02d", i+1), People: p,
			Awarded: decimal.NewFromInt(int64(1000 + rng.IntN(4000)))})
	}
	return c, f, nil
}
