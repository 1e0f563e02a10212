package replay

import (
	"context"
	"fmt"
	"io"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/internal/borough"
)

// runGiving builds a year of the Local Giving campaign — gifts of money
// with Gift Aid claimed, a business's match, volunteers' time and talents
// — sized as the seed's peer campaign (document 000: £312,233 raised for
// 57 local charities reaching 14,393 people), and prints its report.
func (a *app) runGiving(ctx context.Context, w io.Writer, sum *Summary, _ string) error {
	want := a.givingTotals()
	c, funded, err := borough.GenerateGiving(ctx, a.giving, a.clock.Set, want, 2014)
	if err != nil {
		return fmt.Errorf("giving: %w", err)
	}
	a.funded = *funded
	r, err := a.giving.Report(ctx, c.ID, want.Year)
	if err != nil {
		return fmt.Errorf("giving report: %w", err)
	}
	sum.Campaign, sum.Giving = c.ID, r

	heading(w, fmt.Sprintf("LOCAL GIVING — %s, %d/%02d", c.Name, r.Year, (r.Year+1)%100))
	tw := table(w)
	fmt.Fprintf(tw, "  Raised\t%s\t(gifts %s, Gift Aid %s, business match %s)\n",
		grants.Pounds(r.Raised), grants.Pounds(r.Gifts), grants.Pounds(r.GiftAid), grants.Pounds(r.Match))
	fmt.Fprintf(tw, "  Donors\t%d\t(%d residents, %d businesses)\n", r.Individuals+r.Businesses, r.Individuals, r.Businesses)
	fmt.Fprintf(tw, "  Volunteers\t%d\t(%d hours pledged, %d delivered)\n", r.Volunteers, r.PledgedMinutes/60, r.DeliveredMinutes/60)
	fmt.Fprintf(tw, "  Talents given\t%d\t(%d hours, worth %s)\n", r.Talents, r.TalentMinutes/60, grants.Pounds(r.TalentValue))
	fmt.Fprintf(tw, "  Charities funded\t%d\t(reaching %d people)\n", r.Funded.Groups, r.Funded.People)
	tw.Flush()
	fmt.Fprintln(w, "  Raised is what came in: gifts net of refunds, the 25% Gift Aid HMRC paid on declared gifts, and the match.")
	fmt.Fprintln(w, "  The campaign is sized as the seed's peer (document 000), so its figures can be checked against it.")

	// What the campaign raised is the Community Fund's income in grants,
	// and the fund awards the groups the report counts against it.
	fund, err := borough.SetUpCommunityFund(ctx, a.grants, c.Fund, want.Year)
	if err != nil {
		return err
	}
	if _, err := a.giving.PostIncome(ctx, call.As(borough.FundManager).Key("post-"+c.ID), a.grants, c.ID, want.Year); err != nil {
		return fmt.Errorf("giving: %w", err)
	}
	if _, err := borough.AwardCommunityGrants(ctx, a.grants, a.clock.Set, fund, &a.funded); err != nil {
		return err
	}
	t, err := a.grants.Totals(ctx, fund.ID, want.Year)
	if err != nil {
		return err
	}
	heading(w, fmt.Sprintf("GRANTS — %s, %d/%02d", fund.Name, want.Year, (want.Year+1)%100))
	tw = table(w)
	fmt.Fprintf(tw, "  Community Fund budget\t%s\n", grants.Pounds(t.Budget))
	fmt.Fprintf(tw, "  Income from Local Giving\t%s\t(its unrestricted money)\n", grants.Pounds(t.Income))
	fmt.Fprintf(tw, "  Kept for priorities\t%s\t(restricted by donors, held by the campaign)\n", grants.Pounds(r.Raised.Sub(r.ByPriority[""])))
	fmt.Fprintf(tw, "  Committed to awards\t%s\n", grants.Pounds(t.Committed))
	fmt.Fprintf(tw, "  Available to award\t%s\n", grants.Pounds(t.Available()))
	tw.Flush()
	return nil
}
