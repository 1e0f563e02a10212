package givingrec

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/grants/giving"
)

func pence(field string, d decimal.Decimal) error {
	if !d.Equal(d.Round(2)) {
		return fmt.Errorf("givingrec: %s has fractions of a penny: %w", field, giving.ErrInvalid)
	}
	return nil
}

func addr(a giving.Address) addressRec { return addressRec{a.House, a.Line, a.Postcode} }
func unaddr(a addressRec) giving.Address {
	return giving.Address{House: a.House, Line: a.Line, Postcode: a.Postcode}
}

// Rows returns b's records as rows, checking each has an id and a
// version of at least 1 (ErrInvalid otherwise), and its income lines.
func Rows(b *giving.Batch) ([]Row, []IncomeRow, error) {
	var rows []Row
	add := func(kind, id, campaign, donor string, version int, rec any) error {
		if id == "" || version < 1 {
			return fmt.Errorf("givingrec: %s without an id or with version %d: %w", kind, version, giving.ErrInvalid)
		}
		body, err := encode(kind, rec)
		if err != nil {
			return err
		}
		rows = append(rows, Row{Kind: kind, ID: id, Campaign: campaign, Donor: donor, Version: int64(version), Body: body})
		return nil
	}
	for _, c := range b.Campaigns {
		r := campaignRec{ID: c.ID, Name: c.Name, Fund: c.Fund, Money: c.Target.Money, Volunteers: c.Target.Volunteers,
			Starts: c.Starts, Ends: c.Ends, stamp: stamp{c.CreatedAt, c.CreatedBy, c.Version}}
		for _, p := range c.Priorities {
			r.Priorities = append(r.Priorities, priorityRec{p.Name, p.Agreed})
		}
		for _, ch := range c.Champions {
			r.Champions = append(r.Champions, championRec{ch.Name, ch.Organisation, string(ch.Sector)})
		}
		if err := add(KindCampaign, c.ID, c.ID, "", c.Version, r); err != nil {
			return nil, nil, err
		}
	}
	for _, s := range b.Staff {
		r := staffRec{ID: s.ID, Active: s.Active, stamp: stamp{s.CreatedAt, s.CreatedBy, s.Version}}
		for _, x := range s.Roles {
			r.Roles = append(r.Roles, string(x))
		}
		if err := add(KindStaff, s.ID, "", "", s.Version, r); err != nil {
			return nil, nil, err
		}
	}
	for _, d := range b.Donors {
		r := donorRec{ID: d.ID, Campaign: d.Campaign, Kind: string(d.Kind), Title: d.Title, First: d.First, Last: d.Last,
			Address: addr(d.Address), Erased: d.Erased, stamp: stamp{d.CreatedAt, d.CreatedBy, d.Version}}
		if err := add(KindDonor, d.ID, d.Campaign, d.ID, d.Version, r); err != nil {
			return nil, nil, err
		}
	}
	for _, d := range b.Declarations {
		r := declarationRec{ID: d.ID, Donor: d.Donor, Charity: d.Charity, Title: d.Title, First: d.First, Last: d.Last,
			Address: addr(d.Address), Covers: string(d.Covers), Gift: d.Gift, From: d.From, To: d.To, Made: d.Made,
			Asked: d.Asked, TaxTold: d.TaxTold, Oral: d.Oral, Recording: d.Recording, Sent: d.Sent,
			Cancelled: d.Cancelled, Erased: d.Erased, stamp: stamp{d.CreatedAt, d.CreatedBy, d.Version}}
		if err := add(KindDeclaration, d.ID, "", d.Donor, d.Version, r); err != nil {
			return nil, nil, err
		}
	}
	for _, g := range b.Gifts {
		for f, d := range map[string]decimal.Decimal{"Amount": g.Amount, "Refunded": g.Refunded, "Claimed": g.Claimed} {
			if err := pence(f, d); err != nil {
				return nil, nil, err
			}
		}
		r := giftRec{ID: g.ID, Campaign: g.Campaign, Donor: g.Donor, Kind: string(g.Kind), Series: g.Series,
			Priority: g.Priority, Amount: g.Amount, Received: g.Received, Refunded: g.Refunded, Benefit: g.Benefit,
			GiftAid: g.GiftAid, Declaration: g.Declaration, Small: g.Small, Claim: g.Claim, Claimed: g.Claimed,
			OverClaim: g.OverClaim, Minutes: g.Minutes, Delivered: g.Delivered, Skill: g.Skill, Rate: g.Rate,
			Pledged: g.Pledged, stamp: stamp{g.CreatedAt, g.CreatedBy, g.Version}}
		if err := add(KindGift, g.ID, g.Campaign, g.Donor, g.Version, r); err != nil {
			return nil, nil, err
		}
	}
	for _, m := range b.Matches {
		r := matchRec{ID: m.ID, Campaign: m.Campaign, Donor: m.Donor, Ratio: m.Ratio, Cap: m.Cap, From: m.From, To: m.To,
			Priority: m.Priority, Received: m.Received, stamp: stamp{m.CreatedAt, m.CreatedBy, m.Version}}
		for _, p := range m.Payments {
			r.Payments = append(r.Payments, paymentRec{p.At, p.Amount})
		}
		if err := add(KindMatch, m.ID, m.Campaign, m.Donor, m.Version, r); err != nil {
			return nil, nil, err
		}
	}
	for _, c := range b.Claims {
		r := claimRec{ID: c.ID, Campaign: c.Campaign, Charity: c.Charity, Donations: c.Donations, OverClaim: c.OverClaim,
			Tax: c.Tax, Small: c.Small, SmallTax: c.SmallTax, Earliest: c.Earliest, Made: c.Made, Paid: c.Paid,
			Erased: c.Erased, stamp: stamp{c.CreatedAt, c.CreatedBy, c.Version}}
		for _, l := range c.Lines {
			r.Lines = append(r.Lines, lineRec{l.Title, l.First, l.Last, l.House, l.Postcode, l.Aggregated, l.Sponsored, l.Date, l.Amount, l.Gifts})
		}
		if err := add(KindClaim, c.ID, c.Campaign, "", c.Version, r); err != nil {
			return nil, nil, err
		}
	}
	var inc []IncomeRow
	for _, i := range b.Income {
		if i.Fund == "" {
			return nil, nil, fmt.Errorf("givingrec: income without a fund: %w", giving.ErrInvalid)
		}
		if err := pence("Income.Amount", i.Amount); err != nil {
			return nil, nil, err
		}
		body, err := encode("income", incomeRec{i.Fund, i.Campaign, i.Year, i.Priority, string(i.Source), i.Amount, i.At, i.Ref})
		if err != nil {
			return nil, nil, err
		}
		inc = append(inc, IncomeRow{Fund: i.Fund, Year: i.Year, Body: body})
	}
	return rows, inc, nil
}

func roles(xs []string) []giving.Role {
	var out []giving.Role
	for _, x := range xs {
		out = append(out, giving.Role(x))
	}
	return out
}

// DecodeCampaign reads a stored campaign.
func DecodeCampaign(b []byte) (*giving.Campaign, error) {
	var r campaignRec
	if err := decode(KindCampaign, b, &r); err != nil {
		return nil, err
	}
	c := &giving.Campaign{ID: r.ID, Name: r.Name, Fund: r.Fund, Target: giving.Target{Money: r.Money, Volunteers: r.Volunteers},
		Starts: r.Starts, Ends: r.Ends, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, Version: r.Version}
	for _, p := range r.Priorities {
		c.Priorities = append(c.Priorities, giving.Priority{Name: p.Name, Agreed: p.Agreed})
	}
	for _, ch := range r.Champions {
		c.Champions = append(c.Champions, giving.Champion{Name: ch.Name, Organisation: ch.Organisation, Sector: giving.Sector(ch.Sector)})
	}
	return c, nil
}

// DecodeStaff reads a stored member of staff.
func DecodeStaff(b []byte) (*giving.Staff, error) {
	var r staffRec
	if err := decode(KindStaff, b, &r); err != nil {
		return nil, err
	}
	return &giving.Staff{ID: r.ID, Roles: roles(r.Roles), Active: r.Active, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, Version: r.Version}, nil
}

// DecodeDonor reads a stored donor.
func DecodeDonor(b []byte) (*giving.Donor, error) {
	var r donorRec
	if err := decode(KindDonor, b, &r); err != nil {
		return nil, err
	}
	return &giving.Donor{ID: r.ID, Campaign: r.Campaign, Kind: giving.DonorKind(r.Kind), Title: r.Title, First: r.First,
		Last: r.Last, Address: unaddr(r.Address), Erased: r.Erased, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, Version: r.Version}, nil
}

// DecodeDeclaration reads a stored declaration.
func DecodeDeclaration(b []byte) (*giving.Declaration, error) {
	var r declarationRec
	if err := decode(KindDeclaration, b, &r); err != nil {
		return nil, err
	}
	return &giving.Declaration{ID: r.ID, Donor: r.Donor, Charity: r.Charity, Title: r.Title, First: r.First, Last: r.Last,
		Address: unaddr(r.Address), Covers: giving.Coverage(r.Covers), Gift: r.Gift, From: r.From, To: r.To, Made: r.Made,
		Asked: r.Asked, TaxTold: r.TaxTold, Oral: r.Oral, Recording: r.Recording, Sent: r.Sent, Cancelled: r.Cancelled,
		Erased: r.Erased, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, Version: r.Version}, nil
}

// DecodeGift reads a stored gift.
func DecodeGift(b []byte) (*giving.Gift, error) {
	var r giftRec
	if err := decode(KindGift, b, &r); err != nil {
		return nil, err
	}
	return &giving.Gift{ID: r.ID, Campaign: r.Campaign, Donor: r.Donor, Kind: giving.GiftKind(r.Kind), Series: r.Series,
		Priority: r.Priority, Amount: r.Amount, Received: r.Received, Refunded: r.Refunded, Benefit: r.Benefit,
		GiftAid: r.GiftAid, Declaration: r.Declaration, Small: r.Small, Claim: r.Claim, Claimed: r.Claimed,
		OverClaim: r.OverClaim, Minutes: r.Minutes, Delivered: r.Delivered, Skill: r.Skill, Rate: r.Rate,
		Pledged: r.Pledged, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, Version: r.Version}, nil
}

// DecodeMatch reads a stored match.
func DecodeMatch(b []byte) (*giving.Match, error) {
	var r matchRec
	if err := decode(KindMatch, b, &r); err != nil {
		return nil, err
	}
	m := &giving.Match{ID: r.ID, Campaign: r.Campaign, Donor: r.Donor, Ratio: r.Ratio, Cap: r.Cap, From: r.From, To: r.To,
		Priority: r.Priority, Received: r.Received, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, Version: r.Version}
	for _, p := range r.Payments {
		m.Payments = append(m.Payments, giving.MatchPayment{At: p.At, Amount: p.Amount})
	}
	return m, nil
}

// DecodeClaim reads a stored claim.
func DecodeClaim(b []byte) (*giving.Claim, error) {
	var r claimRec
	if err := decode(KindClaim, b, &r); err != nil {
		return nil, err
	}
	c := &giving.Claim{ID: r.ID, Campaign: r.Campaign, Charity: r.Charity, Donations: r.Donations, OverClaim: r.OverClaim,
		Tax: r.Tax, Small: r.Small, SmallTax: r.SmallTax, Earliest: r.Earliest, Made: r.Made, Paid: r.Paid,
		Erased: r.Erased, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, Version: r.Version}
	for _, l := range r.Lines {
		c.Lines = append(c.Lines, giving.Line{Title: l.Title, First: l.First, Last: l.Last, House: l.House, Postcode: l.Postcode,
			Aggregated: l.Aggregated, Sponsored: l.Sponsored, Date: l.Date, Amount: l.Amount, Gifts: l.Gifts})
	}
	return c, nil
}

// DecodeIncome reads a stored line of income.
func DecodeIncome(b []byte) (giving.Income, error) {
	var r incomeRec
	if err := decode("income", b, &r); err != nil {
		return giving.Income{}, err
	}
	return giving.Income{Fund: r.Fund, Campaign: r.Campaign, Year: r.Year, Priority: r.Priority, Source: giving.Source(r.Source),
		Amount: r.Amount, At: r.At, Ref: r.Ref}, nil
}
