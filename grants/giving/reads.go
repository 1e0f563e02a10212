package giving

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
)

// Campaign returns a campaign. Open: a campaign holds no donor data.
func (s *Service) Campaign(ctx context.Context, id string) (*Campaign, error) {
	c, err := s.store.Campaign(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("campaign %s: %w", id, err)
	}
	return c, nil
}

// Donor returns a donor. Needs RoleOfficer.
func (s *Service) Donor(ctx context.Context, a call.Actor, id string) (*Donor, error) {
	if err := s.role(ctx, a.ID, RoleOfficer); err != nil {
		return nil, fmt.Errorf("donor: %w", err)
	}
	d, err := s.store.Donor(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("donor %s: %w", id, err)
	}
	return d, nil
}

// Declarations returns a donor's declarations. Needs RoleOfficer.
func (s *Service) Declarations(ctx context.Context, a call.Actor, donor string) ([]*Declaration, error) {
	if err := s.role(ctx, a.ID, RoleOfficer); err != nil {
		return nil, fmt.Errorf("declarations: %w", err)
	}
	return s.store.Declarations(ctx, donor)
}

// Gifts returns a campaign's gifts (of one donor when donor is set). Needs RoleOfficer.
func (s *Service) Gifts(ctx context.Context, a call.Actor, campaign, donor string) ([]*Gift, error) {
	if err := s.role(ctx, a.ID, RoleOfficer); err != nil {
		return nil, fmt.Errorf("gifts: %w", err)
	}
	return s.store.Gifts(ctx, campaign, donor)
}

// Claim returns a claim with its schedule, which names donors. Needs RoleOfficer.
func (s *Service) Claim(ctx context.Context, a call.Actor, id string) (*Claim, error) {
	if err := s.role(ctx, a.ID, RoleOfficer); err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	return s.store.Claim(ctx, id)
}

// Income returns a fund's income for financial year y, by source, as
// totals and the lines. Open: amounts, priorities and ids only.
func (s *Service) Income(ctx context.Context, fund string, y int) (total decimal.Decimal, lines []Income, err error) {
	lines, err = s.store.Income(ctx, fund, y)
	if err != nil {
		return decimal.Zero, nil, fmt.Errorf("income: %w", err)
	}
	for _, l := range lines {
		total = total.Add(l.Amount)
	}
	return total, lines, nil
}

// EraseDonor erases a donor's name and address, on the donor, their
// declarations and the schedule lines of their claims. A donor with Gift
// Aid claimed in the retention period (Limits.Retention years after the
// end of the tax year of the claim) is ErrRetained: HMRC requires those
// records until then; erase them after. Amounts, dates and ids are kept.
// Needs RoleAdmin.
func (s *Service) EraseDonor(ctx context.Context, w call.Write, donorID string) (*Donor, error) {
	return do(ctx, s, w, "giving.donor.erase", donorID, RoleAdmin, func(now time.Time) (*Batch, string, error) {
		d, err := s.store.Donor(ctx, donorID)
		if err != nil {
			return nil, "", err
		}
		gifts, err := s.store.Gifts(ctx, d.Campaign, d.ID)
		if err != nil {
			return nil, "", err
		}
		b := &Batch{}
		claims := map[string]bool{}
		for _, g := range gifts {
			if g.Claim == "" || claims[g.Claim] {
				continue
			}
			c, err := s.store.Claim(ctx, g.Claim)
			if err != nil {
				return nil, "", err
			}
			claims[g.Claim] = true
			lim, _ := LimitsAt(s.limits, c.Made)
			until := time.Date(TaxYear(c.Made)+1+lim.Retention, time.April, 6, 0, 0, 0, 0, time.UTC)
			if now.Before(until) {
				return nil, "", fieldErr(ErrRetained, "ID", "claim %s is kept for HMRC until %s", c.ID, until.Format(time.DateOnly))
			}
			mine := map[string]bool{}
			for _, x := range gifts {
				mine[x.ID] = true
			}
			for i, l := range c.Lines {
				if l.Aggregated == "" && len(l.Gifts) > 0 && mine[l.Gifts[0]] {
					c.Lines[i].Title, c.Lines[i].First, c.Lines[i].Last, c.Lines[i].House, c.Lines[i].Postcode = "", "", "", "", ""
				}
			}
			c.Version++
			b.Claims = append(b.Claims, c)
		}
		decs, err := s.store.Declarations(ctx, d.ID)
		if err != nil {
			return nil, "", err
		}
		for _, dec := range decs {
			dec.Title, dec.First, dec.Last, dec.Address, dec.Recording = "", "", "", Address{}, ""
			dec.Erased, dec.Version = true, dec.Version+1
			b.Declarations = append(b.Declarations, dec)
		}
		d.Title, d.First, d.Last, d.Address, d.Erased, d.Version = "", "", "", Address{}, true, d.Version+1
		b.Donors = []*Donor{d}
		return b, d.ID, nil
	}, s.store.Donor)
}
