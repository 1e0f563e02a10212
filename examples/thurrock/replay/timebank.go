package replay

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/borough"
)

// timebankOfficer is the council officer who runs the time bank: the
// store's first administrator, who opens the borough bank.
var timebankOfficer = call.As("officer-timebank")

// growthTarget is the action plan's target: "increase the time bank by
// 10%".
var growthTarget = decimal.NewFromInt(10)

// The half-years the time bank's growth compares.
var (
	growthBase = [2]time.Time{time.Date(2015, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2015, 11, 1, 0, 0, 0, 0, time.UTC)}
	growthNow  = [2]time.Time{time.Date(2015, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2016, 5, 1, 0, 0, 0, 0, time.UTC)}
)

// timebank replays the seed's time bank history (seed 000: November 2014
// to April 2016) and prints the period's figures and its growth.
func (a *app) runTimebank(ctx context.Context, w io.Writer, sum *Summary, _ string) error {
	from, to := borough.TimebankFrom, borough.TimebankTo
	bank, _, err := borough.GenerateTimebank(ctx, a.timebank, a.clock.Set, timebankOfficer, from, to, a.timebankTotals(), 2016)
	if err != nil {
		return fmt.Errorf("time bank: %w", err)
	}
	r, err := a.timebank.Report(ctx, bank.ID, from, to)
	if err != nil {
		return err
	}
	g, err := a.timebank.Growth(ctx, bank.ID, growthBase[0], growthBase[1], growthNow[0], growthNow[1])
	if err != nil {
		return err
	}
	sum.Bank, sum.Timebank, sum.Growth = bank.ID, r, g

	heading(w, fmt.Sprintf("TIME BANK — %s, %s to %s", bank.Name, from.Format("January 2006"), to.AddDate(0, 0, -1).Format("January 2006")))
	tw := table(w)
	fmt.Fprintf(tw, "  Hours exchanged\t%s\n", r.Hours().StringFixed(0))
	fmt.Fprintf(tw, "  Individual members\t%d\n", r.Individuals)
	fmt.Fprintf(tw, "  Transactions\t%d\n", r.Exchanges)
	fmt.Fprintf(tw, "  Organisations\t%d\n", r.Organisations)
	fmt.Fprintf(tw, "  Members active\t%d\n", r.ActiveMembers)
	tw.Flush()

	fmt.Fprintf(w, "\n  Growth, %s to %s:\n", span(growthBase), span(growthNow))
	tw = table(w)
	fmt.Fprintln(tw, "  \tBefore\tAfter\tChange")
	fmt.Fprintf(tw, "  Hours\t%s\t%s\t%s\n", g.Base.Hours().StringFixed(0), g.Current.Hours().StringFixed(0), pct(g.Hours))
	fmt.Fprintf(tw, "  Transactions\t%d\t%d\t%s\n", g.Base.Exchanges, g.Current.Exchanges, pct(g.Transactions))
	fmt.Fprintf(tw, "  Individuals\t%d\t%d\t%s\n", g.Base.Individuals, g.Current.Individuals, pct(g.Individuals))
	fmt.Fprintf(tw, "  Organisations\t%d\t%d\t%s\n", g.Base.Organisations, g.Current.Organisations, pct(g.Organisations))
	tw.Flush()
	fmt.Fprintf(w, "  Action plan target +%s%%: %s\n", growthTarget, metOrNot(g.Met(growthTarget)))
	return nil
}

func span(p [2]time.Time) string {
	return p[0].Format("Jan 2006") + "–" + p[1].AddDate(0, 0, -1).Format("Jan 2006")
}

func metOrNot(ok bool) string {
	if ok {
		return "met"
	}
	return "not met"
}

// pct shows a percentage change with its sign, or "n/a" when undefined.
func pct(d *decimal.Decimal) string {
	switch {
	case d == nil:
		return "n/a"
	case d.IsPositive():
		return "+" + d.StringFixed(1) + "%"
	}
	return d.StringFixed(1) + "%"
}
