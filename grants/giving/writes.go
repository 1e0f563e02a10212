package giving

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
)

// CreateCampaign creates a campaign. Needs RoleAdmin. Errors: ErrInvalid,
// ErrForbidden, ErrConflict.
func (s *Service) CreateCampaign(ctx context.Context, w call.Write, in NewCampaign) (*Campaign, error) {
	return do(ctx, s, w, "giving.campaign.create", in, RoleAdmin, func(now time.Time) (*Batch, string, error) {
		if err := in.Validate(); err != nil {
			return nil, "", err
		}
		c := &Campaign{ID: s.newID("cmp", now), Name: in.Name, Fund: in.Fund, Priorities: in.Priorities,
			Champions: in.Champions, Target: in.Target, Starts: norm(in.Starts), Ends: norm(in.Ends),
			CreatedAt: now, CreatedBy: w.Actor.ID, Version: 1}
		for i := range c.Priorities {
			c.Priorities[i].Agreed = norm(c.Priorities[i].Agreed)
		}
		return &Batch{Campaigns: []*Campaign{c}}, c.ID, nil
	}, s.store.Campaign)
}

// AddDonor records a donor. Needs RoleOfficer.
func (s *Service) AddDonor(ctx context.Context, w call.Write, in NewDonor) (*Donor, error) {
	return do(ctx, s, w, "giving.donor.add", in, RoleOfficer, func(now time.Time) (*Batch, string, error) {
		if err := in.Validate(); err != nil {
			return nil, "", err
		}
		if _, err := s.store.Campaign(ctx, in.Campaign); err != nil {
			return nil, "", err
		}
		d := &Donor{ID: s.newID("dnr", now), Campaign: in.Campaign, Kind: in.Kind, Title: in.Title, First: in.First,
			Last: in.Last, Address: in.Address, CreatedAt: now, CreatedBy: w.Actor.ID, Version: 1}
		if pc, ok := Postcode(d.Address.Postcode); ok {
			d.Address.Postcode = pc
		}
		return &Batch{Donors: []*Donor{d}}, d.ID, nil
	}, s.store.Donor)
}

// Declare records a donor's Gift Aid declaration. Needs RoleOfficer.
// Errors: ErrNoPostcode, ErrNotEligible (a business), ErrInvalid.
func (s *Service) Declare(ctx context.Context, w call.Write, in NewDeclaration) (*Declaration, error) {
	return do(ctx, s, w, "giving.declare", in, RoleOfficer, func(now time.Time) (*Batch, string, error) {
		if err := in.Validate(); err != nil {
			return nil, "", err
		}
		d, err := s.store.Donor(ctx, in.Donor)
		if err != nil {
			return nil, "", err
		}
		if d.Kind != Individual {
			return nil, "", fieldErr(ErrNotEligible, "Donor", "a business cannot make a Gift Aid declaration")
		}
		pc, _ := Postcode(in.Address.Postcode)
		dec := &Declaration{ID: s.newID("dec", now), Donor: in.Donor, Charity: in.Charity, Title: in.Title,
			First: in.First, Last: in.Last, Address: in.Address, Covers: in.Covers, Gift: in.Gift,
			From: norm(in.From), To: norm(in.To), Made: norm(in.Made), Asked: in.Asked, TaxTold: in.TaxTold,
			Oral: in.Oral, Recording: in.Recording, Sent: norm(in.Sent), CreatedAt: now, CreatedBy: w.Actor.ID, Version: 1}
		dec.Address.Postcode = pc
		return &Batch{Declarations: []*Declaration{dec}}, dec.ID, nil
	}, s.store.Declaration)
}

// CancelDeclaration cancels a declaration from at: gifts on or after it
// are not covered; an oral declaration cancelled within 30 days of its
// written record covers nothing. Needs RoleOfficer.
func (s *Service) CancelDeclaration(ctx context.Context, w call.Write, id string, at time.Time) (*Declaration, error) {
	return do(ctx, s, w, "giving.declaration.cancel", struct {
		ID string
		At time.Time
	}{id, at}, RoleOfficer, func(now time.Time) (*Batch, string, error) {
		d, err := s.store.Declaration(ctx, id)
		if err != nil {
			return nil, "", err
		}
		if !d.Cancelled.IsZero() {
			return nil, "", invalid("ID", "the declaration is cancelled already")
		}
		if at.IsZero() {
			at = now
		}
		d.Cancelled, d.Version = norm(at), d.Version+1
		return &Batch{Declarations: []*Declaration{d}}, d.ID, nil
	}, s.store.Declaration)
}

// Give records a gift. Needs RoleOfficer. A gift of money with Received
// set is income to the campaign's fund at once. Errors: ErrNotEligible
// (Gift Aid on a business's gift, a gift with a benefit, or one no
// declaration covers), ErrPrecision, ErrUnknownPriority, ErrInvalid.
func (s *Service) Give(ctx context.Context, w call.Write, in NewGift) (*Gift, error) {
	return do(ctx, s, w, "giving.give", in, RoleOfficer, func(now time.Time) (*Batch, string, error) {
		if err := in.Validate(); err != nil {
			return nil, "", err
		}
		c, err := s.store.Campaign(ctx, in.Campaign)
		if err != nil {
			return nil, "", err
		}
		if in.Priority != "" && !c.HasPriority(in.Priority) {
			return nil, "", fieldErr(ErrUnknownPriority, "Priority", "%q is not a priority of campaign %s", in.Priority, c.ID)
		}
		d, err := s.store.Donor(ctx, in.Donor)
		if err != nil {
			return nil, "", err
		}
		if d.Campaign != c.ID {
			return nil, "", invalid("Donor", "is a donor of another campaign")
		}
		g := &Gift{ID: s.newID("gft", now), Campaign: c.ID, Donor: d.ID, Kind: in.Kind, Series: in.Series,
			Priority: in.Priority, Amount: in.Amount, Received: norm(in.Received), Benefit: in.Benefit,
			GiftAid: in.GiftAid, Small: in.Small, Minutes: in.Minutes, Skill: in.Skill, Rate: in.Rate,
			Pledged: norm(in.Pledged), CreatedAt: now, CreatedBy: w.Actor.ID, Version: 1}
		if in.Received.IsZero() {
			g.Received = time.Time{}
		}
		if g.Pledged.IsZero() || in.Pledged.IsZero() {
			g.Pledged = now
		}
		if in.Small && (d.Kind != Individual || in.Benefit) {
			return nil, "", fieldErr(ErrNotEligible, "Small", "only individuals' gifts without a benefit count as small donations")
		}
		if in.GiftAid {
			if d.Kind != Individual {
				return nil, "", fieldErr(ErrNotEligible, "GiftAid", "a business's gift never qualifies")
			}
			dec, err := s.covering(ctx, g)
			if err != nil {
				return nil, "", err
			}
			g.Declaration = dec
		}
		b := &Batch{Gifts: []*Gift{g}}
		if g.Kind == Money && !g.Received.IsZero() {
			b.Income = []Income{income(c, g.Priority, FromGifts, g.Amount, g.Received, g.ID)}
		}
		return b, g.ID, nil
	}, s.store.Gift)
}

// covering finds the declaration that covers g, or ErrNotEligible.
func (s *Service) covering(ctx context.Context, g *Gift) (string, error) {
	decs, err := s.store.Declarations(ctx, g.Donor)
	if err != nil {
		return "", err
	}
	for _, d := range decs {
		if !d.Erased && d.Covering(g) {
			return d.ID, nil
		}
	}
	if g.Received.IsZero() {
		// a pledge: its declaration is checked when the money arrives
		return "", nil
	}
	return "", fieldErr(ErrNotEligible, "GiftAid", "no declaration of donor %s covers the gift", g.Donor)
}

func income(c *Campaign, priority string, src Source, amount decimal.Decimal, at time.Time, ref string) Income {
	return Income{Fund: c.Fund, Campaign: c.ID, Year: FinancialYear(at), Priority: priority, Source: src,
		Amount: amount, At: at, Ref: ref}
}

// Receive records a pledged gift of money as received at at. Needs RoleOfficer.
func (s *Service) Receive(ctx context.Context, w call.Write, giftID string, at time.Time) (*Gift, error) {
	return do(ctx, s, w, "giving.receive", struct {
		ID string
		At time.Time
	}{giftID, at}, RoleOfficer, func(now time.Time) (*Batch, string, error) {
		g, err := s.store.Gift(ctx, giftID)
		if err != nil {
			return nil, "", err
		}
		if g.Kind != Money || !g.Received.IsZero() {
			return nil, "", invalid("ID", "is not a pledged gift of money")
		}
		c, err := s.store.Campaign(ctx, g.Campaign)
		if err != nil {
			return nil, "", err
		}
		if at.IsZero() {
			at = now
		}
		g.Received, g.Version = norm(at), g.Version+1
		if g.GiftAid {
			dec, err := s.covering(ctx, g)
			if err != nil {
				return nil, "", err
			}
			g.Declaration = dec
		}
		return &Batch{Gifts: []*Gift{g}, Income: []Income{income(c, g.Priority, FromGifts, g.Amount, g.Received, g.ID)}}, g.ID, nil
	}, s.store.Gift)
}

// Refund pays back amount of a received gift. A refund of a gift already
// claimed is carried into the next claim as an over-claim. Needs
// RoleOfficer. Errors: ErrOverRefund, ErrPrecision.
func (s *Service) Refund(ctx context.Context, w call.Write, giftID string, amount decimal.Decimal) (*Gift, error) {
	return do(ctx, s, w, "giving.refund", struct {
		ID     string
		Amount decimal.Decimal
	}{giftID, amount}, RoleOfficer, func(now time.Time) (*Batch, string, error) {
		if err := CheckMoney("Amount", amount, true); err != nil {
			return nil, "", err
		}
		g, err := s.store.Gift(ctx, giftID)
		if err != nil {
			return nil, "", err
		}
		if g.Kind != Money || g.Received.IsZero() {
			return nil, "", invalid("ID", "is not a received gift of money")
		}
		if amount.GreaterThan(g.Amount.Sub(g.Refunded)) {
			return nil, "", fieldErr(ErrOverRefund, "Amount", "£%s is more than the £%s left of the gift", amount.StringFixed(2), g.Amount.Sub(g.Refunded).StringFixed(2))
		}
		c, err := s.store.Campaign(ctx, g.Campaign)
		if err != nil {
			return nil, "", err
		}
		g.Refunded, g.Version = g.Refunded.Add(amount), g.Version+1
		return &Batch{Gifts: []*Gift{g}, Income: []Income{income(c, g.Priority, FromGifts, amount.Neg(), now, g.ID)}}, g.ID, nil
	}, s.store.Gift)
}

// Deliver records minutes of a pledged gift of time as given. Needs RoleOfficer.
func (s *Service) Deliver(ctx context.Context, w call.Write, giftID string, minutes int64) (*Gift, error) {
	return do(ctx, s, w, "giving.deliver", struct {
		ID      string
		Minutes int64
	}{giftID, minutes}, RoleOfficer, func(now time.Time) (*Batch, string, error) {
		if minutes <= 0 || minutes > 1_000_000 {
			return nil, "", invalid("Minutes", "must be between 1 and 1,000,000")
		}
		g, err := s.store.Gift(ctx, giftID)
		if err != nil {
			return nil, "", err
		}
		if g.Kind != Time {
			return nil, "", invalid("ID", "is not a gift of time")
		}
		g.Delivered, g.Version = g.Delivered+minutes, g.Version+1
		return &Batch{Gifts: []*Gift{g}}, g.ID, nil
	}, s.store.Gift)
}

// PledgeMatch records a business's pledge to match residents' gifts.
// Needs RoleOfficer. Errors: ErrUnknownPriority, ErrInvalid (not a business).
func (s *Service) PledgeMatch(ctx context.Context, w call.Write, in NewMatch) (*Match, error) {
	return do(ctx, s, w, "giving.match.pledge", in, RoleOfficer, func(now time.Time) (*Batch, string, error) {
		if err := in.Validate(); err != nil {
			return nil, "", err
		}
		c, err := s.store.Campaign(ctx, in.Campaign)
		if err != nil {
			return nil, "", err
		}
		if in.Priority != "" && !c.HasPriority(in.Priority) {
			return nil, "", fieldErr(ErrUnknownPriority, "Priority", "%q is not a priority of campaign %s", in.Priority, c.ID)
		}
		d, err := s.store.Donor(ctx, in.Donor)
		if err != nil {
			return nil, "", err
		}
		if d.Kind != Business || d.Campaign != c.ID {
			return nil, "", invalid("Donor", "is not a business giving to the campaign")
		}
		m := &Match{ID: s.newID("mtc", now), Campaign: c.ID, Donor: d.ID, Ratio: in.Ratio, Cap: in.Cap,
			From: norm(in.From), To: norm(in.To), Priority: in.Priority, CreatedAt: now, CreatedBy: w.Actor.ID, Version: 1}
		return &Batch{Matches: []*Match{m}}, m.ID, nil
	}, s.store.Match)
}

// MatchDue returns what a match owes now, computed from received gifts,
// and what it has paid. Open: amounts only.
func (s *Service) MatchDue(ctx context.Context, matchID string) (due, received decimal.Decimal, err error) {
	m, err := s.store.Match(ctx, matchID)
	if err != nil {
		return decimal.Zero, decimal.Zero, fmt.Errorf("match due: %w", err)
	}
	due, err = s.due(ctx, m)
	return due, m.Received, err
}

func (s *Service) due(ctx context.Context, m *Match) (decimal.Decimal, error) {
	gifts, err := s.store.Gifts(ctx, m.Campaign, "")
	if err != nil {
		return decimal.Zero, err
	}
	donors, err := s.store.Donors(ctx, m.Campaign)
	if err != nil {
		return decimal.Zero, err
	}
	ind := make(map[string]bool, len(donors))
	for _, d := range donors {
		ind[d.ID] = d.Kind == Individual
	}
	return m.Due(gifts, ind), nil
}

// ReceiveMatch records a payment of a match at at: income to the fund,
// restricted to the match's priority. Needs RoleOfficer. Errors:
// ErrMatchLimit (more than is due under the cap, or at outside its dates
// — a match may be paid up to 90 days after To).
func (s *Service) ReceiveMatch(ctx context.Context, w call.Write, matchID string, amount decimal.Decimal, at time.Time) (*Match, error) {
	return do(ctx, s, w, "giving.match.receive", struct {
		ID     string
		Amount decimal.Decimal
		At     time.Time
	}{matchID, amount, at}, RoleOfficer, func(now time.Time) (*Batch, string, error) {
		if err := CheckMoney("Amount", amount, true); err != nil {
			return nil, "", err
		}
		m, err := s.store.Match(ctx, matchID)
		if err != nil {
			return nil, "", err
		}
		if at.IsZero() {
			at = now
		}
		at = norm(at)
		if at.Before(m.From) || at.After(m.To.AddDate(0, 0, 90)) {
			return nil, "", fieldErr(ErrMatchLimit, "At", "is outside the match's dates")
		}
		due, err := s.due(ctx, m)
		if err != nil {
			return nil, "", err
		}
		if m.Received.Add(amount).GreaterThan(due) {
			return nil, "", fieldErr(ErrMatchLimit, "Amount", "£%s would take the match past the £%s due", amount.StringFixed(2), due.StringFixed(2))
		}
		c, err := s.store.Campaign(ctx, m.Campaign)
		if err != nil {
			return nil, "", err
		}
		m.Received, m.Version = m.Received.Add(amount), m.Version+1
		m.Payments = append(m.Payments, MatchPayment{At: at, Amount: amount})
		return &Batch{Matches: []*Match{m}, Income: []Income{income(c, m.Priority, FromMatch, amount, at, m.ID)}}, m.ID, nil
	}, s.store.Match)
}
