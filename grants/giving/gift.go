package giving

import (
	"time"

	"github.com/shopspring/decimal"
)

// GiftKind is what a gift gives.
type GiftKind string

// Gift kinds (seed 000: "money, time or talents").
const (
	Money  GiftKind = "money"
	Time   GiftKind = "time"   // volunteering, in minutes
	Talent GiftKind = "talent" // a skill given pro bono, in minutes
)

// Gift is one gift to a campaign. A gift of money is pledged (Received
// zero) and then received, or recorded as received; Refunded is what was
// paid back. A gift of time is pledged in Minutes and Delivered as given.
// A talent is Minutes of a Skill, valued at Rate pounds an hour when Rate
// is set. Priority, when not empty, restricts the gift to one of the
// campaign's priorities; empty is unrestricted.
type Gift struct {
	ID       string
	Campaign string
	Donor    string
	Kind     GiftKind
	Series   string // a regular gift's series id (the first gift's id); empty for one-off
	Priority string

	Amount      decimal.Decimal // money pledged or given
	Received    time.Time       // when the money arrived; zero while pledged
	Refunded    decimal.Decimal // paid back, ≤ Amount
	Benefit     bool            // the donor got something in return
	GiftAid     bool            // Gift Aid asked on it, under Declaration
	Declaration string
	Small       bool            // a small cash or contactless gift under GASDS, with no declaration
	Claim       string          // the Gift Aid claim that claimed it
	Claimed     decimal.Decimal // the amount claimed on
	OverClaim   string          // the claim that carried its refund as an over-claim

	Minutes   int64 // time or talent pledged or given
	Delivered int64 // time delivered
	Skill     string
	Rate      decimal.Decimal // pounds an hour; zero when not valued

	Pledged   time.Time // when it was pledged or recorded
	CreatedAt time.Time
	CreatedBy string
	Version   int
}

// Date is when the gift counts: when money was received, or pledged.
func (g *Gift) Date() time.Time {
	if !g.Received.IsZero() {
		return g.Received
	}
	return g.Pledged
}

// Net is the money received less refunds (zero while pledged).
func (g *Gift) Net() decimal.Decimal {
	if g.Kind != Money || g.Received.IsZero() {
		return decimal.Zero
	}
	return g.Amount.Sub(g.Refunded)
}

// Value is a talent's value: hours × Rate.
func (g *Gift) Value() decimal.Decimal {
	if g.Kind != Talent || g.Rate.IsZero() {
		return decimal.Zero
	}
	return g.Rate.Mul(decimal.NewFromInt(g.Minutes)).Div(decimal.NewFromInt(60)).Round(2)
}

// NewGift is the input to Give.
type NewGift struct {
	Campaign string
	Donor    string
	Kind     GiftKind
	Series   string
	Priority string
	Amount   decimal.Decimal
	Received time.Time // zero for a pledge
	Benefit  bool
	GiftAid  bool
	Small    bool
	Minutes  int64
	Skill    string
	Rate     decimal.Decimal
	Pledged  time.Time // zero: the clock's time
}

// Validate checks n on its own; Give checks it against the campaign,
// the donor and their declarations.
func (n *NewGift) Validate() error {
	if err := checkID("Campaign", n.Campaign); err != nil {
		return err
	}
	if err := checkID("Donor", n.Donor); err != nil {
		return err
	}
	if err := checkText("Series", n.Series, MaxID); err != nil {
		return err
	}
	if err := checkText("Priority", n.Priority, MaxName); err != nil {
		return err
	}
	if err := checkText("Skill", n.Skill, MaxName); err != nil {
		return err
	}
	switch n.Kind {
	case Money:
		if err := CheckMoney("Amount", n.Amount, true); err != nil {
			return err
		}
		if n.Minutes != 0 {
			return invalid("Minutes", "a gift of money has no minutes")
		}
		if n.GiftAid && n.Benefit {
			return fieldErr(ErrNotEligible, "GiftAid", "a gift with a benefit in return does not qualify")
		}
		if n.GiftAid && n.Small {
			return invalid("Small", "a small donation under GASDS has no Gift Aid declaration")
		}
	case Time, Talent:
		if n.GiftAid {
			return fieldErr(ErrNotEligible, "GiftAid", "only gifts of money qualify")
		}
		if !n.Amount.IsZero() || n.Small {
			return invalid("Amount", "a gift of %s has no amount", n.Kind)
		}
		if n.Minutes <= 0 || n.Minutes > 1_000_000 {
			return invalid("Minutes", "must be between 1 and 1,000,000")
		}
		if err := CheckMoney("Rate", n.Rate, false); err != nil {
			return err
		}
		if n.Kind == Talent {
			if err := required("Skill", n.Skill, MaxName); err != nil {
				return err
			}
		} else if !n.Rate.IsZero() {
			return invalid("Rate", "only a talent is valued at a rate")
		}
	default:
		return invalid("Kind", "%q is not one of money, time, talent", n.Kind)
	}
	return nil
}

// Match is a business's pledge to match residents' gifts: Ratio pounds for
// each pound individuals give (1 is £1 for £1), counted on money received
// between From and To (To exclusive), restricted to Priority when set,
// never more than Cap. Due is computed from received gifts; Received is
// what the business has paid.
type Match struct {
	ID       string
	Campaign string
	Donor    string // the business
	Ratio    decimal.Decimal
	Cap      decimal.Decimal
	From, To time.Time
	Priority string
	Received decimal.Decimal
	Payments []MatchPayment

	CreatedAt time.Time
	CreatedBy string
	Version   int
}

// MatchPayment is one payment of a match.
type MatchPayment struct {
	At     time.Time
	Amount decimal.Decimal
}

// NewMatch is the input to PledgeMatch.
type NewMatch struct {
	Campaign string
	Donor    string
	Ratio    decimal.Decimal
	Cap      decimal.Decimal
	From, To time.Time
	Priority string
}

// Validate checks n.
func (n *NewMatch) Validate() error {
	if err := checkID("Campaign", n.Campaign); err != nil {
		return err
	}
	if err := checkID("Donor", n.Donor); err != nil {
		return err
	}
	if !n.Ratio.IsPositive() || n.Ratio.GreaterThan(decimal.NewFromInt(10)) {
		return invalid("Ratio", "must be above 0 and at most 10")
	}
	if err := CheckMoney("Cap", n.Cap, true); err != nil {
		return err
	}
	if n.From.IsZero() || !n.To.After(n.From) {
		return invalid("To", "a match needs From and a later To")
	}
	return checkText("Priority", n.Priority, MaxName)
}

// Due computes what m owes on gifts: Ratio × the net received money from
// individuals within its dates (and priority), never over Cap.
func (m *Match) Due(gifts []*Gift, individuals map[string]bool) decimal.Decimal {
	sum := decimal.Zero
	for _, g := range gifts {
		if g.Kind != Money || g.Received.IsZero() || !individuals[g.Donor] {
			continue
		}
		if g.Received.Before(m.From) || !g.Received.Before(m.To) {
			continue
		}
		if m.Priority != "" && g.Priority != m.Priority {
			continue
		}
		sum = sum.Add(g.Net())
	}
	due := sum.Mul(m.Ratio).Round(2)
	if due.GreaterThan(m.Cap) {
		return m.Cap
	}
	return due
}

// Source is where a line of income came from.
type Source string

// Sources of income to a fund.
const (
	FromGifts   Source = "gifts"
	FromGiftAid Source = "giftaid"
	FromMatch   Source = "match"
)

// Income is money arriving in the campaign's fund: in the financial year
// it arrived, restricted to Priority (empty: unrestricted). A refund is
// negative income.
type Income struct {
	Fund     string
	Campaign string
	Year     int
	Priority string
	Source   Source
	Amount   decimal.Decimal
	At       time.Time
	Ref      string // the gift, claim or match
}
