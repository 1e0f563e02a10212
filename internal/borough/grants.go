package borough

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
)

// GrantTotals are the figures a fund reports for one financial year.
type GrantTotals struct {
	Year    int             // financial year (see grants.FinancialYear)
	Budget  decimal.Decimal // the fund's budget for the year
	Groups  int             // awards, each to a different group
	Awarded decimal.Decimal // money awarded, all of it paid
	// Scale is how many times the seed's fund these totals are (0 is
	// 1): GenerateGrants shortens the minutes between one application's
	// steps by it, so a round's applications still fit in the round.
	Scale int
}

// Times returns the totals of a fund n times the size (n ≥ 1): n times
// the budget, the groups and the money awarded, with Scale n. Times(1)
// is t.
func (t GrantTotals) Times(n int) GrantTotals {
	n = max(n, 1)
	m := decimal.NewFromInt(int64(n))
	return GrantTotals{Year: t.Year, Budget: t.Budget.Mul(m), Groups: t.Groups * n, Awarded: t.Awarded.Mul(m), Scale: max(t.Scale, 1) * n}
}

// SmallSparks are the seed's figures (document 000): "Established in 2014
// with a fund of £10,000; £6,480 awarded to date to 26 groups".
var SmallSparks = GrantTotals{Year: 2014, Budget: decimal.NewFromInt(10_000), Groups: 26, Awarded: decimal.NewFromInt(6_480)}

// The staff GenerateGrants adds: an admin (who creates the fund), an officer
// (who checks, approves, awards and pays) and three panel members.
const (
	GrantsAdmin   = "admin"
	GrantsOfficer = "officer"
)

// GrantsPanel are the panel members GenerateGrants adds.
var GrantsPanel = []string{"panel-1", "panel-2", "panel-3"}

// GrantsIneligible is how many applications GenerateGrants makes that fail the
// Small Sparks rules (one per rule they break), and GrantsWithdrawn and
// GrantsRefused how many it withdraws and the panel refuses. None of them
// counts as an award.
const (
	GrantsIneligible = 4
	GrantsWithdrawn  = 1
	GrantsRefused    = 1
)

// GenerateGrants builds, through svc's public operations, a Small Sparks fund
// whose year want.Year adds up to want: want.Groups applications from as
// many groups taken through the whole process (drafted, submitted, checked
// against the fund's rules, scored by the panel, approved, awarded and paid
// in full) whose awards sum to want.Awarded, within the fund's £50–£250
// range. Around them go applications that a correct report must not count
// as awards: GrantsIneligible that fail the rules, GrantsWithdrawn withdrawn
// by its applicant and GrantsRefused refused by the panel. The data — wards,
// priorities, amounts, supporters and their pledges, dates — is
// pseudo-random from seed; only the totals are fixed.
//
// set moves svc's clock, only ever forward: in each of the year's two
// rounds (summer and autumn) applications come in while it is open, and
// after it closes the officer checks them, the panel scores, the officer
// decides, awards and pays, so the audit trail reads as the year did.
// Staff ids are GrantsAdmin, GrantsOfficer and GrantsPanel.
func GenerateGrants(ctx context.Context, svc *grants.Service, set func(time.Time), want GrantTotals, seed uint64) (*grants.Fund, error) {
	g := &grantGen{ctx: ctx, svc: svc, set: set, rnd: rand.New(rand.NewPCG(seed, seed^0x5ba4c5)), scale: max(want.Scale, 1)}
	start := grants.YearStart(want.Year)
	set(start.AddDate(0, 1, 0))
	if err := svc.Bootstrap(ctx, call.As(GrantsAdmin)); err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	staff := []grants.NewStaff{{ID: GrantsOfficer, Name: "Grants officer", Roles: []grants.Role{grants.RoleOfficer}}}
	for i, p := range GrantsPanel {
		staff = append(staff, grants.NewStaff{ID: p, Name: fmt.Sprintf("Panel member %d", i+1), Roles: []grants.Role{grants.RolePanel}})
	}
	for _, s := range staff {
		if _, err := svc.AddStaff(ctx, g.as(GrantsAdmin), s); err != nil {
			return nil, fmt.Errorf("generate: %w", err)
		}
	}
	fund, err := svc.CreateFund(ctx, g.as(GrantsAdmin), grants.NewFund{
		Name: "Small Sparks", Description: "Matching funds for new one-off projects that bring neighbours together",
		FunderName: "Thurrock Council", FunderID: "GB-LAE-THR", Prefix: "a00thr",
		Budgets:  []grants.Budget{{Year: want.Year, Amount: want.Budget}},
		MinAward: decimal.NewFromInt(50), MaxAward: decimal.NewFromInt(250),
		Priorities: []string{"bring neighbours together", "improve the neighbourhood"},
		Criteria:   []string{"community benefit", "neighbour involvement"}, MaxScore: 5, Quorum: 2,
		Rules: grants.SmallSparksRules(),
	})
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	g.fund, g.rate = fund, grantHourlyRate(fund.Rules)

	amounts, err := grantSplit(g.rnd, want.Awarded, want.Groups, fund.MinAward, fund.MaxAward)
	if err != nil {
		return nil, err
	}
	// Two rounds; each application goes into one at random.
	rounds := make([]*grants.Round, 2)
	for i, r := range []struct {
		name  string
		month int
	}{{"Summer", 2}, {"Autumn", 6}} {
		opens := start.AddDate(0, r.month, 0)
		rounds[i], err = svc.OpenRound(ctx, g.as(GrantsOfficer), grants.NewRound{Fund: fund.ID, Year: want.Year,
			Name: fmt.Sprintf("%s %d", r.name, opens.Year()), Opens: opens, Closes: opens.AddDate(0, 1, 0).Add(-time.Second)})
		if err != nil {
			return nil, fmt.Errorf("generate: %w", err)
		}
	}
	// Every application: its round, when it is drafted, what becomes of it.
	kinds := make([]int, 0, want.Groups+GrantsIneligible+GrantsWithdrawn+GrantsRefused)
	for i := range want.Groups {
		kinds = append(kinds, i)
	}
	for i := range GrantsIneligible + GrantsWithdrawn + GrantsRefused {
		kinds = append(kinds, -1-i)
	}
	g.rnd.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	plans := make([]*grantPlan, len(kinds))
	for n, k := range kinds {
		round := g.rnd.IntN(len(rounds))
		amount := fund.MaxAward
		if k >= 0 {
			amount = amounts[k]
		}
		p := &grantPlan{kind: k, round: round, at: rounds[round].Opens.Add(time.Duration(g.rnd.IntN(26*24*60)) * time.Minute),
			form: g.form(rounds[round], n, amount)}
		if p.ineligible() {
			grantBreakRule(&p.form, -1-k)
		}
		p.owner = fmt.Sprintf("applicant-%d", n+1)
		plans[n] = p
	}
	sort.SliceStable(plans, func(i, j int) bool { return plans[i].at.Before(plans[j].at) })
	// Each round: applications come in while it is open; after it closes
	// the officer checks them, the panel scores, the officer decides,
	// awards and pays. The clock only moves forward.
	for ri, round := range rounds {
		var in []*grantPlan
		for _, p := range plans {
			if p.round == ri {
				in = append(in, p)
			}
		}
		if err := g.runRound(round, in); err != nil {
			return nil, fmt.Errorf("generate: %s: %w", round.Name, err)
		}
	}
	return svc.Fund(ctx, fund.ID)
}

// grantPlan is one generated application and what becomes of it.
type grantPlan struct {
	kind  int // ≥ 0: the award of amounts[kind]; < 0: one that does not count
	round int
	at    time.Time // when it is drafted
	form  grants.NewApplication
	owner string
	app   *grants.Application
}

func (p *grantPlan) awarded() bool    { return p.kind >= 0 }
func (p *grantPlan) ineligible() bool { return p.kind < 0 && p.kind >= -GrantsIneligible }
func (p *grantPlan) withdrawn() bool {
	return p.kind < -GrantsIneligible && p.kind >= -GrantsIneligible-GrantsWithdrawn
}
func (p *grantPlan) refused() bool { return p.kind < -GrantsIneligible-GrantsWithdrawn }

func (g *grantGen) runRound(round *grants.Round, in []*grantPlan) error {
	ctx, svc := g.ctx, g.svc
	var err error
	for _, p := range in {
		g.moveTo(p.at)
		if p.app, err = svc.Draft(ctx, g.as(p.owner), p.form); err != nil {
			return err
		}
		g.tick(600)
		if g.at.After(round.Closes) {
			return fmt.Errorf("%s would be submitted after the round closed", p.app.ID)
		}
		if p.app, err = svc.Submit(ctx, g.as(p.owner), p.app.ID); err != nil {
			return err
		}
	}
	g.jump(round.Closes, 1, 3)
	var review []*grantPlan
	for _, p := range in {
		g.tick(90)
		if p.withdrawn() {
			if _, err = svc.Withdraw(ctx, g.as(p.owner), p.app.ID, "the group found another funder"); err != nil {
				return err
			}
			continue
		}
		if p.app, err = svc.CheckEligibility(ctx, g.as(GrantsOfficer), p.app.ID); err != nil {
			return err
		}
		switch {
		case p.ineligible() && p.app.Status != grants.Declined:
			return fmt.Errorf("%s passed the rules it should fail", p.app.ID)
		case !p.ineligible() && p.app.Status != grants.EligibilityChecked:
			return fmt.Errorf("%s failed the rules: %v", p.app.ID, p.app.Eligibility.Failures())
		case !p.ineligible():
			g.tick(30)
			if p.app, err = svc.StartReview(ctx, g.as(GrantsOfficer), p.app.ID); err != nil {
				return err
			}
			review = append(review, p)
		}
	}
	// The panel scores over the next days, two members an application.
	g.jump(g.at, 1, 3)
	for _, p := range review {
		for _, m := range g.rnd.Perm(len(GrantsPanel))[:2] {
			g.tick(120)
			s := map[string]int{}
			for _, c := range g.fund.Criteria {
				s[c] = 3 + g.rnd.IntN(3)
				if p.refused() {
					s[c] = g.rnd.IntN(2)
				}
			}
			if p.app, err = svc.ScoreApplication(ctx, g.as(GrantsPanel[m]), p.app.ID, s, ""); err != nil {
				return err
			}
		}
	}
	// The officer decides, then awards, then pays.
	g.jump(g.at, 3, 7)
	for _, p := range review {
		g.tick(30)
		if p.refused() {
			_, err = svc.Decline(ctx, g.as(GrantsOfficer), p.app.ID, "the panel scored it too low")
		} else {
			p.app, err = svc.Approve(ctx, g.as(GrantsOfficer), p.app.ID, p.form.Amount, "meets the fund's priorities")
		}
		if err != nil {
			return err
		}
	}
	g.jump(g.at, 1, 3)
	for _, p := range review {
		if p.awarded() {
			g.tick(20)
			if p.app, err = svc.Award(ctx, g.as(GrantsOfficer), p.app.ID); err != nil {
				return err
			}
		}
	}
	g.jump(g.at, 5, 10)
	for _, p := range review {
		if p.awarded() {
			g.tick(20)
			if _, err = svc.Pay(ctx, g.as(GrantsOfficer), p.app.ID, p.app.Award, fmt.Sprintf("BACS %06d", g.rnd.IntN(1_000_000))); err != nil {
				return err
			}
		}
	}
	return nil
}

type grantGen struct {
	ctx  context.Context
	svc  *grants.Service
	set  func(time.Time)
	rnd  *rand.Rand
	fund *grants.Fund
	rate decimal.Decimal
	n    int
	at   time.Time
	// scale divides tick's longest step (GrantTotals.Scale).
	scale int
}

// as returns a write by actor under a new key.
func (g *grantGen) as(actor string) call.Write {
	g.n++
	return call.As(actor).Key(fmt.Sprintf("grants-seed-%d", g.n))
}

// moveTo moves the clock to t, unless it is past t already.
func (g *grantGen) moveTo(t time.Time) {
	if t.After(g.at) {
		g.at = t
	}
	g.set(g.at)
}

// tick moves the clock on by 1 to most minutes (most ÷ the scale, at
// least 1).
func (g *grantGen) tick(most int) {
	g.at = g.at.Add(time.Duration(1+g.rnd.IntN(max(most/g.scale, 1))) * time.Minute)
	g.set(g.at)
}

// jump moves the clock to 9am lo to hi days after from (or after now,
// if later).
func (g *grantGen) jump(from time.Time, lo, hi int) {
	if g.at.After(from) {
		from = g.at
	}
	d := from.AddDate(0, 0, lo+g.rnd.IntN(hi-lo+1))
	g.moveTo(time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, time.UTC))
}

// Thurrock's wards, where projects happen.
var grantWards = []string{"Aveley and Uplands", "Belhus", "Chadwell St Mary", "Chafford and North Stifford",
	"Corringham and Fobbing", "East Tilbury", "Grays Riverside", "Grays Thurrock", "Little Thurrock Blackshots",
	"Ockendon", "Orsett", "South Chafford", "Stanford East and Corringham Town", "Stifford Clays",
	"The Homesteads", "Tilbury Riverside and Thurrock Park", "Tilbury St Chads", "West Thurrock and South Stifford"}

var grantProjects = []struct{ title, item, purpose string }{
	{"Planters for the close", "planters and bulbs", "gardening"},
	{"Street party", "hire of tables and bunting", "community event"},
	{"Community litter pick", "litter pickers and bags", "environment"},
	{"Knit and natter group", "wool and needles", "social"},
	{"Allotment open day", "seeds and tools", "gardening"},
	{"Summer fun day", "games and face paints", "community event"},
	{"Pocket park benches", "bench kits", "environment"},
	{"Coffee morning for carers", "urn and refreshments", "social"},
	{"Mural on the underpass", "paint and brushes", "arts"},
	{"Walking football kit", "balls and bibs", "sport"},
	{"Lunch club start-up", "kitchen equipment", "food"},
	{"Bird boxes for the green", "timber and fixings", "environment"},
}

var grantPlaces = []string{"Riverview", "Oak Road", "Stifford", "Dock Road", "Chafford Hundred", "Thames Park",
	"Linford", "Blackshots", "Orsett Heath", "Purfleet", "Socketts Heath", "Lodge Lane", "Tilbury Fort"}

// form is an eligible Small Sparks application n for amount: a new idea
// from a group of its own, with neighbours pledging enough time to match
// the grant at the fund's hourly rate.
func (g *grantGen) form(round *grants.Round, n int, amount decimal.Decimal) grants.NewApplication {
	p := grantProjects[g.rnd.IntN(len(grantProjects))]
	place := grantPlaces[g.rnd.IntN(len(grantPlaces))]
	title := fmt.Sprintf("%s, %s (%d)", p.title, place, n+1)
	app := grants.Applicant{Type: grants.UnconstitutedGroup, Name: fmt.Sprintf("%s neighbours %d", place, n+1),
		ContactName: fmt.Sprintf("Contact %d", n+1), Email: fmt.Sprintf("group%d@example.org", n+1)}
	if g.rnd.IntN(5) == 0 {
		app.Type, app.Name = grants.Charity, fmt.Sprintf("%s Community Trust %d", place, n+1)
		// A funder-assigned 360Giving identifier, never a register's number
		// that could name a real charity.
		app.OrgID = fmt.Sprintf("360G-%s-org-%d", g.fund.Prefix, n+1)
	}
	prios := g.fund.Priorities
	// Supporters: three to five neighbours pledging whole hours, topped up
	// until their time, at the fund's rate, matches the grant.
	sup := make([]grants.Supporter, 3+g.rnd.IntN(3))
	var hours int64
	for i := range sup {
		sup[i] = grants.Supporter{Name: fmt.Sprintf("Neighbour %d", i+1), Pledged: int64(2+g.rnd.IntN(6)) * 60}
		hours += sup[i].Pledged / 60
	}
	for g.rate.IsPositive() && g.rate.Mul(decimal.NewFromInt(hours)).LessThan(amount) {
		sup[g.rnd.IntN(len(sup))].Pledged += 60
		hours++
	}
	start := round.Closes.AddDate(0, 1, 0)
	end := start.AddDate(0, 1+g.rnd.IntN(3), 0)
	return grants.NewApplication{
		Fund: g.fund.ID, Round: round.ID, Title: title,
		Description: fmt.Sprintf("A new one-off project by neighbours in %s: %s.", place, p.item),
		Applicant:   app, Ward: grantWards[g.rnd.IntN(len(grantWards))], Amount: amount,
		Costs:    []grants.Cost{{Item: p.item, Amount: amount}},
		Purposes: []string{p.purpose}, Priorities: []string{prios[g.rnd.IntN(len(prios))]},
		Supporters: sup, PlannedStart: &start, PlannedEnd: &end,
	}
}

// grantBreakRule makes an application break rule i of four of Small Sparks.
func grantBreakRule(f *grants.NewApplication, i int) {
	switch i % 4 {
	case 0:
		f.Purposes = []string{"faith-promotion"}
	case 1:
		f.Costs[0].Running = true
	case 2:
		f.Supporters = f.Supporters[:1]
	case 3:
		f.Amount, f.Costs, f.CashMatch = decimal.NewFromInt(400), nil, decimal.NewFromInt(400)
	}
}

// grantHourlyRate is the rate of the first match rule, or zero.
func grantHourlyRate(rules []grants.Rule) decimal.Decimal {
	for _, r := range rules {
		if r.Kind == grants.KindMatch && r.HourlyRate != nil {
			return *r.HourlyRate
		}
		if d := grantHourlyRate(r.Rules); d.IsPositive() {
			return d
		}
	}
	return decimal.Zero
}

// grantSplit divides total into n pseudo-random amounts within [min, max]:
// all start at max and units are taken off at random — £5 where the
// total allows, else £1, else a penny.
func grantSplit(rnd *rand.Rand, total decimal.Decimal, n int, min, max decimal.Decimal) ([]decimal.Decimal, error) {
	nn := decimal.NewFromInt(int64(n))
	if n <= 0 || total.GreaterThan(max.Mul(nn)) || total.LessThan(min.Mul(nn)) {
		return nil, fmt.Errorf("generate: %s cannot be %d awards of %s to %s", total, n, min, max)
	}
	unit := decimal.New(1, -2)
	for _, u := range []decimal.Decimal{decimal.NewFromInt(5), decimal.NewFromInt(1)} {
		if total.Mod(u).IsZero() && max.Mod(u).IsZero() && min.Mod(u).IsZero() {
			unit = u
			break
		}
	}
	out := make([]decimal.Decimal, n)
	for i := range out {
		out[i] = max
	}
	short := max.Mul(nn).Sub(total).Div(unit).IntPart()
	for ; short > 0; short-- {
		i := rnd.IntN(n)
		for out[i].Sub(unit).LessThan(min) {
			i = (i + 1) % n
		}
		out[i] = out[i].Sub(unit)
	}
	return out, nil
}
