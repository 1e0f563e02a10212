package giving

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"
)

// Monitoring is what a report needs from the grants the campaign's fund
// made: the charities and groups funded and the people they reached, from
// grant monitoring. The app wires it to grants; giving does not import it.
type Monitoring interface {
	Funded(ctx context.Context, fund string, year int) (Funded, error)
}

// Funded is a fund's grants in a year, from monitoring.
type Funded struct {
	Groups  int             // distinct charities and groups funded
	People  int             // people their projects reached
	Awarded decimal.Decimal // awarded to them
}

// Report is a campaign's financial year in figures: the money raised, split
// into gifts (net of refunds), Gift Aid and match, donors by kind,
// volunteers recruited and hours pledged and delivered, talents given,
// what the fund's grants reached, and progress against the targets.
type Report struct {
	Campaign string
	Year     int

	Gifts      decimal.Decimal
	GiftAid    decimal.Decimal
	Match      decimal.Decimal
	Raised     decimal.Decimal            // Gifts + GiftAid + Match
	ByPriority map[string]decimal.Decimal // income restricted to each priority; "" is unrestricted

	Individuals int // donors who gave money, time or a talent in the year
	Businesses  int

	Volunteers       int   // donors giving time
	PledgedMinutes   int64 // time pledged
	DeliveredMinutes int64 // time delivered
	Talents          int   // talents given
	TalentMinutes    int64
	TalentValue      decimal.Decimal

	Funded Funded

	MoneyProgress     decimal.Decimal // Raised / Target.Money × 100, to 1 place
	VolunteerProgress decimal.Decimal // Volunteers / Target.Volunteers × 100
}

// Report builds campaign's report for financial year y. It returns
// aggregates only and checks no role. Errors: ErrNotFound.
func (s *Service) Report(ctx context.Context, campaign string, y int) (*Report, error) {
	c, err := s.store.Campaign(ctx, campaign)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	inc, err := s.store.Income(ctx, c.Fund, y)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	gifts, err := s.store.Gifts(ctx, c.ID, "")
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	donors, err := s.store.Donors(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	r := &Report{Campaign: c.ID, Year: y, ByPriority: map[string]decimal.Decimal{}}
	for _, i := range inc {
		if i.Campaign != c.ID {
			continue
		}
		switch i.Source {
		case FromGifts:
			r.Gifts = r.Gifts.Add(i.Amount)
		case FromGiftAid:
			r.GiftAid = r.GiftAid.Add(i.Amount)
		case FromMatch:
			r.Match = r.Match.Add(i.Amount)
		}
		r.ByPriority[i.Priority] = r.ByPriority[i.Priority].Add(i.Amount)
	}
	r.Raised = r.Gifts.Add(r.GiftAid).Add(r.Match)
	kind := make(map[string]DonorKind, len(donors))
	for _, d := range donors {
		kind[d.ID] = d.Kind
	}
	gave, vols := map[string]bool{}, map[string]bool{}
	for _, g := range gifts {
		if FinancialYear(g.Date()) != y {
			continue
		}
		gave[g.Donor] = true
		switch g.Kind {
		case Time:
			vols[g.Donor] = true
			r.PledgedMinutes += g.Minutes
			r.DeliveredMinutes += g.Delivered
		case Talent:
			r.Talents++
			r.TalentMinutes += g.Minutes
			r.TalentValue = r.TalentValue.Add(g.Value())
		}
	}
	for d := range gave {
		if kind[d] == Business {
			r.Businesses++
		} else {
			r.Individuals++
		}
	}
	r.Volunteers = len(vols)
	if s.monitor != nil {
		if r.Funded, err = s.monitor.Funded(ctx, c.Fund, y); err != nil {
			return nil, fmt.Errorf("report: monitoring: %w", err)
		}
	}
	hundred := decimal.NewFromInt(100)
	if c.Target.Money.IsPositive() {
		r.MoneyProgress = r.Raised.Mul(hundred).Div(c.Target.Money).Round(1)
	}
	if c.Target.Volunteers > 0 {
		r.VolunteerProgress = decimal.NewFromInt(int64(r.Volunteers)).Mul(hundred).Div(decimal.NewFromInt(int64(c.Target.Volunteers))).Round(1)
	}
	return r, nil
}
