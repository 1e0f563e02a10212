package main

import (
	"context"
	"fmt"
	"net/http"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/grants/giving"
)

// givingPage is the Local Giving campaign's financial year, in totals
// only: no donor is named on it.
type givingPage struct {
	Campaign *giving.Campaign
	R        *giving.Report
	Year     string // the financial year, as 2014/15

	// From the fund's income lines of the year: gifts of money as they
	// arrived, and what was paid back.
	Received decimal.Decimal // gifts of money received, before refunds
	Refunded decimal.Decimal // paid back to donors, as a positive amount
	Refunds  int             // refunds made
	OverPaid decimal.Decimal // Gift Aid over-claims repaid to HMRC, positive

	GiftsAndAid decimal.Decimal // gifts net of refunds plus Gift Aid: money from donors
	Donors      int             // residents and businesses together

	Priorities []priorityRow // income by what donors restricted it to

	PledgedHours, DeliveredHours, TalentHours string
	DeliveredShare                            string // delivered as a percentage of pledged

	Champions []sectorCount // champions by sector
}

type priorityRow struct {
	Name   string
	Amount decimal.Decimal
	Share  string // of all income raised, as a percentage to 1 place
}

type sectorCount struct {
	Sector string
	N      int
}

// givingData reads the campaign and its fund's income for the report's
// year: the totals the report gives, with the refunds it nets off shown
// apart. Campaign and Income are open reads: amounts, priorities and ids
// only.
func givingData(ctx context.Context, svc *giving.Service, campaign string, r *giving.Report) (*givingPage, error) {
	c, err := svc.Campaign(ctx, campaign)
	if err != nil {
		return nil, fmt.Errorf("dashboard: local giving: %w", err)
	}
	_, lines, err := svc.Income(ctx, c.Fund, r.Year)
	if err != nil {
		return nil, fmt.Errorf("dashboard: local giving: %w", err)
	}
	p := &givingPage{Campaign: c, R: r, Year: fy(r.Year), Donors: r.Individuals + r.Businesses}
	for _, l := range lines {
		if l.Campaign != c.ID {
			continue
		}
		switch {
		case l.Source == giving.FromGifts && l.Amount.IsPositive():
			p.Received = p.Received.Add(l.Amount)
		case l.Source == giving.FromGifts && l.Amount.IsNegative():
			p.Refunded = p.Refunded.Sub(l.Amount)
			p.Refunds++
		case l.Source == giving.FromGiftAid && l.Amount.IsNegative():
			p.OverPaid = p.OverPaid.Sub(l.Amount)
		}
	}
	p.GiftsAndAid = r.Gifts.Add(r.GiftAid)

	// The campaign's priorities in its own order, then any other
	// restriction the income carries, then unrestricted income.
	seen := map[string]bool{}
	var names []string
	for _, pr := range c.Priorities {
		names = append(names, pr.Name)
		seen[pr.Name] = true
	}
	var other []string
	for name := range r.ByPriority {
		if name != "" && !seen[name] {
			other = append(other, name)
		}
	}
	sort.Strings(other)
	names = append(names, other...)
	for _, name := range names {
		p.Priorities = append(p.Priorities, priorityRow{Name: name, Amount: r.ByPriority[name], Share: share(r.ByPriority[name], r.Raised)})
	}
	p.Priorities = append(p.Priorities, priorityRow{Name: "", Amount: r.ByPriority[""], Share: share(r.ByPriority[""], r.Raised)})

	p.PledgedHours, p.DeliveredHours, p.TalentHours = hours(r.PledgedMinutes), hours(r.DeliveredMinutes), hours(r.TalentMinutes)
	p.DeliveredShare = "not available"
	if r.PledgedMinutes > 0 {
		p.DeliveredShare = decimal.NewFromInt(r.DeliveredMinutes).Mul(decimal.NewFromInt(100)).Div(decimal.NewFromInt(r.PledgedMinutes)).StringFixed(1) + "%"
	}
	bySector := map[giving.Sector]int{}
	for _, ch := range c.Champions {
		bySector[ch.Sector]++
	}
	for _, sc := range giving.Sectors() {
		p.Champions = append(p.Champions, sectorCount{Sector: sectorNames[sc], N: bySector[sc]})
	}
	return p, nil
}

// sectorNames are the sectors as a page writes them.
var sectorNames = map[giving.Sector]string{
	giving.SectorBusiness:  "Business",
	giving.SectorCommunity: "Community groups and residents",
	giving.SectorCharity:   "Charities",
	giving.SectorPublic:    "Public sector",
}

// share is part as a percentage of whole, to 1 place.
func share(part, whole decimal.Decimal) string {
	if !whole.IsPositive() {
		return "not available"
	}
	return part.Mul(decimal.NewFromInt(100)).Div(whole).StringFixed(1) + "%"
}

// hours writes minutes as hours to 1 place, with thousands separators.
func hours(minutes int64) string {
	return group(decimal.NewFromInt(minutes).Div(decimal.NewFromInt(60)).StringFixed(1))
}

func (s *server) giving(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "giving.html", "Local Giving", s.givingPage)
}
