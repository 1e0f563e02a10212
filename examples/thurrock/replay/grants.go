package replay

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/strongertogether/community/adapters/threesixty"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/internal/borough"
)

// grants builds the Small Sparks year from generated applications, prints
// the fund's report and publishes its awards as 360Giving JSON.
func (a *app) runGrants(ctx context.Context, w io.Writer, sum *Summary, out string) error {
	want := a.grantTotals()
	fund, err := borough.GenerateGrants(ctx, a.grants, a.clock.Set, want, 2014)
	if err != nil {
		return fmt.Errorf("grants: %w", err)
	}
	r, err := a.grants.Report(ctx, fund.ID, want.Year)
	if err != nil {
		return err
	}
	sum.Fund, sum.Grants = fund.ID, r

	heading(w, fmt.Sprintf("GRANTS — %s, %d/%02d", fund.Name, r.Year, (r.Year+1)%100))
	tw := table(w)
	fmt.Fprintf(tw, "  Budget\t%s\n", grants.Pounds(r.Budget))
	fmt.Fprintf(tw, "  Applications\t%d\n", r.Applications)
	fmt.Fprintf(tw, "  Awards\t%d\n", r.Awards)
	fmt.Fprintf(tw, "  Groups funded\t%d\n", r.Groups)
	fmt.Fprintf(tw, "  Awarded\t%s\n", grants.Pounds(r.Awarded))
	fmt.Fprintf(tw, "  Paid\t%s\n", grants.Pounds(r.Paid))
	fmt.Fprintf(tw, "  Remaining\t%s\n", grants.Pounds(r.Remaining))
	fmt.Fprintf(tw, "  Average award\t%s\n", grants.Pounds(r.AverageAward))
	fmt.Fprintf(tw, "  Volunteer hours pledged\t%d\n", r.PledgedMinutes/60)
	fmt.Fprintf(tw, "  Sweat equity at %s/hour\t%s\n", grants.Pounds(r.HourlyRate), grants.Pounds(r.MatchedValue))
	tw.Flush()

	fmt.Fprintln(w)
	tw = table(w)
	fmt.Fprintln(tw, "  Priority\tAwards\tAwarded")
	for _, s := range r.ByPriority {
		fmt.Fprintf(tw, "  %s\t%d\t%s\n", s.Name, s.Awards, grants.Pounds(s.Awarded))
	}
	wards := slices.Clone(r.ByWard)
	slices.SortStableFunc(wards, func(x, y grants.Spread) int { return cmp.Compare(y.Awards, x.Awards) })
	fmt.Fprintf(tw, "  Busiest wards (of %d)\t\t\n", len(r.ByWard))
	for _, s := range wards[:min(3, len(wards))] {
		fmt.Fprintf(tw, "    %s\t%d\t%s\n", s.Name, s.Awards, grants.Pounds(s.Awarded))
	}
	tw.Flush()

	// 360Giving: the year's awards, checked for the Data Quality Tool's
	// warnings before they are published.
	// The officer reads them through the Service, as any reader of
	// applications must.
	apps, err := a.grants.Applications(ctx, call.As(borough.GrantsOfficer), grants.ApplicationFilter{Fund: fund.ID, Year: want.Year})
	if err != nil {
		return err
	}
	now := a.clock.Now()
	pkg, err := threesixty.Export(fund, apps, threesixty.Options{Now: now,
		Publisher: threesixty.Publisher{Identifier: fund.FunderID, Name: fund.FunderName, Website: "https://www.thurrock.gov.uk"},
		License:   "https://creativecommons.org/licenses/by/4.0/",
		Title:     fmt.Sprintf("%s grants %d/%02d", fund.Name, want.Year, (want.Year+1)%100)})
	if err != nil {
		return fmt.Errorf("360Giving export: %w", err)
	}
	warnings := threesixty.Quality(pkg, now)
	data, err := json.MarshalIndent(pkg, "", "  ")
	if err != nil {
		return err
	}
	path := filepath.Join(out, "small-sparks-360giving.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return err
	}
	sum.ThreeSixty, sum.QualityWarnings = path, len(warnings)
	fmt.Fprintf(w, "\n  360Giving: %d grants in %s\n  Data quality warnings: %d\n", len(pkg.Grants), filepath.Base(path), len(warnings))
	for _, x := range warnings[:min(3, len(warnings))] {
		fmt.Fprintf(w, "    %s %s: %s\n", x.Grant, x.Field, x.Message)
	}
	return nil
}
