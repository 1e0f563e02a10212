package giving

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
)

// FundLedger is where PostIncome posts a campaign's money: the income of
// the campaign's grants fund. *grants.Service satisfies it.
type FundLedger interface {
	RecordIncome(ctx context.Context, w call.Write, in grants.NewIncome) (*grants.Income, error)
	ReverseIncome(ctx context.Context, w call.Write, in grants.NewIncome) (*grants.Income, error)
	Income(ctx context.Context, a call.Actor, f grants.IncomeFilter) ([]*grants.Income, error)
}

// Posting is what PostIncome found and posted for one source of a
// campaign's year.
type Posting struct {
	Source Source
	Raised decimal.Decimal // the campaign's unrestricted income from the source in the year, net of refunds and over-claims
	Before decimal.Decimal // what the fund held from it before this call
	// Restricted is the campaign's income from the source in the year
	// that donors restricted to one of its priorities. It is not posted:
	// the fund's income can fund any award, so the campaign keeps
	// restricted money for its priority (see Report.ByPriority).
	Restricted decimal.Decimal
	// Income is the line posted now (a reversal when Raised fell below
	// Before), or nil when the fund held Raised already.
	Income *grants.Income
}

// postAttempts bounds how often PostIncome starts again after losing a
// race to another posting of the same campaign.
const postAttempts = 5

// PostIncome posts the money campaign raised in financial year y to the
// income of its grants fund, so the fund can award it: its unrestricted
// money only, since the fund's income can fund any award and a gift a
// donor restricted to a priority must fund that priority alone (restricted
// money stays with the campaign and is reported in Posting.Restricted and
// Report.ByPriority). For each source —
// gifts received net of refunds, match funding received, and Gift Aid once
// HMRC has paid the claim (a claim made is not money in hand; an
// over-claim carried into a claim lowers it) — what the campaign's income
// holds for the year less what the fund holds from it already. Pledges,
// unpaid matches and unpaid claims post nothing until the money arrives.
// A rise is posted as income (grants.Service.RecordIncome), a fall as a
// reversal (ReverseIncome), dated when the latest unrestricted money of
// that source arrived, in the year it arrived; a reversal of a source with
// no unrestricted money left in the year is dated as the latest line the
// fund holds from it, so it falls in year y too.
//
// Each posting's reference is "giving/<campaign>/<year>/<source>/<n>",
// where n counts the postings of that source before it, so a re-run posts
// only what is new and never counts money twice, and two postings racing
// each other take turns: the one that loses the reference reads again and
// posts the rest. The idempotency key of each posting is w.Key, "/" and
// its reference.
//
// The writes are the fund's: w's actor must be a fund manager of the
// grants service (to reads and writes as them); the campaign's income it
// reads is open (see Service.Income). Errors: ErrNotFound (no such
// campaign), and the fund's errors (grants.ErrForbidden,
// grants.ErrNotFound on "Fund" when the campaign's fund is not a grants
// fund, grants.ErrOverdrawn when a fall cannot be reversed because the
// fund has committed the money), wrapped.
func (s *Service) PostIncome(ctx context.Context, w call.Write, to FundLedger, campaign string, y int) ([]Posting, error) {
	c, err := s.store.Campaign(ctx, campaign)
	if err != nil {
		return nil, fmt.Errorf("post income: %w", err)
	}
	if strings.TrimSpace(w.Key) == "" {
		return nil, fmt.Errorf("post income: %w", invalid("key", "an idempotency key is required for every write"))
	}
	for attempt := 1; ; attempt++ {
		out, err := s.post(ctx, w, to, c, y)
		if errors.Is(err, grants.ErrConflict) && attempt < postAttempts {
			continue // another posting took the reference: read again
		}
		if err != nil {
			return nil, fmt.Errorf("post income of campaign %s for %d: %w", c.ID, y, err)
		}
		return out, nil
	}
}

func (s *Service) post(ctx context.Context, w call.Write, to FundLedger, c *Campaign, y int) ([]Posting, error) {
	lines, err := s.store.Income(ctx, c.Fund, y)
	if err != nil {
		return nil, err
	}
	held, err := to.Income(ctx, w.Actor, grants.IncomeFilter{Fund: c.Fund, Year: y})
	if err != nil {
		return nil, err
	}
	var out []Posting
	for _, src := range []Source{FromGifts, FromGiftAid, FromMatch} {
		p := Posting{Source: src}
		var last time.Time
		for _, l := range lines {
			if l.Campaign != c.ID || l.Source != src {
				continue
			}
			if l.Priority != "" {
				p.Restricted = p.Restricted.Add(l.Amount)
				continue
			}
			p.Raised = p.Raised.Add(l.Amount)
			if l.At.After(last) {
				last = l.At
			}
		}
		prefix := fmt.Sprintf("giving/%s/%d/%s/", c.ID, y, src)
		n := 0
		var lastHeld time.Time
		for _, h := range held {
			if strings.HasPrefix(h.Ref, prefix) {
				p.Before = p.Before.Add(h.Amount)
				n++
				if h.Received.After(lastHeld) {
					lastHeld = h.Received
				}
			}
		}
		diff := p.Raised.Sub(p.Before)
		if !diff.IsZero() {
			if last.IsZero() {
				// No unrestricted money of the source in the year, but the
				// fund holds some: the reversal belongs to year y, so it
				// is dated as the fund's latest line of it, never today
				// (which may be in a later year).
				last = lastHeld
			}
			ref := fmt.Sprintf("%s%d", prefix, n)
			in := grants.NewIncome{Fund: c.Fund, Source: sourceName(c, src), Ref: ref, Amount: diff.Abs(), Received: last,
				Note: fmt.Sprintf("Local Giving campaign %s, %d/%02d", c.ID, y, (y+1)%100)}
			key := w.Actor.Key(w.Key + "/" + ref)
			if diff.IsPositive() {
				p.Income, err = to.RecordIncome(ctx, key, in)
			} else {
				p.Income, err = to.ReverseIncome(ctx, key, in)
			}
			if err != nil {
				return nil, err
			}
			s.log.InfoContext(ctx, "giving.income.post", "actor", w.Actor.ID, "campaign", c.ID, "source", string(src), "income", p.Income.ID)
		}
		out = append(out, p)
	}
	return out, nil
}

// sourceName is how the fund's income names a source of the campaign's
// money: "<campaign name>: gifts", or the campaign's id for a name too long.
func sourceName(c *Campaign, src Source) string {
	what := map[Source]string{FromGifts: "gifts", FromGiftAid: "Gift Aid", FromMatch: "match funding"}[src]
	name := c.Name
	if len(name)+len(what)+2 > grants.MaxName {
		name = c.ID
	}
	return name + ": " + what
}
