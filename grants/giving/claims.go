package giving

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
)

// MakeClaim makes the Gift Aid claims for a campaign's received, covered
// gifts not yet claimed, up to upTo: one claim per schedule of the limits'
// Rows lines. Gifts of at most the aggregation limit from donors whose
// only gift in the claim it is are aggregated when aggregate is set. The
// first claim carries the over-claim of refunds of gifts claimed before
// (25% of each refund), and the small donations (GASDS) received in the
// tax year of upTo, up to the year's limit less what was claimed before.
// Needs RoleOfficer. It returns nil, nil when there is nothing to claim.
func (s *Service) MakeClaim(ctx context.Context, w call.Write, campaign, charity string, upTo time.Time, aggregate bool) ([]*Claim, error) {
	type req struct {
		Campaign, Charity string
		UpTo              time.Time
		Aggregate         bool
	}
	var made []*Claim
	built := false
	first, err := do(ctx, s, w, "giving.claim", req{campaign, charity, upTo, aggregate}, RoleOfficer, func(now time.Time) (*Batch, string, error) {
		made, built = nil, true
		if err := required("Charity", charity, MaxName); err != nil {
			return nil, "", err
		}
		lim, ok := LimitsAt(s.limits, upTo)
		if !ok {
			return nil, "", invalid("UpTo", "no HMRC limits are in force on %s", upTo.Format(time.DateOnly))
		}
		gifts, err := s.store.Gifts(ctx, campaign, "")
		if err != nil {
			return nil, "", err
		}
		b := &Batch{}
		var entries []Entry
		decs := map[string]*Declaration{}
		per := map[string]int{}
		over := decimal.Zero
		small := decimal.Zero
		var overGifts, smallGifts []*Gift
		var earliest time.Time
		for _, g := range gifts {
			if g.Kind != Money || g.Received.IsZero() || g.Received.After(upTo) {
				continue
			}
			if g.Claim != "" && g.OverClaim == "" && g.Claimed.GreaterThan(g.Amount.Sub(g.Refunded)) {
				over = over.Add(g.Claimed.Sub(g.Amount.Sub(g.Refunded)).Mul(Rate).Round(2))
				overGifts = append(overGifts, g)
				continue
			}
			if g.Claim != "" {
				continue
			}
			if g.Small && TaxYear(g.Received) == TaxYear(upTo) && g.Amount.LessThanOrEqual(lim.SmallGift) {
				small = small.Add(g.Net())
				smallGifts = append(smallGifts, g)
				continue
			}
			if !g.GiftAid || g.Declaration == "" || g.Net().IsZero() {
				continue
			}
			d := decs[g.Declaration]
			if d == nil {
				if d, err = s.store.Declaration(ctx, g.Declaration); err != nil {
					return nil, "", err
				}
				decs[g.Declaration] = d
			}
			if !d.Covering(g) || d.Erased {
				continue
			}
			per[g.Donor]++
			entries = append(entries, Entry{Gift: g, Declaration: d})
			if earliest.IsZero() || g.Received.Before(earliest) {
				earliest = g.Received
			}
		}
		for i := range entries {
			entries[i].Aggregate = aggregate && per[entries[i].Gift.Donor] == 1 && entries[i].Gift.Net().LessThanOrEqual(lim.AggregateGift)
		}
		lines, err := Schedule(entries, lim, "Local Giving donations")
		if err != nil {
			return nil, "", err
		}
		prev, err := s.store.Claims(ctx, campaign)
		if err != nil {
			return nil, "", err
		}
		smallBefore := decimal.Zero
		for _, c := range prev {
			if TaxYear(c.Made) == TaxYear(upTo) {
				smallBefore = smallBefore.Add(c.Small)
			}
		}
		if room := lim.SmallYear.Sub(smallBefore); small.GreaterThan(room) {
			small = decimal.Max(room, decimal.Zero)
		}
		if len(lines) == 0 && small.IsZero() {
			return &Batch{}, "", nil
		}
		byID := map[string]*Gift{}
		for _, g := range gifts {
			byID[g.ID] = g
		}
		parts := Split(lines, lim)
		if len(parts) == 0 {
			parts = [][]Line{nil}
		}
		var ids []string
		for i, part := range parts {
			c := &Claim{ID: s.newID("clm", now), Campaign: campaign, Charity: charity, Lines: part,
				Earliest: norm(earliest), Made: now, CreatedAt: now, CreatedBy: w.Actor.ID, Version: 1}
			for _, l := range part {
				c.Donations = c.Donations.Add(l.Amount)
				for _, gid := range l.Gifts {
					g := byID[gid]
					g.Claim, g.Claimed, g.Version = c.ID, g.Net(), g.Version+1
					b.Gifts = append(b.Gifts, g)
				}
			}
			if i == 0 {
				c.OverClaim, c.Small, c.SmallTax = over, small, small.Mul(Rate).Round(2)
				for _, g := range overGifts {
					g.OverClaim, g.Version = c.ID, g.Version+1
					b.Gifts = append(b.Gifts, g)
				}
				for _, g := range smallGifts {
					g.Claim, g.Claimed, g.Version = c.ID, g.Net(), g.Version+1
					b.Gifts = append(b.Gifts, g)
				}
			}
			c.Tax = c.Donations.Mul(Rate).Round(2).Sub(c.OverClaim)
			b.Claims = append(b.Claims, c)
			ids = append(ids, c.ID)
			made = append(made, c)
		}
		return b, ids[0], nil
	}, func(ctx context.Context, first string) (string, error) { return first, nil })
	if err != nil {
		return nil, err
	}
	if !built { // a retry: read back the claims the first request made
		if first == "" {
			return nil, nil
		}
		c0, err := s.store.Claim(ctx, first)
		if err != nil {
			return nil, fmt.Errorf("giving.claim: %w", err)
		}
		cs, err := s.store.Claims(ctx, campaign)
		if err != nil {
			return nil, fmt.Errorf("giving.claim: %w", err)
		}
		var out []*Claim
		for _, c := range cs {
			if c.CreatedAt.Equal(c0.CreatedAt) && c.CreatedBy == c0.CreatedBy {
				out = append(out, c)
			}
		}
		return out, nil
	}
	return made, nil
}

// ClaimPaid records HMRC's payment of a claim at at: Gift Aid income to the
// campaign's fund, shared between priorities as the claimed gifts were
// restricted. Needs RoleOfficer.
func (s *Service) ClaimPaid(ctx context.Context, w call.Write, claimID string, at time.Time) (*Claim, error) {
	return do(ctx, s, w, "giving.claim.paid", struct {
		ID string
		At time.Time
	}{claimID, at}, RoleOfficer, func(now time.Time) (*Batch, string, error) {
		c, err := s.store.Claim(ctx, claimID)
		if err != nil {
			return nil, "", err
		}
		if !c.Paid.IsZero() {
			return nil, "", invalid("ID", "the claim is paid already")
		}
		cp, err := s.store.Campaign(ctx, c.Campaign)
		if err != nil {
			return nil, "", err
		}
		if at.IsZero() {
			at = now
		}
		c.Paid, c.Version = norm(at), c.Version+1
		// The claim's gifts are those on its lines (MakeClaim marks no
		// others but small gifts, which are not shared by priority): read
		// them, not every gift of the campaign, so paying a campaign's
		// claims takes time in proportion to its gifts.
		byPriority := map[string]decimal.Decimal{}
		seen := map[string]bool{}
		for _, l := range c.Lines {
			for _, id := range l.Gifts {
				if seen[id] {
					continue
				}
				seen[id] = true
				g, err := s.store.Gift(ctx, id)
				if errors.Is(err, ErrNotFound) {
					continue
				}
				if err != nil {
					return nil, "", err
				}
				if g.Claim == c.ID && !g.Small {
					byPriority[g.Priority] = byPriority[g.Priority].Add(g.Claimed)
				}
			}
		}
		b := &Batch{Claims: []*Claim{c}}
		keys := make([]string, 0, len(byPriority))
		for k := range byPriority {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			b.Income = append(b.Income, income(cp, k, FromGiftAid, byPriority[k].Mul(Rate).Round(2), c.Paid, c.ID))
		}
		if c.SmallTax.IsPositive() {
			b.Income = append(b.Income, income(cp, "", FromGiftAid, c.SmallTax, c.Paid, c.ID))
		}
		if c.OverClaim.IsPositive() {
			b.Income = append(b.Income, income(cp, "", FromGiftAid, c.OverClaim.Neg(), c.Paid, c.ID))
		}
		return b, c.ID, nil
	}, s.store.Claim)
}
